#include "MarketplaceFixtures.h"

#include "marketplace/CollaborationRepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

class TestCollaboration : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_a, m_b, m_listing;

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_ws->db());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("c.ecotone")));
        QVERIFY(m_ws);
        m_a = test::addPartner(*m_ws, QStringLiteral("Asker"), {PartnerType::Reseller});
        m_b = test::addPartner(*m_ws, QStringLiteral("Builder"), {PartnerType::Technology});
        ListingRepository listings(*m_ws);
        Listing l = test::makeListing(m_b, QStringLiteral("Builder Platform"));
        QVERIFY(listings.create(l));
        m_listing = l.id;
    }
    void cleanupTestCase() { m_ws.reset(); }

    void introductionAcceptedOnce()
    {
        CollaborationRepository repo(*m_ws);
        CollaborationRequest r;
        r.fromOrg = m_a;
        r.toOrg = m_b;
        r.listingId = m_listing;
        r.message = QStringLiteral("Can we talk?");
        QVERIFY(repo.send(r));
        QCOMPARE(repo.incoming(m_b)->size(), 1);
        QCOMPARE(repo.outgoing(m_a)->size(), 1);
        auto accepted = repo.accept(r.id);
        QVERIFY2(accepted, qPrintable(accepted.error()));
        QCOMPARE(accepted->status, CollaborationStatus::Accepted);
        QVERIFY(accepted->answeredAt.isValid());
        QVERIFY(accepted->resultId.isEmpty());
        QVERIFY(!repo.accept(r.id));
        QVERIFY(!repo.decline(r.id, QStringLiteral("too late")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = 'collaboration_requests' AND "
                                      "op = 'insert'")),
                 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = 'collaboration_requests' AND "
                                      "field = 'status' AND value = '\"accepted\"'")),
                 1);
    }

    void declineNeedsAReason()
    {
        CollaborationRepository repo(*m_ws);
        CollaborationRequest r;
        r.kind = CollaborationKind::Referral;
        r.fromOrg = m_b;
        r.toOrg = m_a;
        r.accountName = QStringLiteral("Customer Co");
        QVERIFY(repo.send(r));
        QVERIFY(!repo.decline(r.id, QStringLiteral("  ")));
        QVERIFY(repo.decline(r.id, QStringLiteral("No capacity this quarter")));
        auto found = repo.find(r.id);
        QCOMPARE(found->status, CollaborationStatus::Declined);
        QCOMPARE(found->reason, QStringLiteral("No capacity this quarter"));
        QVERIFY(!repo.setResult(r.id, QStringLiteral("x")));
    }

    void invalidRequests()
    {
        CollaborationRepository repo(*m_ws);
        CollaborationRequest self;
        self.fromOrg = m_a;
        self.toOrg = m_a;
        QVERIFY(!repo.send(self));
        CollaborationRequest coSell;
        coSell.kind = CollaborationKind::CoSell;
        coSell.fromOrg = m_a;
        coSell.toOrg = m_b;
        const Status s = repo.send(coSell);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("customer")), qPrintable(s.error()));
        CollaborationRequest badListing;
        badListing.fromOrg = m_a;
        badListing.toOrg = m_b;
        badListing.listingId = QStringLiteral("nope");
        QVERIFY(!repo.send(badListing));
    }

    void coSellAcceptOpensADealRoom()
    {
        CollaborationRepository repo(*m_ws);
        CollaborationRequest r;
        r.kind = CollaborationKind::CoSell;
        r.fromOrg = m_a;
        r.toOrg = m_b;
        r.listingId = m_listing;
        r.accountName = QStringLiteral("Example Manufacturing");
        r.accountWebsite = QStringLiteral("example-manufacturing.test");
        QVERIFY(repo.send(r));
        auto accepted = repo.accept(r.id, QStringLiteral("test"));
        QVERIFY2(accepted, qPrintable(accepted.error()));
        QVERIFY(!accepted->resultId.isEmpty());
        QCOMPARE(repo.find(r.id)->resultId, accepted->resultId);
        QSqlQuery q(m_ws->db());
        q.prepare(QStringLiteral("SELECT organization_id, role FROM deal_room_participants WHERE room_id = ? "
                                 "ORDER BY role DESC"));
        q.addBindValue(accepted->resultId);
        QVERIFY(q.exec());
        QStringList participants;
        while (q.next())
            participants << q.value(0).toString() + QLatin1Char(':') + q.value(1).toString();
        QCOMPARE(participants, (QStringList{m_a + QStringLiteral(":sourcing"), m_b + QStringLiteral(":influencing")}));
        q.prepare(QStringLiteral("SELECT name FROM deal_rooms WHERE id = ?"));
        q.addBindValue(accepted->resultId);
        QVERIFY(q.exec() && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("Co-sell: Example Manufacturing"));
    }
};

QTEST_GUILESS_MAIN(TestCollaboration)
#include "TestCollaboration.moc"
