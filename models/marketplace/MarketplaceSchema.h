#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>

namespace ecotone {

// Schema step 5 (docs/marketplace.md): listings with their FTS5 index, favourites and collaboration requests.
Status createMarketplace(QSqlDatabase &db);

} // namespace ecotone
