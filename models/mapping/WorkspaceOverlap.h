#pragma once

#include "domain/Organization.h"
#include "domain/Result.h"
#include "governance/ConsentLedger.h"
#include "governance/SharingAgreement.h"
#include "mapping/Matcher.h"
#include "mapping/PopulationRepository.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QSqlDatabase;

namespace ecotone {

// The overlap matrix of the workspace's vendor (ours) and one partner (theirs), computed from the accounts stored in
// the workspace with matching::match. Plain data out; governance (what of the partner's side may be shown) is
// applied by the caller at the moment of showing.
namespace overlap {

// A row or column of the matrix: a standard population (a company's strongest status) or a custom one (a company
// with at least one record passing the filter). key is what sharing agreements name: customer, opportunity,
// prospect or custom:<name>.
struct Population
{
    QString key;
    QString label;
    std::optional<PopulationFilter> filter; // set for custom populations
};
QList<Population> standardPopulations(); // Customers, Open Opportunities, Prospects
QList<Population> populationsWith(const QList<CustomPopulation> &custom);

// One organization's accounts as loaded from the workspace, with the keys the matcher compares. Shared read-only
// between threads once built.
struct SideAccounts
{
    QString ownerId;
    QList<Account> accounts;
    QList<CrmAccount> keys; // parallel to accounts; crmId is the account id
    qsizetype companies = 0;

    // Vendor side only: lookups that find the records a partner's records can match, so a partner switch matches
    // a few hundred of our records instead of all of them (see subsetFor in the .cpp).
    bool indexed = false;
    QMultiHash<QString, qsizetype> byDomain;
    QMultiHash<QString, qsizetype> byName;             // normalized name
    QMultiHash<QString, qsizetype> byNameCountry;      // normalized name + country key: grouping's name rule
    std::vector<std::pair<quint64, qsizetype>> blocks; // fuzzy blocking key -> record, sorted
};

// Reads an owner's accounts through db (any connection of the calling thread). withIndexes builds the vendor
// lookups and counts companies.
Result<std::shared_ptr<const SideAccounts>> loadSide(QSqlDatabase &db, const QString &ownerId, bool withIndexes);

// One record pair of the overlap: indices into ours->accounts and theirs->accounts.
struct Pair
{
    qsizetype ours = 0;
    qsizetype theirs = 0;
    matching::Rule rule = matching::Rule::Domain;
    double score = 1.0;
};

struct Cell
{
    qsizetype links = 0;           // matched company pairs: the number shown
    qsizetype oursCompanies = 0;   // distinct companies of ours in the cell
    qsizetype theirsCompanies = 0; // distinct companies of theirs in the cell
    qsizetype theirsRecords = 0;   // distinct records of theirs in the cell's pairs
    QList<qsizetype> pairs;        // indices into Overlap::pairs
};

struct SideSummary
{
    qsizetype records = 0;
    qsizetype companies = 0;
    qsizetype matchedCompanies = 0;
    qsizetype duplicateRecords() const { return records - companies; }
};

struct Overlap
{
    QString partnerId;
    std::shared_ptr<const SideAccounts> ours;
    std::shared_ptr<const SideAccounts> theirs;
    QList<Population> populations;
    QList<Cell> cells; // populations x populations, ours major
    QList<Pair> pairs;
    SideSummary oursSummary;
    SideSummary theirsSummary;
    QList<qsizetype> greenfield; // their customer records in customer companies matched to none of ours
    qsizetype greenfieldCompanies = 0;
    QList<QList<qsizetype>> theirsByPopulation; // per population, their records in it

    const Cell &cell(qsizetype row, qsizetype column) const { return cells.at(row * populations.size() + column); }
    qsizetype maxLinks() const;
};

// Matches ours against theirs. When ours is indexed, only the part of it that can touch theirs is matched (same
// result as matching all of it: the part is closed under the grouping rules and holds every candidate).
Overlap compute(const std::shared_ptr<const SideAccounts> &ours, const std::shared_ptr<const SideAccounts> &theirs,
                const QList<Population> &populations, const matching::Options &options = {});

// Partners of the workspace with their account counts, for the picker.
struct PartnerEntry
{
    QString id;
    QString name;
    qint64 accounts = 0;
};

// The workspace file seen from a worker thread: each call opens a read-only connection of its own; the vendor's
// loaded side is cached between calls (thread-safe), which is what makes a partner switch fast.
class OverlapSource
{
public:
    explicit OverlapSource(QString path);

    Result<QList<PartnerEntry>> partners();
    // cancel, when set, is polled between phases; a cancelled call returns an error with an empty message.
    Result<Overlap> compute(const QString &partnerId, const QList<Population> &populations,
                            const std::atomic_bool *cancel = nullptr);
    void forgetVendor(); // after the vendor's accounts changed

private:
    template <typename F> auto withConnection(F &&work) -> decltype(work(std::declval<QSqlDatabase &>()));

    QString m_path;
    QMutex m_mutex;
    std::shared_ptr<const SideAccounts> m_vendor;
};

// ---- Governance: what of the partner's side may be shown. In this single-workspace model the agreement for
// (partner, population) is read as the terms under which the partner shares that population of its accounts with
// us (docs/mapping.md, "Account Mapping pane"). Our own side is always shown in full.

// The terms in force for one of their populations at a moment.
struct Terms
{
    SharingLevel level = SharingLevel::Hidden; // effective level: Hidden when missing, unconsented, revoked, expired
    QStringList fields;                        // shared fields at Overlap and Full
    QString agreementId;                       // '' when there is no agreement
    std::optional<SharingLevel> stored;        // the agreement's own level, when there is one
    QString why;                               // why it is not in force (translated), '' when it is
    bool countsVisible() const { return level != SharingLevel::Hidden; }
    bool recordsVisible() const { return level == SharingLevel::Overlap || level == SharingLevel::Full; }
};
Terms termsFor(const QList<SharingAgreement> &partnerAgreements, const QString &population, const QDateTime &now);

// Their fields as agreements name them (sharing::shareableFields), from an account.
QMap<QString, QString> shareableValues(const Account &account);

// Rows of a drill-down, already reduced to what the terms allow: pairs index Overlap::pairs (empty for greenfield),
// theirs holds only the agreed fields (same order and length as pairs, or the greenfield records).
struct DrillDown
{
    enum class Kind
    {
        Cell,
        Greenfield,
    };
    Kind kind = Kind::Cell;
    QString partnerId;
    QString ourPopulation;   // population keys; '' for greenfield
    QString theirPopulation; // customer for greenfield
    Terms terms;
    bool allowed = false;
    QList<qsizetype> pairs;
    QList<QMap<QString, QString>> theirs;
};

// The drill-down of one cell (allowed at Overlap and Full) or the greenfield list (allowed at Full for Customers).
DrillDown cellDrillDown(const Overlap &overlap, qsizetype row, qsizetype column, const Terms &terms);
DrillDown greenfieldDrillDown(const Overlap &overlap, const Terms &customerTerms);

// The CSV columns of a drill-down: ours (name, domain, country, status), theirs (the agreed fields), rule, score.
QStringList csvHeader(const DrillDown &drill);
QList<QStringList> csvRows(const Overlap &overlap, const DrillDown &drill);

// Shows and exports partner data under the agreements of the workspace, writing a ledger entry for every view and
// export. Terms are read from the workspace at each call, so a revoke or an expiry takes effect at once.
class GovernedOverlap
{
public:
    GovernedOverlap(Workspace &workspace, QString actor);

    Result<QList<SharingAgreement>> agreements(const QString &partnerId);
    Result<Terms> terms(const QString &partnerId, const QString &population);
    // A drill-down that is allowed and shown appends a "view" entry; a refused one appends nothing.
    Result<DrillDown> viewCell(const Overlap &overlap, qsizetype row, qsizetype column);
    Result<DrillDown> viewGreenfield(const Overlap &overlap);
    // Re-evaluates the terms, writes only what they allow, then appends an "export" entry. Returns the rows written.
    Result<qint64> exportCsv(const Overlap &overlap, const DrillDown &shown, const QString &path);

    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); } // for tests
    static QString defaultActor(const Workspace &workspace);                        // the OS user, else the device

private:
    Status record(const QString &action, const DrillDown &drill, qint64 rows, const QString &file);

    Workspace &m_workspace;
    QString m_actor;
    std::function<QDateTime()> m_clock;
};

} // namespace overlap

} // namespace ecotone
