#pragma once

#include "domain/Result.h"

#include <QString>
#include <QVariant>

#include <memory>

namespace ecotone {

class Statement;
class Workspace;

// Appends change entries inside the caller's transaction. Repositories are its only writers; callers never
// write a table without also writing here, so a rolled-back transaction takes both away together.
class ChangeJournal
{
public:
    explicit ChangeJournal(Workspace &workspace);
    ~ChangeJournal();

    Status recordInsert(const QString &table, const QString &rowId, const QString &rowJson);
    Status recordUpdate(const QString &table, const QString &rowId, const QString &field, const QString &valueJson);
    Status recordDelete(const QString &table, const QString &rowId);

    qint64 lastHlc() const { return m_lastHlc; }

private:
    Status append(const QString &table, const QString &rowId, const QString &op, const QString &field,
                  const QString *value);

    Workspace &m_workspace;
    std::unique_ptr<Statement> m_insert;
    qint64 m_lastHlc = 0;
};

// Small, fast JSON writers for journal values (QJsonDocument costs several times more on bulk imports).
namespace json {
void appendString(QString &out, const QString &value);
QString string(const QString &value);
QString array(const QStringList &values);
QStringList parseArray(const QString &json); // tolerant: anything that is not an array of strings gives {}

// Builds {"k":v,...} in insertion order.
class ObjectWriter
{
public:
    ObjectWriter &add(const char *key, const QString &value);
    ObjectWriter &addRaw(const char *key, const QString &json); // value already JSON (arrays)
    QString finish();

private:
    QString m_out = [] {
        QString s;
        s.reserve(320);
        s += QLatin1Char('{');
        return s;
    }();
};
} // namespace json

} // namespace ecotone
