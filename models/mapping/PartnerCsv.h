#pragma once

#include "domain/Result.h"

#include <QStringList>

namespace ecotone {

class Workspace;
struct Organization;

struct PartnerImportReport
{
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
};

// Partners as CSV, the format `ecotone partners export` writes and `partners import` reads (docs/cli.md).
// Lists (types, regions, industries, capabilities) are separated by ";" inside their cell.
namespace partnercsv {
QStringList header();
// One organization in header() order, lists joined with "; " and formula-like cells guarded.
QStringList row(const Organization &org);

Result<qint64> exportTo(Workspace &workspace, const QString &path);

// All or nothing: every row is checked first; any bad row fails the import with one message per problem
// ("file:line: column: reason") and nothing is written. Rows match existing partners by id, then by name.
Result<PartnerImportReport> importFrom(Workspace &workspace, const QString &path);
} // namespace partnercsv

} // namespace ecotone
