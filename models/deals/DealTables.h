#pragma once

#include "deals/DealTypes.h"
#include "store/TableWriter.h"

#include <functional>
#include <vector>

namespace ecotone {
class Workspace;
}

namespace ecotone::dealtables {

// Column lists and row conversions of the co-sell tables, shared by the repositories and the demo generator so
// both write rows (and journal entries) of the same shape. Values are text in column order (TableWriter).
std::vector<ColumnSpec> roomColumns();
QStringList values(const DealRoom &room);
DealRoom roomFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> participantColumns();
QStringList values(const RoomParticipant &participant);
RoomParticipant participantFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> roomPersonColumns(); // room_id, person_id, added_at

std::vector<ColumnSpec> eventColumns();
QStringList values(const RoomEvent &event);
RoomEvent eventFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> taskColumns();
QStringList values(const RoomTask &task);
RoomTask taskFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> documentColumns(); // without content: the bytes are not journaled (docs/deals.md)
QStringList values(const RoomDocument &document);
RoomDocument documentFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> registrationColumns();
QStringList values(const Registration &registration);
Registration registrationFrom(const QString &id, const QStringList &values);

std::vector<ColumnSpec> referralColumns();
QStringList values(const Referral &referral);
Referral referralFrom(const QString &id, const QStringList &values);

// Runs apply on each id the query (one bound value) returns, all in one transaction: the expiry sweeps.
// Returns how many ids there were; the first failure rolls everything back.
Result<int> forEachId(Workspace &workspace, const QString &sql, const QString &bound, const QString &what,
                      const std::function<Status(const QString &id)> &apply);

} // namespace ecotone::dealtables
