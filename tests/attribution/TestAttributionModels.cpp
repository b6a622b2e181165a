#include "AttributionFixtures.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace ecotone;
using namespace ecotone::attribution;

namespace {
constexpr double kEps = 1e-9;

bool near(double a, double b, double eps = kEps)
{
    return std::abs(a - b) <= eps * std::max(1.0, std::abs(b));
}

QString describe(const PathSet &set, const std::vector<Credit> &credits)
{
    QStringList parts;
    for (int p = 0; p < set.partnerCount(); ++p)
        parts << QStringLiteral("%1=%2/%3")
                     .arg(set.partners().at(p))
                     .arg(credits[size_t(p)].conversions, 0, 'g', 12)
                     .arg(credits[size_t(p)].value, 0, 'g', 12);
    return parts.join(QLatin1Char(' '));
}

std::vector<Credit> run(const PathSet &set, const QString &model, const QMap<QString, QString> &options = {})
{
    auto r = attribute(set, model, options);
    if (!r) {
        qWarning("%s", qPrintable(r.error()));
        return {};
    }
    return r.value().credits;
}

// Brute force: the Shapley value of a game over `players` by averaging over every order of the players.
std::vector<double> bruteShapley(const std::vector<int> &players, const std::function<double(quint64)> &v)
{
    std::vector<int> order(players);
    std::sort(order.begin(), order.end());
    std::vector<double> phi(players.size(), 0.0);
    double orders = 0;
    do {
        quint64 mask = 0;
        for (const int p : order) {
            const double before = v(mask);
            mask |= quint64(1) << p;
            const auto at = std::find(players.begin(), players.end(), p) - players.begin();
            phi[size_t(at)] += v(mask) - before;
        }
        ++orders;
    } while (std::next_permutation(order.begin(), order.end()));
    for (double &x : phi)
        x /= orders;
    return phi;
}

quint64 maskOf(const Journey &j)
{
    quint64 m = 0;
    for (const int t : j.touches)
        m |= quint64(1) << t;
    return m;
}
} // namespace

// Hand-checked cases per model (the issue's own among them) and properties every model must have.
class TestAttributionModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linearIssueCase()
    {
        // A > B > C and A > C, one conversion each: A = 1/3 + 1/2, B = 1/3, C = 1/3 + 1/2.
        const PathSet set = test::paths({{QStringLiteral("A > B > C"), 1, 30, 0}, {QStringLiteral("A > C"), 1, 60, 0}});
        const auto c = run(set, QStringLiteral("linear"));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("A")).conversions, 5.0 / 6));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("B")).conversions, 1.0 / 3));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("C")).conversions, 5.0 / 6));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("A")).value, 10 + 30));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("B")).value, 10));
    }

    void linearPerTouchAndPerPartner()
    {
        const PathSet set = test::paths({{QStringLiteral("a > b > a"), 3, 0, 0}});
        const auto perTouch = run(set, QStringLiteral("linear"));
        QVERIFY(near(test::creditOf(set, perTouch, QStringLiteral("a")).conversions, 2));
        QVERIFY(near(test::creditOf(set, perTouch, QStringLiteral("b")).conversions, 1));
        const auto perPartner =
            run(set, QStringLiteral("linear"), {{QStringLiteral("per"), QStringLiteral("partner")}});
        QVERIFY(near(test::creditOf(set, perPartner, QStringLiteral("a")).conversions, 1.5));
        QVERIFY(near(test::creditOf(set, perPartner, QStringLiteral("b")).conversions, 1.5));
    }

    void firstAndLastTouch()
    {
        const PathSet set = test::paths({{QStringLiteral("a > b > c"), 2, 200, 5}, {QStringLiteral("b"), 1, 50, 0}});
        const auto first = run(set, QStringLiteral("first-touch"));
        const auto last = run(set, QStringLiteral("last-touch"));
        QVERIFY(near(test::creditOf(set, first, QStringLiteral("a")).conversions, 2));
        QVERIFY(near(test::creditOf(set, first, QStringLiteral("b")).value, 50));
        QVERIFY(near(test::creditOf(set, first, QStringLiteral("c")).conversions, 0));
        QVERIFY(near(test::creditOf(set, last, QStringLiteral("c")).conversions, 2));
        QVERIFY(near(test::creditOf(set, last, QStringLiteral("c")).value, 200));
        QVERIFY(near(test::creditOf(set, last, QStringLiteral("a")).conversions, 0));
    }

    void positionBased()
    {
        const PathSet set = test::paths({{QStringLiteral("a > b > c > d"), 1, 0, 0},
                                         {QStringLiteral("e > f"), 1, 0, 0},
                                         {QStringLiteral("g"), 1, 0, 0}});
        const auto c = run(set, QStringLiteral("position-based"));
        const QList<std::pair<const char *, double>> expected = {{"a", 0.4}, {"b", 0.1}, {"c", 0.1}, {"d", 0.4},
                                                                 {"e", 0.5}, {"f", 0.5}, {"g", 1.0}};
        for (const auto &[name, share] : expected)
            QVERIFY2(near(test::creditOf(set, c, QString::fromLatin1(name)).conversions, share),
                     qPrintable(describe(set, c)));
        // Custom weights: a two-touch path splits first/last in their proportion.
        const auto custom =
            run(set, QStringLiteral("position-based"),
                {{QStringLiteral("first"), QStringLiteral("0.5")}, {QStringLiteral("last"), QStringLiteral("0.3")}});
        QVERIFY(near(test::creditOf(set, custom, QStringLiteral("e")).conversions, 0.625));
        QVERIFY(near(test::creditOf(set, custom, QStringLiteral("f")).conversions, 0.375));
        QVERIFY(near(test::creditOf(set, custom, QStringLiteral("b")).conversions, 0.1));
    }

    void timeDecay()
    {
        PathSet set;
        Journey j;
        j.touches = {set.partnerId(QStringLiteral("a")), set.partnerId(QStringLiteral("b")),
                     set.partnerId(QStringLiteral("c"))};
        j.ages = {14, 7, 0}; // weights 1/4, 1/2, 1 with the default 7-day half-life
        j.conversions = 1;
        j.value = 700;
        set.add(j);
        const auto c = run(set, QStringLiteral("time-decay"));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("a")).conversions, 1.0 / 7));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("b")).conversions, 2.0 / 7));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("c")).conversions, 4.0 / 7));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("c")).value, 400));
        const auto longer =
            run(set, QStringLiteral("time-decay"), {{QStringLiteral("half_life_days"), QStringLiteral("14")}});
        const double sum = 0.5 + std::sqrt(0.5) + 1;
        QVERIFY(near(test::creditOf(set, longer, QStringLiteral("a")).conversions, 0.5 / sum));
        // A path file has no times: time decay refuses it instead of guessing.
        const PathSet untimed = test::paths({{QStringLiteral("a > b"), 1, 0, 0}});
        auto refused = attribute(untimed, QStringLiteral("time-decay"));
        QVERIFY(!refused);
        QVERIFY(refused.error().contains(QLatin1String("time")));
    }

    void wShapedWeights_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("marked");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("one touch") << 1 << -1 << QList<double>{1.0};
        QTest::newRow("two touches") << 2 << -1 << QList<double>{0.5, 0.5};
        QTest::newRow("three touches") << 3 << -1 << QList<double>{1.0 / 3, 1.0 / 3, 1.0 / 3};
        QTest::newRow("four touches") << 4 << -1 << QList<double>{0.3, 0.3, 0.1, 0.3};
        QTest::newRow("five touches") << 5 << -1 << QList<double>{0.3, 0.3, 0.05, 0.05, 0.3};
        QTest::newRow("five, opportunity at 4") << 5 << 3 << QList<double>{0.3, 0.05, 0.05, 0.3, 0.3};
        QTest::newRow("three, opportunity at first") << 3 << 0 << QList<double>{0.6, 0.1, 0.3};
        QTest::newRow("two, opportunity at last") << 2 << 1 << QList<double>{1.0 / 3, 2.0 / 3};
    }

    void wShapedWeights()
    {
        QFETCH(int, n);
        QFETCH(int, marked);
        QFETCH(QList<double>, expected);
        const auto w = attribution::wShapedWeights(n, marked, 0.3, 0.3, 0.3, 2);
        QCOMPARE(int(w.size()), expected.size());
        for (int i = 0; i < n; ++i)
            QVERIFY2(near(w[size_t(i)], expected.at(i)),
                     qPrintable(QStringLiteral("touch %1: %2").arg(i).arg(w[size_t(i)])));
        QVERIFY(near(std::accumulate(w.begin(), w.end(), 0.0), 1.0));
    }

    void wShapedOption()
    {
        const PathSet set = test::paths({{QStringLiteral("a > b > c > d > e"), 1, 0, 0}});
        const auto c =
            run(set, QStringLiteral("w-shaped"), {{QStringLiteral("opportunity_touch"), QStringLiteral("3")}});
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("c")).conversions, 0.3));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("b")).conversions, 0.05));
    }

    void shapleyIssueCase()
    {
        // a ×4 and a > b ×6: v({a}) = 4, v({a,b}) = 10, so a = 4 + 6/2 = 7 and b = 3.
        const PathSet set = test::paths({{QStringLiteral("a"), 4, 400, 0}, {QStringLiteral("a > b"), 6, 600, 0}});
        const auto c = run(set, QStringLiteral("shapley"));
        QVERIFY2(near(test::creditOf(set, c, QStringLiteral("a")).conversions, 7), qPrintable(describe(set, c)));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("b")).conversions, 3));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("a")).value, 700));
    }

    void shapleySubsetMatchesBruteForce()
    {
        const PathSet set = test::randomJourneys(7, 200, 6, 4, false);
        std::vector<int> players(6);
        std::iota(players.begin(), players.end(), 0);
        const auto phi = bruteShapley(players, [&](quint64 s) {
            double v = 0;
            for (const Journey &j : set.journeys())
                if ((maskOf(j) & ~s) == 0)
                    v += j.conversions;
            return v;
        });
        const auto c = run(set, QStringLiteral("shapley"));
        for (int p = 0; p < 6; ++p)
            QVERIFY2(near(c[size_t(p)].conversions, phi[size_t(p)], 1e-9), qPrintable(describe(set, c)));
    }

    void shapleyExactHandCase()
    {
        // Rates: {a} 1/2, {b} 1/4, {a,b} 3/4. In the game on {a,b}: phi_a = (1/2 + (3/4 - 1/4)) / 2 = 1/2,
        // phi_b = (1/4 + (3/4 - 1/2)) / 2 = 1/4; {a,b}'s 3 conversions split 2 : 1. Totals a = 1 + 2, b = 1 + 1.
        const PathSet set = test::paths({{QStringLiteral("a"), 1, 10, 1},
                                         {QStringLiteral("b"), 1, 10, 3},
                                         {QStringLiteral("a > b > a"), 3, 30, 1}});
        const auto c = run(set, QStringLiteral("shapley"), {{QStringLiteral("value"), QStringLiteral("exact")}});
        QVERIFY2(near(test::creditOf(set, c, QStringLiteral("a")).conversions, 3), qPrintable(describe(set, c)));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("b")).conversions, 2));
        QVERIFY(near(test::creditOf(set, c, QStringLiteral("a")).value, 30));
    }

    void shapleyExactMatchesBruteForce()
    {
        const PathSet set = test::randomJourneys(11, 400, 7, 5, false);
        // Rates of the observed coalitions, then the game on each converting coalition by brute force.
        std::map<quint64, std::pair<double, double>> outcome;
        for (const Journey &j : set.journeys()) {
            auto &o = outcome[maskOf(j)];
            o.first += j.conversions;
            o.second += j.nulls;
        }
        auto rate = [&](quint64 s) {
            const auto it = outcome.find(s);
            if (it == outcome.end() || it->second.first + it->second.second == 0)
                return 0.0;
            return it->second.first / (it->second.first + it->second.second);
        };
        std::vector<double> expected(7, 0.0);
        for (const auto &[mask, o] : outcome) {
            if (o.first <= 0)
                continue;
            std::vector<int> players;
            for (int p = 0; p < 7; ++p)
                if (mask & (quint64(1) << p))
                    players.push_back(p);
            const auto phi = bruteShapley(players, rate);
            for (size_t i = 0; i < players.size(); ++i)
                expected[size_t(players[i])] += o.first * phi[i] / rate(mask);
        }
        const auto c = run(set, QStringLiteral("shapley"), {{QStringLiteral("value"), QStringLiteral("exact")}});
        for (int p = 0; p < 7; ++p)
            QVERIFY2(near(c[size_t(p)].conversions, expected[size_t(p)], 1e-9), qPrintable(describe(set, c)));
    }

    void markovHandCase()
    {
        // start -> a, b (1/2 each); a converts always, b half the time: P = 3/4. Without a: 1/4 (effect 2/3);
        // without b: 1/2 (effect 1/3). Three conversions split 2 : 1.
        const PathSet set = test::paths({{QStringLiteral("a"), 2, 200, 0}, {QStringLiteral("b"), 1, 40, 1}});
        std::vector<double> effects;
        auto c = markov(set, MarkovOptions{}, &effects);
        QVERIFY(c);
        QVERIFY(near(effects[size_t(set.findPartner(QStringLiteral("a")))], 2.0 / 3));
        QVERIFY(near(effects[size_t(set.findPartner(QStringLiteral("b")))], 1.0 / 3));
        QVERIFY(near(test::creditOf(set, c.value(), QStringLiteral("a")).conversions, 2));
        QVERIFY(near(test::creditOf(set, c.value(), QStringLiteral("b")).conversions, 1));
        // Value: expected value 1/2·100 + 1/2·20 = 60; without a 10 (effect 5/6), without b 50 (effect 1/6).
        QVERIFY(near(test::creditOf(set, c.value(), QStringLiteral("a")).value, 240 * 5.0 / 6));
    }

    void markovWithLoops()
    {
        // a > b > a > b cycles in the order-1 chain: start -> a; a -> b (1); b -> a (1/2), conversion (1/4),
        // null (1/4). P = x_b with x_b = 1/2 x_b + 1/4 => 1/2. Removing either partner breaks every path.
        const PathSet set = test::paths({{QStringLiteral("a > b > a > b"), 1, 0, 1}});
        std::vector<double> effects;
        auto c = markov(set, MarkovOptions{}, &effects);
        QVERIFY(c);
        QVERIFY(near(effects[0], 1) && near(effects[1], 1));
        // Collapsing repeats changes nothing here (no consecutive repeat), but does on a > a > b.
        const PathSet repeats = test::paths({{QStringLiteral("a > a > b"), 1, 0, 0}, {QStringLiteral("b"), 0, 0, 1}});
        auto collapsed =
            attribute(repeats, QStringLiteral("markov"), {{QStringLiteral("collapse"), QStringLiteral("true")}});
        QVERIFY(collapsed);
        QCOMPARE(collapsed.value().options.value(QStringLiteral("collapse")), QStringLiteral("true"));
    }

    void markovHigherOrderLargeChain()
    {
        // Order 3 on 30 partners gives thousands of states: the iterative solver must agree with the totals.
        const PathSet set = test::randomJourneys(5, 20000, 30, 6, false);
        for (int order = 1; order <= 4; ++order) {
            QStringList notes;
            auto c = markov(set, MarkovOptions{order, false}, nullptr, &notes);
            QVERIFY2(c, qPrintable(c.error()));
            double sum = 0;
            for (const Credit &x : c.value())
                sum += x.conversions;
            QVERIFY2(near(sum, set.totalConversions(), 1e-9), qPrintable(notes.join(QLatin1Char(' '))));
        }
    }

    void markovZeroForDeadEnds()
    {
        // z only ever ends journeys that do not convert: removing it loses no conversion.
        const PathSet set = test::paths({{QStringLiteral("a > b"), 3, 0, 1},
                                         {QStringLiteral("b > z"), 0, 0, 2},
                                         {QStringLiteral("a > z"), 0, 0, 1},
                                         {QStringLiteral("b"), 1, 0, 1}});
        const auto c = run(set, QStringLiteral("markov"));
        QVERIFY2(near(test::creditOf(set, c, QStringLiteral("z")).conversions, 0), qPrintable(describe(set, c)));
    }

    void properties_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("options");
        QTest::newRow("first-touch") << QStringLiteral("first-touch") << QString();
        QTest::newRow("last-touch") << QStringLiteral("last-touch") << QString();
        QTest::newRow("linear") << QStringLiteral("linear") << QString();
        QTest::newRow("linear per partner") << QStringLiteral("linear") << QStringLiteral("per=partner");
        QTest::newRow("position-based") << QStringLiteral("position-based") << QString();
        QTest::newRow("time-decay") << QStringLiteral("time-decay") << QString();
        QTest::newRow("w-shaped") << QStringLiteral("w-shaped") << QString();
        QTest::newRow("shapley subset") << QStringLiteral("shapley") << QString();
        QTest::newRow("shapley exact") << QStringLiteral("shapley") << QStringLiteral("value=exact");
        QTest::newRow("markov") << QStringLiteral("markov") << QString();
        QTest::newRow("markov order 3") << QStringLiteral("markov") << QStringLiteral("order=3");
    }

    // Credits add up to the conversions and value; partners in mirrored roles get equal credit; a partner that
    // touches only non-converting journeys gets nothing (for Markov, see markovZeroForDeadEnds and the docs).
    void properties()
    {
        QFETCH(QString, model);
        QFETCH(QString, options);
        QMap<QString, QString> opts;
        if (!options.isEmpty())
            opts.insert(options.section(QLatin1Char('='), 0, 0), options.section(QLatin1Char('='), 1));
        PathSet base = test::randomJourneys(3, 3000, 8, 6, true);
        // Mirror every journey with p0 and p1 swapped, so they are symmetric; add p8 to non-converting ones only.
        PathSet set;
        for (int p = 0; p < 9; ++p)
            set.partnerId(QStringLiteral("p%1").arg(p));
        for (const Journey &j : base.journeys()) {
            Journey mirrored = j;
            for (int &t : mirrored.touches)
                t = t == 0 ? 1 : t == 1 ? 0 : t;
            for (const Journey &k : {j, mirrored}) {
                set.add(k);
                if (k.conversions == 0) {
                    Journey idle = k;
                    idle.touches.insert(idle.touches.begin(), 8);
                    idle.ages.insert(idle.ages.begin(), idle.ages.empty() ? 0 : idle.ages.front() + 1);
                    set.add(idle);
                }
            }
        }
        auto r = attribute(set, model, opts);
        QVERIFY2(r, qPrintable(r.error()));
        const auto &c = r.value().credits;
        double conversions = 0, value = 0;
        for (const Credit &x : c) {
            conversions += x.conversions;
            value += x.value;
        }
        QVERIFY2(near(conversions, set.totalConversions(), 1e-9), qPrintable(describe(set, c)));
        QVERIFY2(near(value, set.totalValue(), 1e-9), qPrintable(describe(set, c)));
        QVERIFY2(near(c[0].conversions, c[1].conversions, 1e-9), qPrintable(describe(set, c)));
        QVERIFY2(near(c[0].value, c[1].value, 1e-9), qPrintable(describe(set, c)));
        if (model != QLatin1String("markov"))
            QVERIFY2(near(c[8].conversions, 0) && near(c[8].value, 0), qPrintable(describe(set, c)));
    }

    void optionErrors_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown model") << QStringLiteral("lineal") << QString() << QString()
                                       << QStringLiteral("Unknown model");
        QTest::newRow("unknown option") << QStringLiteral("linear") << QStringLiteral("pre") << QStringLiteral("touch")
                                        << QStringLiteral("takes per");
        QTest::newRow("no options") << QStringLiteral("first-touch") << QStringLiteral("x") << QStringLiteral("1")
                                    << QStringLiteral("takes no options");
        QTest::newRow("per") << QStringLiteral("linear") << QStringLiteral("per") << QStringLiteral("journey")
                             << QStringLiteral("touch or partner");
        QTest::newRow("weights above 1") << QStringLiteral("position-based") << QStringLiteral("first")
                                         << QStringLiteral("0.7") << QStringLiteral("more than 1");
        QTest::newRow("negative weight") << QStringLiteral("w-shaped") << QStringLiteral("last")
                                         << QStringLiteral("-0.1") << QStringLiteral("from 0 to 1");
        QTest::newRow("half-life") << QStringLiteral("time-decay") << QStringLiteral("half_life_days")
                                   << QStringLiteral("0") << QStringLiteral("above 0");
        QTest::newRow("order") << QStringLiteral("markov") << QStringLiteral("order") << QStringLiteral("5")
                               << QStringLiteral("1, 2, 3 or 4");
        QTest::newRow("collapse") << QStringLiteral("markov") << QStringLiteral("collapse") << QStringLiteral("maybe")
                                  << QStringLiteral("true or false");
        QTest::newRow("shapley value") << QStringLiteral("shapley") << QStringLiteral("value") << QStringLiteral("c")
                                       << QStringLiteral("subset or exact");
    }

    void optionErrors()
    {
        QFETCH(QString, model);
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, message);
        const PathSet set = test::paths({{QStringLiteral("a > b"), 1, 0, 0}});
        QMap<QString, QString> options;
        if (!name.isEmpty())
            options.insert(name, value);
        auto r = attribute(set, model, options);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(message), qPrintable(r.error()));
    }

    void optionsEchoDefaults()
    {
        const PathSet set = test::paths({{QStringLiteral("a > b"), 1, 0, 0}});
        auto r = attribute(set, QStringLiteral("position-based"), {{QStringLiteral("first"), QStringLiteral("0.3")}});
        QVERIFY(r);
        QCOMPARE(r.value().options.value(QStringLiteral("first")), QStringLiteral("0.3"));
        QCOMPARE(r.value().options.value(QStringLiteral("last")), QStringLiteral("0.4"));
    }
};

QTEST_GUILESS_MAIN(TestAttributionModels)
#include "TestAttributionModels.moc"
