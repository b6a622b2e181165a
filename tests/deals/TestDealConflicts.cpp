// Channel conflicts at registration: same registrable domain (subdomains included), same normalized name in the
// same country; look-alikes are not conflicts; at most one approved registration per account and product set.
#include "DealFixtures.h"
#include "deals/DealRoomRepository.h"
#include "deals/RegistrationRepository.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

class TestDealConflicts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void againstRegistration_data();
    void againstRegistration();
    void inactiveRegistrationsDoNotConflict_data();
    void inactiveRegistrationsDoNotConflict();
    void openRoomsConflictClosedOnesDoNot();
    void oneApprovalPerAccountAndProducts();
    void lookupsUseIndexes();

private:
    Registration registration(const QString &partner, const QString &name, const QString &website,
                              const QString &country, const QStringList &products = {});

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<RegistrationRepository> m_regs;
    DealWorld m_w;
    FakeClock m_clock;
};

void TestDealConflicts::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("conflicts.ecotone")));
    QVERIFY(m_ws);
    m_w = makeDealWorld(*m_ws);
    m_clock = FakeClock();
    m_regs = std::make_unique<RegistrationRepository>(*m_ws);
    m_regs->setClock(m_clock.fn());
}

void TestDealConflicts::cleanup()
{
    m_regs.reset();
    m_ws.reset();
    m_dir.reset();
}

Registration TestDealConflicts::registration(const QString &partner, const QString &name, const QString &website,
                                             const QString &country, const QStringList &products)
{
    Registration r;
    r.partnerId = partner;
    r.account = DealAccount::from(name, website, country);
    r.amountMinor = 5'000'000;
    r.currency = QStringLiteral("EUR");
    r.products = products;
    return r;
}

void TestDealConflicts::againstRegistration_data()
{
    QTest::addColumn<bool>("samePartner");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("website");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("rule"); // empty: no conflict
    QTest::addColumn<QString>("ours");

    QTest::newRow("same domain") << false << QStringLiteral("Acme") << QStringLiteral("https://www.acme.com")
                                 << QString() << QStringLiteral("domain") << QStringLiteral("acme.com");
    QTest::newRow("subdomain") << false << QStringLiteral("ACME Europe") << QStringLiteral("eu.shop.acme.com")
                               << QStringLiteral("Germany") << QStringLiteral("domain") << QStringLiteral("acme.com");
    QTest::newRow("name and country") << false << QStringLiteral("ACME Corp.") << QString()
                                      << QStringLiteral("United States") << QStringLiteral("name_country")
                                      << QStringLiteral("acme | us");
    QTest::newRow("name and country code") << false << QStringLiteral("acme, inc") << QString() << QStringLiteral("USA")
                                           << QStringLiteral("name_country") << QStringLiteral("acme | us");
    QTest::newRow("look-alike: other country") << false << QStringLiteral("Acme Corporation") << QString()
                                               << QStringLiteral("France") << QString() << QString();
    QTest::newRow("look-alike: other domain, same name and country")
        << false << QStringLiteral("Acme Corporation") << QStringLiteral("acme-tools.com") << QStringLiteral("US")
        << QString() << QString();
    QTest::newRow("look-alike: other suffix") << false << QStringLiteral("Acme UK") << QStringLiteral("acme.co.uk")
                                              << QStringLiteral("GB") << QString() << QString();
    QTest::newRow("name without a country")
        << false << QStringLiteral("Acme Corporation") << QString() << QString() << QString() << QString();
    QTest::newRow("unrelated") << false << QStringLiteral("Initech") << QStringLiteral("initech.com")
                               << QStringLiteral("US") << QString() << QString();
    QTest::newRow("same partner again") << true << QStringLiteral("Acme") << QStringLiteral("acme.com")
                                        << QStringLiteral("US") << QString() << QString();
}

void TestDealConflicts::againstRegistration()
{
    QFETCH(bool, samePartner);
    QFETCH(QString, name);
    QFETCH(QString, website);
    QFETCH(QString, country);
    QFETCH(QString, rule);
    QFETCH(QString, ours);

    Registration first = registration(m_w.acmeResellers, QStringLiteral("Acme Corporation"),
                                      QStringLiteral("https://acme.com"), QStringLiteral("US"));
    auto a = m_regs->submit(first);
    QVERIFY2(a.ok(), qPrintable(a.error()));
    QVERIFY(a->conflicts.isEmpty());

    Registration second = registration(samePartner ? m_w.acmeResellers : m_w.cloudCo, name, website, country);
    auto b = m_regs->submit(second);
    QVERIFY2(b.ok(), qPrintable(b.error()));
    QCOMPARE(b->registration.status, RegistrationStatus::Submitted); // conflicts never block a submission
    if (rule.isEmpty()) {
        QVERIFY2(b->conflicts.isEmpty(), qPrintable(b->conflicts.value(0).describe()));
        return;
    }
    QCOMPARE(b->conflicts.size(), 1);
    const Conflict &c = b->conflicts.first();
    QCOMPARE(c.recordKey(), QStringLiteral("registration"));
    QCOMPARE(c.recordId, first.id);
    QCOMPARE(c.partnerId, m_w.acmeResellers);
    QCOMPARE(c.partnerName, QStringLiteral("Northwind Resale"));
    QCOMPARE(c.status, QStringLiteral("submitted"));
    QCOMPARE(c.ruleKey(), rule);
    QCOMPARE(c.ours, ours);
    QCOMPARE(c.theirs, rule == QLatin1String("domain") ? QStringLiteral("acme.com") : QStringLiteral("acme | us"));
    QVERIFY(!c.describe().isEmpty());
    // The record is kept with the conflict, for the reviewer.
    QCOMPARE(m_regs->find(second.id)->status, RegistrationStatus::Submitted);
}

void TestDealConflicts::inactiveRegistrationsDoNotConflict_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("conflicts");
    QTest::newRow("submitted") << QStringLiteral("submitted") << true;
    QTest::newRow("under review") << QStringLiteral("under_review") << true;
    QTest::newRow("returned") << QStringLiteral("returned") << true;
    QTest::newRow("approved") << QStringLiteral("approved") << true;
    QTest::newRow("rejected") << QStringLiteral("rejected") << false;
    QTest::newRow("expired") << QStringLiteral("expired") << false;
}

void TestDealConflicts::inactiveRegistrationsDoNotConflict()
{
    QFETCH(QString, status);
    QFETCH(bool, conflicts);
    Registration first = registration(m_w.acmeResellers, QStringLiteral("Acme"), QStringLiteral("acme.com"), {});
    QVERIFY(m_regs->submit(first).ok());
    const auto target = deals::registrationStatusFromKey(status).value();
    if (target != RegistrationStatus::Submitted)
        QVERIFY(m_regs->startReview(first.id).ok());
    if (target == RegistrationStatus::Returned)
        QVERIFY(m_regs->returnForChanges(first.id, QStringLiteral("add the products")).ok());
    if (target == RegistrationStatus::Rejected)
        QVERIFY(m_regs->reject(first.id, QStringLiteral("existing customer")).ok());
    if (target == RegistrationStatus::Approved || target == RegistrationStatus::Expired)
        QVERIFY(m_regs->approve(first.id).ok());
    if (target == RegistrationStatus::Expired) {
        QCOMPARE(m_regs->expireDue(m_clock.now.addDays(91)).value(), 1);
        // Its room is still open and still claims the account: close it to look at the registration alone.
        DealRoomRepository rooms(*m_ws);
        QVERIFY(rooms.moveStage(m_regs->find(first.id)->roomId, QStringLiteral("closed_lost")).ok());
    }
    QCOMPARE(m_regs->find(first.id)->status, target);

    Registration second = registration(m_w.cloudCo, QStringLiteral("Acme"), QStringLiteral("acme.com"), {});
    auto b = m_regs->submit(second);
    QVERIFY(b.ok());
    QCOMPARE(!b->conflicts.isEmpty(), conflicts);
    if (conflicts)
        QCOMPARE(b->conflicts.first().recordId, first.id); // an approved one's room is not listed twice
    if (conflicts)
        QCOMPARE(b->conflicts.size(), 1);
}

void TestDealConflicts::openRoomsConflictClosedOnesDoNot()
{
    DealRoomRepository rooms(*m_ws);
    DealRoom open;
    open.account = DealAccount::from(QStringLiteral("Globex"), QStringLiteral("globex.com"), QStringLiteral("US"));
    QVERIFY(rooms.create(open).ok());
    RoomParticipant p{QString(), open.id, m_w.techPartner, {}, ParticipantRole::Technical, {}};
    QVERIFY(rooms.addParticipant(p).ok());
    DealRoom closed;
    closed.account = DealAccount::from(QStringLiteral("Hooli"), QStringLiteral("hooli.com"), QStringLiteral("US"));
    QVERIFY(rooms.create(closed).ok());
    QVERIFY(rooms.moveStage(closed.id, QStringLiteral("closed_won")).ok());

    Registration g = registration(m_w.cloudCo, QStringLiteral("Globex Corporation"), QStringLiteral("app.globex.com"),
                                  QStringLiteral("Canada"));
    auto r = m_regs->submit(g);
    QVERIFY(r.ok());
    QCOMPARE(r->conflicts.size(), 1);
    QCOMPARE(r->conflicts.first().recordKey(), QStringLiteral("room"));
    QCOMPARE(r->conflicts.first().recordId, open.id);
    QCOMPARE(r->conflicts.first().status, QStringLiteral("prospect"));
    QCOMPARE(r->conflicts.first().partnerName, QStringLiteral("Techtonic"));
    Registration byName =
        registration(m_w.cloudCo, QStringLiteral("GLOBEX"), QString(), QStringLiteral("United States"));
    QCOMPARE(m_regs->submit(byName)->conflicts.size(), 1); // the room; g is in Canada

    Registration h = registration(m_w.cloudCo, QStringLiteral("Hooli"), QStringLiteral("hooli.com"), {});
    QVERIFY(m_regs->submit(h)->conflicts.isEmpty());
}

void TestDealConflicts::oneApprovalPerAccountAndProducts()
{
    Registration a = registration(m_w.acmeResellers, QStringLiteral("Acme"), QStringLiteral("acme.com"), {},
                                  {QStringLiteral("Analytics"), QStringLiteral("Storage")});
    Registration b = registration(m_w.cloudCo, QStringLiteral("Acme"), QStringLiteral("www.acme.com"), {},
                                  {QStringLiteral("storage")});
    Registration c = registration(m_w.techPartner, QStringLiteral("Acme"), QStringLiteral("acme.com"), {},
                                  {QStringLiteral("Backup")});
    for (Registration *r : {&a, &b, &c}) {
        QVERIFY(m_regs->submit(*r).ok());
        QVERIFY(m_regs->startReview(r->id).ok());
    }
    QVERIFY(m_regs->approve(a.id).ok());
    auto refused = m_regs->approve(b.id);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(a.id) && refused.error().contains(QStringLiteral("acme.com")),
             qPrintable(refused.error()));
    QCOMPARE(m_regs->find(b.id)->status, RegistrationStatus::UnderReview);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("deal_rooms")), 1);
    // Another product set on the same account is its own protection.
    QVERIFY(m_regs->approve(c.id).ok());
}

void TestDealConflicts::lookupsUseIndexes()
{
    // The check must stay an index lookup however many rooms there are: no full scan of a table.
    for (const QString &sql : ConflictChecker::lookupStatements()) {
        QSqlQuery q(m_ws->db());
        QVERIFY(q.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + sql));
        const int params = int(sql.count(QLatin1Char('?')));
        for (int i = 0; i < params; ++i)
            q.addBindValue(QStringLiteral("x"));
        QVERIFY(q.exec());
        QStringList plan;
        while (q.next())
            plan << q.value(3).toString();
        const QString text = plan.join(QStringLiteral("; "));
        QVERIFY2(text.contains(QStringLiteral("USING INDEX deal_")), qPrintable(text));
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("SCAN r\\b|SCAN deal_"))), qPrintable(text));
    }
}

QTEST_GUILESS_MAIN(TestDealConflicts)
#include "TestDealConflicts.moc"
