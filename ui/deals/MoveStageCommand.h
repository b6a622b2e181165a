#pragma once

#include <QString>
#include <QUndoCommand>

#include <functional>

namespace ecotone {
class DealRoomRepository;
}

namespace ecotone::ui {

// Moves one room to another stage through DealRoomRepository::moveStage; undo moves it back with a second
// stage_change event (the timeline keeps both). after() runs after every redo/undo (the pane reloads there).
// Failures are reported through error() and leave the room where it was.
class MoveStageCommand : public QUndoCommand
{
public:
    MoveStageCommand(DealRoomRepository &rooms, const QString &roomId, const QString &roomName, const QString &from,
                     const QString &to, const QString &fromName, const QString &toName, const QString &authorId,
                     std::function<void(const QString &error)> after);

    void redo() override;
    void undo() override;

private:
    void move(const QString &to);

    DealRoomRepository &m_rooms;
    QString m_roomId;
    QString m_from;
    QString m_to;
    QString m_authorId;
    std::function<void(const QString &)> m_after;
};

} // namespace ecotone::ui
