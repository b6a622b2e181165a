#pragma once

#include "domain/Result.h"
#include "store/TableWriter.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace ecotone {

class Workspace;

enum class CollaborationKind
{
    Introduction, // "introduce us": a conversation, nothing is created on accept
    CoSell,       // propose working a customer together: accepting opens a deal room with both organizations
    Referral,     // hand a customer need to the other side
};

enum class CollaborationStatus
{
    Sent,
    Accepted,
    Declined,
};

// A request from one organization to another, started from a listing or a partner page.
struct CollaborationRequest
{
    QString id;
    CollaborationKind kind = CollaborationKind::Introduction;
    QString fromOrg;
    QString toOrg;
    QString listingId;      // the listing it was started from, or ''
    QString accountName;    // the customer, for co_sell and referral
    QString accountWebsite; // optional
    QString message;
    CollaborationStatus status = CollaborationStatus::Sent;
    QString reason; // why it was declined
    QDateTime createdAt;
    QDateTime answeredAt;
    QString resultId; // the deal room an accepted co_sell became (or a referral id recorded with setResult)
};

namespace collaboration {
QString kindKey(CollaborationKind kind); // introduction | co_sell | referral
std::optional<CollaborationKind> kindFromKey(const QString &key);
QString statusKey(CollaborationStatus status); // sent | accepted | declined
} // namespace collaboration

// Stores collaboration requests; every write is journaled (TableWriter) in one transaction with what it causes.
// A request is answered once: sent -> accepted or declined (a decline needs a reason). Accepting a co_sell
// creates a deal room (models/deals) with the requester as sourcing and the receiver as influencing participant,
// named after the customer, in the first pipeline stage, and stores its id as resultId.
class CollaborationRepository
{
public:
    explicit CollaborationRepository(Workspace &workspace);
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }

    // Validates (both organizations exist and differ, the listing exists and belongs to one of them, co_sell and
    // referral name a customer), assigns id and time.
    Status send(CollaborationRequest &request);
    // The accepted request (with resultId for a co_sell).
    Result<CollaborationRequest> accept(const QString &id, const QString &actor = {});
    Status decline(const QString &id, const QString &reason);
    // Links an accepted request to what it became elsewhere (e.g. a referral record).
    Status setResult(const QString &id, const QString &resultId);

    Result<CollaborationRequest> find(const QString &id);
    Result<QList<CollaborationRequest>> incoming(const QString &organizationId); // newest first
    Result<QList<CollaborationRequest>> outgoing(const QString &organizationId);

private:
    Result<QList<CollaborationRequest>> select(const QString &column, const QString &value);
    QDateTime now() const;

    Workspace &m_workspace;
    std::function<QDateTime()> m_now;
    TableWriter m_writer;
};

} // namespace ecotone
