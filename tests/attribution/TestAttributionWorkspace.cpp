#include "../deals/DealFixtures.h"
#include "attribution/AttributionModels.h"
#include "attribution/WorkspaceTouchpoints.h"
#include "deals/DealRoomRepository.h"
#include "deals/Referrals.h"
#include "deals/RegistrationRepository.h"

#include <QTest>

using namespace ecotone;
using namespace ecotone::attribution;

// Journeys read from the co-sell tables: which records are touches, their order and ages, the opportunity touch,
// outcomes, and what is left out (the vendor, deals still in play, a participant added by its own registration).
class TestAttributionWorkspace : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    test::DealWorld m_world;
    test::FakeClock m_clock;
    QString m_wonRoom;

    QDateTime day(int n) const { return QDateTime(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC).addDays(n); }

    QStringList names(const PathSet &set, const Journey &j)
    {
        QStringList out;
        for (const int t : j.touches)
            out << set.partners().at(t);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = test::createWorkspace(m_dir.file(QStringLiteral("journeys.ecotone")));
        QVERIFY(m_ws);
        m_world = test::makeDealWorld(*m_ws);
        DealRoomRepository rooms(*m_ws);
        RegistrationRepository registrations(*m_ws);
        ReferralRepository referrals(*m_ws);
        rooms.setClock(m_clock.fn());
        registrations.setClock(m_clock.fn());
        referrals.setClock(m_clock.fn());

        // Won: Northwind registers (day 0), approved (day 1: the room), Techtonic joins for technical validation
        // (day 3), Cloudy joins (day 4) and meets (day 6), the vendor meets too (day 7), closes on 2026-04-15.
        m_clock.now = day(0);
        Registration reg;
        reg.partnerId = m_world.acmeResellers;
        reg.account.name = QStringLiteral("Acme Foods");
        reg.account.website = QStringLiteral("acmefoods.example");
        reg.amountMinor = 1000000;
        reg.currency = QStringLiteral("USD");
        reg.closeDate = QDate(2026, 4, 15);
        QVERIFY(registrations.submit(reg));
        m_clock.now = day(1);
        QVERIFY(registrations.startReview(reg.id));
        auto room = registrations.approve(reg.id);
        QVERIFY2(room, qPrintable(room.error()));
        m_wonRoom = room->id;
        m_clock.now = day(3);
        RoomParticipant tech{QString(), m_wonRoom, m_world.techPartner, QString(), ParticipantRole::Technical, {}};
        QVERIFY(rooms.addParticipant(tech));
        m_clock.now = day(4);
        RoomParticipant cloud{QString(), m_wonRoom, m_world.cloudCo, QString(), ParticipantRole::Influencing, {}};
        QVERIFY(rooms.addParticipant(cloud));
        m_clock.now = day(5);
        RoomParticipant cloudAgain{QString(), m_wonRoom, m_world.cloudCo, QString(), ParticipantRole::CloudMarketplace,
                                   {}};
        QVERIFY(rooms.addParticipant(cloudAgain)); // a second role is not a second touch
        m_clock.now = day(6);
        RoomEvent meeting;
        meeting.roomId = m_wonRoom;
        meeting.kind = EventKind::Meeting;
        meeting.authorId = m_world.cloudRep;
        meeting.at = day(6);
        meeting.text = QStringLiteral("Architecture review");
        QVERIFY(rooms.addEvent(meeting));
        m_clock.now = day(7);
        RoomEvent vendorCall = meeting;
        vendorCall.id.clear();
        vendorCall.kind = EventKind::Call;
        vendorCall.authorId = m_world.vendorRep;
        vendorCall.at = day(7);
        QVERIFY(rooms.addEvent(vendorCall));
        m_clock.now = day(10);
        QVERIFY(rooms.moveStage(m_wonRoom, QStringLiteral("closed_won")));

        // Lost: Cloudy refers Beta to Techtonic (day 2), accepted (day 3), converted (day 4), lost (day 20).
        m_clock.now = day(2);
        Referral ref;
        ref.fromOrgId = m_world.cloudCo;
        ref.toOrgId = m_world.techPartner;
        ref.account.name = QStringLiteral("Beta Logistics");
        ref.currency = QStringLiteral("EUR");
        QVERIFY(referrals.send(ref));
        m_clock.now = day(3);
        QVERIFY(referrals.accept(ref.id));
        m_clock.now = day(4);
        auto lostRoom = referrals.convert(ref.id);
        QVERIFY2(lostRoom, qPrintable(lostRoom.error()));
        m_clock.now = day(20);
        QVERIFY(rooms.moveStage(lostRoom->id, QStringLiteral("closed_lost")));

        // Rejected registration: a journey of its own, without a conversion. One still in review: left out.
        m_clock.now = day(5);
        Registration rejected = reg;
        rejected.id.clear();
        rejected.partnerId = m_world.techPartner;
        rejected.account = DealAccount::from(QStringLiteral("Gamma Mining"), QString(), QString());
        QVERIFY(registrations.submit(rejected));
        QVERIFY(registrations.startReview(rejected.id));
        m_clock.now = day(8);
        QVERIFY(registrations.reject(rejected.id, QStringLiteral("Not a fit")));
        Registration pending = rejected;
        pending.id.clear();
        pending.account = DealAccount::from(QStringLiteral("Delta Energy"), QString(), QString());
        QVERIFY(registrations.submit(pending));
    }

    void journeys()
    {
        auto set = readWorkspaceJourneys(*m_ws);
        QVERIFY2(set, qPrintable(set.error()));
        QCOMPARE(set->totalConversions(), 1.0);
        QCOMPARE(set->totalNulls(), 2.0);
        QCOMPARE(set->totalValue(), 10000.0); // USD minor units to major
        QCOMPARE(set->journeys().size(), size_t(3));
        const Journey *won = nullptr;
        for (const Journey &j : set->journeys())
            if (j.conversions > 0)
                won = &j;
        QVERIFY(won);
        QCOMPARE(names(set.value(), *won),
                 (QStringList{QStringLiteral("Northwind Resale"), QStringLiteral("Techtonic"),
                              QStringLiteral("Cloudy Systems"), QStringLiteral("Cloudy Systems")}));
        // Ages in days to the close date, 2026-04-15 00:00 UTC.
        const QDateTime close(QDate(2026, 4, 15), QTime(0, 0), Qt::UTC);
        const QList<int> days{0, 3, 4, 6};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(won->ages[size_t(i)], double(day(days[i]).msecsTo(close)) / 86'400'000.0);
        QCOMPARE(won->opportunityTouch, 0); // the registration the room was approved from
        for (const Journey &j : set->journeys()) {
            if (j.conversions > 0)
                continue;
            const QStringList n = names(set.value(), j);
            QVERIFY2(n == (QStringList{QStringLiteral("Cloudy Systems"), QStringLiteral("Techtonic")}) ||
                         n == QStringList{QStringLiteral("Techtonic")},
                     qPrintable(n.join(QStringLiteral(" > "))));
        }
        auto linear = attribute(set.value(), QStringLiteral("linear"));
        QVERIFY(linear);
        QCOMPARE(linear->credits[size_t(set->findPartner(QStringLiteral("Cloudy Systems")))].conversions, 0.5);
        auto w = attribute(set.value(), QStringLiteral("w-shaped"));
        QVERIFY(w);
        // Opportunity marked at the first touch: Northwind 0.3 + 0.3, Techtonic the rest (0.1), Cloudy last 0.3.
        QVERIFY(qAbs(w->credits[size_t(set->findPartner(QStringLiteral("Northwind Resale")))].conversions - 0.6) <
                1e-12);
        QVERIFY(qAbs(w->credits[size_t(set->findPartner(QStringLiteral("Techtonic")))].conversions - 0.05) < 1e-12);
    }

    void touchpointKinds()
    {
        auto touches = readTouchpoints(*m_ws);
        QVERIFY2(touches, qPrintable(touches.error()));
        QStringList won;
        for (const Touchpoint &t : touches.value())
            if (t.journeyId == m_wonRoom)
                won << t.kind;
        QCOMPARE(won, (QStringList{QStringLiteral("registration"), QStringLiteral("technical_validation"),
                                   QStringLiteral("co_sell"), QStringLiteral("meeting")}));
        QStringList all;
        for (const Touchpoint &t : touches.value())
            all << t.kind;
        QVERIFY(all.contains(QStringLiteral("referral")));
        QVERIFY(all.contains(QStringLiteral("referral_accepted")));
        for (const Touchpoint &t : touches.value())
            QVERIFY(t.partnerId != m_world.vendor);
    }

    void period()
    {
        WorkspaceJourneyOptions before;
        before.to = QDate(2026, 4, 14);
        auto set = readWorkspaceJourneys(*m_ws, before);
        QVERIFY(set);
        QCOMPARE(set->totalConversions(), 0.0); // the won room closed on 2026-04-15
        QCOMPARE(set->totalNulls(), 2.0);
        WorkspaceJourneyOptions april;
        april.from = QDate(2026, 4, 1);
        april.to = QDate(2026, 4, 30);
        auto only = readWorkspaceJourneys(*m_ws, april);
        QVERIFY(only);
        QCOMPARE(only->journeys().size(), size_t(1));
        QCOMPARE(only->totalConversions(), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestAttributionWorkspace)
#include "TestAttributionWorkspace.moc"
