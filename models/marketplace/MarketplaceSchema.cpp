#include "MarketplaceSchema.h"

#include "store/Workspace.h"

#include <QSqlQuery>

namespace ecotone {

namespace {
Status runStatements(QSqlDatabase &db, std::initializer_list<const char *> statements)
{
    QSqlQuery q(db);
    for (const char *sql : statements) {
        if (!q.exec(QString::fromUtf8(sql)))
            return sqlError(q, QString::fromUtf8(sql).simplified().left(60));
    }
    return {};
}
} // namespace

// listings.doc is an INTEGER PRIMARY KEY so that it survives VACUUM: it is the rowid of listing_search, the
// full-text index, which the search engine joins to its in-memory facet table. The id (UUIDv7) is what the
// journal and sync know. listing_search is derived (not journaled) and kept in step by triggers, including
// the partner name when an organization is renamed. tags holds the facet values as words, so "security" finds
// a listing filed under Security even when its text never says so.
Status createMarketplace(QSqlDatabase &db)
{
    return runStatements(
        db,
        {
            R"(CREATE TABLE listings (
               doc             INTEGER PRIMARY KEY,
               id              TEXT NOT NULL UNIQUE,
               organization_id TEXT NOT NULL REFERENCES organizations (id),
               kind            TEXT NOT NULL CHECK (kind = 'product' OR kind = 'service' OR kind = 'integration'
                                   OR kind = 'bundle'),
               title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
               summary         TEXT NOT NULL DEFAULT '',
               description     TEXT NOT NULL DEFAULT '',
               categories      TEXT NOT NULL DEFAULT '[]',
               industries      TEXT NOT NULL DEFAULT '[]',
               regions         TEXT NOT NULL DEFAULT '[]',
               languages       TEXT NOT NULL DEFAULT '[]',
               clouds          TEXT NOT NULL DEFAULT '[]',
               certifications  TEXT NOT NULL DEFAULT '[]',
               pricing_model   TEXT NOT NULL DEFAULT '',
               contact         TEXT NOT NULL DEFAULT '',
               logo            BLOB NOT NULL DEFAULT '' CHECK (length(logo) <= 262144),
               integrates_with TEXT NOT NULL DEFAULT '[]',
               bundle_members  TEXT NOT NULL DEFAULT '[]',
               state           TEXT NOT NULL CHECK (state = 'draft' OR state = 'published'),
               created_at      TEXT NOT NULL,
               updated_at      TEXT NOT NULL
           ))",
            "CREATE INDEX listings_organization ON listings (organization_id, state)",
            R"(CREATE VIRTUAL TABLE listing_search USING fts5(title, summary, description, partner, tags,
                   tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'))",
            R"(CREATE TRIGGER listing_search_insert AFTER INSERT ON listings BEGIN
                   INSERT INTO listing_search (rowid, title, summary, description, partner, tags) VALUES (
                       new.doc, new.title, new.summary, new.description,
                       coalesce((SELECT name FROM organizations WHERE id = new.organization_id), ''),
                       new.kind || ' ' || coalesce((SELECT group_concat(value, ' ') FROM (
                           SELECT value FROM json_each(new.categories) UNION ALL
                           SELECT value FROM json_each(new.industries) UNION ALL
                           SELECT value FROM json_each(new.regions) UNION ALL
                           SELECT value FROM json_each(new.languages) UNION ALL
                           SELECT value FROM json_each(new.clouds) UNION ALL
                           SELECT value FROM json_each(new.certifications))), ''));
               END)",
            R"(CREATE TRIGGER listing_search_update AFTER UPDATE OF organization_id, kind, title, summary, description,
                   categories, industries, regions, languages, clouds, certifications ON listings BEGIN
                   UPDATE listing_search SET title = new.title, summary = new.summary, description = new.description,
                       partner = coalesce((SELECT name FROM organizations WHERE id = new.organization_id), ''),
                       tags = new.kind || ' ' || coalesce((SELECT group_concat(value, ' ') FROM (
                           SELECT value FROM json_each(new.categories) UNION ALL
                           SELECT value FROM json_each(new.industries) UNION ALL
                           SELECT value FROM json_each(new.regions) UNION ALL
                           SELECT value FROM json_each(new.languages) UNION ALL
                           SELECT value FROM json_each(new.clouds) UNION ALL
                           SELECT value FROM json_each(new.certifications))), '')
                   WHERE rowid = new.doc;
               END)",
            R"(CREATE TRIGGER listing_search_delete AFTER DELETE ON listings BEGIN
                   DELETE FROM listing_search WHERE rowid = old.doc;
               END)",
            R"(CREATE TRIGGER listing_search_partner AFTER UPDATE OF name ON organizations BEGIN
                   UPDATE listing_search SET partner = new.name
                   WHERE rowid IN (SELECT doc FROM listings WHERE organization_id = new.id);
               END)",
            // owner: who marked it ('' is the local user of this workspace; a person id once there are several).
            R"(CREATE TABLE listing_favourites (
               id         TEXT PRIMARY KEY,
               listing_id TEXT NOT NULL REFERENCES listings (id),
               owner      TEXT NOT NULL DEFAULT '',
               created_at TEXT NOT NULL,
               UNIQUE (listing_id, owner)
           ))",
            // listing_id and result_id are '' for "none" and carry no REFERENCES (the journaled writer stores '');
            // result_id is the deal room or referral an accepted request became.
            R"(CREATE TABLE collaboration_requests (
               id              TEXT PRIMARY KEY,
               kind            TEXT NOT NULL CHECK (kind = 'introduction' OR kind = 'co_sell' OR kind = 'referral'),
               from_org        TEXT NOT NULL REFERENCES organizations (id),
               to_org          TEXT NOT NULL REFERENCES organizations (id),
               listing_id      TEXT NOT NULL DEFAULT '',
               account_name    TEXT NOT NULL DEFAULT '',
               account_website TEXT NOT NULL DEFAULT '',
               message         TEXT NOT NULL DEFAULT '',
               status          TEXT NOT NULL CHECK (status = 'sent' OR status = 'accepted' OR status = 'declined'),
               reason          TEXT NOT NULL DEFAULT '',
               created_at      TEXT NOT NULL,
               answered_at     TEXT NOT NULL DEFAULT '',
               result_id       TEXT NOT NULL DEFAULT '',
               CHECK (from_org <> to_org)
           ))",
            "CREATE INDEX collaboration_requests_to ON collaboration_requests (to_org, status)",
            "CREATE INDEX collaboration_requests_from ON collaboration_requests (from_org, status)",
        });
}

} // namespace ecotone
