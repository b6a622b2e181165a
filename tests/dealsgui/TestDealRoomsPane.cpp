// The Deal Rooms pane on a small demo, standalone in a window: drag a card across stages (through the column
// model's mimeData/dropMimeData, what a view's drag and drop calls), undo and redo it, access per person in board and
// table, the item models under QAbstractItemModelTester, and screenshots of every view in light and dark themes under
// $ECOTONE_TEST_OUTPUT/screenshots.
#include "TestSupport.h"
#include "common/EmptyState.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "deals/BoardColumnModel.h"
#include "deals/DealPages.h"
#include "deals/DealRoomRepository.h"
#include "deals/DealRoomsPane.h"
#include "deals/DealTableModel.h"
#include "deals/RoomView.h"
#include "deals/StageEditorDialog.h"
#include "demo/DemoDeals.h"
#include "demo/DemoEcosystem.h"
#include "store/Workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDrag>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace ecotone;
using namespace ecotone::ui;

class TestDealRoomsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void boardShowsColumns();
    void dropMovesStageAndUndoes();
    void mouseDragAcrossStagesAndCtrlZ();
    void keyboardMoveAndShowMore();
    void accessPerPerson();
    void emptyStateForPersonWithoutRooms();
    void tableSortsAndFilters();
    void roomView();
    void registrations();
    void referrals();
    void registrationFilters();
    void referralFilters();
    void reopenTaskInRoomView();
    void stageEditor();
    void screenshots();
    void cleanupTestCase();

private:
    void shoot(const QString &name);
    QString firstRoomIn(const QString &stageId);
    QString stageOf(const QString &roomId);
    QString outsiderFor(const QString &roomId);
    QString firstWithStatus(const QString &table, const QString &status, const QString &extra = {});
    qint64 count(const QString &sql, const QVariantList &binds = {});

    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QUndoStack m_undo;
    std::unique_ptr<QWidget> m_window;
    DealRoomsPane *m_pane = nullptr;
    QString m_shots;
};

void TestDealRoomsPane::initTestCase()
{
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    const QString path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 30;
    options.accounts = 600;
    auto demo = createDemoWorkspace(path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
    const Status deals = addDemoDeals(*m_ws, 7, 160, 6);
    QVERIFY2(deals.ok(), qPrintable(deals.error()));
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    m_window = std::make_unique<QWidget>();
    auto *layout = new QVBoxLayout(m_window.get());
    layout->setContentsMargins(0, 0, 0, 0);
    m_pane = new DealRoomsPane(*m_ws, &m_undo, m_window.get());
    layout->addWidget(m_pane);
    m_window->resize(1500, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestDealRoomsPane::cleanupTestCase()
{
    m_window.reset();
    m_ws.reset();
}

void TestDealRoomsPane::shoot(const QString &name)
{
    QTRY_VERIFY(m_pane->sumsReady()); // the column sums come from a worker thread
    QApplication::processEvents();
    const QString file = QDir(m_shots).filePath(QStringLiteral("dealrooms-") + name + QStringLiteral(".png"));
    QVERIFY2(m_window->grab().save(file), qPrintable(file));
}

QString TestDealRoomsPane::firstRoomIn(const QString &stageId)
{
    BoardColumnModel *m = m_pane->columnModel(stageId);
    return m && m->rowCount() > 0 ? m->index(0).data(BoardColumnModel::RoomIdRole).toString() : QString();
}

QString TestDealRoomsPane::stageOf(const QString &roomId)
{
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT stage FROM deal_rooms WHERE id = ?"));
    q.addBindValue(roomId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

// A person of an organization that takes no part in the room.
QString TestDealRoomsPane::outsiderFor(const QString &roomId)
{
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT p.id FROM people p JOIN organizations o ON o.id = p.organization_id "
                             "WHERE o.kind = 'partner' AND p.id NOT IN (SELECT person_id FROM deal_room_people "
                             "WHERE room_id = ?) AND EXISTS (SELECT 1 FROM deal_room_people x WHERE x.person_id = "
                             "p.id) ORDER BY p.id LIMIT 1"));
    q.addBindValue(roomId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QString TestDealRoomsPane::firstWithStatus(const QString &table, const QString &status, const QString &extra)
{
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT id FROM ") + table + QStringLiteral(" WHERE status = ?") + extra +
              QStringLiteral(" ORDER BY id LIMIT 1"));
    q.addBindValue(status);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

qint64 TestDealRoomsPane::count(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_ws->db());
    q.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

void TestDealRoomsPane::boardShowsColumns()
{
    Result<QList<DealStage>> stages = DealRoomRepository(*m_ws).stages();
    QVERIFY(stages.ok());
    QCOMPARE(stages.value().size(), 8);
    int cards = 0;
    for (const DealStage &s : stages.value()) {
        BoardColumnModel *m = m_pane->columnModel(s.id);
        QVERIFY(m);
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        cards += m->rowCount();
        QVERIFY(!m_pane->columnView(s.id)->accessibleName().isEmpty());
    }
    QVERIFY(cards > 0);

    // The table is read when first shown, not while the pane is built (its sort indicator used to load it).
    QCOMPARE(m_pane->tableModel()->rowCount(), 0);
    // After the first paint: counts from the worker, and participants for every loaded card, not only the top ones.
    QTRY_VERIFY(m_pane->countsReady());
    BoardColumnModel *prospect = m_pane->columnModel(QStringLiteral("prospect"));
    QVERIFY(prospect->rowCount() > 10);
    QTRY_VERIFY(std::all_of(prospect->cards().cbegin(), prospect->cards().cend(),
                            [](const BoardCard &c) { return c.detailsLoaded && c.participantCount > 0; }));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM deal_rooms WHERE stage = 'prospect'")),
             qint64(prospect->rowCount()));
}

void TestDealRoomsPane::dropMovesStageAndUndoes()
{
    const QString room = firstRoomIn(QStringLiteral("qualified"));
    QVERIFY(!room.isEmpty());
    BoardColumnModel *from = m_pane->columnModel(QStringLiteral("qualified"));
    BoardColumnModel *to = m_pane->columnModel(QStringLiteral("committed"));
    QAbstractItemModelTester fromTester(from, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester toTester(to, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex card = from->indexOfRoom(room);
    std::unique_ptr<QMimeData> mime(from->mimeData({card}));
    QVERIFY(mime);
    // Dropping on its own column is refused.
    QVERIFY(!from->canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, {}));
    QVERIFY(to->canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, {}));
    const int undoBefore = m_undo.count();
    to->dropMimeData(mime.get(), Qt::MoveAction, -1, 0, {});
    QCOMPARE(stageOf(room), QStringLiteral("committed"));
    QCOMPARE(m_undo.count(), undoBefore + 1);
    QTRY_VERIFY(to->indexOfRoom(room).isValid());
    QVERIFY(!from->indexOfRoom(room).isValid());

    // The move is in the timeline as a stage_change event.
    Result<QList<RoomEvent>> events = DealRoomRepository(*m_ws).events(room, 5);
    QVERIFY(events.ok());
    QVERIFY(!events.value().isEmpty());
    const RoomEvent &e = events.value().first();
    QCOMPARE(e.kind, EventKind::StageChange);
    const QJsonObject detail = QJsonDocument::fromJson(e.detail.toUtf8()).object();
    QCOMPARE(detail.value(QStringLiteral("from")).toString(), QStringLiteral("qualified"));
    QCOMPARE(detail.value(QStringLiteral("to")).toString(), QStringLiteral("committed"));

    m_undo.undo();
    QCOMPARE(stageOf(room), QStringLiteral("qualified"));
    QTRY_VERIFY(from->indexOfRoom(room).isValid());
    QVERIFY(!to->indexOfRoom(room).isValid());
    events = DealRoomRepository(*m_ws).events(room, 5);
    QCOMPARE(events.value().first().kind, EventKind::StageChange);
    QCOMPARE(
        QJsonDocument::fromJson(events.value().first().detail.toUtf8()).object().value(QStringLiteral("to")).toString(),
        QStringLiteral("qualified"));

    m_undo.redo();
    QCOMPARE(stageOf(room), QStringLiteral("committed"));
    QTRY_VERIFY(to->indexOfRoom(room).isValid());
    m_undo.undo();
    QCOMPARE(stageOf(room), QStringLiteral("qualified"));
    QTRY_VERIFY(from->indexOfRoom(room).isValid());
}

namespace {
// The QDrag a view creates when a drag starts (QAbstractItemView::startDrag makes it a child of the view, and
// QDragManager deletes it later, after exec has returned).
QDrag *dragOf(QWidget *view)
{
    return view->findChild<QDrag *>(QString(), Qt::FindDirectChildrenOnly);
}

std::unique_ptr<QMimeData> copyOf(const QMimeData *from)
{
    auto to = std::make_unique<QMimeData>();
    if (from) {
        for (const QString &format : from->formats())
            to->setData(format, from->data(format));
    }
    return to;
}
} // namespace

// A real mouse drag of a card from Qualified to Committed, then Ctrl+Z on the window's Undo action (as the main
// window's Edit menu has it). The press and the moves are real mouse events on the source column's viewport: the view
// selects the card, enters its dragging state and calls QDrag::exec with its own mime data. What happens next depends
// on the platform: with a platform drag (xcb, QSimpleDrag) exec runs a nested event loop, and the timer scheduled
// before the move drives the mouse over the target column and releases it there. The offscreen platform's
// QOffscreenDrag::drag() returns Qt::IgnoreAction at once, without a loop and without sending any drag event, so the
// test then delivers what a platform drag would: QDragEnter, QDragMove and QDrop events with the QDrag's mime data to
// the top-level QWindow at the target's position, which QWidgetWindow routes to the widget under it, exactly like
// QGuiApplicationPrivate::processDrag/processDrop do.
void TestDealRoomsPane::mouseDragAcrossStagesAndCtrlZ()
{
    m_pane->closeRoom();
    m_pane->setView(DealRoomsPane::View::Board);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QAction *undoAction = m_undo.createUndoAction(m_window.get(), QStringLiteral("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    m_window->addAction(undoAction);

    const QString from = QStringLiteral("qualified");
    const QString to = QStringLiteral("committed");
    const QString room = firstRoomIn(from);
    QVERIFY(!room.isEmpty());
    QListView *source = m_pane->columnView(from);
    QListView *target = m_pane->columnView(to);
    QTRY_VERIFY(source->isVisible() && target->isVisible());
    const QRect card = source->visualRect(m_pane->columnModel(from)->indexOfRoom(room));
    QVERIFY(card.isValid() && source->viewport()->rect().contains(card.center()));
    const QPoint press = card.center();
    const QPoint dropAt = target->viewport()->rect().center();
    const int undoBefore = m_undo.index();

    QVERIFY(!dragOf(source));
    bool moveReturned = false;
    bool nestedLoop = false;
    // Runs inside QDrag::exec when the platform has a drag loop; otherwise after the move has returned.
    QTimer::singleShot(0, this, [&] {
        if (moveReturned || !dragOf(source))
            return;
        nestedLoop = true;
        QTest::mouseMove(target->viewport(), dropAt);
        QTest::mouseRelease(target->viewport(), Qt::LeftButton, {}, dropAt);
    });
    QTest::mousePress(source->viewport(), Qt::LeftButton, {}, press);
    QVERIFY(source->selectionModel()->isSelected(m_pane->columnModel(from)->indexOfRoom(room)));
    QTest::mouseMove(source->viewport(), press + QPoint(0, 2)); // the view enters its dragging state
    QTest::mouseMove(source->viewport(), press + QPoint(0, QApplication::startDragDistance() + 12));
    moveReturned = true;
    QDrag *drag = dragOf(source);
    QVERIFY2(drag || nestedLoop, "the mouse move did not start a drag");
    const std::unique_ptr<QMimeData> mime = copyOf(drag ? drag->mimeData() : nullptr);
    qInfo("drag: %s", nestedLoop ? "platform drag loop, dropped by mouse release"
                                 : "no platform drag loop (returned at once), drop events sent to the window");
    if (!nestedLoop) {
        // The view's own mime data, built from the card the press selected.
        QVERIFY(mime->hasFormat(BoardColumnModel::mimeType()));
        QVERIFY(QString::fromUtf8(mime->data(BoardColumnModel::mimeType())).startsWith(room));
        // No platform drag ran (offscreen): nothing moved yet.
        QCOMPARE(stageOf(room), from);
        QWindow *window = m_window->windowHandle();
        QVERIFY(window);
        const QPointF at = target->viewport()->mapTo(m_window.get(), dropAt);
        QDragEnterEvent enter(at.toPoint(), Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &enter);
        QVERIFY2(enter.isAccepted(), "the target column refused the drag");
        QDragMoveEvent move(at.toPoint(), Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &move);
        QVERIFY(move.isAccepted());
        QCOMPARE(move.dropAction(), Qt::MoveAction);
        QDropEvent drop(at, Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &drop);
        QTest::mouseRelease(target->viewport(), Qt::LeftButton, {}, dropAt);
    }
    QCOMPARE(stageOf(room), to);
    QCOMPARE(m_undo.index(), undoBefore + 1);
    QTRY_VERIFY(m_pane->columnModel(to)->indexOfRoom(room).isValid());
    QVERIFY(!m_pane->columnModel(from)->indexOfRoom(room).isValid());
    shoot(QStringLiteral("board-after-drag"));
    m_pane->openRoom(room);
    QVERIFY(m_pane->roomView()->isVisible());
    QVERIFY(m_pane->roomView()->timeline()->item(0)->text().contains(QStringLiteral("Committed")));
    shoot(QStringLiteral("room-after-drag"));
    m_pane->closeRoom();

    // Ctrl+Z reaches the window's Undo action through the shortcut map.
    target->setFocus();
    QTRY_VERIFY(target->hasFocus());
    QTest::keyClick(target, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(stageOf(room), from);
    QTRY_VERIFY(m_pane->columnModel(from)->indexOfRoom(room).isValid());
    QVERIFY(!m_pane->columnModel(to)->indexOfRoom(room).isValid());
    shoot(QStringLiteral("board-after-undo"));
    m_window->removeAction(undoAction);
    delete undoAction;
}

void TestDealRoomsPane::keyboardMoveAndShowMore()
{
    // Ctrl+Shift+Right moves the current card one stage on, as an undoable command.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    const QString room = firstRoomIn(QStringLiteral("qualified"));
    QListView *view = m_pane->columnView(QStringLiteral("qualified"));
    view->setFocus();
    view->setCurrentIndex(m_pane->columnModel(QStringLiteral("qualified"))->indexOfRoom(room));
    QTRY_VERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(stageOf(room), QStringLiteral("technical_validation"));
    m_undo.undo();
    QCOMPARE(stageOf(room), QStringLiteral("qualified"));
    QTRY_VERIFY(m_pane->columnModel(QStringLiteral("qualified"))->indexOfRoom(room).isValid());

    // A small page per stage, then "Show more" on one column.
    m_pane->setCardsPerStage(5);
    m_pane->reload();
    BoardColumnModel *prospect = m_pane->columnModel(QStringLiteral("prospect"));
    QCOMPARE(prospect->rowCount(), 5);
    QPushButton *more = nullptr;
    for (QPushButton *b : m_pane->findChildren<QPushButton *>()) {
        if (b->accessibleName().contains(QStringLiteral("Prospect")))
            more = b;
    }
    QVERIFY(more && more->isVisible());
    more->click();
    QCOMPARE(prospect->rowCount(), 10);
    QCOMPARE(m_pane->columnModel(QStringLiteral("qualified"))->rowCount(), 5);
    m_pane->setCardsPerStage(50);
    m_pane->reload();
}

void TestDealRoomsPane::emptyStateForPersonWithoutRooms()
{
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT p.id FROM people p JOIN organizations o ON o.id = p.organization_id WHERE "
                                  "o.kind = 'partner' AND NOT EXISTS (SELECT 1 FROM deal_room_people v WHERE "
                                  "v.person_id = p.id) ORDER BY p.id LIMIT 1")));
    // The seeded demo has such a person; if a generator change removes it, this test must say so, not pass.
    QVERIFY2(q.next(), "the demo has no partner person outside every room");
    const QString admin = m_pane->viewerId();
    QVERIFY(m_pane->setViewer(q.value(0).toString()));
    m_pane->setView(DealRoomsPane::View::Board);
    auto *empty = m_pane->findChild<EmptyState *>();
    QVERIFY(empty && empty->isVisible());
    for (BoardColumnModel *m : m_pane->findChildren<BoardColumnModel *>())
        QCOMPARE(m->rowCount(), 0);
    shoot(QStringLiteral("board-nothing-visible"));
    QVERIFY(m_pane->setViewer(admin));
    QVERIFY(!empty->isVisible());
}

void TestDealRoomsPane::accessPerPerson()
{
    const QString room = firstRoomIn(QStringLiteral("prospect"));
    QVERIFY(!room.isEmpty());
    const QString outsider = outsiderFor(room);
    QVERIFY(!outsider.isEmpty());
    // The demo has no vendor admin, so the pane starts as the workspace owner, who sees every room.
    const QString admin = m_pane->viewerId();
    QVERIFY(admin.isEmpty());

    QVERIFY(m_pane->setViewer(outsider));
    for (BoardColumnModel *m : m_pane->findChildren<BoardColumnModel *>())
        QVERIFY2(!m->indexOfRoom(room).isValid(), qPrintable(m->stage().id));
    m_pane->setView(DealRoomsPane::View::Table);
    DealTableModel *table = m_pane->tableModel();
    QAbstractItemModelTester tester(table, QAbstractItemModelTester::FailureReportingMode::QtTest);
    while (table->canFetchMore({}))
        table->fetchMore({});
    QVERIFY(table->rowCount() > 0); // they see their own rooms
    for (int r = 0; r < table->rowCount(); ++r) {
        QVERIFY(table->roomIdAt(r) != room);
        QVERIFY(DealRoomRepository(*m_ws).canRead(table->roomIdAt(r), outsider));
    }
    shoot(QStringLiteral("table-partner-person"));
    m_pane->setView(DealRoomsPane::View::Board);
    shoot(QStringLiteral("board-partner-person"));

    QVERIFY(m_pane->setViewer(admin));
    m_pane->setView(DealRoomsPane::View::Board);
    QVERIFY(m_pane->columnModel(QStringLiteral("prospect"))->indexOfRoom(room).isValid());
}

void TestDealRoomsPane::tableSortsAndFilters()
{
    m_pane->setView(DealRoomsPane::View::Table);
    DealTableModel *table = m_pane->tableModel();
    QAbstractItemModelTester tester(table, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(table->totalCount(), 160);
    QSignalSpy reset(table, &QAbstractItemModel::modelReset);
    m_pane->tableView()->sortByColumn(DealTableModel::Amount, Qt::DescendingOrder);
    QVERIFY(reset.count() >= 1);
    while (table->canFetchMore({}))
        table->fetchMore({});
    QCOMPARE(table->rowCount(), 160);
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM deal_rooms ORDER BY amount_minor DESC, id DESC LIMIT 1")));
    QVERIFY(q.next());
    QCOMPARE(table->index(0, 0).data(DealTableModel::RoomIdRole).toString(), q.value(0).toString());
    QVERIFY(!table->headerData(DealTableModel::OpenTasks, Qt::Horizontal).toString().isEmpty());

    // Stage filter through the model's filter (the toolbar's combo sets the same).
    DealTableModel::Filter f;
    f.stageId = QStringLiteral("committed");
    table->setFilter(f);
    table->reload();
    QSqlQuery c(m_ws->db());
    QVERIFY(c.exec(QStringLiteral("SELECT count(*) FROM deal_rooms WHERE stage = 'committed'")));
    QVERIFY(c.next());
    QCOMPARE(table->totalCount(), c.value(0).toLongLong());
    for (int r = 0; r < table->rowCount(); ++r)
        QCOMPARE(table->index(r, DealTableModel::Stage).data().toString(), QStringLiteral("Committed"));
    m_pane->reload();
    m_pane->setView(DealRoomsPane::View::Board);
}

void TestDealRoomsPane::roomView()
{
    const QString room = firstRoomIn(QStringLiteral("technical_validation"));
    QVERIFY(!room.isEmpty());
    m_pane->openRoom(room);
    RoomView *view = m_pane->roomView();
    QVERIFY(view->isVisible());
    QCOMPARE(view->roomId(), room);
    const int before = view->timeline()->count();
    QVERIFY(before > 0);

    // A note lands on top of the timeline (newest first).
    QVERIFY(view->addNote(EventKind::Call, QStringLiteral("Pricing call with procurement")).ok());
    QCOMPARE(view->timeline()->count(), before + 1);
    QVERIFY(view->timeline()->item(0)->text().startsWith(QStringLiteral("Pricing call with procurement")));

    // A task due yesterday is overdue: red.
    Result<QStringList> people = DealRoomRepository(*m_ws).people(room);
    QVERIFY(people.ok() && !people.value().isEmpty());
    QVERIFY(view->addTask(QStringLiteral("Review the joint SOW draft"), people.value().first(),
                          QDate::currentDate().addDays(-1))
                .ok());
    QTreeWidgetItem *late = nullptr;
    for (int i = 0; i < view->taskTree()->topLevelItemCount(); ++i) {
        if (view->taskTree()->topLevelItem(i)->text(0) == QStringLiteral("Review the joint SOW draft"))
            late = view->taskTree()->topLevelItem(i);
    }
    QVERIFY(late);
    QCOMPARE(late->foreground(0).color(), QColor(0xd3, 0x2f, 0x2f));

    // Documents: over the limit is refused with the size and the limit in the message; a small one is listed.
    const QString big = m_dir.file(QStringLiteral("too-big.bin"));
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(deals::kMaxDocumentBytes + 1));
    }
    const Status refused = view->attach(big);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("too-big.bin")) && refused.error().contains(QStringLiteral("25")),
             qPrintable(refused.error()));
    const QString small = m_dir.file(QStringLiteral("proposal.txt"));
    {
        QFile f(small);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Joint proposal v1\n");
    }
    QVERIFY(view->attach(small).ok());
    QCOMPARE(DealRoomRepository(*m_ws).documents(room).value().size(), 1);

    // Export: CSV with participants, tasks and timeline; a PDF; a clear error for an unwritable path.
    const QString csv = m_dir.file(QStringLiteral("room.csv"));
    QVERIFY(view->exportCsv(csv).ok());
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(csvFile.readAll());
    QVERIFY(text.contains(DealRoomRepository(*m_ws).find(room).value().name));
    QVERIFY(text.contains(QStringLiteral("Review the joint SOW draft")));
    QVERIFY(text.contains(QStringLiteral("Pricing call with procurement")));
    QVERIFY(text.contains(DealRoomRepository(*m_ws).participants(room).value().first().organizationName));
    const QString pdf = m_dir.file(QStringLiteral("room.pdf"));
    QVERIFY(view->exportPdf(pdf).ok());
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    const Status bad = view->exportCsv(QStringLiteral("/nonexistent-dir/room.csv"));
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().contains(QStringLiteral("/nonexistent-dir/room.csv")));
    QVERIFY(!view->exportPdf(QStringLiteral("/nonexistent-dir/room.pdf")).ok());

    // A stage change from the room view is undoable like a drag.
    Q_EMIT view->stageChangeRequested(room, QStringLiteral("business_validation"));
    QCOMPARE(stageOf(room), QStringLiteral("business_validation"));
    m_undo.undo();
    QCOMPARE(stageOf(room), QStringLiteral("technical_validation"));
    QTRY_VERIFY(view->timeline()->item(0)->text().contains(QStringLiteral("Stage")));

    view->tabs()->setCurrentIndex(0);
    shoot(QStringLiteral("room-light"));
    view->tabs()->setCurrentIndex(1);
    shoot(QStringLiteral("room-tasks-light"));
    theme::apply(QStringLiteral("dark"));
    view->tabs()->setCurrentIndex(0);
    shoot(QStringLiteral("room-dark"));
    theme::apply(QStringLiteral("light"));

    // A person outside the room cannot open it.
    const QString outsider = outsiderFor(room);
    const QString admin = m_pane->viewerId();
    QVERIFY(m_pane->setViewer(outsider));
    QVERIFY(!view->isVisible());
    m_pane->openRoom(room);
    QVERIFY(!view->isVisible());
    QVERIFY(m_pane->setViewer(admin));
}

void TestDealRoomsPane::registrations()
{
    m_pane->setView(DealRoomsPane::View::Registrations);
    RegistrationsPage *page = m_pane->registrationsPage();
    using A = RegistrationsPage::Action;
    const QString submitted = firstWithStatus(QStringLiteral("deal_registrations"), QStringLiteral("submitted"));
    QVERIFY(!submitted.isEmpty());
    QVERIFY(page->select(submitted));
    QVERIFY(page->button(A::Review)->isEnabled());
    QVERIFY(!page->button(A::Approve)->isEnabled());
    QVERIFY(!page->button(A::Reject)->isEnabled());
    QVERIFY(!page->button(A::Extend)->isEnabled());
    QVERIFY(!page->run(A::Approve).ok()); // refused, nothing written
    QCOMPARE(firstWithStatus(QStringLiteral("deal_registrations"), QStringLiteral("submitted"),
                             QStringLiteral(" AND id = '") + submitted + QLatin1Char('\'')),
             submitted);
    QVERIFY(page->run(A::Review).ok());
    QVERIFY(page->select(submitted));
    QVERIFY(page->button(A::Approve)->isEnabled());
    QVERIFY(page->button(A::Reject)->isEnabled());
    QVERIFY(page->button(A::Return)->isEnabled());
    QVERIFY(!page->button(A::Review)->isEnabled());

    const QString approved = firstWithStatus(QStringLiteral("deal_registrations"), QStringLiteral("approved"));
    QVERIFY(!approved.isEmpty());
    QVERIFY(page->select(approved));
    QVERIFY(page->button(A::Extend)->isEnabled());
    QVERIFY(!page->button(A::Reject)->isEnabled());
    QVERIFY(!page->button(A::Approve)->isEnabled());
    const QString rejected = firstWithStatus(QStringLiteral("deal_registrations"), QStringLiteral("rejected"));
    QVERIFY(!rejected.isEmpty());
    QVERIFY(page->select(rejected));
    for (A a : {A::Review, A::Approve, A::Reject, A::Return, A::Extend})
        QVERIFY(!page->button(a)->isEnabled());

    // Conflict evidence: pick an active registration that has one.
    bool sawEvidence = false;
    for (int i = 0; i < page->list()->topLevelItemCount() && !sawEvidence; ++i) {
        page->list()->setCurrentItem(page->list()->topLevelItem(i));
        sawEvidence = page->conflictText().contains(QStringLiteral("<li>"));
    }
    QVERIFY2(sawEvidence, "no registration in the demo shows a conflict");
    shoot(QStringLiteral("registrations-light"));
    theme::apply(QStringLiteral("dark"));
    shoot(QStringLiteral("registrations-dark"));
    theme::apply(QStringLiteral("light"));
}

void TestDealRoomsPane::referrals()
{
    m_pane->setView(DealRoomsPane::View::Referrals);
    ReferralsPage *page = m_pane->referralsPage();
    using A = ReferralsPage::Action;
    QSqlQuery q(m_ws->db());
    QVERIFY(
        q.exec(QStringLiteral("SELECT id, to_org_id FROM deal_referrals WHERE status = 'sent' ORDER BY id LIMIT 1")));
    QVERIFY(q.next());
    const QString sent = q.value(0).toString();
    QVERIFY(page->setOrganization(q.value(1).toString()));
    page->setInbox(true);
    QVERIFY(page->select(sent));
    QVERIFY(page->button(A::Accept)->isEnabled());
    QVERIFY(page->button(A::Decline)->isEnabled());
    QVERIFY(!page->button(A::Convert)->isEnabled());
    QVERIFY(page->run(A::Accept).ok());
    QVERIFY(page->select(sent));
    QVERIFY(!page->button(A::Accept)->isEnabled());
    QVERIFY(page->button(A::Convert)->isEnabled());
    // In the sender's outbox the referral cannot be answered.
    QVERIFY(
        q.exec(QStringLiteral("SELECT id, from_org_id FROM deal_referrals WHERE status = 'sent' ORDER BY id LIMIT 1")));
    QVERIFY(q.next());
    QVERIFY(page->setOrganization(q.value(1).toString()));
    page->setInbox(false);
    QVERIFY(page->select(q.value(0).toString()));
    QVERIFY(!page->button(A::Accept)->isEnabled());
    QVERIFY(!page->button(A::Decline)->isEnabled());
    shoot(QStringLiteral("referrals-light"));
    theme::apply(QStringLiteral("dark"));
    shoot(QStringLiteral("referrals-dark"));
    theme::apply(QStringLiteral("light"));
}

// Status (with counts), partner and text filters on the Registrations page, against the same counts in SQL.
void TestDealRoomsPane::registrationFilters()
{
    m_pane->setView(DealRoomsPane::View::Registrations);
    RegistrationsPage *page = m_pane->registrationsPage();
    QTreeWidget *list = page->list();
    const qint64 all = count(QStringLiteral("SELECT count(*) FROM deal_registrations"));
    QVERIFY(all > 0);
    QCOMPARE(list->topLevelItemCount(), int(all));
    QVERIFY2(page->statusFilter()->itemText(0).contains(QString::number(all)),
             qPrintable(page->statusFilter()->itemText(0)));
    QVERIFY(page->countLabel()->text().contains(QString::number(all)));

    // Status: only approved rows, as many as SQL has, and the picker says so.
    const qint64 approved = count(QStringLiteral("SELECT count(*) FROM deal_registrations WHERE status = 'approved'"));
    QVERIFY(approved > 0 && approved < all);
    const int approvedItem = page->statusFilter()->findData(int(RegistrationStatus::Approved));
    QVERIFY(page->statusFilter()->itemText(approvedItem).contains(QString::number(approved)));
    page->statusFilter()->setCurrentIndex(approvedItem);
    QCOMPARE(list->topLevelItemCount(), int(approved));
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        QCOMPARE(list->topLevelItem(i)->text(3), deals::displayName(RegistrationStatus::Approved));
    page->statusFilter()->setCurrentIndex(0);

    // Partner: the one with the most registrations.
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT partner_id, count(*) FROM deal_registrations GROUP BY partner_id ORDER BY "
                                  "count(*) DESC, partner_id LIMIT 1")));
    QVERIFY(q.next());
    const QString partner = q.value(0).toString();
    const qint64 ofPartner = q.value(1).toLongLong();
    page->partnerFilter()->setCurrentIndex(page->partnerFilter()->findData(partner));
    QCOMPARE(list->topLevelItemCount(), int(ofPartner));
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        QCOMPARE(list->topLevelItem(i)->text(1), page->partnerFilter()->currentText());
    QVERIFY(page->statusFilter()->itemText(0).contains(QString::number(ofPartner))); // counts follow the partner
    page->partnerFilter()->setCurrentIndex(0);

    // Text, typed: part of one account's name, case-insensitive; the list follows after a pause in typing.
    QVERIFY(q.exec(QStringLiteral("SELECT account_name FROM deal_registrations ORDER BY id LIMIT 1")));
    QVERIFY(q.next());
    const QString word = q.value(0).toString().section(QLatin1Char(' '), 0, 0).toUpper();
    const QString like = QLatin1Char('%') + word + QLatin1Char('%');
    const qint64 matching = count(QStringLiteral("SELECT count(*) FROM deal_registrations WHERE account_name LIKE ? OR "
                                                 "website LIKE ? OR domain LIKE ?"),
                                  {like, like, like});
    QVERIFY(matching > 0 && matching < all);
    QTest::keyClicks(page->searchField(), word);
    QTRY_COMPARE(list->topLevelItemCount(), int(matching));
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        QVERIFY(list->topLevelItem(i)->text(0).contains(word, Qt::CaseInsensitive));
    QVERIFY(page->countLabel()->text().contains(QString::number(matching)));
    shoot(QStringLiteral("registrations-filtered"));
    page->searchField()->clear();
    QTRY_COMPARE(list->topLevelItemCount(), int(all));
}

void TestDealRoomsPane::referralFilters()
{
    m_pane->setView(DealRoomsPane::View::Referrals);
    ReferralsPage *page = m_pane->referralsPage();
    QTreeWidget *list = page->list();
    QSqlQuery q(m_ws->db());
    // The organization with the most received referrals, and its busiest sender.
    QVERIFY(q.exec(QStringLiteral("SELECT to_org_id, count(*) FROM deal_referrals GROUP BY to_org_id ORDER BY count(*) "
                                  "DESC, to_org_id LIMIT 1")));
    QVERIFY(q.next());
    const QString org = q.value(0).toString();
    const qint64 inbox = q.value(1).toLongLong();
    QVERIFY(inbox > 1);
    QVERIFY(page->setOrganization(org));
    page->setInbox(true);
    QCOMPARE(list->topLevelItemCount(), int(inbox));
    QVERIFY(page->statusFilter()->itemText(0).contains(QString::number(inbox)));

    const qint64 sent =
        count(QStringLiteral("SELECT count(*) FROM deal_referrals WHERE to_org_id = ? AND status = 'sent'"), {org});
    page->statusFilter()->setCurrentIndex(page->statusFilter()->findData(int(ReferralStatus::Sent)));
    QCOMPARE(list->topLevelItemCount(), int(sent));
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        QCOMPARE(list->topLevelItem(i)->text(6), deals::displayName(ReferralStatus::Sent));
    page->statusFilter()->setCurrentIndex(0);

    QVERIFY(q.exec(QStringLiteral("SELECT from_org_id, count(*) FROM deal_referrals WHERE to_org_id = '") + org +
                   QStringLiteral("' GROUP BY from_org_id ORDER BY count(*) DESC, from_org_id LIMIT 1")));
    QVERIFY(q.next());
    page->partnerFilter()->setCurrentIndex(page->partnerFilter()->findData(q.value(0).toString()));
    QCOMPARE(list->topLevelItemCount(), int(q.value(1).toLongLong()));
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        QCOMPARE(list->topLevelItem(i)->text(1), page->partnerFilter()->currentText());
    page->partnerFilter()->setCurrentIndex(0);

    // Text nothing matches: an empty list that says why.
    page->searchField()->setText(QStringLiteral("no such account zzz"));
    QTRY_COMPARE(list->topLevelItemCount(), 0);
    QVERIFY(page->findChild<QLabel *>() != nullptr);
    QVERIFY(page->statusFilter()->itemText(0).contains(QStringLiteral("(0)")));
    page->searchField()->clear();
    QTRY_COMPARE(list->topLevelItemCount(), int(inbox));
    shoot(QStringLiteral("referrals-filters"));
}

// Unticking a done task in the room view reopens it: stored, in the timeline, overdue again.
void TestDealRoomsPane::reopenTaskInRoomView()
{
    m_pane->setView(DealRoomsPane::View::Board);
    const QString room = firstRoomIn(QStringLiteral("business_validation"));
    QVERIFY(!room.isEmpty());
    m_pane->openRoom(room);
    RoomView *view = m_pane->roomView();
    view->tabs()->setCurrentIndex(1);
    Result<QStringList> people = DealRoomRepository(*m_ws).people(room);
    QVERIFY(people.ok() && !people.value().isEmpty());
    QVERIFY(view->addTask(QStringLiteral("Send the security questionnaire"), people.value().first(),
                          QDate::currentDate().addDays(-3))
                .ok());
    auto item = [view]() -> QTreeWidgetItem * {
        for (int i = 0; i < view->taskTree()->topLevelItemCount(); ++i)
            if (view->taskTree()->topLevelItem(i)->text(0) == QStringLiteral("Send the security questionnaire"))
                return view->taskTree()->topLevelItem(i);
        return nullptr;
    };
    QVERIFY(item());
    const QString task = item()->data(0, Qt::UserRole).toString();
    auto doneAt = [&] { return count(QStringLiteral("SELECT done_at <> '' FROM deal_tasks WHERE id = ?"), {task}); };
    item()->setCheckState(0, Qt::Checked); // as a click on the box does
    QTRY_COMPARE(doneAt(), 1);
    QTRY_COMPARE(item()->checkState(0), Qt::Checked);
    QVERIFY(item()->flags() & Qt::ItemIsUserCheckable); // a done task can be reopened
    QTRY_VERIFY(view->timeline()->item(0)->text().contains(QStringLiteral("Task done")));

    item()->setCheckState(0, Qt::Unchecked);
    QTRY_COMPARE(doneAt(), 0);
    QTRY_VERIFY(view->timeline()->item(0)->text().contains(QStringLiteral("Task reopened")));
    QCOMPARE(item()->checkState(0), Qt::Unchecked);
    QCOMPARE(item()->foreground(0).color(), QColor(0xd3, 0x2f, 0x2f)); // overdue again
    QVERIFY(view->timeline()->item(0)->text().contains(QStringLiteral("Task reopened")));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = 'deal_tasks' AND row_id = ? AND op "
                                  "= 'update'"),
                   {task}),
             2);
    shoot(QStringLiteral("room-task-reopened"));
    m_pane->closeRoom();
}

// The pipeline editor: add a stage after another, rename, reorder, set its outcome, remove it with its rooms moved;
// the board's columns follow each change, and each change is journaled.
void TestDealRoomsPane::stageEditor()
{
    m_pane->setView(DealRoomsPane::View::Board);
    QVERIFY(m_pane->stagesButton()->isEnabled());
    m_pane->stagesButton()->click();
    StageEditorDialog *dialog = m_pane->findChild<StageEditorDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(m_pane->openStageEditor(), dialog); // raised, not a second one
    QCOMPARE(dialog->list()->topLevelItemCount(), 8);
    const qint64 journal = count(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = 'deal_stages'"));

    QVERIFY(dialog->select(QStringLiteral("technical_validation")));
    QVERIFY(dialog->addStage(QStringLiteral("Security Review")).ok());
    QCOMPARE(dialog->stageIds().indexOf(QStringLiteral("security_review")), 3);
    QVERIFY(!dialog->addStage(QStringLiteral("security review")).ok()); // same name
    QVERIFY(!dialog->lastError().isEmpty());
    QListView *column = m_pane->columnView(QStringLiteral("security_review"));
    QVERIFY(column);
    QTRY_VERIFY(column->isVisible());
    auto x = [this](const QString &stage) { return m_pane->columnView(stage)->mapTo(m_window.get(), QPoint()).x(); };
    QVERIFY(x(QStringLiteral("technical_validation")) < x(QStringLiteral("security_review")));
    QVERIFY(x(QStringLiteral("security_review")) < x(QStringLiteral("business_validation")));

    QVERIFY(dialog->renameStage(QStringLiteral("security_review"), QStringLiteral("Security & Legal")).ok());
    QCOMPARE(m_pane->columnModel(QStringLiteral("security_review"))->stage().name, QStringLiteral("Security & Legal"));
    QVERIFY(dialog->moveStage(QStringLiteral("security_review"), 1).ok());
    QCOMPARE(dialog->stageIds().indexOf(QStringLiteral("security_review")), 4);
    QVERIFY(x(QStringLiteral("business_validation")) < x(QStringLiteral("security_review")));
    QVERIFY(dialog->setOutcome(QStringLiteral("security_review"), QStringLiteral("lost")).ok());
    QCOMPARE(count(QStringLiteral("SELECT outcome = 'lost' FROM deal_stages WHERE id = 'security_review'")), 1);
    QVERIFY(dialog->setOutcome(QStringLiteral("security_review"), QStringLiteral("open")).ok());
    QVERIFY(count(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = 'deal_stages'")) > journal + 3);

    // A room in it: removal asks where the rooms go, and they go there.
    const QString room = firstRoomIn(QStringLiteral("prospect"));
    m_pane->moveRoom(room, QStringLiteral("security_review"));
    QCOMPARE(stageOf(room), QStringLiteral("security_review"));
    QTRY_VERIFY(m_pane->columnModel(QStringLiteral("security_review"))->indexOfRoom(room).isValid());
    QVERIFY(dialog->select(QStringLiteral("security_review")));
    QTRY_COMPARE(dialog->list()->currentItem()->text(2), QStringLiteral("1"));
    QVERIFY(dialog->grab().save(QDir(m_shots).filePath(QStringLiteral("dealrooms-stage-editor.png"))));
    QVERIFY(!dialog->removeStage(QStringLiteral("security_review")).ok());
    QVERIFY(dialog->lastError().contains(QStringLiteral("move them")));
    QVERIFY(dialog->removeStage(QStringLiteral("security_review"), QStringLiteral("qualified")).ok());
    QCOMPARE(stageOf(room), QStringLiteral("qualified"));
    QVERIFY(!m_pane->columnView(QStringLiteral("security_review")));
    QCOMPARE(dialog->list()->topLevelItemCount(), 8);
    QTRY_VERIFY(m_pane->columnModel(QStringLiteral("qualified"))->indexOfRoom(room).isValid());
    // Undoing the earlier move takes the room back where it came from; redoing it names a stage that is gone:
    // refused with a message, nothing written.
    m_undo.undo();
    QCOMPARE(stageOf(room), QStringLiteral("prospect"));
    m_undo.redo();
    QCOMPARE(stageOf(room), QStringLiteral("prospect"));
    QVERIFY2(m_pane->lastMessage().contains(QStringLiteral("security_review")), qPrintable(m_pane->lastMessage()));
    dialog->close();
    QTRY_VERIFY(!m_pane->findChild<StageEditorDialog *>());

    // Only those who see every room edit the pipeline.
    const QString partnerPerson = outsiderFor(room);
    const QString admin = m_pane->viewerId();
    QVERIFY(m_pane->setViewer(partnerPerson));
    QVERIFY(!m_pane->stagesButton()->isEnabled());
    QVERIFY(!m_pane->openStageEditor());
    QVERIFY(m_pane->setViewer(admin));
}

void TestDealRoomsPane::screenshots()
{
    m_pane->closeRoom();
    for (const QString &t : {QStringLiteral("light"), QStringLiteral("dark")}) {
        theme::apply(t);
        m_pane->setView(DealRoomsPane::View::Board);
        shoot(QStringLiteral("board-") + t);
        m_pane->setView(DealRoomsPane::View::Table);
        shoot(QStringLiteral("table-") + t);
    }
    theme::apply(QStringLiteral("light"));
    m_pane->setView(DealRoomsPane::View::Board);
}

QTEST_MAIN(TestDealRoomsPane)
#include "TestDealRoomsPane.moc"
