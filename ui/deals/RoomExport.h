#pragma once

#include "deals/DealTypes.h"

#include <QHash>

namespace ecotone {
class DealRoomRepository;
}

namespace ecotone::ui {

// What a room summary holds: value, participants, people, tasks and the timeline (newest first), with names
// resolved. Built once and written as CSV (one section per part, RFC 4180 quoting) or PDF (QPdfWriter).
struct RoomSummary
{
    DealRoom room;
    QString stageName;
    QList<RoomParticipant> participants;
    QStringList people; // names
    QList<RoomTask> tasks;
    QList<RoomEvent> events;
    QHash<QString, QString> personNames; // id -> name, for authors and task owners

    static Result<RoomSummary> load(DealRoomRepository &rooms, const QString &roomId,
                                    const QHash<QString, QString> &personNames, const QString &stageName);
};

QString roleName(ParticipantRole role);
QString eventKindName(EventKind kind);

Status exportRoomCsv(const RoomSummary &summary, const QString &path);
Status exportRoomPdf(const RoomSummary &summary, const QString &path);

} // namespace ecotone::ui
