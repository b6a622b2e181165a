#pragma once

#include "deals/DealTypes.h"
#include "store/TableWriter.h"

#include <QByteArray>

#include <functional>
#include <memory>

namespace ecotone {

class Workspace;

// Who is asking. A person reads a room when they are one of its people (deal_room_people); only people of a
// participating organization can be added, and removing an organization takes its people's access with it.
// seesAll is for vendor admins (a person of the vendor whose role contains "admin") and for the local owner of
// the workspace, who holds every row anyway: it is a view filter, the server enforces access for real.
struct DealViewer
{
    QString personId;
    bool seesAll = false;
    static DealViewer everyone() { return {QString(), true}; }
};

// What a board card shows.
struct BoardCard
{
    QString roomId;
    QString name;
    QString accountName;
    QString stage;
    qint64 amountMinor = 0;
    QString currency;
    QDate closeDate;
    QDateTime lastActivityAt;
    QStringList participants; // organization names, sourcing first
    int participantCount = 0;
    int openTasks = 0;
    int overdueTasks = 0;
    bool idle = false;          // no activity for the board's idle period
    bool detailsLoaded = false; // participants and task counts (fillCardDetails)
};

struct BoardColumn
{
    DealStage stage;
    qint64 roomCount = 0; // all rooms of the stage the viewer sees, not only the cards loaded; -1: not counted
    QList<BoardCard> cards;
};

struct OverdueTask
{
    RoomTask task;
    QString roomName;
};

// Deal rooms with their participants, people, timeline, tasks and documents. Every write goes through
// TableWriter, so it is journaled in the same transaction; each change inside a room also moves its
// last_activity_at, which the board and the idle-room list read.
class DealRoomRepository
{
public:
    explicit DealRoomRepository(Workspace &workspace);
    ~DealRoomRepository();

    // Tests fix the time; the default is the wall clock (UTC).
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    QDateTime now() const;

    Result<QList<DealStage>> stages(); // pipeline order: by position, ties by key
    // The pipeline is configurable: adds a stage (new id: a lower-case key) or renames, reorders or changes the
    // outcome of one. Journaled like every other change.
    Status saveStage(const DealStage &stage);
    // Positions 1..n in the given order, in one transaction; only stages whose position changes are written. Every
    // stage must be listed exactly once.
    Status reorderStages(const QStringList &stageIds);
    // How many rooms are in the stage (all of them, whoever may read them): removing it needs a place for them.
    Result<qint64> stageRoomCount(const QString &stageId);
    // Refused while rooms are in the stage, unless moveRoomsTo names another stage: then every room moves there
    // first (one stage_change event each) and the stage goes, all in one transaction. The last stage stays.
    Status removeStage(const QString &stageId, const QString &moveRoomsTo = {}, const QString &authorId = {},
                       const QString &actor = {});

    // Normalizes the account, checks the stage, assigns id and timestamps, writes a system event.
    Status create(DealRoom &room, const QString &actor = {});
    // Account, name, amount, currency, close date, products, hyperscaler fields. Not the stage: moveStage().
    Status update(DealRoom &room);
    // Writes a stage_change event (detail {"from","to"}) and touches the room.
    Status moveStage(const QString &roomId, const QString &stageId, const QString &authorId = {},
                     const QString &actor = {});
    Result<DealRoom> find(const QString &roomId);

    // Adds the organization in a role (participant_change event); withPeople gives all its people access.
    Status addParticipant(RoomParticipant &participant, bool withPeople = true, const QString &authorId = {},
                          const QString &actor = {});
    // Removes one participation; when the organization has no other role in the room its people lose access.
    Status removeParticipant(const QString &participantId, const QString &authorId = {}, const QString &actor = {});
    Result<QList<RoomParticipant>> participants(const QString &roomId);

    // The person must belong to a participating organization.
    Status addPerson(const QString &roomId, const QString &personId);
    Status removePerson(const QString &roomId, const QString &personId);
    Result<QStringList> people(const QString &roomId); // person ids

    Status addEvent(RoomEvent &event);
    Result<QList<RoomEvent>> events(const QString &roomId, int limit = 500); // newest first

    Status addTask(RoomTask &task);
    // Both write a system event in the room's timeline (detail {"task_id","change":"done"|"reopened"}).
    Status completeTask(const QString &taskId, const QString &authorId = {}, const QString &actor = {});
    // A done task is open again (done_at cleared); open tasks are left as they are.
    Status reopenTask(const QString &taskId, const QString &authorId = {}, const QString &actor = {});
    Result<QList<RoomTask>> tasks(const QString &roomId); // open first, by due date

    // Refuses content above deals::kMaxDocumentBytes with a message naming the file, its size and the limit.
    Status addDocument(RoomDocument &document, const QByteArray &content);
    Result<QList<RoomDocument>> documents(const QString &roomId);
    Result<QByteArray> documentContent(const QString &documentId);

    // Access (see DealViewer).
    Result<DealViewer> viewerFor(const QString &personId);
    bool canRead(const QString &roomId, const QString &personId);
    bool canRead(const QString &roomId, const DealViewer &viewer);
    Result<QList<DealRoom>> list(const DealViewer &viewer, int limit = -1); // most recently active first

    // The board: per stage the viewer's perStage most recently active rooms with what a card needs, and counts.
    Result<QList<BoardColumn>> board(const DealViewer &viewer, int perStage = 50, int idleDays = 14);
    // What a first paint needs can be less than board() reads: on a cold file every skipped page counts.
    struct BoardOptions
    {
        int perStage = 50;
        int idleDays = 14;
        // Counting reads a whole index; without it roomCount is -1 unless the plan counts for free (one person's
        // rooms). The pane counts on a worker thread instead.
        bool counts = true;
        // Participants and task counts for the first n cards of each stage only (-1: all); the others keep
        // detailsLoaded false until fillCardDetails().
        int detailsPerStage = -1;
    };
    Result<QList<BoardColumn>> board(const DealViewer &viewer, const BoardOptions &options);
    // Participants and open/overdue task counts for cards read without them.
    Status fillCardDetails(QList<BoardCard> &cards);
    // How board() finds one person's cards; Auto picks by their room count. The others are for tests and benchmarks.
    enum class BoardPlan
    {
        Auto,
        ByStage,
        ByPerson,
    };
    void setBoardPlan(BoardPlan plan) { m_boardPlan = plan; }
    Result<QList<OverdueTask>> overdueTasks(const DealViewer &viewer, const QDate &today, int limit = 200);
    // Open rooms without activity for idleDays, least recently active first.
    Result<QList<DealRoom>> idleRooms(const DealViewer &viewer, int idleDays, int limit = 200);

private:
    Status touch(const QString &roomId, const QDateTime &at);
    Status insertPerson(const QString &roomId, const QString &personId);
    Status fillCards(QList<BoardCard> &cards, const QDate &today);
    Status setTaskDone(const QString &taskId, bool done, const QString &authorId, const QString &actor);

    Workspace &m_workspace;
    std::function<QDateTime()> m_now;
    BoardPlan m_boardPlan = BoardPlan::Auto;
    TableWriter m_stages;
    TableWriter m_rooms;
    TableWriter m_participants;
    TableWriter m_people;
    TableWriter m_events;
    TableWriter m_tasks;
    TableWriter m_documents;
};

} // namespace ecotone
