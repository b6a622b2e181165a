#include "Referrals.h"

#include "deals/DealRoomRepository.h"
#include "deals/DealTables.h"
#include "deals/RegistrationRepository.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QVariant>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ReferralRepository)
};

QString selectWithNames(const TableWriter &writer)
{
    QString out = QStringLiteral("r.id");
    for (const ColumnSpec &c : writer.columns())
        out += QStringLiteral(", r.") + QLatin1String(c.name);
    return out + QStringLiteral(", f.name, t.name");
}

const QString kFrom = QStringLiteral(
    "FROM deal_referrals r JOIN organizations f ON f.id = r.from_org_id JOIN organizations t ON t.id = r.to_org_id");
} // namespace

ReferralRepository::ReferralRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("deal_referrals"), dealtables::referralColumns())
{}

ReferralRepository::~ReferralRepository() = default;

QDateTime ReferralRepository::now() const
{
    return m_now ? m_now().toUTC() : QDateTime::currentDateTimeUtc();
}

Status ReferralRepository::send(Referral &r)
{
    QStringList problems;
    r.account = DealAccount::from(r.account.name, r.account.website, r.account.country, r.account.accountId);
    r.currency = r.currency.trimmed().toUpper();
    r.need = r.need.trimmed();
    r.contact = r.contact.trimmed();
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM organizations WHERE id = ? OR id = ?"));
    q.addBindValue(r.fromOrgId);
    q.addBindValue(r.toOrgId);
    if (r.fromOrgId == r.toOrgId)
        problems << Tr::tr("An organization cannot refer an account to itself.");
    else if (!q.exec() || !q.next() || q.value(0).toInt() != 2)
        problems << Tr::tr("Both the referring and the receiving organization must exist.");
    if (r.account.name.isEmpty())
        problems << Tr::tr("The account needs a name.");
    if (r.expectedMinor < 0 || r.feeFlatMinor < 0)
        problems << Tr::tr("Amounts cannot be negative.");
    if ((r.expectedMinor > 0 || r.feeFlatMinor > 0) && !deals::isCurrencyCode(r.currency))
        problems << Tr::tr("\"%1\" is not an ISO 4217 currency code.").arg(r.currency);
    if (r.fee == Referral::Fee::Percent && (r.feePercentBp <= 0 || r.feePercentBp > 10000))
        problems << Tr::tr("A percentage fee must be above 0 and at most 100 %.");
    if (r.fee == Referral::Fee::Flat)
        r.feePercentBp = 0;
    else
        r.feeFlatMinor = 0;
    if (!problems.isEmpty())
        return Error{Tr::tr("The referral was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
    if (r.id.isEmpty())
        r.id = m_workspace.ids().next();
    r.status = ReferralStatus::Sent;
    r.reason.clear();
    r.roomId.clear();
    r.sentAt = r.updatedAt = now();
    r.slaDueAt = r.sentAt.addDays(m_slaDays);
    r.answeredAt = {};
    return m_writer.insert(r.id, dealtables::values(r));
}

Status ReferralRepository::move(Referral &r, ReferralStatus to, const QString &reason)
{
    if (Status s = deals::checkTransition(r.status, to); !s)
        return s;
    if (to == ReferralStatus::Declined && reason.trimmed().isEmpty())
        return Error{Tr::tr("Declining a referral needs a reason the referring partner can read.")};
    const QStringList before = dealtables::values(r);
    const QDateTime at = now();
    r.status = to;
    r.reason = reason.trimmed();
    r.updatedAt = at;
    if (to == ReferralStatus::Accepted || to == ReferralStatus::Declined)
        r.answeredAt = at;
    return m_writer.update(r.id, before, dealtables::values(r));
}

Status ReferralRepository::accept(const QString &id)
{
    Result<Referral> r = find(id);
    if (!r)
        return Error{r.error()};
    return move(r.value(), ReferralStatus::Accepted, {});
}

Status ReferralRepository::decline(const QString &id, const QString &reason)
{
    Result<Referral> r = find(id);
    if (!r)
        return Error{r.error()};
    return move(r.value(), ReferralStatus::Declined, reason);
}

Result<DealRoom> ReferralRepository::convert(const QString &id, const QString &actor)
{
    Result<Referral> found = find(id);
    if (!found)
        return Error{found.error()};
    Referral r = found.value();
    if (Status s = deals::checkTransition(r.status, ReferralStatus::Converted); !s)
        return Error{s.error()};
    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    DealRoomRepository rooms(m_workspace);
    rooms.setClock([this] { return now(); });
    DealRoom room;
    room.account = r.account;
    room.name = r.account.name;
    room.amountMinor = r.expectedMinor;
    room.currency = r.currency;
    if (Status s = rooms.create(room, actor); !s)
        return Error{s.error()};
    for (const auto &[org, role] :
         {std::pair{r.fromOrgId, ParticipantRole::Sourcing}, std::pair{r.toOrgId, ParticipantRole::Fulfilling}}) {
        RoomParticipant p;
        p.roomId = room.id;
        p.organizationId = org;
        p.role = role;
        if (Status s = rooms.addParticipant(p, true, {}, actor); !s)
            return Error{s.error()};
    }
    const QStringList before = dealtables::values(r);
    r.status = ReferralStatus::Converted;
    r.roomId = room.id;
    r.updatedAt = now();
    if (Status s = m_writer.update(r.id, before, dealtables::values(r)); !s)
        return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return rooms.find(room.id);
}

Result<Referral> ReferralRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 %2 WHERE r.id = ?").arg(selectWithNames(m_writer), kFrom));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a referral"));
    if (!q.next())
        return Error{Tr::tr("The referral %1 does not exist.").arg(id)};
    Referral r = dealtables::referralFrom(q.value(0).toString(), m_writer.valuesFrom(q));
    const int names = int(m_writer.columns().size()) + 1;
    r.fromName = q.value(names).toString();
    r.toName = q.value(names + 1).toString();
    return r;
}

Result<QList<Referral>> ReferralRepository::list(Box box, const QString &organizationId, int limit)
{
    Filter f;
    f.box = box;
    f.organizationId = organizationId;
    return list(f, limit);
}

namespace {
// The WHERE clause of a filter and its bind values; withStatus false leaves the status out (for the counts).
QString whereOf(const ReferralRepository::Filter &f, bool withStatus, QVariantList &binds)
{
    using Box = ReferralRepository::Box;
    QStringList conds;
    if (f.box == Box::Inbox) {
        conds << QStringLiteral("r.to_org_id = ?");
        binds << f.organizationId;
    } else if (f.box == Box::Outbox) {
        conds << QStringLiteral("r.from_org_id = ?");
        binds << f.organizationId;
    }
    if (!f.partnerId.isEmpty()) {
        if (f.box == Box::Inbox) {
            conds << QStringLiteral("r.from_org_id = ?");
            binds << f.partnerId;
        } else if (f.box == Box::Outbox) {
            conds << QStringLiteral("r.to_org_id = ?");
            binds << f.partnerId;
        } else {
            conds << QStringLiteral("(r.from_org_id = ? OR r.to_org_id = ?)");
            binds << f.partnerId << f.partnerId;
        }
    }
    if (withStatus && f.status) {
        conds << QStringLiteral("r.status = ?");
        binds << deals::key(*f.status);
    }
    if (!f.text.trimmed().isEmpty()) {
        conds << QStringLiteral("(r.account_name LIKE ? ESCAPE '\\' OR r.website LIKE ? ESCAPE '\\' OR r.domain "
                                "LIKE ? ESCAPE '\\' OR r.need LIKE ? ESCAPE '\\')");
        const QString pattern = deals::likePattern(f.text);
        binds << pattern << pattern << pattern << pattern;
    }
    return conds.isEmpty() ? QString() : QStringLiteral("WHERE ") + conds.join(QStringLiteral(" AND "));
}
} // namespace

Result<QList<Referral>> ReferralRepository::list(const Filter &filter, int limit)
{
    QVariantList binds;
    const QString where = whereOf(filter, true, binds);
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 %2 %3 ORDER BY r.sent_at DESC, r.id DESC LIMIT ?")
                  .arg(selectWithNames(m_writer), kFrom, where));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Listing referrals"));
    QList<Referral> out;
    const int names = int(m_writer.columns().size()) + 1;
    while (q.next()) {
        Referral r = dealtables::referralFrom(q.value(0).toString(), m_writer.valuesFrom(q));
        r.fromName = q.value(names).toString();
        r.toName = q.value(names + 1).toString();
        out << r;
    }
    return out;
}

Result<QMap<ReferralStatus, qint64>> ReferralRepository::statusCounts(const Filter &filter)
{
    QVariantList binds;
    const QString where = whereOf(filter, false, binds);
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT r.status, COUNT(*) FROM deal_referrals r %1 GROUP BY r.status").arg(where));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, Tr::tr("Counting referrals"));
    QMap<ReferralStatus, qint64> out;
    while (q.next())
        if (auto status = deals::referralStatusFromKey(q.value(0).toString()))
            out[*status] += q.value(1).toLongLong();
    return out;
}

Result<QList<Referral>> ReferralRepository::dueSoon(int withinHours)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT r.id %1 WHERE r.status = 'sent' AND r.sla_due_at <= ? ORDER BY r.sla_due_at")
                  .arg(kFrom));
    q.addBindValue(deals::isoTime(now().addSecs(qint64(withinHours) * 3600)));
    if (!q.exec())
        return sqlError(q, Tr::tr("Listing referrals due"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    QList<Referral> out;
    for (const QString &id : std::as_const(ids)) {
        Result<Referral> r = find(id);
        if (!r)
            return Error{r.error()};
        out << r.value();
    }
    return out;
}

Result<int> ReferralRepository::expireDue(const QDateTime &at)
{
    return dealtables::forEachId(
        m_workspace,
        QStringLiteral("SELECT id FROM deal_referrals WHERE status = 'sent' AND sla_due_at <= ? ORDER BY sla_due_at"),
        deals::isoTime(at), Tr::tr("Finding referrals past their SLA"), [this](const QString &id) {
            Result<Referral> r = find(id);
            if (!r)
                return Status(Error{r.error()});
            return move(r.value(), ReferralStatus::Expired, Tr::tr("No answer within the SLA."));
        });
}

Result<ExpiryReport> expireDue(Workspace &workspace, const QDateTime &now)
{
    Transaction tx(workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    RegistrationRepository registrations(workspace);
    registrations.setClock([now] { return now; });
    ReferralRepository referrals(workspace);
    referrals.setClock([now] { return now; });
    Result<int> r = registrations.expireDue(now);
    if (!r)
        return Error{r.error()};
    Result<int> f = referrals.expireDue(now);
    if (!f)
        return Error{f.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return ExpiryReport{r.value(), f.value()};
}

} // namespace ecotone
