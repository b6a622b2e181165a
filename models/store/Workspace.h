#pragma once

#include "domain/Result.h"
#include "store/Hlc.h"
#include "store/Ids.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QSqlQuery;

namespace ecotone {

class ChangeJournal;

// One numbered step of the schema. Steps run in order inside one transaction; step N brings a file to version N.
struct Migration
{
    int version;
    QString description;
    std::function<Status(QSqlDatabase &)> apply;
};

namespace schema {
// The schema version this build writes. Raise it together with a new step in migrations().
inline constexpr int kVersion = 8;
// "ECOT": marks a SQLite file as an Ecotone workspace (PRAGMA application_id).
inline constexpr qint32 kApplicationId = 0x45434f54;
std::vector<Migration> migrations();
} // namespace schema

// One workspace = one SQLite file, one connection owned by this object (use it from the thread that opened it).
// Opening checks the file header before SQLite touches the file, so anything that is not a workspace, is
// truncated, or comes from a newer Ecotone is refused unmodified.
class Workspace
{
public:
    struct Options
    {
        bool createIfMissing = false;
        std::vector<Migration> migrations = schema::migrations(); // tests inject their own steps
    };

    static Result<std::unique_ptr<Workspace>> open(const QString &path, const Options &options);
    static Result<std::unique_ptr<Workspace>> open(const QString &path) { return open(path, Options{}); }
    static Result<std::unique_ptr<Workspace>> create(const QString &path);

    ~Workspace();
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;

    QString path() const { return m_path; }
    QString displayName() const; // file name without extension
    QString deviceId() const { return m_deviceId; }
    int schemaVersion() const { return m_version; }
    QString backupPath() const { return m_backupPath; } // set when opening migrated the file
    QSqlDatabase &db() { return m_db; }
    Hlc &clock() { return m_clock; }
    IdGenerator &ids() { return m_ids; }
    void setIdGenerator(const IdGenerator &ids) { m_ids = ids; }
    ChangeJournal &journal() { return *m_journal; }

    // Runs one statement; the error names the statement's purpose and SQLite's message.
    Status exec(const QString &sql, const QString &what = {});

    // Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are savepoints.
    Status begin();
    Status commit();
    void rollback();
    int transactionDepth() const { return m_depth; }

    // The checks open() runs on a file's first 100 bytes, exposed for tests and for the "open" dialog.
    static Status checkHeader(const QString &path, int newestVersion = schema::kVersion, int *versionOut = nullptr);

private:
    explicit Workspace(QString path);
    Status initialize(const Options &options, bool isNew);
    Status migrate(const Options &options);

    QString m_path;
    QString m_connectionName;
    QString m_deviceId;
    QString m_backupPath;
    QSqlDatabase m_db;
    Hlc m_clock;
    IdGenerator m_ids;
    std::unique_ptr<ChangeJournal> m_journal;
    int m_version = 0;
    int m_depth = 0;
};

// RAII transaction: rolls back unless commit() succeeded.
class Transaction
{
public:
    explicit Transaction(Workspace &workspace);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    const Status &status() const { return m_status; } // failure to begin
    Status commit();

private:
    Workspace &m_workspace;
    Status m_status;
    bool m_open = false;
};

// Builds the error for a failed query: what we were doing and what SQLite said.
Error sqlError(const QSqlQuery &query, const QString &what);
Error sqlError(const QSqlDatabase &db, const QString &what);

} // namespace ecotone
