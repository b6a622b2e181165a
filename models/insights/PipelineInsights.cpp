#include "insights/PipelineInsights.h"

#include "deals/DealTypes.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>

#include <cmath>

namespace ecotone::insights {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::insights::Pipeline)
};

enum class Outcome
{
    Open,
    Won,
    Lost,
};

struct Room
{
    Outcome outcome = Outcome::Open;
    double amount = 0;
    QString currency;
    QDate closeDate;
    QDateTime createdAt;
    QStringList sourcing; // partner ids, distinct, in the order found
    QStringList partners; // every partner id taking part, distinct
};

void add(Amounts &a, Outcome outcome, double amount)
{
    ++a.deals;
    if (outcome == Outcome::Open)
        a.pipeline += amount;
    else if (outcome == Outcome::Won)
        a.revenue += amount;
    else
        a.lost += amount;
}

struct CloseTally
{
    int won = 0;
    int lost = 0;
    double wonAmount = 0;
    double days = 0;
    int timed = 0;
    CloseStats stats() const
    {
        CloseStats s;
        s.won = won;
        s.lost = lost;
        s.winRate = won + lost > 0 ? double(won) / double(won + lost) : 0.0;
        s.averageWon = won > 0 ? wonAmount / won : 0.0;
        s.averageDaysToClose = timed > 0 ? days / timed : 0.0;
        return s;
    }
};
} // namespace

Result<PipelineInsights> pipelineInsights(Workspace &workspace, const PipelineOptions &options)
{
    QSqlQuery q(workspace.db());
    q.setForwardOnly(true);
    auto run = [&](const QString &sql, const QString &what) -> Status {
        if (!q.exec(sql))
            return sqlError(q, what);
        return Status::success();
    };
    PipelineInsights result;
    QHash<QString, int> partnerIndex;
    if (Status s =
            run(QStringLiteral("SELECT id, name, types FROM organizations WHERE kind = 'partner' ORDER BY name, id"),
                Tr::tr("reading partners"));
        !s)
        return Error{s.error()};
    while (q.next()) {
        PartnerPipeline p;
        p.id = q.value(0).toString();
        p.name = q.value(1).toString();
        for (const auto &t : QJsonDocument::fromJson(q.value(2).toString().toUtf8()).array())
            p.types << t.toString();
        partnerIndex.insert(p.id, int(result.partners.size()));
        result.partners << p;
    }

    QHash<QString, Room> rooms;
    QMap<QString, int> currencies;
    if (Status s = run(QStringLiteral("SELECT r.id, s.outcome, r.amount_minor, r.currency, r.close_date, r.created_at "
                                      "FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage"),
                       Tr::tr("reading deal rooms"));
        !s)
        return Error{s.error()};
    while (q.next()) {
        Room r;
        const QString outcome = q.value(1).toString();
        r.outcome = outcome == QLatin1String("won")    ? Outcome::Won
                    : outcome == QLatin1String("lost") ? Outcome::Lost
                                                       : Outcome::Open;
        r.currency = q.value(3).toString();
        r.amount = double(q.value(2).toLongLong()) / std::pow(10.0, deals::minorDigits(r.currency));
        r.closeDate = QDate::fromString(q.value(4).toString(), Qt::ISODate);
        r.createdAt = deals::parseTime(q.value(5).toString());
        const QDate day = r.closeDate.isValid() ? r.closeDate : r.createdAt.toUTC().date();
        if ((options.from.isValid() && day < options.from) || (options.to.isValid() && day > options.to))
            continue;
        if (!r.currency.isEmpty())
            ++currencies[r.currency];
        rooms.insert(q.value(0).toString(), r);
    }
    result.currency = options.currency.trimmed().toUpper();
    if (result.currency.isEmpty()) {
        int most = 0;
        for (auto it = currencies.constBegin(); it != currencies.constEnd(); ++it)
            if (it.value() > most) { // ties: the first in alphabetical order
                most = it.value();
                result.currency = it.key();
            }
    }

    auto addSourcing = [&](const QString &room, const QString &org) {
        auto it = rooms.find(room);
        if (it == rooms.end() || !partnerIndex.contains(org))
            return;
        if (!it->sourcing.contains(org))
            it->sourcing << org;
        if (!it->partners.contains(org))
            it->partners << org;
    };
    if (Status s = run(QStringLiteral("SELECT room_id, organization_id, role FROM deal_room_participants "
                                      "ORDER BY room_id, added_at, organization_id"),
                       Tr::tr("reading deal room participants"));
        !s)
        return Error{s.error()};
    while (q.next()) {
        const QString room = q.value(0).toString(), org = q.value(1).toString();
        if (q.value(2).toString() == QLatin1String("sourcing")) {
            addSourcing(room, org);
            continue;
        }
        auto it = rooms.find(room);
        if (it != rooms.end() && partnerIndex.contains(org) && !it->partners.contains(org))
            it->partners << org;
    }
    if (Status s = run(QStringLiteral("SELECT room_id, partner_id FROM deal_registrations WHERE room_id <> ''"),
                       Tr::tr("reading registrations"));
        !s)
        return Error{s.error()};
    while (q.next())
        addSourcing(q.value(0).toString(), q.value(1).toString());
    if (Status s = run(QStringLiteral("SELECT room_id, from_org_id FROM deal_referrals WHERE room_id <> ''"),
                       Tr::tr("reading referrals"));
        !s)
        return Error{s.error()};
    while (q.next())
        addSourcing(q.value(0).toString(), q.value(1).toString());

    CloseTally with, without;
    QMap<QString, PeriodPipeline> periods;
    for (auto it = rooms.constBegin(); it != rooms.constEnd(); ++it) {
        const Room &r = it.value();
        if (r.currency != result.currency && !(r.currency.isEmpty() && r.amount == 0)) {
            ++result.otherCurrencyDeals;
            continue;
        }
        const QDate day = r.closeDate.isValid() ? r.closeDate : r.createdAt.toUTC().date();
        PeriodPipeline &period = periods[day.toString(QStringLiteral("yyyy-MM"))];
        if (!r.sourcing.isEmpty()) {
            add(result.sourced, r.outcome, r.amount);
            add(period.sourced, r.outcome, r.amount);
        } else if (!r.partners.isEmpty()) {
            add(result.influenced, r.outcome, r.amount);
            add(period.influenced, r.outcome, r.amount);
        } else {
            add(result.untouched, r.outcome, r.amount);
            add(period.untouched, r.outcome, r.amount);
        }
        for (const QString &org : r.partners) {
            PartnerPipeline &p = result.partners[partnerIndex.value(org)];
            if (r.sourcing.contains(org)) {
                add(p.sourced, r.outcome, r.amount / double(r.sourcing.size()));
            } else {
                add(p.influenced, r.outcome, r.amount);
            }
            if (r.partners.size() >= 2)
                add(p.multiPartner, r.outcome, r.amount);
        }
        if (r.partners.size() >= 2)
            add(result.partnerToPartner, r.outcome, r.amount);
        CloseTally &tally = r.partners.isEmpty() ? without : with;
        if (r.outcome == Outcome::Won) {
            ++tally.won;
            tally.wonAmount += r.amount;
            if (r.closeDate.isValid() && r.createdAt.isValid()) {
                tally.days += double(r.createdAt.toUTC().date().daysTo(r.closeDate));
                ++tally.timed;
            }
        } else if (r.outcome == Outcome::Lost) {
            ++tally.lost;
        }
    }
    result.withPartners = with.stats();
    result.withoutPartners = without.stats();
    for (const PartnerPipeline &p : std::as_const(result.partners)) {
        for (const QString &type : p.types) {
            Amounts &s = result.sourcedByType[type];
            s.pipeline += p.sourced.pipeline;
            s.revenue += p.sourced.revenue;
            s.lost += p.sourced.lost;
            s.deals += p.sourced.deals;
            Amounts &i = result.influencedByType[type];
            i.pipeline += p.influenced.pipeline;
            i.revenue += p.influenced.revenue;
            i.lost += p.influenced.lost;
            i.deals += p.influenced.deals;
        }
    }
    for (auto it = periods.begin(); it != periods.end(); ++it) {
        it.value().period = it.key();
        result.periods << it.value();
    }
    return result;
}

} // namespace ecotone::insights
