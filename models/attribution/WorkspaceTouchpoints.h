#pragma once

#include "attribution/AttributionPaths.h"

#include <QDate>
#include <QString>

namespace ecotone {
class Workspace;
}

namespace ecotone::attribution {

// One partner activity on a deal, as read from a workspace.
struct Touchpoint
{
    QString journeyId; // the deal room, or the registration / referral that never became one
    QString partnerId;
    QString partnerName;
    QString kind; // registration, referral, referral_accepted, co_sell, technical_validation, marketplace, meeting,
                  // call, note
    QDateTime at;
};

struct WorkspaceJourneyOptions
{
    // Only deals that closed (won or lost) in [from, to]; an invalid date leaves that side open.
    QDate from;
    QDate to;
};

// Touchpoints from the co-sell tables (docs/attribution.md, "Touchpoints from a workspace"): each deal room is a
// journey of the registrations and referrals that led to it, its partner participants and its timeline entries by
// partner people; won rooms convert (value = amount in major units), lost rooms and rejected, declined or expired
// registrations and referrals end without a conversion, open ones are left out. The vendor is never a touch.
Result<QList<Touchpoint>> readTouchpoints(Workspace &workspace, const WorkspaceJourneyOptions &options = {});
Result<PathSet> readWorkspaceJourneys(Workspace &workspace, const WorkspaceJourneyOptions &options = {});

} // namespace ecotone::attribution
