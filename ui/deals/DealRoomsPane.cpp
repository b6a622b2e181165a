#include "DealRoomsPane.h"

#include "BoardColumnModel.h"
#include "CardDelegate.h"
#include "DealPages.h"
#include "DealTableModel.h"
#include "MoveStageCommand.h"
#include "RoomView.h"
#include "StageEditorDialog.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace ecotone::ui {

namespace {
constexpr int kColumnWidth = 250;
constexpr int kIdleDays = 14;

constexpr int kDetailsNow = 10; // cards per column with participants and tasks before the first paint

// Column counts and sums for the headers, per stage and currency, over every room the viewer sees (not only the
// loaded cards). Both read a whole index or table, which on a cold file costs more than the cards on screen, so
// they run on a worker thread with a read-only connection of its own once the cards have been painted. For a
// viewer who sees all, the counts (the board index alone) are delivered before the sums (the whole table).
void stageSums(const QString &path, const DealViewer &viewer,
               const std::function<void(const QHash<QString, DealRoomsPane::StageSum> &, bool complete)> &deliver)
{
    QHash<QString, DealRoomsPane::StageSum> sums;
    const QString name = QStringLiteral("dealsums-%1").arg(quintptr(QThread::currentThreadId()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (viewer.seesAll) {
                if (q.exec(QStringLiteral("SELECT stage, COUNT(*) FROM deal_rooms GROUP BY stage"))) {
                    QHash<QString, DealRoomsPane::StageSum> counts;
                    while (q.next())
                        counts[q.value(0).toString()].rooms = q.value(1).toLongLong();
                    deliver(counts, false);
                }
                q.prepare(QStringLiteral("SELECT stage, currency, count(*), sum(amount_minor) FROM deal_rooms "
                                         "GROUP BY stage, currency"));
            } else {
                q.prepare(QStringLiteral("SELECT r.stage, r.currency, count(*), sum(r.amount_minor) FROM "
                                         "deal_room_people v JOIN deal_rooms r ON r.id = v.room_id WHERE "
                                         "v.person_id = ? GROUP BY r.stage, r.currency"));
                q.addBindValue(viewer.personId);
            }
            if (q.exec()) {
                while (q.next()) {
                    DealRoomsPane::StageSum &s = sums[q.value(0).toString()];
                    s.rooms += q.value(2).toLongLong();
                    s.byCurrency[q.value(1).toString()] += q.value(3).toLongLong();
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    deliver(sums, true);
}

// Opens the room on Enter/Return, which a list view otherwise ignores.
class CardListView : public QListView
{
public:
    using QListView::QListView;
    std::function<void(const QModelIndex &)> activated;

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid() &&
            activated) {
            activated(currentIndex());
            return;
        }
        QListView::keyPressEvent(event);
    }
};
} // namespace

DealRoomsPane::DealRoomsPane(Workspace &workspace, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_undo(undoStack)
    , m_rooms(std::make_unique<DealRoomRepository>(workspace))
{
    setAccessibleName(tr("Deal rooms"));
    if (Result<QList<DealStage>> s = m_rooms->stages())
        m_stages = s.value();
    m_afterPaint = new QTimer(this);
    m_afterPaint->setSingleShot(true);
    m_afterPaint->setInterval(250);
    connect(m_afterPaint, &QTimer::timeout, this, &DealRoomsPane::afterBoardPainted);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    buildToolbar();

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setContentsMargins(12, 4, 12, 4);
    m_message->setAccessibleName(tr("Message"));
    m_message->hide();
    layout->addWidget(m_message);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_stack = new QStackedWidget(m_split);
    m_split->addWidget(m_stack);
    layout->addWidget(m_split, 1);

    buildBoard();

    // Table
    m_tablePage = new QWidget(m_stack);
    auto *tableLayout = new QVBoxLayout(m_tablePage);
    tableLayout->setContentsMargins(8, 8, 8, 8);
    m_tableCount = new QLabel(m_tablePage);
    m_tableCount->setAccessibleName(tr("Rooms shown"));
    tableLayout->addWidget(m_tableCount);
    m_table = new QTableView(m_tablePage);
    m_table->setAccessibleName(tr("Deal rooms table"));
    m_tableModel = new DealTableModel(workspace, this);
    m_table->setModel(m_tableModel);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(DealTableModel::LastActivity, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setColumnWidth(DealTableModel::Name, 240);
    m_table->setColumnWidth(DealTableModel::Account, 170);
    m_table->setColumnWidth(DealTableModel::Stage, 150);
    m_table->setColumnWidth(DealTableModel::Amount, 120);
    m_table->setColumnWidth(DealTableModel::CloseDate, 90);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(DealTableModel::Participants, QHeaderView::Stretch);
    m_table->setColumnWidth(DealTableModel::LastActivity, 110);
    m_table->setColumnWidth(DealTableModel::OpenTasks, 100);
    tableLayout->addWidget(m_table, 1);
    m_stack->addWidget(m_tablePage);
    connect(m_table, &QTableView::activated, this,
            [this](const QModelIndex &index) { openRoom(m_tableModel->roomIdAt(index.row())); });
    connect(m_tableModel, &DealTableModel::loadFailed, this, [this](const QString &e) { showMessage(e, true); });

    m_registrations = new RegistrationsPage(workspace, m_stack);
    m_stack->addWidget(m_registrations);
    m_referrals = new ReferralsPage(workspace, m_stack);
    m_stack->addWidget(m_referrals);
    connect(m_registrations, &RegistrationsPage::roomsChanged, this, &DealRoomsPane::scheduleReload);
    connect(m_referrals, &ReferralsPage::roomsChanged, this, &DealRoomsPane::scheduleReload);

    m_roomView = new RoomView(workspace, *m_rooms, m_stages, m_split);
    m_split->addWidget(m_roomView);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_roomView->hide();
    connect(m_roomView, &RoomView::stageChangeRequested, this, &DealRoomsPane::moveRoom);
    connect(m_roomView, &RoomView::changed, this, &DealRoomsPane::scheduleReload);
    connect(m_roomView, &RoomView::closeRequested, this, &DealRoomsPane::closeRoom);

    loadViewers();
    reload();
}

DealRoomsPane::~DealRoomsPane()
{
    for (const QPointer<QThread> &worker : std::as_const(m_sumWorkers))
        if (worker)
            worker->wait();
}

void DealRoomsPane::buildToolbar()
{
    auto *bar = new QWidget(this);
    bar->setAccessibleName(tr("Deal rooms toolbar"));
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(8, 6, 8, 6);
    row->setSpacing(6);

    m_viewButtons = new QButtonGroup(this);
    m_viewButtons->setExclusive(true);
    const QList<std::pair<View, QString>> views = {{View::Board, tr("Board")},
                                                   {View::Table, tr("Table")},
                                                   {View::Registrations, tr("Registrations")},
                                                   {View::Referrals, tr("Referrals")}};
    for (const auto &[v, label] : views) {
        auto *b = new QToolButton(bar);
        b->setText(label);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setAccessibleName(tr("Show %1").arg(label));
        m_viewButtons->addButton(b, int(v));
        row->addWidget(b);
    }
    m_viewButtons->button(int(View::Board))->setChecked(true);
    connect(m_viewButtons, &QButtonGroup::idClicked, this, [this](int id) { setView(View(id)); });
    m_stagesButton = new QToolButton(bar);
    m_stagesButton->setText(tr("Stages…"));
    m_stagesButton->setAutoRaise(true);
    m_stagesButton->setToolTip(tr("Add, rename, reorder or remove pipeline stages"));
    m_stagesButton->setAccessibleName(tr("Edit pipeline stages"));
    connect(m_stagesButton, &QToolButton::clicked, this, [this] { openStageEditor(); });
    row->addWidget(m_stagesButton);
    row->addSpacing(8);

    m_search = new QLineEdit(bar);
    m_search->setPlaceholderText(tr("Search rooms or accounts"));
    m_search->setAccessibleName(tr("Search deal rooms"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_search->setMinimumWidth(140);
    row->addWidget(m_search, 1);

    m_partner = new QComboBox(bar);
    m_partner->setAccessibleName(tr("Participant partner filter"));
    m_partner->addItem(tr("All participants"), QString());
    OrganizationRepository orgs(m_workspace);
    if (Result<QList<Organization>> all = orgs.all()) {
        for (const Organization &o : all.value())
            m_partner->addItem(o.name, o.id);
    }
    // Combos sized by a few characters, not by their longest name, so the row fits next to the sidebar.
    m_partner->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_partner->setMinimumContentsLength(14);
    m_partner->setMaximumWidth(200);
    row->addWidget(m_partner);

    m_stage = new QComboBox(bar);
    m_stage->setAccessibleName(tr("Stage filter"));
    m_stage->addItem(tr("All stages"), QString());
    for (const DealStage &s : std::as_const(m_stages))
        m_stage->addItem(s.name, s.id);
    m_stage->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_stage->setMinimumContentsLength(12);
    row->addWidget(m_stage);

    m_overdueOnly = new QCheckBox(tr("Overdue tasks"), bar);
    m_overdueOnly->setAccessibleName(tr("Only rooms with overdue tasks"));
    row->addWidget(m_overdueOnly);
    m_idleOnly = new QCheckBox(tr("Idle"), bar);
    m_idleOnly->setAccessibleName(tr("Only idle rooms"));
    m_idleOnly->setToolTip(tr("Open rooms without activity for %n day(s)", nullptr, kIdleDays));
    row->addWidget(m_idleOnly);
    row->addSpacing(8);

    // Takes the room the search field leaves when the room filters are hidden (Registrations, Referrals).
    row->addStretch();
    auto *as = new QLabel(tr("Viewing as"), bar);
    row->addWidget(as);
    m_viewer = new QComboBox(bar);
    m_viewer->setAccessibleName(tr("Viewing as person"));
    m_viewer->setToolTip(tr("Rooms are shown as this person sees them: only rooms they take part in, or all for a "
                            "vendor admin."));
    m_viewer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_viewer->setMinimumContentsLength(18);
    m_viewer->setMaximumWidth(260);
    as->setBuddy(m_viewer);
    row->addWidget(m_viewer);

    auto refilter = [this] {
        applyBoardFilter();
        m_tableDirty = true;
        loadCurrentView();
    };
    connect(m_search, &QLineEdit::textChanged, this, refilter);
    connect(m_partner, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_stage, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_overdueOnly, &QCheckBox::toggled, this, refilter);
    connect(m_idleOnly, &QCheckBox::toggled, this, refilter);
    connect(m_viewer, &QComboBox::currentIndexChanged, this, [this] {
        showMessage(QString(), false);
        closeRoom();
        reload();
    });
    static_cast<QVBoxLayout *>(layout())->addWidget(bar);
}

void DealRoomsPane::buildBoard()
{
    m_boardStack = new QStackedWidget(m_stack);
    auto *scroll = new QScrollArea(m_boardStack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Deal board"));
    m_boardColumns = new QWidget(scroll);
    m_columnRow = new QHBoxLayout(m_boardColumns);
    m_columnRow->setContentsMargins(8, 8, 8, 8);
    m_columnRow->setSpacing(8);
    m_delegate = new CardDelegate(this);
    buildColumns();
    scroll->setWidget(m_boardColumns);
    m_boardStack->addWidget(scroll);
    m_boardEmpty = new EmptyState(QStringLiteral("dealrooms"), tr("No deal rooms"), QString(), m_boardStack);
    m_boardStack->addWidget(m_boardEmpty);
    m_stack->addWidget(m_boardStack);

    // Keyboard alternative to dragging: move the current card one stage left or right.
    auto stepShortcut = [this](const QKeySequence &keys, int step) {
        auto *sc = new QShortcut(m_boardColumns);
        sc->setKey(keys);
        sc->setContext(Qt::WidgetWithChildrenShortcut);
        connect(sc, &QShortcut::activated, this, [this, step] {
            for (int i = 0; i < m_columns.size(); ++i) {
                QListView *v = m_columns.at(i).view;
                if (!v->hasFocus() || !v->currentIndex().isValid())
                    continue;
                const int target = i + step;
                if (target >= 0 && target < m_stages.size())
                    moveRoom(v->currentIndex().data(BoardColumnModel::RoomIdRole).toString(), m_stages.at(target).id);
                return;
            }
        });
    };
    stepShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Right), 1);
    stepShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Left), -1);
}

void DealRoomsPane::buildColumns()
{
    // One frame per stage; rebuilt from scratch when the pipeline changes.
    for (const Column &c : std::as_const(m_columns)) {
        delete c.frame;
        delete c.model;
    }
    m_columns.clear();
    while (QLayoutItem *item = m_columnRow->takeAt(0))
        delete item;
    for (const DealStage &stage : std::as_const(m_stages)) {
        Column c;
        c.frame = new QFrame(m_boardColumns);
        c.frame->setObjectName(QStringLiteral("boardColumn"));
        c.frame->setFixedWidth(kColumnWidth);
        c.frame->setAutoFillBackground(true);
        c.frame->setBackgroundRole(QPalette::AlternateBase);
        auto *col = new QVBoxLayout(c.frame);
        col->setContentsMargins(4, 6, 4, 6);
        col->setSpacing(4);
        c.header = new QLabel(c.frame);
        c.header->setTextFormat(Qt::RichText);
        c.header->setContentsMargins(6, 0, 6, 0);
        col->addWidget(c.header);
        c.model = new BoardColumnModel(stage, this);
        auto *view = new CardListView(c.frame);
        c.view = view;
        view->setModel(c.model);
        view->setItemDelegate(m_delegate);
        view->setAccessibleName(tr("%1 column").arg(stage.name));
        view->setFrameShape(QFrame::NoFrame);
        view->setSelectionMode(QAbstractItemView::ExtendedSelection);
        view->setDragEnabled(true);
        view->setAcceptDrops(true);
        view->setDropIndicatorShown(true);
        view->setDragDropMode(QAbstractItemView::DragDrop);
        view->setDefaultDropAction(Qt::MoveAction);
        view->setUniformItemSizes(true);
        view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        view->viewport()->setAutoFillBackground(false);
        view->viewport()->installEventFilter(this); // the first paint starts the deferred loading
        view->activated = [this](const QModelIndex &i) { openRoom(i.data(BoardColumnModel::RoomIdRole).toString()); };
        connect(view, &QListView::doubleClicked, this,
                [this](const QModelIndex &i) { openRoom(i.data(BoardColumnModel::RoomIdRole).toString()); });
        connect(view, &QListView::customContextMenuRequested, this,
                [this, view](const QPoint &pos) { showBoardMenu(view, pos); });
        connect(c.model, &BoardColumnModel::moveRequested, this, &DealRoomsPane::onMoveRequested);
        col->addWidget(view, 1);
        c.more = new QPushButton(tr("Show more"), c.frame);
        c.more->setAccessibleName(tr("Show more rooms in %1").arg(stage.name));
        c.more->setFlat(true);
        const QString stageId = stage.id;
        connect(c.more, &QPushButton::clicked, this, [this, stageId] {
            m_extraPerStage[stageId] += m_perStage;
            reloadBoard();
        });
        col->addWidget(c.more);
        m_columnRow->addWidget(c.frame);
        m_columns << c;
    }
    m_columnRow->addStretch(1);
}

void DealRoomsPane::loadViewers()
{
    const QSignalBlocker block(m_viewer);
    m_viewer->clear();
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.exec(QStringLiteral("SELECT p.id, p.name, p.role, o.name, o.kind, o.id FROM people p JOIN organizations o ON "
                          "o.id = p.organization_id ORDER BY o.kind = 'vendor' DESC, o.name COLLATE NOCASE, "
                          "p.name COLLATE NOCASE"));
    // The local owner of the workspace holds every row anyway (DealViewer::everyone()); used when no vendor admin
    // is among the people.
    m_viewer->addItem(tr("Workspace owner (all rooms)"), QString());
    int adminIndex = -1;
    while (q.next()) {
        const QString role = q.value(2).toString();
        const bool vendor = q.value(4).toString() == QLatin1String("vendor");
        const QString label = role.isEmpty()
                                  ? tr("%1 (%2)").arg(q.value(1).toString(), q.value(3).toString())
                                  : tr("%1 (%2, %3)").arg(q.value(1).toString(), q.value(3).toString(), role);
        m_viewer->addItem(label, q.value(0).toString());
        m_viewer->setItemData(m_viewer->count() - 1, q.value(5).toString(), Qt::UserRole + 1);
        if (adminIndex < 0 && vendor && role.contains(QLatin1String("admin"), Qt::CaseInsensitive))
            adminIndex = m_viewer->count() - 1;
    }
    m_viewer->setCurrentIndex(adminIndex >= 0 ? adminIndex : 0);
}

bool DealRoomsPane::setViewer(const QString &personId)
{
    const int i = m_viewer->findData(personId);
    if (i < 0)
        return false;
    m_viewer->setCurrentIndex(i);
    return true;
}

QString DealRoomsPane::viewerId() const
{
    return m_viewer->currentData().toString();
}

DealViewer DealRoomsPane::viewer() const
{
    const QString id = viewerId();
    if (id.isEmpty())
        return DealViewer::everyone();
    Result<DealViewer> v = m_rooms->viewerFor(id);
    // An unknown person sees nothing rather than everything.
    return v ? v.value() : DealViewer{id, false};
}

QString DealRoomsPane::stageName(const QString &stageId) const
{
    for (const DealStage &s : m_stages) {
        if (s.id == stageId)
            return s.name;
    }
    return stageId;
}

void DealRoomsPane::reload()
{
    m_stagesButton->setEnabled(viewer().seesAll);
    m_extraPerStage.clear();
    reloadBoard();
    // The other views load when they are shown, so opening the pane costs the board only.
    m_tableDirty = m_pagesDirty = true;
    loadCurrentView();
}

void DealRoomsPane::loadCurrentView()
{
    const View v = view();
    if (v == View::Table && m_tableDirty)
        reloadTable();
    if ((v == View::Registrations || v == View::Referrals) && m_pagesDirty) {
        m_pagesDirty = false;
        const QString org = m_viewer->currentData(Qt::UserRole + 1).toString();
        m_registrations->setViewer(org, viewer().seesAll);
        m_registrations->reload();
        m_referrals->setOrganization(org);
        m_referrals->reload();
    }
}

void DealRoomsPane::scheduleReload()
{
    // Drops arrive inside the target view's dropEvent: reset the models once it has returned.
    if (m_reloadPending)
        return;
    m_reloadPending = true;
    QTimer::singleShot(0, this, [this] {
        m_reloadPending = false;
        reloadBoard();
        m_tableDirty = m_pagesDirty = true;
        loadCurrentView();
        if (m_roomView->isVisible())
            m_roomView->refresh();
    });
}

void DealRoomsPane::reloadBoard()
{
    int maxPerStage = m_perStage;
    for (int extra : std::as_const(m_extraPerStage))
        maxPerStage = std::max(maxPerStage, m_perStage + extra);
    const DealViewer v = viewer();
    // What the first paint needs, and no more: each stage's cards, with participants and tasks for the top ones.
    // The counts and the rest of the details follow once the cards are on screen; on a cold file those reads
    // cost more than the board itself. Filters on participants or overdue tasks need every card's details.
    DealRoomRepository::BoardOptions options;
    options.perStage = maxPerStage;
    options.idleDays = kIdleDays;
    options.counts = !m_deferred;
    const bool detailFilters = m_partner->currentIndex() > 0 || m_overdueOnly->isChecked();
    options.detailsPerStage = detailFilters || !m_deferred ? -1 : kDetailsNow;
    Result<QList<BoardColumn>> board = m_rooms->board(v, options);
    if (!board) {
        showMessage(board.error(), true);
        return;
    }
    ++m_sumGeneration; // results of an older worker no longer apply
    m_sums.clear();
    m_sumsReady = false;
    m_countsReady = false;
    for (int i = 0; i < m_columns.size() && i < board.value().size(); ++i) {
        Column &c = m_columns[i];
        const BoardColumn &bc = board.value().at(i);
        const int limit = m_perStage + m_extraPerStage.value(bc.stage.id);
        c.allCards = bc.cards.mid(0, limit);
        c.roomCount = bc.roomCount;
    }
    m_countsReady = !m_deferred;
    updateHeaders();
    applyBoardFilter();
    if (m_stageEditor)
        m_stageEditor->refresh(); // its room counts
    m_waitingForPaint = m_deferredPending = true;
    m_afterPaint->start(); // in case the board is not on screen
    Q_EMIT boardLoaded();
}

bool DealRoomsPane::eventFilter(QObject *watched, QEvent *event)
{
    if (m_waitingForPaint && event->type() == QEvent::Paint) {
        m_waitingForPaint = false;
        // After this paint has returned, not inside it.
        QTimer::singleShot(0, this, &DealRoomsPane::afterBoardPainted);
    }
    return QWidget::eventFilter(watched, event);
}

void DealRoomsPane::afterBoardPainted()
{
    if (!m_deferredPending)
        return;
    m_afterPaint->stop();
    m_waitingForPaint = m_deferredPending = false;
    for (Column &c : m_columns) {
        if (std::all_of(c.allCards.cbegin(), c.allCards.cend(), [](const BoardCard &b) { return b.detailsLoaded; }))
            continue;
        if (Status s = m_rooms->fillCardDetails(c.allCards); !s) {
            showMessage(s.error(), true);
            break;
        }
        c.model->updateCards(c.allCards);
    }
    requestSums(viewer());
}

void DealRoomsPane::applyCounts(const QHash<QString, StageSum> &sums, bool complete)
{
    for (Column &c : m_columns)
        c.roomCount = sums.value(c.model->stage().id).rooms;
    m_countsReady = true;
    if (complete) {
        m_sums = sums;
        m_sumsReady = true;
    }
    updateHeaders();
    updateMoreButtons();
}

void DealRoomsPane::requestSums(const DealViewer &v)
{
    const quint64 generation = ++m_sumGeneration;
    QPointer<DealRoomsPane> self(this);
    QThread *worker = QThread::create([self, generation, v, path = m_workspace.path()] {
        stageSums(path, v, [&](const QHash<QString, StageSum> &sums, bool complete) {
            QMetaObject::invokeMethod(
                qApp,
                [self, generation, sums, complete] {
                    if (self && generation == self->m_sumGeneration)
                        self->applyCounts(sums, complete);
                },
                Qt::QueuedConnection);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_sumWorkers.removeAll(QPointer<QThread>());
    m_sumWorkers << worker;
    worker->start(QThread::LowPriority);
}

void DealRoomsPane::updateHeaders()
{
    for (Column &c : m_columns) {
        const DealStage &stage = c.model->stage();
        const int rooms = int(std::clamp<qint64>(c.roomCount, 0, INT_MAX));
        const QString roomsText = c.roomCount < 0 ? tr("counting…") : tr("%n room(s)", nullptr, rooms);
        const StageSum sum = m_sums.value(stage.id);
        // One figure per currency, largest first: the largest in the header, all of them in the tooltip.
        QList<std::pair<qint64, QString>> parts;
        for (auto it = sum.byCurrency.cbegin(); it != sum.byCurrency.cend(); ++it)
            parts << std::pair{it.value(), it.key()};
        std::sort(parts.begin(), parts.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        QStringList money;
        for (const auto &[minor, currency] : parts)
            money << formatMoney(minor, currency, true);
        QString moneyLine = money.value(0);
        if (money.size() > 1)
            moneyLine += QLatin1Char(' ') + tr("+%n other currency(s)", nullptr, int(money.size() - 1));
        if (!m_sumsReady)
            moneyLine = tr("summing…");
        else if (moneyLine.isEmpty())
            moneyLine = tr("no amount");
        c.header->setText(QStringLiteral("<b>%1</b> <span>%2</span><br><small>%3</small>")
                              .arg(stage.name.toHtmlEscaped(), roomsText, moneyLine.toHtmlEscaped()));
        c.header->setToolTip(money.join(QLatin1Char('\n')));
        c.header->setAccessibleName(
            tr("%1: %n room(s), %2", nullptr, rooms).arg(stage.name, money.join(QStringLiteral(", "))));
    }
}

void DealRoomsPane::applyBoardFilter()
{
    const QString search = m_search->text().trimmed();
    const QString partner = m_partner->currentIndex() > 0 ? m_partner->currentText() : QString();
    const QString stage = m_stage->currentData().toString();
    const bool overdue = m_overdueOnly->isChecked();
    const bool idle = m_idleOnly->isChecked();
    // Participants and overdue counts are loaded for every card when those filters are on (reloadBoard).
    if ((!partner.isEmpty() || overdue) && std::any_of(m_columns.cbegin(), m_columns.cend(), [](const Column &c) {
            return std::any_of(c.allCards.cbegin(), c.allCards.cend(),
                               [](const BoardCard &b) { return !b.detailsLoaded; });
        })) {
        reloadBoard();
        return;
    }
    for (Column &c : m_columns) {
        c.frame->setVisible(stage.isEmpty() || c.model->stage().id == stage);
        QList<BoardCard> shown;
        for (const BoardCard &card : std::as_const(c.allCards)) {
            if (!search.isEmpty() && !card.name.contains(search, Qt::CaseInsensitive) &&
                !card.accountName.contains(search, Qt::CaseInsensitive))
                continue;
            if (!partner.isEmpty() && !card.participants.contains(partner))
                continue;
            if (overdue && card.overdueTasks == 0)
                continue;
            if (idle && !card.idle)
                continue;
            shown << card;
        }
        c.model->setCards(shown);
    }
    updateMoreButtons();
}

void DealRoomsPane::updateMoreButtons()
{
    const bool filtered = !m_search->text().trimmed().isEmpty() || m_partner->currentIndex() > 0 ||
                          m_overdueOnly->isChecked() || m_idleOnly->isChecked();
    // Until the counts arrive, a full page of cards may have more behind it.
    bool any = false;
    for (Column &c : m_columns) {
        const qsizetype limit = m_perStage + m_extraPerStage.value(c.model->stage().id);
        any = any || !c.allCards.isEmpty() || c.roomCount > 0;
        const bool more = c.roomCount < 0 ? c.allCards.size() >= limit : c.allCards.size() < c.roomCount;
        c.more->setVisible(more);
        if (filtered)
            c.more->setText(tr("Load more (filters apply to loaded cards)"));
        else if (c.roomCount < 0)
            c.more->setText(tr("Show more"));
        else
            c.more->setText(
                tr("Show more (%1 of %2)").arg(QLocale().toString(c.allCards.size()), QLocale().toString(c.roomCount)));
    }
    // Every stage with rooms has at least one card loaded, so no cards means no rooms, counted or not.
    if (!any) {
        const DealViewer v = viewer();
        m_boardEmpty->setTitle(v.seesAll ? tr("No deal rooms yet") : tr("Nothing visible to this person"));
        m_boardEmpty->setText(v.seesAll ? tr("Rooms appear when a registration is approved or a referral converted.")
                                        : tr("%1 takes part in no deal room.").arg(m_viewer->currentText()));
        m_boardEmpty->setFootnote(v.seesAll ? QString()
                                            : tr("Only people of a room's participating organizations see it. "
                                                 "Choose another person under “Viewing as”."));
        m_boardStack->setCurrentWidget(m_boardEmpty);
    } else {
        m_boardStack->setCurrentIndex(0);
    }
}

void DealRoomsPane::reloadTable()
{
    m_tableDirty = false;
    DealTableModel::Filter f;
    f.search = m_search->text();
    f.stageId = m_stage->currentData().toString();
    f.participantId = m_partner->currentData().toString();
    f.overdueOnly = m_overdueOnly->isChecked();
    f.idleOnly = m_idleOnly->isChecked();
    f.idleDays = kIdleDays;
    m_tableModel->setViewer(viewer());
    m_tableModel->setFilter(f);
    m_tableModel->reload();
    m_tableCount->setText(tr("%n room(s)", nullptr, int(std::min<qint64>(m_tableModel->totalCount(), INT_MAX))));
}

void DealRoomsPane::setView(View view)
{
    if (QAbstractButton *b = m_viewButtons->button(int(view)))
        b->setChecked(true);
    showMessage(QString(), false);
    // The room filters apply to the board and the table only; the other pages have filters of their own, so
    // greyed-out room filters above them would only confuse.
    const bool rooms = view == View::Board || view == View::Table;
    for (QWidget *w :
         {static_cast<QWidget *>(m_search), static_cast<QWidget *>(m_partner), static_cast<QWidget *>(m_stage),
          static_cast<QWidget *>(m_overdueOnly), static_cast<QWidget *>(m_idleOnly)})
        w->setVisible(rooms);
    switch (view) {
    case View::Board:
        m_stack->setCurrentWidget(m_boardStack);
        break;
    case View::Table:
        m_stack->setCurrentWidget(m_tablePage);
        break;
    case View::Registrations:
        m_stack->setCurrentWidget(m_registrations);
        break;
    case View::Referrals:
        m_stack->setCurrentWidget(m_referrals);
        break;
    }
    loadCurrentView();
}

DealRoomsPane::View DealRoomsPane::view() const
{
    return View(m_viewButtons->checkedId());
}

BoardColumnModel *DealRoomsPane::columnModel(const QString &stageId) const
{
    for (const Column &c : m_columns) {
        if (c.model->stage().id == stageId)
            return c.model;
    }
    return nullptr;
}

QListView *DealRoomsPane::columnView(const QString &stageId) const
{
    for (const Column &c : m_columns) {
        if (c.model->stage().id == stageId)
            return c.view;
    }
    return nullptr;
}

void DealRoomsPane::showBoardMenu(QListView *view, const QPoint &pos)
{
    // The keyboard's menu key gives no useful position: fall back to the current card.
    QModelIndex index = view->indexAt(pos);
    if (!index.isValid())
        index = view->currentIndex();
    if (!index.isValid())
        return;
    const QString roomId = index.data(BoardColumnModel::RoomIdRole).toString();
    const QString current = index.data(BoardColumnModel::StageRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Open room"), this, [this, roomId] { openRoom(roomId); });
    QMenu *move = menu.addMenu(tr("Move to stage"));
    for (const DealStage &s : std::as_const(m_stages)) {
        QAction *a = move->addAction(s.name, this, [this, roomId, id = s.id] { moveRoom(roomId, id); });
        a->setEnabled(s.id != current);
    }
    menu.exec(view->viewport()->mapToGlobal(pos));
}

void DealRoomsPane::onMoveRequested(const QStringList &roomIds, const QString &, const QString &toStage)
{
    if (roomIds.size() > 1)
        m_undo->beginMacro(tr("Move %n room(s) to %1", nullptr, int(roomIds.size())).arg(stageName(toStage)));
    for (const QString &id : roomIds)
        moveRoom(id, toStage);
    if (roomIds.size() > 1)
        m_undo->endMacro();
}

void DealRoomsPane::moveRoom(const QString &roomId, const QString &toStage)
{
    Result<DealRoom> room = m_rooms->find(roomId);
    if (!room) {
        showMessage(room.error(), true);
        return;
    }
    if (room.value().stage == toStage)
        return;
    const QString from = room.value().stage;
    auto *cmd = new MoveStageCommand(*m_rooms, roomId, room.value().name, from, toStage, stageName(from),
                                     stageName(toStage), viewerId(), [this](const QString &error) {
                                         if (!error.isEmpty())
                                             showMessage(error, true);
                                         scheduleReload();
                                     });
    m_undo->push(cmd);
    showMessage(cmd->text(), false);
}

StageEditorDialog *DealRoomsPane::openStageEditor()
{
    if (!viewer().seesAll) {
        showMessage(tr("Only vendor admins edit the pipeline."), true);
        return nullptr;
    }
    if (!m_stageEditor) {
        m_stageEditor = new StageEditorDialog(*m_rooms, viewerId(), this);
        m_stageEditor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_stageEditor, &StageEditorDialog::pipelineChanged, this, &DealRoomsPane::reloadStages);
    }
    m_stageEditor->show();
    m_stageEditor->raise();
    m_stageEditor->activateWindow();
    return m_stageEditor;
}

void DealRoomsPane::reloadStages()
{
    Result<QList<DealStage>> stages = m_rooms->stages();
    if (!stages) {
        showMessage(stages.error(), true);
        return;
    }
    m_stages = stages.value();
    // The stage filter keeps its choice while that stage exists.
    const QString chosen = m_stage->currentData().toString();
    {
        const QSignalBlocker block(m_stage);
        m_stage->clear();
        m_stage->addItem(tr("All stages"), QString());
        for (const DealStage &s : std::as_const(m_stages))
            m_stage->addItem(s.name, s.id);
        m_stage->setCurrentIndex(std::max(0, m_stage->findData(chosen)));
    }
    m_extraPerStage.clear();
    buildColumns();
    m_roomView->setStages(m_stages);
    reloadBoard();
    m_tableDirty = true;
    loadCurrentView();
}

void DealRoomsPane::openRoom(const QString &roomId)
{
    if (roomId.isEmpty())
        return;
    // The same access rule as the lists: a room the viewer may not read does not open.
    if (!m_rooms->canRead(roomId, viewer())) {
        showMessage(tr("%1 cannot see this room.").arg(m_viewer->currentText()), true);
        return;
    }
    m_roomView->setRoom(roomId, viewerId());
    m_roomView->show();
    if (m_split->sizes().value(1) == 0)
        m_split->setSizes({m_split->width() * 3 / 5, m_split->width() * 2 / 5});
}

void DealRoomsPane::closeRoom()
{
    if (m_roomView)
        m_roomView->hide();
}

void DealRoomsPane::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("color: #d32f2f;") : QString());
    m_message->setVisible(!text.isEmpty());
}

QString DealRoomsPane::lastMessage() const
{
    return m_message->text();
}

} // namespace ecotone::ui
