#pragma once

#include "JsonBody.h"
#include "ServerDatabase.h"
#include "domain/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <variant>

namespace ecotone::server {

// One change-journal entry as clients push it (docs/workspace.md, "The change journal"), with the client's own
// id for it, which makes a replayed push harmless.
struct Change
{
    QString id;
    QString deviceId;
    qint64 hlc = 0;
    QString table;
    QString rowId;
    QString op; // insert, update, delete
    QString field;
    QString value; // compact JSON text; null for a delete (a tombstone)
};

// Reading and checking pushed journal entries. The state they build, who may read it and pulls are SyncService's
// (Sync.h).
class Journal
{
public:
    static constexpr int kMaxBatch = 1000;

    // Reads and checks a pushed body; the error names the field, like "changes[2].hlc".
    static std::variant<QList<Change>, ApiError> parsePush(const QJsonObject &body, qint64 nowMs);
};

} // namespace ecotone::server
