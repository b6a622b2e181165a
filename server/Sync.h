#pragma once

#include "Accounts.h"
#include "JsonBody.h"
#include "ServerDatabase.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace ecotone::server {

// The sync protocol of docs/sync.md without HTTP: push() takes and answers exactly the bodies of
// POST /api/v1/sync/push, pull() answers exactly the body of GET /api/v1/sync/pull. ApiServer's handlers are thin
// wrappers over it, and tests link ecotone_server_core to call it in-process.
class SyncService
{
public:
    explicit SyncService(ServerDatabase &db);

    static constexpr int kMaxBatch = 1000;
    static constexpr int kDefaultPage = 1000;
    static constexpr int kMaxPage = 5000;

    // body: {"cursor"?: int, "changes": [...]}. 200 answer {"accepted", "rejected", "conflicts"}; errors are
    // 400 (naming the field), 409 (a change id reused with other content), 413 (too many changes), 500.
    std::variant<QJsonObject, ApiError> push(const Caller &caller, const QJsonObject &body);
    // limit 1..kMaxPage (400 otherwise). Answer {"cursor", "more", "changes"}.
    std::variant<QJsonObject, ApiError> pull(const Caller &caller, qint64 since, int limit = kDefaultPage);
    // The same answer as compact JSON text, which is what HTTP sends (cheaper than building a QJsonObject).
    std::variant<QByteArray, ApiError> pullJson(const Caller &caller, qint64 since, int limit = kDefaultPage);

    // Takes away the access of agreements whose expires_at has passed (purges). pull() calls it first; cheap
    // when nothing expired. Exposed for tests and the CLI.
    Status expireAgreements();

private:
    ServerDatabase &m_db;
};

} // namespace ecotone::server
