#include "SyncState.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <cmath>

namespace ecotone::sync {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::sync::SyncEngine)
};

QString kindKey(Conflict::Kind kind)
{
    switch (kind) {
    case Conflict::Kind::Edit:
        return QStringLiteral("edit");
    case Conflict::Kind::Deleted:
        return QStringLiteral("deleted");
    case Conflict::Kind::Refused:
        return QStringLiteral("refused");
    }
    return QStringLiteral("edit");
}

Conflict::Kind kindFromKey(const QString &key)
{
    if (key == QLatin1String("deleted"))
        return Conflict::Kind::Deleted;
    if (key == QLatin1String("refused"))
        return Conflict::Kind::Refused;
    return Conflict::Kind::Edit;
}

QString resolutionKey(Resolution r)
{
    switch (r) {
    case Resolution::Mine:
        return QStringLiteral("mine");
    case Resolution::Theirs:
        return QStringLiteral("theirs");
    case Resolution::Edit:
        return QStringLiteral("edit");
    }
    return QStringLiteral("mine");
}

QJsonValue storedJson(const QVariant &v)
{
    return v.isNull() ? QJsonValue(QJsonValue::Null) : parseJson(v.toString());
}
} // namespace

Result<QString> state::get(Workspace &ws, const char *key)
{
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT value FROM sync_state WHERE key = ?"));
    q.addBindValue(QString::fromLatin1(key));
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the sync state"));
    return q.next() ? q.value(0).toString() : QString();
}

Status state::set(Workspace &ws, const char *key, const QString &value)
{
    QSqlQuery q(ws.db());
    q.prepare(
        QStringLiteral("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                       "excluded.value"));
    q.addBindValue(QString::fromLatin1(key));
    q.addBindValue(value.isNull() ? QStringLiteral("") : value);
    if (!q.exec())
        return sqlError(q, Tr::tr("Saving the sync state"));
    return {};
}

Result<qint64> state::integer(Workspace &ws, const char *key)
{
    auto v = get(ws, key);
    if (!v)
        return Error{v.error()};
    return v.value().toLongLong();
}

Status state::setInteger(Workspace &ws, const char *key, qint64 value)
{
    return set(ws, key, QString::number(value));
}

QString localOnlyFilter()
{
    // CASE and IFNULL keep NULLs (an unknown organization binds as NULL) from turning NOT into NULL, which would
    // leave rows out.
    return QStringLiteral(" AND NOT (CASE WHEN op = 'insert' AND (table_name = 'accounts' OR table_name = "
                          "'opportunities') AND IFNULL(?, '') <> '' THEN IFNULL(json_extract(value, '$.owner_id'), '') "
                          "<> IFNULL(?, '') ELSE 0 END)");
}

Result<QString> ownOrganization(Workspace &ws)
{
    auto stored = state::get(ws, state::kOrganization);
    if (!stored)
        return stored;
    auto s = settings(ws);
    if (!s)
        return Error{s.error()};
    const QString prefix = s->server.toString() + QLatin1Char('|') + s->username + QLatin1Char('|');
    return stored->startsWith(prefix) ? stored->mid(prefix.size()) : QString();
}

Result<qint64> pendingCount(Workspace &ws, qint64 limit)
{
    auto acked = state::integer(ws, state::kAcked);
    if (!acked)
        return Error{acked.error()};
    auto org = ownOrganization(ws);
    if (!org)
        return Error{org.error()};
    QStringList quoted;
    for (const QString &t : syncedTables())
        quoted << QLatin1Char('\'') + t + QLatin1Char('\'');
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM journal WHERE seq > ? AND device_id = ? AND "
                             "table_name IN (%1)%3%2)")
                  .arg(quoted.join(QStringLiteral(", ")),
                       limit > 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString(), localOnlyFilter()));
    q.addBindValue(acked.value());
    q.addBindValue(ws.deviceId());
    q.addBindValue(org.value());
    q.addBindValue(org.value());
    if (!q.exec() || !q.next())
        return sqlError(q, Tr::tr("Counting pending changes"));
    return q.value(0).toLongLong();
}

Status addConflict(Workspace &ws, Conflict::Kind kind, const QString &table, const QString &rowId, const QString &field,
                   const QJsonValue &mine, const QJsonValue &theirs, qint64 mineHlc, qint64 theirsHlc,
                   const QString &theirsDevice, const QString &detectedAt)
{
    const QString mineText = compactJson(mine);
    const QString theirsText = compactJson(theirs);
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT 1 FROM sync_conflicts WHERE resolved_at = '' AND table_name = ? AND row_id = ? "
                             "AND field = ? AND kind = ? AND mine IS ? AND theirs IS ?"));
    q.addBindValue(table);
    q.addBindValue(rowId);
    q.addBindValue(field.isNull() ? QStringLiteral("") : field);
    q.addBindValue(kindKey(kind));
    q.addBindValue(mineText);
    q.addBindValue(theirsText);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the conflict inbox"));
    if (q.next())
        return {};
    QSqlQuery ins(ws.db());
    ins.prepare(QStringLiteral("INSERT INTO sync_conflicts (kind, table_name, row_id, field, mine, theirs, mine_hlc, "
                               "theirs_hlc, theirs_device, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins.addBindValue(kindKey(kind));
    ins.addBindValue(table);
    ins.addBindValue(rowId);
    ins.addBindValue(field.isNull() ? QStringLiteral("") : field);
    ins.addBindValue(mineText);
    ins.addBindValue(theirsText);
    ins.addBindValue(mineHlc);
    ins.addBindValue(theirsHlc);
    ins.addBindValue(theirsDevice.isNull() ? QStringLiteral("") : theirsDevice);
    ins.addBindValue(detectedAt);
    if (!ins.exec())
        return sqlError(ins, Tr::tr("Adding to the conflict inbox"));
    return {};
}

QString compactJson(const QJsonValue &value)
{
    // QJsonDocument holds only arrays and objects: wrap the value and take the brackets off again.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QJsonValue parseJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + text.toUtf8() + ']'), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

QVariant sqlValue(const QJsonValue &value, const QString &declaredType, bool notNull)
{
    const bool integerColumn = declaredType.contains(QLatin1String("INT"));
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        if (!notNull)
            return QVariant();
        return integerColumn ? QVariant(qint64(0)) : QVariant(QStringLiteral(""));
    case QJsonValue::Bool:
        return qint64(value.toBool() ? 1 : 0);
    case QJsonValue::Double: {
        const QVariant v = value.toVariant();
        if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
            return v.toLongLong();
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return qint64(d);
        return d;
    }
    case QJsonValue::String:
        if (declaredType == QLatin1String("BLOB"))
            return QByteArray::fromBase64(value.toString().toLatin1());
        return value.toString();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return compactJson(value);
    }
    return QVariant();
}

Result<SyncSettings> settings(Workspace &workspace)
{
    SyncSettings s;
    auto server = state::get(workspace, state::kServer);
    auto user = state::get(workspace, state::kUsername);
    auto automatic = state::get(workspace, state::kAutomatic);
    auto interval = state::get(workspace, state::kInterval);
    for (const auto *r : {&server, &user, &automatic, &interval}) {
        if (!*r)
            return Error{r->error()};
    }
    s.server = QUrl(server.value());
    s.username = user.value();
    s.automatic = automatic.value() == QLatin1String("1");
    if (const int seconds = interval.value().toInt(); seconds > 0)
        s.intervalSeconds = seconds;
    return s;
}

Status saveSettings(Workspace &workspace, const SyncSettings &s)
{
    Transaction tx(workspace);
    if (!tx.status())
        return tx.status();
    for (const auto &[key, value] : {std::pair<const char *, QString>{state::kServer, s.server.toString()},
                                     {state::kUsername, s.username},
                                     {state::kAutomatic, s.automatic ? QStringLiteral("1") : QStringLiteral("0")},
                                     {state::kInterval, QString::number(s.intervalSeconds)}}) {
        if (Status st = state::set(workspace, key, value); !st)
            return st;
    }
    return tx.commit();
}

Result<SyncStatus> status(Workspace &workspace)
{
    SyncStatus s;
    auto pending = pendingCount(workspace);
    if (!pending)
        return Error{pending.error()};
    s.pending = pending.value();
    QSqlQuery q(workspace.db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM sync_conflicts WHERE resolved_at = ''")) || !q.next())
        return sqlError(q, Tr::tr("Reading the conflict inbox"));
    s.conflicts = q.value(0).toLongLong();
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM sync_quarantine")) || !q.next())
        return sqlError(q, Tr::tr("Reading the quarantine"));
    s.quarantined = q.value(0).toLongLong();
    auto cursor = state::integer(workspace, state::kCursor);
    auto last = state::get(workspace, state::kLastSync);
    auto error = state::get(workspace, state::kLastError);
    if (!cursor || !last || !error)
        return Error{!cursor ? cursor.error() : !last ? last.error() : error.error()};
    s.cursor = cursor.value();
    s.lastSync = QDateTime::fromString(last.value(), Qt::ISODateWithMs);
    s.lastSync.setTimeSpec(Qt::UTC);
    s.lastError = error.value();
    return s;
}

Result<QList<QuarantinedRow>> quarantinedRows(Workspace &workspace)
{
    QSqlQuery q(workspace.db());
    if (!q.exec(
            QStringLiteral("SELECT seq, table_name, row_id, reason, received_at FROM sync_quarantine ORDER BY seq")))
        return sqlError(q, Tr::tr("Reading the quarantine"));
    QList<QuarantinedRow> out;
    while (q.next()) {
        QuarantinedRow r;
        r.seq = q.value(0).toLongLong();
        r.table = q.value(1).toString();
        r.rowId = q.value(2).toString();
        r.reason = q.value(3).toString();
        r.receivedAt = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        r.receivedAt.setTimeSpec(Qt::UTC);
        out << r;
    }
    return out;
}

Result<QList<Conflict>> openConflicts(Workspace &workspace)
{
    QSqlQuery q(workspace.db());
    if (!q.exec(QStringLiteral("SELECT id, kind, table_name, row_id, field, mine, theirs, mine_hlc, theirs_hlc, "
                               "theirs_device, detected_at FROM sync_conflicts WHERE resolved_at = '' ORDER BY id")))
        return sqlError(q, Tr::tr("Reading the conflict inbox"));
    QList<Conflict> out;
    while (q.next()) {
        Conflict c;
        c.id = q.value(0).toLongLong();
        c.kind = kindFromKey(q.value(1).toString());
        c.table = q.value(2).toString();
        c.rowId = q.value(3).toString();
        c.field = q.value(4).toString();
        c.mine = storedJson(q.value(5));
        c.theirs = storedJson(q.value(6));
        c.mineHlc = q.value(7).toLongLong();
        c.theirsHlc = q.value(8).toLongLong();
        c.theirsDevice = q.value(9).toString();
        c.detectedAt = QDateTime::fromString(q.value(10).toString(), Qt::ISODateWithMs);
        c.detectedAt.setTimeSpec(Qt::UTC);
        out << c;
    }
    return out;
}

Status resolve(Workspace &workspace, qint64 conflictId, Resolution resolution, const QJsonValue &edited)
{
    QSqlQuery q(workspace.db());
    q.prepare(QStringLiteral("SELECT kind, table_name, row_id, field, mine, theirs FROM sync_conflicts WHERE id = ? "
                             "AND resolved_at = ''"));
    q.addBindValue(conflictId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the conflict inbox"));
    if (!q.next())
        return Error{Tr::tr("There is no open conflict %1.").arg(conflictId)};
    const Conflict::Kind kind = kindFromKey(q.value(0).toString());
    const QString table = q.value(1).toString();
    const QString rowId = q.value(2).toString();
    const QString field = q.value(3).toString();
    const QJsonValue mine = storedJson(q.value(4));
    const QJsonValue theirs = storedJson(q.value(5));
    q.finish();

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    Transaction tx(workspace);
    if (!tx.status())
        return tx.status();
    auto markResolved = [&](const QString &sql) -> Status {
        QSqlQuery m(workspace.db());
        m.prepare(sql);
        m.addBindValue(now);
        m.addBindValue(resolutionKey(resolution));
        m.addBindValue(table);
        m.addBindValue(rowId);
        m.addBindValue(field);
        m.addBindValue(conflictId);
        if (!m.exec())
            return sqlError(m, Tr::tr("Updating the conflict inbox"));
        return {};
    };
    if (kind == Conflict::Kind::Edit) {
        const QJsonValue chosen = resolution == Resolution::Mine     ? mine
                                  : resolution == Resolution::Theirs ? theirs
                                                                     : edited;
        if (chosen.isUndefined())
            return Error{Tr::tr("Resolving conflict %1 needs a value.").arg(conflictId)};
        if (!syncedTables().contains(table))
            return Error{Tr::tr("Conflict %1 names the table %2, which does not sync.").arg(conflictId).arg(table)};
        QString declared;
        bool notNull = false;
        {
            QSqlQuery info(workspace.db());
            if (!info.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
                return sqlError(info, Tr::tr("Reading the columns of %1").arg(table));
            bool found = false;
            while (info.next()) {
                if (info.value(1).toString() == field) {
                    found = true;
                    declared = info.value(2).toString().toUpper();
                    notNull = info.value(3).toInt() != 0;
                }
            }
            if (!found)
                return Error{Tr::tr("The table %1 has no field %2.").arg(table, field)};
        }
        // The choice is an ordinary local edit with a new hlc, so it wins over both sides everywhere and syncs.
        QSqlQuery upd(workspace.db());
        upd.prepare(QStringLiteral("UPDATE %1 SET %2 = ? WHERE id = ?").arg(table, field));
        upd.addBindValue(sqlValue(chosen, declared, notNull));
        upd.addBindValue(rowId);
        if (!upd.exec())
            return sqlError(upd, Tr::tr("Saving the chosen value of %1 in %2").arg(field, table));
        if (upd.numRowsAffected() != 1)
            return Error{Tr::tr("The record %1 in %2 no longer exists.").arg(rowId, table)};
        if (Status s = workspace.journal().recordUpdate(table, rowId, field, compactJson(chosen)); !s)
            return s;
        // Every open edit conflict of the same field is settled by this one choice.
        if (Status s = markResolved(QStringLiteral("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE "
                                                   "resolved_at = '' AND kind = 'edit' AND "
                                                   "((table_name = ? AND row_id = ? AND field = ?) OR id = ?)"));
            !s)
            return s;
    } else {
        // A tombstone and a refusal cannot be undone from here: resolving acknowledges them.
        if (Status s = markResolved(QStringLiteral("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE "
                                                   "resolved_at = '' AND ? IS NOT NULL AND ? IS NOT NULL AND ? IS NOT "
                                                   "NULL AND id = ?"));
            !s)
            return s;
    }
    return tx.commit();
}

} // namespace ecotone::sync
