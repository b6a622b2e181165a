#pragma once

#include "deals/DealTypes.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace ecotone {
class DealRoomRepository;
}

namespace ecotone::ui {

// Edits the deal pipeline: add, rename, reorder and remove stages and set each one's outcome (open, won, lost).
// Every action is written at once through DealRoomRepository (journaled like any other change) and announced with
// pipelineChanged(), so the board rebuilds its columns while the dialog stays open. A stage that still holds rooms
// is removed only after choosing the stage its rooms move to (each move is a stage_change in the room's timeline).
class StageEditorDialog : public QDialog
{
    Q_OBJECT

public:
    StageEditorDialog(DealRoomRepository &rooms, const QString &authorId, QWidget *parent = nullptr);

    // What the buttons do, without their input dialogs (tests). Each reloads the list and, on success, emits
    // pipelineChanged().
    Status addStage(const QString &name, const QString &outcome = QStringLiteral("open"));
    Status renameStage(const QString &stageId, const QString &name);
    Status moveStage(const QString &stageId, int step); // -1 up, +1 down
    Status setOutcome(const QString &stageId, const QString &outcome);
    Status removeStage(const QString &stageId, const QString &moveRoomsTo = {});

    void refresh(); // re-reads stages and room counts (the board calls it after rooms moved)
    QTreeWidget *list() const { return m_list; }
    QStringList stageIds() const; // as listed
    bool select(const QString &stageId);
    QString lastError() const;

Q_SIGNALS:
    void pipelineChanged();

private:
    void updateButtons();
    QString selectedId() const;
    Status done(const Status &status, const QString &select);
    void askAdd();
    void askRename();
    void askRemove();

    DealRoomRepository &m_rooms;
    QString m_authorId;
    QList<DealStage> m_stages;
    QTreeWidget *m_list = nullptr;
    QComboBox *m_outcome = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace ecotone::ui
