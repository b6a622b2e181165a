#pragma once

#include "domain/Result.h"
#include "governance/ConsentLedger.h"
#include "governance/SharingAgreement.h"
#include "store/TableWriter.h"

#include <QList>

#include <functional>

namespace ecotone {

class Workspace;

// Stores sharing agreements. Every write goes through a TableWriter (so it is journaled) and appends the
// matching consent-ledger entry in the same transaction: a failed write leaves neither.
//
// Consent rules: a new agreement has no consents; each side consents with consent(). Changing the terms (level,
// fields or expiry) clears both consents, so the new terms are in force only once both sides agree to them again;
// changing a revoked agreement offers it anew. A revoke is final for that offer and takes effect at once.
class AgreementRepository
{
public:
    enum class Side
    {
        Ours,
        Theirs,
    };

    // actor: who makes the changes, as recorded in the ledger (a user name or device).
    AgreementRepository(Workspace &workspace, QString actor);

    // Validates, assigns id and created time; ledger action "grant".
    Status create(SharingAgreement &agreement);
    // New level, fields or expiry of an existing agreement; ledger action "change". Partner and population are
    // fixed.
    Status change(SharingAgreement &agreement);
    // Ledger action "consent". A revoked or expired agreement cannot be consented to.
    Status consent(const QString &id, Side side);
    // Ledger action "revoke"; effectiveLevel is Hidden from now on.
    Status revoke(const QString &id, const QString &reason = {});

    Result<SharingAgreement> find(const QString &id);
    Result<QList<SharingAgreement>> forPartner(const QString &partnerId);
    Result<QList<SharingAgreement>> all();

    ConsentLedger &ledger() { return m_ledger; }
    // For tests: the clock used for created, consent and revoke times and ledger entries.
    void setClock(std::function<QDateTime()> clock);

private:
    Result<QList<SharingAgreement>> select(const QString &where, const QString &value);
    Status write(const QString &action, const SharingAgreement &before, const SharingAgreement &after,
                 const QJsonObject &detail, bool isNew);

    Workspace &m_workspace;
    QString m_actor;
    TableWriter m_writer;
    ConsentLedger m_ledger;
    std::function<QDateTime()> m_clock;
};

} // namespace ecotone
