#include "store/Workspace.h"

#include "attribution/AttributionLocks.h"
#include "marketplace/MarketplaceSchema.h"
#include "sync/SyncSchema.h"

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
// Co-sell (docs/deals.md): deal rooms shared by several organizations, with their participants, the people who
// may read them, timeline, tasks and documents; deal registrations and partner-to-partner referrals. Stages are
// rows (a configurable pipeline) keyed by a stable text key, so every device seeds the same keys and sync merges
// them. Optional links (account, room, person) hold '' for "none" and carry no REFERENCES, because the journaled
// writer stores '' rather than NULL. account_key is companynames::normalize(name) and country a countryKey(),
// both derived on write, so conflict checks are index lookups. Statuses are lower-case keys.
Status createDeals(QSqlDatabase &db)
{
    return runAll(
        db, {
                R"(CREATE TABLE deal_stages (
               id       TEXT PRIMARY KEY,
               name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
               position INTEGER NOT NULL,
               outcome  TEXT NOT NULL DEFAULT 'open' CHECK (outcome = 'open' OR outcome = 'won' OR outcome = 'lost')
           ))",
                R"(INSERT INTO deal_stages (id, name, position, outcome) VALUES
               ('prospect', 'Prospect', 1, 'open'), ('qualified', 'Qualified', 2, 'open'),
               ('technical_validation', 'Technical Validation', 3, 'open'),
               ('business_validation', 'Business Validation', 4, 'open'), ('committed', 'Committed', 5, 'open'),
               ('launched', 'Launched', 6, 'open'), ('closed_won', 'Closed Won', 7, 'won'),
               ('closed_lost', 'Closed Lost', 8, 'lost'))",
                R"(CREATE TABLE deal_rooms (
               id                 TEXT PRIMARY KEY,
               account_id         TEXT NOT NULL DEFAULT '',
               account_name       TEXT NOT NULL DEFAULT '',
               account_key        TEXT NOT NULL DEFAULT '',
               website            TEXT NOT NULL DEFAULT '',
               domain             TEXT NOT NULL DEFAULT '',
               country            TEXT NOT NULL DEFAULT '',
               name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
               stage              TEXT NOT NULL REFERENCES deal_stages (id),
               amount_minor       INTEGER NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
               currency           TEXT NOT NULL DEFAULT '',
               close_date         TEXT NOT NULL DEFAULT '',
               products           TEXT NOT NULL DEFAULT '[]',
               ace_opportunity_id TEXT NOT NULL DEFAULT '',
               ace_review_status  TEXT NOT NULL DEFAULT '',
               mpc_referral_id    TEXT NOT NULL DEFAULT '',
               registration_id    TEXT NOT NULL DEFAULT '',
               created_at         TEXT NOT NULL,
               updated_at         TEXT NOT NULL,
               last_activity_at   TEXT NOT NULL
           ))",
                // The board: each stage's most recently active rooms, with amounts for the column sums.
                "CREATE INDEX deal_rooms_board ON deal_rooms (stage, last_activity_at DESC, amount_minor)",
                "CREATE INDEX deal_rooms_domain ON deal_rooms (domain) WHERE domain <> ''",
                "CREATE INDEX deal_rooms_name_country ON deal_rooms (account_key, country) WHERE account_key <> ''",
                "CREATE INDEX deal_rooms_activity ON deal_rooms (last_activity_at)",
                R"(CREATE TABLE deal_room_participants (
               id              TEXT PRIMARY KEY,
               room_id         TEXT NOT NULL REFERENCES deal_rooms (id),
               organization_id TEXT NOT NULL REFERENCES organizations (id),
               role            TEXT NOT NULL CHECK (role = 'sourcing' OR role = 'fulfilling' OR role = 'influencing'
                                   OR role = 'technical' OR role = 'cloud_marketplace'),
               added_at        TEXT NOT NULL,
               UNIQUE (room_id, organization_id, role)
           ))",
                "CREATE INDEX deal_room_participants_organization ON deal_room_participants (organization_id)",
                R"(CREATE TABLE deal_room_people (
               id        TEXT PRIMARY KEY,
               room_id   TEXT NOT NULL REFERENCES deal_rooms (id),
               person_id TEXT NOT NULL REFERENCES people (id),
               added_at  TEXT NOT NULL,
               UNIQUE (room_id, person_id)
           ))",
                "CREATE INDEX deal_room_people_person ON deal_room_people (person_id)",
                R"(CREATE TABLE deal_events (
               id        TEXT PRIMARY KEY,
               room_id   TEXT NOT NULL REFERENCES deal_rooms (id),
               kind      TEXT NOT NULL CHECK (kind = 'note' OR kind = 'call' OR kind = 'meeting'
                             OR kind = 'stage_change' OR kind = 'participant_change' OR kind = 'system'),
               author_id TEXT NOT NULL DEFAULT '',
               actor     TEXT NOT NULL DEFAULT '',
               at        TEXT NOT NULL,
               text      TEXT NOT NULL DEFAULT '',
               detail    TEXT NOT NULL DEFAULT '{}'
           ))",
                "CREATE INDEX deal_events_room ON deal_events (room_id, at)",
                R"(CREATE TABLE deal_tasks (
               id         TEXT PRIMARY KEY,
               room_id    TEXT NOT NULL REFERENCES deal_rooms (id),
               title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
               owner_id   TEXT NOT NULL DEFAULT '',
               due_date   TEXT NOT NULL DEFAULT '',
               done_at    TEXT NOT NULL DEFAULT '',
               created_at TEXT NOT NULL
           ))",
                "CREATE INDEX deal_tasks_room ON deal_tasks (room_id)",
                "CREATE INDEX deal_tasks_open_due ON deal_tasks (due_date) WHERE done_at = '' AND due_date <> ''",
                // 25 MiB per document; DocumentLimit in models/deals says the same before SQLite is asked.
                R"(CREATE TABLE deal_documents (
               id       TEXT PRIMARY KEY,
               room_id  TEXT NOT NULL REFERENCES deal_rooms (id),
               name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
               mime     TEXT NOT NULL DEFAULT '',
               size     INTEGER NOT NULL CHECK (size >= 0 AND size <= 26214400),
               sha256   TEXT NOT NULL DEFAULT '',
               added_by TEXT NOT NULL DEFAULT '',
               added_at TEXT NOT NULL,
               content  BLOB CHECK (content IS NULL OR length(content) <= 26214400)
           ))",
                "CREATE INDEX deal_documents_room ON deal_documents (room_id)",
                R"(CREATE TABLE deal_registrations (
               id           TEXT PRIMARY KEY,
               partner_id   TEXT NOT NULL REFERENCES organizations (id),
               account_name TEXT NOT NULL CHECK (length(trim(account_name)) > 0),
               account_key  TEXT NOT NULL DEFAULT '',
               website      TEXT NOT NULL DEFAULT '',
               domain       TEXT NOT NULL DEFAULT '',
               country      TEXT NOT NULL DEFAULT '',
               amount_minor INTEGER NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
               currency     TEXT NOT NULL DEFAULT '',
               products     TEXT NOT NULL DEFAULT '[]',
               close_date   TEXT NOT NULL DEFAULT '',
               status       TEXT NOT NULL CHECK (status = 'submitted' OR status = 'under_review'
                                OR status = 'approved' OR status = 'rejected' OR status = 'returned'
                                OR status = 'expired'),
               reason       TEXT NOT NULL DEFAULT '',
               submitted_at TEXT NOT NULL,
               decided_at   TEXT NOT NULL DEFAULT '',
               approved_at  TEXT NOT NULL DEFAULT '',
               expires_at   TEXT NOT NULL DEFAULT '',
               room_id      TEXT NOT NULL DEFAULT '',
               updated_at   TEXT NOT NULL
           ))",
                "CREATE INDEX deal_registrations_domain ON deal_registrations (domain, status) WHERE domain <> ''",
                "CREATE INDEX deal_registrations_name_country ON deal_registrations (account_key, country) "
                "WHERE account_key <> ''",
                "CREATE INDEX deal_registrations_expiring ON deal_registrations (status, expires_at)",
                "CREATE INDEX deal_registrations_partner ON deal_registrations (partner_id, status)",
                R"(CREATE TABLE deal_referrals (
               id             TEXT PRIMARY KEY,
               from_org_id    TEXT NOT NULL REFERENCES organizations (id),
               to_org_id      TEXT NOT NULL REFERENCES organizations (id),
               account_name   TEXT NOT NULL CHECK (length(trim(account_name)) > 0),
               website        TEXT NOT NULL DEFAULT '',
               domain         TEXT NOT NULL DEFAULT '',
               country        TEXT NOT NULL DEFAULT '',
               need           TEXT NOT NULL DEFAULT '',
               contact        TEXT NOT NULL DEFAULT '',
               expected_minor INTEGER NOT NULL DEFAULT 0 CHECK (expected_minor >= 0),
               currency       TEXT NOT NULL DEFAULT '',
               fee_kind       TEXT NOT NULL CHECK (fee_kind = 'flat' OR fee_kind = 'percent'),
               fee_flat_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_flat_minor >= 0),
               fee_percent_bp INTEGER NOT NULL DEFAULT 0 CHECK (fee_percent_bp >= 0 AND fee_percent_bp <= 10000),
               status         TEXT NOT NULL CHECK (status = 'sent' OR status = 'accepted' OR status = 'declined'
                                  OR status = 'converted' OR status = 'expired'),
               reason         TEXT NOT NULL DEFAULT '',
               sent_at        TEXT NOT NULL,
               sla_due_at     TEXT NOT NULL,
               answered_at    TEXT NOT NULL DEFAULT '',
               room_id        TEXT NOT NULL DEFAULT '',
               updated_at     TEXT NOT NULL,
               CHECK (from_org_id <> to_org_id)
           ))",
                "CREATE INDEX deal_referrals_to ON deal_referrals (to_org_id, status)",
                "CREATE INDEX deal_referrals_from ON deal_referrals (from_org_id, status)",
                "CREATE INDEX deal_referrals_sla ON deal_referrals (status, sla_due_at)",
            });
}
} // namespace

std::vector<Migration> schema::migrations()
{
    return {
        {1, QStringLiteral("organizations, people, accounts and the change journal"), createCore},
        {2, QStringLiteral("sharing agreements and the consent ledger"), createGovernance},
        {3, QStringLiteral("opportunities and custom populations"), createOpportunities},
        {4, QStringLiteral("deal rooms, deal registrations and referrals"), createDeals},
        {5, QStringLiteral("marketplace listings, favourites and collaboration requests"), createMarketplace},
        {6, QStringLiteral("attribution model locks per period"), attribution::createAttributionLocks},
        {7, QStringLiteral("sync state and the conflict inbox"), sync::createSyncTables},
        {8, QStringLiteral("the quarantine of pulled rows that could not be applied"), sync::createQuarantine},
    };
}

} // namespace ecotone
