#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>

namespace ecotone::sync {

// Schema step 7: sync_state (key/value: server, user, cursor, acknowledged journal mark, ...) and the conflict
// inbox sync_conflicts. Neither is journaled nor synced.
Status createSyncTables(QSqlDatabase &db);

} // namespace ecotone::sync
