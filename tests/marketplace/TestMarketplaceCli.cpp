#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

// The real executable: demo listings, search with facets, fit, listings add/publish/list, usage errors.
class TestMarketplaceCli : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    QString m_ws;

    QJsonObject json(const test::CliRun &run) { return QJsonDocument::fromJson(run.out).object(); }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = m_dir.file(QStringLiteral("cli.ecotone"));
        auto created =
            test::runEcotone({QStringLiteral("demo"), QStringLiteral("create"), m_ws, QStringLiteral("--partners"),
                              QStringLiteral("20"), QStringLiteral("--accounts"), QStringLiteral("300")});
        QVERIFY2(created.exitCode == 0, created.err.constData());
        auto listings =
            test::runEcotone({QStringLiteral("demo"), QStringLiteral("listings"), QStringLiteral("--workspace"), m_ws,
                              QStringLiteral("--per-partner-min"), QStringLiteral("3"),
                              QStringLiteral("--per-partner-max"), QStringLiteral("5")});
        QVERIFY2(listings.exitCode == 0, listings.err.constData());
        QVERIFY(listings.out.startsWith("Added "));
    }

    void searchCountsAgreeWithFacets()
    {
        auto run =
            test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"), QStringLiteral("s"),
                              QStringLiteral("--workspace"), m_ws, QStringLiteral("--limit"), QStringLiteral("5")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = json(run);
        QVERIFY(o.value(QStringLiteral("total")).toInt() > 0);
        QVERIFY(o.value(QStringLiteral("count")).toInt() <= 5);
        const QJsonArray regions =
            o.value(QStringLiteral("facets")).toObject().value(QStringLiteral("region")).toArray();
        QVERIFY(!regions.isEmpty());
        const QJsonObject first = regions.first().toObject();
        auto narrowed = test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"), QStringLiteral("s"),
                                          QStringLiteral("--workspace"), m_ws, QStringLiteral("--region"),
                                          first.value(QStringLiteral("value")).toString()});
        QCOMPARE(narrowed.exitCode, 0);
        QCOMPARE(json(narrowed).value(QStringLiteral("total")).toInt(), first.value(QStringLiteral("count")).toInt());
    }

    void hostileQueryIsText()
    {
        auto run = test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"),
                                     QStringLiteral("\"NEAR(a* OR ^b:c"), QStringLiteral("--workspace"), m_ws});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(json(run).value(QStringLiteral("words")).toArray().size(), 5);
    }

    void usageErrors()
    {
        QCOMPARE(
            test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"), QStringLiteral("x")}).exitCode,
            2);
        QCOMPARE(
            test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"), QStringLiteral("x"),
                              QStringLiteral("--workspace"), m_ws, QStringLiteral("--sort"), QStringLiteral("best")})
                .exitCode,
            2);
        QCOMPARE(test::runEcotone(
                     {QStringLiteral("marketplace"), QStringLiteral("fit"), QStringLiteral("--workspace"), m_ws})
                     .exitCode,
                 2);
        QCOMPARE(test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("fit"), QStringLiteral("--workspace"),
                                   m_ws, QStringLiteral("--partner"), QStringLiteral("No Such Partner")})
                     .exitCode,
                 1);
    }

    void fitAndListingsRoundTrip()
    {
        auto partners =
            test::runEcotone({QStringLiteral("partners"), QStringLiteral("list"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(partners.exitCode, 0);
        const QString partner = json(partners)
                                    .value(QStringLiteral("partners"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("id"))
                                    .toString();
        auto fit = test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("fit"),
                                     QStringLiteral("--workspace"), m_ws, QStringLiteral("--partner"), partner});
        QVERIFY2(fit.exitCode == 0, fit.err.constData());
        const QJsonArray suggestions = json(fit).value(QStringLiteral("suggestions")).toArray();
        QVERIFY(!suggestions.isEmpty());
        QVERIFY(!suggestions.first().toObject().value(QStringLiteral("explanation")).toString().isEmpty());

        // For an account instead: the vendor's first account with an industry; every suggestion says why.
        QString accountId;
        {
            auto ws = Workspace::open(m_ws);
            QVERIFY(ws.ok());
            QSqlQuery q(ws.value()->db());
            QVERIFY(q.exec(QStringLiteral("SELECT a.id FROM accounts a JOIN organizations o ON o.id = a.owner_id "
                                          "WHERE o.kind = 'vendor' AND a.industry <> '' LIMIT 1")) &&
                    q.next());
            accountId = q.value(0).toString();
        }
        auto forAccount =
            test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("fit"), QStringLiteral("--workspace"), m_ws,
                              QStringLiteral("--account"), accountId});
        QVERIFY2(forAccount.exitCode == 0, forAccount.err.constData());
        const QJsonObject accountJson = json(forAccount);
        QCOMPARE(accountJson.value(QStringLiteral("accountId")).toString(), accountId);
        const QJsonArray forIt = accountJson.value(QStringLiteral("suggestions")).toArray();
        QVERIFY(!forIt.isEmpty());
        for (const QJsonValue &v : forIt)
            QVERIFY(!v.toObject().value(QStringLiteral("explanation")).toString().isEmpty());
        QCOMPARE(test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("fit"), QStringLiteral("--workspace"),
                                   m_ws, QStringLiteral("--account"), accountId, QStringLiteral("--partner"), partner})
                     .exitCode,
                 2);

        auto added = test::runEcotone(
            {QStringLiteral("listings"), QStringLiteral("add"), QStringLiteral("--workspace"), m_ws,
             QStringLiteral("--organization"), partner, QStringLiteral("--title"), QStringLiteral("Xylophone Sync"),
             QStringLiteral("--summary"), QStringLiteral("Music for teams"), QStringLiteral("--category"),
             QStringLiteral("Collaboration"), QStringLiteral("--cloud"), QStringLiteral("gcp")});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        const QString id = QString::fromUtf8(added.out).trimmed();
        auto search = [&] {
            return json(test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("search"),
                                          QStringLiteral("xylo"), QStringLiteral("--workspace"), m_ws}))
                .value(QStringLiteral("total"))
                .toInt();
        };
        QCOMPARE(search(), 0); // a draft
        QCOMPARE(test::runEcotone(
                     {QStringLiteral("listings"), QStringLiteral("publish"), QStringLiteral("--workspace"), m_ws, id})
                     .exitCode,
                 0);
        QCOMPARE(search(), 1);
        auto list = test::runEcotone({QStringLiteral("listings"), QStringLiteral("list"), QStringLiteral("--workspace"),
                                      m_ws, QStringLiteral("--organization"), partner});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("Xylophone Sync"));
        auto bad = test::runEcotone({QStringLiteral("listings"), QStringLiteral("add"), QStringLiteral("--workspace"),
                                     m_ws, QStringLiteral("--organization"), partner, QStringLiteral("--title"),
                                     QStringLiteral("X"), QStringLiteral("--cloud"), QStringLiteral("ibm")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains("Unknown cloud marketplace"));
    }

    void collaborationRequests()
    {
        auto partners =
            test::runEcotone({QStringLiteral("partners"), QStringLiteral("list"), QStringLiteral("--workspace"), m_ws});
        const QJsonArray list = json(partners).value(QStringLiteral("partners")).toArray();
        const QString a = list.at(0).toObject().value(QStringLiteral("id")).toString();
        const QString b = list.at(1).toObject().value(QStringLiteral("id")).toString();
        auto sent = test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("request"),
                                      QStringLiteral("--workspace"), m_ws, QStringLiteral("--from"), a,
                                      QStringLiteral("--to"), b, QStringLiteral("--kind"), QStringLiteral("co_sell"),
                                      QStringLiteral("--account"), QStringLiteral("Example Retail")});
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        const QString id = QString::fromUtf8(sent.out).trimmed();
        QCOMPARE(test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("decline"),
                                   QStringLiteral("--workspace"), m_ws, id})
                     .exitCode,
                 2); // no reason
        auto accepted = test::runEcotone(
            {QStringLiteral("marketplace"), QStringLiteral("accept"), QStringLiteral("--workspace"), m_ws, id});
        QVERIFY2(accepted.exitCode == 0, accepted.err.constData());
        QCOMPARE(json(accepted).value(QStringLiteral("status")).toString(), QStringLiteral("accepted"));
        QVERIFY(!json(accepted).value(QStringLiteral("resultId")).toString().isEmpty());
        QCOMPARE(test::runEcotone(
                     {QStringLiteral("marketplace"), QStringLiteral("accept"), QStringLiteral("--workspace"), m_ws, id})
                     .exitCode,
                 1); // answered already
        auto mine = test::runEcotone({QStringLiteral("marketplace"), QStringLiteral("requests"),
                                      QStringLiteral("--workspace"), m_ws, QStringLiteral("--organization"), b});
        QCOMPARE(mine.exitCode, 0);
        QCOMPARE(json(mine).value(QStringLiteral("incoming")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMarketplaceCli)
#include "TestMarketplaceCli.moc"
