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

struct PushResult
{
    QList<QPair<QString, qint64>> sequences; // change id -> server sequence number, in the order pushed
    int added = 0;                           // how many were new (a replay adds none)
};

// The server's copy of the journal. Every accepted change gets a sequence number; pushes are serialized
// (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE) so numbers are assigned in commit order and a puller
// reading `since` its cursor can never skip a change that commits later with a smaller number. On PostgreSQL a
// row-level security policy on the table is a second wall between organizations.
// Organizations are separate spaces: a change is stored under its pusher's organization and only that
// organization pulls it (sharing across organizations follows the agreements in a later step; until then deny).
class Journal
{
public:
    explicit Journal(ServerDatabase &db);

    static constexpr int kMaxBatch = 1000;
    static constexpr int kMaxPage = 1000;

    // Reads and checks a pushed body; the error names the field, like "changes[2].hlc".
    static std::variant<QList<Change>, ApiError> parsePush(const QJsonObject &body, qint64 nowMs);

    // All or nothing. A change whose id is already stored with the same content keeps its number; the same id
    // with other content is refused (409) and nothing of the batch is stored.
    std::variant<PushResult, ApiError> push(const QString &organizationId, const QString &userId,
                                            const QList<Change> &changes);

    struct Page
    {
        QJsonArray changes;
        qint64 cursor = 0;
        bool more = false;
    };
    Result<Page> pull(const QString &organizationId, qint64 since, int limit);

private:
    // PostgreSQL: the organization the row-level security policy lets this transaction see and write.
    Status setTenant(const QString &organizationId);
    Result<Page> readPage(const QString &organizationId, qint64 since, int limit);

    ServerDatabase &m_db;
};

} // namespace ecotone::server
