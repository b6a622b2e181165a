#include "Journal.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ecotone::server {

namespace {

ApiError badChange(const QString &field, const QString &message)
{
    return ApiError{400, QStringLiteral("invalid_value"), message, field};
}

// Compact JSON text of any value (QJsonDocument only takes objects and arrays).
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

// HLC timestamps carry wall-clock milliseconds in the bits above 16 (docs/workspace.md). More than five
// minutes ahead of the server's clock is refused, as Hlc::receive refuses it on the client.
constexpr qint64 kMaxClockAheadMs = 5 * 60 * 1000;

} // namespace

Journal::Journal(ServerDatabase &db)
    : m_db(db)
{}

std::variant<QList<Change>, ApiError> Journal::parsePush(const QJsonObject &body, qint64 nowMs)
{
    const QJsonArray items = body.value(QLatin1String("changes")).toArray();
    if (items.isEmpty())
        return badChange(QStringLiteral("changes"), QStringLiteral("a push holds at least one change"));
    if (items.size() > kMaxBatch)
        return ApiError{413, QStringLiteral("batch_too_large"),
                        QStringLiteral("a push holds at most %1 changes").arg(kMaxBatch), QStringLiteral("changes")};
    static const QRegularExpression tableName(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    QList<Change> changes;
    changes.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString path = QStringLiteral("changes[%1]").arg(i);
        if (!items.at(i).isObject())
            return ApiError{400, QStringLiteral("invalid_type"), QStringLiteral("%1 must be an object").arg(path),
                            path};
        const QJsonObject item = items.at(i).toObject();
        if (auto error = checkObject(item,
                                     {{QLatin1String("id"), JsonType::String, true},
                                      {QLatin1String("device_id"), JsonType::String, true},
                                      {QLatin1String("hlc"), JsonType::Integer, true},
                                      {QLatin1String("table"), JsonType::String, true},
                                      {QLatin1String("row_id"), JsonType::String, true},
                                      {QLatin1String("op"), JsonType::String, true},
                                      {QLatin1String("field"), JsonType::String, true},
                                      {QLatin1String("value"), JsonType::Any, true}},
                                     path))
            return *error;
        Change c;
        c.id = item.value(QLatin1String("id")).toString();
        c.deviceId = item.value(QLatin1String("device_id")).toString();
        c.hlc = item.value(QLatin1String("hlc")).toInteger();
        c.table = item.value(QLatin1String("table")).toString();
        c.rowId = item.value(QLatin1String("row_id")).toString();
        c.op = item.value(QLatin1String("op")).toString();
        c.field = item.value(QLatin1String("field")).toString();
        const QJsonValue value = item.value(QLatin1String("value"));
        auto field = [&path](const char *name) -> QString { return path + QLatin1Char('.') + QLatin1String(name); };
        if (c.id.isEmpty() || c.id.size() > 128)
            return badChange(field("id"), QStringLiteral("an id has 1 to 128 characters"));
        if (c.deviceId.isEmpty() || c.deviceId.size() > 64)
            return badChange(field("device_id"), QStringLiteral("a device id has 1 to 64 characters"));
        if (c.hlc <= 0)
            return badChange(field("hlc"), QStringLiteral("an HLC timestamp is a positive integer"));
        if ((c.hlc >> 16) > nowMs + kMaxClockAheadMs)
            return ApiError{
                400, QStringLiteral("clock_ahead"),
                QStringLiteral("%1 is more than five minutes ahead of the server's clock").arg(field("hlc")),
                field("hlc")};
        if (!tableName.match(c.table).hasMatch())
            return badChange(field("table"), QStringLiteral("a table name is lower-case letters, digits and _"));
        if (c.rowId.isEmpty() || c.rowId.size() > 128)
            return badChange(field("row_id"), QStringLiteral("a row id has 1 to 128 characters"));
        if (c.op == QLatin1String("insert")) {
            if (c.field != QLatin1String("*") || !value.isObject())
                return badChange(field("value"), QStringLiteral("an insert has field \"*\" and the row as an object"));
        } else if (c.op == QLatin1String("update")) {
            if (!tableName.match(c.field).hasMatch())
                return badChange(field("field"), QStringLiteral("an update names one column"));
        } else if (c.op == QLatin1String("delete")) {
            if (!c.field.isEmpty() || !value.isNull())
                return badChange(field("value"), QStringLiteral("a delete has an empty field and a null value"));
        } else {
            return badChange(field("op"), QStringLiteral("op is insert, update or delete"));
        }
        if (!value.isNull())
            c.value = jsonText(value);
        changes.append(c);
    }
    return changes;
}

std::variant<PushResult, ApiError> Journal::push(const QString &organizationId, const QString &userId,
                                                 const QList<Change> &changes)
{
    const ApiError failed{
        500, QStringLiteral("internal_error"), QStringLiteral("the server failed; try again later"), {}};
    if (Status s = m_db.begin(); !s) {
        qWarning("ecotone-server: %s", qUtf8Printable(s.error()));
        return failed;
    }
    auto abort = [&](const QString &detail) -> ApiError {
        m_db.rollback();
        qWarning("ecotone-server: %s", qUtf8Printable(detail));
        return failed;
    };
    if (m_db.isPostgres()) {
        // One pusher at a time: numbers are taken from change_sequence and must commit in the order taken.
        if (Result<Rows> r = m_db.select(QStringLiteral("SELECT pg_advisory_xact_lock(4542915413)")); !r)
            return abort(r.error());
        if (Status s = setTenant(organizationId); !s)
            return abort(s.error());
    }
    const Result<Rows> top = m_db.select(QStringLiteral("SELECT last FROM change_sequence"));
    if (!top || top->isEmpty())
        return abort(top ? QStringLiteral("change_sequence is empty") : top.error());
    qint64 next = top->first().first().toLongLong();
    const qint64 first = next;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    PushResult result;
    for (const Change &c : changes) {
        const Result<Rows> existing =
            m_db.select(QStringLiteral("SELECT seq, device_id, hlc, table_name, row_id, op, field, value FROM changes"
                                       " WHERE organization_id = ? AND change_id = ?"),
                        {organizationId, c.id});
        if (!existing)
            return abort(existing.error());
        if (!existing->isEmpty()) {
            const Row &row = existing->first();
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
            result.sequences.append({c.id, row.at(0).toLongLong()});
            continue;
        }
        ++next;
        const Result<int> inserted = m_db.exec(
            QStringLiteral("INSERT INTO changes (seq, organization_id, change_id, user_id, device_id, hlc, table_name,"
                           " row_id, op, field, value, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {next, organizationId, c.id, userId, c.deviceId, c.hlc, c.table, c.rowId, c.op,
             c.field.isNull() ? QString(QLatin1String("")) : c.field, c.value.isNull() ? QVariant() : QVariant(c.value),
             now});
        if (!inserted)
            return abort(inserted.error());
        result.sequences.append({c.id, next});
        ++result.added;
    }
    if (next != first) {
        if (Result<int> r = m_db.exec(QStringLiteral("UPDATE change_sequence SET last = ?"), {next}); !r)
            return abort(r.error());
    }
    if (Status s = m_db.commit(); !s)
        return abort(s.error());
    return result;
}

Status Journal::setTenant(const QString &organizationId)
{
    const Result<Rows> r =
        m_db.select(QStringLiteral("SELECT set_config('ecotone.organization', ?, true)"), {organizationId});
    return r ? Status::success() : Status(Error{r.error()});
}

Result<Journal::Page> Journal::pull(const QString &organizationId, qint64 since, int limit)
{
    if (!m_db.isPostgres())
        return readPage(organizationId, since, limit);
    // On PostgreSQL the row-level security policy needs the tenant, which lives as long as a transaction.
    return inTransaction(m_db, [&]() -> Result<Page> {
        if (Status s = setTenant(organizationId); !s)
            return Error{s.error()};
        return readPage(organizationId, since, limit);
    });
}

Result<Journal::Page> Journal::readPage(const QString &organizationId, qint64 since, int limit)
{
    const Result<Rows> rows = m_db.select(
        QStringLiteral("SELECT seq, change_id, device_id, hlc, table_name, row_id, op, field, value FROM changes"
                       " WHERE organization_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
        {organizationId, since, limit + 1});
    if (!rows)
        return Error{rows.error()};
    Page page;
    page.cursor = since;
    for (qsizetype i = 0; i < rows->size() && i < limit; ++i) {
        const Row &row = rows->at(i);
        page.changes.append(
            QJsonObject{{QStringLiteral("seq"), row.at(0).toLongLong()},
                        {QStringLiteral("id"), row.at(1).toString()},
                        {QStringLiteral("device_id"), row.at(2).toString()},
                        {QStringLiteral("hlc"), row.at(3).toLongLong()},
                        {QStringLiteral("table"), row.at(4).toString()},
                        {QStringLiteral("row_id"), row.at(5).toString()},
                        {QStringLiteral("op"), row.at(6).toString()},
                        {QStringLiteral("field"), row.at(7).toString()},
                        {QStringLiteral("value"), jsonValue(row.at(8).isNull() ? QString() : row.at(8).toString())}});
        page.cursor = row.at(0).toLongLong();
    }
    page.more = rows->size() > limit;
    return page;
}

} // namespace ecotone::server
