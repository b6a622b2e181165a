#pragma once

#include "domain/Result.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <utility>

class QSqlDatabase;

namespace ecotone {
class Workspace;
}

namespace ecotone::pipeline {

// How a deal room was touched by partners (docs/insights.md):
//   Sourced: a partner organization is a participant with the role "sourcing";
//   Influenced: partner organizations take part, none of them sourcing;
//   Untouched: no partner organization takes part (the vendor alone).
enum Touch
{
    Sourced = 0,
    Influenced = 1,
    Untouched = 2,
    TouchCount = 3,
};

enum class Bucket
{
    Month,
    Quarter,
};

struct PipelineQuery
{
    // The period, both days included; an invalid date leaves that side open. Open
    // rooms count by the day they were created, won and lost rooms by their close
    // day (close_date, else the day of updated_at).
    QDate from;
    QDate to;
    // Money is never converted: one currency at a time. Empty: the currency with
    // the most rooms.
    QString currency;
    Bucket bucket = Bucket::Month;
};

struct Amount
{
    qint64 rooms = 0;
    qint64 minor = 0; // sum of amount_minor, in the result's currency
    Amount &operator+=(const Amount &o)
    {
        rooms += o.rooms;
        minor += o.minor;
        return *this;
    }
};

// Closed rooms of the period: what win rate, time to close and average deal
// size are made of.
struct Performance
{
    qint64 won = 0;
    qint64 lost = 0;
    qint64 wonMinor = 0;
    double daysToCloseSum = 0; // won rooms: days from created_at to the close day, at least 0

    double winRate() const { return won + lost > 0 ? double(won) / double(won + lost) : 0; } // 0..1
    double averageDaysToClose() const { return won > 0 ? daysToCloseSum / double(won) : 0; }
    double averageDealMinor() const { return won > 0 ? double(wonMinor) / double(won) : 0; }
    Performance &operator+=(const Performance &o);
};

// One row of the breakdown. Each room is credited to ONE partner, its primary
// partner (the primary-credit rule: the earliest-added sourcing participant,
// else the earliest-added partner participant; ties by organization id), so
// rows add up to the totals. A final row with an empty id holds the rooms no
// partner touched.
struct GroupRow
{
    QString id;                                // partner id, or partner type key; empty: no partner
    QString name;                              // partner name or type display name; "No partner" for the
                                               // untouched row
    QString type;                              // partner rows: the partner's primary type key (its first
                                               // type); "" when it has none
    std::array<Amount, TouchCount> pipeline{}; // open rooms
    std::array<Amount, TouchCount> revenue{};  // won rooms
    Performance performance;
    // Won rooms with two or more partners whose primary partner is this row's:
    // adds up to partnerToPartner.
    Amount partnerToPartner;
    // Partner rows only: won rooms with two or more partners this partner took
    // part in, whatever its role; a room counts for each of its partners, so this
    // column does not add up (the partner network's measure).
    Amount multiPartnerRevenue;

    Amount pipelineTotal() const;
    Amount revenueTotal() const;
};

// One bucket (month or quarter) of the series, per primary partner type
// (PipelineInsights::seriesTypes order).
struct SeriesBucket
{
    QDate start;
    QList<qint64> pipelineMinor; // open rooms created in the bucket
    QList<qint64> revenueMinor;  // won rooms closed in the bucket
    // Won rooms closed in the bucket with two or more partners (the growth of
    // partner-to-partner business).
    QList<qint64> partnerToPartnerMinor;
};

struct PipelineInsights
{
    PipelineQuery query;
    QString currency;                             // the currency of every amount below
    QList<std::pair<QString, qint64>> currencies; // every currency with its room count, most rooms first
    qint64 roomsInPeriod = 0;                     // rooms of this currency in the period, any outcome
    std::array<Amount, TouchCount> pipeline{};
    std::array<Amount, TouchCount> revenue{};
    Amount partnerToPartner;     // won rooms with two or more partner organizations
    Performance withPartners;    // sourced or influenced
    Performance withoutPartners; // untouched
    QList<GroupRow> partners;    // by revenue then pipeline, largest first; the
                                 // no-partner row last
    QList<GroupRow> partnerTypes;
    // Series columns: primary type keys ("" = no type) sorted by display name,
    // then "none" (no partner).
    QStringList seriesTypes;
    QStringList seriesTypeNames;
    QList<SeriesBucket> series; // consecutive buckets from the first to the last with data
    // Per partner (rooms credited to it as primary partner, as in partners): bucket start -> (pipeline, revenue)
    // in minor units. partnerSeries() lays one partner's out along series.
    QHash<QString, QMap<QDate, std::pair<qint64, qint64>>> partnerBuckets;
    double milliseconds = 0;
};

// One partner's pipeline and revenue per bucket of insights.series (zeros where it had none).
QList<std::pair<qint64, qint64>> partnerSeries(const PipelineInsights &insights, const QString &partnerId);

// Display name of a series / type key: a partner type's name, "Untyped" for "",
// "No partner" for "none".
QString typeName(const QString &key);
// "Jan 2026" or "Q1 2026".
QString bucketLabel(const QDate &start, Bucket bucket);

// Read-only; a few aggregate queries over deal_rooms, deal_stages,
// deal_room_participants and organizations. The database may be a worker
// thread's own connection.
Result<PipelineInsights> readPipelineInsights(QSqlDatabase &db, const PipelineQuery &query);
Result<PipelineInsights> readPipelineInsights(Workspace &workspace, const PipelineQuery &query);

} // namespace ecotone::pipeline
