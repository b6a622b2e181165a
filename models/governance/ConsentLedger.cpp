#include "ConsentLedger.h"

#include "governance/SharingAgreement.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ConsentLedger)
};

// QJsonObject keeps its keys sorted, so compact QJsonDocument output is canonical: no whitespace, keys in
// code-point order at every level, integers without a fraction.
QString canonicalText(qint64 seq, const QString &at, const QString &actor, const QString &action,
                      const QString &agreementId, const QJsonObject &detail)
{
    const QJsonObject o{{QStringLiteral("seq"), seq},
                        {QStringLiteral("at"), at},
                        {QStringLiteral("actor"), actor},
                        {QStringLiteral("action"), action},
                        {QStringLiteral("agreement_id"), agreementId},
                        {QStringLiteral("detail"), detail}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString sha256Hex(const QString &prevHash, const QString &canonical)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(prevHash.toUtf8());
    h.addData(canonical.toUtf8());
    return QString::fromLatin1(h.result().toHex());
}

std::optional<QJsonObject> parseDetail(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}
} // namespace

ConsentLedger::ConsentLedger(Workspace &workspace)
    : m_workspace(workspace)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{}

QString ConsentLedger::canonical(const LedgerEntry &e)
{
    return canonicalText(e.seq, sharing::timestamp(e.at), e.actor, e.action, e.agreementId, e.detail);
}

QString ConsentLedger::computeHash(const QString &prevHash, const LedgerEntry &entry)
{
    return sha256Hex(prevHash, canonical(entry));
}

Status ConsentLedger::append(LedgerEntry &entry)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    QSqlQuery q(m_workspace.db());
    if (!q.exec(QStringLiteral("SELECT seq, hash FROM consent_ledger ORDER BY seq DESC LIMIT 1")))
        return sqlError(q, Tr::tr("Reading the consent ledger"));
    entry.seq = 1;
    entry.prevHash = QString::fromLatin1(kGenesisHash);
    if (q.next()) {
        entry.seq = q.value(0).toLongLong() + 1;
        entry.prevHash = q.value(1).toString();
    }
    if (!entry.at.isValid())
        entry.at = m_clock();
    entry.at = entry.at.toUTC();
    entry.hash = computeHash(entry.prevHash, entry);
    q.prepare(
        QStringLiteral("INSERT INTO consent_ledger (seq, at, actor, action, agreement_id, detail, prev_hash, hash)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(entry.seq);
    q.addBindValue(sharing::timestamp(entry.at));
    q.addBindValue(entry.actor.isNull() ? QStringLiteral("") : entry.actor);
    q.addBindValue(entry.action);
    q.addBindValue(entry.agreementId.isNull() ? QStringLiteral("") : entry.agreementId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(entry.detail).toJson(QJsonDocument::Compact)));
    q.addBindValue(entry.prevHash);
    q.addBindValue(entry.hash);
    if (!q.exec())
        return sqlError(q, Tr::tr("Appending to the consent ledger"));
    return tx.commit();
}

Status ConsentLedger::recordView(const QString &actor, const QString &agreementId, const QJsonObject &detail)
{
    return record(QStringLiteral("view"), actor, agreementId, detail);
}

Status ConsentLedger::recordExport(const QString &actor, const QString &agreementId, const QJsonObject &detail)
{
    return record(QStringLiteral("export"), actor, agreementId, detail);
}

Status ConsentLedger::record(const QString &action, const QString &actor, const QString &agreementId,
                             const QJsonObject &detail)
{
    LedgerEntry e;
    e.actor = actor;
    e.action = action;
    e.agreementId = agreementId;
    e.detail = detail;
    return append(e);
}

Result<LedgerVerification> ConsentLedger::verify()
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT seq, at, actor, action, agreement_id, detail, prev_hash, hash FROM consent_ledger ORDER BY seq")))
        return sqlError(q, Tr::tr("Reading the consent ledger"));
    LedgerVerification v;
    QString previousHash = QString::fromLatin1(kGenesisHash);
    qint64 previousSeq = 0;
    auto broken = [&](LedgerVerification::Problem problem, qint64 seq, const QString &reason) {
        v.problem = problem;
        v.firstBadSeq = seq;
        v.reason = reason;
        v.headHash.clear();
        return v;
    };
    while (q.next()) {
        const qint64 seq = q.value(0).toLongLong();
        ++v.entries;
        if (seq != previousSeq + 1)
            return broken(
                LedgerVerification::Problem::Missing, seq,
                previousSeq == 0
                    ? Tr::tr("entry %1 is the first, but the ledger starts at 1: entries were deleted").arg(seq)
                    : Tr::tr("entry %1 follows entry %2: entries were deleted").arg(seq).arg(previousSeq));
        const QString prevHash = q.value(6).toString();
        if (prevHash != previousHash)
            return broken(LedgerVerification::Problem::Reordered, seq,
                          Tr::tr("entry %1 does not follow the entry before it (its previous hash does not match): "
                                 "entries were reordered, replaced or deleted")
                              .arg(seq));
        const auto detail = parseDetail(q.value(5).toString());
        const QString hash = q.value(7).toString();
        if (!detail ||
            sha256Hex(prevHash, canonicalText(seq, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                              q.value(4).toString(), *detail)) != hash)
            return broken(LedgerVerification::Problem::Edited, seq,
                          Tr::tr("entry %1 was edited (its hash does not match its contents)").arg(seq));
        previousHash = hash;
        previousSeq = seq;
    }
    if (q.lastError().isValid())
        return sqlError(q, Tr::tr("Reading the consent ledger"));
    v.headHash = previousHash;
    return v;
}

Result<QList<LedgerEntry>> ConsentLedger::entries(const QString &agreementId)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    QString sql =
        QStringLiteral("SELECT seq, at, actor, action, agreement_id, detail, prev_hash, hash FROM consent_ledger");
    if (!agreementId.isEmpty())
        sql += QStringLiteral(" WHERE agreement_id = ?");
    q.prepare(sql + QStringLiteral(" ORDER BY seq"));
    if (!agreementId.isEmpty())
        q.addBindValue(agreementId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the consent ledger"));
    QList<LedgerEntry> out;
    while (q.next()) {
        LedgerEntry e;
        e.seq = q.value(0).toLongLong();
        e.at = sharing::parseTimestamp(q.value(1).toString());
        e.actor = q.value(2).toString();
        e.action = q.value(3).toString();
        e.agreementId = q.value(4).toString();
        e.detail = parseDetail(q.value(5).toString()).value_or(QJsonObject());
        e.prevHash = q.value(6).toString();
        e.hash = q.value(7).toString();
        out << e;
    }
    return out;
}

Result<QString> ConsentLedger::headHash()
{
    QSqlQuery q(m_workspace.db());
    if (!q.exec(QStringLiteral("SELECT hash FROM consent_ledger ORDER BY seq DESC LIMIT 1")))
        return sqlError(q, Tr::tr("Reading the consent ledger"));
    return q.next() ? q.value(0).toString() : QString::fromLatin1(kGenesisHash);
}

} // namespace ecotone
