#pragma once

#include "domain/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace ecotone {

// One account row of a CRM export, as read (name, website, country) and as compared (normalizedName,
// registrableDomain, countryKey).
struct CrmAccount
{
    QString crmId;
    QString name;
    QString website;
    QString registrableDomain; // eTLD+1 of website (libpsl); empty without a usable website
    QString country;
    QString status; // "customer", "opportunity", "prospect" or empty (other)
    qint64 sourceLine = 0;
    QString normalizedName; // companynames::normalize(name)
    QString countryKey;     // companynames::countryKey(country)
};

struct CrmReadOptions
{
    QString idColumn; // header of the id column when it is not one of the known ones
    // Keep only what matching needs (crmId, registrableDomain, normalizedName, countryKey, status, sourceLine)
    // and drop name, website and country as read: a third less memory for a million-row export.
    bool compact = false;
    // Compute normalizedName and countryKey (matching needs them; an import into the workspace does not).
    bool matchingKeys = true;
    // When set, each good row goes here as it is read instead of into CrmAccountFile::accounts, so a consumer
    // can work while the file is still being read (the import writes on another thread).
    std::function<void(CrmAccount &&)> sink;
};

struct CrmAccountFile
{
    QString file;
    QList<CrmAccount> accounts;
    QStringList problems; // "file:line: column: reason" for every row that was skipped
};

namespace crmaccounts {

// Maps a Salesforce Type or HubSpot Lifecycle Stage value to a population key ("customer", "opportunity",
// "prospect"), or an empty string for anything else (partners, "other").
QString statusFromType(const QString &type);

// Reads an account export from Salesforce (API names or UI labels), HubSpot, or any CSV whose columns carry
// those headers; columns are found by header. Streams the file. A file that cannot be read, is not CSV or has
// no name or website column is an error; a bad row is skipped and reported in problems.
Result<CrmAccountFile> read(const QString &path, const CrmReadOptions &options = {});

} // namespace crmaccounts

} // namespace ecotone
