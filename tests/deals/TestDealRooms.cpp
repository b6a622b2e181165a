// DealRoomRepository: rooms, stage moves, participants, people and access, timeline, tasks, documents, the board;
// and that each change leaves its journal entries.
#include "DealFixtures.h"
#include "deals/DealRoomRepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

class TestDealRooms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void createJournalsRoomAndEvent();
    void createRefusesBadInput_data();
    void createRefusesBadInput();
    void moveStageWritesTimelineAndActivity();
    void participantsGiveAndTakeAccess();
    void vendorAdminSeesAll();
    void tasksOverdueAndIdleRooms();
    void documentSizeLimit();
    void boardCards();
    void updateJournalsChangedFieldsOnly();
    void configurablePipeline();
    void reorderAndRemoveStageWithItsRooms();
    void reopenTask();

private:
    qint64 journalFor(const QString &table, const QString &op = QStringLiteral("%"));
    DealRoom makeRoom(const QString &name, const QString &website = {});

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<DealRoomRepository> m_rooms;
    DealWorld m_w;
    FakeClock m_clock;
};

void TestDealRooms::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("deals.ecotone")));
    QVERIFY(m_ws);
    m_w = makeDealWorld(*m_ws);
    QVERIFY(!m_w.techRep.isEmpty());
    m_clock = FakeClock();
    m_rooms = std::make_unique<DealRoomRepository>(*m_ws);
    m_rooms->setClock(m_clock.fn());
}

void TestDealRooms::cleanup()
{
    m_rooms.reset();
    m_ws.reset();
    m_dir.reset();
}

qint64 TestDealRooms::journalFor(const QString &table, const QString &op)
{
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM journal WHERE table_name = ? AND op LIKE ?"));
    q.addBindValue(table);
    q.addBindValue(op);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

DealRoom TestDealRooms::makeRoom(const QString &name, const QString &website)
{
    DealRoom room;
    room.name = name;
    room.account.name = name + QStringLiteral(" Inc.");
    room.account.website = website;
    room.account.country = QStringLiteral("United States");
    room.amountMinor = 12'500'000;
    room.currency = QStringLiteral("usd");
    room.products = {QStringLiteral("Analytics")};
    return room;
}

void TestDealRooms::createJournalsRoomAndEvent()
{
    DealRoom room = makeRoom(QStringLiteral("Globex expansion"), QStringLiteral("https://EU.Shop.Globex.com/path"));
    room.aceOpportunityId = QStringLiteral("O1234567");
    room.aceReviewStatus = QStringLiteral("In Review");
    room.partnerCenterReferralId = QStringLiteral("ref-42");
    QVERIFY2(m_rooms->create(room, QStringLiteral("test")).ok(), "create");
    QVERIFY(IdGenerator::isValid(room.id));
    auto found = m_rooms->find(room.id);
    QVERIFY2(found.ok(), qPrintable(found.error()));
    QCOMPARE(found->stage, QStringLiteral("prospect"));
    QCOMPARE(found->account.domain, QStringLiteral("globex.com"));
    QCOMPARE(found->account.country, QStringLiteral("us"));
    QCOMPARE(found->account.nameKey, QStringLiteral("globex expansion"));
    QCOMPARE(found->currency, QStringLiteral("USD"));
    QCOMPARE(found->amountMinor, 12'500'000);
    QCOMPARE(found->aceReviewStatus, QStringLiteral("In Review"));
    QCOMPARE(found->partnerCenterReferralId, QStringLiteral("ref-42"));
    QCOMPARE(found->lastActivityAt, m_clock.now);
    QCOMPARE(journalFor(QStringLiteral("deal_rooms"), QStringLiteral("insert")), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_events"), QStringLiteral("insert")), 1);
    // The journaled row carries money as a number, not text.
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT value FROM journal WHERE table_name = 'deal_rooms'")) && q.next());
    const QJsonObject row = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    QCOMPARE(row.value(QStringLiteral("amount_minor")).toInteger(), 12'500'000);
    QCOMPARE(row.value(QStringLiteral("ace_opportunity_id")).toString(), QStringLiteral("O1234567"));
}

void TestDealRooms::createRefusesBadInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<qint64>("amount");
    QTest::addColumn<QString>("message");
    QTest::newRow("no name") << QString() << QString() << QStringLiteral("USD") << qint64(1) << QStringLiteral("name");
    QTest::newRow("unknown stage") << QStringLiteral("X") << QStringLiteral("won") << QStringLiteral("USD") << qint64(1)
                                   << QStringLiteral("not a stage");
    QTest::newRow("bad currency") << QStringLiteral("X") << QString() << QStringLiteral("dollars") << qint64(1)
                                  << QStringLiteral("ISO 4217");
    QTest::newRow("negative") << QStringLiteral("X") << QString() << QStringLiteral("EUR") << qint64(-5)
                              << QStringLiteral("negative");
}

void TestDealRooms::createRefusesBadInput()
{
    QFETCH(QString, name);
    QFETCH(QString, stage);
    QFETCH(QString, currency);
    QFETCH(qint64, amount);
    QFETCH(QString, message);
    DealRoom room;
    room.name = name;
    room.stage = stage;
    room.currency = currency;
    room.amountMinor = amount;
    const Status s = m_rooms->create(room);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(message), qPrintable(s.error()));
    QCOMPARE(rowCount(*m_ws, QStringLiteral("deal_rooms")), 0);
    QCOMPARE(journalFor(QStringLiteral("deal_rooms")), 0);
}

void TestDealRooms::moveStageWritesTimelineAndActivity()
{
    DealRoom room = makeRoom(QStringLiteral("Initech"));
    QVERIFY(m_rooms->create(room).ok());
    m_clock.now = m_clock.now.addDays(3);
    QVERIFY(m_rooms->moveStage(room.id, QStringLiteral("technical_validation"), m_w.vendorRep, QStringLiteral("Victor"))
                .ok());
    auto after = m_rooms->find(room.id);
    QCOMPARE(after->stage, QStringLiteral("technical_validation"));
    QCOMPARE(after->lastActivityAt, m_clock.now);
    auto events = m_rooms->events(room.id);
    QVERIFY(events.ok());
    QCOMPARE(events->size(), 2);
    const RoomEvent &e = events->first();
    QCOMPARE(e.kind, EventKind::StageChange);
    QCOMPARE(e.authorId, m_w.vendorRep);
    QCOMPARE(e.at, m_clock.now);
    const QJsonObject detail = QJsonDocument::fromJson(e.detail.toUtf8()).object();
    QCOMPARE(detail.value(QStringLiteral("from")).toString(), QStringLiteral("prospect"));
    QCOMPARE(detail.value(QStringLiteral("to")).toString(), QStringLiteral("technical_validation"));
    QVERIFY2(e.text.contains(QStringLiteral("Technical Validation")), qPrintable(e.text));
    // stage, updated_at, last_activity_at: one journal entry each.
    QCOMPARE(journalFor(QStringLiteral("deal_rooms"), QStringLiteral("update")), 3);
    QCOMPARE(journalFor(QStringLiteral("deal_events"), QStringLiteral("insert")), 2);

    const Status bad = m_rooms->moveStage(room.id, QStringLiteral("nowhere"));
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().contains(QStringLiteral("nowhere")), qPrintable(bad.error()));
    QCOMPARE(m_rooms->find(room.id)->stage, QStringLiteral("technical_validation"));
    // A timeline entry cannot pretend to be a stage change.
    RoomEvent fake;
    fake.roomId = room.id;
    fake.kind = EventKind::StageChange;
    QVERIFY(!m_rooms->addEvent(fake).ok());
}

void TestDealRooms::participantsGiveAndTakeAccess()
{
    DealRoom room = makeRoom(QStringLiteral("Umbrella"));
    QVERIFY(m_rooms->create(room).ok());
    DealRoom other = makeRoom(QStringLiteral("Hooli"));
    QVERIFY(m_rooms->create(other).ok());
    QVERIFY(!m_rooms->canRead(room.id, m_w.resellerRep));

    RoomParticipant reseller;
    reseller.roomId = room.id;
    reseller.organizationId = m_w.acmeResellers;
    reseller.role = ParticipantRole::Fulfilling;
    QVERIFY(m_rooms->addParticipant(reseller).ok());
    QCOMPARE(reseller.organizationName, QStringLiteral("Northwind Resale"));
    QVERIFY(m_rooms->canRead(room.id, m_w.resellerRep));
    QVERIFY(!m_rooms->canRead(room.id, m_w.cloudRep));
    QVERIFY(!m_rooms->canRead(other.id, m_w.resellerRep));

    // Listing through the repository shows a person only their rooms.
    auto forReseller = m_rooms->list(m_rooms->viewerFor(m_w.resellerRep).value());
    QVERIFY(forReseller.ok());
    QCOMPARE(forReseller->size(), 1);
    QCOMPARE(forReseller->first().id, room.id);
    QVERIFY(m_rooms->list(m_rooms->viewerFor(m_w.cloudRep).value())->isEmpty());
    QCOMPARE(m_rooms->list(DealViewer::everyone())->size(), 2);

    // A person whose organization takes no part cannot be added.
    const Status outsider = m_rooms->addPerson(room.id, m_w.cloudRep);
    QVERIFY(!outsider.ok());
    QVERIFY2(outsider.error().contains(QStringLiteral("not a participant")), qPrintable(outsider.error()));

    RoomParticipant cloud;
    cloud.roomId = room.id;
    cloud.organizationId = m_w.cloudCo;
    cloud.role = ParticipantRole::CloudMarketplace;
    QVERIFY(m_rooms->addParticipant(cloud, false).ok()); // the organization, none of its people yet
    QVERIFY(!m_rooms->canRead(room.id, m_w.cloudRep));
    QVERIFY(m_rooms->addPerson(room.id, m_w.cloudRep).ok());
    QVERIFY(m_rooms->canRead(room.id, m_w.cloudRep));
    QVERIFY(!m_rooms->addParticipant(cloud).ok()); // same organization and role twice

    auto participants = m_rooms->participants(room.id);
    QCOMPARE(participants->size(), 2);
    QCOMPARE(participants->at(1).role, ParticipantRole::CloudMarketplace);

    QVERIFY(m_rooms->removeParticipant(reseller.id).ok());
    QVERIFY(!m_rooms->canRead(room.id, m_w.resellerRep));
    QVERIFY(m_rooms->canRead(room.id, m_w.cloudRep));
    auto events = m_rooms->events(room.id);
    QCOMPARE(std::count_if(events->begin(), events->end(),
                           [](const RoomEvent &e) { return e.kind == EventKind::ParticipantChange; }),
             3);
    QCOMPARE(journalFor(QStringLiteral("deal_room_participants"), QStringLiteral("insert")), 2);
    QCOMPARE(journalFor(QStringLiteral("deal_room_participants"), QStringLiteral("delete")), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_room_people"), QStringLiteral("delete")), 1);
}

void TestDealRooms::vendorAdminSeesAll()
{
    DealRoom room = makeRoom(QStringLiteral("Stark"));
    QVERIFY(m_rooms->create(room).ok());
    auto admin = m_rooms->viewerFor(m_w.vendorAdmin);
    QVERIFY(admin.ok());
    QVERIFY(admin->seesAll);
    QVERIFY(m_rooms->canRead(room.id, m_w.vendorAdmin));
    QVERIFY(!m_rooms->viewerFor(m_w.vendorRep)->seesAll);
    QVERIFY(!m_rooms->canRead(room.id, m_w.vendorRep));
    QVERIFY(!m_rooms->canRead(room.id, QStringLiteral("no-such-person")));
}

void TestDealRooms::tasksOverdueAndIdleRooms()
{
    DealRoom a = makeRoom(QStringLiteral("Wayne"));
    DealRoom b = makeRoom(QStringLiteral("Tyrell"));
    QVERIFY(m_rooms->create(a).ok());
    QVERIFY(m_rooms->create(b).ok());
    RoomParticipant p{QString(), a.id, m_w.acmeResellers, {}, ParticipantRole::Sourcing, {}};
    QVERIFY(m_rooms->addParticipant(p).ok());

    RoomTask late{QString(),
                  a.id,
                  QStringLiteral("Send the security questionnaire"),
                  m_w.resellerRep,
                  m_clock.now.date().addDays(2),
                  {},
                  {}};
    RoomTask later{QString(), a.id, QStringLiteral("Pricing call"), m_w.resellerRep, m_clock.now.date().addDays(30),
                   {},        {}};
    RoomTask other{QString(), b.id, QStringLiteral("Kick-off"), m_w.vendorRep, m_clock.now.date().addDays(1), {}, {}};
    QVERIFY(m_rooms->addTask(late).ok());
    QVERIFY(m_rooms->addTask(later).ok());
    QVERIFY(m_rooms->addTask(other).ok());
    QVERIFY(m_rooms->overdueTasks(DealViewer::everyone(), m_clock.now.date())->isEmpty());

    m_clock.now = m_clock.now.addDays(5);
    auto overdue = m_rooms->overdueTasks(DealViewer::everyone(), m_clock.now.date());
    QCOMPARE(overdue->size(), 2);
    QCOMPARE(overdue->first().task.id, other.id); // earliest due first
    auto mine = m_rooms->overdueTasks(m_rooms->viewerFor(m_w.resellerRep).value(), m_clock.now.date());
    QCOMPARE(mine->size(), 1);
    QCOMPARE(mine->first().task.id, late.id);
    QCOMPARE(mine->first().roomName, QStringLiteral("Wayne"));

    QVERIFY(m_rooms->completeTask(late.id).ok());
    QCOMPARE(m_rooms->overdueTasks(DealViewer::everyone(), m_clock.now.date())->size(), 1);
    auto tasks = m_rooms->tasks(a.id);
    QCOMPARE(tasks->size(), 2);
    QCOMPARE(tasks->last().id, late.id); // done tasks last
    QCOMPARE(tasks->last().doneAt, m_clock.now);
    QCOMPARE(journalFor(QStringLiteral("deal_tasks"), QStringLiteral("insert")), 3);
    QCOMPARE(journalFor(QStringLiteral("deal_tasks"), QStringLiteral("update")), 1);

    // Room b has had no activity since its task was added; a is fresh from the completed task.
    m_clock.now = m_clock.now.addDays(12);
    auto idle = m_rooms->idleRooms(DealViewer::everyone(), 14);
    QCOMPARE(idle->size(), 1);
    QCOMPARE(idle->first().id, b.id);
    RoomEvent call;
    call.roomId = b.id;
    call.kind = EventKind::Call;
    call.authorId = m_w.vendorRep;
    call.text = QStringLiteral("Discovery call");
    QVERIFY(m_rooms->addEvent(call).ok());
    QVERIFY(m_rooms->idleRooms(DealViewer::everyone(), 14)->isEmpty());
    // Closed rooms are never idle.
    m_clock.now = m_clock.now.addDays(60);
    QVERIFY(m_rooms->moveStage(a.id, QStringLiteral("closed_won")).ok());
    m_clock.now = m_clock.now.addDays(60);
    auto stillIdle = m_rooms->idleRooms(DealViewer::everyone(), 14);
    QCOMPARE(stillIdle->size(), 1);
    QCOMPARE(stillIdle->first().id, b.id);
}

void TestDealRooms::documentSizeLimit()
{
    DealRoom room = makeRoom(QStringLiteral("Soylent"));
    QVERIFY(m_rooms->create(room).ok());
    RoomDocument small;
    small.roomId = room.id;
    small.name = QStringLiteral("proposal.pdf");
    small.mime = QStringLiteral("application/pdf");
    const QByteArray bytes(4096, 'x');
    QVERIFY(m_rooms->addDocument(small, bytes).ok());
    QCOMPARE(small.size, 4096);
    QCOMPARE(m_rooms->documentContent(small.id).value(), bytes);
    QCOMPARE(m_rooms->documents(room.id)->size(), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_documents"), QStringLiteral("insert")), 1);

    RoomDocument big;
    big.roomId = room.id;
    big.name = QStringLiteral("recording.mp4");
    const Status s = m_rooms->addDocument(big, QByteArray(int(deals::kMaxDocumentBytes) + 1, 'y'));
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("recording.mp4")) && s.error().contains(QStringLiteral("25 MiB")),
             qPrintable(s.error()));
    QCOMPARE(rowCount(*m_ws, QStringLiteral("deal_documents")), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_documents")), 1);

    // The table refuses it too, whatever writes it.
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("INSERT INTO deal_documents (id, room_id, name, size, added_at, content) VALUES "
                             "('x', ?, 'big', ?, '', zeroblob(?))"));
    q.addBindValue(room.id);
    q.addBindValue(deals::kMaxDocumentBytes + 1);
    q.addBindValue(deals::kMaxDocumentBytes + 1);
    QVERIFY(!q.exec());
}

void TestDealRooms::boardCards()
{
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        DealRoom room = makeRoom(QStringLiteral("Room %1").arg(i));
        m_clock.now = m_clock.now.addSecs(60);
        QVERIFY(m_rooms->create(room).ok());
        ids << room.id;
    }
    QVERIFY(m_rooms->moveStage(ids.at(0), QStringLiteral("committed")).ok());
    RoomParticipant s{QString(), ids.at(0), m_w.acmeResellers, {}, ParticipantRole::Sourcing, {}};
    RoomParticipant t{QString(), ids.at(0), m_w.techPartner, {}, ParticipantRole::Technical, {}};
    QVERIFY(m_rooms->addParticipant(t).ok());
    QVERIFY(m_rooms->addParticipant(s).ok());
    RoomTask task{QString(), ids.at(0), QStringLiteral("POC"), {}, m_clock.now.date().addDays(-1), {}, {}};
    QVERIFY(m_rooms->addTask(task).ok());

    auto board = m_rooms->board(DealViewer::everyone(), 3);
    QVERIFY2(board.ok(), qPrintable(board.error()));
    QCOMPARE(board->size(), 8);
    QCOMPARE(board->first().stage.name, QStringLiteral("Prospect"));
    QCOMPARE(board->first().roomCount, 4);
    QCOMPARE(board->first().cards.size(), 3);                 // perStage
    QCOMPARE(board->first().cards.first().roomId, ids.at(4)); // most recently active first
    const BoardColumn &committed = board->at(4);
    QCOMPARE(committed.stage.id, QStringLiteral("committed"));
    QCOMPARE(committed.roomCount, 1);
    const BoardCard &card = committed.cards.first();
    QCOMPARE(card.participants, (QStringList{QStringLiteral("Northwind Resale"), QStringLiteral("Techtonic")}));
    QCOMPARE(card.participantCount, 2);
    QCOMPARE(card.openTasks, 1);
    QCOMPARE(card.overdueTasks, 1);
    QCOMPARE(card.amountMinor, 12'500'000);

    // The reseller's rep sees only the room their organization is in.
    auto mine = m_rooms->board(m_rooms->viewerFor(m_w.resellerRep).value());
    QCOMPARE(mine->first().roomCount, 0);
    QCOMPARE(mine->at(4).roomCount, 1);
    QCOMPARE(mine->at(4).cards.first().roomId, ids.at(0));

    // Both ways of finding one person's cards give the same board.
    RoomParticipant more{QString(), ids.at(2), m_w.acmeResellers, {}, ParticipantRole::Influencing, {}};
    QVERIFY(m_rooms->addParticipant(more).ok());
    const DealViewer rita = m_rooms->viewerFor(m_w.resellerRep).value();
    QList<QList<QStringList>> boards;
    for (auto plan : {DealRoomRepository::BoardPlan::ByStage, DealRoomRepository::BoardPlan::ByPerson}) {
        m_rooms->setBoardPlan(plan);
        auto b = m_rooms->board(rita, 1);
        QVERIFY(b.ok());
        QList<QStringList> columns;
        for (const BoardColumn &c : b.value()) {
            QStringList cards{QString::number(c.roomCount)};
            for (const BoardCard &k : c.cards)
                cards << k.roomId + k.participants.join(QLatin1Char(',')) + QString::number(k.overdueTasks);
            columns << cards;
        }
        boards << columns;
    }
    QCOMPARE(boards.at(0), boards.at(1));
    QCOMPARE(boards.at(0).at(0), (QStringList{QStringLiteral("1"), ids.at(2) + QStringLiteral("Northwind Resale0")}));
}

void TestDealRooms::updateJournalsChangedFieldsOnly()
{
    DealRoom room = makeRoom(QStringLiteral("Cyberdyne"));
    QVERIFY(m_rooms->create(room).ok());
    const qint64 before = rowCount(*m_ws, QStringLiteral("journal"));
    DealRoom same = m_rooms->find(room.id).value();
    QVERIFY(m_rooms->update(same).ok());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), before);
    m_clock.now = m_clock.now.addDays(1);
    same.amountMinor = 99;
    same.stage = QStringLiteral("closed_won"); // ignored: stages move through moveStage()
    QVERIFY(m_rooms->update(same).ok());
    // amount_minor, updated_at, last_activity_at
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), before + 3);
    QCOMPARE(m_rooms->find(room.id)->stage, QStringLiteral("prospect"));
}

void TestDealRooms::configurablePipeline()
{
    auto stages = m_rooms->stages();
    QCOMPARE(stages->size(), 8);
    QCOMPARE(stages->first().name, QStringLiteral("Prospect"));
    QCOMPARE(stages->last().id, QStringLiteral("closed_lost"));
    QCOMPARE(stages->last().outcome, QStringLiteral("lost"));
    QVERIFY(m_rooms
                ->saveStage(
                    {QStringLiteral("security_review"), QStringLiteral("Security Review"), 4, QStringLiteral("open")})
                .ok());
    QVERIFY(m_rooms->saveStage({QStringLiteral("prospect"), QStringLiteral("Lead"), 1, QStringLiteral("open")}).ok());
    QVERIFY(!m_rooms->saveStage({QStringLiteral("Bad Key"), QStringLiteral("X"), 1, QStringLiteral("open")}).ok());
    QVERIFY(!m_rooms->saveStage({QStringLiteral("x"), QStringLiteral("X"), 1, QStringLiteral("maybe")}).ok());
    stages = m_rooms->stages();
    QCOMPARE(stages->size(), 9);
    QCOMPARE(stages->first().name, QStringLiteral("Lead"));
    QCOMPARE(stages->at(4).id, QStringLiteral("security_review")); // position 4, after business_validation by key
    QCOMPARE(journalFor(QStringLiteral("deal_stages"), QStringLiteral("insert")), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_stages"), QStringLiteral("update")), 1);

    DealRoom room = makeRoom(QStringLiteral("Pied Piper"));
    QVERIFY(m_rooms->create(room).ok());
    QVERIFY(m_rooms->moveStage(room.id, QStringLiteral("security_review")).ok());
    const Status busy = m_rooms->removeStage(QStringLiteral("security_review"));
    QVERIFY(!busy.ok());
    QVERIFY2(busy.error().contains(QStringLiteral("1 deal rooms")), qPrintable(busy.error()));
    QVERIFY(m_rooms->moveStage(room.id, QStringLiteral("qualified")).ok());
    QVERIFY(m_rooms->removeStage(QStringLiteral("security_review")).ok());
    QCOMPARE(m_rooms->stages()->size(), 8);
}

void TestDealRooms::reorderAndRemoveStageWithItsRooms()
{
    QVERIFY(m_rooms
                ->saveStage(
                    {QStringLiteral("security_review"), QStringLiteral("Security Review"), 9, QStringLiteral("open")})
                .ok());
    auto ids = [this] {
        QStringList out;
        const Result<QList<DealStage>> all = m_rooms->stages(); // kept: value() refers into it
        for (const DealStage &s : all.value())
            out << s.id;
        return out;
    };
    QStringList order = ids();
    QCOMPARE(order.last(), QStringLiteral("security_review"));
    order.move(order.size() - 1, 2);
    const qint64 updatesBefore = journalFor(QStringLiteral("deal_stages"), QStringLiteral("update"));
    QVERIFY(m_rooms->reorderStages(order).ok());
    QCOMPARE(ids(), order);
    QCOMPARE(m_rooms->stages()->at(2).position, 3);
    // Only the stages whose position changed are written: the new one and the six it pushed right.
    QCOMPARE(journalFor(QStringLiteral("deal_stages"), QStringLiteral("update")), updatesBefore + 7);
    // An order must name every stage once.
    QVERIFY(!m_rooms->reorderStages(order.mid(1)).ok());
    QStringList twice = order;
    twice[0] = twice[1];
    QVERIFY(!m_rooms->reorderStages(twice).ok());
    QVERIFY(!m_rooms->reorderStages(QStringList(order) << QStringLiteral("nope")).ok());
    QCOMPARE(ids(), order);

    DealRoom a = makeRoom(QStringLiteral("Hooli"));
    DealRoom b = makeRoom(QStringLiteral("Aviato"));
    QVERIFY(m_rooms->create(a).ok());
    QVERIFY(m_rooms->create(b).ok());
    QVERIFY(m_rooms->moveStage(a.id, QStringLiteral("security_review")).ok());
    QVERIFY(m_rooms->moveStage(b.id, QStringLiteral("security_review")).ok());
    QCOMPARE(m_rooms->stageRoomCount(QStringLiteral("security_review")).value(), 2);
    // Without a destination: refused, nothing written. To itself or to a stage that does not exist: refused.
    QVERIFY(!m_rooms->removeStage(QStringLiteral("security_review")).ok());
    QVERIFY(!m_rooms->removeStage(QStringLiteral("security_review"), QStringLiteral("security_review")).ok());
    QVERIFY(!m_rooms->removeStage(QStringLiteral("security_review"), QStringLiteral("nope")).ok());
    QCOMPARE(m_rooms->stageRoomCount(QStringLiteral("security_review")).value(), 2);

    const qint64 stageChanges = journalFor(QStringLiteral("deal_rooms"), QStringLiteral("update"));
    QVERIFY(m_rooms
                ->removeStage(QStringLiteral("security_review"), QStringLiteral("business_validation"), m_w.vendorAdmin,
                              QStringLiteral("test"))
                .ok());
    QVERIFY(!ids().contains(QStringLiteral("security_review")));
    QCOMPARE(m_rooms->find(a.id)->stage, QStringLiteral("business_validation"));
    QCOMPARE(m_rooms->find(b.id)->stage, QStringLiteral("business_validation"));
    QVERIFY(journalFor(QStringLiteral("deal_rooms"), QStringLiteral("update")) > stageChanges);
    QCOMPARE(journalFor(QStringLiteral("deal_stages"), QStringLiteral("delete")), 1);
    // Each moved room says so in its timeline, by whom.
    const RoomEvent moved = m_rooms->events(a.id, 1)->first();
    QCOMPARE(moved.kind, EventKind::StageChange);
    QCOMPARE(moved.authorId, m_w.vendorAdmin);
    const QJsonObject detail = QJsonDocument::fromJson(moved.detail.toUtf8()).object();
    QCOMPARE(detail.value(QStringLiteral("from")).toString(), QStringLiteral("security_review"));
    QCOMPARE(detail.value(QStringLiteral("to")).toString(), QStringLiteral("business_validation"));

    // The last stage stays.
    for (const QString &id : ids().mid(1)) {
        const Status s = m_rooms->removeStage(id, ids().first());
        QVERIFY2(s.ok(), qPrintable(s.error()));
    }
    QCOMPARE(ids().size(), 1);
    QVERIFY(!m_rooms->removeStage(ids().first()).ok());
}

void TestDealRooms::reopenTask()
{
    DealRoom room = makeRoom(QStringLiteral("Raviga"));
    QVERIFY(m_rooms->create(room).ok());
    RoomTask task{
        QString(), room.id, QStringLiteral("Security questionnaire"), m_w.vendorRep, m_clock.now.date().addDays(-2),
        {},        {}};
    QVERIFY(m_rooms->addTask(task).ok());
    m_clock.now = m_clock.now.addSecs(60);
    QVERIFY(m_rooms->completeTask(task.id, m_w.vendorRep, QStringLiteral("Victor Rep")).ok());
    QVERIFY(m_rooms->overdueTasks(DealViewer::everyone(), m_clock.now.date())->isEmpty());
    RoomEvent e = m_rooms->events(room.id, 1)->first();
    QCOMPARE(e.kind, EventKind::System);
    QVERIFY(e.text.contains(QStringLiteral("Security questionnaire")));

    m_clock.now = m_clock.now.addSecs(60);
    const qint64 updates = journalFor(QStringLiteral("deal_tasks"), QStringLiteral("update"));
    QVERIFY(m_rooms->reopenTask(task.id, m_w.vendorAdmin, QStringLiteral("Ada Admin")).ok());
    RoomTask reopened = m_rooms->tasks(room.id)->first();
    QVERIFY(!reopened.doneAt.isValid());
    // Overdue again: its due date has passed.
    QCOMPARE(m_rooms->overdueTasks(DealViewer::everyone(), m_clock.now.date())->size(), 1);
    QCOMPARE(journalFor(QStringLiteral("deal_tasks"), QStringLiteral("update")), updates + 1);
    e = m_rooms->events(room.id, 1)->first();
    QCOMPARE(e.kind, EventKind::System);
    QCOMPARE(e.authorId, m_w.vendorAdmin);
    QCOMPARE(e.at, m_clock.now);
    QVERIFY(e.text.contains(QStringLiteral("reopened")));
    const QJsonObject detail = QJsonDocument::fromJson(e.detail.toUtf8()).object();
    QCOMPARE(detail.value(QStringLiteral("task_id")).toString(), task.id);
    QCOMPARE(detail.value(QStringLiteral("change")).toString(), QStringLiteral("reopened"));
    QCOMPARE(m_rooms->find(room.id)->lastActivityAt, m_clock.now);

    // Reopening an open task changes nothing; a task that does not exist is an error.
    const qint64 events = rowCount(*m_ws, QStringLiteral("deal_events"));
    QVERIFY(m_rooms->reopenTask(task.id).ok());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("deal_events")), events);
    QCOMPARE(journalFor(QStringLiteral("deal_tasks"), QStringLiteral("update")), updates + 1);
    QVERIFY(!m_rooms->reopenTask(QStringLiteral("no-such-task")).ok());
}

QTEST_GUILESS_MAIN(TestDealRooms)
#include "TestDealRooms.moc"
