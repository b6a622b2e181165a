#pragma once

#include "domain/Result.h"

#include <QList>
#include <QMap>
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
    // Columns chosen by the user: field key ("id", "name", "website", "country", "status") → header text. A field
    // named here overrides header detection; a header that is not in the file, or an unknown key, is an error.
    QMap<QString, QString> columns;
    // Keep only what matching needs (crmId, registrableDomain, normalizedName, countryKey, status, sourceLine)
    // and drop name, website and country as read: a third less memory for a million-row export.
    bool compact = false;
    // Compute normalizedName and countryKey (matching needs them; an import into the workspace does not).
    bool matchingKeys = true;
    // When set, each good row goes here as it is read instead of into CrmAccountFile::accounts, so a consumer
    // can work while the file is still being read (the import writes on another thread).
    std::function<void(CrmAccount &&)> sink;
    // Called about every MiB and once at the end with the bytes read so far and the file's size. Returning false
    // stops the read, and read() returns an error saying it was cancelled.
    std::function<bool(qint64 bytesRead, qint64 bytesTotal)> progress;
};

// Where each field's column is, found by header as read() finds it, and which CRM the header looks like.
struct CrmColumns
{
    QMap<QString, QString> columns; // field key → header as written in the file; only the fields found
    QString source;                 // "salesforce", "hubspot" or empty
};

struct CrmAccountFile
{
    QString file;
    QList<CrmAccount> accounts;
    QStringList problems; // "file:line: column: reason" for every row that was skipped
};

// Column choices shared by the account and opportunity readers.
namespace crmcolumns {

// A chosen header's index: as written, else compared case-insensitively; -1 when the header lacks it.
qsizetype indexOf(const QStringList &header, const QString &name);

// Lays the user's choices (field key → header) over the detected columns. An unknown key or a header the file
// lacks is an error naming path, field and header.
Status choose(const QString &path, const QStringList &header, const QStringList &keys,
              const QMap<QString, QString> &userChoices, QMap<QString, QString> &columns);

} // namespace crmcolumns

namespace crmaccounts {

// Maps a Salesforce Type or HubSpot Lifecycle Stage value to a population key ("customer", "opportunity",
// "prospect"), or an empty string for anything else (partners, "other").
QString statusFromType(const QString &type);

// The field keys of CrmReadOptions::columns, in display order.
QStringList fieldKeys();

// Header detection (see docs/mapping.md for the headers tried); header fields are compared trimmed and
// case-insensitively.
CrmColumns detectColumns(const QStringList &header);

// Reads an account export from Salesforce (API names or UI labels), HubSpot, or any CSV whose columns carry
// those headers; columns are found by header. Streams the file. A file that cannot be read, is not CSV or has
// no name or website column is an error; a bad row is skipped and reported in problems.
Result<CrmAccountFile> read(const QString &path, const CrmReadOptions &options = {});

} // namespace crmaccounts

} // namespace ecotone
