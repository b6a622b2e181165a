#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace ecotone::server {

// Why a row cannot be stored: the field and the rule it breaks, for an invalid_value answer.
struct ValueProblem
{
    QString field;
    QString rule;
};

// The values a synced row may hold, derived from the client's own schema: the server builds, per thread, a private
// in-memory SQLite database with the client's migrations and judges a row by inserting it there (NOT NULL, CHECK
// rules, enums and size limits as the client will enforce them when it applies the row), plus what SQLite's loose
// typing lets through (a string in an INTEGER column, nesting, length). A row that passes applies on every replica.
namespace values {

inline constexpr int kMaxNesting = 16;             // arrays and objects inside a value
inline constexpr qsizetype kMaxTextChars = 262144; // a TEXT value without a stricter CHECK of its own

// Fields are compact JSON by column name; rowId goes into the id column. Empty when the row is valid.
std::optional<ValueProblem> check(const QString &table, const QString &rowId, const QHash<QString, QString> &fields);

} // namespace values

} // namespace ecotone::server
