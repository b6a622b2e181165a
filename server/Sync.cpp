#include "Sync.h"

#include "Journal.h"
#include "ValueSchema.h"
#include "sync/SyncEngine.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace ecotone::server {

namespace {

const QString kEveryone = QStringLiteral("*"); // access-list entry: every organization may read the row

ApiError internal(const QString &detail)
{
    qWarning("ecotone-server: %s", qUtf8Printable(detail));
    return ApiError{500, QStringLiteral("internal_error"), QStringLiteral("the server failed; try again later"), {}};
}

QString jsonText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QJsonValue jsonValue(const QString &text)
{
    if (text.isNull())
        return QJsonValue(QJsonValue::Null);
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"));
    return doc.array().at(0);
}

// A column's value as text: strings as they are, numbers in decimal, null and missing as "".
QString plain(const QString &json)
{
    const QJsonValue v = jsonValue(json);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

bool isDealRoomChild(const QString &table)
{
    static const QSet<QString> children{QStringLiteral("deal_room_participants"), QStringLiteral("deal_room_people"),
                                        QStringLiteral("deal_events"), QStringLiteral("deal_tasks"),
                                        QStringLiteral("deal_documents")};
    return children.contains(table);
}

// The tables clients sync (one list for both sides); anything else is refused.
bool isKnownTable(const QString &table)
{
    static const QSet<QString> tables(sync::syncedTables().cbegin(), sync::syncedTables().cend());
    return tables.contains(table);
}

bool isImmutableColumn(const QString &field)
{
    static const QSet<QString> columns{
        QStringLiteral("id"),         QStringLiteral("owner_id"),    QStringLiteral("organization_id"),
        QStringLiteral("partner_id"), QStringLiteral("from_org_id"), QStringLiteral("to_org_id"),
        QStringLiteral("from_org"),   QStringLiteral("to_org"),      QStringLiteral("room_id")};
    return columns.contains(field);
}

// The owner columns of each table: required at insert, never changed after (even when an insert left one out).
const QStringList &ownerColumns(const QString &table)
{
    static const QHash<QString, QStringList> columns{
        {QStringLiteral("accounts"), {QStringLiteral("owner_id")}},
        {QStringLiteral("opportunities"), {QStringLiteral("owner_id")}},
        {QStringLiteral("people"), {QStringLiteral("organization_id")}},
        {QStringLiteral("sharing_agreements"), {QStringLiteral("partner_id")}},
        {QStringLiteral("deal_registrations"), {QStringLiteral("partner_id")}},
        {QStringLiteral("deal_referrals"), {QStringLiteral("from_org_id"), QStringLiteral("to_org_id")}},
        {QStringLiteral("listings"), {QStringLiteral("organization_id")}},
        {QStringLiteral("collaboration_requests"), {QStringLiteral("from_org"), QStringLiteral("to_org")}},
        {QStringLiteral("deal_room_participants"), {QStringLiteral("room_id"), QStringLiteral("organization_id")}},
        {QStringLiteral("deal_room_people"), {QStringLiteral("room_id")}},
        {QStringLiteral("deal_events"), {QStringLiteral("room_id")}},
        {QStringLiteral("deal_tasks"), {QStringLiteral("room_id")}},
        {QStringLiteral("deal_documents"), {QStringLiteral("room_id")}},
    };
    static const QStringList none;
    const auto it = columns.constFind(table);
    return it == columns.cend() ? none : *it;
}

// Whether writing these fields can change who reads a row of `table` (besides the owner columns, which are fixed
// at insert): an account's status, a listing's state.
bool affectsAccess(const QString &table, const QList<QPair<QString, QString>> &writes)
{
    const char *field = table == QLatin1String("accounts")   ? "status"
                        : table == QLatin1String("listings") ? "state"
                                                             : nullptr;
    if (!field)
        return false;
    for (const auto &write : writes) {
        if (write.first == QLatin1String(field))
            return true;
    }
    return false;
}

struct FieldState
{
    QString value; // compact JSON
    qint64 hlc = 0;
    QString device;
    qint64 seq = 0;
};

struct RowState
{
    bool exists = false;
    QString owner;
    QString parent; // room_id of a deal room's child row
    qint64 lastSeq = 0;
    bool deleted = false;
    qint64 deletedHlc = 0;
    QString deletedDevice;
    QHash<QString, FieldState> fields;

    QString text(const QString &name) const
    {
        const auto it = fields.constFind(name);
        return it == fields.cend() ? QString() : plain(it->value);
    }
};

struct Agreement
{
    QString partner;
    QString population;
    bool activeFull = false;
    qint64 expiresMs = 0; // 0: never
};

bool wins(qint64 hlc, const QString &device, qint64 otherHlc, const QString &otherDevice)
{
    return hlc > otherHlc || (hlc == otherHlc && device > otherDevice);
}

// JSON string literal of `text` (pull answers are written as text: a page of 5,000 rows through QJsonObject
// costs several times more).
void appendJsonString(QByteArray &out, const QString &text)
{
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
}

// The members of a row's `upsert` pull entry after "op": the version most fields share as hlc / device_id, the
// values, and the fields whose version differs. Stored with the row so that pulls only copy it.
QByteArray renderDoc(const RowState &row)
{
    QHash<QPair<qint64, QString>, int> votes;
    for (const FieldState &f : row.fields)
        ++votes[{f.hlc, f.device}];
    QPair<qint64, QString> common{0, QString()};
    int best = -1;
    for (auto v = votes.cbegin(); v != votes.cend(); ++v) {
        if (v.value() > best ||
            (v.value() == best && wins(v.key().first, v.key().second, common.first, common.second))) {
            best = v.value();
            common = v.key();
        }
    }
    QStringList names = row.fields.keys();
    names.sort();
    QByteArray values, others;
    for (const QString &name : names) {
        const FieldState &f = row.fields[name];
        if (!values.isEmpty())
            values += ',';
        // Field names are plain identifiers and values compact JSON: copied as they are.
        values += '"' + name.toUtf8() + "\":" + f.value.toUtf8();
        if (f.hlc == common.first && f.device == common.second)
            continue;
        if (!others.isEmpty())
            others += ',';
        others += '"' + name.toUtf8() + "\":[" + QByteArray::number(f.hlc) + ',';
        appendJsonString(others, f.device);
        others += ']';
    }
    QByteArray doc = "\"hlc\":" + QByteArray::number(common.first) + ",\"device_id\":";
    appendJsonString(doc, common.second);
    doc += ",\"values\":{" + values + '}';
    if (!others.isEmpty())
        doc += ",\"versions\":{" + others + '}';
    return doc;
}

bool isVendorStaff(const Caller &caller)
{
    return caller.organization.kind == QLatin1String("vendor") &&
           (caller.user.role == Role::VendorAdmin || caller.user.role == Role::ChannelManager);
}

bool isAdmin(const Caller &caller)
{
    return caller.user.role == Role::VendorAdmin || caller.user.role == Role::PartnerAdmin;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// One push or expiry pass: runs inside a transaction that holds the push lock, and takes sequence numbers.
class Writer
{
public:
    Writer(ServerDatabase &db, qint64 last)
        : m_db(db)
        , m_seq(last)
    {}

    ServerDatabase &db() { return m_db; }
    qint64 last() const { return m_seq; }
    qint64 take() { return ++m_seq; }

    Result<RowState *> row(const QString &table, const QString &rowId)
    {
        const QString key = table + QLatin1Char('\x1f') + rowId;
        if (auto it = m_rows.find(key); it != m_rows.end())
            return &*it;
        RowState state;
        const Result<Rows> head = m_db.select(
            QStringLiteral("SELECT owner_id, parent_id, last_seq, deleted_hlc, deleted_device FROM sync_rows"
                           " WHERE table_name = ? AND row_id = ?"),
            {table, rowId});
        if (!head)
            return Error{head.error()};
        if (!head->isEmpty()) {
            const Row &h = head->first();
            state.exists = true;
            state.owner = h.at(0).toString();
            state.parent = h.at(1).toString();
            state.lastSeq = h.at(2).toLongLong();
            state.deleted = !h.at(3).isNull();
            state.deletedHlc = h.at(3).toLongLong();
            state.deletedDevice = h.at(4).toString();
            const Result<Rows> fields =
                m_db.select(QStringLiteral("SELECT field, value, hlc, device_id, seq FROM sync_fields"
                                           " WHERE table_name = ? AND row_id = ?"),
                            {table, rowId});
            if (!fields)
                return Error{fields.error()};
            for (const Row &f : fields.value())
                state.fields.insert(f.at(0).toString(),
                                    FieldState{f.at(1).isNull() ? QStringLiteral("null") : f.at(1).toString(),
                                               f.at(2).toLongLong(), f.at(3).toString(), f.at(4).toLongLong()});
        }
        return &*m_rows.insert(key, state);
    }

    // Loads the rows a batch touches in a few queries instead of two per row (round trips dominate on
    // PostgreSQL). IN lists are always kChunk long (the last one padded) so few statements are prepared.
    Status preload(const QList<Change> &changes)
    {
        QHash<QString, QStringList> byTable;
        QSet<QString> seen;
        for (const Change &c : changes) {
            const QString key = c.table + QLatin1Char('\x1f') + c.rowId;
            if (m_rows.contains(key) || seen.contains(key))
                continue;
            seen.insert(key);
            byTable[c.table].append(c.rowId);
        }
        for (auto it = byTable.cbegin(); it != byTable.cend(); ++it) {
            for (qsizetype from = 0; from < it->size(); from += kChunk) {
                QVariantList binds{it.key()};
                for (qsizetype i = 0; i < kChunk; ++i)
                    binds.append(it->at(std::min(from + i, it->size() - 1)));
                const QString in = inList();
                const Result<Rows> heads = m_db.select(
                    QStringLiteral("SELECT row_id, owner_id, parent_id, last_seq, deleted_hlc, deleted_device"
                                   " FROM sync_rows WHERE table_name = ? AND row_id IN ") +
                        in,
                    binds);
                if (!heads)
                    return Error{heads.error()};
                const Result<Rows> fields =
                    m_db.select(QStringLiteral("SELECT row_id, field, value, hlc, device_id, seq FROM sync_fields"
                                               " WHERE table_name = ? AND row_id IN ") +
                                    in,
                                binds);
                if (!fields)
                    return Error{fields.error()};
                for (qsizetype i = from; i < std::min(from + kChunk, it->size()); ++i)
                    m_rows.insert(it.key() + QLatin1Char('\x1f') + it->at(i), RowState{});
                for (const Row &h : heads.value()) {
                    RowState &state = m_rows[it.key() + QLatin1Char('\x1f') + h.at(0).toString()];
                    state.exists = true;
                    state.owner = h.at(1).toString();
                    state.parent = h.at(2).toString();
                    state.lastSeq = h.at(3).toLongLong();
                    state.deleted = !h.at(4).isNull();
                    state.deletedHlc = h.at(4).toLongLong();
                    state.deletedDevice = h.at(5).toString();
                }
                for (const Row &f : fields.value()) {
                    RowState &state = m_rows[it.key() + QLatin1Char('\x1f') + f.at(0).toString()];
                    state.fields.insert(f.at(1).toString(),
                                        FieldState{f.at(2).isNull() ? QStringLiteral("null") : f.at(2).toString(),
                                                   f.at(3).toLongLong(), f.at(4).toString(), f.at(5).toLongLong()});
                }
            }
        }
        return Status::success();
    }

    static constexpr qsizetype kChunk = 100;
    static QString inList()
    {
        QString in = QStringLiteral("(?");
        for (qsizetype i = 1; i < kChunk; ++i)
            in += QStringLiteral(", ?");
        return in + QLatin1Char(')');
    }

    Result<QString> vendorId()
    {
        if (!m_vendorLoaded) {
            const Result<Rows> r = m_db.select(QStringLiteral("SELECT id FROM organizations WHERE kind = 'vendor'"));
            if (!r)
                return Error{r.error()};
            m_vendor = r->isEmpty() ? QString() : r->first().first().toString();
            m_vendorLoaded = true;
        }
        return m_vendor;
    }

    Result<QList<Agreement>> agreements(const QString &owner)
    {
        if (auto it = m_agreements.constFind(owner); it != m_agreements.cend())
            return *it;
        const Result<Rows> rows = m_db.select(
            QStringLiteral("SELECT r.row_id, r.deleted_hlc, f.field, f.value FROM sync_rows r"
                           " JOIN sync_fields f ON f.table_name = r.table_name AND f.row_id = r.row_id"
                           " WHERE r.table_name = 'sharing_agreements' AND r.owner_id = ? ORDER BY r.row_id"),
            {owner});
        if (!rows)
            return Error{rows.error()};
        std::map<QString, QHash<QString, QString>> byId;
        QSet<QString> deleted;
        for (const Row &r : rows.value()) {
            byId[r.at(0).toString()].insert(r.at(2).toString(), plain(r.at(3).toString()));
            if (!r.at(1).isNull())
                deleted.insert(r.at(0).toString());
        }
        QList<Agreement> out;
        const qint64 now = nowMs();
        for (const auto &[id, v] : byId) {
            Agreement a;
            a.partner = v.value(QStringLiteral("partner_id"));
            a.population = v.value(QStringLiteral("population"));
            const QString expires = v.value(QStringLiteral("expires_at"));
            bool expiryOk = true;
            if (!expires.isEmpty()) {
                const QDateTime at = QDateTime::fromString(expires, Qt::ISODateWithMs);
                // An expiry the server cannot read ends the agreement: sharing is never widened by doubt.
                expiryOk = at.isValid() && at.toMSecsSinceEpoch() > now;
                a.expiresMs = at.isValid() ? at.toMSecsSinceEpoch() : 0;
            }
            a.activeFull = !deleted.contains(id) && v.value(QStringLiteral("level")) == QLatin1String("full") &&
                           !v.value(QStringLiteral("our_consent_at")).isEmpty() &&
                           !v.value(QStringLiteral("their_consent_at")).isEmpty() &&
                           v.value(QStringLiteral("revoked_at")).isEmpty() && expiryOk;
            out.append(a);
        }
        m_agreements.insert(owner, out);
        return out;
    }
    void forgetAgreements(const QString &owner) { m_agreements.remove(owner); }

    Result<QSet<QString>> roomAccess(const QString &roomId)
    {
        if (auto it = m_rooms.constFind(roomId); it != m_rooms.cend())
            return *it;
        QSet<QString> orgs;
        const Result<QString> vendor = vendorId();
        if (!vendor)
            return Error{vendor.error()};
        if (!vendor->isEmpty())
            orgs.insert(vendor.value());
        const Result<RowState *> room = row(QStringLiteral("deal_rooms"), roomId);
        if (!room)
            return Error{room.error()};
        if ((room.value())->exists)
            orgs.insert((room.value())->owner);
        const Result<Rows> participants = m_db.select(
            QStringLiteral("SELECT f.value FROM sync_rows r JOIN sync_fields f ON f.table_name = r.table_name"
                           " AND f.row_id = r.row_id AND f.field = 'organization_id'"
                           " WHERE r.table_name = 'deal_room_participants' AND r.parent_id = ?"
                           " AND r.deleted_hlc IS NULL"),
            {roomId});
        if (!participants)
            return Error{participants.error()};
        for (const Row &p : participants.value())
            orgs.insert(plain(p.first().toString()));
        orgs.remove(QString());
        m_rooms.insert(roomId, orgs);
        return orgs;
    }
    void forgetRoom(const QString &roomId) { m_rooms.remove(roomId); }

    // Who may read the row now (docs/sync.md, "Who may read and write what").
    Result<QSet<QString>> desiredAccess(const QString &table, const QString &rowId, const RowState &row)
    {
        const Result<QString> vendorResult = vendorId();
        if (!vendorResult)
            return Error{vendorResult.error()};
        const QString vendor = vendorResult.value();
        QSet<QString> orgs;
        auto withVendor = [&](std::initializer_list<QString> others) {
            if (!vendor.isEmpty())
                orgs.insert(vendor);
            for (const QString &o : others)
                orgs.insert(o);
        };
        if (table == QLatin1String("organizations") || table == QLatin1String("deal_stages")) {
            orgs.insert(kEveryone);
        } else if (table == QLatin1String("people")) {
            withVendor({row.text(QStringLiteral("organization_id"))});
        } else if (table == QLatin1String("accounts") || table == QLatin1String("opportunities")) {
            orgs.insert(row.owner);
            const QString population =
                table == QLatin1String("accounts") ? row.text(QStringLiteral("status")) : QStringLiteral("opportunity");
            const Result<QList<Agreement>> agreementsOfOwner = agreements(row.owner);
            if (!agreementsOfOwner)
                return Error{agreementsOfOwner.error()};
            for (const Agreement &a : agreementsOfOwner.value()) {
                if (a.activeFull && a.population == population)
                    orgs.insert(a.partner);
            }
        } else if (table == QLatin1String("custom_populations") || table == QLatin1String("listing_favourites")) {
            orgs.insert(row.owner);
        } else if (table == QLatin1String("sharing_agreements")) {
            orgs.insert(row.owner);
            orgs.insert(row.text(QStringLiteral("partner_id")));
        } else if (table == QLatin1String("deal_rooms")) {
            const Result<QSet<QString>> room = roomAccess(rowId);
            if (!room)
                return Error{room.error()};
            orgs = room.value();
            orgs.insert(row.owner);
        } else if (isDealRoomChild(table)) {
            const Result<QSet<QString>> room = roomAccess(row.parent);
            if (!room)
                return Error{room.error()};
            orgs = room.value();
        } else if (table == QLatin1String("deal_registrations")) {
            withVendor({row.text(QStringLiteral("partner_id"))});
        } else if (table == QLatin1String("deal_referrals")) {
            withVendor({row.text(QStringLiteral("from_org_id")), row.text(QStringLiteral("to_org_id"))});
        } else if (table == QLatin1String("listings")) {
            if (row.text(QStringLiteral("state")) == QLatin1String("published"))
                orgs.insert(kEveryone);
            else
                withVendor({row.text(QStringLiteral("organization_id"))});
        } else if (table == QLatin1String("collaboration_requests")) {
            orgs.insert(row.text(QStringLiteral("from_org")));
            orgs.insert(row.text(QStringLiteral("to_org")));
        } else if (table == QLatin1String("attribution_locks")) {
            withVendor({});
        }
        orgs.remove(QString());
        if (orgs.contains(kEveryone))
            return QSet<QString>{kEveryone};
        return orgs;
    }

    Result<QSet<QString>> currentAccess(const QString &table, const QString &rowId)
    {
        const Result<Rows> r =
            m_db.select(QStringLiteral("SELECT organization_id FROM sync_access WHERE table_name = ? AND row_id = ?"),
                        {table, rowId});
        if (!r)
            return Error{r.error()};
        QSet<QString> out;
        for (const Row &x : r.value())
            out.insert(x.first().toString());
        return out;
    }

    Result<QStringList> allOrganizations()
    {
        if (m_allOrgs.isEmpty()) {
            const Result<Rows> r = m_db.select(QStringLiteral("SELECT id FROM organizations ORDER BY id"));
            if (!r)
                return Error{r.error()};
            for (const Row &x : r.value())
                m_allOrgs.append(x.first().toString());
        }
        return m_allOrgs;
    }

    // Moves the row's access list from `before` to `after`: who joins gets a grant (a new number, so its next
    // pull sends the whole row), who leaves gets a purge.
    Status applyAccess(const QString &table, const QString &rowId, const QSet<QString> &before,
                       const QSet<QString> &after)
    {
        if (before == after)
            return Status::success();
        QSet<QString> leaving;
        if (before.contains(kEveryone)) {
            const Result<QStringList> all = allOrganizations();
            if (!all)
                return Error{all.error()};
            for (const QString &o : all.value()) {
                if (!after.contains(o) && !after.contains(kEveryone))
                    leaving.insert(o);
            }
        } else if (!after.contains(kEveryone)) {
            leaving = before - after;
        }
        for (const QString &o : before - after) {
            if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM sync_access WHERE table_name = ? AND row_id = ?"
                                                         " AND organization_id = ?"),
                                          {table, rowId, o});
                !r)
                return Error{r.error()};
        }
        QStringList leavingSorted(leaving.cbegin(), leaving.cend());
        std::sort(leavingSorted.begin(), leavingSorted.end());
        for (const QString &o : leavingSorted) {
            if (Result<int> r = m_db.exec(QStringLiteral("INSERT INTO sync_purges (seq, organization_id, table_name,"
                                                         " row_id) VALUES (?, ?, ?, ?)"),
                                          {take(), o, table, rowId});
                !r)
                return Error{r.error()};
        }
        QStringList joining;
        for (const QString &o : after - before)
            joining.append(o);
        std::sort(joining.begin(), joining.end());
        for (const QString &o : joining) {
            const qint64 seq = take();
            if (Result<int> r = m_db.exec(QStringLiteral("INSERT INTO sync_access (table_name, row_id, organization_id,"
                                                         " granted_seq, seq) VALUES (?, ?, ?, ?, ?)"),
                                          {table, rowId, o, seq, seq});
                !r)
                return Error{r.error()};
        }
        return Status::success();
    }

    Status recompute(const QString &table, const QString &rowId)
    {
        const Result<RowState *> state = row(table, rowId);
        if (!state)
            return Error{state.error()};
        const Result<QSet<QString>> after = desiredAccess(table, rowId, *state.value());
        if (!after)
            return Error{after.error()};
        const Result<QSet<QString>> before = currentAccess(table, rowId);
        if (!before)
            return Error{before.error()};
        return applyAccess(table, rowId, before.value(), after.value());
    }

    // After an agreement of `owner` changed: every account / opportunity of the owner, in two queries.
    Status recomputeOwned(const QString &table, const QString &owner)
    {
        const bool accounts = table == QLatin1String("accounts");
        const Result<QList<Agreement>> list = agreements(owner);
        if (!list)
            return Error{list.error()};
        const Result<Rows> rows =
            m_db.select(QStringLiteral("SELECT r.row_id, f.value FROM sync_rows r LEFT JOIN sync_fields f"
                                       " ON f.table_name = r.table_name AND f.row_id = r.row_id AND f.field = 'status'"
                                       " WHERE r.table_name = ? AND r.owner_id = ?"),
                        {table, owner});
        if (!rows)
            return Error{rows.error()};
        const Result<Rows> access =
            m_db.select(QStringLiteral("SELECT a.row_id, a.organization_id FROM sync_access a JOIN sync_rows r"
                                       " ON r.table_name = a.table_name AND r.row_id = a.row_id"
                                       " WHERE r.table_name = ? AND r.owner_id = ?"),
                        {table, owner});
        if (!access)
            return Error{access.error()};
        QHash<QString, QSet<QString>> current;
        for (const Row &a : access.value())
            current[a.at(0).toString()].insert(a.at(1).toString());
        QHash<QString, QSet<QString>> byPopulation;
        for (const Row &r : rows.value()) {
            const QString population = accounts ? plain(r.at(1).toString()) : QStringLiteral("opportunity");
            auto it = byPopulation.find(population);
            if (it == byPopulation.end()) {
                QSet<QString> orgs{owner};
                for (const Agreement &a : list.value()) {
                    if (a.activeFull && a.population == population)
                        orgs.insert(a.partner);
                }
                orgs.remove(QString());
                it = byPopulation.insert(population, orgs);
            }
            const QString rowId = r.at(0).toString();
            if (Status s = applyAccess(table, rowId, current.value(rowId), *it); !s)
                return s;
        }
        return Status::success();
    }

    // After a participant joined or left: the room and every row of it.
    Status recomputeRoom(const QString &roomId)
    {
        forgetRoom(roomId);
        if (Status s = recompute(QStringLiteral("deal_rooms"), roomId); !s)
            return s;
        const Result<Rows> children = m_db.select(
            QStringLiteral("SELECT table_name, row_id FROM sync_rows WHERE parent_id = ? ORDER BY table_name, row_id"),
            {roomId});
        if (!children)
            return Error{children.error()};
        for (const Row &c : children.value()) {
            if (Status s = recompute(c.at(0).toString(), c.at(1).toString()); !s)
                return s;
        }
        return Status::success();
    }

    // Keeps sync_expiries in step with an agreement: an active agreement with an end is looked at by pulls.
    Status noteExpiry(const QString &rowId)
    {
        const Result<RowState *> state = row(QStringLiteral("sharing_agreements"), rowId);
        if (!state)
            return Error{state.error()};
        if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM sync_expiries WHERE row_id = ?"), {rowId}); !r)
            return Error{r.error()};
        const QString expires = (state.value())->text(QStringLiteral("expires_at"));
        if ((state.value())->deleted || expires.isEmpty())
            return Status::success();
        const QDateTime at = QDateTime::fromString(expires, Qt::ISODateWithMs);
        if (!at.isValid() || at.toMSecsSinceEpoch() <= nowMs())
            return Status::success();
        const Result<int> r = m_db.exec(QStringLiteral("INSERT INTO sync_expiries (row_id, owner_id, expires_at)"
                                                       " VALUES (?, ?, ?)"),
                                        {rowId, (state.value())->owner, at.toMSecsSinceEpoch()});
        return r ? Status::success() : Status(Error{r.error()});
    }

private:
    ServerDatabase &m_db;
    qint64 m_seq;
    QHash<QString, RowState> m_rows;
    bool m_vendorLoaded = false;
    QString m_vendor;
    QHash<QString, QList<Agreement>> m_agreements;
    QHash<QString, QSet<QString>> m_rooms;
    QStringList m_allOrgs;
};

// The view of a row that the write rules look at: its current values, or the inserted ones.
struct RowView
{
    QString owner;
    QHash<QString, QString> values; // plain text
    QString get(const char *name) const { return values.value(QString::fromLatin1(name)); }
};

// Empty when the caller may make this change; else the reason (docs/sync.md, the "who writes" column).
QString denyReason(Writer &w, const Caller &caller, const QString &table, const QString &op, const QString &field,
                   const QString &rowId, const RowView &row, bool newRow)
{
    const QString org = caller.organization.id;
    const bool staff = isVendorStaff(caller);
    const QString role = roleName(caller.user.role);
    auto no = [&](const QString &what) { return QStringLiteral("%1 may not %2").arg(role, what); };
    const bool insert = newRow;
    const bool del = op == QLatin1String("delete");
    if (table == QLatin1String("organizations")) {
        if (staff)
            return {};
        if (caller.user.role != Role::PartnerAdmin || rowId != org)
            return no(QStringLiteral("change organizations"));
        if (del)
            return no(QStringLiteral("delete its organization"));
        if (field == QLatin1String("kind") ||
            (insert && !row.get("kind").isEmpty() && row.get("kind") != caller.organization.kind))
            return no(QStringLiteral("change the kind of its organization"));
        return {};
    }
    if (table == QLatin1String("people")) {
        if (staff || (caller.user.role == Role::PartnerAdmin && row.get("organization_id") == org))
            return {};
        return no(QStringLiteral("change people of this organization"));
    }
    if (table == QLatin1String("accounts") || table == QLatin1String("opportunities")) {
        if (row.get("owner_id") == org && (!newRow || row.owner == org))
            return {};
        return no(QStringLiteral("change %1 of another organization").arg(table));
    }
    if (table == QLatin1String("custom_populations") || table == QLatin1String("listing_favourites")) {
        return row.owner == org ? QString() : no(QStringLiteral("change another organization's %1").arg(table));
    }
    if (table == QLatin1String("sharing_agreements")) {
        if (!isAdmin(caller))
            return no(QStringLiteral("change sharing agreements"));
        if (field == QLatin1String("their_consent_at")) {
            return row.get("partner_id") == org ? QString()
                                                : QStringLiteral("only the partner's administrator consents for it");
        }
        if (row.owner != org)
            return no(QStringLiteral("change another organization's agreement"));
        if (insert && !row.get("their_consent_at").isEmpty())
            return QStringLiteral("only the partner's administrator consents for it");
        return {};
    }
    if (table == QLatin1String("deal_stages") || table == QLatin1String("attribution_locks"))
        return staff ? QString() : no(QStringLiteral("change %1").arg(table));
    if (table == QLatin1String("deal_rooms")) {
        if (staff || insert)
            return {};
        const Result<QSet<QString>> access = w.roomAccess(rowId);
        return access && access->contains(org) ? QString() : no(QStringLiteral("change this deal room"));
    }
    if (isDealRoomChild(table)) {
        if (staff)
            return {};
        const Result<QSet<QString>> access = w.roomAccess(row.get("room_id"));
        return access && access->contains(org) ? QString() : no(QStringLiteral("change this deal room"));
    }
    if (table == QLatin1String("deal_registrations")) {
        // partner_id inserts; vendor staff decide (update), never register for a partner.
        if (insert && row.get("partner_id") != org)
            return no(QStringLiteral("register a deal for another organization"));
        if (staff && !insert)
            return {};
        if (row.get("partner_id") != org)
            return no(QStringLiteral("change another partner's registration"));
        if (del)
            return no(QStringLiteral("delete a registration"));
        // The partner edits its own; the decision is the vendor's.
        static const QSet<QString> decision{QStringLiteral("decided_at"), QStringLiteral("approved_at"),
                                            QStringLiteral("expires_at"), QStringLiteral("reason")};
        if (!insert && decision.contains(field))
            return no(QStringLiteral("decide a registration"));
        if (insert) {
            for (const QString &d : decision) {
                if (!row.values.value(d).isEmpty())
                    return no(QStringLiteral("decide a registration (%1 is set at insert)").arg(d));
            }
        }
        // (For an update the view holds the new value.)
        if (field == QLatin1String("status") || insert) {
            const QString status = row.get("status");
            if (!(status.isEmpty() || status == QLatin1String("submitted")))
                return no(QStringLiteral("decide a registration"));
        }
        return {};
    }
    if (table == QLatin1String("deal_referrals")) {
        if (staff)
            return {};
        if (insert)
            return row.get("from_org_id") == org ? QString() : no(QStringLiteral("send a referral for another"));
        if (del)
            return row.get("from_org_id") == org ? QString() : no(QStringLiteral("delete this referral"));
        return row.get("from_org_id") == org || row.get("to_org_id") == org
                   ? QString()
                   : no(QStringLiteral("change this referral"));
    }
    if (table == QLatin1String("listings")) {
        return staff || row.get("organization_id") == org ? QString() : no(QStringLiteral("change another's listing"));
    }
    if (table == QLatin1String("collaboration_requests")) {
        if (insert)
            return row.get("from_org") == org ? QString() : no(QStringLiteral("send a request for another"));
        if (!del && row.get("to_org") == org)
            return {};
        return no(QStringLiteral("change this request"));
    }
    return QStringLiteral("the server does not sync table %1").arg(table);
}

RowView viewOf(const RowState &state)
{
    RowView v;
    v.owner = state.owner;
    for (auto it = state.fields.cbegin(); it != state.fields.cend(); ++it)
        v.values.insert(it.key(), plain(it->value));
    return v;
}

Status setSession(ServerDatabase &db, const QString &organizationId, bool maintenance)
{
    if (!db.isPostgres())
        return Status::success();
    // Requests run as ecotone_app, which owns nothing, so row-level security binds it (docs/server.md).
    if (Result<int> r = db.exec(QStringLiteral("SET LOCAL ROLE ecotone_app")); !r)
        return Error{r.error()};
    const Result<Rows> r = db.select(QStringLiteral("SELECT set_config('ecotone.organization', ?, true),"
                                                    " set_config('ecotone.acl_maintenance', ?, true)"),
                                     {organizationId, maintenance ? QStringLiteral("on") : QStringLiteral("off")});
    return r ? Status::success() : Status(Error{r.error()});
}

// The newest journaled write of `field` by another device than `device` above `cursor` (an insert counts with
// the field it carried).
Result<std::optional<FieldState>> newestOtherWrite(ServerDatabase &db, const QString &table, const QString &rowId,
                                                   const QString &field, const QString &device, qint64 cursor)
{
    const Result<Rows> rows = db.select(
        QStringLiteral("SELECT seq, device_id, hlc, field, value FROM changes WHERE table_name = ? AND row_id = ?"
                       " AND (field = ? OR field = '*') AND device_id <> ? AND seq > ? ORDER BY seq DESC"),
        {table, rowId, field, device, cursor});
    if (!rows)
        return Error{rows.error()};
    for (const Row &r : rows.value()) {
        QString value;
        if (r.at(3).toString() == QLatin1String("*")) {
            const QJsonObject inserted = QJsonDocument::fromJson(r.at(4).toString().toUtf8()).object();
            if (!inserted.contains(field))
                continue;
            value = jsonText(inserted.value(field));
        } else {
            value = r.at(4).isNull() ? QStringLiteral("null") : r.at(4).toString();
        }
        return std::optional<FieldState>(
            FieldState{value, r.at(2).toLongLong(), r.at(1).toString(), r.at(0).toLongLong()});
    }
    return std::optional<FieldState>();
}

// PostgreSQL keeps a prepared statement's generic plan, and one chosen while the sync tables were small scans
// them as they grow. Primary-key lookups are safe either way (and planning them each time costs more than they
// do); the IN lists and range queries are planned with their values.
Status customPlans(ServerDatabase &db, bool on)
{
    if (!db.isPostgres())
        return Status::success();
    const Result<int> r = db.exec(on ? QStringLiteral("SET LOCAL plan_cache_mode = force_custom_plan")
                                     : QStringLiteral("SET LOCAL plan_cache_mode = auto"));
    return r ? Status::success() : Status(Error{r.error()});
}

// Begins the writing transaction every push and expiry pass shares: one at a time, in commit order.
Result<qint64> beginWrite(ServerDatabase &db, const QString &organizationId)
{
    if (Status s = db.begin(); !s)
        return Error{s.error()};
    if (db.isPostgres()) {
        if (Result<Rows> r = db.select(QStringLiteral("SELECT pg_advisory_xact_lock(4542915413)")); !r)
            return Error{r.error()};
    }
    if (Status s = setSession(db, organizationId, true); !s)
        return Error{s.error()};
    const Result<Rows> top = db.select(QStringLiteral("SELECT last FROM change_sequence"));
    if (!top || top->isEmpty())
        return Error{top ? QStringLiteral("change_sequence is empty") : top.error()};
    return top->first().first().toLongLong();
}

Status endWrite(ServerDatabase &db, qint64 before, qint64 after)
{
    if (after != before) {
        if (Result<int> r = db.exec(QStringLiteral("UPDATE change_sequence SET last = ?"), {after}); !r)
            return Error{r.error()};
    }
    return db.commit();
}

} // namespace

SyncService::SyncService(ServerDatabase &db)
    : m_db(db)
{}

std::variant<QJsonObject, ApiError> SyncService::push(const Caller &caller, const QJsonObject &body)
{
    if (auto error = checkObject(
            body,
            {{QLatin1String("cursor"), JsonType::Integer, false}, {QLatin1String("changes"), JsonType::Array, true}},
            QString()))
        return *error;
    const qint64 cursor = body.value(QLatin1String("cursor")).toInteger(0);
    if (cursor < 0)
        return ApiError{400, QStringLiteral("invalid_value"), QStringLiteral("cursor is 0 or more"),
                        QStringLiteral("cursor")};
    auto parsed = Journal::parsePush(body, nowMs());
    if (auto *error = std::get_if<ApiError>(&parsed))
        return *error;
    const QList<Change> &changes = std::get<QList<Change>>(parsed);
    static const QRegularExpression columnName(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));

    const QString org = caller.organization.id;
    const Result<qint64> first = beginWrite(m_db, org);
    if (!first) {
        m_db.rollback();
        return internal(first.error());
    }
    auto abort = [&](const QString &detail) {
        m_db.rollback();
        return internal(detail);
    };
    Writer w(m_db, first.value());
    QJsonArray accepted, rejected, conflicts;
    QStringList agreementOwners;
    QStringList replayed; // their conflicts are reported again
    QVariantList journal; // 12 values per accepted change
    constexpr qsizetype kJournalRows = 50;
    const qint64 now = nowMs();
    // The batch's ids already in the journal, and the rows it touches, in a few queries.
    if (Status s = customPlans(m_db, true); !s)
        return abort(s.error());
    QHash<QString, Row> stored;
    for (qsizetype from = 0; from < changes.size(); from += Writer::kChunk) {
        QVariantList binds{org};
        for (qsizetype i = 0; i < Writer::kChunk; ++i)
            binds.append(changes.at(std::min(from + i, changes.size() - 1)).id);
        const Result<Rows> found =
            m_db.select(QStringLiteral("SELECT seq, device_id, hlc, table_name, row_id, op, field, value, change_id"
                                       " FROM changes WHERE organization_id = ? AND change_id IN ") +
                            Writer::inList(),
                        binds);
        if (!found)
            return abort(found.error());
        for (const Row &row : found.value())
            stored.insert(row.at(8).toString(), row);
    }
    if (Status s = w.preload(changes); !s)
        return abort(s.error());
    if (Status s = customPlans(m_db, false); !s)
        return abort(s.error());
    for (const Change &c : changes) {
        // A replay keeps its number and changes nothing; the same id with other content refuses the batch.
        if (const auto found = stored.constFind(c.id); found != stored.cend()) {
            const Row &row = found.value();
            const bool same = row.at(1).toString() == c.deviceId && row.at(2).toLongLong() == c.hlc &&
                              row.at(3).toString() == c.table && row.at(4).toString() == c.rowId &&
                              row.at(5).toString() == c.op && row.at(6).toString() == c.field &&
                              row.at(7).isNull() == c.value.isNull() && row.at(7).toString() == c.value;
            if (!same) {
                m_db.rollback();
                return ApiError{409, QStringLiteral("change_id_reused"),
                                QStringLiteral("change %1 was pushed before with other content").arg(c.id),
                                QStringLiteral("changes")};
            }
            accepted.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("seq"), row.at(0).toLongLong()}});
            replayed.append(c.id);
            continue;
        }
        auto reject = [&](const QString &code, const QString &reason) {
            rejected.append(QJsonObject{
                {QStringLiteral("id"), c.id}, {QStringLiteral("code"), code}, {QStringLiteral("reason"), reason}});
        };
        if (!isKnownTable(c.table)) {
            reject(QStringLiteral("forbidden"), QStringLiteral("the server does not sync table %1").arg(c.table));
            continue;
        }
        const Result<RowState *> stateResult = w.row(c.table, c.rowId);
        if (!stateResult)
            return abort(stateResult.error());
        RowState &state = *stateResult.value();

        // What the change writes: field -> compact JSON.
        QList<QPair<QString, QString>> writes;
        if (c.op == QLatin1String("insert")) {
            const QJsonObject values = QJsonDocument::fromJson(c.value.toUtf8()).object();
            bool badName = false;
            for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
                badName = badName || !columnName.match(it.key()).hasMatch();
                writes.append({it.key(), jsonText(it.value())});
            }
            if (badName) {
                reject(QStringLiteral("invalid_value"),
                       QStringLiteral("a column name is lower-case letters, digits and _"));
                continue;
            }
            if (values.contains(QLatin1String("id")) && values.value(QLatin1String("id")).toString() != c.rowId) {
                reject(QStringLiteral("invalid_value"), QStringLiteral("the row's id differs from row_id"));
                continue;
            }
        } else if (c.op == QLatin1String("update")) {
            writes.append({c.field, c.value.isNull() ? QStringLiteral("null") : c.value});
        }

        const bool newRow = !state.exists && c.op == QLatin1String("insert");
        if (!state.exists && !newRow) {
            reject(QStringLiteral("unknown_row"), QStringLiteral("the server has no %1 row %2").arg(c.table, c.rowId));
            continue;
        }
        RowView view;
        if (newRow) {
            view.owner = org;
            for (const auto &[f, v] : writes)
                view.values.insert(f, plain(v));
            QString missing;
            for (const QString &owner : ownerColumns(c.table)) {
                if (missing.isEmpty() && view.values.value(owner).isEmpty())
                    missing = owner;
            }
            if (!missing.isEmpty()) {
                reject(QStringLiteral("invalid_value"), QStringLiteral("%1 is required at insert").arg(missing));
                continue;
            }
        } else {
            view = viewOf(state);
            // Owner columns never change after insert, not even from empty: a column the insert left out
            // cannot be claimed later.
            QString changed;
            for (const auto &[f, v] : writes) {
                const QString current = f == QLatin1String("id") ? c.rowId : state.text(f);
                if (isImmutableColumn(f) && current != plain(v))
                    changed = f;
            }
            if (!changed.isEmpty()) {
                reject(QStringLiteral("invalid_value"), QStringLiteral("%1 cannot change after insert").arg(changed));
                continue;
            }
        }
        // Every change is judged by one rule path against the row it would leave: an update's new value, or for
        // an insert of a row the server has, every field it carries (each is an update of that field).
        RowView after = view;
        if (!newRow) {
            for (const auto &[f, v] : writes)
                after.values.insert(f, plain(v));
        }
        QString reason;
        if (newRow || c.op == QLatin1String("delete")) {
            reason = denyReason(w, caller, c.table, c.op, QString(), c.rowId, view, newRow);
        } else {
            for (const auto &[f, v] : writes) {
                if (reason.isEmpty())
                    reason = denyReason(w, caller, c.table, QStringLiteral("update"), f, c.rowId, after, false);
            }
        }
        if (!reason.isEmpty()) {
            reject(QStringLiteral("forbidden"), reason);
            continue;
        }
        // The row the change would leave must be one every replica can store (values::check). A row already
        // stored invalid (by an older server) does not block changes that do not make it worse.
        if (c.op != QLatin1String("delete") && !state.deleted) {
            QHash<QString, QString> before;
            if (!newRow) {
                for (auto it = state.fields.cbegin(); it != state.fields.cend(); ++it)
                    before.insert(it.key(), it->value);
            }
            QHash<QString, QString> resulting = before;
            for (const auto &[f, v] : writes)
                resulting.insert(f, v);
            if (const std::optional<ValueProblem> bad = values::check(c.table, c.rowId, resulting)) {
                const std::optional<ValueProblem> already =
                    newRow ? std::nullopt : values::check(c.table, c.rowId, before);
                if (!already || already->rule != bad->rule) {
                    rejected.append(QJsonObject{{QStringLiteral("id"), c.id},
                                                {QStringLiteral("code"), QStringLiteral("invalid_value")},
                                                {QStringLiteral("field"), bad->field},
                                                {QStringLiteral("reason"), bad->rule}});
                    continue;
                }
            }
        }

        const qint64 seq = w.take();
        // Journal rows are written after the loop, several per statement; nothing in the batch reads them.
        journal << seq << org << c.id << caller.user.id << c.deviceId << c.hlc << c.table << c.rowId << c.op
                << (c.field.isNull() ? QString(QLatin1String("")) : c.field)
                << (c.value.isNull() ? QVariant() : QVariant(c.value)) << now;
        // (A change repeated within the batch is a replay of this one.)
        stored.insert(c.id, Row{seq, c.deviceId, c.hlc, c.table, c.rowId, c.op,
                                c.field.isNull() ? QString(QLatin1String("")) : c.field,
                                c.value.isNull() ? QVariant() : QVariant(c.value), c.id});
        accepted.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("seq"), seq}});

        bool changedRow = false;
        QVariantList fieldUpdates; // 7 values per field whose holder changes
        if (newRow) {
            state.exists = true;
            state.owner = org;
            state.parent = isDealRoomChild(c.table) ? view.values.value(QStringLiteral("room_id")) : QString();
            if (Result<int> r = m_db.exec(
                    QStringLiteral("INSERT INTO sync_rows (table_name, row_id, owner_id,"
                                   " parent_id, last_seq) VALUES (?, ?, ?, ?, ?)"),
                    {c.table, c.rowId, org, state.parent.isNull() ? QString(QLatin1String("")) : state.parent, seq});
                !r)
                return abort(r.error());
            changedRow = true;
        }
        if (state.deleted) {
            // Tombstones win: the change is kept in the journal and changes nothing.
        } else if (c.op == QLatin1String("delete")) {
            state.deleted = true;
            state.deletedHlc = c.hlc;
            state.deletedDevice = c.deviceId;
            if (Result<int> r = m_db.exec(QStringLiteral("UPDATE sync_rows SET deleted_hlc = ?, deleted_device = ?"
                                                         " WHERE table_name = ? AND row_id = ?"),
                                          {c.hlc, c.deviceId, c.table, c.rowId});
                !r)
                return abort(r.error());
            changedRow = true;
        } else {
            QVariantList newFields; // inserted in one statement
            for (const auto &[f, v] : writes) {
                const auto it = state.fields.constFind(f);
                const bool had = it != state.fields.cend();
                if (had && it->seq > cursor) {
                    std::optional<FieldState> theirs;
                    if (it->device != c.deviceId) {
                        theirs = *it;
                    } else {
                        // This device's own unseen-by-nobody write holds the field (an earlier change of the same
                        // batch, say): the newest write by another device above the cursor is the concurrent one.
                        const Result<std::optional<FieldState>> other =
                            newestOtherWrite(m_db, c.table, c.rowId, f, c.deviceId, cursor);
                        if (!other)
                            return abort(other.error());
                        theirs = other.value();
                    }
                    if (theirs && theirs->value != v) {
                        const QJsonObject conflict{{QStringLiteral("id"), c.id},
                                                   {QStringLiteral("table"), c.table},
                                                   {QStringLiteral("row_id"), c.rowId},
                                                   {QStringLiteral("field"), f},
                                                   {QStringLiteral("theirs"), jsonValue(theirs->value)},
                                                   {QStringLiteral("hlc"), theirs->hlc},
                                                   {QStringLiteral("device_id"), theirs->device}};
                        conflicts.append(conflict);
                        // Kept, so that a replay of this change (its answer was lost) reports it again.
                        if (Result<int> r = m_db.exec(
                                QStringLiteral("INSERT INTO sync_conflicts (organization_id,"
                                               " change_id, body) VALUES (?, ?, ?)"),
                                {org, c.id, QString::fromUtf8(QJsonDocument(conflict).toJson(QJsonDocument::Compact))});
                            !r)
                            return abort(r.error());
                    }
                }
                if (had && !wins(c.hlc, c.deviceId, it->hlc, it->device))
                    continue;
                if (had) {
                    fieldUpdates << v << c.hlc << c.deviceId << seq << c.table << c.rowId << f;
                } else {
                    newFields << v << c.hlc << c.deviceId << seq << c.table << c.rowId << f;
                }
                state.fields.insert(f, FieldState{v, c.hlc, c.deviceId, seq});
                changedRow = true;
            }
            if (!newFields.isEmpty()) {
                QString sql = QStringLiteral("INSERT INTO sync_fields (value, hlc, device_id, seq, table_name,"
                                             " row_id, field) VALUES ");
                for (qsizetype i = 0; i < newFields.size() / 7; ++i)
                    sql += (i ? QStringLiteral(", ") : QString()) + QStringLiteral("(?, ?, ?, ?, ?, ?, ?)");
                if (Result<int> r = m_db.exec(sql, newFields); !r)
                    return abort(r.error());
            }
        }
        if (!changedRow)
            continue;
        state.lastSeq = seq;
        // The changed fields, the row (its number and pull entry) and its access entries (everyone who reads the
        // row sees it again at this number): one statement on PostgreSQL, where each is a round trip.
        const QString fieldSql = QStringLiteral("UPDATE sync_fields SET value = ?, hlc = ?, device_id = ?, seq = ?"
                                                " WHERE table_name = ? AND row_id = ? AND field = ?");
        const QString rowSql =
            QStringLiteral("UPDATE sync_rows SET last_seq = ?, doc = ? WHERE table_name = ? AND row_id = ?");
        const QString accessSql = QStringLiteral("UPDATE sync_access SET seq = ? WHERE table_name = ? AND row_id = ?");
        const QVariantList rowBinds{
            seq, state.deleted ? QString(QLatin1String("")) : QString::fromUtf8(renderDoc(state)), c.table, c.rowId};
        const QVariantList accessBinds{seq, c.table, c.rowId};
        if (m_db.isPostgres()) {
            QString sql = QStringLiteral("WITH ");
            for (qsizetype i = 0; i < fieldUpdates.size() / 7; ++i)
                sql += QStringLiteral("f%1 AS (%2 RETURNING 1), ").arg(i).arg(fieldSql);
            sql += QStringLiteral("r AS (") + rowSql + QStringLiteral(" RETURNING 1) ") + accessSql;
            if (Result<int> r = m_db.exec(sql, fieldUpdates + rowBinds + accessBinds); !r)
                return abort(r.error());
        } else {
            for (qsizetype i = 0; i < fieldUpdates.size(); i += 7) {
                if (Result<int> r = m_db.exec(fieldSql, fieldUpdates.mid(i, 7)); !r)
                    return abort(r.error());
            }
            if (Result<int> r = m_db.exec(rowSql, rowBinds); !r)
                return abort(r.error());
            if (Result<int> r = m_db.exec(accessSql, accessBinds); !r)
                return abort(r.error());
        }
        Status s = Status::success();
        if (c.table == QLatin1String("sharing_agreements")) {
            w.forgetAgreements(state.owner);
            s = w.recompute(c.table, c.rowId);
            if (s)
                s = w.noteExpiry(c.rowId);
            // The owner's accounts and opportunities once, after the batch: a batch of agreement changes does
            // not walk them each time.
            if (!agreementOwners.contains(state.owner))
                agreementOwners.append(state.owner);
        } else if (c.table == QLatin1String("deal_room_participants")) {
            s = w.recomputeRoom(state.parent);
        } else if (newRow || affectsAccess(c.table, writes)) {
            // (Owner columns never change, so most updates leave the access list as it is.)
            s = w.recompute(c.table, c.rowId);
        }
        if (!s)
            return abort(s.error());
    }
    for (qsizetype from = 0; from < journal.size(); from += 12 * kJournalRows) {
        const QVariantList binds = journal.mid(from, 12 * kJournalRows);
        QString sql = QStringLiteral("INSERT INTO changes (seq, organization_id, change_id, user_id, device_id, hlc,"
                                     " table_name, row_id, op, field, value, received_at) VALUES ");
        for (qsizetype row = 0; row < binds.size() / 12; ++row)
            sql += (row ? QStringLiteral(", ") : QString()) + QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (Result<int> r = m_db.exec(sql, binds); !r)
            return abort(r.error());
    }
    if (!agreementOwners.isEmpty() || !replayed.isEmpty()) {
        if (Status s = customPlans(m_db, true); !s)
            return abort(s.error());
    }
    for (qsizetype from = 0; from < replayed.size(); from += Writer::kChunk) {
        QVariantList binds{org};
        for (qsizetype i = 0; i < Writer::kChunk; ++i)
            binds.append(replayed.at(std::min(from + i, replayed.size() - 1)));
        const Result<Rows> again =
            m_db.select(QStringLiteral("SELECT DISTINCT change_id, body FROM sync_conflicts WHERE organization_id = ?"
                                       " AND change_id IN ") +
                            Writer::inList(),
                        binds);
        if (!again)
            return abort(again.error());
        for (const Row &row : again.value())
            conflicts.append(QJsonDocument::fromJson(row.at(1).toString().toUtf8()).object());
    }
    for (const QString &owner : agreementOwners) {
        for (const QString &table : {QStringLiteral("accounts"), QStringLiteral("opportunities")}) {
            if (Status s = w.recomputeOwned(table, owner); !s)
                return abort(s.error());
        }
    }
    if (Status s = endWrite(m_db, first.value(), w.last()); !s)
        return abort(s.error());
    return QJsonObject{{QStringLiteral("accepted"), accepted},
                       {QStringLiteral("rejected"), rejected},
                       {QStringLiteral("conflicts"), conflicts}};
}

Status SyncService::expireAgreements()
{
    const qint64 now = nowMs();
    if (!m_db.isPostgres()) {
        // Cheap check outside the write lock; the pass below looks again under it.
        const Result<Rows> due =
            m_db.select(QStringLiteral("SELECT 1 FROM sync_expiries WHERE expires_at <= ? LIMIT 1"), {now});
        if (!due)
            return Error{due.error()};
        if (due->isEmpty())
            return Status::success();
    } else {
        const Result<bool> due = inTransaction(m_db, [&]() -> Result<bool> {
            if (Status s = setSession(m_db, QString(), true); !s)
                return Error{s.error()};
            const Result<Rows> r =
                m_db.select(QStringLiteral("SELECT 1 FROM sync_expiries WHERE expires_at <= ? LIMIT 1"), {now});
            if (!r)
                return Error{r.error()};
            return !r->isEmpty();
        });
        if (!due)
            return Error{due.error()};
        if (!due.value())
            return Status::success();
    }
    const Result<qint64> first = beginWrite(m_db, QString());
    if (!first) {
        m_db.rollback();
        return Error{first.error()};
    }
    Writer w(m_db, first.value());
    auto fail = [&](const QString &detail) {
        m_db.rollback();
        return Status(Error{detail});
    };
    if (Status s = customPlans(m_db, true); !s)
        return fail(s.error());
    const Result<Rows> due = m_db.select(
        QStringLiteral("SELECT row_id, owner_id FROM sync_expiries WHERE expires_at <= ? ORDER BY expires_at, row_id"),
        {now});
    if (!due)
        return fail(due.error());
    QStringList owners;
    for (const Row &d : due.value()) {
        if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM sync_expiries WHERE row_id = ?"), {d.at(0)}); !r)
            return fail(r.error());
        if (!owners.contains(d.at(1).toString()))
            owners.append(d.at(1).toString());
    }
    for (const QString &owner : owners) {
        for (const QString &table : {QStringLiteral("accounts"), QStringLiteral("opportunities")}) {
            if (Status s = w.recomputeOwned(table, owner); !s)
                return fail(s.error());
        }
    }
    if (Status s = endWrite(m_db, first.value(), w.last()); !s)
        return fail(s.error());
    return Status::success();
}

std::variant<QJsonObject, ApiError> SyncService::pull(const Caller &caller, qint64 since, int limit)
{
    auto text = pullJson(caller, since, limit);
    if (auto *error = std::get_if<ApiError>(&text))
        return *error;
    return QJsonDocument::fromJson(std::get<QByteArray>(text)).object();
}

namespace {

struct PageItem
{
    qint64 seq = 0;
    QByteArray json;
};

} // namespace

std::variant<QByteArray, ApiError> SyncService::pullJson(const Caller &caller, qint64 since, int limit)
{
    if (since < 0)
        return ApiError{400, QStringLiteral("invalid_value"), QStringLiteral("since is a sequence number (0 or more)"),
                        QStringLiteral("since")};
    if (limit < 1 || limit > kMaxPage)
        return ApiError{400, QStringLiteral("invalid_value"), QStringLiteral("limit is from 1 to %1").arg(kMaxPage),
                        QStringLiteral("limit")};
    if (Status s = expireAgreements(); !s)
        return internal(s.error());
    const QString org = caller.organization.id;
    if (Status s = m_db.beginRead(); !s)
        return internal(s.error());
    auto abort = [&](const QString &detail) {
        m_db.rollback();
        return internal(detail);
    };
    if (Status s = setSession(m_db, org, false); !s)
        return abort(s.error());
    if (Status s = customPlans(m_db, true); !s)
        return abort(s.error());

    // Rows readable by the organization and by everyone, then purges: three ordered lists, merged below. A
    // row's entry is stored pre-rendered (sync_rows.doc), so a page is one index range and one text per row.
    const QString rowsSql =
        QStringLiteral("SELECT a.seq, a.table_name, a.row_id, r.deleted_hlc, r.deleted_device, r.doc"
                       " FROM (SELECT seq, table_name, row_id FROM sync_access WHERE organization_id = ? AND seq > ?"
                       " ORDER BY seq LIMIT ?) a"
                       " JOIN sync_rows r ON r.table_name = a.table_name AND r.row_id = a.row_id ORDER BY a.seq");
    QList<QList<PageItem>> lists;
    for (const QString &reader : {org, kEveryone}) {
        QList<PageItem> items;
        const Status scanned = m_db.scan(rowsSql, {reader, since, limit + 1}, [&](const QSqlQuery &q) {
            const qint64 seq = q.value(0).toLongLong();
            QByteArray json = "{\"seq\":" + QByteArray::number(seq) + ",\"table\":";
            appendJsonString(json, q.value(1).toString());
            json += ",\"row_id\":";
            appendJsonString(json, q.value(2).toString());
            if (!q.value(3).isNull()) {
                json += ",\"op\":\"delete\",\"hlc\":" + QByteArray::number(q.value(3).toLongLong()) + ",\"device_id\":";
                appendJsonString(json, q.value(4).toString());
            } else {
                json += ",\"op\":\"upsert\"," + q.value(5).toString().toUtf8();
            }
            json += '}';
            items.append(PageItem{seq, json});
        });
        if (!scanned)
            return abort(scanned.error());
        lists.append(items);
    }
    QList<PageItem> purgeItems;
    const Status purged =
        m_db.scan(QStringLiteral("SELECT seq, table_name, row_id FROM sync_purges WHERE organization_id = ? AND seq > ?"
                                 " ORDER BY seq LIMIT ?"),
                  {org, since, limit + 1}, [&](const QSqlQuery &q) {
                      QByteArray json = "{\"seq\":" + QByteArray::number(q.value(0).toLongLong()) + ",\"table\":";
                      appendJsonString(json, q.value(1).toString());
                      json += ",\"row_id\":";
                      appendJsonString(json, q.value(2).toString());
                      json += ",\"op\":\"purge\"}";
                      purgeItems.append(PageItem{q.value(0).toLongLong(), json});
                  });
    if (!purged)
        return abort(purged.error());
    lists.append(purgeItems);
    m_db.rollback(); // read only

    QByteArray changes;
    qint64 cursor = since;
    int count = 0;
    QList<qsizetype> at(lists.size(), 0);
    bool more = false;
    for (;;) {
        int pick = -1;
        for (int l = 0; l < lists.size(); ++l) {
            if (at[l] < lists[l].size() && (pick < 0 || lists[l][at[l]].seq < lists[pick][at[pick]].seq))
                pick = l;
        }
        if (pick < 0)
            break;
        if (count == limit) {
            more = true;
            break;
        }
        const PageItem &item = lists[pick][at[pick]++];
        if (count++ > 0)
            changes += ',';
        changes += item.json;
        cursor = item.seq;
    }
    return QByteArray("{\"cursor\":" + QByteArray::number(cursor) + ",\"more\":" + (more ? "true" : "false") +
                      ",\"changes\":[" + changes + "]}");
}

} // namespace ecotone::server
