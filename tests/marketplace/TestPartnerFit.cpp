#include "MarketplaceFixtures.h"

#include "governance/AgreementRepository.h"
#include "marketplace/PartnerFit.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

// A hand-made ecosystem whose facts are known: one reseller (Northwind), a technology partner with an integration,
// shared customers and an agreement in force, a referral partner with a joint deal room and no agreement, and a
// second reseller that complements nothing.
class TestPartnerFit : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_me, m_tech, m_referral, m_other, m_techAgreement;

    void addCustomers(const QString &owner, const QStringList &domains)
    {
        AccountRepository accounts(*m_ws);
        for (const QString &d : domains) {
            Account a;
            a.ownerId = owner;
            a.name = d;
            a.website = QStringLiteral("https://www.") + d;
            a.status = AccountStatus::Customer;
            QVERIFY(accounts.insert(a));
        }
    }

    QString agreeOnCustomers(AgreementRepository &repo, const QString &partner)
    {
        SharingAgreement a;
        a.partnerId = partner;
        a.population = QStringLiteral("customer");
        a.level = SharingLevel::Counts;
        if (!repo.create(a) || !repo.consent(a.id, AgreementRepository::Side::Ours) ||
            !repo.consent(a.id, AgreementRepository::Side::Theirs))
            return {};
        return a.id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("fit.ecotone")));
        QVERIFY(m_ws);
        test::addVendor(*m_ws);
        OrganizationRepository orgs(*m_ws);
        m_me = test::addPartner(*m_ws, QStringLiteral("Northwind Resale"), {PartnerType::Reseller},
                                QStringLiteral("Gold"), {QStringLiteral("North America")});
        m_tech = test::addPartner(*m_ws, QStringLiteral("Datafab Tech"), {PartnerType::Technology},
                                  QStringLiteral("Silver"), {QStringLiteral("North America"), QStringLiteral("DACH")});
        Organization tech = orgs.find(m_tech).value();
        tech.capabilities = {QStringLiteral("Data pipelines")};
        QVERIFY(orgs.update(tech));
        m_referral = test::addPartner(*m_ws, QStringLiteral("Quiet Referral"), {PartnerType::Referral},
                                      QStringLiteral("Registered"), {QStringLiteral("North America")});
        m_other = test::addPartner(*m_ws, QStringLiteral("Other Reseller"), {PartnerType::Reseller});

        ListingRepository listings(*m_ws);
        Listing mine = test::makeListing(m_me, QStringLiteral("Resale Desk"));
        QVERIFY(listings.create(mine));
        Listing connector = test::makeListing(m_tech, QStringLiteral("Lake Connector"));
        connector.kind = ListingKind::Integration;
        connector.integratesWith = {mine.id};
        QVERIFY(listings.create(connector));

        addCustomers(
            m_me, {QStringLiteral("alpha.example"), QStringLiteral("beta.example"), QStringLiteral("gamma.example")});
        addCustomers(m_tech,
                     {QStringLiteral("alpha.example"), QStringLiteral("beta.example"), QStringLiteral("zeta.example")});
        addCustomers(m_referral, {QStringLiteral("alpha.example")});

        AgreementRepository agreements(*m_ws, QStringLiteral("test"));
        QVERIFY(!agreeOnCustomers(agreements, m_me).isEmpty());
        m_techAgreement = agreeOnCustomers(agreements, m_tech);
        QVERIFY(!m_techAgreement.isEmpty());

        QSqlQuery q(m_ws->db());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO deal_rooms (id, name, stage, created_at, updated_at, "
                                      "last_activity_at) VALUES ('room1', 'Joint', 'prospect', 'x', 'x', 'x')")));
        for (const QString &org : {m_me, m_referral}) {
            q.prepare(QStringLiteral("INSERT INTO deal_room_participants (id, room_id, organization_id, role, "
                                     "added_at) VALUES (?, 'room1', ?, 'influencing', 'x')"));
            q.addBindValue(QString(QStringLiteral("p-") + org));
            q.addBindValue(org);
            QVERIFY(q.exec());
        }
    }
    void cleanupTestCase() { m_ws.reset(); }

    void explanationsListTheFactsThatHold()
    {
        PartnerFit fit(*m_ws);
        auto r = fit.suggest(m_me);
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->size(), 2); // the other reseller complements nothing and adds nothing
        const FitSuggestion &tech = r->at(0);
        QCOMPARE(tech.partnerName, QStringLiteral("Datafab Tech"));
        QCOMPARE(tech.sharedCustomers, 2);
        QVERIFY(tech.overlapShared);
        QCOMPARE(tech.score, 10.0);
        QCOMPARE(tech.explanation,
                 QStringLiteral("their Lake Connector integrates with your Resale Desk, 2 shared customers, "
                                "Technology partner complementing your Reseller, covers DACH where you are not "
                                "present, also sells in North America, brings Data pipelines"));
        const FitSuggestion &referral = r->at(1);
        QCOMPARE(referral.partnerName, QStringLiteral("Quiet Referral"));
        QCOMPARE(referral.jointDealRooms, 1);
        QCOMPARE(referral.sharedCustomers, -1); // it overlaps on alpha.example, but nothing allows saying so
        QVERIFY(!referral.overlapShared);
        QCOMPARE(referral.explanation, QStringLiteral("1 past joint deal room, Referral partner complementing your "
                                                      "Reseller, also sells in North America, account overlap not "
                                                      "shared"));
    }

    void theOtherSideSeesTheIntegrationFromItsSide()
    {
        PartnerFit fit(*m_ws);
        auto r = fit.suggest(m_tech);
        QVERIFY(r);
        QCOMPARE(r->value(0).partnerName, QStringLiteral("Northwind Resale"));
        QCOMPARE(r->value(0).integrations,
                 QStringList{QStringLiteral("your Lake Connector integrates with their Resale Desk")});
        QCOMPARE(r->value(0).sharedCustomers, 2);
    }

    // For one of the vendor's accounts: who has it as a customer (where sharing allows), who worked deal rooms for
    // it, who covers its country's region, who lists offerings for its industry.
    void suggestionsForAnAccount()
    {
        QSqlQuery q(m_ws->db());
        QVERIFY(q.exec(QStringLiteral("SELECT id FROM organizations WHERE kind = 'vendor'")) && q.next());
        const QString vendor = q.value(0).toString();
        Account account;
        account.ownerId = vendor;
        account.name = QStringLiteral("Alpha GmbH");
        account.website = QStringLiteral("https://shop.alpha.example/");
        account.country = QStringLiteral("Germany");
        account.industry = QStringLiteral("Retail");
        QVERIFY(AccountRepository(*m_ws).insert(account));
        Listing retail = test::makeListing(m_referral, QStringLiteral("Store Leads"));
        retail.industries = {QStringLiteral("Retail")};
        QVERIFY(ListingRepository(*m_ws).create(retail));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO deal_rooms (id, name, stage, domain, created_at, updated_at, "
                                      "last_activity_at) VALUES ('room2', 'Alpha rollout', 'prospect', "
                                      "'alpha.example', 'x', 'x', 'x')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO deal_room_participants (id, room_id, organization_id, role, "
                                      "added_at) VALUES ('p2', 'room2', '") +
                       m_other + QStringLiteral("', 'sourcing', 'x')")));

        PartnerFit fit(*m_ws);
        auto r = fit.suggestForAccount(account.id);
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->size(), 4);
        // Datafab has alpha.example as a customer and its agreement allows counting it; it covers DACH.
        QCOMPARE(r->at(0).partnerName, QStringLiteral("Datafab Tech"));
        QVERIFY(r->at(0).knowsAccount);
        QCOMPARE(r->at(0).accountRegion, QStringLiteral("DACH"));
        QCOMPARE(r->at(0).score, 8.0);
        QCOMPARE(r->at(0).explanation,
                 QStringLiteral("has Alpha GmbH as a customer, covers DACH, where Alpha GmbH is"));
        // Northwind has it too (agreement in force), and its Gold tier adds half a point.
        QCOMPARE(r->at(1).partnerName, QStringLiteral("Northwind Resale"));
        QCOMPARE(r->at(1).score, 6.5);
        QCOMPARE(r->at(2).partnerName, QStringLiteral("Other Reseller"));
        QCOMPARE(r->at(2).accountDealRooms, 1);
        QCOMPARE(r->at(2).score, 3.5); // a Gold partner
        QCOMPARE(r->at(2).explanation, QStringLiteral("took part in 1 deal room for Alpha GmbH"));
        // Quiet Referral has alpha.example too, but no agreement allows saying so: only its listing counts.
        QCOMPARE(r->at(3).partnerName, QStringLiteral("Quiet Referral"));
        QVERIFY(!r->at(3).knowsAccount);
        QCOMPARE(r->at(3).explanation, QStringLiteral("1 listing for Retail"));
        QVERIFY(!fit.suggestForAccount(QStringLiteral("no-such-account")));
    }

    void revokedAgreementHidesTheOverlap()
    {
        AgreementRepository agreements(*m_ws, QStringLiteral("test"));
        QVERIFY(agreements.revoke(m_techAgreement));
        PartnerFit fit(*m_ws);
        auto r = fit.suggest(m_me);
        QVERIFY(r);
        const FitSuggestion &tech = r->at(0);
        QCOMPARE(tech.partnerName, QStringLiteral("Datafab Tech"));
        QCOMPARE(tech.sharedCustomers, -1);
        QVERIFY(!tech.explanation.contains(QStringLiteral("shared customers")));
        QVERIFY(tech.explanation.endsWith(QStringLiteral("account overlap not shared")));
        QCOMPARE(tech.score, 9.0);
    }

    void deterministicAndLimited()
    {
        PartnerFit fit(*m_ws);
        FitOptions options;
        options.limit = 1;
        auto a = fit.suggest(m_me, options);
        auto b = fit.suggest(m_me, options);
        QVERIFY(a && b);
        QCOMPARE(a->size(), 1);
        QCOMPARE(a->at(0).explanation, b->at(0).explanation);
        QVERIFY(!fit.suggest(QStringLiteral("nobody")));
    }
};

QTEST_GUILESS_MAIN(TestPartnerFit)
#include "TestPartnerFit.moc"
