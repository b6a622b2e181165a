// bench_attribution: every attribution model on 1,000,000 generated paths over 30 partners, and Brandes
// betweenness on a 5,000-node / 100,000-edge graph against networkx in the same run (docs/attribution.md).
#include "attribution/AttributionModels.h"
#include "insights/PartnerNetwork.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace ecotone;
using namespace ecotone::attribution;

namespace {
double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

struct Timing
{
    double wall = 0;
    double cpu = 0;
};

Timing timed(const std::function<void()> &body)
{
    QElapsedTimer t;
    const double c0 = cpuSeconds();
    t.start();
    body();
    return {double(t.nsecsElapsed()) / 1e9, cpuSeconds() - c0};
}

// Realistic journeys: 1-8 touches, short ones most common; a few partners carry most touches (Zipf-like);
// one touch in five repeats the previous partner; about 4 % convert, longer journeys more often.
PathSet generate(int count, int partners, quint32 seed, bool timed)
{
    QRandomGenerator rng(seed);
    PathSet set;
    for (int p = 0; p < partners; ++p)
        set.partnerId(QStringLiteral("Partner %1").arg(p + 1, 2, 10, QLatin1Char('0')));
    std::vector<double> cumulative;
    double total = 0;
    for (int p = 0; p < partners; ++p) {
        total += 1.0 / std::pow(p + 1.0, 0.9);
        cumulative.push_back(total);
    }
    auto pick = [&] {
        const double x = rng.generateDouble() * total;
        return int(std::lower_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
    };
    static const int lengthWeights[8] = {30, 24, 17, 11, 8, 5, 3, 2}; // per cent
    for (int i = 0; i < count; ++i) {
        int r = int(rng.bounded(100)), length = 1;
        while (length < 8 && r >= lengthWeights[length - 1]) {
            r -= lengthWeights[length - 1];
            ++length;
        }
        Journey j;
        j.touches.reserve(size_t(length));
        for (int t = 0; t < length; ++t)
            j.touches.push_back(t > 0 && rng.bounded(5) == 0 ? j.touches.back() : pick());
        if (timed) {
            double age = rng.bounded(30.0);
            j.ages.resize(size_t(length));
            for (int t = length; t-- > 0;) {
                j.ages[size_t(t)] = age;
                age += rng.bounded(14.0);
            }
        }
        const bool converts = rng.generateDouble() < 0.02 + 0.006 * length;
        j.conversions = converts ? 1 : 0;
        j.value = converts ? 5000 + rng.bounded(95000) : 0;
        j.nulls = converts ? 0 : 1;
        set.add(std::move(j));
    }
    return set;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption pathsOption(QStringLiteral("paths"), QStringLiteral("Generated paths."),
                                         QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption partnersOption(QStringLiteral("partners"), QStringLiteral("Partners."),
                                            QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption nodesOption(QStringLiteral("nodes"), QStringLiteral("Network nodes."), QStringLiteral("N"),
                                         QStringLiteral("5000"));
    const QCommandLineOption edgesOption(QStringLiteral("edges"), QStringLiteral("Network edges."), QStringLiteral("N"),
                                         QStringLiteral("100000"));
    const QCommandLineOption sourcesOption(
        QStringLiteral("networkx-sources"),
        QStringLiteral("networkx runs Brandes from this many sources and is extrapolated to all (0: the full run, "
                       "many minutes)."),
        QStringLiteral("K"), QStringLiteral("250"));
    const QCommandLineOption scriptOption(QStringLiteral("script"), QStringLiteral("bench/network_networkx.py"),
                                          QStringLiteral("FILE"), QStringLiteral(BENCH_NETWORKX_SCRIPT));
    const QCommandLineOption skipNetwork(QStringLiteral("no-network"), QStringLiteral("Skip the betweenness part."));
    const QCommandLineOption skipModels(QStringLiteral("no-models"), QStringLiteral("Skip the models part."));
    parser.addOptions(
        {pathsOption, partnersOption, nodesOption, edgesOption, sourcesOption, scriptOption, skipNetwork, skipModels});
    parser.process(app);
    const int count = parser.value(pathsOption).toInt();
    const int partners = parser.value(partnersOption).toInt();
    std::printf("load average at start: %s\n", qPrintable(loadAverage()));

    if (!parser.isSet(skipModels)) {
        PathSet set;
        const Timing generated = timed([&] { set = generate(count, partners, 1, false); });
        const size_t rows = set.journeys().size();
        const Timing aggregated = timed([&] { set.aggregate(); });
        std::printf("generated %d paths over %d partners in %.2f s; aggregated to %zu distinct paths in %.3f s "
                    "(CPU %.3f s)\n",
                    count, partners, generated.wall, set.journeys().size(), aggregated.wall, aggregated.cpu);
        Q_UNUSED(rows);
        PathSet timedSet = generate(count, partners, 1, true);

        struct Run
        {
            const char *model;
            QMap<QString, QString> options;
            double limit;
            bool timedData = false;
        };
        const QList<Run> runs = {
            {"first-touch", {}, 1.0},
            {"last-touch", {}, 1.0},
            {"linear", {}, 1.0},
            {"linear", {{QStringLiteral("per"), QStringLiteral("partner")}}, 1.0},
            {"position-based", {}, 1.0},
            {"time-decay", {}, 1.0, true},
            {"w-shaped", {}, 1.0},
            {"shapley", {}, 3.0},
            {"shapley", {{QStringLiteral("value"), QStringLiteral("exact")}}, 3.0},
            {"markov", {}, 3.0},
            {"markov", {{QStringLiteral("collapse"), QStringLiteral("true")}}, 3.0},
            {"markov", {{QStringLiteral("order"), QStringLiteral("2")}}, 0},
            {"markov", {{QStringLiteral("order"), QStringLiteral("3")}}, 0},
            {"markov", {{QStringLiteral("order"), QStringLiteral("4")}}, 0},
        };
        for (const Run &r : runs) {
            const PathSet &data = r.timedData ? timedSet : set;
            Result<AttributionResult> result = Error{};
            const Timing t = timed([&] { result = attribute(data, QString::fromLatin1(r.model), r.options); });
            if (!result) {
                std::fprintf(stderr, "bench_attribution: %s\n", qPrintable(result.error()));
                return 1;
            }
            double sum = 0;
            for (const Credit &c : result.value().credits)
                sum += c.conversions;
            QStringList opts;
            for (auto it = r.options.constBegin(); it != r.options.constEnd(); ++it)
                opts << it.key() + QLatin1Char('=') + it.value();
            const QString label =
                QString::fromLatin1(r.model) +
                (opts.isEmpty() ? QString() : QStringLiteral(" (") + opts.join(QLatin1Char(' ')) + QLatin1Char(')'));
            std::printf("%-34s %7.3f s wall, %7.3f s CPU%s  credits %.1f of %.1f%s%s\n", qPrintable(label), t.wall,
                        t.cpu, r.limit > 0 ? qPrintable(QStringLiteral(" (limit %1 s)").arg(r.limit)) : "", sum,
                        data.totalConversions(), r.timedData ? " [1,000,000 timed journeys, not aggregated]" : "",
                        result.value().notes.isEmpty()
                            ? ""
                            : qPrintable(QStringLiteral("  [") + result.value().notes.join(QStringLiteral("; ")) +
                                         QLatin1Char(']')));
        }
        // The path file as the CLI reads it (informational: parsing CSV, not a model).
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("paths.csv"));
        {
            QFile out(file);
            if (!out.open(QIODevice::WriteOnly))
                return 1;
            QByteArray text("path,total_conversions,total_conversion_value,total_null\n");
            PathSet raw = generate(count, partners, 1, false);
            for (const Journey &j : raw.journeys()) {
                for (size_t i = 0; i < j.touches.size(); ++i) {
                    if (i)
                        text += " > ";
                    text += raw.partners().at(j.touches[i]).toUtf8();
                }
                text += ',' + QByteArray::number(j.conversions) + ',' + QByteArray::number(j.value) + ',' +
                        QByteArray::number(j.nulls) + '\n';
            }
            out.write(text);
        }
        Result<PathSet> read = Error{};
        const Timing t = timed([&] { read = readPathFile(file); });
        if (!read) {
            std::fprintf(stderr, "bench_attribution: %s\n", qPrintable(read.error()));
            return 1;
        }
        std::printf("reading the %d-row path file (%lld MB) and aggregating: %.2f s wall, %.2f s CPU\n", count,
                    QFile(file).size() / 1000000, t.wall, t.cpu);
    }

    if (!parser.isSet(skipNetwork)) {
        const int n = parser.value(nodesOption).toInt();
        const int m = parser.value(edgesOption).toInt();
        // Distinct random edges (networkx.Graph merges parallel ones; so does Graph).
        QRandomGenerator rng(7);
        QSet<quint64> seen;
        std::vector<insights::Graph::Edge> edges;
        while (int(edges.size()) < m) {
            int a = int(rng.bounded(n)), b = int(rng.bounded(n));
            if (a == b)
                continue;
            if (a > b)
                std::swap(a, b);
            if (seen.contains((quint64(a) << 32) | quint64(b)))
                continue;
            seen.insert((quint64(a) << 32) | quint64(b));
            edges.push_back({a, b, 1});
        }
        const insights::Graph graph(n, edges);
        std::vector<double> two, one;
        const Timing t2 = timed([&] { two = insights::betweenness(graph, true, 2); });
        const Timing t1 = timed([&] { one = insights::betweenness(graph, true, 1); });
        std::printf("betweenness, %d nodes, %lld edges: %.3f s wall on 2 threads (CPU %.3f s), %.3f s wall on 1 "
                    "thread\n",
                    n, graph.edgeCount(), t2.wall, t2.cpu, t1.wall);

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("graph.txt"));
        {
            QFile out(file);
            if (!out.open(QIODevice::WriteOnly))
                return 1;
            QByteArray text = QByteArray::number(n) + '\n';
            for (const auto &e : edges)
                text += QByteArray::number(e.a) + ' ' + QByteArray::number(e.b) + '\n';
            out.write(text);
        }
        const int k = parser.value(sourcesOption).toInt();
        QProcess python;
        python.start(QStandardPaths::findExecutable(QStringLiteral("python3")),
                     {parser.value(scriptOption), file, QStringLiteral("--sources"), QString::number(k)});
        if (!python.waitForFinished(-1) || python.exitCode() != 0) {
            std::fprintf(stderr, "bench_attribution: networkx failed: %s\n", python.readAllStandardError().constData());
            return 1;
        }
        const QJsonObject nx = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        const int sources = nx.value(QStringLiteral("sources")).toInt();
        // The same sources in C++: the sums must agree with networkx's.
        std::vector<int> first(static_cast<size_t>(sources));
        for (int s = 0; s < sources; ++s)
            first[size_t(s)] = s;
        const std::vector<double> ours = insights::dependencySums(graph, first, 2);
        const QJsonArray theirs = nx.value(QStringLiteral("sums")).toArray();
        double worst = 0;
        for (int v = 0; v < n; ++v)
            worst = std::max(worst, std::abs(ours[size_t(v)] - theirs.at(v).toDouble()) /
                                        std::max(1.0, std::abs(theirs.at(v).toDouble())));
        const double nxAll = nx.value(QStringLiteral("secondsAllSources")).toDouble();
        std::printf("networkx %s: %.1f s for %d of %d sources -> %.1f s for all; largest relative difference %.2g\n",
                    qPrintable(nx.value(QStringLiteral("networkx")).toString()),
                    nx.value(QStringLiteral("seconds")).toDouble(), sources, n, nxAll, worst);
        std::printf("betweenness speed-up over networkx: %.0fx (2 threads), %.0fx (1 thread)\n", nxAll / t2.wall,
                    nxAll / t1.wall);
        if (worst > 1e-9) {
            std::fprintf(stderr, "bench_attribution: betweenness differs from networkx\n");
            return 1;
        }
    }
    std::printf("load average at end: %s\n", qPrintable(loadAverage()));
    return 0;
}
