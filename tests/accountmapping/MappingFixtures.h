#pragma once

// A small hand-made ecosystem with known overlaps, shared by the account mapping tests.
#include "TestSupport.h"
#include "store/Repositories.h"

namespace ecotone::test {

struct SmallEcosystem
{
    std::unique_ptr<Workspace> ws;
    QString vendorId;
    QString partnerId;
    QString emptyPartnerId;
};

inline Account account(const QString &owner, const QString &name, const QString &website, const QString &country,
                       AccountStatus status, const QString &industry = {})
{
    Account a;
    a.ownerId = owner;
    a.name = name;
    a.website = website;
    a.country = country;
    a.status = status;
    a.industry = industry;
    a.crmSource = QStringLiteral("csv");
    a.externalId = QStringLiteral("X-") + name.left(5);
    return a;
}

// Ours (vendor): Acme customer, Beta prospect, Gamma opportunity (no website), Delta twice (a customer record and a
// prospect record: one company, a customer), Kappa customer that the partner does not have.
// Theirs: Acme customer (domain), Beta customer (domain), Gamma prospect (name), Delta opportunity (domain),
// Omega customer and Zeta prospect that we do not have (Omega is greenfield).
// Expected cells (ours x theirs): customer x customer 1 (Acme), customer x opportunity 1 (Delta),
// prospect x customer 1 (Beta), opportunity x prospect 1 (Gamma); greenfield 1 (Omega).
inline SmallEcosystem smallEcosystem(const QString &path)
{
    SmallEcosystem e;
    e.ws = createWorkspace(path);
    if (!e.ws)
        return e;
    OrganizationRepository orgs(*e.ws);
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Vendor Co");
    (void)orgs.insert(vendor);
    Organization partner;
    partner.name = QStringLiteral("Partner One");
    partner.types = {PartnerType::Reseller};
    (void)orgs.insert(partner);
    Organization empty;
    empty.name = QStringLiteral("Empty Partner");
    empty.types = {PartnerType::Referral};
    (void)orgs.insert(empty);
    e.vendorId = vendor.id;
    e.partnerId = partner.id;
    e.emptyPartnerId = empty.id;
    const QString v = vendor.id, p = partner.id;
    QList<Account> accounts{
        account(v, QStringLiteral("Acme Inc."), QStringLiteral("https://www.acme.com"), QStringLiteral("US"),
                AccountStatus::Customer, QStringLiteral("Retail")),
        account(v, QStringLiteral("Beta Systems GmbH"), QStringLiteral("beta.de"), QStringLiteral("DE"),
                AccountStatus::Prospect, QStringLiteral("Banking")),
        account(v, QStringLiteral("Gamma Werke AG"), QString(), QStringLiteral("DE"), AccountStatus::Opportunity,
                QStringLiteral("Manufacturing")),
        account(v, QStringLiteral("Delta Corp"), QStringLiteral("delta.com"), QStringLiteral("US"),
                AccountStatus::Customer),
        account(v, QStringLiteral("Delta Corporation"), QStringLiteral("http://delta.com/x"), QStringLiteral("US"),
                AccountStatus::Prospect),
        account(v, QStringLiteral("Kappa Ltd"), QStringLiteral("kappa.co.uk"), QStringLiteral("GB"),
                AccountStatus::Customer),
        account(p, QStringLiteral("ACME"), QStringLiteral("acme.com"), QStringLiteral("US"), AccountStatus::Customer,
                QStringLiteral("Retail")),
        account(p, QStringLiteral("Beta Systems"), QStringLiteral("www.beta.de"), QStringLiteral("DE"),
                AccountStatus::Customer, QStringLiteral("Banking")),
        account(p, QStringLiteral("Gamma Werke"), QString(), QStringLiteral("Germany"), AccountStatus::Prospect),
        account(p, QStringLiteral("Delta"), QStringLiteral("delta.com"), QStringLiteral("US"),
                AccountStatus::Opportunity),
        account(p, QStringLiteral("Omega Partners"), QStringLiteral("omega.net"), QStringLiteral("FR"),
                AccountStatus::Customer),
        account(p, QStringLiteral("Zeta Group"), QStringLiteral("zeta.org"), QStringLiteral("IT"),
                AccountStatus::Prospect),
    };
    AccountRepository repo(*e.ws);
    if (Status s = repo.insertMany(accounts); !s)
        qWarning("smallEcosystem: %s", qPrintable(s.error()));
    return e;
}

} // namespace ecotone::test
