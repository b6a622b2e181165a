// Sync benchmarks for docs/BENCHMARKS.md (issue 7), through a real ecotone-server process on loopback:
//   1. upload: a workspace with N accounts pushes them all (first sync of the writer);
//   2. initial sync: a new, empty workspace pulls the N records (target: 100,000 in 5 s or less);
//   3. incremental: the writer changes 100 accounts and syncs (push), the reader syncs (pull), repeated
//      --rounds times (target: 100 ms or less each).
// Usage: bench_sync --server PATH/ecotone-server [--accounts 100000] [--changes 100] [--rounds 20] [--dir DIR]
#include "BenchSupport.h"
#include "store/Repositories.h"
#include "store/Workspace.h"
#include "sync/HttpTransport.h"
#include "sync/SyncEngine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace ecotone;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_sync: %s\n", qPrintable(message));
    std::exit(1);
}

qint64 percentile(QList<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    const qsizetype i = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size() - 1) + 0.5));
    return values.at(i);
}

std::unique_ptr<Workspace> openWorkspace(const QString &path)
{
    auto ws = Workspace::open(path);
    if (!ws)
        die(ws.error());
    return std::move(ws).value();
}

sync::SyncReport syncOnce(Workspace &ws, sync::SyncTransport &transport, qint64 *elapsedMs)
{
    QElapsedTimer t;
    t.start();
    sync::SyncEngine engine(ws, transport);
    auto report = engine.sync();
    *elapsedMs = t.elapsed();
    if (!report)
        die(QStringLiteral("sync failed: %1").arg(report.error()));
    return report.value();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption serverOpt(QStringLiteral("server"), QStringLiteral("ecotone-server binary"),
                                       QStringLiteral("PATH"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Records to sync"),
                                         QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption changesOpt(QStringLiteral("changes"), QStringLiteral("Changes per incremental sync"),
                                        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"), QStringLiteral("Incremental rounds"),
                                       QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    parser.addOptions({serverOpt, accountsOpt, changesOpt, roundsOpt, dirOpt});
    parser.process(app);
    if (!parser.isSet(serverOpt))
        die(QStringLiteral("--server PATH is required"));
    const QString serverBinary = parser.value(serverOpt);
    const qint64 accounts = parser.value(accountsOpt).toLongLong();
    const int changes = parser.value(changesOpt).toInt();
    const int rounds = parser.value(roundsOpt).toInt();
    QTemporaryDir tmp;
    const QDir dir(parser.isSet(dirOpt) ? parser.value(dirOpt) : tmp.path());
    const QString database = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("bench-server.sqlite"));
    QFile::remove(dir.filePath(QStringLiteral("bench-server.sqlite")));

    // The server and one vendor admin.
    const QString password = QStringLiteral("bench sync passphrase 2026");
    {
        QProcess add;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ECOTONE_SERVER_PASSWORD"), password);
        add.setProcessEnvironment(env);
        add.start(serverBinary,
                  {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--database"), database,
                   QStringLiteral("--organization"), QStringLiteral("Bench Vendor"), QStringLiteral("--username"),
                   QStringLiteral("bench"), QStringLiteral("--role"), QStringLiteral("vendor_admin")});
        if (!add.waitForFinished(60000) || add.exitCode() != 0)
            die(QStringLiteral("user add failed: %1").arg(QString::fromUtf8(add.readAllStandardError())));
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::SeparateChannels);
    server.start(serverBinary,
                 {QStringLiteral("--database"), database, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    if (!server.waitForStarted(10000))
        die(QStringLiteral("the server did not start"));
    QString url;
    static const QRegularExpression listening(QStringLiteral("listening on (http://[0-9.]+:[0-9]+)"));
    for (int i = 0; i < 100 && url.isEmpty(); ++i) {
        server.waitForReadyRead(100);
        const auto m = listening.match(QString::fromUtf8(server.readAllStandardOutput()));
        if (m.hasMatch())
            url = m.captured(1);
    }
    if (url.isEmpty())
        die(QStringLiteral("the server printed no address: %1").arg(QString::fromUtf8(server.readAllStandardError())));

    sync::HttpTransport writerTransport(QUrl(url), QStringLiteral("bench"), password);
    sync::HttpTransport readerTransport(QUrl(url), QStringLiteral("bench"), password);
    if (Status s = writerTransport.signIn(); !s)
        die(s.error());
    const sync::TransportReply me = writerTransport.request("GET", QStringLiteral("/api/v1/me"), {});
    const QString vendorId =
        me.body.value(QLatin1String("organization")).toObject().value(QLatin1String("id")).toString();
    if (vendorId.isEmpty())
        die(QStringLiteral("/me named no organization (HTTP %1)").arg(me.status));

    // The writer: the vendor organization with the server's id and N accounts it owns.
    const QString writerPath = dir.filePath(QStringLiteral("writer.ecotone"));
    const QString readerPath = dir.filePath(QStringLiteral("reader.ecotone"));
    QFile::remove(writerPath);
    QFile::remove(readerPath);
    {
        auto created = Workspace::create(writerPath);
        if (!created)
            die(created.error());
        Workspace &ws = *created.value();
        Organization vendor;
        vendor.id = vendorId;
        vendor.kind = OrganizationKind::Vendor;
        vendor.name = QStringLiteral("Bench Vendor");
        if (Status s = OrganizationRepository(ws).insert(vendor); !s)
            die(s.error());
        AccountRepository repo(ws);
        QList<Account> batch;
        const AccountStatus statuses[] = {AccountStatus::Customer, AccountStatus::Prospect, AccountStatus::Opportunity};
        for (qint64 i = 0; i < accounts; ++i) {
            Account a;
            a.ownerId = vendorId;
            a.name = QStringLiteral("Account %1 GmbH").arg(i);
            a.website = QStringLiteral("https://account%1.example.com").arg(i);
            a.country = QStringLiteral("DE");
            a.industry = QStringLiteral("Manufacturing");
            a.status = statuses[i % 3];
            a.crmSource = QStringLiteral("csv");
            batch.append(a);
            if (batch.size() == 10000 || i + 1 == accounts) {
                if (Status s = repo.insertMany(batch); !s)
                    die(s.error());
                batch.clear();
            }
        }
    }
    if (auto reader = Workspace::create(readerPath); !reader)
        die(reader.error());

    auto writer = openWorkspace(writerPath);
    std::printf("bench_sync: %lld accounts, server %s, load %.2f\n", accounts, qPrintable(url), bench::loadAverage());
    qint64 ms = 0;
    sync::SyncReport report = syncOnce(*writer, writerTransport, &ms);
    std::printf("upload (first sync of the writer): %d changes pushed in %lld ms\n", report.pushed, ms);

    auto readerWs = openWorkspace(readerPath);
    report = syncOnce(*readerWs, readerTransport, &ms);
    std::printf("initial sync (empty workspace pulls): %d records in %lld ms  [target <= 5000 ms]\n", report.pulled,
                ms);
    QSqlQuery count(readerWs->db());
    count.exec(QStringLiteral("SELECT count(*) FROM accounts"));
    count.next();
    if (count.value(0).toLongLong() != accounts)
        die(QStringLiteral("the reader has %1 accounts, not %2").arg(count.value(0).toLongLong()).arg(accounts));

    // Incremental: 100 renamed accounts per round.
    QList<qint64> pushTimes, pullTimes;
    AccountRepository writerAccounts(*writer);
    QSqlQuery ids(writer->db());
    ids.exec(QStringLiteral("SELECT id FROM accounts ORDER BY id"));
    QStringList all;
    while (ids.next())
        all << ids.value(0).toString();
    for (int round = 0; round < rounds; ++round) {
        Transaction tx(*writer);
        for (int i = 0; i < changes; ++i) {
            auto found = writerAccounts.find(all.at((qsizetype(round) * changes + i) % all.size()));
            if (!found)
                die(found.error());
            Account a = found.value();
            a.name = QStringLiteral("Renamed %1-%2 AG").arg(round).arg(i);
            if (Status s = writerAccounts.update(a); !s)
                die(s.error());
        }
        if (Status s = tx.commit(); !s)
            die(s.error());
        report = syncOnce(*writer, writerTransport, &ms);
        if (report.pushed != changes)
            die(QStringLiteral("round %1 pushed %2 changes, not %3").arg(round).arg(report.pushed).arg(changes));
        pushTimes << ms;
        report = syncOnce(*readerWs, readerTransport, &ms);
        if (report.pulled != changes)
            die(QStringLiteral("round %1 pulled %2 rows, not %3").arg(round).arg(report.pulled).arg(changes));
        pullTimes << ms;
    }
    std::printf("incremental sync of %d changes, %d rounds: writer (push) median %lld ms, p95 %lld ms, max %lld ms; "
                "reader (pull) median %lld ms, p95 %lld ms, max %lld ms  [target <= 100 ms]\n",
                changes, rounds, percentile(pushTimes, 0.5), percentile(pushTimes, 0.95), percentile(pushTimes, 1.0),
                percentile(pullTimes, 0.5), percentile(pullTimes, 0.95), percentile(pullTimes, 1.0));
    std::printf("load after: %.2f\n", bench::loadAverage());
    server.terminate();
    server.waitForFinished(5000);
    return 0;
}
