#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1String>
#include <QString>

#include <initializer_list>
#include <optional>

namespace ecotone::server {

enum class JsonType
{
    String,
    Boolean,
    Integer,
    Array,
    Any, // any JSON value, null included
};

struct FieldSpec
{
    QLatin1String name;
    JsonType type;
    bool required = false;
};

// A request that is refused: the HTTP status, a stable machine code, a sentence, and the field if one is at fault.
struct ApiError
{
    int status = 400;
    QString code;
    QString message;
    QString field;
};

// Parses a request body as a JSON object holding only the listed fields with the listed types. An empty body is
// an empty object. Unknown fields, wrong types, missing required fields and non-JSON bodies are refused with a
// reason that names the field.
std::optional<ApiError> parseBody(const QByteArray &body, std::initializer_list<FieldSpec> fields, QJsonObject *out);

// Checks one object of a body (an item of an array, say) the same way; `path` prefixes the field names in the
// reason, for example "changes[3]".
std::optional<ApiError> checkObject(const QJsonObject &object, std::initializer_list<FieldSpec> fields,
                                    const QString &path);

} // namespace ecotone::server
