#pragma once

#include "TestSupport.h"
#include "marketplace/ListingRepository.h"
#include "marketplace/MarketplaceSchema.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QSqlQuery>
#include <QTest>

namespace ecotone::test {

// A new workspace with the marketplace tables. Until schema step 5 is registered in schema::migrations(), the
// step is applied here; afterwards the check finds the tables and does nothing.
inline std::unique_ptr<Workspace> marketplaceWorkspace(const QString &path)
{
    auto ws = createWorkspace(path);
    if (!ws)
        return ws;
    QSqlQuery q(ws->db());
    if (q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'listings'")) && !q.next()) {
        if (!ws->begin() || !createMarketplace(ws->db()) || !ws->commit())
            return nullptr;
    }
    return ws;
}

inline QString addPartner(Workspace &ws, const QString &name, const QList<PartnerType> &types,
                          const QString &tier = QStringLiteral("Gold"), const QStringList &regions = {},
                          const QString &website = {})
{
    Organization o;
    o.name = name;
    o.types = types;
    o.tier = tier;
    o.regions = regions;
    o.website = website;
    OrganizationRepository repo(ws);
    const Status s = repo.insert(o);
    if (!s)
        qWarning("addPartner: %s", qPrintable(s.error()));
    return o.id;
}

inline QString addVendor(Workspace &ws, const QString &name = QStringLiteral("Vendor Corp"))
{
    Organization o;
    o.kind = OrganizationKind::Vendor;
    o.name = name;
    OrganizationRepository repo(ws);
    const Status s = repo.insert(o);
    if (!s)
        qWarning("addVendor: %s", qPrintable(s.error()));
    return o.id;
}

inline Listing makeListing(const QString &org, const QString &title, const QString &summary = QStringLiteral("Summary"),
                           const QStringList &categories = {QStringLiteral("Security")})
{
    Listing l;
    l.organizationId = org;
    l.title = title;
    l.summary = summary;
    l.categories = categories;
    l.state = ListingState::Published;
    return l;
}

} // namespace ecotone::test
