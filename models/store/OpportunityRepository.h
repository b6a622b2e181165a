#pragma once

#include "domain/Result.h"
#include "store/TableWriter.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace ecotone {

class Workspace;

// A CRM opportunity (deal) of one organization. Money is integer minor units of currency (cents; yen for JPY),
// never a float; state is derived from the CRM's stage when imported.
struct Opportunity
{
    QString id;
    QString ownerId;
    QString accountId;         // the owner's account, when the export named one we have; empty otherwise
    QString accountExternalId; // what the export said
    QString accountName;
    QString name;
    QString stage;
    QString state = QStringLiteral("open"); // open | won | lost
    std::optional<qint64> amountMinor;
    QString currency; // ISO 4217
    QDate closeDate;
    QString crmOwner;
    QString crmSource; // salesforce | hubspot | csv | demo
    QString externalId;

    bool operator==(const Opportunity &) const = default;
};

namespace opportunitystate {
QStringList keys(); // open, won, lost
}

// Every write goes through a TableWriter, so each row comes with its journal entries.
class OpportunityRepository
{
public:
    explicit OpportunityRepository(Workspace &workspace);

    Status insert(Opportunity &opportunity); // assigns an id when empty
    Status update(const Opportunity &opportunity);
    // Writes only the fields that differ from before (which must be the stored row): no re-read.
    Status update(const Opportunity &before, const Opportunity &after);
    Status remove(const QString &id);
    Result<Opportunity> find(const QString &id);
    // An empty state means all; ordered by close date, then name.
    Result<QList<Opportunity>> forOwner(const QString &ownerId, const QString &state = {});
    Result<qint64> count(const QString &ownerId = {});
    // The owner's opportunities that have a CRM id, by that id, in no particular order (what an import needs).
    Result<QHash<QString, Opportunity>> byExternalId(const QString &ownerId);

private:
    Workspace &m_workspace;
    TableWriter m_writer;
};

} // namespace ecotone
