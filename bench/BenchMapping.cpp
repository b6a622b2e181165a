// Account Mapping pane benchmark: how long a partner switch takes on a large workspace (default: the demo with 5,000
// partners and 1,000,000 accounts, the vendor holding 150,000). Measures, through OverlapSource as the pane uses it:
//   1. the first computation (loads, normalizes and indexes the vendor side, then matches one partner);
//   2. N partner switches (the vendor side cached): read the partner's accounts, match, build cells.
// Usage: bench_mapping [--workspace FILE | --partners N --accounts N] [--switches N]
#include "demo/DemoEcosystem.h"
#include "mapping/WorkspaceOverlap.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace ecotone;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"),
                                          QStringLiteral("An existing workspace (created when missing)"),
                                          QStringLiteral("FILE"));
    const QCommandLineOption partnersOpt(QStringLiteral("partners"), QStringLiteral("Partners"), QStringLiteral("N"),
                                         QStringLiteral("5000"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Accounts"), QStringLiteral("N"),
                                         QStringLiteral("1000000"));
    const QCommandLineOption switchesOpt(QStringLiteral("switches"), QStringLiteral("Partner switches to time"),
                                         QStringLiteral("N"), QStringLiteral("50"));
    parser.addOptions({workspaceOpt, partnersOpt, accountsOpt, switchesOpt});
    parser.process(app);
    QTemporaryDir tmp;
    const QString path =
        parser.isSet(workspaceOpt) ? parser.value(workspaceOpt) : tmp.filePath(QStringLiteral("bench.ecotone"));
    if (!QFileInfo::exists(path)) {
        DemoOptions options;
        options.partners = parser.value(partnersOpt).toInt();
        options.accounts = parser.value(accountsOpt).toLongLong();
        QElapsedTimer t;
        t.start();
        auto demo = createDemoWorkspace(path, options);
        if (!demo) {
            std::fprintf(stderr, "bench_mapping: %s\n", qPrintable(demo.error()));
            return 1;
        }
        std::printf("demo create: %d partners, %lld accounts in %.1f s\n", demo->partners, qlonglong(demo->accounts),
                    double(t.elapsed()) / 1000);
    }

    overlap::OverlapSource source(path);
    auto partners = source.partners();
    if (!partners || partners->isEmpty()) {
        std::fprintf(stderr, "bench_mapping: no partners (%s)\n", qPrintable(partners.error()));
        return 1;
    }
    const QList<overlap::Population> populations = overlap::standardPopulations();
    QElapsedTimer t;
    t.start();
    auto first = source.compute(partners->first().id, populations);
    if (!first) {
        std::fprintf(stderr, "bench_mapping: %s\n", qPrintable(first.error()));
        return 1;
    }
    std::printf("first computation (vendor side: %lld records, %lld companies): %lld ms\n",
                qlonglong(first->oursSummary.records), qlonglong(first->oursSummary.companies), qlonglong(t.elapsed()));

    QRandomGenerator rng(7);
    std::vector<double> times;
    qint64 records = 0, links = 0;
    const int switches = parser.value(switchesOpt).toInt();
    for (int i = 0; i < switches; ++i) {
        const overlap::PartnerEntry &p = partners->at(rng.bounded(int(partners->size())));
        QElapsedTimer s;
        s.start();
        auto result = source.compute(p.id, populations);
        times.push_back(double(s.nsecsElapsed()) / 1e6);
        if (!result) {
            std::fprintf(stderr, "bench_mapping: %s\n", qPrintable(result.error()));
            return 1;
        }
        records += result->theirsSummary.records;
        for (const overlap::Cell &c : result->cells)
            links += c.links;
    }
    std::sort(times.begin(), times.end());
    auto at = [&](double q) { return times[std::min(times.size() - 1, size_t(q * double(times.size())))]; };
    std::printf("partner switch over %d partners (avg %.0f accounts, %.0f links each): median %.1f ms, p90 %.1f ms, "
                "max %.1f ms\n",
                switches, double(records) / switches, double(links) / switches, at(0.5), at(0.9), times.back());
    return 0;
}
