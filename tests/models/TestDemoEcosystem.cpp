#include "TestSupport.h"

#include "demo/DemoEcosystem.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
constexpr int kPartners = 60;
constexpr qint64 kAccounts = 3000;

qint64 scalar(Workspace &ws, const QString &sql)
{
    QSqlQuery q(ws.db());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// A digest of everything the generator wrote (not the journal's clock or the device id, which are per run).
QByteArray contentHash(Workspace &ws)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const char *sql : {"SELECT * FROM organizations ORDER BY id", "SELECT * FROM people ORDER BY id",
                            "SELECT * FROM accounts ORDER BY id"}) {
        QSqlQuery q(ws.db());
        q.setForwardOnly(true);
        if (!q.exec(QString::fromLatin1(sql)))
            return {};
        const int columns = q.record().count();
        while (q.next()) {
            for (int i = 0; i < columns; ++i) {
                h.addData(q.value(i).toString().toUtf8());
                h.addData(QByteArrayView("\x1f", 1));
            }
            h.addData(QByteArrayView("\x1e", 1));
        }
    }
    return h.result().toHex();
}

QStringList partnerNames(Workspace &ws)
{
    QStringList out;
    QSqlQuery q(ws.db());
    q.exec(QStringLiteral("SELECT id || ' ' || name FROM organizations ORDER BY id"));
    while (q.next())
        out << q.value(0).toString();
    return out;
}
} // namespace

class TestDemoEcosystem : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void summaryMatchesContent();
    void oneVendorAndAllPartnerTypes();
    void tiersRegionsAndPeople();
    void accountsLookLikeCrmData();
    void companiesOverlapWithLongTail();
    void sameSeedSameContent();
    void differentSeedDiffers();
    void refusesExistingPath();
    void refusesBadOptions_data();
    void refusesBadOptions();
    void progressAndCancel();

private:
    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws; // the small demo, seed 1, shared by the read-only tests
    DemoSummary m_summary;
};

void TestDemoEcosystem::initTestCase()
{
    m_dir = std::make_unique<TempDir>();
    const QString path = m_dir->file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = kPartners;
    options.accounts = kAccounts;
    options.seed = 1;
    auto summary = createDemoWorkspace(path, options);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    m_summary = summary.value();
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
}

void TestDemoEcosystem::cleanupTestCase()
{
    m_ws.reset();
    m_dir.reset();
}

void TestDemoEcosystem::summaryMatchesContent()
{
    QCOMPARE(m_summary.partners, kPartners);
    QCOMPARE(m_summary.accounts, kAccounts);
    auto counts = countRecords(*m_ws);
    QVERIFY(counts.ok());
    QCOMPARE(counts->partners, qint64(kPartners));
    QCOMPARE(counts->accounts, kAccounts);
    QCOMPARE(counts->people, m_summary.people);
    QVERIFY(m_summary.companies > 0);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain != ''")) <=
            m_summary.companies);
    // Every row was journaled, as if a person had entered it.
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")),
             1 + kPartners + m_summary.people + kAccounts + m_summary.opportunities);
    QCOMPARE(scalar(*m_ws, QStringLiteral("PRAGMA foreign_key_check")), -1); // no violations: no row
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM organizations WHERE length(id) != 36")), 0);
}

void TestDemoEcosystem::oneVendorAndAllPartnerTypes()
{
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM organizations WHERE kind = 'vendor'")), 1);
    OrganizationRepository repo(*m_ws);
    auto all = repo.all();
    QVERIFY(all.ok());
    QCOMPARE(all->first().kind, OrganizationKind::Vendor);
    QSet<PartnerType> types;
    QSet<QString> names;
    for (const Organization &o : all.value()) {
        QVERIFY2(organization::validate(o).isEmpty(), qPrintable(o.name));
        QVERIFY2(!o.domain.isEmpty(), qPrintable(o.name));
        QVERIFY2(o.website.startsWith(QStringLiteral("https://")), qPrintable(o.website));
        names.insert(o.name);
        if (o.kind == OrganizationKind::Partner) {
            QVERIFY(!o.types.isEmpty());
            for (PartnerType t : o.types)
                types.insert(t);
        }
    }
    QCOMPARE(names.size(), all->size()); // names are unique
    for (PartnerType t : partnertype::all())
        QVERIFY2(types.contains(t), qPrintable(partnertype::key(t)));
}

void TestDemoEcosystem::tiersRegionsAndPeople()
{
    OrganizationRepository repo(*m_ws);
    auto all = repo.all();
    QVERIFY(all.ok());
    QSet<QString> tiers, regions, statuses;
    for (const Organization &o : all.value()) {
        if (o.kind == OrganizationKind::Vendor)
            continue;
        tiers.insert(o.tier);
        for (const QString &r : o.regions) {
            QVERIFY2(organization::regions().contains(r), qPrintable(r));
            regions.insert(r);
        }
        statuses.insert(o.status);
        QVERIFY(o.joinDate.isValid());
    }
    QVERIFY2(tiers.size() >= 3, qPrintable(QStringList(tiers.values()).join(QLatin1Char(','))));
    QVERIFY(regions.size() >= 6);
    QVERIFY(statuses.contains(QStringLiteral("active")));

    // Every organization, the vendor included, has contacts, with emails at its own domain.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM organizations o WHERE NOT EXISTS "
                                          "(SELECT 1 FROM people p WHERE p.organization_id = o.id)")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = "
                                          "p.organization_id WHERE p.email NOT LIKE '%@' || o.domain")),
             0);
}

void TestDemoEcosystem::accountsLookLikeCrmData()
{
    // Every partner and the vendor hold accounts; statuses, sources and countries vary.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM organizations o WHERE NOT EXISTS "
                                          "(SELECT 1 FROM accounts a WHERE a.owner_id = o.id)")),
             0);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT status) FROM accounts")), 3);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT crm_source) FROM accounts")) >= 2);
    QVERIFY(scalar(*m_ws, QStringLiteral("SELECT COUNT(DISTINCT country) FROM accounts")) >= 10);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM accounts WHERE external_id = ''")), 0);
    // A few accounts have no website on record, most do.
    const qint64 noDomain = scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM accounts WHERE domain = ''"));
    QVERIFY(noDomain > 0);
    QVERIFY(noDomain < kAccounts / 10);
    // The domain is always the registrable domain of the website, however the website was typed.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM accounts WHERE website != '' AND "
                                          "lower(website) NOT LIKE '%' || domain || '%'")),
             0);
}

void TestDemoEcosystem::companiesOverlapWithLongTail()
{
    // Holders per company (companies are identified by their domain across CRMs).
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT holders, COUNT(*) FROM (SELECT COUNT(DISTINCT owner_id) AS holders "
                                  "FROM accounts WHERE domain != '' GROUP BY domain) GROUP BY holders")));
    QMap<int, qint64> histogram;
    qint64 total = 0;
    while (q.next()) {
        histogram.insert(q.value(0).toInt(), q.value(1).toLongLong());
        total += q.value(1).toLongLong();
    }
    QVERIFY(total > 100);
    qint64 fewHolders = 0, threePlus = 0, fivePlus = 0;
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it) {
        (it.key() <= 2 ? fewHolders : threePlus) += it.value();
        if (it.key() >= 5)
            fivePlus += it.value();
    }
    const QString shape = QStringLiteral("1-2: %1, 3+: %2, 5+: %3, max holders %4")
                              .arg(fewHolders)
                              .arg(threePlus)
                              .arg(fivePlus)
                              .arg(histogram.lastKey());
    // Overlap is common: a good share of companies sits in three or more CRMs, the largest in many.
    QVERIFY2(threePlus * 5 >= total, qPrintable(shape));
    QVERIFY2(histogram.lastKey() >= 10, qPrintable(shape));
    // ...but it is a long tail: most companies are in one or two CRMs, far more than in five or more, and
    // "one CRM" is the most common case.
    QVERIFY2(fewHolders * 2 > total, qPrintable(shape));
    QVERIFY2(fewHolders >= 2 * fivePlus, qPrintable(shape));
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it)
        QVERIFY2(histogram.value(1) >= it.value(), qPrintable(shape));
}

void TestDemoEcosystem::sameSeedSameContent()
{
    TempDir dir;
    DemoOptions options;
    options.partners = kPartners;
    options.accounts = kAccounts;
    options.seed = 1;
    const QString path = dir.file(QStringLiteral("again.ecotone"));
    auto summary = createDemoWorkspace(path, options);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    QCOMPARE(summary->people, m_summary.people);
    QCOMPARE(summary->companies, m_summary.companies);
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    QCOMPARE(partnerNames(*ws.value()), partnerNames(*m_ws));
    const QByteArray hash = contentHash(*ws.value());
    QVERIFY(!hash.isEmpty());
    QCOMPARE(hash, contentHash(*m_ws));
    // Only what identifies the file and its clock differs.
    QVERIFY(ws.value()->deviceId() != m_ws->deviceId());
}

void TestDemoEcosystem::differentSeedDiffers()
{
    TempDir dir;
    DemoOptions options;
    options.partners = kPartners;
    options.accounts = kAccounts;
    options.seed = 2;
    const QString path = dir.file(QStringLiteral("seed2.ecotone"));
    auto summary = createDemoWorkspace(path, options);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    QCOMPARE(rowCount(*ws.value(), QStringLiteral("accounts")), kAccounts);
    QVERIFY(contentHash(*ws.value()) != contentHash(*m_ws));

    // Different ids and mostly different partner names (the vendor is the same company in every demo).
    const QStringList a = partnerNames(*m_ws), b = partnerNames(*ws.value());
    QSet<QString> idsA, idsB, namesA, namesB;
    for (const QString &s : a) {
        idsA.insert(s.section(QLatin1Char(' '), 0, 0));
        namesA.insert(s.section(QLatin1Char(' '), 1));
    }
    for (const QString &s : b) {
        idsB.insert(s.section(QLatin1Char(' '), 0, 0));
        namesB.insert(s.section(QLatin1Char(' '), 1));
    }
    QVERIFY(!idsA.intersects(idsB));
    QVERIFY2(namesA.intersect(namesB).size() < kPartners / 4, qPrintable(QString::number(namesA.size())));
}

void TestDemoEcosystem::refusesExistingPath()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("taken.ecotone"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("someone else's file");
    }
    const QByteArray before = fileHash(path);
    DemoOptions options;
    options.partners = 10;
    options.accounts = 100;
    auto summary = createDemoWorkspace(path, options);
    QVERIFY(!summary.ok());
    QVERIFY2(summary.error().contains(QStringLiteral("already exists")), qPrintable(summary.error()));
    QCOMPARE(fileHash(path), before);

    // An existing workspace is refused just the same.
    const QString ws = dir.file(QStringLiteral("workspace.ecotone"));
    QVERIFY(createWorkspace(ws));
    const QByteArray wsBefore = fileHash(ws);
    QVERIFY(!createDemoWorkspace(ws, options).ok());
    QCOMPARE(fileHash(ws), wsBefore);
}

void TestDemoEcosystem::refusesBadOptions_data()
{
    QTest::addColumn<int>("partners");
    QTest::addColumn<qint64>("accounts");
    QTest::newRow("no partners") << 0 << qint64(100);
    QTest::newRow("negative partners") << -5 << qint64(100);
    QTest::newRow("too many partners") << 100001 << qint64(100);
    QTest::newRow("negative accounts") << 10 << qint64(-1);
    QTest::newRow("too many accounts") << 10 << qint64(50'000'001);
}

void TestDemoEcosystem::refusesBadOptions()
{
    QFETCH(int, partners);
    QFETCH(qint64, accounts);
    TempDir dir;
    DemoOptions options;
    options.partners = partners;
    options.accounts = accounts;
    auto summary = createDemoWorkspace(dir.file(QStringLiteral("bad.ecotone")), options);
    QVERIFY(!summary.ok());
    QVERIFY(!summary.error().isEmpty());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
}

void TestDemoEcosystem::progressAndCancel()
{
    // Progress is reported between batches of 20,000 accounts, so the demo needs more than one batch.
    TempDir dir;
    DemoOptions options;
    options.partners = 20;
    options.accounts = 21'000;
    QList<std::pair<qint64, qint64>> calls;
    options.progress = [&calls](qint64 done, qint64 total) {
        calls.append({done, total});
        return true;
    };
    const QString done = dir.file(QStringLiteral("done.ecotone"));
    auto summary = createDemoWorkspace(done, options);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    QVERIFY(calls.size() >= 2);
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls.at(i).second, qint64(21'000));
        if (i > 0)
            QVERIFY(calls.at(i).first >= calls.at(i - 1).first);
    }
    QCOMPARE(calls.last().first, qint64(21'000));

    // Returning false cancels: the error says so and nothing is left on disk.
    int cancelCalls = 0;
    options.progress = [&cancelCalls](qint64, qint64) {
        ++cancelCalls;
        return false;
    };
    const QString cancelled = dir.file(QStringLiteral("cancelled.ecotone"));
    auto result = createDemoWorkspace(cancelled, options);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("Cancelled")), qPrintable(result.error()));
    QCOMPARE(cancelCalls, 1);
    QVERIFY(!QFileInfo::exists(cancelled));
    QVERIFY(!QFileInfo::exists(cancelled + QStringLiteral("-wal")));
    QVERIFY(!QFileInfo::exists(cancelled + QStringLiteral("-shm")));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("done.ecotone")});
}

QTEST_GUILESS_MAIN(TestDemoEcosystem)
#include "TestDemoEcosystem.moc"
