#include "pipeline/PipelineInsights.h"

#include "domain/Organization.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMap>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace ecotone::pipeline {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::pipeline::PipelineInsights)
};

const QString kNone = QStringLiteral("none");
const QString kUntyped = QStringLiteral("untyped");

struct Partner
{
    QString name;
    QString type;
};

// One pass over the rooms of the currency, in rowid order, each joined to its
// participants through the (room_id, organization_id, role) index: grouping by
// r.rowid follows the scan order, so SQLite needs no sort and no materialized
// sub-result per room. Per room:
//   day: what places it in the period (open: created_at, closed: close_date
//   else updated_at); k:   its primary partner's key, the MIN over partner
//   participants of "0" for sourcing / "1" for any other role,
//        then added_at, then the organization id; SQLite takes the bare column
//        org from the row holding that MIN;
//   n:   its distinct partner organizations (the vendor is no partner).
// The outer query groups the ~33,000 rooms of a currency on the 100,000-room
// demo into a few thousand rows by outcome, touch, primary partner,
// multi-partner and month; C++ only folds those.
const char *const kMainSql = R"(
WITH g AS (
    SELECT s.outcome AS outcome, r.amount_minor AS amount,
           CASE WHEN s.outcome = 'open' THEN substr(r.created_at, 1, 10)
                ELSE coalesce(nullif(substr(r.close_date, 1, 10), ''), substr(r.updated_at, 1, 10)) END AS day,
           substr(r.created_at, 1, 10) AS created,
           min(CASE WHEN o.id IS NOT NULL
                    THEN (CASE WHEN p.role = 'sourcing' THEN '0' ELSE '1' END) || p.added_at || p.organization_id
               END) AS k,
           p.organization_id AS org,
           count(DISTINCT o.id) AS n
    FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage
    LEFT JOIN deal_room_participants p ON p.room_id = r.id
    LEFT JOIN organizations o ON o.id = p.organization_id AND o.kind = 'partner'
    WHERE r.currency = :currency
      AND (CASE WHEN s.outcome = 'open' THEN substr(r.created_at, 1, 10)
                ELSE coalesce(nullif(substr(r.close_date, 1, 10), ''), substr(r.updated_at, 1, 10)) END)
          BETWEEN :from AND :to
    GROUP BY r.rowid)
SELECT outcome, CASE WHEN k IS NULL THEN 2 WHEN substr(k, 1, 1) = '0' THEN 0 ELSE 1 END,
       CASE WHEN k IS NULL THEN '' ELSE org END, n >= 2, substr(day, 1, 7), count(*), sum(amount),
       sum(CASE WHEN outcome = 'won' THEN max(0, julianday(day) - julianday(created)) ELSE 0 END)
FROM g
GROUP BY 1, 2, 3, 4, 5)";

// Won rooms of the period with two or more partner organizations: each
// partner's share of them (whole amounts).
const char *const kMultiSql = R"(
WITH w AS MATERIALIZED (
    SELECT r.id AS id, r.amount_minor AS amount
    FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage
    WHERE r.currency = :currency AND s.outcome = 'won'
      AND coalesce(nullif(substr(r.close_date, 1, 10), ''), substr(r.updated_at, 1, 10)) BETWEEN :from AND :to),
d AS MATERIALIZED (
    SELECT DISTINCT p.room_id AS room_id, p.organization_id AS org
    FROM w JOIN deal_room_participants p ON p.room_id = w.id
    JOIN organizations o ON o.id = p.organization_id AND o.kind = 'partner'),
m AS (SELECT room_id FROM d GROUP BY room_id HAVING count(*) >= 2)
SELECT d.org, count(*), sum(w.amount)
FROM d JOIN m ON m.room_id = d.room_id JOIN w ON w.id = d.room_id
GROUP BY d.org)";

QString primaryType(const QString &typesJson)
{
    const QJsonArray types = QJsonDocument::fromJson(typesJson.toUtf8()).array();
    const QString first = types.isEmpty() ? QString() : types.first().toString();
    return first.isEmpty() ? kUntyped : first;
}

QDate bucketStart(const QString &month, Bucket bucket)
{
    const QDate d = QDate::fromString(month + QStringLiteral("-01"), Qt::ISODate);
    if (!d.isValid() || bucket == Bucket::Month)
        return d;
    return QDate(d.year(), (d.month() - 1) / 3 * 3 + 1, 1);
}

QDate nextBucket(const QDate &d, Bucket bucket)
{
    return d.addMonths(bucket == Bucket::Month ? 1 : 3);
}

void sortRows(QList<GroupRow> &rows)
{
    // The no-partner row stays last; the rest by revenue, then pipeline, then
    // name.
    std::stable_sort(rows.begin(), rows.end(), [](const GroupRow &a, const GroupRow &b) {
        const bool an = a.type == kNone, bn = b.type == kNone;
        if (an != bn)
            return bn;
        if (a.revenueTotal().minor != b.revenueTotal().minor)
            return a.revenueTotal().minor > b.revenueTotal().minor;
        if (a.pipelineTotal().minor != b.pipelineTotal().minor)
            return a.pipelineTotal().minor > b.pipelineTotal().minor;
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
}

void addTo(GroupRow &row, const GroupRow &from)
{
    for (int t = 0; t < TouchCount; ++t) {
        row.pipeline[size_t(t)] += from.pipeline[size_t(t)];
        row.revenue[size_t(t)] += from.revenue[size_t(t)];
    }
    row.performance += from.performance;
    row.partnerToPartner += from.partnerToPartner;
}
} // namespace

Performance &Performance::operator+=(const Performance &o)
{
    won += o.won;
    lost += o.lost;
    wonMinor += o.wonMinor;
    daysToCloseSum += o.daysToCloseSum;
    return *this;
}

Amount GroupRow::pipelineTotal() const
{
    Amount a;
    for (const Amount &x : pipeline)
        a += x;
    return a;
}

Amount GroupRow::revenueTotal() const
{
    Amount a;
    for (const Amount &x : revenue)
        a += x;
    return a;
}

QString typeName(const QString &key)
{
    if (key == kNone)
        return Tr::tr("No partner");
    if (key == kUntyped || key.isEmpty())
        return Tr::tr("Untyped");
    if (const auto type = partnertype::fromKey(key))
        return partnertype::displayName(*type);
    return key;
}

QString bucketLabel(const QDate &start, Bucket bucket)
{
    if (bucket == Bucket::Quarter)
        return Tr::tr("Q%1 %2").arg((start.month() - 1) / 3 + 1).arg(start.year());
    return QLocale().toString(start, QStringLiteral("MMM yyyy"));
}

Result<PipelineInsights> readPipelineInsights(QSqlDatabase &db, const PipelineQuery &query)
{
    QElapsedTimer timer;
    timer.start();
    PipelineInsights out;
    out.query = query;

    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT currency, count(*) FROM deal_rooms GROUP "
                               "BY currency ORDER BY 2 DESC, 1")))
        return sqlError(q, Tr::tr("Reading deal room currencies"));
    while (q.next())
        out.currencies << std::pair{q.value(0).toString(), q.value(1).toLongLong()};
    out.currency = query.currency;
    if (out.currency.isEmpty() && !out.currencies.isEmpty())
        out.currency = out.currencies.first().first;

    QHash<QString, Partner> partners;
    if (!q.exec(QStringLiteral("SELECT id, name, types FROM organizations WHERE kind = 'partner'")))
        return sqlError(q, Tr::tr("Reading partners"));
    while (q.next())
        partners.insert(q.value(0).toString(), {q.value(1).toString(), primaryType(q.value(2).toString())});

    const QString from = query.from.isValid() ? query.from.toString(Qt::ISODate) : QStringLiteral("0000-00-00");
    const QString to = query.to.isValid() ? query.to.toString(Qt::ISODate) : QStringLiteral("9999-99-99");

    QHash<QString, GroupRow> byPartner;                             // "" = no partner
    QMap<QDate, QHash<QString, std::pair<qint64, qint64>>> buckets; // start -> type -> (pipeline, revenue)
    QMap<QDate, QHash<QString, qint64>> p2pBuckets;                 // start -> type -> won multi-partner
    QSet<QString> seenTypes;
    q.prepare(QLatin1String(kMainSql));
    q.bindValue(QStringLiteral(":currency"), out.currency);
    q.bindValue(QStringLiteral(":from"), from);
    q.bindValue(QStringLiteral(":to"), to);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading pipeline and revenue"));
    while (q.next()) {
        const QString outcome = q.value(0).toString();
        const int touch = std::clamp(q.value(1).toInt(), 0, 2);
        const QString org = q.value(2).toString();
        const bool multi = q.value(3).toBool();
        const QDate start = bucketStart(q.value(4).toString(), query.bucket);
        const Amount amount{q.value(5).toLongLong(), q.value(6).toLongLong()};
        const double days = q.value(7).toDouble();
        out.roomsInPeriod += amount.rooms;

        GroupRow &row = byPartner[org];
        const bool won = outcome == QLatin1String("won");
        const bool open = outcome == QLatin1String("open");
        Performance perf;
        if (open) {
            row.pipeline[size_t(touch)] += amount;
            out.pipeline[size_t(touch)] += amount;
        } else if (won) {
            row.revenue[size_t(touch)] += amount;
            out.revenue[size_t(touch)] += amount;
            perf.won = amount.rooms;
            perf.wonMinor = amount.minor;
            perf.daysToCloseSum = days;
            if (multi) {
                row.partnerToPartner += amount;
                out.partnerToPartner += amount;
                if (start.isValid())
                    p2pBuckets[start][partners.value(org, {QString(), kUntyped}).type] += amount.minor;
            }
        } else {
            perf.lost = amount.rooms;
        }
        row.performance += perf;
        (touch == Untouched ? out.withoutPartners : out.withPartners) += perf;

        const QString type = touch == Untouched ? kNone : partners.value(org, {QString(), kUntyped}).type;
        if ((open || won) && start.isValid() && !org.isEmpty() && touch != Untouched) {
            auto &mine = out.partnerBuckets[org][start];
            (open ? mine.first : mine.second) += amount.minor;
        }
        if ((open || won) && start.isValid()) {
            seenTypes.insert(type);
            auto &cell = buckets[start][type];
            (open ? cell.first : cell.second) += amount.minor;
        }
    }

    QHash<QString, Amount> multi;
    q.prepare(QLatin1String(kMultiSql));
    q.bindValue(QStringLiteral(":currency"), out.currency);
    q.bindValue(QStringLiteral(":from"), from);
    q.bindValue(QStringLiteral(":to"), to);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading partner-to-partner revenue"));
    while (q.next())
        multi.insert(q.value(0).toString(), {q.value(1).toLongLong(), q.value(2).toLongLong()});
    for (auto it = multi.cbegin(); it != multi.cend(); ++it)
        byPartner[it.key()].multiPartnerRevenue = it.value();

    QHash<QString, GroupRow> byType;
    for (auto it = byPartner.begin(); it != byPartner.end(); ++it) {
        GroupRow &row = it.value();
        row.id = it.key();
        if (row.id.isEmpty()) {
            row.type = kNone;
            row.name = typeName(kNone);
        } else {
            const Partner p = partners.value(row.id, {row.id, kUntyped});
            row.name = p.name;
            row.type = p.type;
        }
        out.partners << row;
        GroupRow &t = byType[row.type];
        t.id = row.id.isEmpty() ? QString() : row.type;
        t.type = row.type;
        t.name = typeName(row.type);
        addTo(t, row);
    }
    out.partnerTypes = byType.values();
    sortRows(out.partners);
    sortRows(out.partnerTypes);

    QStringList types(seenTypes.cbegin(), seenTypes.cend());
    std::sort(types.begin(), types.end(), [](const QString &a, const QString &b) {
        if ((a == kNone) != (b == kNone))
            return b == kNone;
        return QString::localeAwareCompare(typeName(a), typeName(b)) < 0;
    });
    out.seriesTypes = types;
    for (const QString &t : std::as_const(types))
        out.seriesTypeNames << typeName(t);
    if (!buckets.isEmpty()) {
        const QDate last = buckets.lastKey();
        for (QDate d = buckets.firstKey(); d.isValid() && d <= last; d = nextBucket(d, query.bucket)) {
            SeriesBucket b;
            b.start = d;
            const auto cells = buckets.value(d);
            for (const QString &t : std::as_const(types)) {
                const auto cell = cells.value(t);
                b.pipelineMinor << cell.first;
                b.revenueMinor << cell.second;
                b.partnerToPartnerMinor << p2pBuckets.value(d).value(t);
            }
            out.series << b;
        }
    }
    out.milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return out;
}

QList<std::pair<qint64, qint64>> partnerSeries(const PipelineInsights &insights, const QString &partnerId)
{
    QList<std::pair<qint64, qint64>> out;
    const auto buckets = insights.partnerBuckets.value(partnerId);
    for (const SeriesBucket &b : insights.series)
        out << buckets.value(b.start, {0, 0});
    return out;
}

Result<PipelineInsights> readPipelineInsights(Workspace &workspace, const PipelineQuery &query)
{
    return readPipelineInsights(workspace.db(), query);
}

} // namespace ecotone::pipeline
