#pragma once

#include "domain/Result.h"

#include <QMap>
#include <QString>

#include <functional>

namespace ecotone {

class Workspace;

struct AccountImportOptions
{
    QString idColumn;  // when the CRM id column is not one crmaccounts::read knows
    QString crmSource; // salesforce | hubspot | csv; empty: an updated account keeps its own, a new one gets csv
    // Field key ("id", "name", "website", "country", "status") → header, as CrmReadOptions::columns.
    QMap<QString, QString> columns;
    // As CrmReadOptions::progress, and called on the thread that reads the file, not the caller's. Returning false
    // cancels the import: it returns an error and the workspace is left exactly as it was.
    std::function<bool(qint64 bytesRead, qint64 bytesTotal)> progress;
};

struct AccountImportReport
{
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
};

// Imports one organization's CRM account export into the workspace (through AccountRepository, so every row
// is journaled). All or nothing: any bad row, a CRM id that appears twice, or a failed write leaves the
// workspace exactly as it was, and the error lists each problem as "file:line: column: reason". A re-import
// updates accounts by CRM id (external id) and never duplicates them.
Result<AccountImportReport> importAccounts(Workspace &workspace, const QString &ownerId, const QString &path,
                                           const AccountImportOptions &options = {});

} // namespace ecotone
