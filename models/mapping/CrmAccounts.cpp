#include "CrmAccounts.h"

#include "mapping/CompanyNames.h"
#include "mapping/Csv.h"
#include "mapping/Domains.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::CrmAccounts)
};

// Known headers per field, in order of preference, compared case-insensitively. Salesforce API names, Salesforce
// report/UI labels, HubSpot export labels.
const QStringList kIdHeaders = {QStringLiteral("id"), QStringLiteral("account id"), QStringLiteral("record id"),
                                QStringLiteral("account id (18)"), QStringLiteral("company id")};
const QStringList kNameHeaders = {QStringLiteral("name"), QStringLiteral("account name"),
                                  QStringLiteral("company name")};
const QStringList kWebsiteHeaders = {QStringLiteral("company domain name"), QStringLiteral("website"),
                                     QStringLiteral("website url"), QStringLiteral("domain")};
const QStringList kCountryHeaders = {QStringLiteral("billingcountry"),  QStringLiteral("billing country"),
                                     QStringLiteral("country/region"),  QStringLiteral("country"),
                                     QStringLiteral("shippingcountry"), QStringLiteral("shipping country")};
const QStringList kStatusHeaders = {QStringLiteral("type"), QStringLiteral("account type"),
                                    QStringLiteral("lifecycle stage"), QStringLiteral("lifecyclestage")};

qsizetype findColumn(const QStringList &header, const QStringList &candidates)
{
    for (const QString &c : candidates) {
        for (qsizetype i = 0; i < header.size(); ++i) {
            if (header.at(i).compare(c, Qt::CaseInsensitive) == 0)
                return i;
        }
    }
    return -1;
}
} // namespace

QString crmaccounts::statusFromType(const QString &type)
{
    const QString t = type.trimmed().toCaseFolded();
    if (t.isEmpty())
        return {};
    if (t.contains(QLatin1String("customer")))
        return QStringLiteral("customer");
    if (t.contains(QLatin1String("opportunit")))
        return QStringLiteral("opportunity");
    if (t.contains(QLatin1String("prospect")) || t.contains(QLatin1String("lead")) ||
        t == QLatin1String("subscriber") || t == QLatin1String("marketingqualifiedlead") ||
        t == QLatin1String("salesqualifiedlead"))
        return QStringLiteral("prospect");
    return {};
}

Result<CrmAccountFile> crmaccounts::read(const QString &path, const CrmReadOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    const QString source = QFileInfo(path).fileName();
    CsvReader reader(&file, path);

    CrmAccountFile result;
    result.file = path;
    // Exports run 50-100 bytes a row; reserving up front avoids copying a million records while growing.
    if (!options.sink)
        result.accounts.reserve(qsizetype(std::min<qint64>(file.size() / 50 + 16, 50'000'000)));
    QStringList header;
    if (!reader.next(header)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("%1 is empty: an account export needs a header row.").arg(path)};
    }
    for (QString &h : header)
        h = h.trimmed();

    qsizetype idCol = -1;
    if (!options.idColumn.isEmpty()) {
        idCol = findColumn(header, {options.idColumn});
        if (idCol < 0)
            return Error{Tr::tr("%1: there is no column \"%2\" (--id-column).").arg(path, options.idColumn)};
    } else {
        idCol = findColumn(header, kIdHeaders);
        if (idCol < 0)
            return Error{
                Tr::tr("%1: no id column (Id, Account ID or Record ID); name one with --id-column.").arg(path)};
    }
    const qsizetype nameCol = findColumn(header, kNameHeaders);
    const qsizetype websiteCol = findColumn(header, kWebsiteHeaders);
    const qsizetype countryCol = findColumn(header, kCountryHeaders);
    const qsizetype statusCol = findColumn(header, kStatusHeaders);
    if (nameCol < 0 && websiteCol < 0)
        return Error{Tr::tr("%1: no name column (Name, Account Name or Company name) and no website column "
                            "(Website, Website URL or Company Domain Name).")
                         .arg(path)};

    // For the second website column HubSpot exports carry (Website URL next to Company Domain Name).
    const qsizetype websiteCol2 =
        websiteCol >= 0 ? findColumn(header, {QStringLiteral("website url"), QStringLiteral("website")}) : -1;
    const qsizetype needed = std::max({idCol, nameCol, websiteCol, countryCol, statusCol}) + 1;
    auto problem = [&](qint64 line, qsizetype column, const QString &reason) {
        result.problems << QStringLiteral("%1:%2: %3: %4")
                               .arg(source)
                               .arg(line)
                               .arg(column >= 0 && column < header.size() ? header.at(column) : QString(), reason);
    };

    QStringList fields;
    while (reader.next(fields)) {
        const qint64 line = reader.recordLine();
        if (fields.size() == 1 && fields.first().trimmed().isEmpty())
            continue; // blank line
        if (fields.size() < needed) {
            problem(line, fields.size(),
                    Tr::tr("the row has %1 fields, the header has %2").arg(fields.size()).arg(header.size()));
            continue;
        }
        CrmAccount a;
        a.sourceLine = line;
        a.crmId = fields.at(idCol).trimmed();
        if (nameCol >= 0)
            a.name = fields.at(nameCol).trimmed();
        if (websiteCol >= 0)
            a.website = fields.at(websiteCol).trimmed();
        if (a.website.isEmpty() && websiteCol2 >= 0 && websiteCol2 < fields.size())
            a.website = fields.at(websiteCol2).trimmed();
        if (countryCol >= 0)
            a.country = fields.at(countryCol).trimmed();
        if (statusCol >= 0)
            a.status = statusFromType(fields.at(statusCol));
        if (a.crmId.isEmpty()) {
            problem(line, idCol, Tr::tr("the id is empty"));
            continue;
        }
        if (a.name.isEmpty() && a.website.isEmpty()) {
            problem(line, nameCol >= 0 ? nameCol : websiteCol, Tr::tr("neither a name nor a website"));
            continue;
        }
        if (!a.website.isEmpty()) {
            a.registrableDomain = domains::registrableDomain(a.website);
            if (a.registrableDomain.isEmpty() && a.name.isEmpty()) {
                problem(line, websiteCol, Tr::tr("no name, and \"%1\" has no registrable domain").arg(a.website));
                continue;
            }
        }
        if (options.matchingKeys) {
            a.normalizedName = companynames::normalize(a.name);
            a.countryKey = companynames::countryKey(a.country);
        }
        if (options.compact) {
            a.name.clear();
            a.website.clear();
            a.country.clear();
        }
        if (options.sink)
            options.sink(std::move(a));
        else
            result.accounts.append(std::move(a));
    }
    if (reader.atError())
        return Error{reader.error()};
    return result;
}

} // namespace ecotone
