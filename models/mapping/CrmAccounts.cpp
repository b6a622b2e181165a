#include "CrmAccounts.h"

#include "mapping/CompanyNames.h"
#include "mapping/Csv.h"
#include "mapping/Domains.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

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

// Headers that only one CRM's exports carry, for telling them apart in the import dialog.
const QStringList kSalesforceHeaders = {
    QStringLiteral("account id"),      QStringLiteral("account id (18)"),  QStringLiteral("account name"),
    QStringLiteral("account type"),    QStringLiteral("account owner"),    QStringLiteral("account number"),
    QStringLiteral("accountnumber"),   QStringLiteral("billingcountry"),   QStringLiteral("billing country"),
    QStringLiteral("shippingcountry"), QStringLiteral("shipping country"), QStringLiteral("billingcity"),
    QStringLiteral("billing city"),    QStringLiteral("ownerid"),          QStringLiteral("parentid")};
const QStringList kHubSpotHeaders = {QStringLiteral("record id"),       QStringLiteral("company domain name"),
                                     QStringLiteral("lifecycle stage"), QStringLiteral("lifecyclestage"),
                                     QStringLiteral("country/region"),  QStringLiteral("company owner"),
                                     QStringLiteral("hs_object_id")};

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

// A header the user chose: the exact text first, so two headers that differ only in case stay apart.

qsizetype countKnown(const QStringList &header, const QStringList &known)
{
    return std::count_if(header.cbegin(), header.cend(), [&](const QString &h) {
        return std::any_of(known.cbegin(), known.cend(),
                           [&](const QString &k) { return h.compare(k, Qt::CaseInsensitive) == 0; });
    });
}
} // namespace

qsizetype crmcolumns::indexOf(const QStringList &header, const QString &name)
{
    const qsizetype exact = header.indexOf(name);
    return exact >= 0 ? exact : findColumn(header, {name});
}

Status crmcolumns::choose(const QString &path, const QStringList &header, const QStringList &keys,
                          const QMap<QString, QString> &userChoices, QMap<QString, QString> &columns)
{
    for (auto it = userChoices.cbegin(); it != userChoices.cend(); ++it) {
        if (!keys.contains(it.key()))
            return Error{Tr::tr("%1: \"%2\" is not a field that can be mapped (%3).")
                             .arg(path, it.key(), keys.join(QStringLiteral(", ")))};
        if (indexOf(header, it.value().trimmed()) < 0)
            return Error{Tr::tr("%1: there is no column \"%2\" (chosen for the %3).").arg(path, it.value(), it.key())};
        columns.insert(it.key(), it.value().trimmed());
    }
    return {};
}

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

QStringList crmaccounts::fieldKeys()
{
    return {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("website"), QStringLiteral("country"),
            QStringLiteral("status")};
}

CrmColumns crmaccounts::detectColumns(const QStringList &rawHeader)
{
    QStringList header;
    header.reserve(rawHeader.size());
    for (const QString &h : rawHeader)
        header << h.trimmed();
    CrmColumns out;
    const QStringList keys = fieldKeys();
    const QStringList *known[] = {&kIdHeaders, &kNameHeaders, &kWebsiteHeaders, &kCountryHeaders, &kStatusHeaders};
    for (qsizetype k = 0; k < keys.size(); ++k) {
        if (const qsizetype i = findColumn(header, *known[k]); i >= 0)
            out.columns.insert(keys.at(k), header.at(i));
    }
    // Salesforce's API names are exactly "Id" and "Name"; a generic "id,name" file says nothing about its CRM.
    const qsizetype salesforce = countKnown(header, kSalesforceHeaders) +
                                 (header.contains(QStringLiteral("Id")) && header.contains(QStringLiteral("Name")));
    const qsizetype hubspot = countKnown(header, kHubSpotHeaders);
    if (salesforce > hubspot)
        out.source = QStringLiteral("salesforce");
    else if (hubspot > salesforce)
        out.source = QStringLiteral("hubspot");
    return out;
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

    // Detected columns, then --id-column, then the user's choices: a field chosen explicitly wins.
    QMap<QString, QString> chosen = detectColumns(header).columns;
    if (!options.idColumn.isEmpty()) {
        if (crmcolumns::indexOf(header, options.idColumn) < 0)
            return Error{Tr::tr("%1: there is no column \"%2\" (--id-column).").arg(path, options.idColumn)};
        chosen.insert(QStringLiteral("id"), options.idColumn);
    }
    if (Status s = crmcolumns::choose(path, header, fieldKeys(), options.columns, chosen); !s)
        return Error{s.error()};
    auto columnOf = [&](const QString &key) -> qsizetype {
        const auto it = chosen.constFind(key);
        return it == chosen.cend() ? -1 : crmcolumns::indexOf(header, it.value());
    };
    const qsizetype idCol = columnOf(QStringLiteral("id"));
    if (idCol < 0)
        return Error{Tr::tr("%1: no id column (Id, Account ID or Record ID); name one with --id-column.").arg(path)};
    const qsizetype nameCol = columnOf(QStringLiteral("name"));
    const qsizetype websiteCol = columnOf(QStringLiteral("website"));
    const qsizetype countryCol = columnOf(QStringLiteral("country"));
    const qsizetype statusCol = columnOf(QStringLiteral("status"));
    if (nameCol < 0 && websiteCol < 0)
        return Error{Tr::tr("%1: no name column (Name, Account Name or Company name) and no website column "
                            "(Website, Website URL or Company Domain Name).")
                         .arg(path)};

    // For the second website column HubSpot exports carry (Website URL next to Company Domain Name).
    // A website column the user chose is used alone.
    const qsizetype websiteCol2 = websiteCol >= 0 && !options.columns.contains(QStringLiteral("website"))
                                      ? findColumn(header, {QStringLiteral("website url"), QStringLiteral("website")})
                                      : -1;
    const qsizetype needed = std::max({idCol, nameCol, websiteCol, countryCol, statusCol}) + 1;
    auto problem = [&](qint64 line, qsizetype column, const QString &reason) {
        result.problems << QStringLiteral("%1:%2: %3: %4")
                               .arg(source)
                               .arg(line)
                               .arg(column >= 0 && column < header.size() ? header.at(column) : QString(), reason);
    };

    // Progress goes by the bytes the reader has taken from the file, which it reads ahead in chunks.
    constexpr qint64 kProgressStep = 1 << 20;
    const qint64 total = file.size();
    qint64 nextProgress = kProgressStep;
    auto cancelled = [&] { return Error{Tr::tr("Reading %1 was cancelled.").arg(path)}; };

    QStringList fields;
    while (reader.next(fields)) {
        if (options.progress && file.pos() >= nextProgress) {
            nextProgress = file.pos() + kProgressStep;
            if (!options.progress(file.pos(), std::max(total, file.pos())))
                return cancelled();
        }
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
    if (options.progress && !options.progress(file.pos(), std::max(total, file.pos())))
        return cancelled();
    return result;
}

} // namespace ecotone
