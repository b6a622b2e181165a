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

// HLC timestamps carry wall-clock milliseconds in the bits above 16 (docs/workspace.md). More than five
// minutes ahead of the server's clock is refused, as Hlc::receive refuses it on the client.
constexpr qint64 kMaxClockAheadMs = 5 * 60 * 1000;

} // namespace

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

} // namespace ecotone::server
