#include "DealTables.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QSqlQuery>

namespace ecotone::dealtables {

namespace {
QString dateText(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}
QDate dateFrom(const QString &s)
{
    return QDate::fromString(s, Qt::ISODate);
}
QString number(qint64 n)
{
    return QString::number(n);
}
using deals::isoTime;
using deals::parseTime;
} // namespace

std::vector<ColumnSpec> roomColumns()
{
    return {{"account_id"},
            {"account_name"},
            {"account_key"},
            {"website"},
            {"domain"},
            {"country"},
            {"name"},
            {"stage"},
            {"amount_minor", true},
            {"currency"},
            {"close_date"},
            {"products", true},
            {"ace_opportunity_id"},
            {"ace_review_status"},
            {"mpc_referral_id"},
            {"registration_id"},
            {"created_at"},
            {"updated_at"},
            {"last_activity_at"}};
}

QStringList values(const DealRoom &r)
{
    return {r.account.accountId,
            r.account.name,
            r.account.nameKey,
            r.account.website,
            r.account.domain,
            r.account.country,
            r.name,
            r.stage,
            number(r.amountMinor),
            r.currency,
            dateText(r.closeDate),
            json::array(r.products),
            r.aceOpportunityId,
            r.aceReviewStatus,
            r.partnerCenterReferralId,
            r.registrationId,
            isoTime(r.createdAt),
            isoTime(r.updatedAt),
            isoTime(r.lastActivityAt)};
}

DealRoom roomFrom(const QString &id, const QStringList &v)
{
    DealRoom r;
    r.id = id;
    r.account.accountId = v.at(0);
    r.account.name = v.at(1);
    r.account.nameKey = v.at(2);
    r.account.website = v.at(3);
    r.account.domain = v.at(4);
    r.account.country = v.at(5);
    r.name = v.at(6);
    r.stage = v.at(7);
    r.amountMinor = v.at(8).toLongLong();
    r.currency = v.at(9);
    r.closeDate = dateFrom(v.at(10));
    r.products = json::parseArray(v.at(11));
    r.aceOpportunityId = v.at(12);
    r.aceReviewStatus = v.at(13);
    r.partnerCenterReferralId = v.at(14);
    r.registrationId = v.at(15);
    r.createdAt = parseTime(v.at(16));
    r.updatedAt = parseTime(v.at(17));
    r.lastActivityAt = parseTime(v.at(18));
    return r;
}

std::vector<ColumnSpec> participantColumns()
{
    return {{"room_id"}, {"organization_id"}, {"role"}, {"added_at"}};
}

QStringList values(const RoomParticipant &p)
{
    return {p.roomId, p.organizationId, deals::key(p.role), isoTime(p.addedAt)};
}

RoomParticipant participantFrom(const QString &id, const QStringList &v)
{
    RoomParticipant p;
    p.id = id;
    p.roomId = v.at(0);
    p.organizationId = v.at(1);
    p.role = deals::roleFromKey(v.at(2)).value_or(ParticipantRole::Influencing);
    p.addedAt = parseTime(v.at(3));
    return p;
}

std::vector<ColumnSpec> roomPersonColumns()
{
    return {{"room_id"}, {"person_id"}, {"added_at"}};
}

std::vector<ColumnSpec> eventColumns()
{
    return {{"room_id"}, {"kind"}, {"author_id"}, {"actor"}, {"at"}, {"text"}, {"detail", true}};
}

QStringList values(const RoomEvent &e)
{
    return {e.roomId,
            deals::key(e.kind),
            e.authorId,
            e.actor,
            isoTime(e.at),
            e.text,
            e.detail.isEmpty() ? QStringLiteral("{}") : e.detail};
}

RoomEvent eventFrom(const QString &id, const QStringList &v)
{
    RoomEvent e;
    e.id = id;
    e.roomId = v.at(0);
    e.kind = deals::eventKindFromKey(v.at(1)).value_or(EventKind::System);
    e.authorId = v.at(2);
    e.actor = v.at(3);
    e.at = parseTime(v.at(4));
    e.text = v.at(5);
    e.detail = v.at(6);
    return e;
}

std::vector<ColumnSpec> taskColumns()
{
    return {{"room_id"}, {"title"}, {"owner_id"}, {"due_date"}, {"done_at"}, {"created_at"}};
}

QStringList values(const RoomTask &t)
{
    return {t.roomId, t.title, t.ownerId, dateText(t.dueDate), isoTime(t.doneAt), isoTime(t.createdAt)};
}

RoomTask taskFrom(const QString &id, const QStringList &v)
{
    RoomTask t;
    t.id = id;
    t.roomId = v.at(0);
    t.title = v.at(1);
    t.ownerId = v.at(2);
    t.dueDate = dateFrom(v.at(3));
    t.doneAt = parseTime(v.at(4));
    t.createdAt = parseTime(v.at(5));
    return t;
}

std::vector<ColumnSpec> documentColumns()
{
    return {{"room_id"}, {"name"}, {"mime"}, {"size", true}, {"sha256"}, {"added_by"}, {"added_at"}};
}

QStringList values(const RoomDocument &d)
{
    return {d.roomId, d.name, d.mime, number(d.size), d.sha256, d.addedBy, isoTime(d.addedAt)};
}

RoomDocument documentFrom(const QString &id, const QStringList &v)
{
    RoomDocument d;
    d.id = id;
    d.roomId = v.at(0);
    d.name = v.at(1);
    d.mime = v.at(2);
    d.size = v.at(3).toLongLong();
    d.sha256 = v.at(4);
    d.addedBy = v.at(5);
    d.addedAt = parseTime(v.at(6));
    return d;
}

std::vector<ColumnSpec> registrationColumns()
{
    return {{"partner_id"},         {"account_name"}, {"account_key"},    {"website"},    {"domain"},  {"country"},
            {"amount_minor", true}, {"currency"},     {"products", true}, {"close_date"}, {"status"},  {"reason"},
            {"submitted_at"},       {"decided_at"},   {"approved_at"},    {"expires_at"}, {"room_id"}, {"updated_at"}};
}

QStringList values(const Registration &r)
{
    return {r.partnerId,
            r.account.name,
            r.account.nameKey,
            r.account.website,
            r.account.domain,
            r.account.country,
            number(r.amountMinor),
            r.currency,
            json::array(r.products),
            dateText(r.closeDate),
            deals::key(r.status),
            r.reason,
            isoTime(r.submittedAt),
            isoTime(r.decidedAt),
            isoTime(r.approvedAt),
            isoTime(r.expiresAt),
            r.roomId,
            isoTime(r.updatedAt)};
}

Registration registrationFrom(const QString &id, const QStringList &v)
{
    Registration r;
    r.id = id;
    r.partnerId = v.at(0);
    r.account.name = v.at(1);
    r.account.nameKey = v.at(2);
    r.account.website = v.at(3);
    r.account.domain = v.at(4);
    r.account.country = v.at(5);
    r.amountMinor = v.at(6).toLongLong();
    r.currency = v.at(7);
    r.products = json::parseArray(v.at(8));
    r.closeDate = dateFrom(v.at(9));
    r.status = deals::registrationStatusFromKey(v.at(10)).value_or(RegistrationStatus::Submitted);
    r.reason = v.at(11);
    r.submittedAt = parseTime(v.at(12));
    r.decidedAt = parseTime(v.at(13));
    r.approvedAt = parseTime(v.at(14));
    r.expiresAt = parseTime(v.at(15));
    r.roomId = v.at(16);
    r.updatedAt = parseTime(v.at(17));
    return r;
}

std::vector<ColumnSpec> referralColumns()
{
    return {{"from_org_id"},
            {"to_org_id"},
            {"account_name"},
            {"website"},
            {"domain"},
            {"country"},
            {"need"},
            {"contact"},
            {"expected_minor", true},
            {"currency"},
            {"fee_kind"},
            {"fee_flat_minor", true},
            {"fee_percent_bp", true},
            {"status"},
            {"reason"},
            {"sent_at"},
            {"sla_due_at"},
            {"answered_at"},
            {"room_id"},
            {"updated_at"}};
}

QStringList values(const Referral &r)
{
    return {r.fromOrgId,
            r.toOrgId,
            r.account.name,
            r.account.website,
            r.account.domain,
            r.account.country,
            r.need,
            r.contact,
            number(r.expectedMinor),
            r.currency,
            r.fee == Referral::Fee::Flat ? QStringLiteral("flat") : QStringLiteral("percent"),
            number(r.feeFlatMinor),
            number(r.feePercentBp),
            deals::key(r.status),
            r.reason,
            isoTime(r.sentAt),
            isoTime(r.slaDueAt),
            isoTime(r.answeredAt),
            r.roomId,
            isoTime(r.updatedAt)};
}

Referral referralFrom(const QString &id, const QStringList &v)
{
    Referral r;
    r.id = id;
    r.fromOrgId = v.at(0);
    r.toOrgId = v.at(1);
    r.account.name = v.at(2);
    r.account.website = v.at(3);
    r.account.domain = v.at(4);
    r.account.country = v.at(5);
    r.need = v.at(6);
    r.contact = v.at(7);
    r.expectedMinor = v.at(8).toLongLong();
    r.currency = v.at(9);
    r.fee = v.at(10) == QLatin1String("percent") ? Referral::Fee::Percent : Referral::Fee::Flat;
    r.feeFlatMinor = v.at(11).toLongLong();
    r.feePercentBp = v.at(12).toInt();
    r.status = deals::referralStatusFromKey(v.at(13)).value_or(ReferralStatus::Sent);
    r.reason = v.at(14);
    r.sentAt = parseTime(v.at(15));
    r.slaDueAt = parseTime(v.at(16));
    r.answeredAt = parseTime(v.at(17));
    r.roomId = v.at(18);
    r.updatedAt = parseTime(v.at(19));
    return r;
}

Result<int> forEachId(Workspace &workspace, const QString &sql, const QString &bound, const QString &what,
                      const std::function<Status(const QString &id)> &apply)
{
    QSqlQuery q(workspace.db());
    q.setForwardOnly(true);
    q.prepare(sql);
    q.addBindValue(bound);
    if (!q.exec())
        return sqlError(q, what);
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    Transaction tx(workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    for (const QString &id : std::as_const(ids))
        if (Status s = apply(id); !s)
            return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return int(ids.size());
}

} // namespace ecotone::dealtables
