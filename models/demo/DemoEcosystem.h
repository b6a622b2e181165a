#pragma once

#include "domain/Result.h"

#include <QString>

#include <functional>

namespace ecotone {

struct DemoOptions
{
    int partners = 250;
    qint64 accounts = 20000;
    quint64 seed = 1;
    int year = 0; // opportunities close around this year; 0 means the current one
    // Co-sell data (addDemoDeals) and marketplace listings (addDemoListings); 0 leaves them out.
    int dealRooms = 0;
    int eventsPerRoom = 10;
    int listingsPerPartnerMin = 0;
    int listingsPerPartnerMax = 0;
    // Called now and then with accounts written so far; return false to cancel (the file is then removed).
    std::function<bool(qint64 done, qint64 total)> progress;
};

struct DemoSummary
{
    int partners = 0;
    qint64 people = 0;
    qint64 accounts = 0;
    qint64 companies = 0; // distinct companies behind the accounts
    qint64 opportunities = 0;
    qint64 dealRooms = 0;
    qint64 listings = 0;
};

// Builds a synthetic, deterministic ecosystem into a new workspace file: one vendor, partners of all six types
// across tiers and regions, their contacts, and CRM accounts drawn from a shared pool of companies so that
// overlaps look real (large companies sit in many CRMs, most in few; names and websites vary per CRM, and a
// few CRMs hold duplicates), with an open opportunity for each account in the opportunity population and won or
// lost ones for some customers. Every name is made up from syllables; no real company data is shipped.
Result<DemoSummary> createDemoWorkspace(const QString &path, const DemoOptions &options);

} // namespace ecotone
