#include "attribution/WorkspaceTouchpoints.h"

#include "deals/DealTypes.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Workspace)
};

enum class Outcome
{
    Open,
    Won,
    Lost,
};

struct Pending
{
    QList<Touchpoint> touches;
    Outcome outcome = Outcome::Open;
    double value = 0;
    QDateTime end;       // when the deal closed
    QDateTime createdAt; // when the opportunity (deal room) was created
};

struct Reader
{
    Workspace &ws;
    QHash<QString, QString> partnerNames; // partners only: the vendor is never credited
    QMap<QString, Pending> journeys;      // by id, for a stable order
    QString error;

    bool query(QSqlQuery &q, const QString &sql, const QString &what)
    {
        q = QSqlQuery(ws.db());
        q.setForwardOnly(true);
        if (!q.exec(sql)) {
            error = sqlError(q, what).message;
            return false;
        }
        return true;
    }

    void touch(const QString &journey, const QString &org, const QString &kind, const QString &at)
    {
        const auto name = partnerNames.constFind(org);
        if (name == partnerNames.constEnd())
            return;
        const QDateTime t = deals::parseTime(at);
        if (!t.isValid())
            return;
        journeys[journey].touches << Touchpoint{journey, org, name.value(), kind, t};
    }

    bool load()
    {
        QSqlQuery q;
        if (!query(q, QStringLiteral("SELECT id, name FROM organizations WHERE kind = 'partner'"),
                   Tr::tr("reading partners")))
            return false;
        QHash<QString, int> nameCount;
        while (q.next()) {
            partnerNames.insert(q.value(0).toString(), q.value(1).toString());
            ++nameCount[q.value(1).toString()];
        }
        // Credits are keyed by name: partners sharing a name are told apart by the end (random part) of their ids.
        for (auto it = partnerNames.begin(); it != partnerNames.end(); ++it)
            if (nameCount.value(it.value()) > 1)
                it.value() = QStringLiteral("%1 (%2)").arg(it.value(), it.key().right(8));

        if (!query(q,
                   QStringLiteral("SELECT r.id, s.outcome, r.amount_minor, r.currency, r.close_date, r.updated_at, "
                                  "r.created_at FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage"),
                   Tr::tr("reading deal rooms")))
            return false;
        while (q.next()) {
            Pending &p = journeys[q.value(0).toString()];
            const QString outcome = q.value(1).toString();
            p.outcome = outcome == QLatin1String("won")    ? Outcome::Won
                        : outcome == QLatin1String("lost") ? Outcome::Lost
                                                           : Outcome::Open;
            p.value = double(q.value(2).toLongLong()) / std::pow(10.0, deals::minorDigits(q.value(3).toString()));
            const QDate close = QDate::fromString(q.value(4).toString(), Qt::ISODate);
            p.end = close.isValid() ? close.startOfDay(Qt::UTC) : deals::parseTime(q.value(5).toString());
            p.createdAt = deals::parseTime(q.value(6).toString());
        }

        // Registrations: a touch of the room they became, or a journey of their own that ended when refused.
        QSet<QString> origin; // "room|org" pairs already touched by a registration or referral
        if (!query(q,
                   QStringLiteral("SELECT id, partner_id, submitted_at, status, room_id, updated_at "
                                  "FROM deal_registrations"),
                   Tr::tr("reading registrations")))
            return false;
        while (q.next()) {
            const QString room = q.value(4).toString();
            const QString status = q.value(3).toString();
            const QString journey = room.isEmpty() ? q.value(0).toString() : room;
            if (room.isEmpty()) {
                if (status != QLatin1String("rejected") && status != QLatin1String("expired"))
                    continue; // still in play
                Pending &p = journeys[journey];
                p.outcome = Outcome::Lost;
                p.end = deals::parseTime(q.value(5).toString());
            }
            touch(journey, q.value(1).toString(), QStringLiteral("registration"), q.value(2).toString());
            origin.insert(journey + QLatin1Char('|') + q.value(1).toString());
        }
        if (!query(q,
                   QStringLiteral("SELECT id, from_org_id, to_org_id, sent_at, answered_at, status, room_id, "
                                  "updated_at FROM deal_referrals"),
                   Tr::tr("reading referrals")))
            return false;
        while (q.next()) {
            const QString room = q.value(6).toString();
            const QString status = q.value(5).toString();
            const QString journey = room.isEmpty() ? q.value(0).toString() : room;
            if (room.isEmpty()) {
                if (status != QLatin1String("declined") && status != QLatin1String("expired"))
                    continue;
                Pending &p = journeys[journey];
                p.outcome = Outcome::Lost;
                p.end = deals::parseTime(q.value(7).toString());
            }
            touch(journey, q.value(1).toString(), QStringLiteral("referral"), q.value(3).toString());
            origin.insert(journey + QLatin1Char('|') + q.value(1).toString());
            if (!q.value(4).toString().isEmpty() && status != QLatin1String("declined")) {
                touch(journey, q.value(2).toString(), QStringLiteral("referral_accepted"), q.value(4).toString());
                origin.insert(journey + QLatin1Char('|') + q.value(2).toString());
            }
        }
        // Participants: joining a room is a touch, unless the organization is there because of its own
        // registration or referral (approval and conversion add it), which is that touch already.
        if (!query(q,
                   QStringLiteral("SELECT room_id, organization_id, role, added_at FROM deal_room_participants "
                                  "ORDER BY room_id, added_at, organization_id, role"),
                   Tr::tr("reading deal room participants")))
            return false;
        QSet<QString> joined;
        while (q.next()) {
            const QString room = q.value(0).toString(), org = q.value(1).toString();
            const QString pair = room + QLatin1Char('|') + org;
            if (origin.contains(pair) || joined.contains(pair))
                continue;
            joined.insert(pair);
            const QString role = q.value(2).toString();
            const QString kind = role == QLatin1String("technical")           ? QStringLiteral("technical_validation")
                                 : role == QLatin1String("cloud_marketplace") ? QStringLiteral("marketplace")
                                                                              : QStringLiteral("co_sell");
            touch(room, org, kind, q.value(3).toString());
        }
        // Timeline entries written by a partner's people.
        if (!query(q,
                   QStringLiteral("SELECT e.room_id, p.organization_id, e.kind, e.at FROM deal_events e "
                                  "JOIN people p ON p.id = e.author_id "
                                  "WHERE e.kind IN ('note', 'call', 'meeting')"),
                   Tr::tr("reading deal room timelines")))
            return false;
        while (q.next())
            touch(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString());
        return true;
    }

    bool inPeriod(const Pending &p, const WorkspaceJourneyOptions &options) const
    {
        if (p.outcome == Outcome::Open || p.touches.isEmpty())
            return false;
        const QDate day = p.end.isValid() ? p.end.toUTC().date() : p.touches.last().at.toUTC().date();
        return (!options.from.isValid() || day >= options.from) && (!options.to.isValid() || day <= options.to);
    }
};

void sortTouches(QList<Touchpoint> &touches)
{
    std::stable_sort(touches.begin(), touches.end(), [](const Touchpoint &a, const Touchpoint &b) {
        if (a.at != b.at)
            return a.at < b.at;
        return a.partnerId < b.partnerId;
    });
}
} // namespace

Result<QList<Touchpoint>> readTouchpoints(Workspace &workspace, const WorkspaceJourneyOptions &options)
{
    Reader reader{workspace, {}, {}, {}};
    if (!reader.load())
        return Error{reader.error};
    QList<Touchpoint> all;
    for (auto it = reader.journeys.begin(); it != reader.journeys.end(); ++it) {
        if (!reader.inPeriod(it.value(), options))
            continue;
        sortTouches(it.value().touches);
        all << it.value().touches;
    }
    return all;
}

Result<PathSet> readWorkspaceJourneys(Workspace &workspace, const WorkspaceJourneyOptions &options)
{
    Reader reader{workspace, {}, {}, {}};
    if (!reader.load())
        return Error{reader.error};
    PathSet set;
    for (auto it = reader.journeys.begin(); it != reader.journeys.end(); ++it) {
        Pending &p = it.value();
        if (!reader.inPeriod(p, options))
            continue;
        sortTouches(p.touches);
        ++set.rows;
        const bool won = p.outcome == Outcome::Won;
        QDateTime end = p.end.isValid() ? p.end : p.touches.last().at;
        Journey j;
        // The opportunity was created by the last touch at or before the room's creation (the registration or
        // referral it came from, or its first participant); a journey without a room has none.
        for (qsizetype i = 0; i < p.touches.size(); ++i) {
            const Touchpoint &t = p.touches.at(i);
            j.touches.push_back(set.partnerId(t.partnerName));
            j.ages.push_back(std::max(0.0, double(t.at.msecsTo(end)) / 86'400'000.0));
            if (p.createdAt.isValid() && t.at <= p.createdAt)
                j.opportunityTouch = int(i);
        }
        if (p.createdAt.isValid() && j.opportunityTouch < 0)
            j.opportunityTouch = 0;
        j.conversions = won ? 1 : 0;
        j.value = won ? p.value : 0;
        j.nulls = won ? 0 : 1;
        set.add(std::move(j));
    }
    return set;
}

} // namespace ecotone::attribution
