#pragma once

#include <QString>
#include <QStringEncoder>

#include <vector>

struct sqlite3;
struct sqlite3_stmt;
class QSqlDatabase;

namespace ecotone {

// A prepared statement on the workspace's own SQLite connection, for the write paths that run a million times
// per import: QSqlQuery's per-bind bookkeeping costs more than SQLite's insert itself. Everything else uses
// QSqlQuery. Text is bound as UTF-8 from per-parameter buffers that the statement owns.
class Statement
{
public:
    Statement(QSqlDatabase &db, const QString &sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    void bind(int index, const QString &text); // 1-based; a null QString binds ''
    void bind(int index, qint64 value);
    void bindNull(int index);
    // Runs the statement to completion and resets it for the next use. False on error (see error()).
    bool run();
    // Row by row: next() is true while a row is there; false at the end or on an error (atError()).
    // Call reset() before binding again.
    bool next();
    bool atError() const { return !m_error.isEmpty(); }
    qint64 int64At(int column) const;
    void reset();
    int changes() const { return m_changes; }
    QString error() const { return m_error; }

    static sqlite3 *handle(QSqlDatabase &db);

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QStringEncoder m_encoder{QStringConverter::Utf8, QStringConverter::Flag::Stateless};
    std::vector<QByteArray> m_utf8; // per parameter, reused so a bind allocates only when a value grows
    int m_changes = 0;
    QString m_error;
};

} // namespace ecotone
