#pragma once

#include "domain/Result.h"

#include <QSqlQuery>
#include <QStringList>

#include <memory>
#include <vector>

namespace ecotone {

class Statement;
class Workspace;

struct ColumnSpec
{
    const char *name;
    bool json = false;     // the value is already JSON (a list or a number), written raw into journal entries
    bool nullable = false; // an empty value is SQL NULL (and null in the journal), for foreign keys and numbers
};

// The one place where rows of a table are written: each insert, update and delete also appends its journal
// entries, in the caller's transaction (or its own when there is none). Values are text in column order.
class TableWriter
{
public:
    TableWriter(Workspace &workspace, QString table, std::vector<ColumnSpec> columns);
    ~TableWriter();

    const QString &table() const { return m_table; }
    const std::vector<ColumnSpec> &columns() const { return m_columns; }
    QString selectList() const; // "id, col1, col2, ..."

    Status insert(const QString &id, const QStringList &values);
    // The same with the journal entry's JSON already built by rowJson() (bulk imports build it on another thread).
    Status insert(const QString &id, const QStringList &values, const QString &json);
    // The journal entry of an insert: {"column":value,...} without the id. Reads only what the constructor set, so
    // any thread may call it.
    QString rowJson(const QStringList &values) const;
    // Writes and journals only the fields that differ between before and after.
    Status update(const QString &id, const QStringList &before, const QStringList &after);
    Status remove(const QString &id);

    // Reads one row's values (without the id) from a query that selected selectList(); first is the index of id.
    QStringList valuesFrom(const QSqlQuery &query, int first = 0) const;

private:
    Workspace &m_workspace;
    QString m_table;
    std::vector<ColumnSpec> m_columns;
    std::vector<QString> m_jsonKeys; // "\"name\":" per column, built once
    std::unique_ptr<Statement> m_insert;
    std::unique_ptr<Statement> m_delete;
};

} // namespace ecotone
