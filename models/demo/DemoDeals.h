#pragma once

#include "domain/Result.h"

#include <QDateTime>

#include <functional>

namespace ecotone {

class Workspace;

struct DemoDealsOptions
{
    quint64 seed = 1;
    int rooms = 2000;
    int eventsPerRoom = 10;
    // "Now" for the generated history: events, due dates and expiries lie around it. Invalid: today 00:00 UTC,
    // so a given seed gives the same records all day and tasks fall overdue relative to the real date.
    QDateTime anchor;
    // Called after each batch with rooms written so far; return false to stop (written batches stay).
    std::function<bool(qint64 done, qint64 total)> progress;
};

struct DemoDealsSummary
{
    qint64 rooms = 0;
    qint64 participants = 0;
    qint64 people = 0; // room access rows
    qint64 events = 0;
    qint64 tasks = 0;
    qint64 overdueTasks = 0;
    qint64 registrations = 0;
    qint64 referrals = 0;
};

// Adds deterministic synthetic co-sell data to a workspace that already has partners and people (a demo
// workspace): rooms across all stages with participants in every role drawn from the partners, their people,
// timelines, tasks (some overdue), registrations in every status and referrals in every status. All rows are
// written through the journaled writers, in large transactions. Made-up names only.
Result<DemoDealsSummary> addDemoDeals(Workspace &workspace, const DemoDealsOptions &options);
Status addDemoDeals(Workspace &workspace, quint64 seed, int rooms, int eventsPerRoom);

} // namespace ecotone
