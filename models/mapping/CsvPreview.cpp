#include "CsvPreview.h"

#include "mapping/CrmAccounts.h"
#include "mapping/CrmOpportunities.h"
#include "mapping/Csv.h"

#include <QCoreApplication>
#include <QFile>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::CsvPreview)
};
} // namespace

Result<CsvPreview> csvpreview::read(const QString &path, int maxRows)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    CsvReader reader(&file, path);
    CsvPreview preview;
    if (!reader.next(preview.headers)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("%1 is empty: an account export needs a header row.").arg(path)};
    }
    for (QString &h : preview.headers)
        h = h.trimmed();
    // Rows of blanks are skipped; they must not turn a preview into a read of the whole file.
    constexpr qint64 kMaxBytes = 8 << 20;
    QStringList fields;
    while (preview.rows.size() < maxRows && file.pos() < kMaxBytes && reader.next(fields)) {
        if (fields.size() == 1 && fields.first().trimmed().isEmpty())
            continue; // blank line, as the import skips it
        preview.rows << fields;
    }
    // A bad record further down is the import's to report; one within the preview means the file is not CSV.
    if (reader.atError())
        return Error{reader.error()};
    preview.delimiter = reader.delimiter();
    preview.encoding = reader.encoding();
    const CrmColumns detected = crmaccounts::detectColumns(preview.headers);
    preview.detectedSource = detected.source;
    preview.suggestedColumns = detected.columns;
    const CrmColumns deals = crmopportunities::detectColumns(preview.headers);
    preview.suggestedOpportunityColumns = deals.columns;
    preview.detectedOpportunitySource = deals.source;
    preview.looksLikeOpportunities = crmopportunities::looksLikeOpportunities(preview.headers);
    return preview;
}

} // namespace ecotone
