#include "DealRoomRepository.h"

#include "deals/DealTables.h"
#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QRegularExpression>
#include <QSqlQuery>

#include <algorithm>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::DealRoomRepository)
};

// "r.id, r.account_id, ..." for queries that join.
QString prefixed(const TableWriter &writer, const QString &alias)
{
    QString out = alias + QStringLiteral(".id");
    for (const ColumnSpec &c : writer.columns())
        out += QStringLiteral(", ") + alias + QLatin1Char('.') + QLatin1String(c.name);
    return out;
}

QString placeholders(qsizetype n)
{
    QString out;
    for (qsizetype i = 0; i < n; ++i)
        out += i ? QStringLiteral(",?") : QStringLiteral("?");
    return out;
}

Status validateRoom(const DealRoom &room)
{
    QStringList problems;
    if (room.name.trimmed().isEmpty())
        problems << Tr::tr("A deal room needs a name.");
    if (room.amountMinor < 0)
        problems << Tr::tr("The amount cannot be negative.");
    if (!room.currency.isEmpty() && !deals::isCurrencyCode(room.currency))
        problems << Tr::tr("\"%1\" is not an ISO 4217 currency code.").arg(room.currency);
    if (room.amountMinor > 0 && room.currency.isEmpty())
        problems << Tr::tr("An amount needs its currency.");
    if (problems.isEmpty())
        return {};
    return Error{Tr::tr("The deal room was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
}
} // namespace

DealRoomRepository::DealRoomRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_stages(workspace, QStringLiteral("deal_stages"), {{"name"}, {"position", true}, {"outcome"}})
    , m_rooms(workspace, QStringLiteral("deal_rooms"), dealtables::roomColumns())
    , m_participants(workspace, QStringLiteral("deal_room_participants"), dealtables::participantColumns())
    , m_people(workspace, QStringLiteral("deal_room_people"), dealtables::roomPersonColumns())
    , m_events(workspace, QStringLiteral("deal_events"), dealtables::eventColumns())
    , m_tasks(workspace, QStringLiteral("deal_tasks"), dealtables::taskColumns())
    , m_documents(workspace, QStringLiteral("deal_documents"), dealtables::documentColumns())
{}

DealRoomRepository::~DealRoomRepository() = default;

QDateTime DealRoomRepository::now() const
{
    return m_now ? m_now().toUTC() : QDateTime::currentDateTimeUtc();
}

Result<QList<DealStage>> DealRoomRepository::stages()
{
    QSqlQuery q(m_workspace.db());
    if (!q.exec(QStringLiteral("SELECT id, name, position, outcome FROM deal_stages ORDER BY position, id")))
        return sqlError(q, Tr::tr("Reading the pipeline stages"));
    QList<DealStage> out;
    while (q.next())
        out << DealStage{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(), q.value(3).toString()};
    return out;
}

Status DealRoomRepository::saveStage(const DealStage &stage)
{
    static const QRegularExpression key(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    if (!key.match(stage.id).hasMatch())
        return Error{Tr::tr("A stage key is lower-case letters, digits and _, not \"%1\".").arg(stage.id)};
    if (stage.name.trimmed().isEmpty())
        return Error{Tr::tr("A stage needs a name.")};
    if (stage.outcome != QLatin1String("open") && stage.outcome != QLatin1String("won") &&
        stage.outcome != QLatin1String("lost"))
        return Error{Tr::tr("A stage's outcome is open, won or lost, not \"%1\".").arg(stage.outcome)};
    const QStringList after{stage.name.trimmed(), QString::number(stage.position), stage.outcome};
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    for (const DealStage &s : all.value())
        if (s.id == stage.id)
            return m_stages.update(stage.id, {s.name, QString::number(s.position), s.outcome}, after);
    return m_stages.insert(stage.id, after);
}

Status DealRoomRepository::reorderStages(const QStringList &stageIds)
{
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    QHash<QString, DealStage> byId;
    for (const DealStage &s : all.value())
        byId.insert(s.id, s);
    QStringList seen;
    for (const QString &id : stageIds) {
        if (!byId.contains(id))
            return Error{Tr::tr("\"%1\" is not a stage of the pipeline.").arg(id)};
        if (seen.contains(id))
            return Error{Tr::tr("The stage %1 is listed twice.").arg(id)};
        seen << id;
    }
    if (seen.size() != byId.size())
        return Error{Tr::tr("A new order must list all %n stage(s).", nullptr, int(byId.size()))};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    for (qsizetype i = 0; i < stageIds.size(); ++i) {
        const DealStage &s = byId[stageIds.at(i)];
        if (s.position == int(i + 1))
            continue;
        if (Status st = m_stages.update(s.id, {s.name, QString::number(s.position), s.outcome},
                                        {s.name, QString::number(i + 1), s.outcome});
            !st)
            return st;
    }
    return tx.commit();
}

Result<qint64> DealRoomRepository::stageRoomCount(const QString &stageId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM deal_rooms WHERE stage = ?"));
    q.addBindValue(stageId);
    if (!q.exec() || !q.next())
        return sqlError(q, Tr::tr("Counting a stage's rooms"));
    return q.value(0).toLongLong();
}

Status DealRoomRepository::removeStage(const QString &stageId, const QString &moveRoomsTo, const QString &authorId,
                                       const QString &actor)
{
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    QString name;
    bool targetExists = false;
    for (const DealStage &s : all.value()) {
        if (s.id == stageId)
            name = s.name;
        if (s.id == moveRoomsTo)
            targetExists = true;
    }
    if (name.isEmpty())
        return Error{Tr::tr("\"%1\" is not a stage of the pipeline.").arg(stageId)};
    if (all->size() == 1)
        return Error{Tr::tr("The pipeline needs at least one stage.")};
    if (!moveRoomsTo.isEmpty() && (!targetExists || moveRoomsTo == stageId))
        return Error{Tr::tr("The rooms of %1 cannot move to \"%2\": choose another stage of the pipeline.")
                         .arg(name, moveRoomsTo)};
    Result<qint64> n = stageRoomCount(stageId);
    if (!n)
        return Error{n.error()};
    if (n.value() > 0 && moveRoomsTo.isEmpty())
        return Error{Tr::tr("The stage %1 still holds %2 deal rooms; move them first.").arg(stageId).arg(n.value())};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (n.value() > 0) {
        QSqlQuery q(m_workspace.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id FROM deal_rooms WHERE stage = ? ORDER BY id"));
        q.addBindValue(stageId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading a stage's rooms"));
        QStringList ids;
        while (q.next())
            ids << q.value(0).toString();
        // Each room gets its stage_change event, as if moved by hand; the savepoints nest in this transaction.
        for (const QString &id : std::as_const(ids))
            if (Status s = moveStage(id, moveRoomsTo, authorId, actor); !s)
                return s;
    }
    if (Status s = m_stages.remove(stageId); !s)
        return s;
    return tx.commit();
}

Status DealRoomRepository::create(DealRoom &room, const QString &actor)
{
    if (room.stage.isEmpty())
        room.stage = QStringLiteral("prospect");
    if (!room.account.accountId.isEmpty() && room.account.name.isEmpty()) {
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT name, website, country FROM accounts WHERE id = ?"));
        q.addBindValue(room.account.accountId);
        if (!q.exec() || !q.next())
            return Error{Tr::tr("The account %1 does not exist.").arg(room.account.accountId)};
        room.account.name = q.value(0).toString();
        room.account.website = q.value(1).toString();
        room.account.country = q.value(2).toString();
    }
    room.account =
        DealAccount::from(room.account.name, room.account.website, room.account.country, room.account.accountId);
    room.name = room.name.trimmed();
    if (room.name.isEmpty())
        room.name = room.account.name;
    room.currency = room.currency.toUpper();
    if (Status s = validateRoom(room); !s)
        return s;
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    if (std::none_of(all->begin(), all->end(), [&](const DealStage &s) { return s.id == room.stage; }))
        return Error{Tr::tr("\"%1\" is not a stage of the pipeline.").arg(room.stage)};
    if (room.id.isEmpty())
        room.id = m_workspace.ids().next();
    const QDateTime at = now();
    room.createdAt = room.updatedAt = room.lastActivityAt = at;
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_rooms.insert(room.id, dealtables::values(room)); !s)
        return s;
    RoomEvent created;
    created.roomId = room.id;
    created.kind = EventKind::System;
    created.actor = actor;
    created.at = at;
    created.text = Tr::tr("Deal room created");
    if (Status s = m_events.insert(m_workspace.ids().next(), dealtables::values(created)); !s)
        return s;
    return tx.commit();
}

Status DealRoomRepository::update(DealRoom &room)
{
    Result<DealRoom> before = find(room.id);
    if (!before)
        return Error{before.error()};
    room.account =
        DealAccount::from(room.account.name, room.account.website, room.account.country, room.account.accountId);
    room.name = room.name.trimmed();
    room.currency = room.currency.toUpper();
    if (Status s = validateRoom(room); !s)
        return s;
    room.stage = before->stage; // moveStage() owns stage changes and their timeline entries
    room.createdAt = before->createdAt;
    room.registrationId = before->registrationId;
    const QStringList old = dealtables::values(before.value());
    room.updatedAt = before->updatedAt;
    room.lastActivityAt = before->lastActivityAt;
    if (dealtables::values(room) == old)
        return {};
    room.updatedAt = room.lastActivityAt = now();
    return m_rooms.update(room.id, old, dealtables::values(room));
}

Status DealRoomRepository::moveStage(const QString &roomId, const QString &stageId, const QString &authorId,
                                     const QString &actor)
{
    Result<DealRoom> room = find(roomId);
    if (!room)
        return Error{room.error()};
    if (room->stage == stageId)
        return {};
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    QString fromName, toName;
    for (const DealStage &s : all.value()) {
        if (s.id == room->stage)
            fromName = s.name;
        if (s.id == stageId)
            toName = s.name;
    }
    if (toName.isEmpty())
        return Error{Tr::tr("\"%1\" is not a stage of the pipeline.").arg(stageId)};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    const QDateTime at = now();
    DealRoom after = room.value();
    after.stage = stageId;
    after.updatedAt = after.lastActivityAt = std::max(at, room->lastActivityAt);
    if (Status s = m_rooms.update(roomId, dealtables::values(room.value()), dealtables::values(after)); !s)
        return s;
    RoomEvent e;
    e.roomId = roomId;
    e.kind = EventKind::StageChange;
    e.authorId = authorId;
    e.actor = actor;
    e.at = at;
    e.text = Tr::tr("Stage: %1 → %2").arg(fromName, toName);
    e.detail = json::ObjectWriter().add("from", room->stage).add("to", stageId).finish();
    if (Status s = m_events.insert(m_workspace.ids().next(), dealtables::values(e)); !s)
        return s;
    return tx.commit();
}

Result<DealRoom> DealRoomRepository::find(const QString &roomId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_rooms WHERE id = ?").arg(m_rooms.selectList()));
    q.addBindValue(roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a deal room"));
    if (!q.next())
        return Error{Tr::tr("The deal room %1 does not exist.").arg(roomId)};
    return dealtables::roomFrom(q.value(0).toString(), m_rooms.valuesFrom(q));
}

Status DealRoomRepository::touch(const QString &roomId, const QDateTime &at)
{
    Result<DealRoom> room = find(roomId);
    if (!room)
        return Error{room.error()};
    DealRoom after = room.value();
    after.updatedAt = std::max(at, room->updatedAt);
    after.lastActivityAt = std::max(at, room->lastActivityAt);
    return m_rooms.update(roomId, dealtables::values(room.value()), dealtables::values(after));
}

Status DealRoomRepository::addParticipant(RoomParticipant &participant, bool withPeople, const QString &authorId,
                                          const QString &actor)
{
    Result<DealRoom> room = find(participant.roomId);
    if (!room)
        return Error{room.error()};
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT name FROM organizations WHERE id = ?"));
    q.addBindValue(participant.organizationId);
    if (!q.exec() || !q.next())
        return Error{Tr::tr("The organization %1 does not exist.").arg(participant.organizationId)};
    participant.organizationName = q.value(0).toString();
    q.prepare(QStringLiteral("SELECT 1 FROM deal_room_participants WHERE room_id = ? AND organization_id = ? AND "
                             "role = ?"));
    q.addBindValue(participant.roomId);
    q.addBindValue(participant.organizationId);
    q.addBindValue(deals::key(participant.role));
    if (q.exec() && q.next())
        return Error{Tr::tr("%1 already takes part in this room as %2.")
                         .arg(participant.organizationName, deals::key(participant.role))};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    const QDateTime at = now();
    if (participant.id.isEmpty())
        participant.id = m_workspace.ids().next();
    participant.addedAt = at;
    if (Status s = m_participants.insert(participant.id, dealtables::values(participant)); !s)
        return s;
    if (withPeople) {
        q.prepare(QStringLiteral("SELECT id FROM people WHERE organization_id = ? AND id NOT IN "
                                 "(SELECT person_id FROM deal_room_people WHERE room_id = ?) ORDER BY id"));
        q.addBindValue(participant.organizationId);
        q.addBindValue(participant.roomId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading an organization's people"));
        QStringList ids;
        while (q.next())
            ids << q.value(0).toString();
        for (const QString &person : std::as_const(ids))
            if (Status s = insertPerson(participant.roomId, person); !s)
                return s;
    }
    RoomEvent e;
    e.roomId = participant.roomId;
    e.kind = EventKind::ParticipantChange;
    e.authorId = authorId;
    e.actor = actor;
    e.at = at;
    e.text = Tr::tr("%1 joined as %2").arg(participant.organizationName, deals::key(participant.role));
    e.detail = json::ObjectWriter()
                   .add("change", QStringLiteral("added"))
                   .add("organization_id", participant.organizationId)
                   .add("role", deals::key(participant.role))
                   .finish();
    if (Status s = m_events.insert(m_workspace.ids().next(), dealtables::values(e)); !s)
        return s;
    if (Status s = touch(participant.roomId, at); !s)
        return s;
    return tx.commit();
}

Status DealRoomRepository::removeParticipant(const QString &participantId, const QString &authorId,
                                             const QString &actor)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(
        QStringLiteral("SELECT p.id, p.room_id, p.organization_id, p.role, p.added_at, o.name FROM "
                       "deal_room_participants p JOIN organizations o ON o.id = p.organization_id WHERE p.id = ?"));
    q.addBindValue(participantId);
    if (!q.exec() || !q.next())
        return Error{Tr::tr("The participant %1 does not exist.").arg(participantId)};
    RoomParticipant p =
        dealtables::participantFrom(q.value(0).toString(), {q.value(1).toString(), q.value(2).toString(),
                                                            q.value(3).toString(), q.value(4).toString()});
    p.organizationName = q.value(5).toString();
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_participants.remove(p.id); !s)
        return s;
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM deal_room_participants WHERE room_id = ? AND organization_id = ?"));
    q.addBindValue(p.roomId);
    q.addBindValue(p.organizationId);
    if (!q.exec() || !q.next())
        return sqlError(q, Tr::tr("Reading a room's participants"));
    if (q.value(0).toInt() == 0) {
        q.prepare(QStringLiteral("SELECT rp.id FROM deal_room_people rp JOIN people pe ON pe.id = rp.person_id "
                                 "WHERE rp.room_id = ? AND pe.organization_id = ?"));
        q.addBindValue(p.roomId);
        q.addBindValue(p.organizationId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading a room's people"));
        QStringList ids;
        while (q.next())
            ids << q.value(0).toString();
        for (const QString &id : std::as_const(ids))
            if (Status s = m_people.remove(id); !s)
                return s;
    }
    const QDateTime at = now();
    RoomEvent e;
    e.roomId = p.roomId;
    e.kind = EventKind::ParticipantChange;
    e.authorId = authorId;
    e.actor = actor;
    e.at = at;
    e.text = Tr::tr("%1 left (%2)").arg(p.organizationName, deals::key(p.role));
    e.detail = json::ObjectWriter()
                   .add("change", QStringLiteral("removed"))
                   .add("organization_id", p.organizationId)
                   .add("role", deals::key(p.role))
                   .finish();
    if (Status s = m_events.insert(m_workspace.ids().next(), dealtables::values(e)); !s)
        return s;
    if (Status s = touch(p.roomId, at); !s)
        return s;
    return tx.commit();
}

Result<QList<RoomParticipant>> DealRoomRepository::participants(const QString &roomId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1, o.name FROM deal_room_participants p JOIN organizations o ON o.id = "
                             "p.organization_id WHERE p.room_id = ? ORDER BY p.added_at, p.id")
                  .arg(prefixed(m_participants, QStringLiteral("p"))));
    q.addBindValue(roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a room's participants"));
    QList<RoomParticipant> out;
    while (q.next()) {
        RoomParticipant p = dealtables::participantFrom(q.value(0).toString(), m_participants.valuesFrom(q));
        p.organizationName = q.value(int(m_participants.columns().size()) + 1).toString();
        out << p;
    }
    return out;
}

Status DealRoomRepository::insertPerson(const QString &roomId, const QString &personId)
{
    return m_people.insert(m_workspace.ids().next(), {roomId, personId, deals::isoTime(now())});
}

Status DealRoomRepository::addPerson(const QString &roomId, const QString &personId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT pe.name, EXISTS (SELECT 1 FROM deal_room_participants pa WHERE pa.room_id = ? "
                             "AND pa.organization_id = pe.organization_id), EXISTS (SELECT 1 FROM deal_room_people rp "
                             "WHERE rp.room_id = ? AND rp.person_id = pe.id) FROM people pe WHERE pe.id = ?"));
    q.addBindValue(roomId);
    q.addBindValue(roomId);
    q.addBindValue(personId);
    if (!q.exec() || !q.next())
        return Error{Tr::tr("The person %1 does not exist.").arg(personId)};
    if (!q.value(1).toBool())
        return Error{Tr::tr("%1 cannot join this deal room: their organization is not a participant.")
                         .arg(q.value(0).toString())};
    if (q.value(2).toBool())
        return {};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = insertPerson(roomId, personId); !s)
        return s;
    if (Status s = touch(roomId, now()); !s)
        return s;
    return tx.commit();
}

Status DealRoomRepository::removePerson(const QString &roomId, const QString &personId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT id FROM deal_room_people WHERE room_id = ? AND person_id = ?"));
    q.addBindValue(roomId);
    q.addBindValue(personId);
    if (!q.exec() || !q.next())
        return Error{Tr::tr("The person %1 has no access to the deal room %2.").arg(personId, roomId)};
    return m_people.remove(q.value(0).toString());
}

Result<QStringList> DealRoomRepository::people(const QString &roomId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT person_id FROM deal_room_people WHERE room_id = ? ORDER BY id"));
    q.addBindValue(roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a room's people"));
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Status DealRoomRepository::addEvent(RoomEvent &event)
{
    if (event.kind == EventKind::StageChange || event.kind == EventKind::ParticipantChange)
        return Error{Tr::tr("Stage and participant changes are written by moving the stage or changing "
                            "participants, not as timeline entries of their own.")};
    if (!event.at.isValid())
        event.at = now();
    if (event.id.isEmpty())
        event.id = m_workspace.ids().next();
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_events.insert(event.id, dealtables::values(event)); !s)
        return s;
    if (Status s = touch(event.roomId, event.at); !s)
        return s;
    return tx.commit();
}

Result<QList<RoomEvent>> DealRoomRepository::events(const QString &roomId, int limit)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_events WHERE room_id = ? ORDER BY at DESC, id DESC LIMIT ?")
                  .arg(m_events.selectList()));
    q.addBindValue(roomId);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a room's timeline"));
    QList<RoomEvent> out;
    while (q.next())
        out << dealtables::eventFrom(q.value(0).toString(), m_events.valuesFrom(q));
    return out;
}

Status DealRoomRepository::addTask(RoomTask &task)
{
    task.title = task.title.trimmed();
    if (task.title.isEmpty())
        return Error{Tr::tr("A task needs a title.")};
    if (task.id.isEmpty())
        task.id = m_workspace.ids().next();
    task.createdAt = now();
    task.doneAt = {};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_tasks.insert(task.id, dealtables::values(task)); !s)
        return s;
    if (Status s = touch(task.roomId, task.createdAt); !s)
        return s;
    return tx.commit();
}

Status DealRoomRepository::completeTask(const QString &taskId, const QString &authorId, const QString &actor)
{
    return setTaskDone(taskId, true, authorId, actor);
}

Status DealRoomRepository::reopenTask(const QString &taskId, const QString &authorId, const QString &actor)
{
    return setTaskDone(taskId, false, authorId, actor);
}

Status DealRoomRepository::setTaskDone(const QString &taskId, bool done, const QString &authorId, const QString &actor)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_tasks WHERE id = ?").arg(m_tasks.selectList()));
    q.addBindValue(taskId);
    if (!q.exec() || !q.next())
        return Error{Tr::tr("The task %1 does not exist.").arg(taskId)};
    const RoomTask before = dealtables::taskFrom(q.value(0).toString(), m_tasks.valuesFrom(q));
    if (before.doneAt.isValid() == done)
        return {};
    const QDateTime at = now();
    RoomTask after = before;
    after.doneAt = done ? at : QDateTime();
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_tasks.update(taskId, dealtables::values(before), dealtables::values(after)); !s)
        return s;
    // The timeline says who ticked or reopened what, so a reopened plan item is not a silent change.
    RoomEvent e;
    e.roomId = before.roomId;
    e.kind = EventKind::System;
    e.authorId = authorId;
    e.actor = actor;
    e.at = at;
    e.text = done ? Tr::tr("Task done: %1").arg(before.title) : Tr::tr("Task reopened: %1").arg(before.title);
    e.detail = json::ObjectWriter()
                   .add("task_id", taskId)
                   .add("change", done ? QStringLiteral("done") : QStringLiteral("reopened"))
                   .finish();
    if (Status s = m_events.insert(m_workspace.ids().next(), dealtables::values(e)); !s)
        return s;
    if (Status s = touch(before.roomId, at); !s)
        return s;
    return tx.commit();
}

Result<QList<RoomTask>> DealRoomRepository::tasks(const QString &roomId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_tasks WHERE room_id = ? ORDER BY done_at <> '', due_date = '', "
                             "due_date, id")
                  .arg(m_tasks.selectList()));
    q.addBindValue(roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a room's tasks"));
    QList<RoomTask> out;
    while (q.next())
        out << dealtables::taskFrom(q.value(0).toString(), m_tasks.valuesFrom(q));
    return out;
}

Status DealRoomRepository::addDocument(RoomDocument &document, const QByteArray &content)
{
    document.name = document.name.trimmed();
    if (document.name.isEmpty())
        return Error{Tr::tr("A document needs a name.")};
    if (content.size() > deals::kMaxDocumentBytes)
        return Error{Tr::tr("\"%1\" is %2 MiB; a deal room document may be at most %3 MiB.")
                         .arg(document.name)
                         .arg(double(content.size()) / (1024.0 * 1024.0), 0, 'f', 1)
                         .arg(deals::kMaxDocumentBytes / (1024 * 1024))};
    if (document.id.isEmpty())
        document.id = m_workspace.ids().next();
    document.size = content.size();
    document.sha256 = QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    document.addedAt = now();
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_documents.insert(document.id, dealtables::values(document)); !s)
        return s;
    // The bytes are not journaled (the entry carries size and hash); sync moves them separately.
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("UPDATE deal_documents SET content = ? WHERE id = ?"));
    q.addBindValue(content.isNull() ? QByteArray("") : content);
    q.addBindValue(document.id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Storing the document \"%1\"").arg(document.name));
    if (Status s = touch(document.roomId, document.addedAt); !s)
        return s;
    return tx.commit();
}

Result<QList<RoomDocument>> DealRoomRepository::documents(const QString &roomId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1 FROM deal_documents WHERE room_id = ? ORDER BY added_at, id")
                  .arg(m_documents.selectList()));
    q.addBindValue(roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a room's documents"));
    QList<RoomDocument> out;
    while (q.next())
        out << dealtables::documentFrom(q.value(0).toString(), m_documents.valuesFrom(q));
    return out;
}

Result<QByteArray> DealRoomRepository::documentContent(const QString &documentId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT content FROM deal_documents WHERE id = ?"));
    q.addBindValue(documentId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a document"));
    if (!q.next())
        return Error{Tr::tr("The document %1 does not exist.").arg(documentId)};
    return q.value(0).toByteArray();
}

Result<DealViewer> DealRoomRepository::viewerFor(const QString &personId)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT o.kind, p.role FROM people p JOIN organizations o ON o.id = p.organization_id "
                             "WHERE p.id = ?"));
    q.addBindValue(personId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a person"));
    if (!q.next())
        return Error{Tr::tr("The person %1 does not exist.").arg(personId)};
    const bool admin = q.value(0).toString() == QLatin1String("vendor") &&
                       q.value(1).toString().contains(QLatin1String("admin"), Qt::CaseInsensitive);
    return DealViewer{personId, admin};
}

bool DealRoomRepository::canRead(const QString &roomId, const QString &personId)
{
    Result<DealViewer> viewer = viewerFor(personId);
    return viewer && canRead(roomId, viewer.value());
}

bool DealRoomRepository::canRead(const QString &roomId, const DealViewer &viewer)
{
    QSqlQuery q(m_workspace.db());
    if (viewer.seesAll) {
        q.prepare(QStringLiteral("SELECT 1 FROM deal_rooms WHERE id = ?"));
        q.addBindValue(roomId);
    } else {
        q.prepare(QStringLiteral("SELECT 1 FROM deal_room_people WHERE room_id = ? AND person_id = ?"));
        q.addBindValue(roomId);
        q.addBindValue(viewer.personId);
    }
    return q.exec() && q.next();
}

Result<QList<DealRoom>> DealRoomRepository::list(const DealViewer &viewer, int limit)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (viewer.seesAll) {
        q.prepare(QStringLiteral("SELECT %1 FROM deal_rooms ORDER BY last_activity_at DESC, id LIMIT ?")
                      .arg(m_rooms.selectList()));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM deal_room_people p JOIN deal_rooms r ON r.id = p.room_id WHERE "
                                 "p.person_id = ? ORDER BY r.last_activity_at DESC, r.id LIMIT ?")
                      .arg(prefixed(m_rooms, QStringLiteral("r"))));
        q.addBindValue(viewer.personId);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Listing deal rooms"));
    QList<DealRoom> out;
    while (q.next())
        out << dealtables::roomFrom(q.value(0).toString(), m_rooms.valuesFrom(q));
    return out;
}

Result<QList<BoardColumn>> DealRoomRepository::board(const DealViewer &viewer, int perStage, int idleDays)
{
    BoardOptions options;
    options.perStage = perStage;
    options.idleDays = idleDays;
    return board(viewer, options);
}

Status DealRoomRepository::fillCardDetails(QList<BoardCard> &cards)
{
    QList<BoardCard> missing;
    QList<qsizetype> where;
    for (qsizetype i = 0; i < cards.size(); ++i) {
        if (!cards.at(i).detailsLoaded) {
            missing << cards.at(i);
            where << i;
        }
    }
    if (Status s = fillCards(missing, now().date()); !s)
        return s;
    for (qsizetype i = 0; i < missing.size(); ++i)
        cards[where.at(i)] = missing.at(i);
    return {};
}

Result<QList<BoardColumn>> DealRoomRepository::board(const DealViewer &viewer, const BoardOptions &options)
{
    const int perStage = options.perStage;
    const int idleDays = options.idleDays;
    Result<QList<DealStage>> all = stages();
    if (!all)
        return Error{all.error()};
    const QDateTime at = now();
    const QString idleBefore = deals::isoTime(at.addDays(-idleDays));
    QHash<QString, DealStage> stageById;
    for (const DealStage &s : all.value())
        stageById.insert(s.id, s);
    const QString cardColumns = QStringLiteral("r.id, r.name, r.account_name, r.stage, r.amount_minor, r.currency, "
                                               "r.close_date, r.last_activity_at");
    auto cardFrom = [&](const QSqlQuery &q) {
        BoardCard c;
        c.roomId = q.value(0).toString();
        c.name = q.value(1).toString();
        c.accountName = q.value(2).toString();
        c.stage = q.value(3).toString();
        c.amountMinor = q.value(4).toLongLong();
        c.currency = q.value(5).toString();
        c.closeDate = QDate::fromString(q.value(6).toString(), Qt::ISODate);
        const QString last = q.value(7).toString();
        c.lastActivityAt = deals::parseTime(last);
        c.idle = stageById.value(c.stage).outcome == QLatin1String("open") && last < idleBefore;
        return c;
    };
    QList<BoardColumn> columns;
    for (const DealStage &stage : all.value())
        columns << BoardColumn{stage, 0, {}};
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (viewer.seesAll) {
        // Counts from the board index (all of it: the one cost that grows with the table), then each stage's first
        // screen straight off it.
        QHash<QString, qint64> counts;
        if (options.counts) {
            if (!q.exec(QStringLiteral("SELECT stage, COUNT(*) FROM deal_rooms GROUP BY stage")))
                return sqlError(q, Tr::tr("Counting deal rooms"));
            while (q.next())
                counts.insert(q.value(0).toString(), q.value(1).toLongLong());
        }
        q.prepare(QStringLiteral("SELECT %1 FROM deal_rooms r WHERE r.stage = ? ORDER BY r.last_activity_at DESC "
                                 "LIMIT ?")
                      .arg(cardColumns));
        for (BoardColumn &column : columns) {
            column.roomCount = options.counts ? counts.value(column.stage.id) : -1;
            if (column.roomCount == 0)
                continue;
            q.addBindValue(column.stage.id);
            q.addBindValue(perStage);
            if (!q.exec())
                return sqlError(q, Tr::tr("Reading the board"));
            while (q.next())
                column.cards << cardFrom(q);
        }
    } else {
        // Two plans. Walking each stage's board index and probing access stops after perStage hits, which is cheap
        // for a person in many rooms and slow for one in few; one pass over the person's access rows costs their
        // room count. Pick by the expected probes: perStage * stages * total / theirs against theirs.
        BoardPlan plan = m_boardPlan;
        if (plan == BoardPlan::Auto) {
            qint64 theirs = 0, total = 0;
            q.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM deal_room_people WHERE person_id = ?), "
                                     "(SELECT COUNT(*) FROM deal_rooms)"));
            q.addBindValue(viewer.personId);
            if (!q.exec() || !q.next())
                return sqlError(q, Tr::tr("Counting deal rooms"));
            theirs = q.value(0).toLongLong();
            total = q.value(1).toLongLong();
            plan = theirs * theirs > qint64(std::max(perStage, 1)) * columns.size() * total ? BoardPlan::ByStage
                                                                                            : BoardPlan::ByPerson;
        }
        if (plan == BoardPlan::ByStage) {
            QHash<QString, qint64> counts;
            if (options.counts) {
                q.prepare(QStringLiteral("SELECT r.stage, COUNT(*) FROM deal_room_people p JOIN deal_rooms r ON r.id = "
                                         "p.room_id WHERE p.person_id = ? GROUP BY r.stage"));
                q.addBindValue(viewer.personId);
                if (!q.exec())
                    return sqlError(q, Tr::tr("Counting deal rooms"));
                while (q.next())
                    counts.insert(q.value(0).toString(), q.value(1).toLongLong());
            }
            q.prepare(QStringLiteral("SELECT %1 FROM deal_rooms r WHERE r.stage = ? AND EXISTS (SELECT 1 FROM "
                                     "deal_room_people p WHERE p.room_id = r.id AND p.person_id = ?) ORDER BY "
                                     "r.last_activity_at DESC LIMIT ?")
                          .arg(cardColumns));
            for (BoardColumn &column : columns) {
                column.roomCount = options.counts ? counts.value(column.stage.id) : -1;
                if (column.roomCount == 0)
                    continue;
                q.addBindValue(column.stage.id);
                q.addBindValue(viewer.personId);
                q.addBindValue(perStage);
                if (!q.exec())
                    return sqlError(q, Tr::tr("Reading the board"));
                while (q.next())
                    column.cards << cardFrom(q);
            }
        } else {
            // One pass over the person's rooms, driven by their access rows (CROSS JOIN keeps SQLite from walking the
            // whole board index and probing access per room, which is slow for people with few rooms): counts and
            // each stage's most recent ones, then the cards of those.
            q.prepare(QStringLiteral("SELECT r.stage, r.last_activity_at, r.id FROM deal_room_people p CROSS JOIN "
                                     "deal_rooms r ON r.id = p.room_id WHERE p.person_id = ?"));
            q.addBindValue(viewer.personId);
            if (!q.exec())
                return sqlError(q, Tr::tr("Reading the board"));
            QHash<QString, std::vector<std::pair<QString, QString>>> byStage; // stage -> (last activity, id)
            while (q.next())
                byStage[q.value(0).toString()].emplace_back(q.value(1).toString(), q.value(2).toString());
            QStringList chosen;
            for (BoardColumn &column : columns) {
                auto &rooms = byStage[column.stage.id];
                column.roomCount = qint64(rooms.size());
                const auto n = qsizetype(std::min(rooms.size(), size_t(std::max(perStage, 0))));
                std::partial_sort(rooms.begin(), rooms.begin() + n, rooms.end(), std::greater<>());
                for (qsizetype i = 0; i < n; ++i)
                    chosen << rooms[size_t(i)].second;
            }
            if (!chosen.isEmpty()) {
                q.prepare(
                    QStringLiteral("SELECT %1 FROM deal_rooms r WHERE r.id IN (%2) ORDER BY r.last_activity_at DESC, "
                                   "r.id DESC")
                        .arg(cardColumns, placeholders(chosen.size())));
                for (const QString &id : std::as_const(chosen))
                    q.addBindValue(id);
                if (!q.exec())
                    return sqlError(q, Tr::tr("Reading the board"));
                QHash<QString, qsizetype> columnOf;
                for (qsizetype i = 0; i < columns.size(); ++i)
                    columnOf.insert(columns.at(i).stage.id, i);
                while (q.next()) {
                    const BoardCard c = cardFrom(q);
                    columns[columnOf.value(c.stage)].cards << c;
                }
            }
        }
    }
    // Participants and task counts for the cards on screen (all loaded ones, or each stage's first few), in one
    // query each for the whole board.
    QList<BoardCard> details;
    for (const BoardColumn &column : std::as_const(columns))
        details << (options.detailsPerStage < 0 ? column.cards : column.cards.mid(0, options.detailsPerStage));
    if (Status s = fillCards(details, at.date()); !s)
        return Error{s.error()};
    qsizetype next = 0;
    for (BoardColumn &column : columns) {
        const qsizetype n = options.detailsPerStage < 0
                                ? column.cards.size()
                                : std::min<qsizetype>(column.cards.size(), options.detailsPerStage);
        for (qsizetype i = 0; i < n; ++i)
            column.cards[i] = details.at(next++);
    }
    return columns;
}

Status DealRoomRepository::fillCards(QList<BoardCard> &cards, const QDate &today)
{
    if (cards.isEmpty())
        return {};
    // A few hundred ids per query keeps far below SQLite's limit on bound parameters.
    constexpr qsizetype kChunk = 500;
    if (cards.size() > kChunk) {
        for (qsizetype from = 0; from < cards.size(); from += kChunk) {
            QList<BoardCard> part = cards.mid(from, kChunk);
            if (Status s = fillCards(part, today); !s)
                return s;
            for (qsizetype i = 0; i < part.size(); ++i)
                cards[from + i] = part.at(i);
        }
        return {};
    }
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < cards.size(); ++i) {
        index.insert(cards.at(i).roomId, i);
        cards[i].detailsLoaded = true;
    }
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT pa.room_id, o.name FROM deal_room_participants pa JOIN organizations o ON o.id = "
                             "pa.organization_id WHERE pa.room_id IN (%1) ORDER BY pa.room_id, pa.role <> 'sourcing', "
                             "pa.added_at")
                  .arg(placeholders(cards.size())));
    for (const BoardCard &c : std::as_const(cards))
        q.addBindValue(c.roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the board's participants"));
    while (q.next()) {
        BoardCard &c = cards[index.value(q.value(0).toString())];
        const QString name = q.value(1).toString();
        ++c.participantCount;
        if (!c.participants.contains(name))
            c.participants << name;
    }
    q.prepare(QStringLiteral("SELECT room_id, COUNT(*), SUM(due_date <> '' AND due_date < ?) FROM deal_tasks WHERE "
                             "done_at = '' AND room_id IN (%1) GROUP BY room_id")
                  .arg(placeholders(cards.size())));
    q.addBindValue(today.toString(Qt::ISODate));
    for (const BoardCard &c : std::as_const(cards))
        q.addBindValue(c.roomId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the board's tasks"));
    while (q.next()) {
        BoardCard &c = cards[index.value(q.value(0).toString())];
        c.openTasks = q.value(1).toInt();
        c.overdueTasks = q.value(2).toInt();
    }
    return {};
}

Result<QList<OverdueTask>> DealRoomRepository::overdueTasks(const DealViewer &viewer, const QDate &today, int limit)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1, r.name FROM deal_tasks t JOIN deal_rooms r ON r.id = t.room_id WHERE "
                             "t.done_at = '' AND t.due_date <> '' AND t.due_date < ? %2 ORDER BY t.due_date, t.id "
                             "LIMIT ?")
                  .arg(prefixed(m_tasks, QStringLiteral("t")),
                       viewer.seesAll ? QString()
                                      : QStringLiteral("AND EXISTS (SELECT 1 FROM deal_room_people p WHERE "
                                                       "p.room_id = t.room_id AND p.person_id = ?)")));
    q.addBindValue(today.toString(Qt::ISODate));
    if (!viewer.seesAll)
        q.addBindValue(viewer.personId);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading overdue tasks"));
    QList<OverdueTask> out;
    while (q.next())
        out << OverdueTask{dealtables::taskFrom(q.value(0).toString(), m_tasks.valuesFrom(q)),
                           q.value(int(m_tasks.columns().size()) + 1).toString()};
    return out;
}

Result<QList<DealRoom>> DealRoomRepository::idleRooms(const DealViewer &viewer, int idleDays, int limit)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage WHERE s.outcome = "
                             "'open' AND r.last_activity_at < ? %2 ORDER BY r.last_activity_at, r.id LIMIT ?")
                  .arg(prefixed(m_rooms, QStringLiteral("r")),
                       viewer.seesAll ? QString()
                                      : QStringLiteral("AND EXISTS (SELECT 1 FROM deal_room_people p WHERE "
                                                       "p.room_id = r.id AND p.person_id = ?)")));
    q.addBindValue(deals::isoTime(now().addDays(-idleDays)));
    if (!viewer.seesAll)
        q.addBindValue(viewer.personId);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading idle deal rooms"));
    QList<DealRoom> out;
    while (q.next())
        out << dealtables::roomFrom(q.value(0).toString(), m_rooms.valuesFrom(q));
    return out;
}

} // namespace ecotone
