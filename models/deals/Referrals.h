#pragma once

#include "deals/DealTypes.h"
#include "store/TableWriter.h"

#include <QMap>

#include <functional>

namespace ecotone {

class Workspace;

// Partner-to-partner referrals and their state machine (deals::referralTransitions()). The outcome stays on the
// record (status, reason, room), so insights can credit partner-to-partner revenue.
class ReferralRepository
{
public:
    explicit ReferralRepository(Workspace &workspace);
    ~ReferralRepository();

    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    QDateTime now() const;
    void setSlaDays(int days) { m_slaDays = days; } // default deals::kDefaultReferralSlaDays

    // Validates (two different organizations, an account name, fee terms), stores it as Sent with its SLA.
    Status send(Referral &referral);
    Status accept(const QString &id);
    Status decline(const QString &id, const QString &reason);
    // Accepted → Converted: a deal room with the referring organization as sourcing and the receiver as
    // fulfilling participant, in the same transaction. Returns the room.
    Result<DealRoom> convert(const QString &id, const QString &actor = {});

    Result<Referral> find(const QString &id);
    // organizationId empty: all; otherwise inbox (received) or outbox (sent) of that organization.
    enum class Box
    {
        All,
        Inbox,
        Outbox,
    };
    Result<QList<Referral>> list(Box box = Box::All, const QString &organizationId = {}, int limit = -1);
    // What the Referrals page filters on, all in SQL.
    struct Filter
    {
        Box box = Box::All;
        QString organizationId;               // whose inbox or outbox
        std::optional<ReferralStatus> status; // empty: every status
        QString partnerId; // the other side: the sender in an inbox, the receiver in an outbox, either for All
        QString text;      // part of the account name, website, domain or need
    };
    Result<QList<Referral>> list(const Filter &filter, int limit = -1);
    // Rows matching the filter per status, ignoring filter.status (what the status picker counts).
    Result<QMap<ReferralStatus, qint64>> statusCounts(const Filter &filter);
    // Sent referrals whose SLA ends within hours from now (reminders), soonest first.
    Result<QList<Referral>> dueSoon(int withinHours);
    // Sent referrals past their SLA become Expired. Returns how many.
    Result<int> expireDue(const QDateTime &now);

private:
    Status move(Referral &referral, ReferralStatus to, const QString &reason);

    Workspace &m_workspace;
    std::function<QDateTime()> m_now;
    int m_slaDays = deals::kDefaultReferralSlaDays;
    TableWriter m_writer;
};

struct ExpiryReport
{
    int registrations = 0;
    int referrals = 0;
};

// Both expiries at once (registrations past their protection, referrals past their SLA), in one transaction.
Result<ExpiryReport> expireDue(Workspace &workspace, const QDateTime &now);

} // namespace ecotone
