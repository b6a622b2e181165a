#include "TableWriter.h"

#include "store/ChangeJournal.h"
#include "store/Statement.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlRecord>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::TableWriter)
};
// A null QString binds as SQL NULL; our columns hold '' for "no value".
QString nonNull(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}
} // namespace

TableWriter::TableWriter(Workspace &workspace, QString table, std::vector<ColumnSpec> columns)
    : m_workspace(workspace)
    , m_table(std::move(table))
    , m_columns(std::move(columns))
{
    QStringList names{QStringLiteral("id")};
    QStringList marks{QStringLiteral("?")};
    for (const auto &c : m_columns) {
        names << QLatin1String(c.name);
        marks << QStringLiteral("?");
        m_jsonKeys.push_back(QLatin1Char('"') + QLatin1String(c.name) + QStringLiteral("\":"));
    }
    m_insert = std::make_unique<Statement>(
        workspace.db(), QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                            .arg(m_table, names.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))));
    m_delete = std::make_unique<Statement>(workspace.db(), QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(m_table));
}

TableWriter::~TableWriter() = default;

QString TableWriter::selectList() const
{
    QString out = QStringLiteral("id");
    for (const auto &c : m_columns)
        out += QStringLiteral(", ") + QLatin1String(c.name);
    return out;
}

QStringList TableWriter::valuesFrom(const QSqlQuery &query, int first) const
{
    QStringList values;
    values.reserve(qsizetype(m_columns.size()));
    for (int i = 0; i < int(m_columns.size()); ++i)
        values << query.value(first + 1 + i).toString();
    return values;
}

QString TableWriter::rowJson(const QStringList &values) const
{
    // The entry's row_id column carries the id. Hand-built: this runs once per imported row, where QJsonDocument or
    // string builders showed in profiles.
    QString out;
    out.reserve(64 + values.size() * 24);
    out += QLatin1Char('{');
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        out += m_jsonKeys[i];
        const QString &v = values.at(qsizetype(i));
        if (m_columns[i].nullable && v.isEmpty())
            out += QStringLiteral("null");
        else if (m_columns[i].json)
            out += v.isEmpty() ? QStringLiteral("[]") : v;
        else
            json::appendString(out, v);
    }
    out += QLatin1Char('}');
    return out;
}

Status TableWriter::insert(const QString &id, const QStringList &values)
{
    return insert(id, values, rowJson(values));
}

Status TableWriter::insert(const QString &id, const QStringList &values, const QString &json)
{
    Q_ASSERT(values.size() == qsizetype(m_columns.size()));
    // Inside a caller's transaction (bulk imports) a savepoint per row would dominate the cost; if the journal
    // entry fails we take the row back out instead, so neither survives a failed write.
    const bool ownTransaction = m_workspace.transactionDepth() == 0;
    if (ownTransaction) {
        if (Status s = m_workspace.begin(); !s)
            return s;
    }
    auto fail = [&](Status status) {
        if (ownTransaction)
            m_workspace.rollback();
        return status;
    };
    m_insert->bind(1, id);
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (m_columns[size_t(i)].nullable && values.at(i).isEmpty())
            m_insert->bindNull(int(i + 2));
        else
            m_insert->bind(int(i + 2), values.at(i));
    }
    if (!m_insert->run())
        return fail(Error{Tr::tr("Saving a new record in %1 failed: %2").arg(m_table, m_insert->error())});
    if (Status s = m_workspace.journal().recordInsert(m_table, id, json); !s) {
        if (!ownTransaction) {
            m_delete->bind(1, id);
            m_delete->run();
        }
        return fail(s);
    }
    return ownTransaction ? m_workspace.commit() : Status();
}

Status TableWriter::update(const QString &id, const QStringList &before, const QStringList &after)
{
    Q_ASSERT(after.size() == qsizetype(m_columns.size()) && before.size() == after.size());
    QStringList sets;
    QList<qsizetype> changed;
    for (qsizetype i = 0; i < after.size(); ++i) {
        if (before.at(i) != after.at(i)) {
            sets << QLatin1String(m_columns[size_t(i)].name) + QStringLiteral(" = ?");
            changed << i;
        }
    }
    if (changed.isEmpty())
        return {};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("UPDATE %1 SET %2 WHERE id = ?").arg(m_table, sets.join(QStringLiteral(", "))));
    for (qsizetype i : changed)
        q.addBindValue(m_columns[size_t(i)].nullable && after.at(i).isEmpty() ? QVariant() : nonNull(after.at(i)));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Saving changes to %1").arg(m_table));
    if (q.numRowsAffected() != 1)
        return Error{Tr::tr("The record %1 in %2 no longer exists.").arg(id, m_table)};
    for (qsizetype i : changed) {
        const auto &col = m_columns[size_t(i)];
        const QString value = col.nullable && after.at(i).isEmpty() ? QStringLiteral("null")
                              : col.json                            ? after.at(i)
                                                                    : json::string(after.at(i));
        if (Status s = m_workspace.journal().recordUpdate(m_table, id, QLatin1String(col.name), value); !s)
            return s;
    }
    return tx.commit();
}

Status TableWriter::remove(const QString &id)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    m_delete->bind(1, id);
    if (!m_delete->run())
        return Error{Tr::tr("Deleting a record from %1 failed: %2").arg(m_table, m_delete->error())};
    if (m_delete->changes() != 1)
        return Error{Tr::tr("The record %1 in %2 no longer exists.").arg(id, m_table)};
    if (Status s = m_workspace.journal().recordDelete(m_table, id); !s)
        return s;
    return tx.commit();
}

} // namespace ecotone
