#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

#include <cmath>

using namespace ecotone;

// The real executable: "ecotone attribution" on path files and on a demo workspace, its JSON and its errors,
// and "ecotone attribution network".
class TestAttributionCli : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    QString m_ws;

    QString writeFile(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.file(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(text);
        return f.fileName();
    }

    static QJsonObject json(const test::CliRun &run) { return QJsonDocument::fromJson(run.out).object(); }

    static double credit(const QJsonObject &o, const QString &partner, const char *what = "conversions")
    {
        return o.value(QStringLiteral("credits"))
            .toObject()
            .value(partner)
            .toObject()
            .value(QString::fromLatin1(what))
            .toDouble(-1);
    }

    static double sum(const QJsonObject &o, const char *what)
    {
        double total = 0;
        const QJsonObject credits = o.value(QStringLiteral("credits")).toObject();
        for (auto it = credits.begin(); it != credits.end(); ++it)
            total += it.value().toObject().value(QString::fromLatin1(what)).toDouble();
        return total;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = m_dir.file(QStringLiteral("attribution.ecotone"));
        auto created = test::runEcotone(
            {QStringLiteral("demo"), QStringLiteral("create"), m_ws, QStringLiteral("--partners"), QStringLiteral("40"),
             QStringLiteral("--accounts"), QStringLiteral("300"), QStringLiteral("--rooms"), QStringLiteral("300")});
        QVERIFY2(created.exitCode == 0, created.err.constData());
        auto listings =
            test::runEcotone({QStringLiteral("demo"), QStringLiteral("listings"), QStringLiteral("--workspace"), m_ws,
                              QStringLiteral("--per-partner-min"), QStringLiteral("1"),
                              QStringLiteral("--per-partner-max"), QStringLiteral("3")});
        QVERIFY2(listings.exitCode == 0, listings.err.constData());
    }

    void issueCasesAsJson()
    {
        const QString file =
            writeFile(QStringLiteral("issue.csv"), "path;total_conversions;total_conversion_value;total_null\n"
                                                   "a;4;400;0\n"
                                                   "a > b;6;600;2\n");
        auto run =
            test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--paths"), file, QStringLiteral("--model"),
                              QStringLiteral("shapley"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = json(run);
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("shapley"));
        QCOMPARE(o.value(QStringLiteral("options")).toObject().value(QStringLiteral("value")).toString(),
                 QStringLiteral("subset"));
        QCOMPARE(credit(o, QStringLiteral("a")), 7.0);
        QCOMPARE(credit(o, QStringLiteral("b")), 3.0);
        QCOMPARE(credit(o, QStringLiteral("a"), "value"), 700.0);

        const QString linear =
            writeFile(QStringLiteral("linear.csv"), "path,total_conversions\nA > B > C,1\nA > C,1\n");
        auto lin = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--paths"), linear,
                                     QStringLiteral("--model"), QStringLiteral("linear")});
        QVERIFY2(lin.exitCode == 0, lin.err.constData());
        QVERIFY(std::abs(credit(json(lin), QStringLiteral("A")) - 5.0 / 6) < 1e-12);
        QVERIFY(std::abs(credit(json(lin), QStringLiteral("B")) - 1.0 / 3) < 1e-12);
    }

    void touchpointFileAndText()
    {
        const QString file =
            writeFile(QStringLiteral("touches.csv"), "journey;partner;at;converted_at;value\n"
                                                     "d1;Alpha;2026-03-01T00:00:00Z;;\n"
                                                     "d1;Beta;2026-03-08T00:00:00Z;2026-03-15T00:00:00Z;700\n"
                                                     "d2;Alpha;2026-03-01T00:00:00Z;;\n");
        auto run = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--touchpoints"), file,
                                     QStringLiteral("--model"), QStringLiteral("time-decay"),
                                     QStringLiteral("--option"), QStringLiteral("half_life_days=7")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // Ages 14 and 7 days: weights 1/4 and 1/2, so Alpha 1/3 and Beta 2/3 of the one conversion.
        QVERIFY(std::abs(credit(json(run), QStringLiteral("Alpha")) - 1.0 / 3) < 1e-12);
        QVERIFY(std::abs(credit(json(run), QStringLiteral("Beta"), "value") - 700 * 2.0 / 3) < 1e-9);
        QCOMPARE(json(run).value(QStringLiteral("totals")).toObject().value(QStringLiteral("nulls")).toDouble(), 1.0);
        auto text = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--touchpoints"), file,
                                      QStringLiteral("--model"), QStringLiteral("last-touch"),
                                      QStringLiteral("--format"), QStringLiteral("text")});
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(text.out, QByteArray("Alpha\t0\t0\nBeta\t1\t700\n"));
    }

    void optionsAndWarnings()
    {
        const QString file = writeFile(QStringLiteral("messy.csv"), "path,total_conversions,total_null\n"
                                                                    "a | | b,2,1\n"
                                                                    "|,1,0\n"
                                                                    "b | c | d | e,1,3\n");
        auto run =
            test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--paths"), file,
                              QStringLiteral("--separator"), QStringLiteral(" | "), QStringLiteral("--model"),
                              QStringLiteral("position-based"), QStringLiteral("--option"), QStringLiteral("first=0.5"),
                              QStringLiteral("--option"), QStringLiteral("last=0.5")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = json(run);
        QCOMPARE(o.value(QStringLiteral("options")).toObject().value(QStringLiteral("first")).toString(),
                 QStringLiteral("0.5"));
        QCOMPARE(credit(o, QStringLiteral("a")), 1.0);
        QCOMPARE(credit(o, QStringLiteral("b")), 1.5);
        QCOMPARE(credit(o, QStringLiteral("c")), 0.0);
        QCOMPARE(o.value(QStringLiteral("warningCount")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("totals")).toObject().value(QStringLiteral("droppedConversions")).toDouble(),
                 1.0);
    }

    void everyModelOnTheWorkspace_data()
    {
        QTest::addColumn<QString>("model");
        for (const char *m :
             {"first-touch", "last-touch", "linear", "position-based", "time-decay", "w-shaped", "shapley", "markov"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }

    void everyModelOnTheWorkspace()
    {
        QFETCH(QString, model);
        auto run = test::runEcotone(
            {QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws, QStringLiteral("--model"), model});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = json(run);
        const QJsonObject totals = o.value(QStringLiteral("totals")).toObject();
        const double conversions = totals.value(QStringLiteral("conversions")).toDouble();
        QVERIFY(std::abs(sum(o, "conversions") - conversions) < 1e-6);
        QVERIFY(std::abs(sum(o, "value") - totals.value(QStringLiteral("value")).toDouble()) <
                1e-6 * std::max(1.0, sum(o, "value")));
        // Every won room that some partner touched is one conversion.
        auto ws = Workspace::open(m_ws);
        QVERIFY(ws);
        QSqlQuery q(ws.value()->db());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT COUNT(*) FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage WHERE s.outcome = 'won' AND ("
            "EXISTS (SELECT 1 FROM deal_room_participants p JOIN organizations o ON o.id = p.organization_id "
            "        WHERE p.room_id = r.id AND o.kind = 'partner') "
            "OR EXISTS (SELECT 1 FROM deal_registrations g WHERE g.room_id = r.id) "
            "OR EXISTS (SELECT 1 FROM deal_referrals f JOIN organizations o ON o.id = f.from_org_id "
            "        WHERE f.room_id = r.id AND o.kind = 'partner') "
            "OR EXISTS (SELECT 1 FROM deal_events e JOIN people pe ON pe.id = e.author_id JOIN organizations o "
            "        ON o.id = pe.organization_id WHERE e.room_id = r.id AND o.kind = 'partner' "
            "        AND e.kind IN ('note', 'call', 'meeting')))")));
        QVERIFY(q.next());
        QCOMPARE(conversions, q.value(0).toDouble());
        QVERIFY2(conversions > 0, "the demo has won rooms");
    }

    void periodFilter()
    {
        auto all = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws,
                                     QStringLiteral("--model"), QStringLiteral("linear")});
        auto none = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws,
                                      QStringLiteral("--model"), QStringLiteral("linear"), QStringLiteral("--to"),
                                      QStringLiteral("1990-01-01")});
        QCOMPARE(none.exitCode, 0);
        QCOMPARE(json(none).value(QStringLiteral("totals")).toObject().value(QStringLiteral("journeys")).toInt(), 0);
        QVERIFY(json(all).value(QStringLiteral("totals")).toObject().value(QStringLiteral("journeys")).toInt() > 0);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString paths = QStringLiteral("--paths");
        QTest::newRow("no source") << QStringList{QStringLiteral("--model"), QStringLiteral("linear")} << 2
                                   << QStringLiteral("exactly one of");
        QTest::newRow("no model") << QStringList{paths, QStringLiteral("x.csv")} << 2
                                  << QStringLiteral("--model is required");
        QTest::newRow("unknown model") << QStringList{paths, QStringLiteral("x.csv"), QStringLiteral("--model"),
                                                      QStringLiteral("u-shaped")}
                                       << 2 << QStringLiteral("Unknown model \"u-shaped\"");
        QTest::newRow("option without value") << QStringList{paths,
                                                             QStringLiteral("x.csv"),
                                                             QStringLiteral("--model"),
                                                             QStringLiteral("markov"),
                                                             QStringLiteral("--option"),
                                                             QStringLiteral("order")}
                                              << 2 << QStringLiteral("NAME=VALUE");
        QTest::newRow("unknown option") << QStringList{paths,
                                                       QStringLiteral("x.csv"),
                                                       QStringLiteral("--model"),
                                                       QStringLiteral("markov"),
                                                       QStringLiteral("--option"),
                                                       QStringLiteral("orders=2")}
                                        << 2 << QStringLiteral("Unknown option \"orders\" for model markov");
        QTest::newRow("bad value") << QStringList{paths,
                                                  QStringLiteral("x.csv"),
                                                  QStringLiteral("--model"),
                                                  QStringLiteral("markov"),
                                                  QStringLiteral("--option"),
                                                  QStringLiteral("order=9")}
                                   << 2 << QStringLiteral("order=9");
        QTest::newRow("missing file") << QStringList{paths, QStringLiteral("/nonexistent/x.csv"),
                                                     QStringLiteral("--model"), QStringLiteral("linear")}
                                      << 1 << QStringLiteral("/nonexistent/x.csv");
        QTest::newRow("bad format") << QStringList{paths,
                                                   QStringLiteral("x.csv"),
                                                   QStringLiteral("--model"),
                                                   QStringLiteral("linear"),
                                                   QStringLiteral("--format"),
                                                   QStringLiteral("xml")}
                                    << 2 << QStringLiteral("--format");
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        auto run = test::runEcotone(QStringList{QStringLiteral("attribution")} + args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void badLineAndTimeDecayOnPaths()
    {
        const QString file = writeFile(QStringLiteral("bad.csv"), "path,total_conversions\na,1\nb,x\n");
        auto bad = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--paths"), file,
                                     QStringLiteral("--model"), QStringLiteral("linear")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(QString::fromUtf8(bad.err).contains(file + QStringLiteral(", line 3")), bad.err.constData());
        const QString good = writeFile(QStringLiteral("good.csv"), "path,total_conversions\na > b,1\n");
        auto decay = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--paths"), good,
                                       QStringLiteral("--model"), QStringLiteral("time-decay")});
        QCOMPARE(decay.exitCode, 1);
        QVERIFY2(decay.err.contains("time of every touch"), decay.err.constData());
    }

    void lockedModelPerPeriod()
    {
        const QString from = QStringLiteral("2000-01-01"), to = QStringLiteral("2100-12-31");
        auto locked =
            test::runEcotone({QStringLiteral("attribution"), QStringLiteral("lock"), QStringLiteral("--workspace"),
                              m_ws, QStringLiteral("--from"), from, QStringLiteral("--to"), to,
                              QStringLiteral("--model"), QStringLiteral("markov"), QStringLiteral("--option"),
                              QStringLiteral("order=2"), QStringLiteral("--by"), QStringLiteral("finance")});
        QVERIFY2(locked.exitCode == 0, locked.err.constData());
        const QJsonObject lock = json(locked);
        const QString id = lock.value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(lock.value(QStringLiteral("options")).toObject().value(QStringLiteral("collapse")).toString(),
                 QStringLiteral("false"));

        // Without --model the period's locked model runs, with its options.
        auto run = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws,
                                     QStringLiteral("--from"), from, QStringLiteral("--to"), to});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(json(run).value(QStringLiteral("model")).toString(), QStringLiteral("markov"));
        QCOMPARE(json(run).value(QStringLiteral("options")).toObject().value(QStringLiteral("order")).toString(),
                 QStringLiteral("2"));
        QCOMPARE(json(run).value(QStringLiteral("lock")).toObject().value(QStringLiteral("used")).toBool(), true);
        // Another model can still be explored; the output says it is not the locked one.
        auto other = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws,
                                       QStringLiteral("--from"), from, QStringLiteral("--to"), to,
                                       QStringLiteral("--model"), QStringLiteral("linear")});
        QCOMPARE(other.exitCode, 0);
        QCOMPARE(json(other).value(QStringLiteral("lock")).toObject().value(QStringLiteral("used")).toBool(true),
                 false);

        auto overlap =
            test::runEcotone({QStringLiteral("attribution"), QStringLiteral("lock"), QStringLiteral("--workspace"),
                              m_ws, QStringLiteral("--from"), QStringLiteral("2026-01-01"), QStringLiteral("--to"),
                              QStringLiteral("2026-03-31"), QStringLiteral("--model"), QStringLiteral("linear")});
        QCOMPARE(overlap.exitCode, 1);
        QVERIFY2(overlap.err.contains(id.toUtf8()), overlap.err.constData());
        auto list = test::runEcotone(
            {QStringLiteral("attribution"), QStringLiteral("locks"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(json(list).value(QStringLiteral("locks")).toArray().size(), 1);
        auto unlocked = test::runEcotone(
            {QStringLiteral("attribution"), QStringLiteral("unlock"), QStringLiteral("--workspace"), m_ws, id});
        QVERIFY2(unlocked.exitCode == 0, unlocked.err.constData());
        auto none = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws,
                                      QStringLiteral("--from"), from, QStringLiteral("--to"), to});
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.err.contains("No model is locked"), none.err.constData());
        auto noPeriod = test::runEcotone({QStringLiteral("attribution"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(noPeriod.exitCode, 2);
        QVERIFY2(noPeriod.err.contains("--from and --to"), noPeriod.err.constData());
    }

    void network()
    {
        auto run = test::runEcotone(
            {QStringLiteral("attribution"), QStringLiteral("network"), QStringLiteral("--workspace"), m_ws});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = json(run);
        QCOMPARE(o.value(QStringLiteral("nodes")).toInt(), 40);
        const int links = o.value(QStringLiteral("referralLinks")).toInt() +
                          o.value(QStringLiteral("sharedRoomLinks")).toInt() +
                          o.value(QStringLiteral("integrationLinks")).toInt();
        QVERIFY(links > 0);
        double weighted = 0, betweenness = 0;
        for (const auto &p : o.value(QStringLiteral("partners")).toArray()) {
            weighted += p.toObject().value(QStringLiteral("weightedDegree")).toDouble();
            const double b = p.toObject().value(QStringLiteral("betweenness")).toDouble();
            QVERIFY(b >= 0 && b <= 1);
            betweenness += b;
        }
        QCOMPARE(weighted, 2.0 * links); // every link counted at both ends
        QVERIFY(betweenness > 0);
    }
};

QTEST_GUILESS_MAIN(TestAttributionCli)
#include "TestAttributionCli.moc"
