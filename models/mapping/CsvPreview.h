#pragma once

#include "domain/Result.h"

#include <QChar>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ecotone {

// The first rows of a CSV file as the import will read them, for the import dialog: how it was decoded and
// delimited, and which columns crmaccounts::read would take for each field.
struct CsvPreview
{
    QStringList headers; // trimmed, as crmaccounts::read compares them
    QList<QStringList> rows;
    QChar delimiter;
    QString encoding;                        // "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE", "Windows-1252"
    QString detectedSource;                  // "salesforce", "hubspot" or empty
    QMap<QString, QString> suggestedColumns; // field key → header, as crmaccounts::detectColumns finds them
    // The same for an opportunity export (crmopportunities::detectColumns), and whether the header looks like one.
    QMap<QString, QString> suggestedOpportunityColumns;
    QString detectedOpportunitySource;
    bool looksLikeOpportunities = false;
};

namespace csvpreview {

// Reads the header and up to maxRows records; only the beginning of the file is read, whatever its size. A file
// that cannot be opened, is empty or is not CSV text is an error.
Result<CsvPreview> read(const QString &path, int maxRows = 20);

} // namespace csvpreview

} // namespace ecotone
