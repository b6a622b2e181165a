// The demo's opportunities: one open opportunity per account in the opportunity population, won or lost ones for
// some customers, realistic stages, amounts and dates in the owner's currency, deterministic per seed.
#include "TestSupport.h"
#include "demo/DemoEcosystem.h"
#include "store/Repositories.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

namespace {
qint64 scalar(Workspace &ws, const QString &sql)
{
    QSqlQuery q(ws.db());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QString dump(Workspace &ws)
{
    QSqlQuery q(ws.db());
    q.exec(QStringLiteral("SELECT group_concat(id || account_id || name || stage || state || amount_minor || currency "
                          "|| close_date || crm_owner || external_id, '|') FROM (SELECT * FROM opportunities ORDER BY "
                          "id)"));
    return q.next() ? q.value(0).toString() : QString();
}
} // namespace

class TestDemoOpportunities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void opportunitiesFollowAccounts();
    void amountsDatesAndCurrencies();
    void journaled();
    void deterministicPerSeed();

private:
    std::unique_ptr<test::TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    DemoSummary m_summary;
    DemoOptions m_options;
};

void TestDemoOpportunities::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    m_options.partners = 40;
    m_options.accounts = 3000;
    m_options.seed = 5;
    m_options.year = 2026;
    auto summary = createDemoWorkspace(m_dir->file(QStringLiteral("a.ecotone")), m_options);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    m_summary = summary.value();
    auto ws = Workspace::open(m_dir->file(QStringLiteral("a.ecotone")));
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
}

void TestDemoOpportunities::cleanupTestCase()
{
    m_ws.reset();
    m_dir.reset();
}

void TestDemoOpportunities::opportunitiesFollowAccounts()
{
    QVERIFY(m_summary.opportunities > 0);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), m_summary.opportunities);
    // Exactly one open opportunity per account in the opportunity population, none for prospects.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM accounts a WHERE status = 'opportunity' AND "
                                          "(SELECT COUNT(*) FROM opportunities o WHERE o.account_id = a.id AND "
                                          "o.state = 'open') != 1")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities o JOIN accounts a ON a.id = "
                                          "o.account_id WHERE a.status = 'prospect' OR (a.status = 'customer' AND "
                                          "o.state = 'open') OR (a.status = 'opportunity' AND o.state != 'open')")),
             0);
    const qint64 closed = scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE state != 'open'"));
    const qint64 customers = scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM accounts WHERE status = 'customer'"));
    QVERIFY2(closed > customers / 8 && closed < customers / 2,
             qPrintable(QStringLiteral("%1 of %2").arg(closed).arg(customers)));
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE state = 'won'")) >
            scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE state = 'lost'")));
    // Every row carries what a CRM export would: its account's CRM id and name, the owner, the source.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities o JOIN accounts a ON a.id = "
                                          "o.account_id WHERE o.owner_id != a.owner_id OR o.account_external_id != "
                                          "a.external_id OR o.account_name != a.name OR o.crm_source != a.crm_source")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE account_id IS NULL OR crm_owner "
                                          "= '' OR external_id = ''")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT external_id) FROM opportunities")),
             m_summary.opportunities);
    // Stages as the CRM spells them; closed ones match their state.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE (state = 'won' AND stage NOT "
                                          "LIKE 'Closed won') OR (state = 'lost' AND stage NOT LIKE 'Closed lost') OR "
                                          "(state = 'open' AND stage LIKE 'Closed%')")),
             0);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT stage) FROM opportunities WHERE state = 'open'")) >= 8);
}

void TestDemoOpportunities::amountsDatesAndCurrencies()
{
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE typeof(amount_minor) != "
                                          "'integer' OR amount_minor < 500000 OR amount_minor > 200000000")),
             0);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT MAX(amount_minor) FROM opportunities")) > 50000000);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT MIN(amount_minor) FROM opportunities")) < 2000000);
    // The vendor reports in USD; partners in USD, EUR or GBP by their first region.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities o JOIN organizations g ON g.id = "
                                          "o.owner_id WHERE g.kind = 'vendor' AND o.currency != 'USD'")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT currency) FROM opportunities")), 3);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities o JOIN organizations g ON g.id = "
                                          "o.owner_id WHERE o.currency != CASE json_extract(g.regions, '$[0]') "
                                          "WHEN 'UK & Ireland' THEN 'GBP' WHEN 'DACH' THEN 'EUR' WHEN 'France' THEN "
                                          "'EUR' WHEN 'Benelux' THEN 'EUR' WHEN 'Nordics' THEN 'EUR' WHEN 'Southern "
                                          "Europe' THEN 'EUR' ELSE 'USD' END AND g.kind = 'partner'")),
             0);
    // Closed deals from last year to mid this year; open ones this year to mid next year.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE state != 'open' AND "
                                          "(close_date < '2025-01-01' OR close_date > '2026-06-30')")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE state = 'open' AND "
                                          "(close_date < '2026-01-01' OR close_date > '2027-06-30')")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE length(close_date) != 10")), 0);
}

void TestDemoOpportunities::journaled()
{
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM journal WHERE table_name = 'opportunities' AND op = "
                                          "'insert'")),
             m_summary.opportunities);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM "
                                          "journal j WHERE j.row_id = o.id AND json_extract(j.value, "
                                          "'$.amount_minor') = o.amount_minor)")),
             0);
}

void TestDemoOpportunities::deterministicPerSeed()
{
    const QString again = m_dir->file(QStringLiteral("b.ecotone"));
    QVERIFY(createDemoWorkspace(again, m_options).ok());
    DemoOptions other = m_options;
    other.seed = 6;
    const QString different = m_dir->file(QStringLiteral("c.ecotone"));
    QVERIFY(createDemoWorkspace(different, other).ok());
    auto b = Workspace::open(again);
    auto c = Workspace::open(different);
    QVERIFY(b.ok() && c.ok());
    const QString mine = dump(*m_ws);
    QVERIFY(!mine.isEmpty());
    QCOMPARE(dump(*b.value()), mine);
    QVERIFY(dump(*c.value()) != mine);
}

QTEST_GUILESS_MAIN(TestDemoOpportunities)
#include "TestDemoOpportunities.moc"
