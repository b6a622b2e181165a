#pragma once

#include "deals/DealTypes.h"

#include <memory>

class QSqlQuery;

namespace ecotone {

class Workspace;

// A channel conflict: another claim on the same account, with the evidence a channel manager needs to judge it.
struct Conflict
{
    enum class Record
    {
        Registration, // another partner's active registration
        Room,         // an open deal room
    };
    enum class Rule
    {
        Domain,      // same registrable domain (subdomains included)
        NameCountry, // same normalized company name in the same country
    };
    Record record = Record::Registration;
    Rule rule = Rule::Domain;
    QString recordId;
    QString accountName; // as the other record spells it
    QString status;      // the registration's status key, or the room's stage
    QString partnerId;   // the registration's partner (empty for rooms)
    QString partnerName; // the registration's partner, or the room's participants joined with ", "
    QString ours;        // the compared value on our side: a domain, or "name key | country"
    QString theirs;      // the same on theirs
    QString oursInput;   // what it was derived from (website, or name and country as typed/stored)
    QString theirsInput;

    QString recordKey() const; // "registration" | "room"
    QString ruleKey() const;   // "domain" | "name_country"
    QString describe() const;  // one translated sentence with the evidence
};

// Finds channel conflicts with index lookups only (deal_registrations_domain / _name_country, deal_rooms_domain /
// _name_country), so a check costs the same on 100 or 100,000 rooms. The rules (docs/deals.md):
// - same registrable domain: conflict;
// - same normalized name and the same, known country: conflict, unless both sides have domains and they differ
//   (then the domains say these are different companies with the same name);
// - same name in another country, or different domains: look-alikes, not conflicts.
class ConflictChecker
{
public:
    explicit ConflictChecker(Workspace &workspace);
    ~ConflictChecker();

    // Active registrations (submitted, under review, approved, returned) of partners other than partnerId and
    // open deal rooms on the account. excludeRegistrationId skips the registration being checked.
    Result<QList<Conflict>> check(const DealAccount &account, const QString &partnerId,
                                  const QString &excludeRegistrationId = {});
    // Approved registrations (of any partner) on the account whose product set overlaps products; an empty set
    // stands for every product. Approving another one would give the account two protections.
    Result<QList<Conflict>> approvedOverlaps(const DealAccount &account, const QStringList &products,
                                             const QString &excludeRegistrationId = {});

    // The four lookups (registrations and rooms, by domain and by name and country), for query-plan tests.
    static QStringList lookupStatements();

private:
    Status registrations(const DealAccount &account, const QString &excludeId, bool approvedOnly, QList<Conflict> &out,
                         QList<QStringList> *products);
    Status rooms(const DealAccount &account, QList<Conflict> &out);

    Workspace &m_workspace;
    std::unique_ptr<QSqlQuery> m_regByDomain;
    std::unique_ptr<QSqlQuery> m_regByName;
    std::unique_ptr<QSqlQuery> m_roomByDomain;
    std::unique_ptr<QSqlQuery> m_roomByName;
    std::unique_ptr<QSqlQuery> m_roomPartners;
};

} // namespace ecotone
