#pragma once

#include "domain/Result.h"
#include "store/TableWriter.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

namespace ecotone {
class Workspace;
}

namespace ecotone::attribution {

// The model (with every option spelled out) that a program locked for a period, so payouts and reports for that
// period are computed the same way every time. Periods of two locks never overlap.
struct AttributionLock
{
    QString id;
    QDate from; // inclusive
    QDate to;   // inclusive
    QString model;
    QMap<QString, QString> options; // defaults filled in when locked
    QDateTime lockedAt;
    QString lockedBy;
    QString note;
};

// Schema step 6 (docs/attribution.md): the attribution_locks table.
Status createAttributionLocks(QSqlDatabase &db);

// Stores locks; every write is journaled (TableWriter). Unlocking leaves a tombstone in the journal, so the trail
// of what was locked when stays.
class AttributionLockRepository
{
public:
    explicit AttributionLockRepository(Workspace &workspace);
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    // Checks the model and options (attribute()'s rules), fills in the defaults, and refuses a period that is
    // empty, reversed or overlaps another lock (the error names that lock).
    Result<AttributionLock> lock(AttributionLock lock);
    Status unlock(const QString &id);
    Result<QList<AttributionLock>> list(); // by period
    Result<AttributionLock> find(const QString &id);
    // The lock whose period contains all of [from, to], if any.
    Result<std::optional<AttributionLock>> covering(const QDate &from, const QDate &to);

private:
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }
    Result<QList<AttributionLock>> select(const QString &where, const QVariantList &bound);

    Workspace &m_workspace;
    TableWriter m_writer;
    std::function<QDateTime()> m_clock;
};

} // namespace ecotone::attribution
