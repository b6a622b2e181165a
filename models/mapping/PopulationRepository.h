#pragma once

#include "domain/Organization.h"
#include "domain/Result.h"
#include "store/TableWriter.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace ecotone {

class Workspace;

// A saved account filter. Every non-empty criterion must hold (AND); an empty criterion does not restrict. Text
// criteria compare case-insensitively.
struct PopulationFilter
{
    QStringList statuses;   // customer | opportunity | prospect
    QStringList countries;  // as stored (ISO alpha-2), compared through companynames::countryKey
    QStringList industries; // exact industry names
    QString nameContains;
    QString domainSuffix; // "de", ".co.uk" or "acme.com": the domain is it, or ends with "." + it

    bool isEmpty() const;
    bool matches(const Account &account) const;
    QJsonObject toJson() const; // {"statuses":[…],"countries":[…],"industries":[…],"name_contains":"…",…}
    static PopulationFilter fromJson(const QJsonObject &json);
    QString describe() const; // one translated line for people, e.g. "Customers · DE, AT · name contains “bank”"

    bool operator==(const PopulationFilter &) const = default;
};

// A custom population: a named filter, used as a row and column of the overlap matrix and by sharing agreements as
// "custom:<name>".
struct CustomPopulation
{
    QString id;
    QString name;
    PopulationFilter filter;
    QDateTime createdAt;

    QString key() const { return QStringLiteral("custom:") + name; }
    bool operator==(const CustomPopulation &) const = default;
};

// Stores custom populations (table custom_populations, schema v3), journaled through a TableWriter. Names are
// unique (case-insensitively) and at most 80 characters, so "custom:<name>" stays a readable agreement key.
class PopulationRepository
{
public:
    explicit PopulationRepository(Workspace &workspace);

    Status create(CustomPopulation &population);       // assigns id and created time
    Status update(const CustomPopulation &population); // new name and/or filter
    Status rename(const QString &id, const QString &name);
    Status remove(const QString &id);
    Result<QList<CustomPopulation>> all(); // by name
    Result<CustomPopulation> find(const QString &id);

    static QStringList validate(const CustomPopulation &population);

private:
    Status checkUnique(const CustomPopulation &population);

    Workspace &m_workspace;
    TableWriter m_writer;
};

} // namespace ecotone
