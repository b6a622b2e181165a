// importAccounts() in process, as the import dialog calls it: chosen columns, progress from the reader thread,
// cancelling midway, and files that are not CSV at all (100 MB on one line) refused quickly with the workspace
// unchanged.
#include "TestSupport.h"

#include "demo/DemoEcosystem.h"
#include "mapping/AccountImport.h"
#include "mapping/CrmAccounts.h"
#include "store/Repositories.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>

#include <mutex>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

using namespace ecotone;
using namespace Qt::Literals::StringLiterals;

namespace {
// What a failed import must leave alone: row counts, the journal's count and last entry, and the accounts' content.
struct Snapshot
{
    qint64 accounts = -1;
    qint64 journal = -1;
    qint64 lastSeq = -1;
    QByteArray accountsHash;
    bool operator==(const Snapshot &) const = default;
};

Snapshot snapshot(Workspace &ws)
{
    Snapshot s;
    s.accounts = test::rowCount(ws, u"accounts"_s);
    s.journal = test::rowCount(ws, u"journal"_s);
    QSqlQuery q(ws.db());
    if (q.exec(u"SELECT COALESCE(MAX(seq), 0) FROM journal"_s) && q.next())
        s.lastSeq = q.value(0).toLongLong();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (q.exec(u"SELECT id, owner_id, name, website, domain, country, status, external_id FROM accounts ORDER BY id"_s))
        while (q.next())
            for (int i = 0; i < 8; ++i) {
                hash.addData(q.value(i).toString().toUtf8());
                hash.addData(QByteArrayView("\x1f", 1));
            }
    s.accountsHash = hash.result();
    return s;
}

char *toString(const Snapshot &s)
{
    return qstrdup(QByteArray("accounts " + QByteArray::number(s.accounts) + ", journal " +
                              QByteArray::number(s.journal) + ", last seq " + QByteArray::number(s.lastSeq) + ", " +
                              s.accountsHash.toHex().left(12))
                       .constData());
}

qint64 peakRssKb()
{
#ifdef Q_OS_LINUX
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
#else
    return 0;
#endif
}
} // namespace

class TestAccountImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void columns();
    void badColumn();
    void progress();
    void cancelMidway();
    void singleLine_data();
    void singleLine();

private:
    QString write(const QString &name, const QByteArray &bytes);
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_owner;
    QString m_otherOwner; // with only its demo accounts, so loading them does not count in timings
};

QString TestAccountImport::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.file(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestAccountImport::initTestCase()
{
    const QString path = m_dir.file(u"w.ecotone"_s);
    DemoOptions options;
    options.partners = 4;
    options.accounts = 60;
    QVERIFY(createDemoWorkspace(path, options).ok());
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
    auto all = OrganizationRepository(*m_ws).all();
    QVERIFY(all.ok() && all->size() > 1);
    m_owner = all->at(1).id; // [0] is the vendor
    m_otherOwner = all->at(2).id;
}

void TestAccountImport::columns()
{
    const QString path = write(u"mapped.csv"_s, "Key;Label;Firm;Web;Land;Stage\n"
                                                "M-1;x;Mapped Alpha GmbH;https://www.alpha-mapped.de/;DE;Customer\n"
                                                "M-2;y;Mapped Beta;;FR;Prospect\n");
    const Snapshot before = snapshot(*m_ws);
    AccountImportOptions options;
    options.columns = {{u"id"_s, u"Key"_s},
                       {u"name"_s, u"Firm"_s},
                       {u"website"_s, u"Web"_s},
                       {u"country"_s, u"Land"_s},
                       {u"status"_s, u"Stage"_s}};
    auto report = importAccounts(*m_ws, m_owner, path, options);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 2);
    QCOMPARE(test::rowCount(*m_ws, u"accounts"_s), before.accounts + 2);
    QCOMPARE(test::rowCount(*m_ws, u"journal"_s), before.journal + 2); // every row journaled
    auto accounts = AccountRepository(*m_ws).forOwner(m_owner);
    QVERIFY(accounts.ok());
    const auto alpha =
        std::find_if(accounts->cbegin(), accounts->cend(), [](const Account &a) { return a.externalId == u"M-1"_s; });
    QVERIFY(alpha != accounts->cend());
    QCOMPARE(alpha->name, u"Mapped Alpha GmbH"_s);
    QCOMPARE(alpha->domain, u"alpha-mapped.de"_s);
    QCOMPARE(alpha->country, u"DE"_s);
    QCOMPARE(alpha->status, AccountStatus::Customer);
}

void TestAccountImport::badColumn()
{
    const QString path = write(u"bad-column.csv"_s, "Id,Name,Website\nB-1,Bad Column Co,badcolumn.com\n");
    const Snapshot before = snapshot(*m_ws);
    AccountImportOptions options;
    options.columns = {{u"country"_s, u"Billing Country"_s}};
    auto report = importAccounts(*m_ws, m_owner, path, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(u"\"Billing Country\""_s), qPrintable(report.error()));
    QCOMPARE(snapshot(*m_ws), before);
}

namespace {
// Rows enough for several MiB, so progress is reported several times.
QByteArray bigExport(const QByteArray &prefix, int rows)
{
    QByteArray csv = "Id,Name,Website,BillingCountry,Type\n";
    csv.reserve(rows * 90);
    for (int i = 0; i < rows; ++i)
        csv += prefix + QByteArray::number(i) + ",Progress Company " + QByteArray::number(i) + ",https://www.pc" +
               QByteArray::number(i) + ".example.org/,Germany,Customer - Direct\n";
    return csv;
}
} // namespace

void TestAccountImport::progress()
{
    const QByteArray csv = bigExport("P", 50'000);
    const QString path = write(u"progress.csv"_s, csv);
    std::mutex mutex;
    QList<QPair<qint64, qint64>> calls;
    AccountImportOptions options;
    options.progress = [&](qint64 done, qint64 total) {
        std::lock_guard lock(mutex);
        calls.append({done, total});
        return true;
    };
    const Snapshot before = snapshot(*m_ws);
    auto report = importAccounts(*m_ws, m_owner, path, options);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 50'000);
    QCOMPARE(test::rowCount(*m_ws, u"journal"_s), before.journal + 50'000);
    QVERIFY2(calls.size() >= 4, qPrintable(QString::number(calls.size())));
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls.at(i).second, qint64(csv.size()));
        if (i > 0)
            QVERIFY2(calls.at(i).first > calls.at(i - 1).first, "progress must grow");
    }
    QCOMPARE(calls.last().first, qint64(csv.size()));
}

void TestAccountImport::cancelMidway()
{
    const QString path = write(u"cancel.csv"_s, bigExport("C", 80'000));
    const Snapshot before = snapshot(*m_ws);
    int calls = 0;
    AccountImportOptions options;
    options.progress = [&](qint64, qint64) { return ++calls < 4; }; // the reader is well into the file by then
    auto report = importAccounts(*m_ws, m_owner, path, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(u"cancelled"_s) && report.error().contains(u"nothing was changed"_s),
             qPrintable(report.error()));
    QCOMPARE(calls, 4);
    QCOMPARE(snapshot(*m_ws), before);
    QCOMPARE(m_ws->transactionDepth(), 0);

    // The same file without cancelling imports whole: the cancel, not the file, stopped it.
    auto again = importAccounts(*m_ws, m_owner, path);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again->inserted, 80'000);
}

void TestAccountImport::singleLine_data()
{
    QTest::addColumn<bool>("withHeader");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("header, then a 100 MB field") << true << u", line 2: a record longer than"_s;
    QTest::newRow("100 MB without a line end") << false << u", line 1: the first line is longer than"_s;
}

void TestAccountImport::singleLine()
{
    QFETCH(bool, withHeader);
    QFETCH(QString, fragment);
    constexpr qint64 kSize = 100LL << 20;
    const QString path = m_dir.file(u"one-line.csv"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        if (withHeader)
            QVERIFY(f.write("Id,Name,Website\n1,") == 18);
        const QByteArray block(1 << 20, 'x');
        while (f.size() < kSize)
            QVERIFY(f.write(block) == block.size());
    }
    QVERIFY(QFileInfo(path).size() >= kSize);
    const Snapshot before = snapshot(*m_ws);
    const qint64 rssBefore = peakRssKb();

    QElapsedTimer timer;
    timer.start();
    auto read = crmaccounts::read(path);
    const qint64 readMs = timer.restart();
    QVERIFY(!read.ok());
    QVERIFY2(read.error().contains(path + fragment), qPrintable(read.error()));

    auto report = importAccounts(*m_ws, m_otherOwner, path);
    const qint64 importMs = timer.elapsed();
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(path + fragment), qPrintable(report.error()));
    QCOMPARE(snapshot(*m_ws), before);
    QCOMPARE(m_ws->transactionDepth(), 0);

    // Refused after the 4M-character record limit, not after reading 100 MB into memory. Generous bounds: the
    // machine may be shared; reading a few MB takes well under 100 ms when it is not.
    QVERIFY2(readMs < 3000 && importMs < 3000, qPrintable(u"%1 ms, %2 ms"_s.arg(readMs).arg(importMs)));
#ifdef Q_OS_LINUX
    const qint64 grewKb = peakRssKb() - rssBefore;
    QVERIFY2(grewKb < 64 * 1024, qPrintable(u"peak memory grew by %1 KB"_s.arg(grewKb)));
#endif
    QVERIFY(QFile::remove(path));
}

QTEST_GUILESS_MAIN(TestAccountImport)
#include "TestAccountImport.moc"
