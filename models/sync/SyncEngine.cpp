#include "SyncEngine.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"
#include "sync/SyncState.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <memory>
#include <unordered_map>

namespace ecotone::sync {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::sync::SyncEngine)
};

QString rowKey(const QString &table, const QString &rowId)
{
    return table + QChar(0x1f) + rowId;
}

// Last writer wins by (hlc, device id), the device compared as text (docs/sync.md).
bool newer(qint64 hlcA, const QString &deviceA, qint64 hlcB, const QString &deviceB)
{
    return hlcA != hlcB ? hlcA > hlcB : deviceA > deviceB;
}

// A pending local change of one field: the newest journal entry of this device, above the acknowledged mark, that
// wrote it (an update of the field or an insert carrying it).
struct PendingField
{
    qint64 hlc = 0;
    QJsonValue value;
    bool fromInsert = false;
};

struct PendingRow
{
    bool deleted = false;
    bool inserted = false;
    QHash<QString, PendingField> fields;
};

qint64 jsonInteger(const QJsonValue &v, bool *ok)
{
    // Hlcs use 64 bits; QJsonValue keeps integers exact when the parser saw an integer.
    const QVariant var = v.toVariant();
    *ok = v.isDouble();
    return var.toLongLong();
}

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

QString syncedTableSql()
{
    QStringList quoted;
    for (const QString &t : syncedTables())
        quoted << QLatin1Char('\'') + t + QLatin1Char('\'');
    return QLatin1Char('(') + quoted.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString httpProblem(const TransportReply &reply)
{
    if (reply.status == 0)
        return reply.networkError.isEmpty() ? Tr::tr("no answer") : reply.networkError;
    const QString message = reply.body.value(QLatin1String("message")).toString();
    const QString code = reply.body.value(QLatin1String("error")).toString();
    QString text = Tr::tr("HTTP %1").arg(reply.status);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    if (!code.isEmpty())
        text += QStringLiteral(" (") + code + QLatin1Char(')');
    return text;
}

// PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around the apply transaction and put back
// as it was. Pulled rows arrive in the server's sequence order, which may put a child (a deal task) before the
// parent it references (its room, granted to us later), and a purge may take a parent while its children stay; the
// server's merge, not the local constraint, decides what exists.
class ForeignKeysOff
{
public:
    explicit ForeignKeysOff(Workspace &ws)
        : m_ws(ws)
    {
        QSqlQuery q(ws.db());
        m_wasOn = q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next() && q.value(0).toInt() == 1;
        if (m_wasOn)
            (void)ws.exec(QStringLiteral("PRAGMA foreign_keys=OFF"));
    }
    ~ForeignKeysOff()
    {
        if (m_wasOn)
            (void)m_ws.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    }

private:
    Workspace &m_ws;
    bool m_wasOn = false;
};
} // namespace

const QStringList &syncedTables()
{
    static const QStringList tables{
        QStringLiteral("organizations"),
        QStringLiteral("people"),
        QStringLiteral("accounts"),
        QStringLiteral("opportunities"),
        QStringLiteral("custom_populations"),
        QStringLiteral("sharing_agreements"),
        QStringLiteral("deal_stages"),
        QStringLiteral("deal_rooms"),
        QStringLiteral("deal_room_participants"),
        QStringLiteral("deal_room_people"),
        QStringLiteral("deal_events"),
        QStringLiteral("deal_tasks"),
        QStringLiteral("deal_documents"),
        QStringLiteral("deal_registrations"),
        QStringLiteral("deal_referrals"),
        QStringLiteral("listings"),
        QStringLiteral("listing_favourites"),
        QStringLiteral("collaboration_requests"),
        QStringLiteral("attribution_locks"),
    };
    return tables;
}

struct SyncEngine::TableInfo
{
    QHash<QString, QString> types; // column -> declared type (upper case)
    QSet<QString> notNull;
};

SyncEngine::SyncEngine(Workspace &workspace, SyncTransport &transport)
    : m_workspace(workspace)
    , m_transport(transport)
    , m_tables(std::make_shared<QHash<QString, TableInfo>>())
{}

const SyncEngine::TableInfo *SyncEngine::tableInfo(const QString &table)
{
    if (!syncedTables().contains(table))
        return nullptr;
    auto it = m_tables->find(table);
    if (it == m_tables->end()) {
        TableInfo info;
        QSqlQuery q(m_workspace.db());
        if (q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table))) {
            while (q.next()) {
                const QString name = q.value(1).toString();
                info.types.insert(name, q.value(2).toString().toUpper());
                if (q.value(3).toInt() != 0)
                    info.notNull.insert(name);
            }
        }
        it = m_tables->insert(table, info);
    }
    return it->types.isEmpty() ? nullptr : &*it;
}

Status SyncEngine::fail(const QString &message)
{
    (void)state::set(m_workspace, state::kLastError, message);
    return Error{message};
}

Result<SyncReport> SyncEngine::sync(const Progress &progress)
{
    QElapsedTimer timer;
    timer.start();
    SyncReport report;
    if (m_workspace.transactionDepth() != 0)
        return Error{Tr::tr("Internal error: sync started inside a transaction.")};
    bool stopped = false;
    auto watch = [&](const QString &phase, qint64 done, qint64 total) {
        if (progress && !progress(phase, done, total))
            stopped = true;
        return !stopped;
    };
    if (Status s = identify(); !s)
        return Error{s.error()};
    if (Status s = pull(report, watch); !s)
        return Error{s.error()};
    if (!stopped) {
        if (Status s = push(report, watch); !s)
            return Error{s.error()};
    }
    // Pull again: what the push changed on the server (the merge may have kept another value) and what others pushed
    // meanwhile.
    if (!stopped) {
        if (Status s = pull(report, watch); !s)
            return Error{s.error()};
    }
    report.elapsedMs = timer.elapsed();
    if (!stopped) {
        (void)state::set(m_workspace, state::kLastError, QString());
        (void)state::set(m_workspace, state::kLastSync, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    }
    return report;
}

Status SyncEngine::pull(SyncReport &report, const Progress &progress)
{
    // PRAGMA foreign_keys cannot change inside a transaction, and a page must commit on its own.
    if (m_workspace.transactionDepth() != 0)
        return Error{Tr::tr("Internal error: sync started inside a transaction.")};
    int staleAnswers = 0;
    qint64 pages = 0;
    struct IndexGuard
    {
        SyncEngine *engine;
        ~IndexGuard()
        {
            if (engine->m_pendingIndexedUpTo >= 0)
                (void)engine->m_workspace.exec(QStringLiteral("DROP TABLE IF EXISTS temp.sync_pending"));
            engine->m_pendingIndexedUpTo = -1;
        }
    } guard{this};
    if (Status s = indexPending(); !s)
        return fail(s.error());
    for (;;) {
        auto cursor = state::integer(m_workspace, state::kCursor);
        if (!cursor)
            return fail(cursor.error());
        const qint64 since = cursor.value();
        const TransportReply reply = m_transport.request(
            "GET", QStringLiteral("/api/v1/sync/pull?since=%1&limit=%2").arg(since).arg(kPullPage), {});

        if (reply.status != 200) {
            const QString server = m_transport.serverName();
            return fail(server.isEmpty()
                            ? Tr::tr("Pulling changes failed: %1").arg(httpProblem(reply))
                            : Tr::tr("Pulling changes from %1 failed: %2").arg(server, httpProblem(reply)));
        }
        bool more = false;
        bool stale = false;
        if (Status s = applyPage(reply.body, since, report, &more, &stale); !s)
            return fail(s.error());
        if (stale) {
            // A late or duplicated answer: nothing was applied; ask again from the stored cursor.
            if (++staleAnswers > 3)
                return fail(Tr::tr("Pulling changes failed: the server's answers do not continue from this "
                                   "workspace's cursor %1.")
                                .arg(since));
            continue;
        }
        ++pages;
        if (progress && !progress(QStringLiteral("pull"), pages, 0))
            return {};
        if (!more)
            return {};
    }
}

Status SyncEngine::indexPending()
{
    m_pendingIndexedUpTo = -1;
    auto count = pendingCount(m_workspace, indexPendingAbove + 1);
    if (!count)
        return Error{count.error()};
    if (count.value() <= indexPendingAbove)
        return {};
    auto acked = state::integer(m_workspace, state::kAcked);
    if (!acked)
        return Error{acked.error()};
    QSqlQuery q(m_workspace.db());
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM journal")) || !q.next())
        return sqlError(q, Tr::tr("Reading the change journal"));
    const qint64 upTo = q.value(0).toLongLong();
    if (Status s = m_workspace.exec(QStringLiteral("DROP TABLE IF EXISTS temp.sync_pending")); !s)
        return s;
    if (Status s = m_workspace.exec(QStringLiteral("CREATE TEMP TABLE sync_pending (table_name TEXT NOT NULL, row_id "
                                                   "TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (table_name, "
                                                   "row_id, seq)) WITHOUT ROWID"));
        !s)
        return s;
    QSqlQuery fill(m_workspace.db());
    fill.prepare(
        QStringLiteral("INSERT INTO temp.sync_pending (table_name, row_id, seq) SELECT table_name, row_id, seq "
                       "FROM journal WHERE seq > ? AND seq <= ? AND device_id = ?"));
    fill.addBindValue(acked.value());
    fill.addBindValue(upTo);
    fill.addBindValue(m_workspace.deviceId());
    if (!fill.exec())
        return sqlError(fill, Tr::tr("Indexing pending changes"));
    m_pendingIndexedUpTo = upTo;
    return {};
}

Status SyncEngine::applyPage(const QJsonObject &page, qint64 since, SyncReport &report, bool *more, bool *stale)
{
    *more = false;
    *stale = false;
    bool ok = false;
    const qint64 newCursor = jsonInteger(page.value(QLatin1String("cursor")), &ok);
    if (!ok || !page.value(QLatin1String("changes")).isArray())
        return Error{Tr::tr("The server's pull answer is malformed (no cursor or changes).")};
    if (page.contains(QLatin1String("since"))) {
        bool sinceOk = false;
        if (jsonInteger(page.value(QLatin1String("since")), &sinceOk) != since || !sinceOk) {
            *stale = true;
            return {};
        }
    }
    if (newCursor < since) {
        *stale = true;
        return {};
    }
    *more = page.value(QLatin1String("more")).toBool();
    const QJsonArray changes = page.value(QLatin1String("changes")).toArray();

    // Refuse the whole page before writing anything if a change comes from too far in the future.
    for (const QJsonValue &cv : changes) {
        const QJsonObject c = cv.toObject();
        QList<QPair<qint64, QString>> stamps;
        bool hlcOk = false;
        const qint64 hlc = jsonInteger(c.value(QLatin1String("hlc")), &hlcOk);
        if (hlcOk)
            stamps.append({hlc, c.value(QLatin1String("device_id")).toString()});
        const QJsonObject versions = c.value(QLatin1String("versions")).toObject();
        for (auto it = versions.begin(); it != versions.end(); ++it) {
            const QJsonArray pair = it.value().toArray();
            bool vOk = false;
            const qint64 v = jsonInteger(pair.at(0), &vOk);
            if (vOk)
                stamps.append({v, pair.at(1).toString()});
        }
        for (const auto &[stamp, device] : stamps) {
            Result<qint64> merged = m_workspace.clock().receive(stamp);
            if (!merged)
                return Error{Tr::tr("The server sent a change to %1 %2 from device %3 stamped %4, more than five "
                                    "minutes ahead of this computer's clock; nothing of that page was applied. Check "
                                    "the date and time of this computer and of that device.")
                                 .arg(c.value(QLatin1String("table")).toString(),
                                      c.value(QLatin1String("row_id")).toString(), device, Hlc::toString(stamp))};
        }
    }

    auto acked = state::integer(m_workspace, state::kAcked);
    if (!acked)
        return Error{acked.error()};
    const QString me = m_workspace.deviceId();

    // This device's pending changes of the rows in the page, read once per page (the journal above the acknowledged
    // mark is short except right after an import).
    QSet<QString> pageRows;
    for (const QJsonValue &cv : changes) {
        const QJsonObject c = cv.toObject();
        pageRows.insert(
            rowKey(c.value(QLatin1String("table")).toString(), c.value(QLatin1String("row_id")).toString()));
    }
    QHash<QString, PendingRow> pending;
    // Columns: hlc, table_name, row_id, op, field, value.
    auto absorb = [&](QSqlQuery &q, bool filter) {
        while (q.next()) {
            const QString key = rowKey(q.value(1).toString(), q.value(2).toString());
            if (filter && !pageRows.contains(key))
                continue;
            PendingRow &row = pending[key];
            const qint64 hlc = q.value(0).toLongLong();
            const QString op = q.value(3).toString();
            if (op == QLatin1String("delete")) {
                row.deleted = true;
            } else if (op == QLatin1String("insert")) {
                row.inserted = true;
                const QJsonObject values = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
                for (auto it = values.begin(); it != values.end(); ++it)
                    row.fields.insert(it.key(), {hlc, it.value(), true});
            } else {
                row.fields.insert(q.value(4).toString(), {hlc, parseJson(q.value(5).toString()), false});
            }
        }
    };
    if (!pageRows.isEmpty()) {
        qint64 scanFrom = acked.value();
        if (m_pendingIndexedUpTo >= 0) {
            // Many pending changes (an import not pushed yet): look the page's rows up in the index pull() made
            // instead of reading every pending entry for every page.
            QSqlQuery q(m_workspace.db());
            q.setForwardOnly(true);
            q.prepare(QStringLiteral("SELECT j.hlc, j.table_name, j.row_id, j.op, j.field, j.value FROM "
                                     "temp.sync_pending p JOIN journal j ON j.seq = p.seq WHERE p.table_name = ? AND "
                                     "p.row_id = ? ORDER BY p.seq"));
            for (const QJsonValue &cv : changes) {
                const QJsonObject c = cv.toObject();
                q.addBindValue(c.value(QLatin1String("table")).toString());
                q.addBindValue(c.value(QLatin1String("row_id")).toString());
                if (!q.exec())
                    return sqlError(q, Tr::tr("Reading pending changes"));
                absorb(q, false);
            }
            scanFrom = std::max(scanFrom, m_pendingIndexedUpTo); // entries written since the index was made
        }
        QSqlQuery q(m_workspace.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT hlc, table_name, row_id, op, field, value FROM journal WHERE seq > ? AND "
                                 "device_id = ? ORDER BY seq"));
        q.addBindValue(scanFrom);
        q.addBindValue(me);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading pending changes"));
        absorb(q, true);
    }

    ForeignKeysOff fkOff(m_workspace);
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    // Re-read inside the transaction: another connection (the GUI's) may have applied this page already.
    auto stored = state::integer(m_workspace, state::kCursor);
    if (!stored)
        return Error{stored.error()};
    if (stored.value() != since) {
        *stale = true;
        return {};
    }

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    // A page repeats a handful of statement shapes thousands of times: prepare each once.
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> statements;
    auto statement = [&](const QString &sql) -> QSqlQuery & {
        std::unique_ptr<QSqlQuery> &q = statements[sql];
        if (!q) {
            q = std::make_unique<QSqlQuery>(m_workspace.db());
            q->prepare(sql);
        }
        return *q;
    };
    int pulled = 0;
    int purged = 0;
    int conflicts = 0;
    int quarantined = 0;
    // Rows in quarantine from earlier pages: a version that applies now takes them out.
    QSet<QString> inQuarantine;
    {
        QSqlQuery q(m_workspace.db());
        if (!q.exec(QStringLiteral("SELECT table_name, row_id FROM sync_quarantine")))
            return sqlError(q, Tr::tr("Reading the quarantine"));
        while (q.next())
            inQuarantine.insert(rowKey(q.value(0).toString(), q.value(1).toString()));
    }
    // A pulled change this replica cannot store (a value its schema refuses: a hostile peer, an older server)
    // goes to the quarantine and the page goes on; a failed statement changed nothing (SQLite undoes it whole).
    auto quarantine = [&](const QJsonObject &c, const QString &table, const QString &rowId,
                          const QString &reason) -> Status {
        QSqlQuery &q = statement(QStringLiteral("INSERT INTO sync_quarantine (seq, table_name, row_id, reason, change,"
                                                " received_at) VALUES (?, ?, ?, ?, ?, ?)"));
        q.addBindValue(c.value(QLatin1String("seq")).toInteger());
        q.addBindValue(table);
        q.addBindValue(rowId);
        q.addBindValue(reason);
        q.addBindValue(compactJson(c));
        q.addBindValue(now);
        if (!q.exec())
            return sqlError(q, Tr::tr("Keeping %1 %2 in the quarantine").arg(table, rowId));
        inQuarantine.insert(rowKey(table, rowId));
        ++quarantined;
        return {};
    };
    auto released = [&](const QString &table, const QString &rowId) -> Status {
        if (!inQuarantine.remove(rowKey(table, rowId)))
            return {};
        QSqlQuery &q = statement(QStringLiteral("DELETE FROM sync_quarantine WHERE table_name = ? AND row_id = ?"));
        q.addBindValue(table);
        q.addBindValue(rowId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Updating the quarantine"));
        return {};
    };
    for (const QJsonValue &cv : changes) {
        const QJsonObject c = cv.toObject();
        const QString table = c.value(QLatin1String("table")).toString();
        const QString rowId = c.value(QLatin1String("row_id")).toString();
        const QString op = c.value(QLatin1String("op")).toString();
        const TableInfo *info = tableInfo(table);
        if (!info || rowId.isEmpty())
            continue; // a table this build does not have or does not sync
        const auto pendingIt = pending.constFind(rowKey(table, rowId));
        const PendingRow *local = pendingIt == pending.constEnd() ? nullptr : &*pendingIt;
        bool hlcOk = false;
        const qint64 rowHlc = jsonInteger(c.value(QLatin1String("hlc")), &hlcOk);
        const QString rowDevice = c.value(QLatin1String("device_id")).toString();

        if (op == QLatin1String("delete") || op == QLatin1String("purge")) {
            QSqlQuery &del = statement(QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(table));
            del.addBindValue(rowId);
            if (!del.exec()) {
                if (Status s = quarantine(c, table, rowId, del.lastError().databaseText()); !s)
                    return s;
                continue;
            }
            if (Status s = released(table, rowId); !s)
                return s;
            if (op == QLatin1String("purge")) {
                purged += del.numRowsAffected() > 0;
                continue;
            }
            pulled += del.numRowsAffected() > 0;
            // Tombstones win: a pending edit of the row is kept in the inbox so nobody's work vanishes unseen.
            if (local && !local->deleted) {
                for (auto it = local->fields.begin(); it != local->fields.end(); ++it) {
                    if (it.value().fromInsert)
                        continue; // our own new row, deleted by someone who saw it: no edit was lost
                    if (Status s =
                            addConflict(m_workspace, Conflict::Kind::Deleted, table, rowId, it.key(), it.value().value,
                                        QJsonValue(QJsonValue::Null), it.value().hlc, rowHlc, rowDevice, now);
                        !s)
                        return s;
                    ++conflicts;
                }
            }
            continue;
        }
        if (op != QLatin1String("upsert"))
            continue;
        if (local && local->deleted)
            continue; // our pending delete wins; the server will hold the tombstone once it is pushed

        const QJsonObject values = c.value(QLatin1String("values")).toObject();
        const QJsonObject versions = c.value(QLatin1String("versions")).toObject();
        QStringList columns;
        QVariantList binds;
        for (auto it = values.begin(); it != values.end(); ++it) {
            const QString &field = it.key();
            if (field == QLatin1String("id") || !info->types.contains(field))
                continue; // unknown columns (a newer peer's) are ignored
            qint64 hlc = rowHlc;
            QString device = rowDevice;
            if (versions.contains(field)) {
                const QJsonArray pair = versions.value(field).toArray();
                bool vOk = false;
                hlc = jsonInteger(pair.at(0), &vOk);
                device = pair.at(1).toString();
            }
            if (local) {
                const auto f = local->fields.constFind(field);
                if (f != local->fields.constEnd()) {
                    const bool theirsWins = newer(hlc, device, f->hlc, me);
                    // A remote version newer than our pending edit cannot have been seen when we made it (we merge
                    // every pulled hlc into our clock), so it is concurrent: keep both in the inbox. Older remote
                    // versions that we had not seen are reported by the server when we push.
                    if (theirsWins && device != me && f->value != it.value()) {
                        if (Status s = addConflict(m_workspace, Conflict::Kind::Edit, table, rowId, field, f->value,
                                                   it.value(), f->hlc, hlc, device, now);
                            !s)
                            return s;
                        ++conflicts;
                    }
                    if (!theirsWins)
                        continue; // our pending value stays; the server will take it when we push
                }
            }
            columns << field;
            binds << sqlValue(it.value(), info->types.value(field), info->notNull.contains(field));
        }
        if (columns.isEmpty())
            continue;
        // Most pulled rows are echoes of what this replica already holds (its own pushes come back): write only
        // the fields that differ, so an echo costs a read and no write.
        QSqlQuery &cur =
            statement(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?").arg(columns.join(QStringLiteral(", ")), table));
        cur.addBindValue(rowId);
        if (!cur.exec())
            return sqlError(cur, Tr::tr("Reading %1 %2").arg(table, rowId));
        if (cur.next()) {
            QStringList changedColumns;
            QVariantList changedBinds;
            for (qsizetype i = 0; i < columns.size(); ++i) {
                const QVariant mine = cur.value(int(i));
                const QVariant &remote = binds.at(i);
                const bool same = mine.isNull() == remote.isNull() &&
                                  (mine.isNull() ||
                                   (mine.typeId() == QMetaType::QByteArray || remote.typeId() == QMetaType::QByteArray
                                        ? mine.toByteArray() == remote.toByteArray()
                                        : mine.toString() == remote.toString()));
                if (!same) {
                    changedColumns << columns.at(i);
                    changedBinds << remote;
                }
            }
            cur.finish();
            if (changedColumns.isEmpty())
                continue;
            QStringList sets;
            for (const QString &col : std::as_const(changedColumns))
                sets << col + QStringLiteral(" = ?");
            QSqlQuery &upd =
                statement(QStringLiteral("UPDATE %1 SET %2 WHERE id = ?").arg(table, sets.join(QStringLiteral(", "))));
            for (const QVariant &b : std::as_const(changedBinds))
                upd.addBindValue(b);
            upd.addBindValue(rowId);
            if (!upd.exec()) {
                if (Status s = quarantine(c, table, rowId, upd.lastError().databaseText()); !s)
                    return s;
                continue;
            }
        } else {
            cur.finish();
            QSqlQuery &ins =
                statement(QStringLiteral("INSERT INTO %1 (id, %2) VALUES (?, %3)")
                              .arg(table, columns.join(QStringLiteral(", ")), placeholders(columns.size())));
            ins.addBindValue(rowId);
            for (const QVariant &b : binds)
                ins.addBindValue(b);
            if (!ins.exec()) {
                if (Status s = quarantine(c, table, rowId, ins.lastError().databaseText()); !s)
                    return s;
                continue;
            }
        }
        if (Status s = released(table, rowId); !s)
            return s;
        ++pulled;
    }

    if (Status s = state::setInteger(m_workspace, state::kCursor, newCursor); !s)
        return s;
    // While nothing is pending, everything this replica writes next is based on what it has seen now.
    auto hasPending = pendingCount(m_workspace, 1);
    if (!hasPending)
        return Error{hasPending.error()};
    if (hasPending.value() == 0) {
        if (Status s = state::setInteger(m_workspace, state::kBaseCursor, newCursor); !s)
            return s;
    }
    if (Status s = tx.commit(); !s)
        return s;
    report.pulled += pulled;
    report.purged += purged;
    report.conflicts += conflicts;
    report.quarantined += quarantined;
    return {};
}

// Which organization this replica syncs for, asked once per server and user: the push leaves out rows another
// organization owns. A server that does not answer /me (or an answer lost on the way) leaves nothing out.
Status SyncEngine::identify()
{
    auto known = ownOrganization(m_workspace);
    if (!known)
        return Error{known.error()};
    if (!known->isEmpty())
        return {};
    const TransportReply reply = m_transport.request("GET", QStringLiteral("/api/v1/me"), {});
    const QString id = reply.body.value(QLatin1String("organization")).toObject().value(QLatin1String("id")).toString();
    if (reply.status != 200 || id.isEmpty())
        return {};
    auto s = settings(m_workspace);
    if (!s)
        return Error{s.error()};
    return state::set(m_workspace, state::kOrganization,
                      s->server.toString() + QLatin1Char('|') + s->username + QLatin1Char('|') + id);
}

Status SyncEngine::push(SyncReport &report, const Progress &progress)
{
    if (m_workspace.transactionDepth() != 0)
        return Error{Tr::tr("Internal error: sync started inside a transaction.")};
    auto total = pendingCount(m_workspace);
    if (!total)
        return fail(total.error());
    qint64 done = 0;
    int emptyAnswers = 0;
    int batchLimit = kPushBatch; // halved when the server finds a request too large (413)
    const QString me = m_workspace.deviceId();
    auto organization = ownOrganization(m_workspace);
    if (!organization)
        return fail(organization.error());
    for (;;) {
        auto acked = state::integer(m_workspace, state::kAcked);
        auto base = state::integer(m_workspace, state::kBaseCursor);
        if (!acked || !base)
            return fail(acked ? base.error() : acked.error());
        struct Entry
        {
            qint64 seq;
            QString id;
            qint64 hlc;
            QString table;
            QString rowId;
            QString op;
            QString field;
            QJsonValue value;
        };
        QList<Entry> entries;
        QJsonArray changes;
        qint64 bytes = 0;
        {
            QSqlQuery q(m_workspace.db());
            q.setForwardOnly(true);
            q.prepare(QStringLiteral("SELECT seq, hlc, table_name, row_id, op, field, value FROM journal WHERE seq > ? "
                                     "AND device_id = ? AND table_name IN %1%3 ORDER BY seq LIMIT %2")
                          .arg(syncedTableSql())
                          .arg(batchLimit)
                          .arg(localOnlyFilter()));
            q.addBindValue(acked.value());
            q.addBindValue(me);
            q.addBindValue(organization.value());
            q.addBindValue(organization.value());
            if (!q.exec())
                return fail(sqlError(q, Tr::tr("Reading pending changes")).message);
            // Requests stay well under the server's body limit (4 MiB by default): logos travel as base64.
            while (q.next() && (entries.isEmpty() || bytes < kPushBytes)) {
                bytes += 256 + q.value(6).toString().size();
                Entry e{q.value(0).toLongLong(),
                        me + QLatin1Char(':') + q.value(0).toString(),
                        q.value(1).toLongLong(),
                        q.value(2).toString(),
                        q.value(3).toString(),
                        q.value(4).toString(),
                        q.value(5).toString(),
                        q.value(6).isNull() ? QJsonValue(QJsonValue::Null) : parseJson(q.value(6).toString())};
                changes.append(QJsonObject{{QStringLiteral("id"), e.id},
                                           {QStringLiteral("device_id"), me},
                                           {QStringLiteral("hlc"), e.hlc},
                                           {QStringLiteral("table"), e.table},
                                           {QStringLiteral("row_id"), e.rowId},
                                           {QStringLiteral("op"), e.op},
                                           {QStringLiteral("field"), e.field},
                                           {QStringLiteral("value"), e.value}});
                entries.append(std::move(e));
            }
        }
        if (entries.isEmpty())
            return {};
        const TransportReply reply = m_transport.request(
            "POST", QStringLiteral("/api/v1/sync/push"),
            QJsonObject{{QStringLiteral("cursor"), base.value()}, {QStringLiteral("changes"), changes}});
        if (reply.status == 413 && entries.size() > 1) {
            batchLimit = int(entries.size() / 2);
            continue;
        }
        if (reply.status == 409) {
            // The same change id with other content: this file's journal was rewound (restored from a backup) or it
            // is a copy of a workspace that already syncs, so its device id names two replicas.
            return fail(Tr::tr("Pushing changes failed: %1. The server already holds other changes under this "
                               "workspace's device id %2: the file is a copy of another synced workspace, or was "
                               "restored from a backup. Sync the original instead, or start from a new workspace.")
                            .arg(httpProblem(reply), me));
        }
        if (reply.status != 200) {
            const QString server = m_transport.serverName();
            return fail(server.isEmpty() ? Tr::tr("Pushing changes failed: %1").arg(httpProblem(reply))
                                         : Tr::tr("Pushing changes to %1 failed: %2").arg(server, httpProblem(reply)));
        }
        QSet<QString> answered;
        for (const QJsonValue &a : reply.body.value(QLatin1String("accepted")).toArray())
            answered.insert(a.toObject().value(QLatin1String("id")).toString());
        QHash<QString, QJsonObject> rejected;
        for (const QJsonValue &r : reply.body.value(QLatin1String("rejected")).toArray()) {
            const QJsonObject o = r.toObject();
            answered.insert(o.value(QLatin1String("id")).toString());
            rejected.insert(o.value(QLatin1String("id")).toString(), o);
        }
        // The mark moves over the answered prefix of the batch only: an answer to an older or partial request
        // (a duplicate arriving late) can never acknowledge a change the server has not seen.
        qsizetype covered = 0;
        while (covered < entries.size() && answered.contains(entries.at(covered).id))
            ++covered;
        if (covered == 0) {
            if (++emptyAnswers > 3)
                return fail(Tr::tr("Pushing changes failed: the server's answer does not list the changes sent."));
            continue;
        }
        QHash<QString, qsizetype> indexOf;
        for (qsizetype i = 0; i < covered; ++i)
            indexOf.insert(entries.at(i).id, i);

        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        Transaction tx(m_workspace);
        if (!tx.status())
            return fail(tx.status().error());
        auto current = state::integer(m_workspace, state::kAcked);
        if (!current)
            return fail(current.error());
        if (current.value() != acked.value())
            continue; // another connection acknowledged meanwhile; read the pending list again
        int newConflicts = 0;
        for (qsizetype i = 0; i < covered; ++i) {
            const Entry &e = entries.at(i);
            const auto r = rejected.constFind(e.id);
            if (r == rejected.constEnd())
                continue;
            const QString reason = r->value(QLatin1String("code")).toString() + QStringLiteral(": ") +
                                   r->value(QLatin1String("reason")).toString();
            if (Status s = addConflict(m_workspace, Conflict::Kind::Refused, e.table, e.rowId, e.field, e.value,
                                       QJsonValue(reason), e.hlc, 0, QString(), now);
                !s)
                return fail(s.error());
            ++report.rejected;
            ++newConflicts;
        }
        for (const QJsonValue &cv : reply.body.value(QLatin1String("conflicts")).toArray()) {
            const QJsonObject c = cv.toObject();
            const auto idx = indexOf.constFind(c.value(QLatin1String("id")).toString());
            if (idx == indexOf.constEnd())
                continue;
            const Entry &e = entries.at(*idx);
            const QString field = c.value(QLatin1String("field")).toString(e.field);
            const QJsonValue mine = e.op == QLatin1String("insert") ? e.value.toObject().value(field) : e.value;
            bool ok = false;
            const qint64 theirsHlc = jsonInteger(c.value(QLatin1String("hlc")), &ok);
            const QJsonValue theirs = c.value(QLatin1String("theirs"));
            if (mine == theirs)
                continue;
            if (Status s = addConflict(m_workspace, Conflict::Kind::Edit, e.table, e.rowId, field, mine, theirs, e.hlc,
                                       theirsHlc, c.value(QLatin1String("device_id")).toString(), now);
                !s)
                return fail(s.error());
            ++newConflicts;
        }
        const qint64 newAcked = entries.at(covered - 1).seq;
        if (Status s = state::setInteger(m_workspace, state::kAcked, newAcked); !s)
            return fail(s.error());
        auto left = pendingCount(m_workspace, 1);
        if (!left)
            return fail(left.error());
        if (left.value() == 0) {
            auto cursor = state::integer(m_workspace, state::kCursor);
            if (!cursor)
                return fail(cursor.error());
            if (Status s = state::setInteger(m_workspace, state::kBaseCursor, cursor.value()); !s)
                return fail(s.error());
        }
        if (Status s = tx.commit(); !s)
            return fail(s.error());
        report.pushed += int(covered);
        report.conflicts += newConflicts;
        done += covered;
        emptyAnswers = 0;
        if (progress && !progress(QStringLiteral("push"), done, total.value()))
            return {};
    }
}

} // namespace ecotone::sync
