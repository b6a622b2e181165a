#pragma once

// The client side of sync (docs/sync.md). Everything here works on one Workspace in the calling thread; the GUI
// runs SyncEngine on a worker thread with its own Workspace connection to the same file, so it never blocks.

#include "domain/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace ecotone {
class Workspace;
}

namespace ecotone::sync {

// Kept in the workspace (sync_state), so each workspace remembers its server.
struct SyncSettings
{
    QUrl server;
    QString username;
    bool automatic = false;
    int intervalSeconds = 300;
};

struct SyncStatus
{
    qint64 pending = 0;     // local changes not yet acknowledged by the server
    qint64 conflicts = 0;   // open entries of the conflict inbox
    qint64 quarantined = 0; // pulled rows kept aside because they could not be stored
    qint64 cursor = 0;      // pull cursor
    QDateTime lastSync;     // last sync that ended well (UTC); invalid if never
    QString lastError;      // of the last sync, empty when it ended well
};

struct Conflict
{
    enum class Kind
    {
        Edit,    // both sides changed the field: mine vs theirs
        Deleted, // the row was deleted elsewhere while this device changed it
        Refused, // the server refused a local change (theirs = the reason)
    };
    qint64 id = 0;
    Kind kind = Kind::Edit;
    QString table;
    QString rowId;
    QString field;
    QJsonValue mine;
    QJsonValue theirs;
    qint64 mineHlc = 0;
    qint64 theirsHlc = 0;
    QString theirsDevice;
    QDateTime detectedAt;
};

// A pulled change this replica could not store, kept aside so the rest of the sync goes on (docs/sync.md).
struct QuarantinedRow
{
    qint64 seq = 0; // the server's sequence number of the change
    QString table;
    QString rowId;
    QString reason; // SQLite's words: the rule the value breaks
    QDateTime receivedAt;
};

enum class Resolution
{
    Mine,   // keep this device's value
    Theirs, // take the other value
    Edit,   // a new value typed by the user
};

struct SyncReport
{
    int pulled = 0; // rows applied from the server
    int purged = 0; // rows removed because access ended
    int pushed = 0; // local changes acknowledged
    int rejected = 0;
    int conflicts = 0;   // new conflicts
    int quarantined = 0; // pulled rows this replica could not store (sync_quarantine)
    qint64 elapsedMs = 0;
};

// One HTTP exchange. Tests wrap the real one to drop, duplicate, reorder or delay requests.
struct TransportReply
{
    int status = 0; // HTTP status; 0 when the network failed
    QJsonObject body;
    QString networkError;
};

class SyncTransport
{
public:
    virtual ~SyncTransport() = default;
    // method GET or POST; path like "/api/v1/sync/pull?since=0&limit=1000"; body only for POST.
    virtual TransportReply request(const QByteArray &method, const QString &path, const QJsonObject &body) = 0;
    // The server's address for error messages ("https://sync.example.com"); empty when there is none.
    virtual QString serverName() const { return {}; }
};

// Progress: phase ("pull", "push"), done and total (total 0 when unknown). Return false to stop at the next
// page boundary; what was applied stays applied.
using Progress = std::function<bool(const QString &phase, qint64 done, qint64 total)>;

class SyncEngine
{
public:
    SyncEngine(Workspace &workspace, SyncTransport &transport);

    // Pull every page, push pending changes, pull again. Each page is applied with its cursor in one local
    // transaction, so a cut connection or a crash resumes where it stopped.
    Result<SyncReport> sync(const Progress &progress = {});

    // The phases on their own (sync() runs pull, push, pull). Tests use them to interleave replicas.
    Status pull(SyncReport &report, const Progress &progress = {});
    Status push(SyncReport &report, const Progress &progress = {});

    static constexpr int kPushBatch = 1000;
    static constexpr qint64 kPushBytes = 2 * 1024 * 1024; // about this much JSON per push request
    static constexpr int kPullPage = 1000;
    // Above this many pending changes, pull() indexes them once instead of reading them all for every page.
    static inline int indexPendingAbove = 20000; // tests lower it to exercise the index

private:
    struct TableInfo;
    const TableInfo *tableInfo(const QString &table);
    // Applies one pull page with its cursor in one transaction. *stale is set when the page does not start at the
    // stored cursor (a late or duplicated answer) and nothing was applied.
    Status applyPage(const QJsonObject &page, qint64 since, SyncReport &report, bool *more, bool *stale);
    Status fail(const QString &message);
    Status indexPending();
    Status identify();

    Workspace &m_workspace;
    SyncTransport &m_transport;
    std::shared_ptr<QHash<QString, TableInfo>> m_tables;
    qint64 m_pendingIndexedUpTo = -1; // journal seq the temp index covers; -1 when there is none
};

// The tables whose journal entries are pushed and whose pulled changes are applied (docs/sync.md).
const QStringList &syncedTables();

// Local sync state, no network.
Result<SyncSettings> settings(Workspace &workspace);
Status saveSettings(Workspace &workspace, const SyncSettings &settings);
Result<SyncStatus> status(Workspace &workspace);
Result<QList<Conflict>> openConflicts(Workspace &workspace);
Result<QList<QuarantinedRow>> quarantinedRows(Workspace &workspace);
// The resolution of an Edit entry is written as an ordinary local edit (journaled, with a new hlc), so it wins
// everywhere and syncs like any edit; every open Edit entry of the same field closes with it. A Deleted or Refused
// entry can only be acknowledged (a tombstone wins, a refusal cannot be forced): any resolution closes it.
Status resolve(Workspace &workspace, qint64 conflictId, Resolution resolution, const QJsonValue &edited = {});

} // namespace ecotone::sync
