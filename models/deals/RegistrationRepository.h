#pragma once

#include "deals/Conflicts.h"
#include "deals/DealTypes.h"
#include "store/TableWriter.h"

#include <QMap>

#include <functional>
#include <memory>

class QSqlQuery;

namespace ecotone {

class Workspace;

// A submission's result: the stored registration and the channel conflicts found at that moment. Conflicts do
// not block a submission; the vendor sees the evidence when reviewing it.
struct SubmissionResult
{
    Registration registration;
    QList<Conflict> conflicts;
};

// Deal registrations and their state machine (deals::registrationTransitions()). Every change is journaled;
// approval creates the deal room (registering partner as sourcing participant) in the same transaction.
class RegistrationRepository
{
public:
    explicit RegistrationRepository(Workspace &workspace);
    ~RegistrationRepository();

    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    QDateTime now() const;
    // How long an approval protects the account (default deals::kDefaultProtectionDays).
    void setProtectionDays(int days) { m_protectionDays = days; }
    int protectionDays() const { return m_protectionDays; }

    // Validates, normalizes the account, stores it as Submitted and reports conflicts.
    Result<SubmissionResult> submit(Registration &registration);
    Status startReview(const QString &id);
    // Refused with the evidence when another approved registration covers the account and an overlapping product
    // set. Returns the new room.
    Result<DealRoom> approve(const QString &id, const QString &actor = {});
    Status reject(const QString &id, const QString &reason);
    Status returnForChanges(const QString &id, const QString &reason);
    // Returned → Submitted, with the partner's corrections (account, amount, products, close date); conflicts are
    // checked again.
    Result<SubmissionResult> resubmit(Registration &corrected);
    // Approved only: the protection runs for days more from the later of now and the current expiry.
    Status extend(const QString &id, int days);

    Result<Registration> find(const QString &id);
    // Newest first; partnerId filters (empty: all).
    Result<QList<Registration>> list(const QString &partnerId = {}, int limit = -1);
    // What the Registrations page filters on, all in SQL.
    struct Filter
    {
        QString partnerId;                        // empty: every partner
        std::optional<RegistrationStatus> status; // empty: every status
        QString text;                             // part of the account name, website or domain
    };
    Result<QList<Registration>> list(const Filter &filter, int limit = -1);
    // Rows matching the filter per status, ignoring filter.status (what the status picker counts).
    Result<QMap<RegistrationStatus, qint64>> statusCounts(const Filter &filter);
    // Approved registrations whose protection ends within days from now, soonest first.
    Result<QList<Registration>> expiring(int withinDays);
    // Approved registrations past their expiry become Expired. Returns how many.
    Result<int> expireDue(const QDateTime &now);

    ConflictChecker &conflicts() { return *m_checker; }

private:
    Status move(Registration &registration, RegistrationStatus to, const QString &reason);
    Status validate(Registration &registration);
    QList<Registration> readAll(QSqlQuery &query) const; // rows of selectWithPartner()

    Workspace &m_workspace;
    std::function<QDateTime()> m_now;
    int m_protectionDays = deals::kDefaultProtectionDays;
    TableWriter m_writer;
    std::unique_ptr<ConflictChecker> m_checker;
};

} // namespace ecotone
