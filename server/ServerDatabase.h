#pragma once

#include "domain/Result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

class QSqlQuery;

namespace ecotone::server {

// Where the server keeps everything: `sqlite:PATH` or `postgresql://user[:password]@host[:port]/db`.
struct DatabaseUrl
{
    QString driver; // QSQLITE or QPSQL
    QString path;   // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString name;
};

Result<DatabaseUrl> parseDatabaseUrl(const QString &text);

using Row = QVariantList;
using Rows = QList<Row>;

// The server's one database connection (the HTTP server is single-threaded). The server holds no state outside
// it, so several instances can share one PostgreSQL. Statements are prepared once and cached by their text;
// `?` placeholders work on both drivers.
class ServerDatabase
{
public:
    ~ServerDatabase();
    ServerDatabase(const ServerDatabase &) = delete;
    ServerDatabase &operator=(const ServerDatabase &) = delete;

    // Opens the database and brings its schema to kSchemaVersion (in one transaction; refused if newer).
    static Result<std::unique_ptr<ServerDatabase>> open(const QString &url);

    static constexpr int kSchemaVersion = 4;

    bool isPostgres() const { return m_postgres; }
    QString driverName() const { return m_postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite"); }

    // Runs one statement. select() returns every row; exec() returns the number of affected rows.
    Result<Rows> select(const QString &sql, const QVariantList &binds = {});
    Result<int> exec(const QString &sql, const QVariantList &binds = {});
    // Calls `row` for each row of a prepared select, without copying it into Rows (large pulls).
    Status scan(const QString &sql, const QVariantList &binds, const std::function<void(const QSqlQuery &)> &row);

    Status begin();
    // A read-only transaction with one snapshot for all its statements (SQLite: deferred; PostgreSQL:
    // REPEATABLE READ), so a pull's queries agree on which pushes have committed. End it with rollback().
    Status beginRead();
    Status commit();
    void rollback();

private:
    ServerDatabase() = default;
    Status migrate();
    QSqlQuery *prepared(const QString &sql, QString *error);

    QString m_connectionName;
    QSqlDatabase m_db;
    bool m_postgres = false;
    QHash<QString, QSqlQuery *> m_statements;
};

// Runs `work` in a transaction; commits if it returns ok, rolls back otherwise.
template <typename F> auto inTransaction(ServerDatabase &db, F &&work) -> decltype(work())
{
    if (Status s = db.begin(); !s)
        return Error{s.error()};
    auto result = work();
    if (!result.ok()) {
        db.rollback();
        return result;
    }
    if (Status s = db.commit(); !s) {
        db.rollback();
        return Error{s.error()};
    }
    return result;
}

} // namespace ecotone::server
