#include "CollaborationRepository.h"

#include "deals/DealRoomRepository.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::CollaborationRepository)
};

std::vector<ColumnSpec> columns()
{
    return {{"kind"},    {"from_org"}, {"to_org"}, {"listing_id"}, {"account_name"}, {"account_website"},
            {"message"}, {"status"},   {"reason"}, {"created_at"}, {"answered_at"},  {"result_id"}};
}

QString stamp(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QStringList toValues(const CollaborationRequest &r)
{
    return {collaboration::kindKey(r.kind),
            r.fromOrg,
            r.toOrg,
            r.listingId,
            r.accountName,
            r.accountWebsite,
            r.message,
            collaboration::statusKey(r.status),
            r.reason,
            stamp(r.createdAt),
            stamp(r.answeredAt),
            r.resultId};
}

CollaborationRequest fromValues(const QString &id, const QStringList &v)
{
    CollaborationRequest r;
    r.id = id;
    r.kind = collaboration::kindFromKey(v.at(0)).value_or(CollaborationKind::Introduction);
    r.fromOrg = v.at(1);
    r.toOrg = v.at(2);
    r.listingId = v.at(3);
    r.accountName = v.at(4);
    r.accountWebsite = v.at(5);
    r.message = v.at(6);
    r.status = v.at(7) == QLatin1String("accepted")   ? CollaborationStatus::Accepted
               : v.at(7) == QLatin1String("declined") ? CollaborationStatus::Declined
                                                      : CollaborationStatus::Sent;
    r.reason = v.at(8);
    r.createdAt = QDateTime::fromString(v.at(9), Qt::ISODateWithMs);
    r.answeredAt = QDateTime::fromString(v.at(10), Qt::ISODateWithMs);
    r.resultId = v.at(11);
    return r;
}
} // namespace

QString collaboration::kindKey(CollaborationKind kind)
{
    switch (kind) {
    case CollaborationKind::Introduction:
        return QStringLiteral("introduction");
    case CollaborationKind::CoSell:
        return QStringLiteral("co_sell");
    case CollaborationKind::Referral:
        return QStringLiteral("referral");
    }
    return {};
}

std::optional<CollaborationKind> collaboration::kindFromKey(const QString &key)
{
    for (auto k : {CollaborationKind::Introduction, CollaborationKind::CoSell, CollaborationKind::Referral})
        if (key == kindKey(k))
            return k;
    return std::nullopt;
}

QString collaboration::statusKey(CollaborationStatus status)
{
    switch (status) {
    case CollaborationStatus::Sent:
        return QStringLiteral("sent");
    case CollaborationStatus::Accepted:
        return QStringLiteral("accepted");
    case CollaborationStatus::Declined:
        return QStringLiteral("declined");
    }
    return {};
}

CollaborationRepository::CollaborationRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("collaboration_requests"), columns())
{}

QDateTime CollaborationRepository::now() const
{
    return m_now ? m_now().toUTC() : QDateTime::currentDateTimeUtc();
}

Status CollaborationRepository::send(CollaborationRequest &r)
{
    r.accountName = r.accountName.trimmed();
    r.message = r.message.trimmed();
    QStringList problems;
    QSqlQuery q(m_workspace.db());
    for (const QString &org : {r.fromOrg, r.toOrg}) {
        q.prepare(QStringLiteral("SELECT 1 FROM organizations WHERE id = ?"));
        q.addBindValue(org);
        if (!q.exec() || !q.next())
            problems << Tr::tr("The organization \"%1\" does not exist.").arg(org);
    }
    if (r.fromOrg == r.toOrg)
        problems << Tr::tr("A request goes to another organization.");
    if (!r.listingId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT organization_id FROM listings WHERE id = ?"));
        q.addBindValue(r.listingId);
        if (!q.exec() || !q.next())
            problems << Tr::tr("The listing %1 does not exist.").arg(r.listingId);
        else if (q.value(0).toString() != r.toOrg && q.value(0).toString() != r.fromOrg)
            problems << Tr::tr("The listing belongs to neither organization.");
    }
    if (r.kind != CollaborationKind::Introduction && r.accountName.isEmpty())
        problems << Tr::tr("Name the customer to co-sell or refer.");
    if (!problems.isEmpty())
        return Error{Tr::tr("The request was not sent: %1").arg(problems.join(QLatin1Char(' ')))};
    r.id = m_workspace.ids().next();
    r.status = CollaborationStatus::Sent;
    r.reason.clear();
    r.createdAt = now();
    r.answeredAt = {};
    r.resultId.clear();
    return m_writer.insert(r.id, toValues(r));
}

Result<CollaborationRequest> CollaborationRepository::accept(const QString &id, const QString &actor)
{
    Result<CollaborationRequest> before = find(id);
    if (!before)
        return before;
    if (before->status != CollaborationStatus::Sent)
        return Error{Tr::tr("The request was already %1.").arg(collaboration::statusKey(before->status))};
    CollaborationRequest after = before.value();
    after.status = CollaborationStatus::Accepted;
    after.answeredAt = now();
    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    if (after.kind == CollaborationKind::CoSell) {
        DealRoomRepository rooms(m_workspace);
        auto stages = rooms.stages();
        if (!stages || stages->isEmpty())
            return Error{stages ? Tr::tr("The workspace has no deal stages.") : stages.error()};
        DealRoom room;
        room.account = DealAccount::from(after.accountName, after.accountWebsite, QString());
        room.name = Tr::tr("Co-sell: %1").arg(after.accountName);
        room.stage = stages->first().id;
        if (Status s = rooms.create(room, actor); !s)
            return Error{s.error()};
        RoomParticipant sourcing;
        sourcing.roomId = room.id;
        sourcing.organizationId = after.fromOrg;
        sourcing.role = ParticipantRole::Sourcing;
        RoomParticipant influencing;
        influencing.roomId = room.id;
        influencing.organizationId = after.toOrg;
        influencing.role = ParticipantRole::Influencing;
        if (Status s = rooms.addParticipant(sourcing, true, {}, actor); !s)
            return Error{s.error()};
        if (Status s = rooms.addParticipant(influencing, true, {}, actor); !s)
            return Error{s.error()};
        after.resultId = room.id;
    }
    if (Status s = m_writer.update(id, toValues(before.value()), toValues(after)); !s)
        return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return after;
}

Status CollaborationRepository::decline(const QString &id, const QString &reason)
{
    Result<CollaborationRequest> before = find(id);
    if (!before)
        return Error{before.error()};
    if (before->status != CollaborationStatus::Sent)
        return Error{Tr::tr("The request was already %1.").arg(collaboration::statusKey(before->status))};
    if (reason.trimmed().isEmpty())
        return Error{Tr::tr("Say why the request is declined.")};
    CollaborationRequest after = before.value();
    after.status = CollaborationStatus::Declined;
    after.reason = reason.trimmed();
    after.answeredAt = now();
    return m_writer.update(id, toValues(before.value()), toValues(after));
}

Status CollaborationRepository::setResult(const QString &id, const QString &resultId)
{
    Result<CollaborationRequest> before = find(id);
    if (!before)
        return Error{before.error()};
    if (before->status != CollaborationStatus::Accepted)
        return Error{Tr::tr("Only an accepted request leads somewhere.")};
    CollaborationRequest after = before.value();
    after.resultId = resultId;
    return m_writer.update(id, toValues(before.value()), toValues(after));
}

Result<CollaborationRequest> CollaborationRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM collaboration_requests WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a collaboration request"));
    if (!q.next())
        return Error{Tr::tr("The collaboration request %1 does not exist.").arg(id)};
    return fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
}

Result<QList<CollaborationRequest>> CollaborationRepository::select(const QString &column, const QString &value)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM collaboration_requests WHERE %2 = ? ORDER BY created_at DESC, id DESC")
                  .arg(m_writer.selectList(), column));
    q.addBindValue(value);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading collaboration requests"));
    QList<CollaborationRequest> out;
    while (q.next())
        out << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

Result<QList<CollaborationRequest>> CollaborationRepository::incoming(const QString &organizationId)
{
    return select(QStringLiteral("to_org"), organizationId);
}

Result<QList<CollaborationRequest>> CollaborationRepository::outgoing(const QString &organizationId)
{
    return select(QStringLiteral("from_org"), organizationId);
}

} // namespace ecotone
