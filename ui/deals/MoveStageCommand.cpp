#include "MoveStageCommand.h"

#include "deals/DealRoomRepository.h"

#include <QCoreApplication>

namespace ecotone::ui {

MoveStageCommand::MoveStageCommand(DealRoomRepository &rooms, const QString &roomId, const QString &roomName,
                                   const QString &from, const QString &to, const QString &fromName,
                                   const QString &toName, const QString &authorId,
                                   std::function<void(const QString &error)> after)
    : m_rooms(rooms)
    , m_roomId(roomId)
    , m_from(from)
    , m_to(to)
    , m_authorId(authorId)
    , m_after(std::move(after))
{
    setText(QCoreApplication::translate("ecotone::ui::MoveStageCommand", "Move “%1” from %2 to %3")
                .arg(roomName, fromName, toName));
}

void MoveStageCommand::redo()
{
    move(m_to);
}

void MoveStageCommand::undo()
{
    move(m_from);
}

void MoveStageCommand::move(const QString &to)
{
    const Status s = m_rooms.moveStage(m_roomId, to, m_authorId, QStringLiteral("ecotone"));
    // A move that failed wrote nothing; the stack drops an obsolete command instead of keeping a step that
    // would undo something that never happened.
    if (!s)
        setObsolete(true);
    if (m_after)
        m_after(s ? QString() : s.error());
}

} // namespace ecotone::ui
