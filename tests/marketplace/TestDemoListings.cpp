#include "MarketplaceFixtures.h"

#include "demo/DemoEcosystem.h"
#include "demo/DemoListings.h"
#include "marketplace/MarketplaceSearch.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

class TestDemoListings : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;

    QStringList fingerprint(Workspace &ws)
    {
        QStringList out;
        QSqlQuery q(ws.db());
        q.exec(
            QStringLiteral("SELECT id, kind, title, state, integrates_with, bundle_members FROM listings ORDER BY id"));
        while (q.next())
            out << q.value(0).toString() + q.value(1).toString() + q.value(2).toString() + q.value(3).toString() +
                       q.value(4).toString() + q.value(5).toString();
        return out;
    }

private Q_SLOTS:
    void everyPartnerGetsListings()
    {
        QStringList prints;
        for (int run = 0; run < 2; ++run) {
            const QString path = m_dir.file(QStringLiteral("d%1.ecotone").arg(run));
            DemoOptions options;
            options.partners = 30;
            options.accounts = 100;
            QVERIFY(createDemoWorkspace(path, options));
            auto ws = Workspace::open(path);
            QVERIFY2(ws, qPrintable(ws.error()));
            auto summary = addDemoListings(*ws.value(), 7, 3, 6);
            QVERIFY2(summary, qPrintable(summary.error()));
            QVERIFY(summary->listings >= 30 * 3 - 30 && summary->listings <= 30 * 6);
            QVERIFY(summary->integrations > 0);
            QVERIFY(summary->published > summary->listings * 7 / 10 && summary->published < summary->listings);
            QSqlQuery q(ws.value()->db());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM organizations o WHERE kind = 'partner' AND NOT EXISTS "
                                          "(SELECT 1 FROM listings l WHERE l.organization_id = o.id)")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("listing_search")), qint64(summary->listings));
            MarketplaceSearch search(*ws.value());
            MarketplaceQuery query;
            query.text = QStringLiteral("security");
            auto r = search.search(query);
            QVERIFY(r);
            QVERIFY(r->total > 0);
            prints << fingerprint(*ws.value()).join(QLatin1Char('\n'));
        }
        QCOMPARE(prints[0], prints[1]); // same seed, same listings
        QVERIFY(!prints[0].contains(QStringLiteral("Microsoft")) && !prints[0].contains(QStringLiteral("Amazon")));
    }

    void refusesBadRanges()
    {
        auto ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("r.ecotone")));
        QVERIFY(ws);
        QVERIFY(!addDemoListings(*ws, 1, 5, 2));
        QVERIFY(!addDemoListings(*ws, 1, -1, 2));
    }
};

QTEST_GUILESS_MAIN(TestDemoListings)
#include "TestDemoListings.moc"
