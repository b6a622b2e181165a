#pragma once

#include "mapping/CrmAccounts.h"

#include <QList>
#include <QString>

namespace ecotone {

// Matches two sides' CRM accounts (ours and a partner's) company to company. Pure: plain records in, plain
// results out, no database, so the CLI, the GUI and the server share it.
//
// Each side is first grouped into companies: records with the same registrable domain, or with the same
// normalized name and country (and no conflicting domains), are one company. Companies are then matched across
// sides by, in order of strength:
//   domain  same registrable domain                                             score 1.0
//   name    same normalized name, countries equal or either unknown             score 0.95
//   fuzzy   Jaro-Winkler of normalized names >= threshold and at most two edits score = similarity
//           apart, names of 8+ characters sharing a blocking key (first eight characters,
//           allowing one edit among them)
// name and fuzzy never link two records whose domains are both known and differ, unless allowed.
// fuzzy only runs between companies that no stronger rule matched, and only within blocks, so the work stays
// near-linear.
namespace matching {

enum class Rule
{
    Domain,
    Name,
    Fuzzy,
};
QString ruleKey(Rule rule); // "domain", "name", "fuzzy"

struct Options
{
    bool fuzzy = true;
    double fuzzyThreshold = 0.96; // Jaro-Winkler; also at most two edits apart
    bool allowNameWithDifferentDomains = false;
    qsizetype maxBlock = 300; // a fuzzy block larger than this on the other side is skipped (too generic a key)
};

// One linked pair of records (indices into the ours and theirs lists). Every record of a matched company is
// paired with every record of the company it matched; rule and score are those of the company link.
struct Match
{
    qsizetype ours = 0;
    qsizetype theirs = 0;
    Rule rule = Rule::Domain;
    double score = 1.0;
};

struct Side
{
    qsizetype records = 0;
    qsizetype companies = 0;        // distinct companies after grouping duplicates
    qsizetype matchedCompanies = 0; // companies that matched at least one company of the other side
    QList<qsizetype> companyOf;     // per record, its company index
};

// Populations of the overlap matrix, in display order.
const QStringList &populations(); // customer, opportunity, prospect

struct Cell
{
    QString ours;                  // population on our side
    QString theirs;                // population on their side
    qsizetype links = 0;           // matched company pairs
    qsizetype oursCompanies = 0;   // distinct companies on our side in this cell
    qsizetype theirsCompanies = 0; // distinct companies on their side in this cell
};

struct Result
{
    QList<Match> matches;
    Side ours;
    Side theirs;
    QList<Cell> cells;               // populations() x populations(), ours major
    qsizetype greenfield = 0;        // their customer companies matched to none of ours
    qsizetype greenfieldRecords = 0; // their customer records in those companies
    qsizetype links[3] = {0, 0, 0};  // matched company pairs per rule
};

Result match(const QList<CrmAccount> &ours, const QList<CrmAccount> &theirs, const Options &options = {});

} // namespace matching

} // namespace ecotone
