#include "Sync.h"

namespace ecotone::server {

SyncService::SyncService(ServerDatabase &db)
    : m_db(db)
{}

std::variant<QJsonObject, ApiError> SyncService::push(const Caller &, const QJsonObject &)
{
    return ApiError{501, QStringLiteral("not_implemented"), QStringLiteral("not yet"), {}};
}

std::variant<QJsonObject, ApiError> SyncService::pull(const Caller &, qint64, int)
{
    return ApiError{501, QStringLiteral("not_implemented"), QStringLiteral("not yet"), {}};
}

Status SyncService::expireAgreements()
{
    return Status::success();
}

} // namespace ecotone::server
