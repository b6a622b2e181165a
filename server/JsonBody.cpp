#include "JsonBody.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace ecotone::server {

namespace {

QString typeName(JsonType type)
{
    switch (type) {
    case JsonType::String:
        return QStringLiteral("a string");
    case JsonType::Boolean:
        return QStringLiteral("a boolean");
    case JsonType::Integer:
        return QStringLiteral("an integer");
    case JsonType::Array:
        return QStringLiteral("an array");
    case JsonType::Any:
        return QStringLiteral("a JSON value");
    }
    return {};
}

bool hasType(const QJsonValue &value, JsonType type)
{
    switch (type) {
    case JsonType::String:
        return value.isString();
    case JsonType::Boolean:
        return value.isBool();
    case JsonType::Integer: {
        // Exact 64-bit integers (HLC timestamps exceed 2^53, where a double loses digits): a value that
        // converts gives the same result whatever the fallback.
        return value.isDouble() && value.toInteger(1) == value.toInteger(2);
    }
    case JsonType::Array:
        return value.isArray();
    case JsonType::Any:
        return true;
    }
    return false;
}

ApiError invalid(const QString &code, const QString &message, const QString &field = {})
{
    return ApiError{400, code, message, field};
}

} // namespace

std::optional<ApiError> parseBody(const QByteArray &body, std::initializer_list<FieldSpec> fields, QJsonObject *out)
{
    QJsonObject object;
    if (!body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError)
            return invalid(QStringLiteral("invalid_json"), QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                                               .arg(error.errorString())
                                                               .arg(error.offset));
        if (!doc.isObject())
            return invalid(QStringLiteral("invalid_json"), QStringLiteral("the body must be a JSON object"));
        object = doc.object();
    }
    if (auto error = checkObject(object, fields, {}))
        return error;
    *out = object;
    return std::nullopt;
}

std::optional<ApiError> checkObject(const QJsonObject &object, std::initializer_list<FieldSpec> fields,
                                    const QString &path)
{
    auto name = [&path](const QString &field) -> QString {
        if (path.isEmpty())
            return field;
        return path + QLatin1Char('.') + field;
    };
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const FieldSpec *spec = nullptr;
        for (const FieldSpec &f : fields) {
            if (f.name == it.key())
                spec = &f;
        }
        if (!spec)
            return invalid(QStringLiteral("unknown_field"), QStringLiteral("unknown field \"%1\"").arg(name(it.key())),
                           name(it.key()));
        if (!hasType(it.value(), spec->type))
            return invalid(QStringLiteral("invalid_type"),
                           QStringLiteral("field \"%1\" must be %2").arg(name(it.key()), typeName(spec->type)),
                           name(it.key()));
    }
    for (const FieldSpec &f : fields) {
        if (f.required && !object.contains(f.name))
            return invalid(QStringLiteral("missing_field"),
                           QStringLiteral("field \"%1\" is required").arg(name(f.name)), name(f.name));
    }
    return std::nullopt;
}

} // namespace ecotone::server
