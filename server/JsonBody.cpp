#include "JsonBody.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

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
        if (!value.isDouble())
            return false;
        const double d = value.toDouble();
        return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= 9007199254740991.0;
    }
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
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const FieldSpec *spec = nullptr;
        for (const FieldSpec &f : fields) {
            if (f.name == it.key())
                spec = &f;
        }
        if (!spec)
            return invalid(QStringLiteral("unknown_field"), QStringLiteral("unknown field \"%1\"").arg(it.key()),
                           it.key());
        if (!hasType(it.value(), spec->type))
            return invalid(QStringLiteral("invalid_type"),
                           QStringLiteral("field \"%1\" must be %2").arg(it.key(), typeName(spec->type)), it.key());
    }
    for (const FieldSpec &f : fields) {
        if (f.required && !object.contains(f.name))
            return invalid(QStringLiteral("missing_field"), QStringLiteral("field \"%1\" is required").arg(f.name),
                           f.name);
    }
    *out = object;
    return std::nullopt;
}

} // namespace ecotone::server
