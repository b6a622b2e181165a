#include "ServerDatabase.h"

#include <QAtomicInt>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

namespace ecotone::server {

namespace {

QString sqlError(const QSqlError &error)
{
    return error.text().trimmed();
}

// Schema steps, cumulative: step N brings version N-1 to N. Never edit a released step; append one.
// Types are the common subset of SQLite and PostgreSQL (TEXT, BIGINT); times are Unix milliseconds.
QStringList schemaStep(int version, bool postgres)
{
    switch (version) {
    case 1:
        return {
            QStringLiteral("CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                           " kind TEXT NOT NULL CHECK (kind IN ('vendor', 'partner')), created_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE TABLE users (id TEXT PRIMARY KEY,"
                           " organization_id TEXT NOT NULL REFERENCES organizations(id),"
                           " username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL DEFAULT '',"
                           " role TEXT NOT NULL CHECK (role IN ('vendor_admin', 'channel_manager', 'partner_admin',"
                           " 'partner_rep')),"
                           " password_hash TEXT NOT NULL, disabled BIGINT NOT NULL DEFAULT 0,"
                           " created_at BIGINT NOT NULL, password_changed_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX users_organization ON users(organization_id)"),
            // A login starts a family; each refresh rotates the token within it. A rotated token presented again
            // means it was stolen: the whole family is revoked.
            QStringLiteral("CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL,"
                           " user_id TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL,"
                           " expires_at BIGINT NOT NULL, rotated_at BIGINT, revoked_at BIGINT)"),
            QStringLiteral("CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)"),
            QStringLiteral("CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id)"),
            QStringLiteral("CREATE TABLE access_tokens (token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL,"
                           " user_id TEXT NOT NULL REFERENCES users(id), expires_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX access_tokens_family ON access_tokens(family_id)"),
            QStringLiteral("CREATE INDEX access_tokens_user ON access_tokens(user_id)"),
            QStringLiteral("CREATE INDEX access_tokens_expiry ON access_tokens(expires_at)"),
            // Failed logins, per subject ("user:NAME" or "ip:ADDRESS"), so the rate limit holds across instances.
            QStringLiteral("CREATE TABLE login_failures (subject TEXT NOT NULL, at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX login_failures_subject ON login_failures(subject, at)"),
        };
    case 2:
        return {
            // The server's journal: pushed changes numbered in commit order (seq), per organization.
            QStringLiteral("CREATE TABLE changes (seq BIGINT PRIMARY KEY,"
                           " organization_id TEXT NOT NULL REFERENCES organizations(id), change_id TEXT NOT NULL,"
                           " user_id TEXT NOT NULL REFERENCES users(id), device_id TEXT NOT NULL, hlc BIGINT NOT NULL,"
                           " table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
                           " op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')), field TEXT NOT NULL,"
                           " value TEXT, received_at BIGINT NOT NULL, UNIQUE (organization_id, change_id))"),
            QStringLiteral("CREATE INDEX changes_organization_seq ON changes(organization_id, seq)"),
        };
    case 3: {
        // The last sequence number lives in its own row: under row-level security MAX(seq) would only see the
        // pushing organization's rows.
        QStringList steps{
            QStringLiteral("CREATE TABLE change_sequence (last BIGINT NOT NULL)"),
            QStringLiteral("INSERT INTO change_sequence (last) SELECT COALESCE(MAX(seq), 0) FROM changes"),
        };
        if (postgres) {
            // A second layer under the API's own checks: the journal shows and accepts only the rows of the
            // organization set for the transaction (Journal sets ecotone.organization with set_config(…, true)).
            // FORCE makes the table's owner, which the server connects as, subject to it too; without a
            // setting current_setting(…, true) is NULL and no row matches (deny by default).
            steps << QStringLiteral("ALTER TABLE changes ENABLE ROW LEVEL SECURITY")
                  << QStringLiteral("ALTER TABLE changes FORCE ROW LEVEL SECURITY")
                  << QStringLiteral("CREATE POLICY changes_tenant ON changes"
                                    " USING (organization_id = current_setting('ecotone.organization', true))"
                                    " WITH CHECK (organization_id = current_setting('ecotone.organization', true))");
        }
        return steps;
    }
    case 4: {
        // The materialized state of docs/sync.md: rows, their fields (per-field last writer wins), who may read
        // each row (the access list) and the purges of those who lost access. Journal, access grants and purges
        // share one gap-free sequence (change_sequence). parent_id is a deal room child's room_id, so a change of
        // participants finds the room's rows. doc is the row's pull entry pre-rendered from its fields (version,
        // values, versions), so a pull page reads one text per row.
        QStringList steps{
            QStringLiteral("CREATE TABLE sync_rows (table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
                           " owner_id TEXT NOT NULL, parent_id TEXT NOT NULL DEFAULT '', last_seq BIGINT NOT NULL,"
                           " deleted_hlc BIGINT, deleted_device TEXT, doc TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (table_name, row_id))"),
            QStringLiteral("CREATE INDEX sync_rows_owner ON sync_rows(table_name, owner_id)"),
            QStringLiteral("CREATE INDEX sync_rows_parent ON sync_rows(parent_id) WHERE parent_id <> ''"),
            QStringLiteral("CREATE TABLE sync_fields (table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
                           " field TEXT NOT NULL, value TEXT, hlc BIGINT NOT NULL, device_id TEXT NOT NULL,"
                           " seq BIGINT NOT NULL, PRIMARY KEY (table_name, row_id, field))"),
            // seq: the larger of the row's last change and this organization's grant; what a pull orders by.
            // organization_id '*' stands for every organization.
            QStringLiteral("CREATE TABLE sync_access (table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
                           " organization_id TEXT NOT NULL, granted_seq BIGINT NOT NULL, seq BIGINT NOT NULL,"
                           " PRIMARY KEY (table_name, row_id, organization_id))"),
            QStringLiteral("CREATE INDEX sync_access_pull ON sync_access(organization_id, seq)"),
            QStringLiteral("CREATE TABLE sync_purges (seq BIGINT PRIMARY KEY, organization_id TEXT NOT NULL,"
                           " table_name TEXT NOT NULL, row_id TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX sync_purges_pull ON sync_purges(organization_id, seq)"),
            // Agreements with an end date, so a pull finds the expired ones with one index probe.
            QStringLiteral("CREATE TABLE sync_expiries (row_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL,"
                           " expires_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX sync_expiries_at ON sync_expiries(expires_at)"),
            // The conflicts a push reported, so that a replay (its answer was lost) reports them again; and the
            // journal by row, to find the newest write of a field by another device.
            QStringLiteral("CREATE TABLE sync_conflicts (organization_id TEXT NOT NULL, change_id TEXT NOT NULL,"
                           " body TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX sync_conflicts_change ON sync_conflicts(organization_id, change_id)"),
            QStringLiteral("CREATE INDEX changes_row ON changes(table_name, row_id, seq)"),
        };
        if (postgres) {
            // Requests run as ecotone_app (SET LOCAL ROLE), which owns nothing: row-level security binds it even
            // if FORCE were dropped. The role is cluster-wide; the migrating user creates it once and joins it.
            // A DBA may have made it beforehand (CREATE ROLE ecotone_app NOLOGIN; GRANT ecotone_app TO <user>);
            // else the server's user needs CREATEROLE once.
            steps << QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ecotone_app')"
                                    " THEN CREATE ROLE ecotone_app NOLOGIN; END IF;"
                                    " IF NOT pg_has_role(current_user, 'ecotone_app', 'MEMBER')"
                                    " THEN GRANT ecotone_app TO CURRENT_USER; END IF; END $$")
                  << QStringLiteral("DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO ecotone_app',"
                                    " current_schema()); END $$")
                  << QStringLiteral("GRANT SELECT ON organizations, change_sequence TO ecotone_app")
                  << QStringLiteral("GRANT UPDATE ON change_sequence TO ecotone_app")
                  << QStringLiteral("GRANT SELECT, INSERT ON changes TO ecotone_app")
                  << QStringLiteral("GRANT SELECT, INSERT, UPDATE, DELETE ON sync_rows, sync_fields, sync_access,"
                                    " sync_purges, sync_expiries TO ecotone_app")
                  << QStringLiteral("GRANT SELECT, INSERT ON sync_conflicts TO ecotone_app")
                  << QStringLiteral("DROP POLICY changes_tenant ON changes");
            // ecotone.organization: the caller's organization. ecotone.acl_maintenance = 'on' only inside the
            // serialized push / expiry pass, which must read and write other organizations' access lists.
            const QString tenant = QStringLiteral("current_setting('ecotone.organization', true)");
            const QString maintenance = QStringLiteral("current_setting('ecotone.acl_maintenance', true) = 'on'");
            // Everyone's rows ('*') too, but only with an organization set.
            const QString anyTenant = QStringLiteral("COALESCE(%1, '') <> ''").arg(tenant);
            const QString readable = QStringLiteral("EXISTS (SELECT 1 FROM sync_access a WHERE a.table_name ="
                                                    " %1.table_name AND a.row_id = %1.row_id AND a.organization_id IN"
                                                    " (%2, '*') AND %3)");
            const QList<QPair<QString, QString>> policies{
                {QStringLiteral("changes"), QStringLiteral("organization_id = %1 OR %2").arg(tenant, maintenance)},
                {QStringLiteral("sync_access"),
                 QStringLiteral("(organization_id IN (%1, '*') AND %2) OR %3").arg(tenant, anyTenant, maintenance)},
                {QStringLiteral("sync_purges"), QStringLiteral("organization_id = %1 OR %2").arg(tenant, maintenance)},
                {QStringLiteral("sync_rows"),
                 readable.arg(QStringLiteral("sync_rows"), tenant, anyTenant) + QStringLiteral(" OR ") + maintenance},
                {QStringLiteral("sync_fields"),
                 readable.arg(QStringLiteral("sync_fields"), tenant, anyTenant) + QStringLiteral(" OR ") + maintenance},
                {QStringLiteral("sync_expiries"), maintenance},
                {QStringLiteral("sync_conflicts"),
                 QStringLiteral("organization_id = %1 OR %2").arg(tenant, maintenance)},
            };
            for (const auto &[table, rule] : policies) {
                if (table != QLatin1String("changes"))
                    steps << QStringLiteral("ALTER TABLE %1 ENABLE ROW LEVEL SECURITY").arg(table)
                          << QStringLiteral("ALTER TABLE %1 FORCE ROW LEVEL SECURITY").arg(table);
                steps << QStringLiteral("CREATE POLICY %1_tenant ON %1 USING (%2) WITH CHECK (%2)").arg(table, rule);
            }
        }
        return steps;
    }
    default:
        return {};
    }
}

} // namespace

Result<DatabaseUrl> parseDatabaseUrl(const QString &text)
{
    DatabaseUrl url;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        url.driver = QStringLiteral("QSQLITE");
        url.path = text.mid(7);
        if (url.path.startsWith(QLatin1String("//")))
            url.path = url.path.mid(2);
        if (url.path.isEmpty())
            return Error{QStringLiteral("the SQLite database needs a path: sqlite:PATH")};
        return url;
    }
    if (text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"))) {
        const QUrl parsed(text, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty())
            return Error{QStringLiteral("not a valid PostgreSQL URL: postgresql://user@host:port/database")};
        url.driver = QStringLiteral("QPSQL");
        url.host = parsed.host();
        url.port = parsed.port(5432);
        url.user = parsed.userName();
        url.password = parsed.password();
        url.name = parsed.path().mid(1);
        if (url.name.isEmpty())
            return Error{QStringLiteral("the PostgreSQL URL names no database: postgresql://user@host:port/database")};
        return url;
    }
    return Error{
        QStringLiteral("unknown database \"%1\": use sqlite:PATH or postgresql://user@host:port/database").arg(text)};
}

ServerDatabase::~ServerDatabase()
{
    qDeleteAll(m_statements);
    m_statements.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<ServerDatabase>> ServerDatabase::open(const QString &text)
{
    const Result<DatabaseUrl> url = parseDatabaseUrl(text);
    if (!url)
        return Error{url.error()};
    static QAtomicInt counter;
    std::unique_ptr<ServerDatabase> self(new ServerDatabase);
    self->m_connectionName = QStringLiteral("ecotone-server-%1").arg(counter.fetchAndAddRelaxed(1));
    self->m_postgres = url->driver == QLatin1String("QPSQL");
    if (!QSqlDatabase::isDriverAvailable(url->driver))
        return Error{QStringLiteral("the Qt SQL driver %1 is not installed").arg(url->driver)};
    self->m_db = QSqlDatabase::addDatabase(url->driver, self->m_connectionName);
    if (self->m_postgres) {
        self->m_db.setHostName(url->host);
        self->m_db.setPort(url->port);
        self->m_db.setUserName(url->user);
        self->m_db.setPassword(url->password);
        self->m_db.setDatabaseName(url->name);
    } else {
        // Password hashes and every organization's rows: readable by the server's user only (SQLite gives the
        // -wal and -shm files the same permissions).
        if (url->path != QLatin1String(":memory:") && !QFileInfo::exists(url->path)) {
            QFile file(url->path);
            if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
                !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
                return Error{QStringLiteral("cannot create the database %1: %2").arg(url->path, file.errorString())};
        }
        self->m_db.setDatabaseName(url->path);
        self->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    }
    if (!self->m_db.open())
        return Error{QStringLiteral("cannot open the database %1: %2").arg(text, sqlError(self->m_db.lastError()))};
    if (!self->m_postgres) {
        // WAL lets several server processes read while one writes; foreign keys are off by default in SQLite.
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (Result<Rows> r = self->select(QString::fromLatin1(pragma)); !r)
                return Error{r.error()};
        }
    }
    if (Status s = self->migrate(); !s)
        return Error{s.error()};
    return self;
}

QSqlQuery *ServerDatabase::prepared(const QString &sql, QString *error)
{
    if (QSqlQuery *cached = m_statements.value(sql))
        return cached;
    auto query = std::make_unique<QSqlQuery>(m_db);
    query->setForwardOnly(true);
    if (!query->prepare(sql)) {
        *error = QStringLiteral("cannot prepare \"%1\": %2").arg(sql, sqlError(query->lastError()));
        return nullptr;
    }
    return m_statements[sql] = query.release();
}

Result<Rows> ServerDatabase::select(const QString &sql, const QVariantList &binds)
{
    QString error;
    // Without parameters there is nothing to prepare (and PostgreSQL cannot PREPARE DDL or PRAGMA-like text).
    std::optional<QSqlQuery> oneShot;
    QSqlQuery *query = nullptr;
    if (binds.isEmpty()) {
        oneShot.emplace(m_db);
        oneShot->setForwardOnly(true);
        if (!oneShot->exec(sql))
            return Error{QStringLiteral("database error in \"%1\": %2").arg(sql, sqlError(oneShot->lastError()))};
        query = &*oneShot;
    } else {
        query = prepared(sql, &error);
        if (!query)
            return Error{error};
        for (int i = 0; i < binds.size(); ++i)
            query->bindValue(i, binds.at(i));
        if (!query->exec()) {
            error = QStringLiteral("database error in \"%1\": %2").arg(sql, sqlError(query->lastError()));
            query->finish();
            return Error{error};
        }
    }
    Rows rows;
    const int columns = query->record().count();
    while (query->next()) {
        Row row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row.append(query->value(c));
        rows.append(std::move(row));
    }
    query->finish();
    return rows;
}

Status ServerDatabase::scan(const QString &sql, const QVariantList &binds,
                            const std::function<void(const QSqlQuery &)> &row)
{
    QString error;
    QSqlQuery *query = prepared(sql, &error);
    if (!query)
        return Error{error};
    for (int i = 0; i < binds.size(); ++i)
        query->bindValue(i, binds.at(i));
    if (!query->exec()) {
        error = QStringLiteral("database error in \"%1\": %2").arg(sql, sqlError(query->lastError()));
        query->finish();
        return Error{error};
    }
    while (query->next())
        row(*query);
    query->finish();
    return Status::success();
}

Result<int> ServerDatabase::exec(const QString &sql, const QVariantList &binds)
{
    QString error;
    if (binds.isEmpty()) {
        QSqlQuery query(m_db);
        if (!query.exec(sql))
            return Error{QStringLiteral("database error in \"%1\": %2").arg(sql, sqlError(query.lastError()))};
        return query.numRowsAffected();
    }
    QSqlQuery *query = prepared(sql, &error);
    if (!query)
        return Error{error};
    for (int i = 0; i < binds.size(); ++i)
        query->bindValue(i, binds.at(i));
    if (!query->exec()) {
        error = QStringLiteral("database error in \"%1\": %2").arg(sql, sqlError(query->lastError()));
        query->finish();
        return Error{error};
    }
    const int affected = query->numRowsAffected();
    query->finish();
    return affected;
}

Status ServerDatabase::begin()
{
    if (!m_postgres) {
        // Every server transaction writes: take SQLite's write lock at once, so two server processes never both
        // read and then deadlock upgrading to write, and pushes are numbered in commit order.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return Error{QStringLiteral("cannot start a transaction: %1").arg(sqlError(query.lastError()))};
        return Status::success();
    }
    if (!m_db.transaction())
        return Error{QStringLiteral("cannot start a transaction: %1").arg(sqlError(m_db.lastError()))};
    return Status::success();
}

Status ServerDatabase::beginRead()
{
    if (!m_postgres) {
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("BEGIN")))
            return Error{QStringLiteral("cannot start a transaction: %1").arg(sqlError(query.lastError()))};
        return Status::success();
    }
    if (!m_db.transaction())
        return Error{QStringLiteral("cannot start a transaction: %1").arg(sqlError(m_db.lastError()))};
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))) {
        const QString error = sqlError(query.lastError());
        m_db.rollback();
        return Error{QStringLiteral("cannot start a read transaction: %1").arg(error)};
    }
    return Status::success();
}

Status ServerDatabase::commit()
{
    if (!m_db.commit())
        return Error{QStringLiteral("cannot commit: %1").arg(sqlError(m_db.lastError()))};
    return Status::success();
}

void ServerDatabase::rollback()
{
    m_db.rollback();
}

Status ServerDatabase::migrate()
{
    return inTransaction(*this, [this]() -> Status {
        if (m_postgres) {
            // Several instances may start at once against one database: one migrates, the others wait.
            if (Result<Rows> r = select(QStringLiteral("SELECT pg_advisory_xact_lock(4542915412)")); !r)
                return Error{r.error()};
        }
        if (Result<int> r = exec(
                QStringLiteral("CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
            !r)
            return Error{r.error()};
        const Result<Rows> version =
            select(QStringLiteral("SELECT value FROM server_meta WHERE key = 'schema_version'"));
        if (!version)
            return Error{version.error()};
        const int current = version->isEmpty() ? 0 : version->first().first().toInt();
        if (current > kSchemaVersion)
            return Error{QStringLiteral("the database has schema version %1, newer than this server's %2: update "
                                        "ecotone-server")
                             .arg(current)
                             .arg(kSchemaVersion)};
        for (int step = current + 1; step <= kSchemaVersion; ++step) {
            for (const QString &sql : schemaStep(step, m_postgres)) {
                QSqlQuery query(m_db); // DDL is run once: not worth caching
                if (!query.exec(sql))
                    return Error{QStringLiteral("schema step %1 failed on \"%2\": %3")
                                     .arg(step)
                                     .arg(sql, sqlError(query.lastError()))};
            }
        }
        if (current != kSchemaVersion) {
            const QString sql =
                current == 0 ? QStringLiteral("INSERT INTO server_meta (key, value) VALUES ('schema_version', ?)")
                             : QStringLiteral("UPDATE server_meta SET value = ? WHERE key = 'schema_version'");
            if (Result<int> r = exec(sql, {QString::number(kSchemaVersion)}); !r)
                return Error{r.error()};
        }
        return Status::success();
    });
}

} // namespace ecotone::server
