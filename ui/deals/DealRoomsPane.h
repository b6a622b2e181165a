#pragma once

#include "deals/DealRoomRepository.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSplitter;
class QHBoxLayout;
class QStackedWidget;
class QThread;
class QTableView;
class QTimer;
class QToolButton;
class QUndoStack;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

class BoardColumnModel;
class CardDelegate;
class DealTableModel;
class EmptyState;
class RoomView;
class RegistrationsPage;
class ReferralsPage;
class StageEditorDialog;

// The Deal Rooms pane: a board by stage with undoable drag and drop, a table over the same rooms, a room view,
// and the registration and referral pages. Everything is read for one person ("viewing as"), so access
// filtering is visible; stage moves go through MoveStageCommand on the shared undo stack.
class DealRoomsPane : public QWidget
{
    Q_OBJECT

public:
    enum class View
    {
        Board,
        Table,
        Registrations,
        Referrals,
    };

    DealRoomsPane(Workspace &workspace, QUndoStack *undoStack, QWidget *parent = nullptr);
    ~DealRoomsPane() override;

    // Per stage and currency, for the column headers (filled by a worker thread).
    struct StageSum
    {
        qint64 rooms = 0;
        QHash<QString, qint64> byCurrency; // minor units
    };

    void reload();
    void setView(View view);
    View view() const;
    // The person whose view of the rooms is shown; returns false when the id is not in the picker.
    bool setViewer(const QString &personId);
    QString viewerId() const;
    void openRoom(const QString &roomId);
    void closeRoom();
    // Pushes an undoable stage move (drag and drop, the context menu and the room view all come here).
    void moveRoom(const QString &roomId, const QString &toStage);

    void setCardsPerStage(int n) { m_perStage = n; }
    // Off (benchmarks only): read the counts and every card's details before the first paint, as before the
    // deferred loading, to compare the two on the same file.
    void setDeferredLoading(bool on) { m_deferred = on; }
    BoardColumnModel *columnModel(const QString &stageId) const;
    QListView *columnView(const QString &stageId) const;
    DealTableModel *tableModel() const { return m_tableModel; }
    QTableView *tableView() const { return m_table; }
    RoomView *roomView() const { return m_roomView; }
    RegistrationsPage *registrationsPage() const { return m_registrations; }
    ReferralsPage *referralsPage() const { return m_referrals; }
    QString lastMessage() const;
    bool sumsReady() const { return m_sumsReady; }     // the column headers' amounts have arrived
    bool countsReady() const { return m_countsReady; } // the column headers' room counts have arrived
    // Opens (or raises) the pipeline stage editor; the board rebuilds its columns after each change. Only for
    // viewers who see every room (vendor admins, the workspace owner).
    StageEditorDialog *openStageEditor();
    QToolButton *stagesButton() const { return m_stagesButton; }

Q_SIGNALS:
    void boardLoaded(); // after the cards are set (the benchmark waits for the paint after it)

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildToolbar();
    void buildBoard();
    void buildColumns();
    void reloadStages();
    void afterBoardPainted();
    void applyCounts(const QHash<QString, StageSum> &sums, bool complete);
    void updateMoreButtons();
    void loadViewers();
    void reloadBoard();
    void reloadTable();
    void applyBoardFilter();
    void updateHeaders();
    void requestSums(const DealViewer &viewer);
    void loadCurrentView();
    void scheduleReload();
    void showMessage(const QString &text, bool error);
    void showBoardMenu(QListView *view, const QPoint &pos);
    void onMoveRequested(const QStringList &roomIds, const QString &fromStage, const QString &toStage);
    DealViewer viewer() const;
    QString stageName(const QString &stageId) const;

    Workspace &m_workspace;
    QUndoStack *m_undo;
    std::unique_ptr<DealRoomRepository> m_rooms;
    QList<DealStage> m_stages;
    int m_perStage = 50;
    QHash<QString, int> m_extraPerStage; // "Show more" per column
    bool m_reloadPending = false;
    bool m_tableDirty = true;
    bool m_pagesDirty = true;
    QHash<QString, StageSum> m_sums;
    bool m_sumsReady = false;
    bool m_countsReady = false;
    bool m_waitingForPaint = false; // details and sums start once the new cards are on screen
    bool m_deferredPending = false;
    bool m_deferred = true;
    QTimer *m_afterPaint = nullptr; // fallback when no paint comes (board hidden)
    quint64 m_sumGeneration = 0;
    QList<QPointer<QThread>> m_sumWorkers;

    QButtonGroup *m_viewButtons = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_partner = nullptr;
    QComboBox *m_stage = nullptr;
    QCheckBox *m_overdueOnly = nullptr;
    QCheckBox *m_idleOnly = nullptr;
    QComboBox *m_viewer = nullptr;
    QLabel *m_message = nullptr;
    QSplitter *m_split = nullptr;
    QStackedWidget *m_stack = nullptr;
    QStackedWidget *m_boardStack = nullptr; // board or its empty state
    EmptyState *m_boardEmpty = nullptr;
    QWidget *m_boardColumns = nullptr;
    QHBoxLayout *m_columnRow = nullptr;
    CardDelegate *m_delegate = nullptr;
    QToolButton *m_stagesButton = nullptr;
    QPointer<StageEditorDialog> m_stageEditor;
    struct Column
    {
        BoardColumnModel *model = nullptr;
        QWidget *frame = nullptr;
        QLabel *header = nullptr;
        QListView *view = nullptr;
        QPushButton *more = nullptr;
        QList<BoardCard> allCards; // as loaded, before the toolbar filters
        qint64 roomCount = -1;     // -1 until counted
    };
    QList<Column> m_columns;
    QWidget *m_tablePage = nullptr;
    QTableView *m_table = nullptr;
    DealTableModel *m_tableModel = nullptr;
    QLabel *m_tableCount = nullptr;
    RoomView *m_roomView = nullptr;
    RegistrationsPage *m_registrations = nullptr;
    ReferralsPage *m_referrals = nullptr;
};

} // namespace ecotone::ui
