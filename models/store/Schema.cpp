#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace ecotone {

namespace {
Status runAll(QSqlDatabase &db, std::initializer_list<const char *> statements)
{
    QSqlQuery q(db);
    for (const char *sql : statements) {
        if (!q.exec(QString::fromUtf8(sql)))
            return sqlError(q, QString::fromUtf8(sql).simplified().left(60));
    }
    return {};
}

// CHECKs spell out "a = x OR a = y": SQLite builds a temporary table for every "IN (list)" it evaluates, which
// on bulk inserts costs more than the insert itself.
// Lists (types, regions, industries, capabilities) are JSON arrays; dates ISO 8601 text.
Status createCore(QSqlDatabase &db)
{
    return runAll(
        db, {
                R"(CREATE TABLE meta (
               key   TEXT PRIMARY KEY,
               value TEXT NOT NULL
           ) WITHOUT ROWID)",
                R"(CREATE TABLE organizations (
               id           TEXT PRIMARY KEY,
               kind         TEXT NOT NULL CHECK (kind = 'vendor' OR kind = 'partner'),
               name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
               types        TEXT NOT NULL DEFAULT '[]',
               tier         TEXT NOT NULL DEFAULT '',
               regions      TEXT NOT NULL DEFAULT '[]',
               industries   TEXT NOT NULL DEFAULT '[]',
               capabilities TEXT NOT NULL DEFAULT '[]',
               website      TEXT NOT NULL DEFAULT '',
               domain       TEXT NOT NULL DEFAULT '',
               description  TEXT NOT NULL DEFAULT '',
               status       TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'onboarding' OR status = 'inactive'),
               join_date    TEXT NOT NULL DEFAULT ''
           ))",
                "CREATE INDEX organizations_name ON organizations (name COLLATE NOCASE)",
                // Search-as-you-type over partners: a trigram index finds substrings without scanning every
                // profile. One text per organization (name, domain, capability names, description), kept in
                // step by triggers, keyed by id because VACUUM may renumber the rowids of this table.
                "CREATE VIRTUAL TABLE organization_search USING fts5(id UNINDEXED, text, tokenize = 'trigram')",
                R"(CREATE TRIGGER organization_search_insert AFTER INSERT ON organizations BEGIN
                       INSERT INTO organization_search (id, text) VALUES (new.id, new.name || ' ' || new.domain || ' '
                           || replace(replace(replace(replace(new.capabilities, '[]', ''), '","', ' | '), '["', ''),
                                      '"]', '') || ' ' || new.description);
                   END)",
                R"(CREATE TRIGGER organization_search_delete AFTER DELETE ON organizations BEGIN
                       DELETE FROM organization_search WHERE id = old.id;
                   END)",
                R"(CREATE TRIGGER organization_search_update
                   AFTER UPDATE OF name, domain, capabilities, description ON organizations BEGIN
                       DELETE FROM organization_search WHERE id = old.id;
                       INSERT INTO organization_search (id, text) VALUES (new.id, new.name || ' ' || new.domain || ' '
                           || replace(replace(replace(replace(new.capabilities, '[]', ''), '","', ' | '), '["', ''),
                                      '"]', '') || ' ' || new.description);
                   END)",
                R"(CREATE TABLE people (
               id              TEXT PRIMARY KEY,
               organization_id TEXT NOT NULL REFERENCES organizations (id),
               name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
               email           TEXT NOT NULL DEFAULT '',
               role            TEXT NOT NULL DEFAULT ''
           ))",
                "CREATE INDEX people_organization ON people (organization_id)",
                R"(CREATE TABLE accounts (
               id          TEXT PRIMARY KEY,
               owner_id    TEXT NOT NULL REFERENCES organizations (id),
               name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
               website     TEXT NOT NULL DEFAULT '',
               domain      TEXT NOT NULL DEFAULT '',
               country     TEXT NOT NULL DEFAULT '',
               industry    TEXT NOT NULL DEFAULT '',
               status      TEXT NOT NULL CHECK (status = 'customer' OR status = 'prospect' OR status = 'opportunity'),
               crm_source  TEXT NOT NULL DEFAULT '',
               external_id TEXT NOT NULL DEFAULT ''
           ))",
                "CREATE INDEX accounts_owner_status ON accounts (owner_id, status)",
                // No index on accounts.domain yet: nothing queries it, and each index costs ~10 % of import speed.
                // Account matching reads an owner's accounts through accounts_owner_status.
                // The change journal: what sync pushes and the audit trail. An insert is one entry with field '*' and
                // the whole row as a JSON object; an update is one entry per changed field; a delete is a tombstone.
                R"(CREATE TABLE journal (
               seq        INTEGER PRIMARY KEY,
               hlc        INTEGER NOT NULL,
               device_id  TEXT NOT NULL,
               table_name TEXT NOT NULL,
               row_id     TEXT NOT NULL,
               op         TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
               field      TEXT NOT NULL DEFAULT '',
               value      TEXT
           ))",
            });
}

// Data-sharing governance (docs/governance.md). An agreement shares one population of our accounts with one partner
// at a level; it is active only while both consents are set, it is not revoked and not expired. The consent ledger
// is append-only and hash-chained: the triggers refuse any UPDATE or DELETE through SQLite, so not even a bug in
// the app can rewrite history; an attacker editing the file directly is caught by ConsentLedger::verify().
Status createGovernance(QSqlDatabase &db)
{
    return runAll(db, {
                          R"(CREATE TABLE sharing_agreements (
               id               TEXT PRIMARY KEY,
               partner_id       TEXT NOT NULL REFERENCES organizations (id),
               population       TEXT NOT NULL CHECK (population = 'customer' OR population = 'opportunity'
                                    OR population = 'prospect' OR (substr(population, 1, 7) = 'custom:'
                                    AND length(population) > 7)),
               level            TEXT NOT NULL CHECK (level = 'hidden' OR level = 'counts' OR level = 'overlap'
                                    OR level = 'full'),
               fields           TEXT NOT NULL DEFAULT '[]',
               our_consent_at   TEXT NOT NULL DEFAULT '',
               their_consent_at TEXT NOT NULL DEFAULT '',
               expires_at       TEXT NOT NULL DEFAULT '',
               revoked_at       TEXT NOT NULL DEFAULT '',
               created_at       TEXT NOT NULL,
               UNIQUE (partner_id, population)
           ))",
                          R"(CREATE TABLE consent_ledger (
               seq          INTEGER PRIMARY KEY,
               at           TEXT NOT NULL,
               actor        TEXT NOT NULL,
               action       TEXT NOT NULL CHECK (action = 'grant' OR action = 'change' OR action = 'revoke'
                                OR action = 'consent' OR action = 'view' OR action = 'export'),
               agreement_id TEXT NOT NULL DEFAULT '',
               detail       TEXT NOT NULL DEFAULT '{}',
               prev_hash    TEXT NOT NULL,
               hash         TEXT NOT NULL
           ))",
                          "CREATE INDEX consent_ledger_agreement ON consent_ledger (agreement_id)",
                          R"(CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger BEGIN
                       SELECT RAISE(ABORT, 'the consent ledger is append-only: entries cannot be changed');
                   END)",
                          R"(CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger BEGIN
                       SELECT RAISE(ABORT, 'the consent ledger is append-only: entries cannot be deleted');
                   END)",
                      });
}

// CRM opportunities (deals) per owner, linked to the owner's account when the export names one we have, and custom
// populations: named account filters (JSON) that the overlap matrix and sharing agreements ("custom:<name>") use
// next to the standard customer / opportunity / prospect populations. Money is integer minor units (cents) with
// its ISO 4217 currency, never a float.
Status createOpportunities(QSqlDatabase &db)
{
    return runAll(db, {
                          R"(CREATE TABLE opportunities (
               id                  TEXT PRIMARY KEY,
               owner_id            TEXT NOT NULL REFERENCES organizations (id),
               account_id          TEXT REFERENCES accounts (id),
               account_external_id TEXT NOT NULL DEFAULT '',
               account_name        TEXT NOT NULL DEFAULT '',
               name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
               stage               TEXT NOT NULL DEFAULT '',
               state               TEXT NOT NULL DEFAULT 'open' CHECK (state = 'open' OR state = 'won'
                                       OR state = 'lost'),
               amount_minor        INTEGER,
               currency            TEXT NOT NULL DEFAULT '',
               close_date          TEXT NOT NULL DEFAULT '',
               crm_owner           TEXT NOT NULL DEFAULT '',
               crm_source          TEXT NOT NULL DEFAULT '',
               external_id         TEXT NOT NULL DEFAULT ''
           ))",
                          "CREATE INDEX opportunities_owner_state ON opportunities (owner_id, state)",
                          "CREATE INDEX opportunities_account ON opportunities (account_id)",
                          R"(CREATE TABLE custom_populations (
               id         TEXT PRIMARY KEY,
               name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
               filter     TEXT NOT NULL DEFAULT '{}',
               created_at TEXT NOT NULL
           ))",
                      });
}
} // namespace

std::vector<Migration> schema::migrations()
{
    return {
        {1, QStringLiteral("organizations, people, accounts and the change journal"), createCore},
        {2, QStringLiteral("sharing agreements and the consent ledger"), createGovernance},
        {3, QStringLiteral("opportunities and custom populations"), createOpportunities},
    };
}

} // namespace ecotone
