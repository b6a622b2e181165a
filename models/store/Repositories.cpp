#include "Repositories.h"

#include "mapping/Domains.h"
#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QSqlQuery>

#include <climits>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Repositories)
};

std::vector<ColumnSpec> organizationColumns()
{
    return {{"kind"},
            {"name"},
            {"types", true},
            {"tier"},
            {"regions", true},
            {"industries", true},
            {"capabilities", true},
            {"website"},
            {"domain"},
            {"description"},
            {"status"},
            {"join_date"}};
}

QStringList toValues(const Organization &o)
{
    return {organization::kindKey(o.kind),
            o.name,
            json::array(partnertype::keys(o.types)),
            o.tier,
            json::array(o.regions),
            json::array(o.industries),
            json::array(o.capabilities),
            o.website,
            o.domain,
            o.description,
            o.status,
            o.joinDate.isValid() ? o.joinDate.toString(Qt::ISODate) : QString()};
}

std::vector<ColumnSpec> personColumns()
{
    return {{"organization_id"}, {"name"}, {"email"}, {"role"}};
}

QStringList toValues(const Person &p)
{
    return {p.organizationId, p.name, p.email, p.role};
}

Person personFromValues(const QString &id, const QStringList &v)
{
    return Person{id, v.at(0), v.at(1), v.at(2), v.at(3)};
}

std::vector<ColumnSpec> accountColumns()
{
    return {{"owner_id"}, {"name"},   {"website"},    {"domain"},     {"country"},
            {"industry"}, {"status"}, {"crm_source"}, {"external_id"}};
}

QStringList toValues(const Account &a)
{
    return {a.ownerId,   a.name,      a.website, a.domain, a.country, a.industry, accountstatus::key(a.status),
            a.crmSource, a.externalId};
}

Account accountFromValues(const QString &id, const QStringList &v)
{
    Account a;
    a.id = id;
    a.ownerId = v.at(0);
    a.name = v.at(1);
    a.website = v.at(2);
    a.domain = v.at(3);
    a.country = v.at(4);
    a.industry = v.at(5);
    a.status = accountstatus::fromKey(v.at(6)).value_or(AccountStatus::Prospect);
    a.crmSource = v.at(7);
    a.externalId = v.at(8);
    return a;
}

Status validationError(const QString &what, const QStringList &problems)
{
    return Error{Tr::tr("%1 was not saved: %2").arg(what, problems.join(QLatin1Char(' ')))};
}
} // namespace

// ---- organizations

OrganizationRepository::OrganizationRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("organizations"), organizationColumns())
{}

Organization OrganizationRepository::fromValues(const QString &id, const QStringList &v)
{
    Organization o;
    o.id = id;
    o.kind = organization::kindFromKey(v.at(0));
    o.name = v.at(1);
    for (const QString &key : json::parseArray(v.at(2)))
        if (auto t = partnertype::fromKey(key))
            o.types << *t;
    o.tier = v.at(3);
    o.regions = json::parseArray(v.at(4));
    o.industries = json::parseArray(v.at(5));
    o.capabilities = json::parseArray(v.at(6));
    o.website = v.at(7);
    o.domain = v.at(8);
    o.description = v.at(9);
    o.status = v.at(10);
    o.joinDate = QDate::fromString(v.at(11), Qt::ISODate);
    return o;
}

QStringList OrganizationRepository::prepare(Organization &org)
{
    org.name = org.name.trimmed();
    const QString typed = org.website.trimmed();
    org.website = domains::normalizeWebsite(typed);
    org.domain = org.website.isEmpty() ? QString() : domains::registrableDomain(org.website);
    if (org.domain.isEmpty() && !org.website.isEmpty())
        org.domain = domains::hostOf(org.website); // IP addresses and intranet hosts keep their host
    QStringList problems = organization::validate(org);
    if (!typed.isEmpty() && org.website.isEmpty())
        problems << Tr::tr("The website \"%1\" is not a valid address.").arg(typed);
    return problems;
}

Status OrganizationRepository::insert(Organization &org)
{
    if (const QStringList problems = prepare(org); !problems.isEmpty())
        return validationError(Tr::tr("The organization"), problems);
    if (org.id.isEmpty())
        org.id = m_workspace.ids().next();
    return m_writer.insert(org.id, toValues(org));
}

Status OrganizationRepository::update(Organization &org)
{
    if (const QStringList problems = prepare(org); !problems.isEmpty())
        return validationError(Tr::tr("The organization"), problems);
    Result<Organization> before = find(org.id);
    if (!before)
        return Error{before.error()};
    if (before->kind != org.kind)
        return Error{Tr::tr("An organization cannot change between vendor and partner.")};
    return m_writer.update(org.id, toValues(before.value()), toValues(org));
}

Result<Organization> OrganizationRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM organizations WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading an organization"));
    if (!q.next())
        return Error{Tr::tr("The organization %1 does not exist.").arg(id)};
    return fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
}

Result<Organization> OrganizationRepository::findByName(const QString &name)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM organizations WHERE name = ? COLLATE NOCASE ORDER BY kind DESC LIMIT 1")
                  .arg(m_writer.selectList()));
    q.addBindValue(name.trimmed());
    if (!q.exec())
        return sqlError(q, Tr::tr("Looking up an organization"));
    if (!q.next())
        return Error{Tr::tr("No organization is named \"%1\".").arg(name)};
    return fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
}

Result<QList<Organization>> OrganizationRepository::all()
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM organizations ORDER BY kind = 'vendor' DESC, name COLLATE NOCASE, id")
                    .arg(m_writer.selectList())))
        return sqlError(q, Tr::tr("Reading organizations"));
    QList<Organization> out;
    while (q.next())
        out << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

Result<QString> OrganizationRepository::vendorId()
{
    QSqlQuery q(m_workspace.db());
    if (!q.exec(QStringLiteral("SELECT id FROM organizations WHERE kind = 'vendor' LIMIT 1")))
        return sqlError(q, Tr::tr("Finding the vendor"));
    if (!q.next())
        return Error{Tr::tr("This workspace has no vendor organization.")};
    return q.value(0).toString();
}

Result<OrganizationSnapshot> OrganizationRepository::remove(const QString &id)
{
    Result<Organization> org = find(id);
    if (!org)
        return Error{org.error()};
    if (org->kind == OrganizationKind::Vendor)
        return Error{Tr::tr("The vendor organization cannot be deleted.")};
    // Shared records (rooms, registrations, referrals, agreements, listings, requests) belong to several parties
    // and the consent ledger refers to agreements for good, so a partner with any of them is kept: it can be set
    // inactive instead.
    {
        QSqlQuery q(m_workspace.db());
        q.prepare(
            QStringLiteral("SELECT (SELECT COUNT(*) FROM deal_room_participants WHERE organization_id = :id)"
                           " + (SELECT COUNT(*) FROM deal_room_people WHERE person_id IN"
                           "    (SELECT id FROM people WHERE organization_id = :id))"
                           " + (SELECT COUNT(*) FROM deal_registrations WHERE partner_id = :id)"
                           " + (SELECT COUNT(*) FROM deal_referrals WHERE from_org_id = :id OR to_org_id = :id)"
                           " + (SELECT COUNT(*) FROM sharing_agreements WHERE partner_id = :id)"
                           " + (SELECT COUNT(*) FROM listings WHERE organization_id = :id)"
                           " + (SELECT COUNT(*) FROM collaboration_requests WHERE from_org = :id OR to_org = :id)"));
        q.bindValue(QStringLiteral(":id"), id);
        if (!q.exec() || !q.next())
            return sqlError(q, Tr::tr("Checking what refers to an organization"));
        if (const qint64 shared = q.value(0).toLongLong(); shared > 0)
            return Error{Tr::tr("%1 cannot be deleted: it takes part in %n shared record(s) — deal rooms, "
                                "registrations, referrals, sharing agreements or listings. Set its status to "
                                "Inactive instead.",
                                "", int(std::min<qint64>(shared, INT_MAX)))
                             .arg(org->name)};
    }
    OrganizationSnapshot snapshot{org.value(), {}, {}, {}};
    PersonRepository people(m_workspace);
    AccountRepository accounts(m_workspace);
    if (auto p = people.forOrganization(id))
        snapshot.people = p.value();
    else
        return Error{p.error()};
    if (auto a = accounts.forOwner(id))
        snapshot.accounts = a.value();
    else
        return Error{a.error()};
    OpportunityRepository opportunities(m_workspace);
    if (auto o = opportunities.forOwner(id))
        snapshot.opportunities = o.value();
    else
        return Error{o.error()};

    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    for (const Person &p : snapshot.people)
        if (Status s = people.m_writer.remove(p.id); !s)
            return Error{s.error()};
    for (const Opportunity &o : snapshot.opportunities) // they point at the accounts
        if (Status s = opportunities.remove(o.id); !s)
            return Error{s.error()};
    for (const Account &a : snapshot.accounts)
        if (Status s = accounts.m_writer.remove(a.id); !s)
            return Error{s.error()};
    if (Status s = m_writer.remove(id); !s)
        return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return snapshot;
}

Status OrganizationRepository::restore(const OrganizationSnapshot &snapshot)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_writer.insert(snapshot.organization.id, toValues(snapshot.organization)); !s)
        return s;
    PersonRepository people(m_workspace);
    for (const Person &p : snapshot.people)
        if (Status s = people.m_writer.insert(p.id, toValues(p)); !s)
            return s;
    AccountRepository accounts(m_workspace);
    for (const Account &a : snapshot.accounts)
        if (Status s = accounts.m_writer.insert(a.id, toValues(a)); !s)
            return s;
    OpportunityRepository opportunities(m_workspace);
    for (Opportunity o : snapshot.opportunities)
        if (Status s = opportunities.insert(o); !s)
            return s;
    return tx.commit();
}

// ---- people

PersonRepository::PersonRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("people"), personColumns())
{}

namespace {
QStringList validatePerson(Person &p)
{
    p.name = p.name.trimmed();
    p.email = p.email.trimmed();
    QStringList problems;
    if (p.name.isEmpty())
        problems << Tr::tr("A name is required.");
    if (!p.email.isEmpty() && (!p.email.contains(QLatin1Char('@')) || p.email.contains(QLatin1Char(' '))))
        problems << Tr::tr("\"%1\" is not an email address.").arg(p.email);
    if (p.organizationId.isEmpty())
        problems << Tr::tr("A person belongs to an organization.");
    return problems;
}
} // namespace

Status PersonRepository::insert(Person &person)
{
    if (const QStringList problems = validatePerson(person); !problems.isEmpty())
        return validationError(Tr::tr("The contact"), problems);
    if (person.id.isEmpty())
        person.id = m_workspace.ids().next();
    return m_writer.insert(person.id, toValues(person));
}

Status PersonRepository::update(const Person &person)
{
    Person p = person;
    if (const QStringList problems = validatePerson(p); !problems.isEmpty())
        return validationError(Tr::tr("The contact"), problems);
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM people WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(p.id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a contact"));
    if (!q.next())
        return Error{Tr::tr("The contact %1 does not exist.").arg(p.id)};
    return m_writer.update(p.id, m_writer.valuesFrom(q), toValues(p));
}

Status PersonRepository::remove(const QString &id)
{
    return m_writer.remove(id);
}

Result<QList<Person>> PersonRepository::forOrganization(const QString &organizationId)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM people WHERE organization_id = ? ORDER BY name COLLATE NOCASE")
                  .arg(m_writer.selectList()));
    q.addBindValue(organizationId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading contacts"));
    QList<Person> out;
    while (q.next())
        out << personFromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

// ---- accounts

AccountRepository::AccountRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("accounts"), accountColumns())
{}

namespace {
QStringList prepareAccount(Account &a)
{
    a.name = a.name.trimmed();
    if (a.domain.isEmpty() && !a.website.isEmpty())
        a.domain = domains::registrableDomain(a.website);
    QStringList problems;
    if (a.name.isEmpty())
        problems << Tr::tr("An account needs a name.");
    if (a.ownerId.isEmpty())
        problems << Tr::tr("An account belongs to an organization.");
    return problems;
}
} // namespace

Status AccountRepository::insert(Account &account)
{
    if (const QStringList problems = prepareAccount(account); !problems.isEmpty())
        return validationError(Tr::tr("The account"), problems);
    if (account.id.isEmpty())
        account.id = m_workspace.ids().next();
    return m_writer.insert(account.id, toValues(account));
}

QStringList AccountRepository::prepareInsert(Account &account, PreparedInsert &out) const
{
    QStringList problems = prepareAccount(account);
    if (problems.isEmpty()) {
        out.values = toValues(account);
        out.json = m_writer.rowJson(out.values);
    }
    return problems;
}

Status AccountRepository::insertPrepared(Account &account, const PreparedInsert &row)
{
    if (account.id.isEmpty())
        account.id = m_workspace.ids().next();
    return m_writer.insert(account.id, row.values, row.json);
}

Status AccountRepository::insertMany(QList<Account> &accounts)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    for (qsizetype i = 0; i < accounts.size(); ++i) {
        if (Status s = insert(accounts[i]); !s)
            return Error{Tr::tr("Account %1 of %2 (\"%3\"): %4")
                             .arg(i + 1)
                             .arg(accounts.size())
                             .arg(accounts[i].name, s.error())};
    }
    return tx.commit();
}

Status AccountRepository::update(const Account &account)
{
    Account a = account;
    if (const QStringList problems = prepareAccount(a); !problems.isEmpty())
        return validationError(Tr::tr("The account"), problems);
    Result<Account> before = find(a.id);
    if (!before)
        return Error{before.error()};
    return m_writer.update(a.id, toValues(before.value()), toValues(a));
}

Status AccountRepository::remove(const QString &id)
{
    return m_writer.remove(id);
}

Result<Account> AccountRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM accounts WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading an account"));
    if (!q.next())
        return Error{Tr::tr("The account %1 does not exist.").arg(id)};
    return accountFromValues(q.value(0).toString(), m_writer.valuesFrom(q));
}

Result<QList<Account>> AccountRepository::forOwner(const QString &ownerId)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM accounts WHERE owner_id = ? ORDER BY id").arg(m_writer.selectList()));
    q.addBindValue(ownerId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading accounts"));
    QList<Account> out;
    while (q.next())
        out << accountFromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

Result<qint64> AccountRepository::countForOwner(const QString &ownerId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM accounts WHERE owner_id = ?"));
    q.addBindValue(ownerId);
    if (!q.exec() || !q.next())
        return sqlError(q, Tr::tr("Counting accounts"));
    return q.value(0).toLongLong();
}

namespace {
Result<WorkspaceCounts> countOn(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM organizations WHERE kind = 'partner'), "
                               "(SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM accounts)")) ||
        !q.next())
        return sqlError(q, Tr::tr("Counting records"));
    return WorkspaceCounts{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong()};
}
} // namespace

Result<WorkspaceCounts> countRecords(Workspace &workspace)
{
    return countOn(workspace.db());
}

Result<WorkspaceCounts> countRecordsInFile(const QString &path)
{
    static QAtomicInt serial;
    const QString name = QStringLiteral("ecotone-count-%1").arg(serial.fetchAndAddRelaxed(1));
    Result<WorkspaceCounts> result = Error{QString()};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        result = db.open() ? countOn(db) : Result<WorkspaceCounts>(sqlError(db, Tr::tr("Counting records")));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace ecotone
