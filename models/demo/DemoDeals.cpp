#include "DemoDeals.h"

#include "deals/DealTables.h"
#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::DemoDeals)
};

struct Org
{
    QString id;
    QString name;
    bool hyperscaler = false;
    bool reseller = false;
    QStringList people; // at most a few: those who get room access
};

// Made-up company names from syllables: index i always gives the same company, and different indexes give
// different names and domains (base-40 digits of i, so no two collide).
const char *const kSyllables[] = {"ka",  "lo",  "mi",  "ra",  "ven", "tor", "qua", "zen", "bri", "sol",
                                  "dra", "nex", "pol", "tri", "mar", "vel", "cor", "lum", "fen", "gra",
                                  "hal", "jor", "kel", "lin", "mor", "nor", "pra", "ros", "sar", "tal",
                                  "ul",  "vor", "wen", "xan", "yel", "zor", "ab",  "el",  "is",  "on"};
constexpr int kSyllableCount = int(sizeof(kSyllables) / sizeof(kSyllables[0]));
const char *const kSuffixes[] = {"Systems", "Labs",   "Group", "Industries", "Logistics", "Foods",
                                 "Health",  "Energy", "Bank",  "Retail",     "Media",     "Motors"};
const char *const kCountries[] = {"US", "GB", "DE", "FR", "CA", "AU", "JP", "NL", "SE", "BR", "IN", "ES"};
const char *const kCurrencies[] = {"USD", "EUR", "GBP"};
const char *const kProducts[] = {"Analytics", "Storage", "Security", "Integration Hub", "AI Assistant", "Backup"};
const char *const kTaskTitles[] = {"Security questionnaire", "Pricing proposal",       "Technical deep dive",
                                   "Proof of concept plan",  "Executive sponsor call", "Marketplace private offer",
                                   "Legal review",           "Mutual success plan"};
const char *const kNotes[] = {"Discovery call notes",          "Customer asked about SSO",
                              "Budget confirmed for Q3",       "Competitor in the evaluation",
                              "Architecture review scheduled", "Procurement wants marketplace billing",
                              "Champion changed roles"};

struct Company
{
    QString name;
    QString website;
    QString country;
};

Company company(qint64 index)
{
    // Spread consecutive indexes over the alphabet of syllables.
    const qint64 i = (index * 7919) % (qint64(kSyllableCount) * kSyllableCount * kSyllableCount) +
                     (index / (qint64(kSyllableCount) * kSyllableCount * kSyllableCount)) *
                         (qint64(kSyllableCount) * kSyllableCount * kSyllableCount);
    QString stem = QLatin1String(kSyllables[i % kSyllableCount]) +
                   QLatin1String(kSyllables[(i / kSyllableCount) % kSyllableCount]) +
                   QLatin1String(kSyllables[(i / (kSyllableCount * kSyllableCount)) % kSyllableCount]);
    const qint64 round = i / (qint64(kSyllableCount) * kSyllableCount * kSyllableCount);
    if (round > 0)
        stem += QString::number(round);
    QString display = stem;
    display[0] = display[0].toUpper();
    Company c;
    c.name = display + QLatin1Char(' ') + QLatin1String(kSuffixes[index % 12]);
    c.website = QStringLiteral("https://www.") + stem + QStringLiteral(".com");
    c.country = QLatin1String(kCountries[(index / 12) % 12]);
    return c;
}

// Stage by weight: Prospect 20, Qualified 18, Technical Validation 14, Business Validation 12, Committed 10,
// Launched 6, Closed Won 12, Closed Lost 8.
QString pickStage(QRandomGenerator &rng)
{
    static const std::pair<const char *, int> weights[] = {
        {"prospect", 20},  {"qualified", 18}, {"technical_validation", 14}, {"business_validation", 12},
        {"committed", 10}, {"launched", 6},   {"closed_won", 12},           {"closed_lost", 8}};
    int roll = int(rng.bounded(100));
    for (const auto &[stage, weight] : weights) {
        if (roll < weight)
            return QLatin1String(stage);
        roll -= weight;
    }
    return QStringLiteral("prospect");
}

template <typename T, size_t N> const T &pick(QRandomGenerator &rng, const T (&array)[N])
{
    return array[rng.bounded(quint32(N))];
}

// One 32-bit seed from the 64-bit one (QRandomGenerator's single-value constructor takes 32 bits).
quint64 mix(quint64 seed)
{
    const quint64 x = seed * 0x9E3779B97F4A7C15ull + 0xDEA15ull;
    return x ^ (x >> 32);
}

class Generator
{
public:
    Generator(Workspace &ws, const DemoDealsOptions &options)
        : m_ws(ws)
        , m_options(options)
        , m_rng(quint32(mix(options.seed)))
        , m_rooms(ws, QStringLiteral("deal_rooms"), dealtables::roomColumns())
        , m_participants(ws, QStringLiteral("deal_room_participants"), dealtables::participantColumns())
        , m_people(ws, QStringLiteral("deal_room_people"), dealtables::roomPersonColumns())
        , m_events(ws, QStringLiteral("deal_events"), dealtables::eventColumns())
        , m_tasks(ws, QStringLiteral("deal_tasks"), dealtables::taskColumns())
        , m_registrations(ws, QStringLiteral("deal_registrations"), dealtables::registrationColumns())
        , m_referrals(ws, QStringLiteral("deal_referrals"), dealtables::referralColumns())
    {
        m_anchor = options.anchor.isValid() ? options.anchor.toUTC()
                                            : QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), Qt::UTC);
    }

    Result<DemoDealsSummary> run();

private:
    Status loadOrganizations();
    Status addRoom(qint64 index);
    Status addRegistration(qint64 index, RegistrationStatus status, const DealRoom *room, const QString &partner);
    Status addReferral(qint64 index, ReferralStatus status, const DealRoom *room, const QString &from,
                       const QString &to);
    QDateTime daysAgo(double days) const { return m_anchor.addMSecs(-qint64(days * 86'400'000.0)); }
    const Org &randomPartner() { return m_partners.at(qsizetype(m_rng.bounded(quint32(m_partners.size())))); }

    Workspace &m_ws;
    DemoDealsOptions m_options;
    QRandomGenerator m_rng;
    QDateTime m_anchor;
    QList<Org> m_partners;
    QList<qsizetype> m_hyperscalers;
    QList<qsizetype> m_resellers;
    TableWriter m_rooms, m_participants, m_people, m_events, m_tasks, m_registrations, m_referrals;
    DemoDealsSummary m_summary;
    qint64 m_companies = 0; // companies used so far, rooms and registrations draw new ones
};

Status Generator::loadOrganizations()
{
    QSqlQuery q(m_ws.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, name, types FROM organizations WHERE kind = 'partner' ORDER BY id")))
        return sqlError(q, Tr::tr("Reading partners"));
    QHash<QString, qsizetype> index;
    while (q.next()) {
        Org o;
        o.id = q.value(0).toString();
        o.name = q.value(1).toString();
        const QString types = q.value(2).toString();
        o.hyperscaler = types.contains(QLatin1String("hyperscaler"));
        o.reseller = types.contains(QLatin1String("reseller"));
        index.insert(o.id, m_partners.size());
        if (o.hyperscaler)
            m_hyperscalers << m_partners.size();
        if (o.reseller)
            m_resellers << m_partners.size();
        m_partners << o;
    }
    if (m_partners.size() < 2)
        return Error{Tr::tr("Demo deals need a workspace with at least two partners (run \"ecotone demo create\" "
                            "first).")};
    if (!q.exec(QStringLiteral("SELECT id, organization_id FROM people ORDER BY id")))
        return sqlError(q, Tr::tr("Reading people"));
    while (q.next()) {
        const auto it = index.constFind(q.value(1).toString());
        if (it != index.constEnd() && m_partners[*it].people.size() < 3)
            m_partners[*it].people << q.value(0).toString();
    }
    return {};
}

Status Generator::addRoom(qint64 index)
{
    const Company c = company(m_companies++);
    DealRoom room;
    room.id = m_ws.ids().next();
    room.account = DealAccount::from(c.name, c.website, c.country);
    room.name = c.name + QStringLiteral(" – ") + QLatin1String(pick(m_rng, kProducts));
    room.stage = pickStage(m_rng);
    room.currency = QLatin1String(pick(m_rng, kCurrencies));
    room.amountMinor = qint64(m_rng.bounded(10'000, 2'000'000)) * 100;
    room.products = {QLatin1String(pick(m_rng, kProducts))};
    room.closeDate = m_anchor.date().addDays(qint64(m_rng.bounded(-60, 180)));
    if (index % 7 == 0) {
        room.aceOpportunityId = QStringLiteral("O%1").arg(1'000'000 + index);
        room.aceReviewStatus = index % 2 ? QStringLiteral("Approved") : QStringLiteral("In Review");
    }
    if (index % 11 == 0)
        room.partnerCenterReferralId = QStringLiteral("mpc-%1").arg(index, 8, 10, QLatin1Char('0'));
    room.createdAt = daysAgo(30 + m_rng.bounded(400));
    // Most rooms saw activity in the last two weeks; some went quiet (idle highlights).
    room.lastActivityAt = daysAgo(m_rng.bounded(100) < 75 ? m_rng.bounded(14.0) : 14.0 + m_rng.bounded(120.0));
    room.updatedAt = room.lastActivityAt;

    // Participants: a sourcing partner, often a reseller of record, sometimes a technical partner or a
    // hyperscaler marketplace. One room in five the vendor found itself and partners only influence, so insights
    // show sourced and influenced pipeline side by side (registration rooms always have their sourcing partner).
    QList<std::pair<qsizetype, ParticipantRole>> roles;
    const bool influencedOnly = index % 10 == 4 || index % 10 == 8;
    roles << std::pair{qsizetype(m_rng.bounded(quint32(m_partners.size()))),
                       influencedOnly ? ParticipantRole::Influencing : ParticipantRole::Sourcing};
    if (!m_resellers.isEmpty() && m_rng.bounded(100) < 60)
        roles << std::pair{m_resellers.at(qsizetype(m_rng.bounded(quint32(m_resellers.size())))),
                           ParticipantRole::Fulfilling};
    if (m_rng.bounded(100) < 35)
        roles << std::pair{qsizetype(m_rng.bounded(quint32(m_partners.size()))), ParticipantRole::Technical};
    if (!m_hyperscalers.isEmpty() && m_rng.bounded(100) < 25)
        roles << std::pair{m_hyperscalers.at(qsizetype(m_rng.bounded(quint32(m_hyperscalers.size())))),
                           ParticipantRole::CloudMarketplace};
    if (m_rng.bounded(100) < 15)
        roles << std::pair{qsizetype(m_rng.bounded(quint32(m_partners.size()))), ParticipantRole::Influencing};

    // Every tenth room came from an approved (or since expired) registration of its sourcing partner.
    QString registrationId;
    if (index % 10 == 0) {
        registrationId = m_ws.ids().next();
        room.registrationId = registrationId;
    }
    if (Status s = m_rooms.insert(room.id, dealtables::values(room)); !s)
        return s;
    ++m_summary.rooms;

    const qint64 lifeMs = room.createdAt.msecsTo(room.lastActivityAt);
    const int events = m_options.eventsPerRoom;
    auto eventAt = [&](int i) {
        return events <= 1 ? room.createdAt : room.createdAt.addMSecs(lifeMs * i / (events - 1));
    };
    int nextEvent = 0;
    auto addEvent = [&](EventKind kind, const QString &author, const QString &text, const QString &detail) {
        if (nextEvent >= events)
            return Status();
        RoomEvent e;
        e.roomId = room.id;
        e.kind = kind;
        e.authorId = author;
        e.actor = author.isEmpty() ? QStringLiteral("system") : QString();
        e.at = eventAt(nextEvent++);
        e.text = text;
        e.detail = detail;
        ++m_summary.events;
        return m_events.insert(m_ws.ids().next(), dealtables::values(e));
    };
    if (Status s = addEvent(EventKind::System, {}, Tr::tr("Deal room created"), {}); !s)
        return s;

    QSet<QString> seen;
    QStringList authors;
    for (const auto &[orgIndex, role] : std::as_const(roles)) {
        const Org &org = m_partners.at(orgIndex);
        const QString key = org.id + deals::key(role);
        if (seen.contains(key))
            continue;
        seen.insert(key);
        RoomParticipant p;
        p.roomId = room.id;
        p.organizationId = org.id;
        p.role = role;
        p.addedAt = room.createdAt;
        if (Status s = m_participants.insert(m_ws.ids().next(), dealtables::values(p)); !s)
            return s;
        ++m_summary.participants;
        if (!seen.contains(org.id)) {
            seen.insert(org.id);
            for (const QString &person : org.people) {
                if (Status s = m_people.insert(m_ws.ids().next(), {room.id, person, deals::isoTime(room.createdAt)});
                    !s)
                    return s;
                ++m_summary.people;
                authors << person;
            }
        }
        if (Status s =
                addEvent(EventKind::ParticipantChange, {}, org.name + QStringLiteral(" joined as ") + deals::key(role),
                         json::ObjectWriter()
                             .add("change", QStringLiteral("added"))
                             .add("organization_id", org.id)
                             .add("role", deals::key(role))
                             .finish());
            !s)
            return s;
    }
    const bool moved = room.stage != QLatin1String("prospect");
    while (nextEvent < events - (moved ? 1 : 0)) {
        const QString author =
            authors.isEmpty() ? QString() : authors.at(qsizetype(m_rng.bounded(quint32(authors.size()))));
        const quint32 kind = m_rng.bounded(3u);
        const EventKind k = kind == 0 ? EventKind::Note : kind == 1 ? EventKind::Call : EventKind::Meeting;
        if (Status s = addEvent(k, author, QLatin1String(pick(m_rng, kNotes)), {}); !s)
            return s;
    }
    if (moved) {
        if (Status s =
                addEvent(EventKind::StageChange, {}, QStringLiteral("Stage moved"),
                         json::ObjectWriter().add("from", QStringLiteral("prospect")).add("to", room.stage).finish());
            !s)
            return s;
    }

    const int tasks = int(m_rng.bounded(5u));
    for (int t = 0; t < tasks; ++t) {
        RoomTask task;
        task.roomId = room.id;
        task.title = QLatin1String(pick(m_rng, kTaskTitles));
        task.ownerId = authors.isEmpty() ? QString() : authors.at(qsizetype(m_rng.bounded(quint32(authors.size()))));
        task.dueDate = m_anchor.date().addDays(qint64(m_rng.bounded(-20, 30)));
        task.createdAt = room.createdAt;
        if (m_rng.bounded(100) < 40)
            task.doneAt = room.lastActivityAt;
        else if (task.dueDate < m_anchor.date())
            ++m_summary.overdueTasks;
        if (Status s = m_tasks.insert(m_ws.ids().next(), dealtables::values(task)); !s)
            return s;
        ++m_summary.tasks;
    }

    const QString sourcing = m_partners.at(roles.first().first).id;
    if (!registrationId.isEmpty()) {
        if (Status s = addRegistration(
                index, (index / 10) % 4 == 3 ? RegistrationStatus::Expired : RegistrationStatus::Approved, &room,
                sourcing);
            !s)
            return s;
    }
    // Registrations still in play: every tenth room (offset 5), cycling through the open statuses; one in three
    // claims this room's account, so the conflict check has real hits.
    if (index % 10 == 5) {
        static const RegistrationStatus open[] = {RegistrationStatus::Submitted, RegistrationStatus::UnderReview,
                                                  RegistrationStatus::Returned, RegistrationStatus::Rejected};
        const bool claim = (index / 10) % 3 == 0;
        if (Status s = addRegistration(index, open[(index / 10) % 4], claim ? &room : nullptr, randomPartner().id); !s)
            return s;
    }
    if (index % 20 == 7) {
        static const ReferralStatus statuses[] = {ReferralStatus::Sent, ReferralStatus::Accepted,
                                                  ReferralStatus::Declined, ReferralStatus::Converted,
                                                  ReferralStatus::Expired};
        const ReferralStatus status = statuses[(index / 20) % 5];
        QString to = randomPartner().id;
        if (to == sourcing)
            to = m_partners.at((roles.first().first + 1) % m_partners.size()).id;
        if (Status s = addReferral(index, status, status == ReferralStatus::Converted ? &room : nullptr, sourcing, to);
            !s)
            return s;
    }
    return {};
}

Status Generator::addRegistration(qint64 index, RegistrationStatus status, const DealRoom *room, const QString &partner)
{
    Registration r;
    const bool approved = status == RegistrationStatus::Approved || status == RegistrationStatus::Expired;
    r.id = room && approved && !room->registrationId.isEmpty() ? room->registrationId : m_ws.ids().next();
    r.partnerId = partner;
    if (room) {
        r.account = room->account;
    } else {
        const Company c = company(m_companies++);
        r.account = DealAccount::from(c.name, c.website, c.country);
    }
    r.amountMinor = room ? room->amountMinor : qint64(m_rng.bounded(10'000, 500'000)) * 100;
    r.currency = room ? room->currency : QLatin1String(pick(m_rng, kCurrencies));
    r.products = room ? room->products : QStringList{QLatin1String(pick(m_rng, kProducts))};
    r.closeDate = m_anchor.date().addDays(qint64(m_rng.bounded(10, 200)));
    r.status = status;
    r.submittedAt = daysAgo(5 + m_rng.bounded(150));
    r.updatedAt = r.submittedAt;
    switch (status) {
    case RegistrationStatus::Approved:
        // Spread over the protection period, so some are about to expire.
        r.approvedAt = daysAgo(m_rng.bounded(85.0));
        r.decidedAt = r.approvedAt;
        r.expiresAt = r.approvedAt.addDays(deals::kDefaultProtectionDays);
        r.roomId = room ? room->id : QString();
        break;
    case RegistrationStatus::Expired:
        r.approvedAt = daysAgo(100 + m_rng.bounded(60.0));
        r.decidedAt = r.approvedAt;
        r.expiresAt = r.approvedAt.addDays(deals::kDefaultProtectionDays);
        r.reason = Tr::tr("The protection period ended.");
        r.roomId = room ? room->id : QString();
        break;
    case RegistrationStatus::Rejected:
        r.decidedAt = r.submittedAt.addDays(2);
        r.reason = Tr::tr("Existing customer of the vendor.");
        break;
    case RegistrationStatus::Returned:
        r.decidedAt = r.submittedAt.addDays(1);
        r.reason = Tr::tr("Add the products and the expected close date.");
        break;
    case RegistrationStatus::Submitted:
    case RegistrationStatus::UnderReview:
        break;
    }
    if (r.decidedAt.isValid())
        r.updatedAt = r.decidedAt;
    Q_UNUSED(index)
    ++m_summary.registrations;
    return m_registrations.insert(r.id, dealtables::values(r));
}

Status Generator::addReferral(qint64 index, ReferralStatus status, const DealRoom *room, const QString &from,
                              const QString &to)
{
    Referral r;
    r.fromOrgId = from;
    r.toOrgId = to;
    if (room) {
        r.account = room->account;
    } else {
        const Company c = company(m_companies++);
        r.account = DealAccount::from(c.name, c.website, c.country);
    }
    r.need = QLatin1String(pick(m_rng, kNotes));
    r.contact = QStringLiteral("Buyer %1").arg(index);
    r.currency = QLatin1String(pick(m_rng, kCurrencies));
    r.expectedMinor = qint64(m_rng.bounded(5'000, 300'000)) * 100;
    if (index % 2) {
        r.fee = Referral::Fee::Percent;
        r.feePercentBp = 500 + int(m_rng.bounded(10u)) * 100;
    } else {
        r.feeFlatMinor = qint64(m_rng.bounded(1'000, 20'000)) * 100;
    }
    r.status = status;
    r.sentAt = status == ReferralStatus::Sent ? daysAgo(m_rng.bounded(6.0)) : daysAgo(10 + m_rng.bounded(100.0));
    r.slaDueAt = r.sentAt.addDays(deals::kDefaultReferralSlaDays);
    if (status == ReferralStatus::Accepted || status == ReferralStatus::Declined || status == ReferralStatus::Converted)
        r.answeredAt = r.sentAt.addDays(2);
    if (status == ReferralStatus::Declined)
        r.reason = Tr::tr("No capacity in that region.");
    if (status == ReferralStatus::Expired)
        r.reason = Tr::tr("No answer within the SLA.");
    if (room)
        r.roomId = room->id;
    r.updatedAt = r.answeredAt.isValid() ? r.answeredAt : r.sentAt;
    ++m_summary.referrals;
    if (Status s = m_referrals.insert(m_ws.ids().next(), dealtables::values(r)); !s)
        return s;
    // A converted referral's room has both partners; the receiver joins as reseller of record.
    if (room && status == ReferralStatus::Converted) {
        RoomParticipant p;
        p.roomId = room->id;
        p.organizationId = to;
        p.role = ParticipantRole::Fulfilling;
        p.addedAt = room->createdAt;
        QSqlQuery q(m_ws.db());
        q.prepare(QStringLiteral("SELECT 1 FROM deal_room_participants WHERE room_id = ? AND organization_id = ? AND "
                                 "role = 'fulfilling'"));
        q.addBindValue(room->id);
        q.addBindValue(to);
        if (q.exec() && q.next())
            return {};
        ++m_summary.participants;
        return m_participants.insert(m_ws.ids().next(), dealtables::values(p));
    }
    return {};
}

Result<DemoDealsSummary> Generator::run()
{
    if (Status s = loadOrganizations(); !s)
        return Error{s.error()};
    // Companies already named by earlier runs on this workspace are skipped, so a second run adds new accounts.
    QSqlQuery q(m_ws.db());
    if (q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM deal_rooms) + (SELECT COUNT(*) FROM deal_registrations) + "
                              "(SELECT COUNT(*) FROM deal_referrals)")) &&
        q.next())
        m_companies = q.value(0).toLongLong();
    constexpr int kBatch = 2000; // rooms per transaction
    const qint64 total = m_options.rooms;
    for (qint64 done = 0; done < total;) {
        if (Status s = m_ws.begin(); !s)
            return Error{s.error()};
        const qint64 end = std::min(total, done + kBatch);
        for (; done < end; ++done) {
            if (Status s = addRoom(done); !s) {
                m_ws.rollback();
                return Error{s.error()};
            }
        }
        if (Status s = m_ws.commit(); !s)
            return Error{s.error()};
        if (m_options.progress && !m_options.progress(done, total))
            return Error{Tr::tr("Cancelled.")};
    }
    return m_summary;
}
} // namespace

Result<DemoDealsSummary> addDemoDeals(Workspace &workspace, const DemoDealsOptions &options)
{
    return Generator(workspace, options).run();
}

Status addDemoDeals(Workspace &workspace, quint64 seed, int rooms, int eventsPerRoom)
{
    DemoDealsOptions options;
    options.seed = seed;
    options.rooms = rooms;
    options.eventsPerRoom = eventsPerRoom;
    auto result = addDemoDeals(workspace, options);
    return result ? Status() : Status(Error{result.error()});
}

} // namespace ecotone
