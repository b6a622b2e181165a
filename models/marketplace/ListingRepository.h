#pragma once

#include "domain/Result.h"
#include "marketplace/Listing.h"
#include "store/TableWriter.h"

#include <QList>

#include <functional>
#include <memory>

class QSqlQuery;

namespace ecotone {

class Workspace;

// Stores marketplace listings and favourites. Every write goes through a TableWriter, so it is journaled in the
// same transaction; the full-text index follows by triggers. Validation names every problem in one message:
// the record's own rules (listing::validate) plus what needs the database (the organization exists, the
// listings an integration or bundle names exist, a bundle combines listings of at least two organizations).
class ListingRepository
{
public:
    explicit ListingRepository(Workspace &workspace);
    ~ListingRepository();

    // Tests fix the time; the default is the wall clock (UTC).
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }

    // Assigns id (when empty) and timestamps. The state is the listing's (Draft by default).
    Status create(Listing &listing);
    // All or nothing, one transaction; for imports and the demo.
    Status createMany(QList<Listing> &listings);
    // Writes the changed fields (journal: one entry per field) and moves updated_at. Not the state: publish().
    Status update(Listing &listing);
    // Publishing needs a summary and at least one category, so every card in the grid has something to show.
    Status publish(const QString &id);
    Status unpublish(const QString &id);
    // Refused while a bundle includes the listing; takes its favourites with it.
    Status remove(const QString &id);

    Result<Listing> find(const QString &id);
    // Newest first.
    Result<QList<Listing>> forOrganization(const QString &organizationId, bool includeDrafts = true);

    // owner: '' for the local user of the workspace. Returns whether the listing is a favourite afterwards.
    Result<bool> toggleFavourite(const QString &listingId, const QString &owner = {});
    Result<bool> isFavourite(const QString &listingId, const QString &owner = {});
    Result<QStringList> favourites(const QString &owner = {}); // listing ids, most recently marked first

private:
    QStringList check(const Listing &listing);
    Status setState(const QString &id, ListingState state);
    Status writeLogo(const QString &id, const QByteArray &logo);
    QDateTime now() const;

    Workspace &m_workspace;
    std::function<QDateTime()> m_now;
    TableWriter m_writer;
    TableWriter m_favourites;
};

} // namespace ecotone
