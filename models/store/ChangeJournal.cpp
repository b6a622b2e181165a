#include "ChangeJournal.h"

#include "store/Statement.h"
#include "store/Workspace.h"

#include <QCoreApplication>

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace ecotone {

ChangeJournal::ChangeJournal(Workspace &workspace)
    : m_workspace(workspace)
    , m_insert(std::make_unique<Statement>(workspace.db(),
                                           QStringLiteral("INSERT INTO journal (hlc, device_id, table_name, row_id, "
                                                          "op, field, value) VALUES (?, ?, ?, ?, ?, ?, ?)")))
{}

ChangeJournal::~ChangeJournal() = default;

Status ChangeJournal::append(const QString &table, const QString &rowId, const QString &op, const QString &field,
                             const QString *value)
{
    if (m_workspace.transactionDepth() == 0) {
        return Error{QCoreApplication::translate("ecotone::ChangeJournal",
                                                 "Internal error: a change to %1 was written outside a transaction.")
                         .arg(table)};
    }
    m_lastHlc = m_workspace.clock().now();
    const QString device = m_workspace.deviceId();
    m_insert->bind(1, m_lastHlc);
    m_insert->bind(2, device);
    m_insert->bind(3, table);
    m_insert->bind(4, rowId);
    m_insert->bind(5, op);
    m_insert->bind(6, field);
    if (value)
        m_insert->bind(7, *value);
    else
        m_insert->bindNull(7);
    if (!m_insert->run()) {
        return Error{QCoreApplication::translate("ecotone::ChangeJournal", "Recording the change failed: %1")
                         .arg(m_insert->error())};
    }
    return {};
}

Status ChangeJournal::recordInsert(const QString &table, const QString &rowId, const QString &rowJson)
{
    return append(table, rowId, QStringLiteral("insert"), QStringLiteral("*"), &rowJson);
}

Status ChangeJournal::recordUpdate(const QString &table, const QString &rowId, const QString &field,
                                   const QString &valueJson)
{
    return append(table, rowId, QStringLiteral("update"), field, &valueJson);
}

Status ChangeJournal::recordDelete(const QString &table, const QString &rowId)
{
    return append(table, rowId, QStringLiteral("delete"), QString(), nullptr);
}

void json::appendString(QString &out, const QString &value)
{
    out += QLatin1Char('"');
    // Most values need no escaping: append them whole instead of character by character.
    qsizetype plainUntil = 0;
    const qsizetype n = value.size();
    const QChar *data = value.constData();
    while (plainUntil < n) {
        const char16_t u = data[plainUntil].unicode();
        if (u < 0x20 || u == '"' || u == '\\')
            break;
        ++plainUntil;
    }
    out.append(data, plainUntil);
    for (qsizetype i = plainUntil; i < n; ++i) {
        const char16_t u = data[i].unicode();
        switch (u) {
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        default:
            if (u < 0x20)
                out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
            else
                out += data[i];
        }
    }
    out += QLatin1Char('"');
}

QString json::string(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    appendString(out, value);
    return out;
}

QString json::array(const QStringList &values)
{
    QString out = QStringLiteral("[");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        appendString(out, values.at(i));
    }
    out += QLatin1Char(']');
    return out;
}

QStringList json::parseArray(const QString &text)
{
    if (text.isEmpty() || text == QLatin1String("[]"))
        return {};
    // Our own writer's output without escapes (the usual case) splits directly; anything else goes to Qt.
    if (text.startsWith(QLatin1String("[\"")) && text.endsWith(QLatin1String("\"]")) &&
        !text.contains(QLatin1Char('\\'))) {
        const QStringList out = text.mid(2, text.size() - 4).split(QStringLiteral("\",\""));
        if (!std::any_of(out.cbegin(), out.cend(), [](const QString &s) { return s.contains(QLatin1Char('"')); }))
            return out;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    QStringList out;
    for (const QJsonValue &v : doc.array())
        if (v.isString())
            out << v.toString();
    return out;
}

json::ObjectWriter &json::ObjectWriter::add(const char *key, const QString &value)
{
    if (m_out.size() > 1)
        m_out += QLatin1Char(',');
    m_out += QLatin1Char('"') + QLatin1String(key) + QLatin1String("\":");
    appendString(m_out, value);
    return *this;
}

json::ObjectWriter &json::ObjectWriter::addRaw(const char *key, const QString &jsonValue)
{
    if (m_out.size() > 1)
        m_out += QLatin1Char(',');
    m_out += QLatin1Char('"') + QLatin1String(key) + QLatin1String("\":") + jsonValue;
    return *this;
}

QString json::ObjectWriter::finish()
{
    m_out += QLatin1Char('}');
    return std::move(m_out);
}

} // namespace ecotone
