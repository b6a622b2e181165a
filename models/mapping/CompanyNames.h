#pragma once

#include <QString>
#include <QStringList>

namespace ecotone::companynames {

// Canonical form of a company name for comparison: NFKD with combining marks dropped and case folded (so
// "Société Générale" == "societe generale"), "&" as "and", punctuation as word breaks (dots and apostrophes
// inside a word join it: "L.L.C." == "llc", "McDonald's" == "mcdonalds"), single spaces, a leading "the"
// dropped, and legal-form words (Inc, GmbH, S.p.A., Kabushiki Kaisha, Pty Ltd, ...) dropped only at the end,
// so "Limited Brands Group" keeps its words. A name made only of such words is kept as it is. Deterministic and
// allocation-light: it runs once per CRM record.
QString normalize(const QString &name);

// The words of a normalized name.
QStringList tokens(const QString &normalized);

// Canonical country key: ISO 3166 alpha-2 in lower case for common names and codes ("United States", "USA",
// "US" -> "us"), otherwise the case-folded text. Empty stays empty (unknown country).
QString countryKey(const QString &country);

// Jaro-Winkler similarity in [0, 1] of two (normalized) strings.
double jaroWinkler(QStringView a, QStringView b);

} // namespace ecotone::companynames
