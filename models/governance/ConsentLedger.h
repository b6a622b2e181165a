#pragma once

#include "domain/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace ecotone {

class Workspace;

// One entry of the consent ledger. seq, prevHash and hash are assigned by ConsentLedger::append.
struct LedgerEntry
{
    qint64 seq = 0;
    QDateTime at; // UTC
    QString actor;
    QString action; // grant | change | revoke | consent | view | export
    QString agreementId;
    QJsonObject detail;
    QString prevHash;
    QString hash;
};

// What verify() found. When the chain is broken, firstBadSeq names the first entry that does not check out.
struct LedgerVerification
{
    enum class Problem
    {
        None,
        Edited,    // the entry's hash does not match its contents
        Reordered, // the entry's prev_hash is not the hash of the entry before it
        Missing,   // a gap in the sequence numbers: entries were deleted
    };
    qint64 entries = 0; // entries checked (all of them when intact)
    Problem problem = Problem::None;
    qint64 firstBadSeq = 0;
    QString reason;   // a sentence for people, empty when intact
    QString headHash; // hash of the last entry, or the genesis hash of an empty ledger
    bool intact() const { return problem == Problem::None; }
};

// The append-only, hash-chained record of every grant, change, revoke and consent of a sharing agreement, and
// of every view or export of shared data (docs/governance.md).
//
// hash = hex(SHA-256(prev_hash + canonical)), where canonical is the entry as compact JSON with its keys sorted:
// {"action":…,"actor":…,"agreement_id":…,"at":…,"detail":{…},"seq":N}. The first entry's prev_hash is
// kGenesisHash. SQLite triggers refuse UPDATE and DELETE of the table; verify() catches what is done to the file
// behind SQLite's back.
class ConsentLedger
{
public:
    static constexpr const char *kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    explicit ConsentLedger(Workspace &workspace);

    // Appends inside the caller's transaction (or its own). Fills entry.seq, at (now when invalid), prevHash, hash.
    Status append(LedgerEntry &entry);
    Status recordView(const QString &actor, const QString &agreementId, const QJsonObject &detail = {});
    Status recordExport(const QString &actor, const QString &agreementId, const QJsonObject &detail = {});

    Result<LedgerVerification> verify();
    Result<QList<LedgerEntry>> entries(const QString &agreementId = {}); // all when agreementId is empty
    Result<QString> headHash();

    static QString canonical(const LedgerEntry &entry);
    static QString computeHash(const QString &prevHash, const LedgerEntry &entry);

    // For tests: the clock that stamps new entries.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

private:
    Status record(const QString &action, const QString &actor, const QString &agreementId, const QJsonObject &detail);

    Workspace &m_workspace;
    std::function<QDateTime()> m_clock;
};

} // namespace ecotone
