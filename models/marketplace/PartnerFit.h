#pragma once

#include "domain/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace ecotone {

class Workspace;

// One complementary partner for a chosen organization, with the facts behind it. reasons holds only facts
// that hold, most telling first; explanation joins them ("3 shared customers, integrates with your product,
// covers DACH where you are not present").
struct FitSuggestion
{
    QString partnerId;
    QString partnerName;
    QString tier;
    QStringList types; // partner type keys
    double score = 0;
    QStringList reasons;
    QString explanation;

    // The facts, for a pane that draws them as chips.
    QStringList integrations;       // "their X integrates with your Y" / "your Y integrates with their X"
    int sharedCustomers = -1;       // customer accounts both hold (same registrable domain); -1 when not shared
    bool overlapShared = false;     // sharing agreements in force allow at least Counts for both sides
    int jointDealRooms = 0;         // deal rooms both took part in
    QStringList complementaryTypes; // their types that complement yours
    QStringList newRegions;         // regions they cover where you are not present
    QStringList sharedRegions;
    QStringList newCapabilities; // capabilities they list and you do not
    // For an account (suggestForAccount): they hold it as a customer (only when sharing allows counting it),
    // deal rooms for it they took part in, listings for its industry, and whether they cover its country.
    bool knowsAccount = false;
    int accountDealRooms = 0;
    int industryListings = 0;
    QString accountRegion; // the account's region when they cover it
};

struct FitOptions
{
    int limit = 10;
    QDateTime now; // when agreements are judged; invalid = the current time
};

// Suggests complementary partners for one organization. Scoring (docs/marketplace.md): integrations between
// their listings 4 each (at most 3), shared customers 0.5 each (at most 20) when sharing agreements in force
// allow at least Counts on the customer population for both organizations (the vendor needs none), joint deal
// rooms 2 each (at most 3), a complementary partner type 3, regions they add 1 each (at most 3), shared
// regions 0.5 each (at most 2), capabilities they add 0.5 each (at most 3). Ties: name, then id.
// Builds an in-memory map of customer domains to their owners on first use (one pass over accounts) and keeps
// it; call reload() after imports. Use it on the thread that opened the workspace; for a worker thread open a
// Workspace there.
class PartnerFit
{
public:
    explicit PartnerFit(Workspace &workspace);
    ~PartnerFit();

    Result<QList<FitSuggestion>> suggest(const QString &organizationId, const FitOptions &options = {});
    // Partners to bring into one account (any organization's; usually the vendor's own): scoring in
    // docs/marketplace.md — they have it as a customer 6 (only where customer sharing in force allows counting, for
    // both the account's owner and them), deal rooms for it 3 each (at most 2), they cover its region 2, published
    // listings for its industry 1 each (at most 3), a Platinum or Gold tier 0.5. Same explanations as suggest().
    Result<QList<FitSuggestion>> suggestForAccount(const QString &accountId, const FitOptions &options = {});
    void reload();

private:
    struct Data;
    Status load();

    Workspace &m_workspace;
    std::unique_ptr<Data> m_data;
};

} // namespace ecotone
