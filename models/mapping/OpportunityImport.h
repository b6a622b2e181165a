#pragma once

#include "domain/Result.h"
#include "mapping/CrmOpportunities.h"

#include <QMap>
#include <QString>

#include <functional>

namespace ecotone {

class Workspace;

struct OpportunityImportOptions
{
    QString crmSource;       // salesforce | hubspot | csv; empty: an updated row keeps its own, a new one gets csv
    QString defaultCurrency; // ISO code for amounts whose row names no currency
    // Field key (crmopportunities::fieldKeys) → header, as CrmOpportunityReadOptions::columns.
    QMap<QString, QString> columns;
    // As CrmOpportunityReadOptions::progress, called on the importing thread. Returning false cancels the import:
    // it returns an error and the workspace is left exactly as it was.
    std::function<bool(qint64 bytesRead, qint64 bytesTotal)> progress;
};

struct OpportunityImportReport
{
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    int linked = 0;                             // rows whose account is one of the owner's accounts
    int unlinked = 0;                           // rows that keep only the account id and name the export gave
    DateOrder dateOrder = DateOrder::Undecided; // how the file's slash dates were read
};

// Imports one organization's opportunity export (Salesforce, HubSpot or other CSV) into the workspace, every write
// journaled. All or nothing: any bad row, an opportunity id twice in the file or a failed write leaves the
// workspace exactly as it was, and the error lists each problem as "file:line: column: reason". A re-import
// updates by CRM id (external id) and never duplicates. Each opportunity is linked to the owner's account with
// the export's account id, else to the one account whose normalized name equals the export's account name.
Result<OpportunityImportReport> importOpportunities(Workspace &workspace, const QString &ownerId, const QString &path,
                                                    const OpportunityImportOptions &options = {});

} // namespace ecotone
