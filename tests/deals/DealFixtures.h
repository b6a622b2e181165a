#pragma once

// Helpers shared by the deal tests: a workspace with a vendor, three partners and their people, and a fixed
// clock the repositories share.
#include "TestSupport.h"
#include "store/Repositories.h"

#include <QDateTime>

namespace ecotone::test {

struct DealWorld
{
    QString vendor, acmeResellers, cloudCo, techPartner; // organization ids
    QString vendorAdmin, vendorRep;                      // people of the vendor
    QString resellerRep, cloudRep, techRep;              // one person per partner
};

inline QString addOrg(Workspace &ws, const QString &name, OrganizationKind kind, const QString &website)
{
    OrganizationRepository repo(ws);
    Organization org;
    org.kind = kind;
    org.name = name;
    org.website = website;
    if (kind == OrganizationKind::Partner)
        org.types = {PartnerType::Reseller};
    if (Status s = repo.insert(org); !s) {
        qWarning("addOrg: %s", qPrintable(s.error()));
        return {};
    }
    return org.id;
}

inline QString addPerson(Workspace &ws, const QString &org, const QString &name, const QString &email,
                         const QString &role = QStringLiteral("Partner Manager"))
{
    PersonRepository repo(ws);
    Person p{QString(), org, name, email, role};
    if (Status s = repo.insert(p); !s) {
        qWarning("addPerson: %s", qPrintable(s.error()));
        return {};
    }
    return p.id;
}

inline DealWorld makeDealWorld(Workspace &ws)
{
    DealWorld w;
    w.vendor = addOrg(ws, QStringLiteral("Vendorly"), OrganizationKind::Vendor, QStringLiteral("vendorly.example"));
    w.acmeResellers =
        addOrg(ws, QStringLiteral("Northwind Resale"), OrganizationKind::Partner, QStringLiteral("northwind.example"));
    w.cloudCo =
        addOrg(ws, QStringLiteral("Cloudy Systems"), OrganizationKind::Partner, QStringLiteral("cloudy.example"));
    w.techPartner =
        addOrg(ws, QStringLiteral("Techtonic"), OrganizationKind::Partner, QStringLiteral("techtonic.example"));
    w.vendorAdmin = addPerson(ws, w.vendor, QStringLiteral("Ada Admin"), QStringLiteral("ada@vendorly.example"),
                              QStringLiteral("Channel Admin"));
    w.vendorRep = addPerson(ws, w.vendor, QStringLiteral("Victor Rep"), QStringLiteral("victor@vendorly.example"));
    w.resellerRep =
        addPerson(ws, w.acmeResellers, QStringLiteral("Rita Reseller"), QStringLiteral("rita@northwind.example"));
    w.cloudRep = addPerson(ws, w.cloudCo, QStringLiteral("Carl Cloud"), QStringLiteral("carl@cloudy.example"));
    w.techRep = addPerson(ws, w.techPartner, QStringLiteral("Tina Tech"), QStringLiteral("tina@techtonic.example"));
    return w;
}

// A clock tests move by hand.
struct FakeClock
{
    QDateTime now = QDateTime(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC);
    auto fn()
    {
        return [this] { return now; };
    }
};

} // namespace ecotone::test
