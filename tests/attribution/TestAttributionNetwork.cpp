#include "TestSupport.h"
#include "insights/PartnerNetwork.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <cmath>

using namespace ecotone;
using namespace ecotone::insights;

namespace {
struct Case
{
    int n;
    std::vector<Graph::Edge> edges;
};

Case randomGraph(quint32 seed, int n, int m)
{
    QRandomGenerator rng(seed);
    Case c{n, {}};
    for (int i = 0; i < m; ++i)
        c.edges.push_back(Graph::Edge{int(rng.bounded(n)), int(rng.bounded(n)), double(1 + rng.bounded(3))});
    return c;
}

// Several components, a star, a cycle, a clique and a long path: the shapes where counts of shortest paths differ.
Case shapes()
{
    Case c{40, {}};
    for (int leaf = 1; leaf < 8; ++leaf)
        c.edges.push_back({0, leaf, 1});
    for (int v = 8; v < 16; ++v)
        c.edges.push_back({v, v == 15 ? 8 : v + 1, 1});
    for (int a = 16; a < 21; ++a)
        for (int b = a + 1; b < 21; ++b)
            c.edges.push_back({a, b, 1});
    for (int v = 21; v < 35; ++v)
        c.edges.push_back({v, v + 1, 2});
    c.edges.push_back({7, 8, 1});  // star to cycle
    c.edges.push_back({0, 16, 1}); // star to clique
    c.edges.push_back({0, 16, 4}); // parallel edge: merged
    c.edges.push_back({3, 3, 1});  // self-loop: dropped
    return c;                      // 36..39 isolated
}
} // namespace

// Brandes betweenness, degrees and the graph layout, checked against networkx (python3-networkx) on generated
// graphs, plus small hand-checked graphs.
class TestAttributionNetwork : public QObject
{
    Q_OBJECT

private:
    QString m_python;

    QJsonObject networkx(const Case &c)
    {
        test::TempDir dir;
        QFile file(dir.file(QStringLiteral("graph.txt")));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        QByteArray text = QByteArray::number(c.n) + '\n';
        for (const Graph::Edge &e : c.edges)
            text += QByteArray::number(e.a) + ' ' + QByteArray::number(e.b) + ' ' + QByteArray::number(e.weight) + '\n';
        file.write(text);
        file.close();
        QProcess python;
        python.start(m_python, {QStringLiteral(NETWORKX_SCRIPT), file.fileName()});
        if (!python.waitForFinished(120000) || python.exitCode() != 0) {
            qWarning("%s", python.readAllStandardError().constData());
            return {};
        }
        return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    }

    void compare(const Case &c, int threads)
    {
        const Graph graph(c.n, c.edges);
        const QJsonObject expected = networkx(c);
        QVERIFY2(!expected.isEmpty(), "networkx gave no answer");
        const NetworkMeasures m = measure(graph, threads);
        const std::vector<double> raw = betweenness(graph, false, threads);
        const QJsonArray b = expected.value(QStringLiteral("betweenness")).toArray();
        const QJsonArray r = expected.value(QStringLiteral("raw")).toArray();
        const QJsonArray d = expected.value(QStringLiteral("degree")).toArray();
        const QJsonArray w = expected.value(QStringLiteral("weightedDegree")).toArray();
        QCOMPARE(b.size(), c.n);
        for (int v = 0; v < c.n; ++v) {
            const QString where = QStringLiteral("node %1").arg(v);
            QVERIFY2(std::abs(m.betweenness[size_t(v)] - b.at(v).toDouble()) <= 1e-9, qPrintable(where));
            QVERIFY2(std::abs(raw[size_t(v)] - r.at(v).toDouble()) <= 1e-9 * std::max(1.0, r.at(v).toDouble()),
                     qPrintable(where));
            QCOMPARE(m.degree[size_t(v)], d.at(v).toInt());
            QVERIFY2(std::abs(m.weightedDegree[size_t(v)] - w.at(v).toDouble()) <= 1e-9, qPrintable(where));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!m_python.isEmpty(), "python3 is needed (with python3-networkx) to check betweenness");
        QProcess probe;
        probe.start(m_python, {QStringLiteral("-c"), QStringLiteral("import networkx")});
        QVERIFY2(probe.waitForFinished(60000) && probe.exitCode() == 0,
                 "python3-networkx is needed to check betweenness (apt install python3-networkx)");
    }

    void layout()
    {
        const Graph g(4, {{0, 1, 1}, {1, 0, 2}, {2, 2, 5}, {1, 2, 1}, {7, 1, 1}});
        QCOMPARE(g.edgeCount(), qint64(2)); // 0-1 merged, self-loop and out-of-range edge dropped
        QCOMPARE(g.offset(1 + 1) - g.offset(1), qint64(2));
        QCOMPARE(g.weight(g.offset(0)), 3.0);
        QCOMPARE(g.offset(3 + 1) - g.offset(3), qint64(0));
    }

    void handChecked()
    {
        // A path a-b-c: b lies on the one pair (a, c). A star with 4 leaves: the centre lies on all 6 pairs.
        const Graph path(3, {{0, 1, 1}, {1, 2, 1}});
        QCOMPARE(betweenness(path, false, 1), (std::vector<double>{0, 1, 0}));
        QCOMPARE(betweenness(path, true, 1), (std::vector<double>{0, 1, 0}));
        const Graph star(5, {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}});
        QCOMPARE(betweenness(star, false, 1)[0], 6.0);
        // A 4-cycle: each pair of opposite nodes has two shortest paths, so each node gets 1/2.
        const Graph cycle(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 0, 1}});
        QCOMPARE(betweenness(cycle, false, 1), (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
        QCOMPARE(betweenness(Graph(2, {{0, 1, 1}}), true, 1), (std::vector<double>{0, 0}));
        QVERIFY(betweenness(Graph(), true, 2).empty());
    }

    void againstNetworkx_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<int>("threads");
        for (int threads : {1, 2}) {
            QTest::addRow("shapes, %d thread(s)", threads) << 0 << threads;
            QTest::addRow("sparse random, %d thread(s)", threads) << 1 << threads;
            QTest::addRow("dense random, %d thread(s)", threads) << 2 << threads;
            QTest::addRow("larger random, %d thread(s)", threads) << 3 << threads;
        }
    }

    void againstNetworkx()
    {
        QFETCH(int, which);
        QFETCH(int, threads);
        const Case c = which == 0   ? shapes()
                       : which == 1 ? randomGraph(1, 120, 130)
                       : which == 2 ? randomGraph(2, 50, 600)
                                    : randomGraph(3, 700, 3000);
        compare(c, threads);
    }
};

QTEST_GUILESS_MAIN(TestAttributionNetwork)
#include "TestAttributionNetwork.moc"
