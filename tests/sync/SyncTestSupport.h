#pragma once

// Servers and transports for the sync tests. MemoryServer is a small reference implementation of the merge in
// docs/sync.md (one organization, no access rules), so the engine's tests do not depend on ecotone-server;
// FaultyTransport drops, duplicates and delays requests and answers like a bad network.

#include "store/ChangeJournal.h"
#include "store/TableWriter.h"
#include "store/Workspace.h"
#include "sync/SyncEngine.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <functional>

namespace ecotone::test {

using sync::SyncTransport;
using sync::TransportReply;

class MemoryServer
{
public:
    std::function<qint64()> wallClock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    int pushes = 0;

    struct Field
    {
        QJsonValue value;
        qint64 hlc = 0;
        QString device;
        qint64 seq = 0;
    };
    struct Row
    {
        QString table;
        QString id;
        qint64 seq = 0;
        bool deleted = false;
        qint64 deleteHlc = 0;
        QString deleteDevice;
        QMap<QString, Field> fields;
        QHash<QString, QList<Field>> history; // every accepted write per field, in sequence order
    };

    // Takes the row away from the caller (an agreement ended): a purge entry, and the row is gone.
    void purge(const QString &table, const QString &id)
    {
        const QString key = table + QLatin1Char('/') + id;
        m_rows.remove(key);
        ++m_seq;
        m_purges.insert(m_seq, {table, id});
    }

    const QMap<QString, Row> &rows() const { return m_rows; }

    TransportReply push(const QJsonObject &body)
    {
        ++pushes;
        const qint64 cursor = body.value(QLatin1String("cursor")).toVariant().toLongLong();
        const QJsonArray changes = body.value(QLatin1String("changes")).toArray();
        // 409 before anything is stored: an id reused with other content.
        for (const QJsonValue &cv : changes) {
            const QJsonObject c = cv.toObject();
            const QString id = c.value(QLatin1String("id")).toString();
            if (m_accepted.contains(id) && m_accepted.value(id).change != c)
                return {409, QJsonObject{{QStringLiteral("error"), QStringLiteral("conflict")}}, {}};
            if (Hlc::wallOf(c.value(QLatin1String("hlc")).toVariant().toLongLong()) > wallClock() + 5 * 60 * 1000)
                return {400,
                        QJsonObject{{QStringLiteral("error"), QStringLiteral("clock_ahead")},
                                    {QStringLiteral("message"), QStringLiteral("hlc ahead")}},
                        {}};
        }
        QJsonArray accepted, rejected, conflicts;
        for (const QJsonValue &cv : changes) {
            const QJsonObject c = cv.toObject();
            const QString id = c.value(QLatin1String("id")).toString();
            if (m_accepted.contains(id)) {
                const Accepted &a = m_accepted[id];
                accepted.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("seq"), a.seq}});
                for (const QJsonObject &k : a.conflicts)
                    conflicts.append(k);
                continue;
            }
            const QString table = c.value(QLatin1String("table")).toString();
            const QString rowId = c.value(QLatin1String("row_id")).toString();
            const QString op = c.value(QLatin1String("op")).toString();
            const qint64 hlc = c.value(QLatin1String("hlc")).toVariant().toLongLong();
            const QString device = c.value(QLatin1String("device_id")).toString();
            const QString key = table + QLatin1Char('/') + rowId;
            if (refuse && refuse(c)) {
                rejected.append(QJsonObject{{QStringLiteral("id"), id},
                                            {QStringLiteral("code"), QStringLiteral("forbidden")},
                                            {QStringLiteral("reason"), QStringLiteral("not allowed")}});
                continue;
            }
            if (op == QLatin1String("update") && !m_rows.contains(key)) {
                rejected.append(QJsonObject{{QStringLiteral("id"), id},
                                            {QStringLiteral("code"), QStringLiteral("unknown_row")},
                                            {QStringLiteral("reason"), QStringLiteral("no such row")}});
                continue;
            }
            const qint64 seq = ++m_seq;
            Accepted a{c, seq, {}};
            Row &row = m_rows[key];
            row.table = table;
            row.id = rowId;
            row.seq = seq;
            if (op == QLatin1String("delete")) {
                if (!row.deleted) {
                    row.deleted = true;
                    row.deleteHlc = hlc;
                    row.deleteDevice = device;
                }
            } else if (!row.deleted) {
                QJsonObject values;
                if (op == QLatin1String("insert"))
                    values = c.value(QLatin1String("value")).toObject();
                else
                    values.insert(c.value(QLatin1String("field")).toString(), c.value(QLatin1String("value")));
                for (auto it = values.begin(); it != values.end(); ++it) {
                    // The newest write of the field by another device that the pusher had not seen (above its
                    // cursor), whoever holds the field now: the pusher's own earlier change in the same batch must
                    // not hide it.
                    const QList<Field> &history = row.history[it.key()];
                    for (auto h = history.crbegin(); h != history.crend(); ++h) {
                        if (h->seq <= cursor)
                            break;
                        if (h->device == device)
                            continue;
                        if (h->value != it.value())
                            a.conflicts.append(QJsonObject{{QStringLiteral("id"), id},
                                                           {QStringLiteral("table"), table},
                                                           {QStringLiteral("row_id"), rowId},
                                                           {QStringLiteral("field"), it.key()},
                                                           {QStringLiteral("theirs"), h->value},
                                                           {QStringLiteral("hlc"), h->hlc},
                                                           {QStringLiteral("device_id"), h->device}});
                        break;
                    }
                    row.history[it.key()].append(Field{it.value(), hlc, device, seq});
                    auto f = row.fields.find(it.key());
                    const bool wins = f == row.fields.end() || hlc > f->hlc || (hlc == f->hlc && device > f->device);
                    if (wins)
                        row.fields[it.key()] = Field{it.value(), hlc, device, seq};
                }
            }
            for (const QJsonObject &k : a.conflicts)
                conflicts.append(k);
            accepted.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("seq"), seq}});
            m_accepted.insert(id, a);
        }
        return {200,
                QJsonObject{{QStringLiteral("accepted"), accepted},
                            {QStringLiteral("rejected"), rejected},
                            {QStringLiteral("conflicts"), conflicts}},
                {}};
    }

    TransportReply pull(qint64 since, int limit)
    {
        // Rows and purges above since, in sequence order.
        QMap<qint64, QJsonObject> out;
        for (const Row &row : std::as_const(m_rows)) {
            if (row.seq <= since)
                continue;
            if (row.deleted) {
                out.insert(row.seq, QJsonObject{{QStringLiteral("seq"), row.seq},
                                                {QStringLiteral("table"), row.table},
                                                {QStringLiteral("row_id"), row.id},
                                                {QStringLiteral("op"), QStringLiteral("delete")},
                                                {QStringLiteral("hlc"), row.deleteHlc},
                                                {QStringLiteral("device_id"), row.deleteDevice}});
                continue;
            }
            // The newest field's version is the row's; the others are listed in versions.
            qint64 hlc = 0;
            QString device;
            for (const Field &f : row.fields) {
                if (f.hlc > hlc || (f.hlc == hlc && f.device > device)) {
                    hlc = f.hlc;
                    device = f.device;
                }
            }
            QJsonObject values, versions;
            for (auto it = row.fields.begin(); it != row.fields.end(); ++it) {
                values.insert(it.key(), it->value);
                if (it->hlc != hlc || it->device != device)
                    versions.insert(it.key(), QJsonArray{it->hlc, it->device});
            }
            out.insert(row.seq, QJsonObject{{QStringLiteral("seq"), row.seq},
                                            {QStringLiteral("table"), row.table},
                                            {QStringLiteral("row_id"), row.id},
                                            {QStringLiteral("op"), QStringLiteral("upsert")},
                                            {QStringLiteral("hlc"), hlc},
                                            {QStringLiteral("device_id"), device},
                                            {QStringLiteral("values"), values},
                                            {QStringLiteral("versions"), versions}});
        }
        for (auto it = m_purges.upperBound(since); it != m_purges.end(); ++it)
            out.insert(it.key(), QJsonObject{{QStringLiteral("seq"), it.key()},
                                             {QStringLiteral("table"), it->first},
                                             {QStringLiteral("row_id"), it->second},
                                             {QStringLiteral("op"), QStringLiteral("purge")}});
        QJsonArray changes;
        qint64 cursor = since;
        bool more = false;
        for (auto it = out.begin(); it != out.end(); ++it) {
            if (changes.size() == limit) {
                more = true;
                break;
            }
            changes.append(*it);
            cursor = it.key();
        }
        if (!more)
            cursor = std::max(cursor, m_seq);
        return {200,
                QJsonObject{{QStringLiteral("cursor"), cursor},
                            {QStringLiteral("more"), more},
                            {QStringLiteral("changes"), changes}},
                {}};
    }

    // Set to refuse some changes (forbidden).
    std::function<bool(const QJsonObject &change)> refuse;

private:
    struct Accepted
    {
        QJsonObject change;
        qint64 seq = 0;
        QList<QJsonObject> conflicts;
    };
    QMap<QString, Row> m_rows;
    QMap<qint64, QPair<QString, QString>> m_purges;
    QHash<QString, Accepted> m_accepted;
    qint64 m_seq = 0;

public:
    qint64 seqOf(const QString &changeId) const
    {
        const auto it = m_accepted.constFind(changeId);
        return it == m_accepted.constEnd() ? -1 : it->seq;
    }
};

// Routes the engine's requests to a server object in this process.
class DirectTransport : public SyncTransport
{
public:
    using Handler = std::function<TransportReply(const QByteArray &, const QString &, const QJsonObject &)>;
    explicit DirectTransport(Handler handler)
        : m_handler(std::move(handler))
    {}
    TransportReply request(const QByteArray &method, const QString &path, const QJsonObject &body) override
    {
        ++requests;
        return m_handler(method, path, body);
    }
    int requests = 0;

private:
    Handler m_handler;
};

inline DirectTransport::Handler memoryHandler(MemoryServer &server)
{
    return [&server](const QByteArray &method, const QString &path, const QJsonObject &body) -> TransportReply {
        if (method == "POST" && path == QLatin1String("/api/v1/sync/push"))
            return server.push(body);
        if (method == "GET" && path.startsWith(QLatin1String("/api/v1/sync/pull?"))) {
            const QUrlQuery query(path.mid(path.indexOf(QLatin1Char('?')) + 1));
            return server.pull(query.queryItemValue(QStringLiteral("since")).toLongLong(),
                               query.queryItemValue(QStringLiteral("limit")).toInt());
        }
        return {404, {}, {}};
    };
}

// A bad network between one replica and the server: each request may be lost on the way (the server never sees
// it), delivered but its answer lost, delivered twice, or held back and delivered later (after newer requests);
// a pull may also get a stale answer recorded for the same request earlier.
class FaultyTransport : public SyncTransport
{
public:
    FaultyTransport(SyncTransport &inner, quint64 seed, int faultPercent)
        : m_inner(inner)
        , m_random(quint32(seed * 2654435761u + 17))
        , m_percent(faultPercent)
    {}
    TransportReply request(const QByteArray &method, const QString &path, const QJsonObject &body) override
    {
        // Held-back requests arrive at the server now and then, out of order.
        while (!m_held.isEmpty() && m_random.bounded(100) < 40) {
            const Held h = m_held.takeAt(m_random.bounded(int(m_held.size())));
            (void)m_inner.request(h.method, h.path, h.body);
        }
        if (int(m_random.bounded(100)) >= m_percent) {
            TransportReply r = m_inner.request(method, path, body);
            if (method == "GET")
                m_seen[path] = r;
            return r;
        }
        switch (m_random.bounded(5)) {
        case 0:
            return lost();
        case 1:
            (void)m_inner.request(method, path, body);
            return lost();
        case 2: {
            TransportReply first = m_inner.request(method, path, body);
            TransportReply second = m_inner.request(method, path, body);
            return m_random.bounded(2) ? first : second;
        }
        case 3:
            m_held.append({method, path, body});
            return lost();
        default:
            if (method == "GET" && m_seen.contains(path))
                return m_seen.value(path);
            return m_inner.request(method, path, body);
        }
    }
    // Delivers whatever is still held back (the network settles).
    void flush()
    {
        for (const Held &h : std::as_const(m_held))
            (void)m_inner.request(h.method, h.path, h.body);
        m_held.clear();
    }

private:
    static TransportReply lost() { return {0, {}, QStringLiteral("connection reset")}; }
    struct Held
    {
        QByteArray method;
        QString path;
        QJsonObject body;
    };
    SyncTransport &m_inner;
    QRandomGenerator m_random;
    int m_percent;
    QList<Held> m_held;
    QHash<QString, TransportReply> m_seen;
};

// Every row of a table as text, ordered by id, for comparing replicas.
inline QStringList tableDump(Workspace &ws, const QString &table)
{
    QStringList rows;
    QSqlQuery q(ws.db());
    if (!q.exec(QStringLiteral("SELECT * FROM %1 ORDER BY id").arg(table)))
        return {QStringLiteral("error")};
    const QSqlRecord rec = q.record();
    int skip = rec.indexOf(QStringLiteral("doc")); // listings' local key, not synced
    while (q.next()) {
        QStringList cells;
        for (int i = 0; i < rec.count(); ++i) {
            if (i == skip)
                continue;
            const QVariant v = q.value(i);
            cells << (v.isNull() ? QStringLiteral("<null>") : v.toString());
        }
        rows << cells.join(QLatin1Char('|'));
    }
    return rows;
}

inline QString pragmaResult(Workspace &ws, const QString &pragma)
{
    QSqlQuery q(ws.db());
    if (!q.exec(pragma))
        return QStringLiteral("error");
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out.join(QLatin1Char(','));
}

inline std::vector<ColumnSpec> accountColumns()
{
    return {{"owner_id"}, {"name"},   {"website"},    {"domain"},     {"country"},
            {"industry"}, {"status"}, {"crm_source"}, {"external_id"}};
}

inline std::vector<ColumnSpec> peopleColumns()
{
    return {{"organization_id"}, {"name"}, {"email"}, {"role"}};
}

inline std::vector<ColumnSpec> organizationColumns()
{
    return {{"kind"},
            {"name"},
            {"types", true},
            {"tier"},
            {"regions", true},
            {"industries", true},
            {"capabilities", true},
            {"website"},
            {"domain"},
            {"description"},
            {"status"},
            {"join_date"}};
}

// Current values of a row in the writer's column order; empty when it does not exist.
inline QStringList rowValues(Workspace &ws, TableWriter &writer, const QString &id)
{
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?").arg(writer.selectList(), writer.table()));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return {};
    return writer.valuesFrom(q);
}

inline QVariant scalar(Workspace &ws, const QString &sql)
{
    QSqlQuery q(ws.db());
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

} // namespace ecotone::test
