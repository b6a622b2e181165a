#include "RegistrationRepository.h"

#include "deals/DealRoomRepository.h"
#include "deals/DealTables.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QVariant>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::RegistrationRepository)
};

QString selectWithPartner(const TableWriter &writer)
{
    QString out = QStringLiteral("r.id");
    for (const ColumnSpec &c : writer.columns())
        out += QStringLiteral(", r.") + QLatin1String(c.name);
    return out + QStringLiteral(", o.name");
}
} // namespace

RegistrationRepository::RegistrationRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("deal_registrations"), dealtables::registrationColumns())
    , m_checker(std::make_unique<ConflictChecker>(workspace))
{}

RegistrationRepository::~RegistrationRepository() = default;

QDateTime RegistrationRepository::now() const
{
    return m_now ? m_now().toUTC() : QDateTime::currentDateTimeUtc();
}

Status RegistrationRepository::validate(Registration &r)
{
    QStringList problems;
    r.account = DealAccount::from(r.account.name, r.account.website, r.account.country, r.account.accountId);
    r.currency = r.currency.trimmed().toUpper();
    QStringList products; // as spelled first, one per case-folded name
    for (const QString &p : std::as_const(r.products))
        if (const QString t = p.simplified(); !t.isEmpty() && !products.contains(t, Qt::CaseInsensitive))
            products << t;
    r.products = products;
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT kind, name FROM organizations WHERE id = ?"));
    q.addBindValue(r.partnerId);
    if (!q.exec() || !q.next())
        problems << Tr::tr("The partner %1 does not exist.").arg(r.partnerId);
    else if (q.value(0).toString() != QLatin1String("partner"))
        problems << Tr::tr("%1 is the vendor; only partners register deals.").arg(q.value(1).toString());
    else
        r.partnerName = q.value(1).toString();
    if (r.account.name.isEmpty())
        problems << Tr::tr("The account needs a name.");
    if (r.amountMinor < 0)
        problems << Tr::tr("The amount cannot be negative.");
    if (!deals::isCurrencyCode(r.currency))
        problems << Tr::tr("\"%1\" is not an ISO 4217 currency code.").arg(r.currency);
    if (problems.isEmpty())
        return {};
    return Error{Tr::tr("The registration was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
}

Result<SubmissionResult> RegistrationRepository::submit(Registration &registration)
{
    if (Status s = validate(registration); !s)
        return Error{s.error()};
    if (registration.id.isEmpty())
        registration.id = m_workspace.ids().next();
    registration.status = RegistrationStatus::Submitted;
    registration.reason.clear();
    registration.submittedAt = registration.updatedAt = now();
    registration.decidedAt = registration.approvedAt = registration.expiresAt = {};
    registration.roomId.clear();
    Result<QList<Conflict>> conflicts = m_checker->check(registration.account, registration.partnerId, registration.id);
    if (!conflicts)
        return Error{conflicts.error()};
    if (Status s = m_writer.insert(registration.id, dealtables::values(registration)); !s)
        return Error{s.error()};
    return SubmissionResult{registration, conflicts.value()};
}

Status RegistrationRepository::move(Registration &r, RegistrationStatus to, const QString &reason)
{
    if (Status s = deals::checkTransition(r.status, to); !s)
        return s;
    if (to == RegistrationStatus::Rejected && reason.trimmed().isEmpty())
        return Error{Tr::tr("A rejection needs a reason the partner can read.")};
    const QStringList before = dealtables::values(r);
    const QDateTime at = now();
    r.status = to;
    r.reason = reason.trimmed();
    r.updatedAt = at;
    if (to == RegistrationStatus::Approved || to == RegistrationStatus::Rejected || to == RegistrationStatus::Returned)
        r.decidedAt = at;
    return m_writer.update(r.id, before, dealtables::values(r));
}

Status RegistrationRepository::startReview(const QString &id)
{
    Result<Registration> r = find(id);
    if (!r)
        return Error{r.error()};
    return move(r.value(), RegistrationStatus::UnderReview, {});
}

Result<DealRoom> RegistrationRepository::approve(const QString &id, const QString &actor)
{
    Result<Registration> found = find(id);
    if (!found)
        return Error{found.error()};
    Registration r = found.value();
    if (Status s = deals::checkTransition(r.status, RegistrationStatus::Approved); !s)
        return Error{s.error()};
    Result<QList<Conflict>> overlaps = m_checker->approvedOverlaps(r.account, r.products, r.id);
    if (!overlaps)
        return Error{overlaps.error()};
    if (!overlaps->isEmpty()) {
        QStringList evidence;
        for (const Conflict &c : overlaps.value())
            evidence << c.describe();
        return Error{Tr::tr("The registration %1 cannot be approved: the account already has an approved registration "
                            "for an overlapping product set. %2")
                         .arg(r.id, evidence.join(QLatin1Char(' ')))};
    }
    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    DealRoomRepository rooms(m_workspace);
    rooms.setClock([this] { return now(); });
    Result<QList<DealStage>> stages = rooms.stages();
    if (!stages || stages->isEmpty())
        return Error{stages ? Tr::tr("The pipeline has no stages.") : stages.error()};
    DealRoom room;
    room.account = r.account;
    room.name = r.account.name;
    room.stage = stages->first().id;
    room.amountMinor = r.amountMinor;
    room.currency = r.currency;
    room.closeDate = r.closeDate;
    room.products = r.products;
    room.registrationId = r.id;
    if (Status s = rooms.create(room, actor); !s)
        return Error{s.error()};
    RoomParticipant sourcing;
    sourcing.roomId = room.id;
    sourcing.organizationId = r.partnerId;
    sourcing.role = ParticipantRole::Sourcing;
    if (Status s = rooms.addParticipant(sourcing, true, {}, actor); !s)
        return Error{s.error()};
    const QStringList before = dealtables::values(r);
    const QDateTime at = now();
    r.status = RegistrationStatus::Approved;
    r.reason.clear();
    r.decidedAt = r.approvedAt = r.updatedAt = at;
    r.expiresAt = at.addDays(m_protectionDays);
    r.roomId = room.id;
    if (Status s = m_writer.update(r.id, before, dealtables::values(r)); !s)
        return Error{s.error()};
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return rooms.find(room.id);
}

Status RegistrationRepository::reject(const QString &id, const QString &reason)
{
    Result<Registration> r = find(id);
    if (!r)
        return Error{r.error()};
    return move(r.value(), RegistrationStatus::Rejected, reason);
}

Status RegistrationRepository::returnForChanges(const QString &id, const QString &reason)
{
    Result<Registration> r = find(id);
    if (!r)
        return Error{r.error()};
    return move(r.value(), RegistrationStatus::Returned, reason);
}

Result<SubmissionResult> RegistrationRepository::resubmit(Registration &corrected)
{
    Result<Registration> found = find(corrected.id);
    if (!found)
        return Error{found.error()};
    const Registration &before = found.value();
    if (Status s = deals::checkTransition(before.status, RegistrationStatus::Submitted); !s)
        return Error{s.error()};
    corrected.partnerId = before.partnerId; // a registration keeps its partner
    if (Status s = validate(corrected); !s)
        return Error{s.error()};
    corrected.status = RegistrationStatus::Submitted;
    corrected.reason.clear();
    corrected.submittedAt = corrected.updatedAt = now();
    corrected.decidedAt = before.decidedAt;
    corrected.approvedAt = {};
    corrected.expiresAt = {};
    corrected.roomId.clear();
    Result<QList<Conflict>> conflicts = m_checker->check(corrected.account, corrected.partnerId, corrected.id);
    if (!conflicts)
        return Error{conflicts.error()};
    if (Status s = m_writer.update(corrected.id, dealtables::values(before), dealtables::values(corrected)); !s)
        return Error{s.error()};
    return SubmissionResult{corrected, conflicts.value()};
}

Status RegistrationRepository::extend(const QString &id, int days)
{
    if (days <= 0)
        return Error{Tr::tr("An extension needs a positive number of days, not %1.").arg(days)};
    Result<Registration> found = find(id);
    if (!found)
        return Error{found.error()};
    Registration r = found.value();
    if (r.status != RegistrationStatus::Approved)
        return Error{
            Tr::tr("Only an approved registration can be extended; %1 is %2.").arg(id, deals::displayName(r.status))};
    const QStringList before = dealtables::values(r);
    const QDateTime at = now();
    r.expiresAt = std::max(at, r.expiresAt).addDays(days);
    r.updatedAt = at;
    return m_writer.update(r.id, before, dealtables::values(r));
}

QList<Registration> RegistrationRepository::readAll(QSqlQuery &q) const
{
    QList<Registration> out;
    const int nameColumn = int(m_writer.columns().size()) + 1;
    while (q.next()) {
        Registration r = dealtables::registrationFrom(q.value(0).toString(), m_writer.valuesFrom(q));
        r.partnerName = q.value(nameColumn).toString();
        out << r;
    }
    return out;
}

Result<Registration> RegistrationRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_registrations r JOIN organizations o ON o.id = r.partner_id WHERE "
                             "r.id = ?")
                  .arg(selectWithPartner(m_writer)));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a registration"));
    if (!q.next())
        return Error{Tr::tr("The registration %1 does not exist.").arg(id)};
    Registration r = dealtables::registrationFrom(q.value(0).toString(), m_writer.valuesFrom(q));
    r.partnerName = q.value(int(m_writer.columns().size()) + 1).toString();
    return r;
}

Result<QList<Registration>> RegistrationRepository::list(const QString &partnerId, int limit)
{
    Filter f;
    f.partnerId = partnerId;
    return list(f, limit);
}

namespace {
// The WHERE clause of a filter and its bind values; withStatus false leaves the status out (for the counts).
QString whereOf(const RegistrationRepository::Filter &f, bool withStatus, QVariantList &binds)
{
    QStringList conds;
    if (!f.partnerId.isEmpty()) {
        conds << QStringLiteral("r.partner_id = ?");
        binds << f.partnerId;
    }
    if (withStatus && f.status) {
        conds << QStringLiteral("r.status = ?");
        binds << deals::key(*f.status);
    }
    if (!f.text.trimmed().isEmpty()) {
        conds << QStringLiteral("(r.account_name LIKE ? ESCAPE '\\' OR r.website LIKE ? ESCAPE '\\' OR r.domain "
                                "LIKE ? ESCAPE '\\')");
        const QString pattern = deals::likePattern(f.text);
        binds << pattern << pattern << pattern;
    }
    return conds.isEmpty() ? QString() : QStringLiteral("WHERE ") + conds.join(QStringLiteral(" AND "));
}
} // namespace

Result<QList<Registration>> RegistrationRepository::list(const Filter &filter, int limit)
{
    QVariantList binds;
    const QString where = whereOf(filter, true, binds);
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM deal_registrations r JOIN organizations o ON o.id = r.partner_id %2 "
                             "ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?")
                  .arg(selectWithPartner(m_writer), where));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Listing registrations"));
    return readAll(q);
}

Result<QMap<RegistrationStatus, qint64>> RegistrationRepository::statusCounts(const Filter &filter)
{
    QVariantList binds;
    const QString where = whereOf(filter, false, binds);
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT r.status, COUNT(*) FROM deal_registrations r %1 GROUP BY r.status").arg(where));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, Tr::tr("Counting registrations"));
    QMap<RegistrationStatus, qint64> out;
    while (q.next())
        if (auto status = deals::registrationStatusFromKey(q.value(0).toString()))
            out[*status] += q.value(1).toLongLong();
    return out;
}

Result<QList<Registration>> RegistrationRepository::expiring(int withinDays)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM deal_registrations r JOIN organizations o ON o.id = r.partner_id WHERE "
                             "r.status = 'approved' AND r.expires_at <> '' AND r.expires_at <= ? ORDER BY "
                             "r.expires_at, r.id")
                  .arg(selectWithPartner(m_writer)));
    q.addBindValue(deals::isoTime(now().addDays(withinDays)));
    if (!q.exec())
        return sqlError(q, Tr::tr("Listing expiring registrations"));
    return readAll(q);
}

Result<int> RegistrationRepository::expireDue(const QDateTime &at)
{
    return dealtables::forEachId(
        m_workspace,
        QStringLiteral("SELECT id FROM deal_registrations WHERE status = 'approved' AND expires_at <> '' AND "
                       "expires_at <= ? ORDER BY expires_at"),
        deals::isoTime(at), Tr::tr("Finding expired registrations"), [this](const QString &id) {
            Result<Registration> r = find(id);
            if (!r)
                return Status(Error{r.error()});
            return move(r.value(), RegistrationStatus::Expired, Tr::tr("The protection period ended."));
        });
}

} // namespace ecotone
