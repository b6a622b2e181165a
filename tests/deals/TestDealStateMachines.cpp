// The registration and referral state machines: every (from, to) pair outside the tables is refused with both
// states named, every pair inside is taken; expiry and extension; approval and referral conversion create rooms.
#include "DealFixtures.h"
#include "deals/DealRoomRepository.h"
#include "deals/Referrals.h"
#include "deals/RegistrationRepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

Q_DECLARE_METATYPE(RegistrationStatus)
Q_DECLARE_METATYPE(ReferralStatus)

class TestDealStateMachines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void registrationTable_data();
    void registrationTable();
    void registrationThroughRepository_data();
    void registrationThroughRepository();
    void referralTable_data();
    void referralTable();
    void referralThroughRepository_data();
    void referralThroughRepository();
    void reasonsRequired();
    void approvalCreatesRoomWithSourcingPartner();
    void expiryAndExtension();
    void returnedAndResubmitted();
    void referralConversionCreatesRoomWithBothPartners();
    void referralSlaExpiry();
    void journalEntryPerChange();
    void registrationFilters();
    void referralFilters();

private:
    Registration newRegistration(const QString &website = QStringLiteral("acme.com"));
    // Brings a new registration to status by legal moves; returns its id.
    QString registrationIn(RegistrationStatus status);
    QString referralIn(ReferralStatus status);
    qint64 journalUpdates(const QString &table, const QString &field);

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<RegistrationRepository> m_regs;
    std::unique_ptr<ReferralRepository> m_refs;
    DealWorld m_w;
    FakeClock m_clock;
    int m_serial = 0;
};

void TestDealStateMachines::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("states.ecotone")));
    QVERIFY(m_ws);
    m_w = makeDealWorld(*m_ws);
    m_clock = FakeClock();
    m_regs = std::make_unique<RegistrationRepository>(*m_ws);
    m_regs->setClock(m_clock.fn());
    m_refs = std::make_unique<ReferralRepository>(*m_ws);
    m_refs->setClock(m_clock.fn());
}

void TestDealStateMachines::cleanup()
{
    m_refs.reset();
    m_regs.reset();
    m_ws.reset();
    m_dir.reset();
}

Registration TestDealStateMachines::newRegistration(const QString &website)
{
    Registration r;
    r.partnerId = m_w.acmeResellers;
    r.account = DealAccount::from(QStringLiteral("Acme %1").arg(++m_serial), website, QStringLiteral("US"));
    r.amountMinor = 100'000;
    r.currency = QStringLiteral("USD");
    r.products = {QStringLiteral("Product %1").arg(m_serial)}; // distinct sets: approvals never collide
    r.closeDate = QDate(2026, 6, 30);
    return r;
}

QString TestDealStateMachines::registrationIn(RegistrationStatus status)
{
    Registration r = newRegistration(QStringLiteral("acme%1.com").arg(m_serial + 1));
    if (!m_regs->submit(r).ok())
        return {};
    using S = RegistrationStatus;
    bool ok = true;
    if (status != S::Submitted)
        ok = ok && m_regs->startReview(r.id).ok();
    if (status == S::Approved || status == S::Expired)
        ok = ok && m_regs->approve(r.id).ok();
    if (status == S::Rejected)
        ok = ok && m_regs->reject(r.id, QStringLiteral("duplicate")).ok();
    if (status == S::Returned)
        ok = ok && m_regs->returnForChanges(r.id, QStringLiteral("add products")).ok();
    if (status == S::Expired) {
        const QDateTime saved = m_clock.now;
        m_clock.now = m_clock.now.addDays(200);
        ok = ok && m_regs->expireDue(m_clock.now).value() >= 1;
        m_clock.now = saved;
    }
    return ok && m_regs->find(r.id)->status == status ? r.id : QString();
}

QString TestDealStateMachines::referralIn(ReferralStatus status)
{
    Referral r;
    r.fromOrgId = m_w.acmeResellers;
    r.toOrgId = m_w.cloudCo;
    r.account = DealAccount::from(QStringLiteral("Referred %1").arg(++m_serial), {}, QStringLiteral("DE"));
    r.need = QStringLiteral("Data platform migration");
    r.fee = Referral::Fee::Percent;
    r.feePercentBp = 1000;
    if (!m_refs->send(r).ok())
        return {};
    using S = ReferralStatus;
    bool ok = true;
    if (status == S::Accepted || status == S::Converted)
        ok = ok && m_refs->accept(r.id).ok();
    if (status == S::Converted)
        ok = ok && m_refs->convert(r.id).ok();
    if (status == S::Declined)
        ok = ok && m_refs->decline(r.id, QStringLiteral("no capacity")).ok();
    if (status == S::Expired) {
        const QDateTime saved = m_clock.now;
        m_clock.now = m_clock.now.addDays(30);
        ok = ok && m_refs->expireDue(m_clock.now).value() >= 1;
        m_clock.now = saved;
    }
    return ok && m_refs->find(r.id)->status == status ? r.id : QString();
}

qint64 TestDealStateMachines::journalUpdates(const QString &table, const QString &field)
{
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM journal WHERE table_name = ? AND op = 'update' AND field = ?"));
    q.addBindValue(table);
    q.addBindValue(field);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

// Every pair of statuses, with whether the table allows it; the table is written out here on purpose, so a change
// to the one in the code fails this test.
void TestDealStateMachines::registrationTable_data()
{
    QTest::addColumn<RegistrationStatus>("from");
    QTest::addColumn<RegistrationStatus>("to");
    QTest::addColumn<bool>("allowed");
    using S = RegistrationStatus;
    const QList<std::pair<S, S>> allowed{{S::Submitted, S::UnderReview}, {S::UnderReview, S::Approved},
                                         {S::UnderReview, S::Rejected},  {S::UnderReview, S::Returned},
                                         {S::Returned, S::Submitted},    {S::Approved, S::Expired}};
    for (S from : deals::allRegistrationStatuses())
        for (S to : deals::allRegistrationStatuses())
            QTest::addRow("%s -> %s", qPrintable(deals::key(from)), qPrintable(deals::key(to)))
                << from << to << allowed.contains(std::pair{from, to});
}

void TestDealStateMachines::registrationTable()
{
    QFETCH(RegistrationStatus, from);
    QFETCH(RegistrationStatus, to);
    QFETCH(bool, allowed);
    const Status s = deals::checkTransition(from, to);
    QCOMPARE(s.ok(), allowed);
    if (!allowed) {
        QVERIFY2(s.error().contains(deals::displayName(from)) && s.error().contains(deals::displayName(to)),
                 qPrintable(s.error()));
    }
}

// The same through the repository: a registration in each status, each move attempted.
void TestDealStateMachines::registrationThroughRepository_data()
{
    registrationTable_data();
}

void TestDealStateMachines::registrationThroughRepository()
{
    QFETCH(RegistrationStatus, from);
    QFETCH(RegistrationStatus, to);
    QFETCH(bool, allowed);
    using S = RegistrationStatus;
    const QString id = registrationIn(from);
    QVERIFY2(!id.isEmpty(), "could not reach the starting status");
    const qint64 journal = rowCount(*m_ws, QStringLiteral("journal"));
    Status s;
    switch (to) {
    case S::Submitted: {
        Registration r = m_regs->find(id).value();
        auto result = m_regs->resubmit(r);
        s = result.ok() ? Status() : Status(Error{result.error()});
        break;
    }
    case S::UnderReview:
        s = m_regs->startReview(id);
        break;
    case S::Approved: {
        auto result = m_regs->approve(id);
        s = result.ok() ? Status() : Status(Error{result.error()});
        break;
    }
    case S::Rejected:
        s = m_regs->reject(id, QStringLiteral("not eligible"));
        break;
    case S::Returned:
        s = m_regs->returnForChanges(id, QStringLiteral("missing close date"));
        break;
    case S::Expired: {
        // Expiry is applied by time only; make this registration due and see whether it moves.
        m_clock.now = m_clock.now.addDays(400);
        auto n = m_regs->expireDue(m_clock.now);
        QVERIFY(n.ok());
        s = m_regs->find(id)->status == S::Expired && from != S::Expired ? Status() : Status(Error{QString()});
        break;
    }
    }
    QCOMPARE(s.ok(), allowed);
    QCOMPARE(m_regs->find(id)->status, allowed ? to : from);
    if (!allowed)
        QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), journal); // nothing written
}

void TestDealStateMachines::referralTable_data()
{
    QTest::addColumn<ReferralStatus>("from");
    QTest::addColumn<ReferralStatus>("to");
    QTest::addColumn<bool>("allowed");
    using S = ReferralStatus;
    const QList<std::pair<S, S>> allowed{
        {S::Sent, S::Accepted}, {S::Sent, S::Declined}, {S::Sent, S::Expired}, {S::Accepted, S::Converted}};
    for (S from : deals::allReferralStatuses())
        for (S to : deals::allReferralStatuses())
            QTest::addRow("%s -> %s", qPrintable(deals::key(from)), qPrintable(deals::key(to)))
                << from << to << allowed.contains(std::pair{from, to});
}

void TestDealStateMachines::referralTable()
{
    QFETCH(ReferralStatus, from);
    QFETCH(ReferralStatus, to);
    QFETCH(bool, allowed);
    const Status s = deals::checkTransition(from, to);
    QCOMPARE(s.ok(), allowed);
    if (!allowed) {
        QVERIFY2(s.error().contains(deals::displayName(from)) && s.error().contains(deals::displayName(to)),
                 qPrintable(s.error()));
    }
}

void TestDealStateMachines::referralThroughRepository_data()
{
    referralTable_data();
}

void TestDealStateMachines::referralThroughRepository()
{
    QFETCH(ReferralStatus, from);
    QFETCH(ReferralStatus, to);
    QFETCH(bool, allowed);
    using S = ReferralStatus;
    if (to == S::Sent) {
        QVERIFY(!allowed); // nothing goes back to Sent, and there is no call that would try
        return;
    }
    const QString id = referralIn(from);
    QVERIFY2(!id.isEmpty(), "could not reach the starting status");
    const qint64 rooms = rowCount(*m_ws, QStringLiteral("deal_rooms"));
    Status s;
    switch (to) {
    case S::Sent:
        break;
    case S::Accepted:
        s = m_refs->accept(id);
        break;
    case S::Declined:
        s = m_refs->decline(id, QStringLiteral("out of region"));
        break;
    case S::Converted: {
        auto result = m_refs->convert(id);
        s = result.ok() ? Status() : Status(Error{result.error()});
        break;
    }
    case S::Expired:
        m_clock.now = m_clock.now.addDays(60);
        QVERIFY(m_refs->expireDue(m_clock.now).ok());
        s = m_refs->find(id)->status == S::Expired && from != S::Expired ? Status() : Status(Error{QString()});
        break;
    }
    QCOMPARE(s.ok(), allowed);
    QCOMPARE(m_refs->find(id)->status, allowed ? to : from);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("deal_rooms")), rooms + (allowed && to == S::Converted ? 1 : 0));
}

void TestDealStateMachines::reasonsRequired()
{
    const QString reg = registrationIn(RegistrationStatus::UnderReview);
    const Status noReason = m_regs->reject(reg, QStringLiteral("  "));
    QVERIFY(!noReason.ok());
    QVERIFY2(noReason.error().contains(QStringLiteral("reason")), qPrintable(noReason.error()));
    QCOMPARE(m_regs->find(reg)->status, RegistrationStatus::UnderReview);
    QVERIFY(m_regs->reject(reg, QStringLiteral("Existing customer of the vendor")).ok());
    QCOMPARE(m_regs->find(reg)->reason, QStringLiteral("Existing customer of the vendor"));

    const QString ref = referralIn(ReferralStatus::Sent);
    QVERIFY(!m_refs->decline(ref, QString()).ok());
    QCOMPARE(m_refs->find(ref)->status, ReferralStatus::Sent);
}

void TestDealStateMachines::approvalCreatesRoomWithSourcingPartner()
{
    Registration r = newRegistration();
    QVERIFY(m_regs->submit(r).ok());
    QVERIFY(m_regs->startReview(r.id).ok());
    auto room = m_regs->approve(r.id, QStringLiteral("channel desk"));
    QVERIFY2(room.ok(), qPrintable(room.error()));
    const Registration approved = m_regs->find(r.id).value();
    QCOMPARE(approved.status, RegistrationStatus::Approved);
    QCOMPARE(approved.roomId, room->id);
    QCOMPARE(approved.approvedAt, m_clock.now);
    QCOMPARE(approved.expiresAt, m_clock.now.addDays(90));
    QCOMPARE(room->registrationId, r.id);
    QCOMPARE(room->amountMinor, 100'000);
    QCOMPARE(room->account.domain, QStringLiteral("acme.com"));
    DealRoomRepository rooms(*m_ws);
    auto participants = rooms.participants(room->id);
    QCOMPARE(participants->size(), 1);
    QCOMPARE(participants->first().organizationId, m_w.acmeResellers);
    QCOMPARE(participants->first().role, ParticipantRole::Sourcing);
    QVERIFY(rooms.canRead(room->id, m_w.resellerRep));
    QVERIFY(!rooms.canRead(room->id, m_w.cloudRep));
}

void TestDealStateMachines::expiryAndExtension()
{
    m_regs->setProtectionDays(30);
    const QString a = registrationIn(RegistrationStatus::Approved);
    m_clock.now = m_clock.now.addDays(1);
    const QString b = registrationIn(RegistrationStatus::Approved);
    QCOMPARE(m_regs->find(a)->expiresAt, m_clock.now.addDays(29));

    QVERIFY(m_regs->expiring(7)->isEmpty());
    m_clock.now = m_clock.now.addDays(25); // a ends in 4 days, b in 5
    auto soon = m_regs->expiring(7);
    QCOMPARE(soon->size(), 2);
    QCOMPARE(soon->first().id, a);
    QCOMPARE(m_regs->expiring(4)->size(), 1);

    QVERIFY(m_regs->extend(b, 30).ok());
    QCOMPARE(m_regs->find(b)->expiresAt, m_clock.now.addDays(35));
    QVERIFY(!m_regs->extend(b, 0).ok());
    QCOMPARE(m_regs->expiring(7)->size(), 1);

    m_clock.now = m_clock.now.addDays(4);
    auto report = expireDue(*m_ws, m_clock.now);
    QVERIFY(report.ok());
    QCOMPARE(report->registrations, 1);
    const Registration expired = m_regs->find(a).value();
    QCOMPARE(expired.status, RegistrationStatus::Expired);
    QVERIFY(!expired.reason.isEmpty());
    QCOMPARE(m_regs->find(b)->status, RegistrationStatus::Approved);
    const Status late = m_regs->extend(a, 10);
    QVERIFY(!late.ok());
    QVERIFY2(late.error().contains(deals::displayName(RegistrationStatus::Expired)), qPrintable(late.error()));
    QCOMPARE(expireDue(*m_ws, m_clock.now)->registrations, 0); // applied once
}

void TestDealStateMachines::returnedAndResubmitted()
{
    const QString id = registrationIn(RegistrationStatus::Returned);
    Registration r = m_regs->find(id).value();
    QCOMPARE(r.reason, QStringLiteral("add products"));
    r.products = {QStringLiteral("Analytics"), QStringLiteral(" analytics "), QStringLiteral("Backup")};
    r.partnerId = m_w.cloudCo; // ignored: a registration keeps its partner
    auto again = m_regs->resubmit(r);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    const Registration stored = m_regs->find(id).value();
    QCOMPARE(stored.status, RegistrationStatus::Submitted);
    QCOMPARE(stored.partnerId, m_w.acmeResellers);
    QCOMPARE(stored.products, (QStringList{QStringLiteral("Analytics"), QStringLiteral("Backup")}));
    QVERIFY(stored.reason.isEmpty());
}

void TestDealStateMachines::referralConversionCreatesRoomWithBothPartners()
{
    Referral r;
    r.fromOrgId = m_w.techPartner;
    r.toOrgId = m_w.acmeResellers;
    r.account = DealAccount::from(QStringLiteral("Wonka Industries"), QStringLiteral("wonka.example.com"), {});
    r.need = QStringLiteral("Needs a reseller for the EU rollout");
    r.contact = QStringLiteral("Charlie, charlie@wonka.example.com");
    r.expectedMinor = 4'000'000;
    r.currency = QStringLiteral("eur");
    r.fee = Referral::Fee::Flat;
    r.feeFlatMinor = 200'000;
    QVERIFY(m_refs->send(r).ok());
    QCOMPARE(r.slaDueAt, m_clock.now.addDays(7));
    QCOMPARE(m_refs->list(ReferralRepository::Box::Inbox, m_w.acmeResellers)->size(), 1);
    QCOMPARE(m_refs->list(ReferralRepository::Box::Outbox, m_w.techPartner)->size(), 1);
    QVERIFY(m_refs->list(ReferralRepository::Box::Inbox, m_w.techPartner)->isEmpty());
    QVERIFY(m_refs->accept(r.id).ok());
    auto room = m_refs->convert(r.id, QStringLiteral("test"));
    QVERIFY2(room.ok(), qPrintable(room.error()));
    QCOMPARE(room->amountMinor, 4'000'000);
    QCOMPARE(room->currency, QStringLiteral("EUR"));
    QCOMPARE(room->account.domain, QStringLiteral("example.com"));
    const Referral converted = m_refs->find(r.id).value();
    QCOMPARE(converted.status, ReferralStatus::Converted);
    QCOMPARE(converted.roomId, room->id);
    QCOMPARE(converted.fromName, QStringLiteral("Techtonic"));
    DealRoomRepository rooms(*m_ws);
    auto participants = rooms.participants(room->id);
    QCOMPARE(participants->size(), 2);
    QCOMPARE(participants->at(0).organizationId, m_w.techPartner);
    QCOMPARE(participants->at(0).role, ParticipantRole::Sourcing);
    QCOMPARE(participants->at(1).organizationId, m_w.acmeResellers);
    QCOMPARE(participants->at(1).role, ParticipantRole::Fulfilling);
    QVERIFY(rooms.canRead(room->id, m_w.techRep));
    QVERIFY(rooms.canRead(room->id, m_w.resellerRep));
    QVERIFY(!rooms.canRead(room->id, m_w.cloudRep));
    QVERIFY(!m_refs->convert(r.id).ok()); // once
}

void TestDealStateMachines::referralSlaExpiry()
{
    m_refs->setSlaDays(3);
    const QString late = referralIn(ReferralStatus::Sent);
    const QString answered = referralIn(ReferralStatus::Accepted);
    m_clock.now = m_clock.now.addDays(2);
    QCOMPARE(m_refs->dueSoon(24)->size(), 1);
    QCOMPARE(m_refs->dueSoon(24)->first().id, late);
    m_clock.now = m_clock.now.addDays(1);
    QCOMPARE(expireDue(*m_ws, m_clock.now)->referrals, 1);
    QCOMPARE(m_refs->find(late)->status, ReferralStatus::Expired);
    QCOMPARE(m_refs->find(answered)->status, ReferralStatus::Accepted);
}

void TestDealStateMachines::journalEntryPerChange()
{
    const QString id = registrationIn(RegistrationStatus::UnderReview);
    QCOMPARE(journalUpdates(QStringLiteral("deal_registrations"), QStringLiteral("status")), 1);
    QVERIFY(m_regs->approve(id).ok());
    QCOMPARE(journalUpdates(QStringLiteral("deal_registrations"), QStringLiteral("status")), 2);
    QCOMPARE(journalUpdates(QStringLiteral("deal_registrations"), QStringLiteral("room_id")), 1);
    QCOMPARE(journalUpdates(QStringLiteral("deal_registrations"), QStringLiteral("expires_at")), 1);
    QVERIFY(m_regs->extend(id, 10).ok());
    QCOMPARE(journalUpdates(QStringLiteral("deal_registrations"), QStringLiteral("expires_at")), 2);
    const QString ref = referralIn(ReferralStatus::Sent);
    QVERIFY(m_refs->accept(ref).ok());
    QCOMPARE(journalUpdates(QStringLiteral("deal_referrals"), QStringLiteral("status")), 1);
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT value FROM journal WHERE table_name = 'deal_referrals' AND field = "
                                  "'status'")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("\"accepted\""));
}

// The Registrations page's filters: status, partner and text (account name, website, domain), in SQL, with the
// per-status counts ignoring the status filter; LIKE wildcards in the text are literal.
void TestDealStateMachines::registrationFilters()
{
    using S = RegistrationStatus;
    const QString submitted = registrationIn(S::Submitted);
    const QString approved = registrationIn(S::Approved);
    const QString rejected = registrationIn(S::Rejected);
    QVERIFY(!submitted.isEmpty() && !approved.isEmpty() && !rejected.isEmpty());
    Registration other = newRegistration(QStringLiteral("https://eu.globex-corp.example"));
    other.partnerId = m_w.cloudCo;
    other.account.name = QStringLiteral("Globex 100% Corp");
    QVERIFY(m_regs->submit(other).ok());

    RegistrationRepository::Filter f;
    QCOMPARE(m_regs->list(f)->size(), 4);
    auto counts = m_regs->statusCounts(f);
    QVERIFY(counts.ok());
    QCOMPARE(counts->value(S::Submitted), 2);
    QCOMPARE(counts->value(S::Approved), 1);
    QCOMPARE(counts->value(S::Rejected), 1);
    QCOMPARE(counts->value(S::UnderReview), 0);

    f.status = S::Submitted;
    auto rows = m_regs->list(f);
    QCOMPARE(rows->size(), 2);
    for (const Registration &r : rows.value())
        QCOMPARE(r.status, S::Submitted);
    QCOMPARE(m_regs->statusCounts(f)->value(S::Approved), 1); // counts ignore the status filter

    f.partnerId = m_w.acmeResellers;
    rows = m_regs->list(f);
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->first().id, submitted);
    QCOMPARE(m_regs->statusCounts(f)->value(S::Submitted), 1);

    // Text: account name, website or its domain, case-insensitive.
    f = {};
    f.text = QStringLiteral("GLOBEX-CORP");
    QCOMPARE(m_regs->list(f)->size(), 1);
    f.text = QStringLiteral("100%");
    QCOMPARE(m_regs->list(f)->size(), 1);
    QCOMPARE(m_regs->list(f)->first().id, other.id);
    f.text = QStringLiteral("1_0"); // "_" is not a wildcard
    QCOMPARE(m_regs->list(f)->size(), 0);
    f.text = QStringLiteral("acme");
    QCOMPARE(m_regs->list(f)->size(), 3);
    f.status = S::Approved;
    QCOMPARE(m_regs->list(f)->size(), 1);
    QCOMPARE(m_regs->list(f)->first().id, approved);
    QCOMPARE(m_regs->statusCounts(f)->value(S::Submitted), 1);
}

// The Referrals page's filters: the box of one organization, status, the partner on the other side and text.
void TestDealStateMachines::referralFilters()
{
    using S = ReferralStatus;
    const QString sent = referralIn(S::Sent);
    const QString accepted = referralIn(S::Accepted);
    const QString declined = referralIn(S::Declined);
    QVERIFY(!sent.isEmpty() && !accepted.isEmpty() && !declined.isEmpty());
    Referral back;
    back.fromOrgId = m_w.techPartner;
    back.toOrgId = m_w.cloudCo;
    back.account =
        DealAccount::from(QStringLiteral("Initech"), QStringLiteral("initech.example"), QStringLiteral("US"));
    back.need = QStringLiteral("Security audit");
    QVERIFY(m_refs->send(back).ok());

    ReferralRepository::Filter f;
    f.box = ReferralRepository::Box::Inbox;
    f.organizationId = m_w.cloudCo;
    QCOMPARE(m_refs->list(f)->size(), 4);
    auto counts = m_refs->statusCounts(f);
    QVERIFY(counts.ok());
    QCOMPARE(counts->value(S::Sent), 2);
    QCOMPARE(counts->value(S::Accepted), 1);
    QCOMPARE(counts->value(S::Declined), 1);

    f.status = S::Sent;
    QCOMPARE(m_refs->list(f)->size(), 2);
    f.partnerId = m_w.techPartner; // the sender, in an inbox
    auto rows = m_refs->list(f);
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->first().id, back.id);
    QCOMPARE(m_refs->statusCounts(f)->value(S::Sent), 1);
    QCOMPARE(m_refs->statusCounts(f)->value(S::Accepted), 0);

    f.partnerId.clear();
    f.status.reset();
    f.text = QStringLiteral("audit"); // the need
    QCOMPARE(m_refs->list(f)->size(), 1);
    f.text = QStringLiteral("referred");
    QCOMPARE(m_refs->list(f)->size(), 3);

    // The outbox of the tech partner holds only what it sent; the partner there is the receiver.
    f = {};
    f.box = ReferralRepository::Box::Outbox;
    f.organizationId = m_w.techPartner;
    f.partnerId = m_w.cloudCo;
    QCOMPARE(m_refs->list(f)->size(), 1);
    f.partnerId = m_w.acmeResellers;
    QCOMPARE(m_refs->list(f)->size(), 0);
}

QTEST_GUILESS_MAIN(TestDealStateMachines)
#include "TestDealStateMachines.moc"
