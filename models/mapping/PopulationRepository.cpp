#include "PopulationRepository.h"

#include "governance/SharingAgreement.h"
#include "mapping/CompanyNames.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::PopulationRepository)
};

constexpr qsizetype kMaxName = 80;

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray()) {
        const QString s = v.toString().trimmed();
        if (!s.isEmpty() && !out.contains(s))
            out << s;
    }
    return out;
}

QString suffixOf(const QString &text)
{
    QString s = text.trimmed().toLower();
    while (s.startsWith(QLatin1Char('.')))
        s.remove(0, 1);
    return s;
}
} // namespace

bool PopulationFilter::isEmpty() const
{
    return statuses.isEmpty() && countries.isEmpty() && industries.isEmpty() && nameContains.trimmed().isEmpty() &&
           suffixOf(domainSuffix).isEmpty();
}

bool PopulationFilter::matches(const Account &account) const
{
    if (!statuses.isEmpty() && !statuses.contains(accountstatus::key(account.status)))
        return false;
    if (!countries.isEmpty()) {
        const QString key = companynames::countryKey(account.country);
        bool any = false;
        for (const QString &c : countries)
            any = any || (!key.isEmpty() && companynames::countryKey(c) == key);
        if (!any)
            return false;
    }
    if (!industries.isEmpty() && !industries.contains(account.industry, Qt::CaseInsensitive))
        return false;
    const QString needle = nameContains.trimmed();
    if (!needle.isEmpty() && !account.name.contains(needle, Qt::CaseInsensitive))
        return false;
    const QString suffix = suffixOf(domainSuffix);
    if (!suffix.isEmpty()) {
        const QString domain = account.domain.toLower();
        if (domain != suffix && !domain.endsWith(QLatin1Char('.') + suffix))
            return false;
    }
    return true;
}

QJsonObject PopulationFilter::toJson() const
{
    QJsonObject o;
    if (!statuses.isEmpty())
        o.insert(QStringLiteral("statuses"), QJsonArray::fromStringList(statuses));
    if (!countries.isEmpty())
        o.insert(QStringLiteral("countries"), QJsonArray::fromStringList(countries));
    if (!industries.isEmpty())
        o.insert(QStringLiteral("industries"), QJsonArray::fromStringList(industries));
    if (!nameContains.trimmed().isEmpty())
        o.insert(QStringLiteral("name_contains"), nameContains.trimmed());
    if (!suffixOf(domainSuffix).isEmpty())
        o.insert(QStringLiteral("domain_suffix"), suffixOf(domainSuffix));
    return o;
}

PopulationFilter PopulationFilter::fromJson(const QJsonObject &json)
{
    PopulationFilter f;
    f.statuses = stringList(json.value(QStringLiteral("statuses")));
    f.countries = stringList(json.value(QStringLiteral("countries")));
    f.industries = stringList(json.value(QStringLiteral("industries")));
    f.nameContains = json.value(QStringLiteral("name_contains")).toString().trimmed();
    f.domainSuffix = suffixOf(json.value(QStringLiteral("domain_suffix")).toString());
    return f;
}

QString PopulationFilter::describe() const
{
    QStringList parts;
    if (!statuses.isEmpty()) {
        QStringList names;
        for (const QString &s : statuses)
            if (auto status = accountstatus::fromKey(s))
                names << accountstatus::displayName(*status);
        parts << names.join(QStringLiteral(", "));
    }
    if (!countries.isEmpty())
        parts << countries.join(QStringLiteral(", "));
    if (!industries.isEmpty())
        parts << industries.join(QStringLiteral(", "));
    if (!nameContains.trimmed().isEmpty())
        parts << Tr::tr("name contains “%1”").arg(nameContains.trimmed());
    if (!suffixOf(domainSuffix).isEmpty())
        parts << Tr::tr("domain ends in .%1").arg(suffixOf(domainSuffix));
    return parts.isEmpty() ? Tr::tr("all accounts") : parts.join(QStringLiteral(" · "));
}

PopulationRepository::PopulationRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("custom_populations"), {{"name"}, {"filter", true}, {"created_at"}})
{}

QStringList PopulationRepository::validate(const CustomPopulation &population)
{
    QStringList problems;
    const QString name = population.name.trimmed();
    if (name.isEmpty())
        problems << Tr::tr("A population needs a name.");
    else if (name.size() > kMaxName)
        problems << Tr::tr("A population name has at most %1 characters.").arg(kMaxName);
    if (name != population.name)
        problems << Tr::tr("A population name cannot start or end with spaces.");
    for (const QString &s : population.filter.statuses)
        if (!accountstatus::fromKey(s))
            problems << Tr::tr("“%1” is not an account status (customer, opportunity or prospect).").arg(s);
    return problems;
}

Status PopulationRepository::checkUnique(const CustomPopulation &population)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT id FROM custom_populations WHERE lower(name) = lower(?) AND id <> ?"));
    q.addBindValue(population.name);
    q.addBindValue(population.id.isEmpty() ? QStringLiteral("-") : population.id); // NULL would compare as unknown
    if (!q.exec())
        return sqlError(q, Tr::tr("Checking the population name"));
    if (q.next())
        return Error{Tr::tr("A population named “%1” exists already.").arg(population.name)};
    return {};
}

namespace {
QStringList toValues(const CustomPopulation &p)
{
    return {p.name, QString::fromUtf8(QJsonDocument(p.filter.toJson()).toJson(QJsonDocument::Compact)),
            sharing::timestamp(p.createdAt)};
}
} // namespace

Status PopulationRepository::create(CustomPopulation &population)
{
    if (const QStringList problems = validate(population); !problems.isEmpty())
        return Error{problems.join(QLatin1Char(' '))};
    if (Status s = checkUnique(population); !s)
        return s;
    CustomPopulation stored = population;
    stored.id = m_workspace.ids().next();
    stored.createdAt = QDateTime::currentDateTimeUtc();
    if (Status s = m_writer.insert(stored.id, toValues(stored)); !s)
        return s;
    population = stored;
    return {};
}

Status PopulationRepository::update(const CustomPopulation &population)
{
    if (const QStringList problems = validate(population); !problems.isEmpty())
        return Error{problems.join(QLatin1Char(' '))};
    auto before = find(population.id);
    if (!before)
        return Error{before.error()};
    if (Status s = checkUnique(population); !s)
        return s;
    CustomPopulation after = population;
    after.createdAt = before->createdAt;
    return m_writer.update(population.id, toValues(before.value()), toValues(after));
}

Status PopulationRepository::rename(const QString &id, const QString &name)
{
    auto p = find(id);
    if (!p)
        return Error{p.error()};
    CustomPopulation renamed = p.value();
    renamed.name = name;
    return update(renamed);
}

Status PopulationRepository::remove(const QString &id)
{
    return m_writer.remove(id);
}

namespace {
CustomPopulation fromQuery(const QSqlQuery &q)
{
    CustomPopulation p;
    p.id = q.value(0).toString();
    p.name = q.value(1).toString();
    p.filter = PopulationFilter::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
    p.createdAt = sharing::parseTimestamp(q.value(3).toString());
    return p;
}
} // namespace

Result<QList<CustomPopulation>> PopulationRepository::all()
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM custom_populations ORDER BY name COLLATE NOCASE, id")
                    .arg(m_writer.selectList())))
        return sqlError(q, Tr::tr("Reading custom populations"));
    QList<CustomPopulation> out;
    while (q.next())
        out << fromQuery(q);
    return out;
}

Result<CustomPopulation> PopulationRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM custom_populations WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a custom population"));
    if (!q.next())
        return Error{Tr::tr("The population no longer exists.")};
    return fromQuery(q);
}

} // namespace ecotone
