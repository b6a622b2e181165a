// Store benchmarks for docs/BENCHMARKS.md:
//   1. `demo create` at a given size (default 5,000 partners / 1,000,000 accounts), wall time;
//   2. journaled writes: N accounts through AccountRepository (row + journal entry each) into a new workspace.
// Usage: bench_store [--partners N] [--accounts N] [--dir DIR]
#include "demo/DemoEcosystem.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace ecotone;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption partnersOpt(QStringLiteral("partners"), QStringLiteral("Partners"), QStringLiteral("N"),
                                         QStringLiteral("5000"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Accounts"), QStringLiteral("N"),
                                         QStringLiteral("1000000"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    parser.addOptions({partnersOpt, accountsOpt, dirOpt});
    parser.process(app);
    const int partners = parser.value(partnersOpt).toInt();
    const qint64 accounts = parser.value(accountsOpt).toLongLong();
    QTemporaryDir tmp;
    const QString dir = parser.isSet(dirOpt) ? parser.value(dirOpt) : tmp.path();

    // 1. demo create
    const QString demoPath = QDir(dir).filePath(QStringLiteral("bench-demo.ecotone"));
    QFile::remove(demoPath);
    QElapsedTimer t;
    t.start();
    DemoOptions options;
    options.partners = partners;
    options.accounts = accounts;
    auto demo = createDemoWorkspace(demoPath, options);
    if (!demo) {
        std::fprintf(stderr, "demo create failed: %s\n", qPrintable(demo.error()));
        return 1;
    }
    const double demoSeconds = double(t.nsecsElapsed()) / 1e9;
    std::printf("demo create: %d partners, %lld accounts, %lld people in %.2f s (limit 60 s)\n", demo->partners,
                demo->accounts, demo->people, demoSeconds);

    // 2. journaled writes through the repository
    const QString importPath = QDir(dir).filePath(QStringLiteral("bench-import.ecotone"));
    QFile::remove(importPath);
    auto ws = Workspace::create(importPath);
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(ws.error()));
        return 1;
    }
    Organization org;
    org.name = QStringLiteral("Bench Partner");
    org.types = {PartnerType::Reseller};
    OrganizationRepository orgs(*ws.value());
    if (!orgs.insert(org))
        return 1;
    AccountRepository repo(*ws.value());
    // Rows are built in batches outside the clock, so the figure is the repository's cost (row + journal entry +
    // indexes + commit), not the benchmark's string formatting.
    constexpr qint64 kBatch = 50000;
    qint64 writeNs = 0;
    QList<Account> batch;
    for (qint64 start = 0; start < accounts; start += kBatch) {
        batch.clear();
        for (qint64 i = start; i < std::min(accounts, start + kBatch); ++i) {
            Account a;
            a.ownerId = org.id;
            a.name = QStringLiteral("Company %1 GmbH").arg(i);
            a.website = QStringLiteral("https://www.company%1.de").arg(i);
            a.domain = QStringLiteral("company%1.de").arg(i);
            a.country = QStringLiteral("DE");
            a.industry = QStringLiteral("Manufacturing");
            a.status = AccountStatus(i % 3);
            a.crmSource = QStringLiteral("csv");
            a.externalId = QString::number(i);
            batch << a;
        }
        t.restart();
        if (Status s = repo.insertMany(batch); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error()));
            return 1;
        }
        writeNs += t.nsecsElapsed();
    }
    const double importSeconds = double(writeNs) / 1e9;
    QSqlQuery q(ws.value()->db());
    q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM journal)"));
    q.next();
    std::printf("journaled writes: %lld accounts (%lld journal entries) in %.2f s = %.0f rows/s (target >= 100000)\n",
                q.value(0).toLongLong(), q.value(1).toLongLong(), importSeconds, double(accounts) / importSeconds);
    return 0;
}
