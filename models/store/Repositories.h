#pragma once

#include "domain/Organization.h"
#include "domain/Result.h"
#include "store/OpportunityRepository.h"
#include "store/TableWriter.h"

#include <QList>

namespace ecotone {

class Workspace;

// Everything that removing an organization took with it, so an undo can put it all back.
struct OrganizationSnapshot
{
    Organization organization;
    QList<Person> people;
    QList<Account> accounts;
    QList<Opportunity> opportunities;
};

struct WorkspaceCounts
{
    qint64 partners = 0;
    qint64 people = 0;
    qint64 accounts = 0;
};

class OrganizationRepository
{
public:
    explicit OrganizationRepository(Workspace &workspace);

    // Normalizes the website, derives the registrable domain, validates; assigns an id when empty.
    Status insert(Organization &org);
    Status update(Organization &org);
    // Removes the organization with its people, accounts and opportunities (all journaled). The vendor cannot be
    // removed.
    Result<OrganizationSnapshot> remove(const QString &id);
    // Puts back what remove() took, with the same ids.
    Status restore(const OrganizationSnapshot &snapshot);

    Result<Organization> find(const QString &id);
    Result<QList<Organization>> all(); // vendor first, then partners by name
    Result<QString> vendorId();
    Result<Organization> findByName(const QString &name); // case-insensitive, first match

    // Shared with the importers: normalizes website and domain in place, returns validation problems.
    static QStringList prepare(Organization &org);
    static Organization fromValues(const QString &id, const QStringList &values);

private:
    Workspace &m_workspace;
    TableWriter m_writer;
};

class PersonRepository
{
public:
    explicit PersonRepository(Workspace &workspace);

    Status insert(Person &person);
    Status update(const Person &person);
    Status remove(const QString &id);
    Result<QList<Person>> forOrganization(const QString &organizationId);

private:
    friend class OrganizationRepository;
    Workspace &m_workspace;
    TableWriter m_writer;
};

class AccountRepository
{
public:
    explicit AccountRepository(Workspace &workspace);

    // Derives the registrable domain from the website when the domain is empty; assigns an id when empty.
    Status insert(Account &account);
    // All or nothing: one transaction for the batch.
    Status insertMany(QList<Account> &accounts);
    // Bulk imports split insert() in two. prepareInsert() validates and builds the row and its journal entry without
    // touching the database, so it may run on another thread than the writer's (it only reads this object);
    // insertPrepared() assigns the id and writes. Returns the validation problems, like insert().
    struct PreparedInsert
    {
        QStringList values;
        QString json;
    };
    QStringList prepareInsert(Account &account, PreparedInsert &out) const;
    Status insertPrepared(Account &account, const PreparedInsert &row);
    Status update(const Account &account);
    Status remove(const QString &id);
    Result<Account> find(const QString &id);
    Result<QList<Account>> forOwner(const QString &ownerId);
    Result<qint64> countForOwner(const QString &ownerId);

private:
    friend class OrganizationRepository;
    Workspace &m_workspace;
    TableWriter m_writer;
};

Result<WorkspaceCounts> countRecords(Workspace &workspace);
// The same on a connection of its own (read-only), for a worker thread: counting a million accounts reads
// their whole index, which must not hold up the window when the file is not in the disk cache yet.
Result<WorkspaceCounts> countRecordsInFile(const QString &path);

} // namespace ecotone
