#include "OpportunityRepository.h"

#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::OpportunityRepository)
};

// account_id is NULL when unlinked (a foreign key); amount_minor is a JSON number, NULL when absent.
std::vector<ColumnSpec> opportunityColumns()
{
    return {{"owner_id"},
            {"account_id", false, true},
            {"account_external_id"},
            {"account_name"},
            {"name"},
            {"stage"},
            {"state"},
            {"amount_minor", true, true},
            {"currency"},
            {"close_date"},
            {"crm_owner"},
            {"crm_source"},
            {"external_id"}};
}

QStringList toValues(const Opportunity &o)
{
    return {o.ownerId,
            o.accountId,
            o.accountExternalId,
            o.accountName,
            o.name,
            o.stage,
            o.state,
            o.amountMinor ? QString::number(*o.amountMinor) : QString(),
            o.currency,
            o.closeDate.isValid() ? o.closeDate.toString(Qt::ISODate) : QString(),
            o.crmOwner,
            o.crmSource,
            o.externalId};
}

Opportunity fromValues(const QString &id, const QStringList &v)
{
    Opportunity o;
    o.id = id;
    o.ownerId = v.at(0);
    o.accountId = v.at(1);
    o.accountExternalId = v.at(2);
    o.accountName = v.at(3);
    o.name = v.at(4);
    o.stage = v.at(5);
    o.state = v.at(6);
    if (!v.at(7).isEmpty())
        o.amountMinor = v.at(7).toLongLong();
    o.currency = v.at(8);
    o.closeDate = QDate::fromString(v.at(9), Qt::ISODate);
    o.crmOwner = v.at(10);
    o.crmSource = v.at(11);
    o.externalId = v.at(12);
    return o;
}

Status validate(const Opportunity &o)
{
    QStringList problems;
    if (o.name.trimmed().isEmpty())
        problems << Tr::tr("An opportunity needs a name.");
    if (o.ownerId.isEmpty())
        problems << Tr::tr("An opportunity belongs to an organization.");
    static const QStringList states = opportunitystate::keys();
    if (!states.contains(o.state))
        problems << Tr::tr("\"%1\" is not an opportunity state (open, won or lost).").arg(o.state);
    if (problems.isEmpty())
        return {};
    return Error{Tr::tr("The opportunity was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
}
} // namespace

QStringList opportunitystate::keys()
{
    return {QStringLiteral("open"), QStringLiteral("won"), QStringLiteral("lost")};
}

OpportunityRepository::OpportunityRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("opportunities"), opportunityColumns())
{}

Status OpportunityRepository::insert(Opportunity &opportunity)
{
    if (Status s = validate(opportunity); !s)
        return s;
    if (opportunity.id.isEmpty())
        opportunity.id = m_workspace.ids().next();
    return m_writer.insert(opportunity.id, toValues(opportunity));
}

Status OpportunityRepository::update(const Opportunity &opportunity)
{
    Result<Opportunity> before = find(opportunity.id);
    if (!before)
        return Error{before.error()};
    return update(before.value(), opportunity);
}

Status OpportunityRepository::update(const Opportunity &before, const Opportunity &after)
{
    if (Status s = validate(after); !s)
        return s;
    return m_writer.update(after.id, toValues(before), toValues(after));
}

Status OpportunityRepository::remove(const QString &id)
{
    return m_writer.remove(id);
}

Result<Opportunity> OpportunityRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM opportunities WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading an opportunity"));
    if (!q.next())
        return Error{Tr::tr("The opportunity %1 does not exist.").arg(id)};
    return fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
}

Result<QList<Opportunity>> OpportunityRepository::forOwner(const QString &ownerId, const QString &state)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM opportunities WHERE owner_id = ? AND (? = '' OR state = ?) "
                             "ORDER BY close_date, name, id")
                  .arg(m_writer.selectList()));
    q.addBindValue(ownerId);
    q.addBindValue(state.isNull() ? QStringLiteral("") : state);
    q.addBindValue(state.isNull() ? QStringLiteral("") : state);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading opportunities"));
    QList<Opportunity> out;
    while (q.next())
        out << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

Result<QHash<QString, Opportunity>> OpportunityRepository::byExternalId(const QString &ownerId)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM opportunities WHERE owner_id = ? AND external_id != ''")
                  .arg(m_writer.selectList()));
    q.addBindValue(ownerId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading opportunities"));
    QHash<QString, Opportunity> out;
    while (q.next()) {
        Opportunity o = fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
        const QString key = o.externalId;
        out.insert(key, std::move(o));
    }
    return out;
}

Result<qint64> OpportunityRepository::count(const QString &ownerId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE ? = '' OR owner_id = ?"));
    q.addBindValue(ownerId.isNull() ? QStringLiteral("") : ownerId);
    q.addBindValue(ownerId.isNull() ? QStringLiteral("") : ownerId);
    if (!q.exec() || !q.next())
        return sqlError(q, Tr::tr("Counting opportunities"));
    return q.value(0).toLongLong();
}

} // namespace ecotone
