#include "ValueSchema.h"

#include "marketplace/Listing.h"
#include "store/Workspace.h"
#include "sync/SyncEngine.h"
#include "sync/SyncState.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <cmath>

namespace ecotone::server::values {

namespace {

struct Column
{
    QString type; // declared, upper case
    bool notNull = false;
};

struct Table
{
    QHash<QString, Column> columns;
};

// One per thread: QSqlDatabase connections belong to the thread that opened them.
class Judge
{
public:
    Judge()
        : m_name(QStringLiteral("ecotone-values-%1").arg(quintptr(QThread::currentThread())))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(QStringLiteral(":memory:"));
        if (!m_db.open()) {
            m_error = m_db.lastError().text();
            return;
        }
        QSqlQuery(m_db).exec(QStringLiteral("PRAGMA foreign_keys = OFF")); // rows arrive in any order
        for (const Migration &m : schema::migrations()) {
            if (Status s = m.apply(m_db); !s) {
                m_error = s.error();
                return;
            }
        }
        for (const QString &table : sync::syncedTables()) {
            // The migrations seed some rows (the default deal stages): the judge's tables start empty, so a row is
            // judged on its own values, never against another row.
            QSqlQuery(m_db).exec(QStringLiteral("DELETE FROM \"%1\"").arg(table));
            Table t;
            QSqlQuery q(m_db);
            q.exec(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table));
            while (q.next())
                t.columns.insert(q.value(1).toString(),
                                 Column{q.value(2).toString().toUpper(), q.value(3).toInt() != 0});
            m_tables.insert(table, t);
        }
    }

    std::optional<ValueProblem> check(const QString &table, const QString &rowId, const QHash<QString, QString> &fields)
    {
        if (!m_error.isEmpty())
            return ValueProblem{QString(), QStringLiteral("the server cannot check values: %1").arg(m_error)};
        const auto t = m_tables.constFind(table);
        if (t == m_tables.cend() || t->columns.isEmpty())
            return ValueProblem{QString(), QStringLiteral("the server does not sync table %1").arg(table)};
        QStringList names{QStringLiteral("id")};
        QVariantList binds{rowId};
        for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
            if (it.key() == QLatin1String("id"))
                continue;
            const auto column = t->columns.constFind(it.key());
            if (column == t->columns.cend())
                return ValueProblem{it.key(), QStringLiteral("%1 has no column %2").arg(table, it.key())};
            const QJsonValue value = sync::parseJson(it.value());
            if (std::optional<QString> bad = typeProblem(value, *column))
                return ValueProblem{it.key(), *bad};
            if (std::optional<QString> bad = imageProblem(table, it.key(), value))
                return ValueProblem{it.key(), *bad};
            names << it.key();
            binds << sync::sqlValue(value, column->type, column->notNull);
        }
        // What the client will do with the row: insert it into the same schema. Nothing stays behind.
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SAVEPOINT judge")))
            return ValueProblem{QString(), q.lastError().text()};
        QStringList marks;
        marks.fill(QStringLiteral("?"), names.size());
        QSqlQuery insert(m_db);
        insert.prepare(QStringLiteral("INSERT INTO \"%1\" (%2) VALUES (%3)")
                           .arg(table, names.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))));
        for (const QVariant &b : binds)
            insert.addBindValue(b);
        const bool ok = insert.exec();
        const QString message = insert.lastError().databaseText();
        insert.finish();
        q.exec(QStringLiteral("ROLLBACK TO judge"));
        q.exec(QStringLiteral("RELEASE judge"));
        // Uniqueness depends on the rows a replica holds, not on this row's values.
        if (ok || message.startsWith(QLatin1String("UNIQUE constraint failed")))
            return std::nullopt;
        return describe(table, *t, message);
    }

private:
    static std::optional<QString> typeProblem(const QJsonValue &value, const Column &column)
    {
        if (value.isUndefined())
            return QStringLiteral("not JSON");
        if (value.isNull())
            return std::nullopt; // the client stores '' or 0 in a NOT NULL column; CHECK rules judge that
        if (depth(value) > kMaxNesting)
            return QStringLiteral("nested deeper than %1 levels").arg(kMaxNesting);
        const bool integer = column.type.contains(QLatin1String("INT"));
        if (integer) {
            const double d = value.toDouble();
            if (!(value.isDouble() || value.isBool()) ||
                (value.isDouble() && (d != std::floor(d) || std::fabs(d) >= 9.0e15)))
                return QStringLiteral("an integer");
            return std::nullopt;
        }
        if (column.type == QLatin1String("BLOB"))
            return value.isString() ? std::nullopt : std::optional<QString>(QStringLiteral("base64 text"));
        if (value.isDouble() || value.isBool())
            return QStringLiteral("text, not a number");
        const qsizetype size = value.isString() ? value.toString().size() : sync::compactJson(value).size();
        if (size > kMaxTextChars)
            return QStringLiteral("at most %1 characters").arg(kMaxTextChars);
        return std::nullopt;
    }

    // A listing's logo is decoded by every replica: PNG, JPEG or SVG by its magic bytes, nothing else.
    static std::optional<QString> imageProblem(const QString &table, const QString &column, const QJsonValue &value)
    {
        if (table != QLatin1String("listings") || column != QLatin1String("logo") || !value.isString())
            return std::nullopt;
        const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
        if (bytes.isEmpty() || listing::logoFormat(bytes) != listing::LogoFormat::None)
            return std::nullopt;
        return QStringLiteral("listings.logo is a PNG, JPEG or SVG image");
    }

    static int depth(const QJsonValue &value)
    {
        int deepest = 0;
        if (value.isArray()) {
            for (const QJsonValue &v : value.toArray())
                deepest = std::max(deepest, depth(v));
            return deepest + 1;
        }
        if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.constBegin(); it != o.constEnd(); ++it)
                deepest = std::max(deepest, depth(it.value()));
            return deepest + 1;
        }
        return 0;
    }

    // SQLite says "NOT NULL constraint failed: t.c" or "CHECK constraint failed: <expression>".
    static ValueProblem describe(const QString &table, const Table &t, const QString &message)
    {
        static const QRegularExpression notNull(QStringLiteral("NOT NULL constraint failed: \\w+\\.(\\w+)"));
        if (const QRegularExpressionMatch m = notNull.match(message); m.hasMatch())
            return ValueProblem{m.captured(1), QStringLiteral("%1.%2 is required").arg(table, m.captured(1))};
        static const QRegularExpression check(QStringLiteral("CHECK constraint failed: (.*)$"));
        if (const QRegularExpressionMatch m = check.match(message); m.hasMatch()) {
            const QString rule = m.captured(1).simplified();
            QString field;
            for (auto it = t.columns.cbegin(); it != t.columns.cend() && field.isEmpty(); ++it) {
                if (QRegularExpression(QStringLiteral("\\b%1\\b").arg(it.key())).match(rule).hasMatch())
                    field = it.key();
            }
            return ValueProblem{field, QStringLiteral("%1.%2 must satisfy %3").arg(table, field, rule)};
        }
        return ValueProblem{QString(), QStringLiteral("%1: %2").arg(table, message)};
    }

    QString m_name;
    QSqlDatabase m_db;
    QString m_error;
    QHash<QString, Table> m_tables;
};

} // namespace

std::optional<ValueProblem> check(const QString &table, const QString &rowId, const QHash<QString, QString> &fields)
{
    // Kept for the thread's life and never destroyed: tearing a SQL connection down at thread or process exit
    // would race Qt's own shutdown of the SQL plugins.
    thread_local Judge *judge = nullptr;
    if (!judge)
        judge = new Judge;
    return judge->check(table, rowId, fields);
}

} // namespace ecotone::server::values
