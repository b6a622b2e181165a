#pragma once

#include <QDate>
#include <QHash>
#include <QString>
#include <QStringList>

namespace ecotone {

// Partner types of the program; one organization may hold several. Stored by their key().
enum class PartnerType
{
    Reseller,
    Technology,
    Hyperscaler,
    SystemsIntegrator,
    Isv,
    Referral,
};

namespace partnertype {
QList<PartnerType> all();
QString key(PartnerType type); // stable storage key, e.g. "systems_integrator"
QStringList keys(const QList<PartnerType> &types);
std::optional<PartnerType> fromKey(const QString &key); // also accepts display names, case-insensitive
QString displayName(PartnerType type);                  // translated
} // namespace partnertype

enum class OrganizationKind
{
    Vendor,
    Partner,
};

// A vendor or partner organization. Lists are kept sorted-as-entered; ids are client-generated UUIDv7 text.
struct Organization
{
    QString id;
    OrganizationKind kind = OrganizationKind::Partner;
    QString name;
    QList<PartnerType> types;
    QString tier; // one of tiers(), empty for the vendor
    QStringList regions;
    QStringList industries;
    QStringList capabilities;
    QString website; // normalized URL, e.g. https://example.com
    QString domain;  // registrable domain of website, e.g. example.com
    QString description;
    QString status = QStringLiteral("active"); // active | onboarding | inactive
    QDate joinDate;

    bool operator==(const Organization &) const = default;
};

namespace organization {
QStringList tiers();    // program levels, lowest first
QStringList statuses(); // storage keys
QString statusDisplayName(const QString &status);
QStringList regions(); // the program's sales regions
// The ISO 3166 country codes each sales region covers (the demo's and partner fit's shared geography).
QHash<QString, QStringList> regionCountries();
QStringList industries();
QString kindKey(OrganizationKind kind);
OrganizationKind kindFromKey(const QString &key);

// Validation of a record as a user entered it. Returns one message per problem, empty when valid.
QStringList validate(const Organization &org);
} // namespace organization

struct Person
{
    QString id;
    QString organizationId;
    QString name;
    QString email;
    QString role;

    bool operator==(const Person &) const = default;
};

enum class AccountStatus
{
    Customer,
    Prospect,
    Opportunity,
};

namespace accountstatus {
QString key(AccountStatus status);
std::optional<AccountStatus> fromKey(const QString &key);
QString displayName(AccountStatus status);
} // namespace accountstatus

// A company as it appears in one organization's CRM.
struct Account
{
    QString id;
    QString ownerId;
    QString name;
    QString website;
    QString domain;
    QString country; // ISO 3166-1 alpha-2
    QString industry;
    AccountStatus status = AccountStatus::Prospect;
    QString crmSource; // salesforce | hubspot | csv | demo
    QString externalId;

    bool operator==(const Account &) const = default;
};

} // namespace ecotone
