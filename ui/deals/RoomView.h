#pragma once

#include "deals/DealTypes.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace ecotone {
class DealRoomRepository;
class Workspace;
} // namespace ecotone

namespace ecotone::ui {

// One room: header (account, stage, amount, close date, hyperscaler ids), participants and people, timeline,
// mutual action plan and documents, with the edits of each. Every write goes through DealRoomRepository; a stage
// change is handed to the pane (stageChangeRequested) so it lands on the undo stack like a drag.
class RoomView : public QWidget
{
    Q_OBJECT

public:
    RoomView(Workspace &workspace, DealRoomRepository &rooms, const QList<DealStage> &stages,
             QWidget *parent = nullptr);

    void setRoom(const QString &roomId, const QString &viewerId);
    void setStages(const QList<DealStage> &stages); // after the pipeline was edited
    QString roomId() const { return m_roomId; }
    void refresh();

    // The actions behind the buttons, callable without the dialogs (tests).
    Status addNote(EventKind kind, const QString &text);
    Status addTask(const QString &title, const QString &ownerId, const QDate &due);
    // Ticks a task done or reopens a done one (the box in the task list does the same).
    Status setTaskDone(const QString &taskId, bool done);
    Status attach(const QString &filePath);
    Status exportCsv(const QString &path);
    Status exportPdf(const QString &path);
    QString lastError() const { return m_lastError; }
    QTabWidget *tabs() const { return m_tabs; }
    QTreeWidget *taskTree() const { return m_tasks; }
    QListWidget *timeline() const { return m_timeline; }

Q_SIGNALS:
    void stageChangeRequested(const QString &roomId, const QString &stageId);
    void changed(); // something in the room was written: the board and table reload
    void closeRequested();

private:
    void buildHeader();
    QWidget *buildTimeline();
    QWidget *buildTasks();
    QWidget *buildParticipants();
    QWidget *buildDocuments();
    void report(const Status &status);
    QString personName(const QString &id);
    QString stageName(const QString &id) const;

    Workspace &m_workspace;
    DealRoomRepository &m_rooms;
    QList<DealStage> m_stages;
    QString m_roomId;
    QString m_viewerId;
    QString m_lastError;
    QHash<QString, QString> m_names;

    QLabel *m_title = nullptr;
    QLabel *m_facts = nullptr;
    QLabel *m_ids = nullptr;
    QComboBox *m_stage = nullptr;
    QLabel *m_error = nullptr;
    QTabWidget *m_tabs = nullptr;
    QListWidget *m_timeline = nullptr;
    QComboBox *m_eventKind = nullptr;
    QLineEdit *m_eventText = nullptr;
    QTreeWidget *m_tasks = nullptr;
    QLineEdit *m_taskTitle = nullptr;
    QComboBox *m_taskOwner = nullptr;
    QDateEdit *m_taskDue = nullptr;
    QTreeWidget *m_participants = nullptr;
    QComboBox *m_newOrg = nullptr;
    QComboBox *m_newRole = nullptr;
    QListWidget *m_people = nullptr;
    QListWidget *m_documents = nullptr;
};

} // namespace ecotone::ui
