#include "Workspace.h"

#include "store/ChangeJournal.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Workspace)
};

quint32 readBigEndian32(const uchar *p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

// A workspace file may come from someone else (a shared file, a copy from a partner): nothing in it may run as the
// person who opens it. Defensive mode (no writable_schema, no writes to shadow tables) and no extension loading.
// TRUSTED_SCHEMA stays on: our own full-text triggers need it, and open() refuses any schema object the
// migrations did not create before anything can fire, so every trigger that runs is ours.
Status harden(QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return Error{Tr::tr("The SQLite driver gives no handle to configure.")};
    sqlite3 *h = *static_cast<sqlite3 *const *>(handle.constData());
    if (!h)
        return Error{Tr::tr("The SQLite driver gives no handle to configure.")};
    int defensive = 0;
    int extensions = 1;
    if (sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive) != SQLITE_OK ||
        sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &extensions) != SQLITE_OK || defensive != 1 ||
        extensions != 0)
        return Error{Tr::tr("SQLite refused the defensive settings every workspace is opened with.")};
    return {};
}

// type, name and SQL of every schema object, as "type name\x1fsql".
QStringList schemaObjects(QSqlDatabase &db, QString *error)
{
    QStringList out;
    QSqlQuery q(db);
    if (!q.exec(
            QStringLiteral("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))) {
        *error = q.lastError().text();
        return {};
    }
    while (q.next())
        out << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString() + QLatin1Char('\x1f') +
                   q.value(2).toString();
    out.sort();
    return out;
}

QAtomicInt g_expectedConnections;

// What the migrations up to `version` create, from a private in-memory database.
QStringList expectedObjects(const std::vector<Migration> &migrations, int version, QString *error)
{
    const QString name = QStringLiteral("ecotone-expected-%1").arg(g_expectedConnections.fetchAndAddRelaxed(1));
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            for (const Migration &m : migrations) {
                if (m.version > version)
                    break;
                if (Status s = m.apply(db); !s) {
                    *error = s.error();
                    break;
                }
            }
            if (error->isEmpty())
                out = schemaObjects(db, error);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

QString newDeviceId()
{
    return QString::number(QRandomGenerator::securelySeeded().generate64() & 0x7fffffffffffffffull, 16)
        .rightJustified(16, QLatin1Char('0'));
}
} // namespace

Error sqlError(const QSqlQuery &query, const QString &what)
{
    return Error{Tr::tr("%1 failed: %2").arg(what, query.lastError().text())};
}

Error sqlError(const QSqlDatabase &db, const QString &what)
{
    return Error{Tr::tr("%1 failed: %2").arg(what, db.lastError().text())};
}

Workspace::Workspace(QString path)
    : m_path(std::move(path))
{
    static QAtomicInt counter;
    m_connectionName = QStringLiteral("ecotone-workspace-%1").arg(counter.fetchAndAddRelaxed(1));
}

Workspace::~Workspace()
{
    m_journal.reset();
    if (m_db.isOpen()) {
        while (m_depth > 0)
            rollback();
        m_db.close();
    }
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString Workspace::displayName() const
{
    return QFileInfo(m_path).completeBaseName();
}

Status Workspace::checkHeader(const QString &path, int newestVersion, int *versionOut)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read \"%1\": %2").arg(path, file.errorString())};
    const qint64 size = file.size();
    if (size == 0)
        return Error{Tr::tr("\"%1\" is an empty file, not an Ecotone workspace.").arg(name)};
    const QByteArray header = file.read(100);
    if (header.size() < 100 || !header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        return Error{Tr::tr("\"%1\" is not an Ecotone workspace (it is not a SQLite database).").arg(name)};

    const auto *h = reinterpret_cast<const uchar *>(header.constData());
    quint32 pageSize = (quint32(h[16]) << 8) | h[17];
    if (pageSize == 1)
        pageSize = 65536;
    const quint32 changeCounter = readBigEndian32(h + 24);
    const quint32 pageCount = readBigEndian32(h + 28);
    const quint32 validFor = readBigEndian32(h + 92);
    const qint32 userVersion = qint32(readBigEndian32(h + 60));
    const qint32 applicationId = qint32(readBigEndian32(h + 68));

    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        return Error{
            Tr::tr("\"%1\" is damaged: its header names an impossible page size (%2).").arg(name).arg(pageSize)};
    // The page count in the header is only trustworthy when its "valid-for" stamp matches the change counter.
    if (changeCounter == validFor && pageCount > 0 && quint64(size) < quint64(pageCount) * pageSize) {
        return Error{Tr::tr("\"%1\" is truncated: it should hold %2 bytes but has %3. Restore it from a backup.")
                         .arg(name)
                         .arg(quint64(pageCount) * pageSize)
                         .arg(size)};
    }
    if (size % pageSize != 0)
        return Error{Tr::tr("\"%1\" is damaged: its size is not a whole number of pages.").arg(name)};
    if (applicationId != schema::kApplicationId)
        return Error{Tr::tr("\"%1\" is a SQLite database but not an Ecotone workspace.").arg(name)};
    if (userVersion > newestVersion) {
        return Error{
            Tr::tr("\"%1\" was saved by a newer version of Ecotone (workspace format %2; this version reads up to "
                   "%3). Update Ecotone to open it.")
                .arg(name)
                .arg(userVersion)
                .arg(newestVersion)};
    }
    if (userVersion < 1)
        return Error{Tr::tr("\"%1\" is damaged: it has no workspace format version.").arg(name)};
    if (versionOut)
        *versionOut = userVersion;
    return {};
}

Result<std::unique_ptr<Workspace>> Workspace::create(const QString &path)
{
    if (QFileInfo::exists(path))
        return Error{Tr::tr("\"%1\" already exists.").arg(path)};
    Options options;
    options.createIfMissing = true;
    return open(path, options);
}

Result<std::unique_ptr<Workspace>> Workspace::open(const QString &path, const Options &options)
{
    if (options.migrations.empty())
        return Error{Tr::tr("No schema migrations were given.")};
    const int newest = options.migrations.back().version;
    const QFileInfo info(path);
    const bool isNew = !info.exists() || (options.createIfMissing && info.size() == 0);
    if (!info.exists() && !options.createIfMissing)
        return Error{Tr::tr("\"%1\" does not exist.").arg(path)};
    if (info.exists() && info.isDir())
        return Error{Tr::tr("\"%1\" is a folder, not a workspace file.").arg(path)};
    if (!isNew) {
        if (Status s = checkHeader(path, newest); !s)
            return Error{s.error()};
    }

    if (isNew && !info.exists()) {
        // Only the owner may read a workspace (it holds partners' shared data); SQLite gives its -wal and -shm
        // files the same permissions.
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
            !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return Error{Tr::tr("Cannot create \"%1\": %2").arg(path, file.errorString())};
    }
    std::unique_ptr<Workspace> ws(new Workspace(info.absoluteFilePath()));
    if (Status s = ws->initialize(options, isNew); !s) {
        ws.reset();
        if (isNew)
            QFile::remove(info.absoluteFilePath());
        return Error{s.error()};
    }
    return ws;
}

Status Workspace::initialize(const Options &options, bool isNew)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid())
        return Error{Tr::tr("The Qt SQLite driver (QSQLITE) is not available.")};
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open())
        return sqlError(m_db, Tr::tr("Opening \"%1\"").arg(m_path));
    if (Status s = harden(m_db); !s)
        return s;

    // 8 KiB pages: measured ~40 % faster bulk inserts than 4 KiB on a million accounts (docs/BENCHMARKS.md).
    // Only takes effect on a new file, before its first table.
    if (isNew) {
        if (Status s = exec(QStringLiteral("PRAGMA page_size=8192"), Tr::tr("Configuring the workspace")); !s)
            return s;
    }
    for (const char *pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000",
          "PRAGMA cache_size=-262144", "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=8192"}) {
        if (Status s = exec(QString::fromLatin1(pragma), Tr::tr("Configuring the workspace")); !s)
            return s;
    }

    {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
            return sqlError(q, Tr::tr("Reading the workspace format"));
        m_version = q.value(0).toInt();
    }
    if (!isNew) {
        // Before anything writes to the file (a write could fire a trigger): every table, index, view and trigger
        // must be one the migrations made, with their SQL. A planted trigger on the journal would otherwise push
        // changes under the opener's account.
        QString error;
        const QStringList expected = expectedObjects(options.migrations, m_version, &error);
        const QStringList actual = error.isEmpty() ? schemaObjects(m_db, &error) : QStringList();
        if (!error.isEmpty())
            return Error{Tr::tr("Cannot check the schema of \"%1\": %2").arg(m_path, error)};
        // Only objects that could run or mislead are refused; a missing one (a dropped trigger of the consent
        // ledger, say) runs nothing, and the checks that need it (ledger verify) report it in their own words.
        const QSet<QString> known(expected.cbegin(), expected.cend());
        for (const QString &object : actual) {
            if (!known.contains(object)) {
                const QString what = object.section(QLatin1Char('\x1f'), 0, 0);
                return Error{Tr::tr("\"%1\" holds a schema object Ecotone did not create (%2), so it is not opened: "
                                    "a workspace from someone else must not run anything as you. Open the sender's "
                                    "original export instead, or remove the object with sqlite3.")
                                 .arg(m_path, what)};
            }
        }
    }
    if (isNew || m_version < options.migrations.back().version) {
        if (Status s = migrate(options); !s)
            return s;
    }

    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'device_id'")))
        return sqlError(q, Tr::tr("Reading the device id"));
    if (q.next()) {
        m_deviceId = q.value(0).toString();
    } else {
        m_deviceId = newDeviceId();
        QSqlQuery ins(m_db);
        ins.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES ('device_id', ?)"));
        ins.addBindValue(m_deviceId);
        if (!ins.exec())
            return sqlError(ins, Tr::tr("Storing the device id"));
    }
    if (!q.exec(QStringLiteral("SELECT hlc FROM journal ORDER BY seq DESC LIMIT 1")))
        return sqlError(q, Tr::tr("Reading the change journal"));
    if (q.next())
        m_clock.observe(q.value(0).toLongLong());
    m_journal = std::make_unique<ChangeJournal>(*this);
    return {};
}

Status Workspace::migrate(const Options &options)
{
    const int from = m_version;
    const int to = options.migrations.back().version;
    if (from > 0) {
        // Fold the WAL into the main file so the copy is complete, then keep the copy until the user deletes it.
        if (Status s = exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), Tr::tr("Preparing the backup")); !s)
            return s;
        QString backup = m_path + QStringLiteral(".v%1.bak").arg(from);
        if (QFileInfo::exists(backup))
            backup = m_path + QStringLiteral(".v%1-%2.bak").arg(from).arg(QDateTime::currentSecsSinceEpoch());
        if (!QFile::copy(m_path, backup))
            return Error{Tr::tr("Could not save a backup copy to \"%1\" before upgrading the workspace.").arg(backup)};
        m_backupPath = backup;
    }

    if (Status s = begin(); !s)
        return s;
    for (const Migration &step : options.migrations) {
        if (step.version <= from)
            continue;
        if (Status s = step.apply(m_db); !s) {
            rollback();
            return Error{Tr::tr("Upgrading the workspace to format %1 (%2) failed: %3")
                             .arg(step.version)
                             .arg(step.description, s.error())};
        }
    }
    for (const QString &sql : {QStringLiteral("PRAGMA application_id=%1").arg(schema::kApplicationId),
                               QStringLiteral("PRAGMA user_version=%1").arg(to)}) {
        if (Status s = exec(sql, Tr::tr("Stamping the workspace format")); !s) {
            rollback();
            return s;
        }
    }
    if (Status s = commit(); !s)
        return s;
    m_version = to;
    // Put the new header on disk now, so the file identifies itself even if the WAL is lost.
    return exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), Tr::tr("Saving the upgraded workspace"));
}

Status Workspace::exec(const QString &sql, const QString &what)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return sqlError(q, what.isEmpty() ? sql : what);
    return {};
}

Status Workspace::begin()
{
    const QString sql =
        m_depth == 0 ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("SAVEPOINT sp%1").arg(m_depth);
    if (Status s = exec(sql, Tr::tr("Starting a transaction")); !s)
        return s;
    ++m_depth;
    return {};
}

Status Workspace::commit()
{
    if (m_depth == 0)
        return Error{Tr::tr("Commit without a transaction.")};
    const QString sql = m_depth == 1 ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE sp%1").arg(m_depth - 1);
    if (Status s = exec(sql, Tr::tr("Saving changes")); !s) {
        rollback();
        return s;
    }
    --m_depth;
    return {};
}

void Workspace::rollback()
{
    if (m_depth == 0)
        return;
    --m_depth;
    if (m_depth == 0) {
        (void)exec(QStringLiteral("ROLLBACK"));
    } else {
        (void)exec(QStringLiteral("ROLLBACK TO sp%1").arg(m_depth));
        (void)exec(QStringLiteral("RELEASE sp%1").arg(m_depth));
    }
}

Transaction::Transaction(Workspace &workspace)
    : m_workspace(workspace)
    , m_status(workspace.begin())
    , m_open(m_status.ok())
{}

Transaction::~Transaction()
{
    if (m_open)
        m_workspace.rollback();
}

Status Transaction::commit()
{
    if (!m_open)
        return m_status.ok() ? Status(Error{QStringLiteral("Transaction already finished")}) : m_status;
    m_open = false;
    return m_workspace.commit();
}

} // namespace ecotone
