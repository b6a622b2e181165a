#pragma once

// Internals shared by the sync engine, its local-state functions and the CLI: the sync_state keys, the conflict
// inbox writer and the JSON <-> SQL conversions of docs/sync.md.

#include "domain/Result.h"
#include "sync/SyncEngine.h"

#include <QJsonValue>
#include <QString>
#include <QVariant>

namespace ecotone {
class Workspace;
}

namespace ecotone::sync {

namespace state {
inline constexpr char kServer[] = "server";
inline constexpr char kUsername[] = "username";
inline constexpr char kAutomatic[] = "automatic";
inline constexpr char kInterval[] = "interval";
inline constexpr char kCursor[] = "cursor";
inline constexpr char kAcked[] = "acked";
inline constexpr char kBaseCursor[] = "base_cursor";
inline constexpr char kLastSync[] = "last_sync";
inline constexpr char kLastError[] = "last_error";
// "<server>|<user>|<organization id>": whose changes this replica may send (learnt from /api/v1/me).
inline constexpr char kOrganization[] = "organization";

Result<QString> get(Workspace &ws, const char *key);
Status set(Workspace &ws, const char *key, const QString &value);
Result<qint64> integer(Workspace &ws, const char *key); // 0 when unset
Status setInteger(Workspace &ws, const char *key, qint64 value);
} // namespace state

// This device's journal entries of synced tables above the acknowledged mark; stops counting at limit (> 0).
Result<qint64> pendingCount(Workspace &ws, qint64 limit = 0);
// SQL to AND onto a query of this device's journal: leaves out the inserts of accounts and opportunities that another
// organization owns (a partner's CRM rows the vendor imported from a file). They stay on this machine: only their
// owner shares them, and the server would refuse them one by one. Binds: the organization id twice (empty when
// unknown: nothing is left out).
QString localOnlyFilter();
Result<QString> ownOrganization(Workspace &ws);

// Adds an inbox entry unless the same open entry is already there (a conflict seen on pull and again in the push
// answer, or a replayed answer).
Status addConflict(Workspace &ws, Conflict::Kind kind, const QString &table, const QString &rowId, const QString &field,
                   const QJsonValue &mine, const QJsonValue &theirs, qint64 mineHlc, qint64 theirsHlc,
                   const QString &theirsDevice, const QString &detectedAt);

// JSON text of any value (scalars too); parseJson is its inverse (undefined for text that is not JSON).
QString compactJson(const QJsonValue &value);
QJsonValue parseJson(const QString &text);
// A JSON value as the SQL value of a column: strings as text (base64 into a BLOB column), integers as integers,
// arrays and objects as compact JSON text, null as NULL (or '' / 0 for a NOT NULL column, so an old peer's missing
// value cannot block every later page).
QVariant sqlValue(const QJsonValue &value, const QString &declaredType, bool notNull);

} // namespace ecotone::sync
