#include "../deals/DealFixtures.h"
#include "deals/DealRoomRepository.h"
#include "deals/Referrals.h"
#include "deals/RegistrationRepository.h"
#include "insights/PipelineInsights.h"

#include <QTest>

using namespace ecotone;
using namespace ecotone::insights;

// Sourced, influenced and untouched pipeline and revenue, partner-to-partner deals, and close statistics with and
// without partners, on hand-built deal rooms whose numbers are worked out below.
class TestAttributionPipeline : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    test::DealWorld m_world;
    test::FakeClock m_clock;

    QDateTime day(int n) const { return QDateTime(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC).addDays(n); }

    const PartnerPipeline &partner(const PipelineInsights &p, const QString &id)
    {
        for (const PartnerPipeline &x : p.partners)
            if (x.id == id)
                return x;
        static const PartnerPipeline none;
        return none;
    }

    QString room(DealRoomRepository &rooms, const QString &name, qint64 minor, const QString &currency,
                 const QDate &close, const QString &partner, const QString &finalStage)
    {
        DealRoom r;
        r.account = DealAccount::from(name, QString(), QString());
        r.name = name;
        r.stage = QStringLiteral("prospect");
        r.amountMinor = minor;
        r.currency = currency;
        r.closeDate = close;
        if (!rooms.create(r))
            return {};
        if (!partner.isEmpty()) {
            RoomParticipant p{QString(), r.id, partner, QString(), ParticipantRole::Influencing, {}};
            if (!rooms.addParticipant(p))
                return {};
        }
        if (!finalStage.isEmpty() && !rooms.moveStage(r.id, finalStage))
            return {};
        return r.id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = test::createWorkspace(m_dir.file(QStringLiteral("pipeline.ecotone")));
        QVERIFY(m_ws);
        m_world = test::makeDealWorld(*m_ws);
        DealRoomRepository rooms(*m_ws);
        RegistrationRepository registrations(*m_ws);
        ReferralRepository referrals(*m_ws);
        rooms.setClock(m_clock.fn());
        registrations.setClock(m_clock.fn());
        referrals.setClock(m_clock.fn());

        // A: registered by Northwind, approved on day 1 (2026-03-03), Techtonic joins; won, 10,000 USD, closes
        // 2026-04-15 (43 days after creation).
        m_clock.now = day(0);
        Registration reg;
        reg.partnerId = m_world.acmeResellers;
        reg.account.name = QStringLiteral("Acme Foods");
        reg.amountMinor = 1000000;
        reg.currency = QStringLiteral("USD");
        reg.closeDate = QDate(2026, 4, 15);
        QVERIFY(registrations.submit(reg));
        m_clock.now = day(1);
        QVERIFY(registrations.startReview(reg.id));
        auto a = registrations.approve(reg.id);
        QVERIFY(a);
        RoomParticipant tech{QString(), a->id, m_world.techPartner, QString(), ParticipantRole::Technical, {}};
        QVERIFY(rooms.addParticipant(tech));
        QVERIFY(rooms.moveStage(a->id, QStringLiteral("closed_won")));
        // B: Cloudy refers to Techtonic, converted; open, 5,000 USD, no close date (created 2026-03-04).
        m_clock.now = day(2);
        Referral ref;
        ref.fromOrgId = m_world.cloudCo;
        ref.toOrgId = m_world.techPartner;
        ref.account.name = QStringLiteral("Beta Logistics");
        ref.expectedMinor = 500000;
        ref.currency = QStringLiteral("USD");
        QVERIFY(referrals.send(ref));
        QVERIFY(referrals.accept(ref.id));
        QVERIFY(referrals.convert(ref.id));
        // C: Cloudy only influences; lost, 2,000 USD. D: no partner; won, 3,000 USD. E: in EUR.
        QVERIFY(!room(rooms, QStringLiteral("Gamma"), 200000, QStringLiteral("USD"), QDate(2026, 3, 25),
                      m_world.cloudCo, QStringLiteral("closed_lost"))
                     .isEmpty());
        QVERIFY(!room(rooms, QStringLiteral("Delta"), 300000, QStringLiteral("USD"), QDate(2026, 3, 20), QString(),
                      QStringLiteral("closed_won"))
                     .isEmpty());
        QVERIFY(!room(rooms, QStringLiteral("Epsilon"), 99900, QStringLiteral("EUR"), QDate(2026, 3, 20),
                      m_world.cloudCo, QString())
                     .isEmpty());
    }

    void totals()
    {
        auto p = pipelineInsights(*m_ws);
        QVERIFY2(p, qPrintable(p.error()));
        QCOMPARE(p->currency, QStringLiteral("USD"));
        QCOMPARE(p->otherCurrencyDeals, 1);
        QCOMPARE(p->sourced.deals, 2);
        QCOMPARE(p->sourced.revenue, 10000.0);
        QCOMPARE(p->sourced.pipeline, 5000.0);
        QCOMPARE(p->influenced.deals, 1);
        QCOMPARE(p->influenced.lost, 2000.0);
        QCOMPARE(p->untouched.deals, 1);
        QCOMPARE(p->untouched.revenue, 3000.0);
        QCOMPARE(p->partnerToPartner.deals, 2);
        QCOMPARE(p->partnerToPartner.revenue, 10000.0);
        QCOMPARE(p->partnerToPartner.pipeline, 5000.0);
    }

    void perPartnerAndType()
    {
        auto p = pipelineInsights(*m_ws);
        QVERIFY(p);
        const PartnerPipeline &northwind = partner(p.value(), m_world.acmeResellers);
        QCOMPARE(northwind.sourced.revenue, 10000.0);
        QCOMPARE(northwind.influenced.deals, 0);
        const PartnerPipeline &tech = partner(p.value(), m_world.techPartner);
        QCOMPARE(tech.sourced.deals, 0);
        QCOMPARE(tech.influenced.deals, 2);
        QCOMPARE(tech.influenced.revenue, 10000.0);
        QCOMPARE(tech.influenced.pipeline, 5000.0);
        QCOMPARE(tech.multiPartner.deals, 2);
        const PartnerPipeline &cloud = partner(p.value(), m_world.cloudCo);
        QCOMPARE(cloud.sourced.pipeline, 5000.0);
        QCOMPARE(cloud.influenced.lost, 2000.0);
        QCOMPARE(cloud.multiPartner.deals, 1);
        QVERIFY(p->sourcedByType.contains(QStringLiteral("reseller")));
        QCOMPARE(p->sourcedByType.value(QStringLiteral("reseller")).revenue, 10000.0);
        QCOMPARE(p->sourcedByType.value(QStringLiteral("reseller")).pipeline, 5000.0);
    }

    void closeStatistics()
    {
        auto p = pipelineInsights(*m_ws);
        QVERIFY(p);
        QCOMPARE(p->withPartners.won, 1);
        QCOMPARE(p->withPartners.lost, 1);
        QCOMPARE(p->withPartners.winRate, 0.5);
        QCOMPARE(p->withPartners.averageWon, 10000.0);
        QCOMPARE(p->withPartners.averageDaysToClose, 43.0);
        QCOMPARE(p->withoutPartners.won, 1);
        QCOMPARE(p->withoutPartners.winRate, 1.0);
        QCOMPARE(p->withoutPartners.averageWon, 3000.0);
    }

    void periods()
    {
        auto p = pipelineInsights(*m_ws);
        QVERIFY(p);
        QCOMPARE(p->periods.size(), 2);
        QCOMPARE(p->periods.at(0).period, QStringLiteral("2026-03"));
        QCOMPARE(p->periods.at(0).sourced.pipeline, 5000.0);
        QCOMPARE(p->periods.at(0).untouched.revenue, 3000.0);
        QCOMPARE(p->periods.at(1).period, QStringLiteral("2026-04"));
        QCOMPARE(p->periods.at(1).sourced.revenue, 10000.0);
        PipelineOptions april;
        april.from = QDate(2026, 4, 1);
        auto only = pipelineInsights(*m_ws, april);
        QVERIFY(only);
        QCOMPARE(only->sourced.deals, 1);
        QCOMPARE(only->untouched.deals, 0);
        PipelineOptions euros;
        euros.currency = QStringLiteral("eur");
        auto eur = pipelineInsights(*m_ws, euros);
        QVERIFY(eur);
        QCOMPARE(eur->influenced.pipeline, 999.0);
        QCOMPARE(eur->otherCurrencyDeals, 4);
    }
};

QTEST_GUILESS_MAIN(TestAttributionPipeline)
#include "TestAttributionPipeline.moc"
