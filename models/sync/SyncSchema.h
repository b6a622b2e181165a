#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>

namespace ecotone::sync {

// Schema step 7: sync_state (key/value: server, user, cursor, acknowledged journal mark, ...) and the conflict
// inbox sync_conflicts. Neither is journaled nor synced.
Status createSyncTables(QSqlDatabase &db);

// Schema step 8: sync_quarantine, the pulled rows this replica could not store (a value its schema refuses), kept
// with the server's sequence number and the reason so that one bad row never stops a sync. Not synced.
Status createQuarantine(QSqlDatabase &db);

} // namespace ecotone::sync
