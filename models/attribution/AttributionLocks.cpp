#include "attribution/AttributionLocks.h"

#include "attribution/AttributionModels.h"
#include "deals/DealTypes.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Locks)
};

std::vector<ColumnSpec> columns()
{
    return {{"period_from"}, {"period_to"}, {"model"}, {"options", true}, {"locked_at"}, {"locked_by"}, {"note"}};
}

QString optionsJson(const QMap<QString, QString> &options)
{
    QJsonObject o;
    for (auto it = options.constBegin(); it != options.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QStringList toValues(const AttributionLock &l)
{
    return {l.from.toString(Qt::ISODate),
            l.to.toString(Qt::ISODate),
            l.model,
            optionsJson(l.options),
            deals::isoTime(l.lockedAt),
            l.lockedBy,
            l.note};
}

AttributionLock fromValues(const QString &id, const QStringList &v)
{
    AttributionLock l;
    l.id = id;
    l.from = QDate::fromString(v.value(0), Qt::ISODate);
    l.to = QDate::fromString(v.value(1), Qt::ISODate);
    l.model = v.value(2);
    const QJsonObject o = QJsonDocument::fromJson(v.value(3).toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        l.options.insert(it.key(), it.value().toString());
    l.lockedAt = deals::parseTime(v.value(4));
    l.lockedBy = v.value(5);
    l.note = v.value(6);
    return l;
}
} // namespace

Status createAttributionLocks(QSqlDatabase &db)
{
    QSqlQuery q(db);
    for (const char *sql : {R"(CREATE TABLE attribution_locks (
               id          TEXT PRIMARY KEY,
               period_from TEXT NOT NULL,
               period_to   TEXT NOT NULL,
               model       TEXT NOT NULL CHECK (length(model) > 0),
               options     TEXT NOT NULL DEFAULT '{}',
               locked_at   TEXT NOT NULL,
               locked_by   TEXT NOT NULL DEFAULT '',
               note        TEXT NOT NULL DEFAULT '',
               CHECK (period_from <= period_to)
           ))",
                            "CREATE INDEX attribution_locks_period ON attribution_locks (period_from, period_to)"}) {
        if (!q.exec(QString::fromUtf8(sql)))
            return sqlError(q, QString::fromUtf8(sql).simplified().left(60));
    }
    return Status::success();
}

AttributionLockRepository::AttributionLockRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("attribution_locks"), columns())
{}

Result<QList<AttributionLock>> AttributionLockRepository::select(const QString &where, const QVariantList &bound)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM attribution_locks %2 ORDER BY period_from, id")
                  .arg(m_writer.selectList(), where));
    for (const QVariant &v : bound)
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, Tr::tr("reading attribution locks"));
    QList<AttributionLock> locks;
    while (q.next())
        locks << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return locks;
}

Result<AttributionLock> AttributionLockRepository::lock(AttributionLock l)
{
    if (!l.from.isValid() || !l.to.isValid())
        return Error{Tr::tr("A locked period needs a first and a last day.")};
    if (l.from > l.to)
        return Error{Tr::tr("The period ends (%1) before it starts (%2).")
                         .arg(l.to.toString(Qt::ISODate), l.from.toString(Qt::ISODate))};
    // attribute() on no journeys checks the model and the options and spells out the defaults.
    auto checked = attribute(PathSet{}, l.model, l.options);
    if (!checked)
        return Error{checked.error()};
    l.options = checked.value().options;
    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    auto overlapping = select(QStringLiteral("WHERE period_from <= ? AND period_to >= ?"),
                              {l.to.toString(Qt::ISODate), l.from.toString(Qt::ISODate)});
    if (!overlapping)
        return Error{overlapping.error()};
    if (!overlapping->isEmpty()) {
        const AttributionLock &o = overlapping->first();
        return Error{Tr::tr("%1 to %2 overlaps the period %3 to %4, already locked to %5 (%6).")
                         .arg(l.from.toString(Qt::ISODate), l.to.toString(Qt::ISODate), o.from.toString(Qt::ISODate),
                              o.to.toString(Qt::ISODate), o.model, o.id)};
    }
    l.id = m_workspace.ids().next();
    l.lockedAt = now();
    if (Status s = m_writer.insert(l.id, toValues(l)); !s)
        return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return l;
}

Status AttributionLockRepository::unlock(const QString &id)
{
    auto existing = find(id);
    if (!existing)
        return Error{existing.error()};
    return m_writer.remove(id);
}

Result<QList<AttributionLock>> AttributionLockRepository::list()
{
    return select(QString(), {});
}

Result<AttributionLock> AttributionLockRepository::find(const QString &id)
{
    auto found = select(QStringLiteral("WHERE id = ?"), {id});
    if (!found)
        return Error{found.error()};
    if (found->isEmpty())
        return Error{Tr::tr("No attribution lock has the id %1.").arg(id)};
    return found->first();
}

Result<std::optional<AttributionLock>> AttributionLockRepository::covering(const QDate &from, const QDate &to)
{
    auto found = select(QStringLiteral("WHERE period_from <= ? AND period_to >= ?"),
                        {from.toString(Qt::ISODate), to.toString(Qt::ISODate)});
    if (!found)
        return Error{found.error()};
    if (found->isEmpty())
        return std::optional<AttributionLock>{};
    return std::optional<AttributionLock>{found->first()};
}

} // namespace ecotone::attribution
