#include "AgreementRepository.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSqlQuery>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::AgreementRepository)
};

std::vector<ColumnSpec> agreementColumns()
{
    return {{"partner_id"},       {"population"}, {"level"},      {"fields", true}, {"our_consent_at"},
            {"their_consent_at"}, {"expires_at"}, {"revoked_at"}, {"created_at"}};
}

QStringList toValues(const SharingAgreement &a)
{
    return {a.partnerId,
            a.population,
            sharing::levelKey(a.level),
            json::array(a.fields),
            sharing::timestamp(a.ourConsentAt),
            sharing::timestamp(a.theirConsentAt),
            sharing::timestamp(a.expiresAt),
            sharing::timestamp(a.revokedAt),
            sharing::timestamp(a.createdAt)};
}

SharingAgreement fromValues(const QString &id, const QStringList &v)
{
    SharingAgreement a;
    a.id = id;
    a.partnerId = v.at(0);
    a.population = v.at(1);
    a.level = sharing::levelFromKey(v.at(2)).value_or(SharingLevel::Hidden);
    a.fields = json::parseArray(v.at(3));
    a.ourConsentAt = sharing::parseTimestamp(v.at(4));
    a.theirConsentAt = sharing::parseTimestamp(v.at(5));
    a.expiresAt = sharing::parseTimestamp(v.at(6));
    a.revokedAt = sharing::parseTimestamp(v.at(7));
    a.createdAt = sharing::parseTimestamp(v.at(8));
    return a;
}

QJsonObject terms(const SharingAgreement &a)
{
    return {{QStringLiteral("level"), sharing::levelKey(a.level)},
            {QStringLiteral("fields"), QJsonArray::fromStringList(a.fields)},
            {QStringLiteral("expires_at"), sharing::timestamp(a.expiresAt)}};
}

Status notSaved(const QStringList &problems)
{
    return Error{Tr::tr("The sharing agreement was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
}
} // namespace

AgreementRepository::AgreementRepository(Workspace &workspace, QString actor)
    : m_workspace(workspace)
    , m_actor(std::move(actor))
    , m_writer(workspace, QStringLiteral("sharing_agreements"), agreementColumns())
    , m_ledger(workspace)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{}

void AgreementRepository::setClock(std::function<QDateTime()> clock)
{
    m_clock = clock;
    m_ledger.setClock(std::move(clock));
}

Status AgreementRepository::write(const QString &action, const SharingAgreement &before, const SharingAgreement &after,
                                  const QJsonObject &detail, bool isNew)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    const Status written = isNew ? m_writer.insert(after.id, toValues(after))
                                 : m_writer.update(after.id, toValues(before), toValues(after));
    if (!written)
        return written;
    LedgerEntry entry;
    entry.actor = m_actor;
    entry.action = action;
    entry.agreementId = after.id;
    entry.detail = detail;
    if (Status s = m_ledger.append(entry); !s)
        return s;
    return tx.commit();
}

Status AgreementRepository::create(SharingAgreement &a)
{
    a.createdAt = m_clock().toUTC();
    a.ourConsentAt = {};
    a.theirConsentAt = {};
    a.revokedAt = {};
    QStringList problems = sharing::validate(a);
    if (problems.isEmpty()) {
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT kind FROM organizations WHERE id = ?"));
        q.addBindValue(a.partnerId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Looking up the partner"));
        if (!q.next() || q.value(0).toString() != QLatin1String("partner"))
            problems << Tr::tr("%1 is not a partner in this workspace.").arg(a.partnerId);
        q.prepare(QStringLiteral("SELECT 1 FROM sharing_agreements WHERE partner_id = ? AND population = ?"));
        q.addBindValue(a.partnerId);
        q.addBindValue(a.population);
        if (!q.exec())
            return sqlError(q, Tr::tr("Looking up agreements"));
        if (q.next())
            problems << Tr::tr("There is already an agreement for %1 with this partner; change it instead.")
                            .arg(a.population);
    }
    if (!problems.isEmpty())
        return notSaved(problems);
    if (a.id.isEmpty())
        a.id = m_workspace.ids().next();
    QJsonObject detail = terms(a);
    detail.insert(QStringLiteral("partner_id"), a.partnerId);
    detail.insert(QStringLiteral("population"), a.population);
    return write(QStringLiteral("grant"), a, a, detail, true);
}

Status AgreementRepository::change(SharingAgreement &a)
{
    Result<SharingAgreement> before = find(a.id);
    if (!before)
        return Error{before.error()};
    if (a.partnerId != before->partnerId || a.population != before->population)
        return notSaved({Tr::tr("The partner and population of an agreement cannot change; make a new one.")});
    SharingAgreement after = before.value();
    after.level = a.level;
    after.fields = a.fields;
    after.expiresAt = a.expiresAt;
    if (const QStringList problems = sharing::validate(after); !problems.isEmpty())
        return notSaved(problems);
    if (after.level == before->level && after.fields == before->fields && after.expiresAt == before->expiresAt &&
        !before->revokedAt.isValid()) {
        a = after;
        return {}; // nothing changed: no journal or ledger entry
    }
    // New terms need both sides' consent again.
    after.ourConsentAt = {};
    after.theirConsentAt = {};
    after.revokedAt = {};
    QJsonObject detail = terms(after);
    detail.insert(QStringLiteral("before"), terms(before.value()));
    if (Status s = write(QStringLiteral("change"), before.value(), after, detail, false); !s)
        return s;
    a = after;
    return {};
}

Status AgreementRepository::consent(const QString &id, Side side)
{
    Result<SharingAgreement> before = find(id);
    if (!before)
        return Error{before.error()};
    const QDateTime now = m_clock().toUTC();
    if (before->revokedAt.isValid())
        return Error{Tr::tr("The agreement %1 was revoked; change it to offer it again before consenting.").arg(id)};
    if (before->expiresAt.isValid() && now >= before->expiresAt)
        return Error{Tr::tr("The agreement %1 has expired; change its expiry before consenting.").arg(id)};
    SharingAgreement after = before.value();
    (side == Side::Ours ? after.ourConsentAt : after.theirConsentAt) = now;
    const QJsonObject detail{
        {QStringLiteral("side"), side == Side::Ours ? QStringLiteral("ours") : QStringLiteral("theirs")},
        {QStringLiteral("terms"), terms(after)}};
    return write(QStringLiteral("consent"), before.value(), after, detail, false);
}

Status AgreementRepository::revoke(const QString &id, const QString &reason)
{
    Result<SharingAgreement> before = find(id);
    if (!before)
        return Error{before.error()};
    if (before->revokedAt.isValid())
        return Error{Tr::tr("The agreement %1 is already revoked.").arg(id)};
    SharingAgreement after = before.value();
    after.revokedAt = m_clock().toUTC();
    QJsonObject detail;
    if (!reason.isEmpty())
        detail.insert(QStringLiteral("reason"), reason);
    return write(QStringLiteral("revoke"), before.value(), after, detail, false);
}

Result<QList<SharingAgreement>> AgreementRepository::select(const QString &where, const QString &value)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM sharing_agreements %2 ORDER BY partner_id, population")
                  .arg(m_writer.selectList(), where));
    if (!where.isEmpty())
        q.addBindValue(value);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading sharing agreements"));
    QList<SharingAgreement> out;
    while (q.next())
        out << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    return out;
}

Result<SharingAgreement> AgreementRepository::find(const QString &id)
{
    auto rows = select(QStringLiteral("WHERE id = ?"), id);
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return Error{Tr::tr("The sharing agreement %1 does not exist.").arg(id)};
    return rows->first();
}

Result<QList<SharingAgreement>> AgreementRepository::forPartner(const QString &partnerId)
{
    return select(QStringLiteral("WHERE partner_id = ?"), partnerId);
}

Result<QList<SharingAgreement>> AgreementRepository::all()
{
    return select({}, {});
}

} // namespace ecotone
