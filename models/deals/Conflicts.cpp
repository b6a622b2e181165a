#include "Conflicts.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Conflicts)
};

constexpr int kMaxEvidence = 50; // per rule and record kind: enough to judge, bounded for a hot account

QString nameCountry(const QString &key, const QString &country)
{
    return key + QStringLiteral(" | ") + country;
}

// Both sides know their domain and the domains differ: different companies that share a name.
bool differentDomains(const QString &a, const QString &b)
{
    return !a.isEmpty() && !b.isEmpty() && a != b;
}

std::unique_ptr<QSqlQuery> prepared(Workspace &ws, const QString &sql)
{
    auto q = std::make_unique<QSqlQuery>(ws.db());
    q->setForwardOnly(true);
    q->prepare(sql);
    return q;
}
} // namespace

QString Conflict::recordKey() const
{
    return record == Record::Registration ? QStringLiteral("registration") : QStringLiteral("room");
}

QString Conflict::ruleKey() const
{
    return rule == Rule::Domain ? QStringLiteral("domain") : QStringLiteral("name_country");
}

QString Conflict::describe() const
{
    const QString what =
        record == Record::Registration
            ? Tr::tr("%1's registration %2 (%3) for \"%4\"").arg(partnerName, recordId, status, accountName)
            : Tr::tr("the open deal room %1 (%2) for \"%3\"").arg(recordId, status, accountName);
    if (rule == Rule::Domain)
        return Tr::tr("Same domain %1 as %2 (%3 vs %4).").arg(ours, what, oursInput, theirsInput);
    return Tr::tr("Same company name and country (%1) as %2.").arg(ours, what);
}

QStringList ConflictChecker::lookupStatements()
{
    // Both lookups return the same first seven columns (see evidence()), then their own.
    const QString reg = QStringLiteral(
        "SELECT r.id, r.account_name, r.website, r.domain, r.country, r.account_key, r.status, r.partner_id, o.name, "
        "r.products FROM deal_registrations r JOIN organizations o ON o.id = r.partner_id WHERE %1 AND (r.status = ? "
        "OR r.status = ? OR r.status = ? OR r.status = ?) LIMIT %2");
    const QString room = QStringLiteral(
        "SELECT r.id, r.account_name, r.website, r.domain, r.country, r.account_key, r.stage, r.registration_id FROM "
        "deal_rooms r JOIN deal_stages s ON s.id = r.stage WHERE %1 AND s.outcome = 'open' LIMIT %2");
    const QString byDomain = QStringLiteral("r.domain = ? AND r.domain <> ''");
    const QString byName = QStringLiteral("r.account_key = ? AND r.account_key <> '' AND r.country = ?");
    return {reg.arg(byDomain).arg(kMaxEvidence), reg.arg(byName).arg(kMaxEvidence),
            room.arg(byDomain).arg(kMaxEvidence), room.arg(byName).arg(kMaxEvidence)};
}

ConflictChecker::ConflictChecker(Workspace &workspace)
    : m_workspace(workspace)
{
    const QStringList sql = lookupStatements();
    m_regByDomain = prepared(workspace, sql.at(0));
    m_regByName = prepared(workspace, sql.at(1));
    m_roomByDomain = prepared(workspace, sql.at(2));
    m_roomByName = prepared(workspace, sql.at(3));
    m_roomPartners = prepared(workspace, QStringLiteral("SELECT DISTINCT o.name FROM deal_room_participants pa JOIN "
                                                        "organizations o ON o.id = pa.organization_id WHERE "
                                                        "pa.room_id = ? ORDER BY pa.role <> 'sourcing', o.name"));
}

ConflictChecker::~ConflictChecker() = default;

namespace {
// Binds what the rule compares; false when our side lacks it (no domain; no name key or no country).
bool bindAccount(QSqlQuery &q, Conflict::Rule rule, const DealAccount &account)
{
    if (rule == Conflict::Rule::Domain) {
        if (account.domain.isEmpty())
            return false;
        q.addBindValue(account.domain);
        return true;
    }
    if (account.nameKey.isEmpty() || account.country.isEmpty())
        return false;
    q.addBindValue(account.nameKey);
    q.addBindValue(account.country);
    return true;
}

// The evidence from a row whose first columns are id, account_name, website, domain, country, account_key, status.
// Empty record id: a name match whose domains differ, a look-alike.
Conflict evidence(const QSqlQuery &q, Conflict::Record record, Conflict::Rule rule, const DealAccount &account)
{
    Conflict c;
    const QString theirDomain = q.value(3).toString();
    if (rule == Conflict::Rule::NameCountry && differentDomains(account.domain, theirDomain))
        return c;
    c.record = record;
    c.rule = rule;
    c.recordId = q.value(0).toString();
    c.accountName = q.value(1).toString();
    c.status = q.value(6).toString();
    if (rule == Conflict::Rule::Domain) {
        c.ours = account.domain;
        c.theirs = theirDomain;
        c.oursInput = account.website;
        c.theirsInput = q.value(2).toString();
    } else {
        c.ours = nameCountry(account.nameKey, account.country);
        c.theirs = nameCountry(q.value(5).toString(), q.value(4).toString());
        c.oursInput = account.name;
        c.theirsInput = c.accountName;
    }
    return c;
}

bool listed(const QList<Conflict> &out, const QString &id)
{
    return !id.isEmpty() && std::any_of(out.cbegin(), out.cend(), [&](const Conflict &c) { return c.recordId == id; });
}
} // namespace

Status ConflictChecker::registrations(const DealAccount &account, const QString &excludeId, bool approvedOnly,
                                      QList<Conflict> &out, QList<QStringList> *products)
{
    const QStringList statuses =
        approvedOnly
            ? QStringList(4, deals::key(RegistrationStatus::Approved))
            : QStringList{deals::key(RegistrationStatus::Submitted), deals::key(RegistrationStatus::UnderReview),
                          deals::key(RegistrationStatus::Approved), deals::key(RegistrationStatus::Returned)};
    for (Conflict::Rule rule : {Conflict::Rule::Domain, Conflict::Rule::NameCountry}) {
        QSqlQuery &q = rule == Conflict::Rule::Domain ? *m_regByDomain : *m_regByName;
        if (!bindAccount(q, rule, account))
            continue;
        for (const QString &s : statuses)
            q.addBindValue(s);
        if (!q.exec())
            return sqlError(q, Tr::tr("Looking for conflicting registrations"));
        while (q.next()) {
            Conflict c = evidence(q, Conflict::Record::Registration, rule, account);
            if (c.recordId.isEmpty() || c.recordId == excludeId || listed(out, c.recordId))
                continue;
            c.partnerId = q.value(7).toString();
            c.partnerName = q.value(8).toString();
            out << c;
            if (products)
                *products << json::parseArray(q.value(9).toString());
        }
    }
    return {};
}

Status ConflictChecker::rooms(const DealAccount &account, QList<Conflict> &out)
{
    for (Conflict::Rule rule : {Conflict::Rule::Domain, Conflict::Rule::NameCountry}) {
        QSqlQuery &q = rule == Conflict::Rule::Domain ? *m_roomByDomain : *m_roomByName;
        if (!bindAccount(q, rule, account))
            continue;
        if (!q.exec())
            return sqlError(q, Tr::tr("Looking for conflicting deal rooms"));
        while (q.next()) {
            Conflict c = evidence(q, Conflict::Record::Room, rule, account);
            // A room approved from a registration already listed says nothing new.
            if (c.recordId.isEmpty() || listed(out, c.recordId) || listed(out, q.value(7).toString()))
                continue;
            out << c;
        }
    }
    for (Conflict &c : out) {
        if (c.record != Conflict::Record::Room || !c.partnerName.isEmpty())
            continue;
        m_roomPartners->addBindValue(c.recordId);
        if (!m_roomPartners->exec())
            return sqlError(*m_roomPartners, Tr::tr("Reading a deal room's participants"));
        QStringList names;
        while (m_roomPartners->next())
            names << m_roomPartners->value(0).toString();
        c.partnerName = names.join(QStringLiteral(", "));
    }
    return {};
}

Result<QList<Conflict>> ConflictChecker::check(const DealAccount &account, const QString &partnerId,
                                               const QString &excludeRegistrationId)
{
    QList<Conflict> out;
    if (Status s = registrations(account, excludeRegistrationId, false, out, nullptr); !s)
        return Error{s.error()};
    out.erase(std::remove_if(out.begin(), out.end(), [&](const Conflict &c) { return c.partnerId == partnerId; }),
              out.end());
    if (Status s = rooms(account, out); !s)
        return Error{s.error()};
    return out;
}

Result<QList<Conflict>> ConflictChecker::approvedOverlaps(const DealAccount &account, const QStringList &products,
                                                          const QString &excludeRegistrationId)
{
    QList<Conflict> found;
    QList<QStringList> theirProducts;
    if (Status s = registrations(account, excludeRegistrationId, true, found, &theirProducts); !s)
        return Error{s.error()};
    const QStringList ours = deals::productSet(products);
    QList<Conflict> out;
    for (qsizetype i = 0; i < found.size(); ++i) {
        const QStringList theirs = deals::productSet(theirProducts.at(i));
        const bool overlap =
            ours.isEmpty() || theirs.isEmpty() ||
            std::any_of(ours.cbegin(), ours.cend(), [&](const QString &p) { return theirs.contains(p); });
        if (overlap)
            out << found.at(i);
    }
    return out;
}

} // namespace ecotone
