#include "SyncSchema.h"

#include "store/Workspace.h"

#include <QSqlQuery>

namespace ecotone::sync {

// sync_state keys: server, username, automatic, interval, cursor, acked (the highest local journal seq the server
// has answered for), base_cursor (the cursor this replica had seen when its oldest pending change was made), last_sync,
// last_error. sync_conflicts: mine/theirs are compact JSON; resolved_at is '' while the entry is open.
Status createSyncTables(QSqlDatabase &db)
{
    QSqlQuery q(db);
    for (const char *sql : {
             R"(CREATE TABLE sync_state (
               key   TEXT PRIMARY KEY,
               value TEXT NOT NULL
           ) WITHOUT ROWID)",
             R"(CREATE TABLE sync_conflicts (
               id            INTEGER PRIMARY KEY,
               kind          TEXT NOT NULL CHECK (kind = 'edit' OR kind = 'deleted' OR kind = 'refused'),
               table_name    TEXT NOT NULL,
               row_id        TEXT NOT NULL,
               field         TEXT NOT NULL DEFAULT '',
               mine          TEXT,
               theirs        TEXT,
               mine_hlc      INTEGER NOT NULL DEFAULT 0,
               theirs_hlc    INTEGER NOT NULL DEFAULT 0,
               theirs_device TEXT NOT NULL DEFAULT '',
               detected_at   TEXT NOT NULL,
               resolved_at   TEXT NOT NULL DEFAULT '',
               resolution    TEXT NOT NULL DEFAULT ''
           ))",
             "CREATE INDEX sync_conflicts_open ON sync_conflicts (table_name, row_id, field) WHERE resolved_at = ''",
         }) {
        if (!q.exec(QString::fromUtf8(sql)))
            return sqlError(q, QString::fromUtf8(sql).simplified().left(60));
    }
    return {};
}

Status createQuarantine(QSqlDatabase &db)
{
    QSqlQuery q(db);
    for (const char *sql : {
             R"(CREATE TABLE sync_quarantine (
               id          INTEGER PRIMARY KEY,
               seq         INTEGER NOT NULL,
               table_name  TEXT NOT NULL,
               row_id      TEXT NOT NULL,
               reason      TEXT NOT NULL,
               change      TEXT NOT NULL,
               received_at TEXT NOT NULL
           ))",
             "CREATE INDEX sync_quarantine_row ON sync_quarantine (table_name, row_id)",
         }) {
        if (!q.exec(QString::fromUtf8(sql)))
            return sqlError(q, QString::fromUtf8(sql).simplified().left(60));
    }
    return {};
}

} // namespace ecotone::sync
