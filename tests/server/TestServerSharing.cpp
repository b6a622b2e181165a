// The authorization matrix of docs/sync.md ("Who may read and write what") and docs/server.md against the real
// ecotone-server process ($ECOTONE_SERVER_BINARY) on loopback, on SQLite or, when ECOTONE_SERVER_TEST_DATABASE
// names a PostgreSQL database (with-postgresql.sh), on PostgreSQL.
//
// One server and one fixture per test function; every data row is one case of the matrix, named after endpoint x
// role x organization x agreement state, and the rows of a function share its fixture in order. What a caller may
// read is computed by a reference model of the rules (Model below) from the fixture alone, never from the server.
//
// Fixture: vendor V (vendor_admin, channel_manager), partners P1 and P2 (partner_admin, partner_rep each). V shares
// its accounts with P1 by agreements in every state (active full, active counts, pending, active on a custom
// population) and with P2 (revoked, expired, active full); deal rooms with and without P1, their children,
// registrations, referrals, listings, favourites, collaboration requests and attribution locks.
//
// endpointMatrix: every route of server/openapi.yaml x caller (4 roles, no / garbage / expired / logged-out token)
//   x target organization (own, other partner, vendor): status, and no answer names what the caller may not see.
// pullMatrix: each user x each group of fixture rows (table x owner x agreement state): exactly the rows its
//   organization may read, with their values; no item (upsert, delete or purge) names a row it could never read;
//   paging; on PostgreSQL, row-level security seen from a direct connection as ecotone_app.
// pushMatrix: hand-written cases, one change each (owner columns, consents, self-invites, inserts over others' rows,
//   unknown tables); writeMatrix / deleteMatrix: every user x every fixture row (update, delete) and every table x
//   owner (insert), judged by Model's "who writes". After them every user's pull equals the model and the server's
//   database (scanned whole, schema-agnostic) holds no refused value and every accepted one.
// transitions: revoke, consent, expiry without a push, status changes, participants removed and added, a listing
//   unpublished, counts -> full: each user's next pull purges exactly what it lost and upserts what it gained.
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <memory>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace {

const QString kPassword = u"correct-horse-battery"_s;

struct Response
{
    int status = 0;
    QJsonObject json;
    QByteArray raw;
};

// One running server process; killed with the object.
class Server
{
public:
    ~Server() { stop(); }

    bool start(const QString &database, const QStringList &extra, QString *error)
    {
        m_process.setProgram(qEnvironmentVariable("ECOTONE_SERVER_BINARY"));
        m_process.setArguments(QStringList{u"--database"_s, database, u"--listen"_s, u"127.0.0.1:0"_s} + extra);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
#ifdef Q_OS_LINUX
        m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            *error = u"cannot start %1: %2"_s.arg(m_process.program(), m_process.errorString());
            return false;
        }
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains('\n') && timer.elapsed() < 30000) {
            if (m_process.state() != QProcess::Running)
                break;
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
        }
        static const QRegularExpression port(u"listening on https?://[^ ]+:(\\d+) "_s);
        const QRegularExpressionMatch match = port.match(QString::fromUtf8(out));
        m_port = match.hasMatch() ? static_cast<quint16>(match.captured(1).toUInt()) : 0;
        if (m_port == 0)
            *error = u"the server did not start: %1 %2"_s.arg(QString::fromUtf8(out),
                                                              QString::fromUtf8(m_process.readAllStandardError()));
        return m_port != 0;
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
        // What the server said on the way (its errors behind a 500, for instance), for the log.
        const QByteArray said = m_process.readAllStandardError().trimmed();
        if (!said.isEmpty())
            qInfo("server stderr:\n%s", said.right(4000).constData());
    }

    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

// ---------------------------------------------------------------------------------------------------------------
// The fixture, as data. Values may hold placeholders: "@V", "@P1", "@P2" (organization ids), "@NOW", "@PAST" (ISO
// times), "@SOON" (a few seconds ahead) and "{M}" (the case's marker, for the push matrix).

struct Spec
{
    QString user;
    QString table;
    QString rowId;
    QString op; // insert, update, delete
    QString field;
    QJsonValue value;
    QString group; // inserts: the matrix label of the row
};

Spec ins(const QString &user, const QString &table, const QString &id, const QJsonObject &values, const QString &group)
{
    return Spec{user, table, id, u"insert"_s, u"*"_s, values, group};
}

Spec upd(const QString &user, const QString &table, const QString &id, const QString &field, const QJsonValue &value)
{
    return Spec{user, table, id, u"update"_s, field, value, {}};
}

Spec del(const QString &user, const QString &table, const QString &id)
{
    return Spec{user, table, id, u"delete"_s, QString(), QJsonValue::Null, {}};
}

// The users of the fixture: username -> (organization key, role).
struct UserSpec
{
    QString username;
    QString org;
    QString role;
};

const QList<UserSpec> &fixtureUsers()
{
    static const QList<UserSpec> users{
        {u"v-admin"_s, u"V"_s, u"vendor_admin"_s},    {u"v-cm"_s, u"V"_s, u"channel_manager"_s},
        {u"p1-admin"_s, u"P1"_s, u"partner_admin"_s}, {u"p1-rep"_s, u"P1"_s, u"partner_rep"_s},
        {u"p2-admin"_s, u"P2"_s, u"partner_admin"_s}, {u"p2-rep"_s, u"P2"_s, u"partner_rep"_s},
    };
    return users;
}

QString orgName(const QString &key)
{
    if (key == QLatin1String("V"))
        return u"Vendorico"_s;
    if (key == QLatin1String("P1"))
        return u"Alphapartnerco"_s;
    return u"Betapartnerco"_s;
}

// What a user is called in case names: "partner_rep@P1".
QString label(const QString &username)
{
    for (const UserSpec &u : fixtureUsers()) {
        if (u.username == username)
            return u.role + u'@' + u.org;
    }
    return username;
}

QJsonObject agreement(const QString &partner, const QString &population, const QString &level,
                      const QString &expires = QString())
{
    return {{u"partner_id"_s, partner}, {u"population"_s, population},    {u"level"_s, level},
            {u"fields"_s, u"[]"_s},     {u"our_consent_at"_s, u"@NOW"_s}, {u"their_consent_at"_s, QString()},
            {u"expires_at"_s, expires}, {u"revoked_at"_s, QString()},     {u"created_at"_s, u"@NOW"_s}};
}

QJsonObject account(const QString &owner, const QString &name, const QString &status)
{
    return {{u"owner_id"_s, owner}, {u"name"_s, name}, {u"status"_s, status}, {u"domain"_s, QString()}};
}

QJsonObject room(const QString &name)
{
    return {{u"name"_s, name},
            {u"stage"_s, u"prospect"_s},
            {u"amount_minor"_s, 100000},
            {u"created_at"_s, u"@NOW"_s},
            {u"updated_at"_s, u"@NOW"_s},
            {u"last_activity_at"_s, u"@NOW"_s}};
}

QJsonObject participant(const QString &roomId, const QString &org, const QString &role)
{
    return {{u"room_id"_s, roomId}, {u"organization_id"_s, org}, {u"role"_s, role}, {u"added_at"_s, u"@NOW"_s}};
}

QJsonObject event(const QString &roomId, const QString &text)
{
    return {{u"room_id"_s, roomId}, {u"kind"_s, u"note"_s}, {u"at"_s, u"@NOW"_s}, {u"text"_s, text}};
}

QJsonObject task(const QString &roomId, const QString &title)
{
    return {{u"room_id"_s, roomId}, {u"title"_s, title}, {u"created_at"_s, u"@NOW"_s}};
}

QJsonObject registration(const QString &partner, const QString &name)
{
    return {{u"partner_id"_s, partner},     {u"account_name"_s, name},    {u"status"_s, u"submitted"_s},
            {u"submitted_at"_s, u"@NOW"_s}, {u"updated_at"_s, u"@NOW"_s}, {u"amount_minor"_s, 5000}};
}

QJsonObject referral(const QString &from, const QString &to, const QString &name)
{
    return {{u"from_org_id"_s, from},     {u"to_org_id"_s, to},         {u"account_name"_s, name},
            {u"fee_kind"_s, u"flat"_s},   {u"status"_s, u"sent"_s},     {u"sent_at"_s, u"@NOW"_s},
            {u"sla_due_at"_s, u"@NOW"_s}, {u"updated_at"_s, u"@NOW"_s}, {u"need"_s, QString()}};
}

QJsonObject listing(const QString &org, const QString &title, const QString &state)
{
    return {{u"organization_id"_s, org}, {u"kind"_s, u"service"_s},    {u"title"_s, title},
            {u"state"_s, state},         {u"created_at"_s, u"@NOW"_s}, {u"updated_at"_s, u"@NOW"_s}};
}

QJsonObject request(const QString &from, const QString &to, const QString &message)
{
    return {{u"kind"_s, u"introduction"_s}, {u"from_org"_s, from},    {u"to_org"_s, to},
            {u"message"_s, message},        {u"status"_s, u"sent"_s}, {u"created_at"_s, u"@NOW"_s}};
}

const QString gAccVCustomer = u"accounts: V customer (P1 active full, P2 revoked)"_s;
const QString gAgP1 = u"sharing_agreements: V to P1"_s;
const QString gAgP2 = u"sharing_agreements: V to P2"_s;

// The shared fixture of the pull matrix, the push matrix and the transitions, in push order (one change a push).
QList<Spec> fixture()
{
    QList<Spec> s;
    const QString org = u"organizations"_s;
    s << ins(u"v-admin"_s, org, u"@V"_s, {{u"kind"_s, u"vendor"_s}, {u"name"_s, u"Vendorico"_s}}, u"organizations"_s)
      << ins(u"v-admin"_s, org, u"@P1"_s, {{u"kind"_s, u"partner"_s}, {u"name"_s, u"Alphapartnerco"_s}},
             u"organizations"_s)
      << ins(u"v-cm"_s, org, u"@P2"_s, {{u"kind"_s, u"partner"_s}, {u"name"_s, u"Betapartnerco"_s}},
             u"organizations"_s);
    const QString stages = u"deal_stages"_s;
    s << ins(u"v-admin"_s, stages, u"prospect"_s,
             {{u"name"_s, u"Prospect"_s}, {u"position"_s, 1}, {u"outcome"_s, u"open"_s}}, stages)
      << ins(u"v-cm"_s, stages, u"closed_won"_s,
             {{u"name"_s, u"Closed Won"_s}, {u"position"_s, 7}, {u"outcome"_s, u"won"_s}}, stages);
    const QString people = u"people"_s;
    s << ins(u"v-admin"_s, people, u"per-v"_s, {{u"organization_id"_s, u"@V"_s}, {u"name"_s, u"Vera Vendor"_s}},
             u"people: of V"_s)
      << ins(u"p1-admin"_s, people, u"per-p1"_s, {{u"organization_id"_s, u"@P1"_s}, {u"name"_s, u"Paul One"_s}},
             u"people: of P1"_s)
      << ins(u"v-cm"_s, people, u"per-p1-by-v"_s, {{u"organization_id"_s, u"@P1"_s}, {u"name"_s, u"Pia One"_s}},
             u"people: of P1"_s)
      << ins(u"p2-admin"_s, people, u"per-p2"_s, {{u"organization_id"_s, u"@P2"_s}, {u"name"_s, u"Pat Two"_s}},
             u"people: of P2"_s);
    const QString accounts = u"accounts"_s;
    s << ins(u"v-admin"_s, accounts, u"acc-v-cust-1"_s, account(u"@V"_s, u"Vcust One"_s, u"customer"_s), gAccVCustomer)
      << ins(u"v-cm"_s, accounts, u"acc-v-pros"_s, account(u"@V"_s, u"Vprospect"_s, u"prospect"_s),
             u"accounts: V prospect (P1 active counts, P2 expired)"_s)
      << ins(u"v-cm"_s, accounts, u"acc-v-opp"_s, account(u"@V"_s, u"Vopportunity"_s, u"opportunity"_s),
             u"accounts: V opportunity (P1 pending, P2 active full)"_s)
      << ins(u"p1-rep"_s, accounts, u"acc-p1-1"_s, account(u"@P1"_s, u"P1cust"_s, u"customer"_s),
             u"accounts: P1 customer (no agreement)"_s)
      << ins(u"p2-admin"_s, accounts, u"acc-p2-1"_s, account(u"@P2"_s, u"P2cust"_s, u"customer"_s),
             u"accounts: P2 customer (no agreement)"_s);
    const QString opps = u"opportunities"_s;
    const QString gOppV = u"opportunities: V (P1 pending, P2 active full)"_s;
    s << ins(u"v-cm"_s, opps, u"opp-v-1"_s,
             {{u"owner_id"_s, u"@V"_s},
              {u"account_id"_s, u"acc-v-opp"_s},
              {u"name"_s, u"Vdeal One"_s},
              {u"state"_s, u"open"_s}},
             gOppV)
      << ins(u"v-admin"_s, opps, u"opp-v-2"_s,
             {{u"owner_id"_s, u"@V"_s},
              {u"account_id"_s, u"acc-v-cust-1"_s},
              {u"name"_s, u"Vdeal Two"_s},
              {u"state"_s, u"open"_s}},
             gOppV)
      << ins(u"p1-rep"_s, opps, u"opp-p1-1"_s,
             {{u"owner_id"_s, u"@P1"_s},
              {u"account_id"_s, u"acc-p1-1"_s},
              {u"name"_s, u"P1deal"_s},
              {u"state"_s, u"open"_s}},
             u"opportunities: P1 (no agreement)"_s);
    const QString pops = u"custom_populations"_s;
    s << ins(u"v-admin"_s, pops, u"cp-v-top"_s,
             {{u"name"_s, u"top"_s}, {u"filter"_s, u"{}"_s}, {u"created_at"_s, u"@NOW"_s}},
             u"custom_populations: V's"_s)
      << ins(u"p1-admin"_s, pops, u"cp-p1"_s,
             {{u"name"_s, u"mine"_s}, {u"filter"_s, u"{}"_s}, {u"created_at"_s, u"@NOW"_s}},
             u"custom_populations: P1's"_s);
    const QString ag = u"sharing_agreements"_s;
    s << ins(u"v-admin"_s, ag, u"ag-p1-full"_s, agreement(u"@P1"_s, u"customer"_s, u"full"_s), gAgP1)
      << ins(u"v-admin"_s, ag, u"ag-p1-counts"_s, agreement(u"@P1"_s, u"prospect"_s, u"counts"_s), gAgP1)
      << ins(u"v-admin"_s, ag, u"ag-p1-pending"_s, agreement(u"@P1"_s, u"opportunity"_s, u"full"_s), gAgP1)
      << ins(u"v-admin"_s, ag, u"ag-p1-custom"_s, agreement(u"@P1"_s, u"custom:top"_s, u"full"_s), gAgP1)
      << ins(u"v-admin"_s, ag, u"ag-p2-revoked"_s, agreement(u"@P2"_s, u"customer"_s, u"full"_s), gAgP2)
      << ins(u"v-admin"_s, ag, u"ag-p2-expired"_s, agreement(u"@P2"_s, u"prospect"_s, u"full"_s, u"@PAST"_s), gAgP2)
      << ins(u"v-admin"_s, ag, u"ag-p2-opp"_s, agreement(u"@P2"_s, u"opportunity"_s, u"full"_s), gAgP2)
      << upd(u"p1-admin"_s, ag, u"ag-p1-full"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"p1-admin"_s, ag, u"ag-p1-counts"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"p1-admin"_s, ag, u"ag-p1-custom"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"p2-admin"_s, ag, u"ag-p2-revoked"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"p2-admin"_s, ag, u"ag-p2-expired"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"p2-admin"_s, ag, u"ag-p2-opp"_s, u"their_consent_at"_s, u"@NOW"_s)
      << upd(u"v-admin"_s, ag, u"ag-p2-revoked"_s, u"revoked_at"_s, u"@NOW"_s);
    // An account inserted while its agreement is active reaches the partner too.
    s << ins(u"v-admin"_s, accounts, u"acc-v-cust-2"_s, account(u"@V"_s, u"Vcust Two"_s, u"customer"_s), gAccVCustomer);
    // Deal rooms: V's with P1 participating, V's alone, P1's own; their children.
    const QString rooms = u"deal_rooms"_s;
    const QString parts = u"deal_room_participants"_s;
    s << ins(u"v-admin"_s, rooms, u"room-vp1"_s, room(u"Room V and P1"_s), u"deal_rooms: V's, P1 participates"_s)
      << ins(u"v-admin"_s, parts, u"part-vp1-v"_s, participant(u"room-vp1"_s, u"@V"_s, u"sourcing"_s),
             u"deal_room_participants: room V+P1"_s)
      << ins(u"v-admin"_s, parts, u"part-vp1-p1"_s, participant(u"room-vp1"_s, u"@P1"_s, u"fulfilling"_s),
             u"deal_room_participants: room V+P1"_s)
      << ins(u"v-cm"_s, rooms, u"room-v"_s, room(u"Room V alone"_s), u"deal_rooms: V's, no partner"_s)
      << ins(u"v-cm"_s, parts, u"part-v-v"_s, participant(u"room-v"_s, u"@V"_s, u"sourcing"_s),
             u"deal_room_participants: room V only"_s)
      << ins(u"p1-rep"_s, rooms, u"room-p1"_s, room(u"Room of P1"_s), u"deal_rooms: P1's"_s)
      << ins(u"p1-rep"_s, parts, u"part-p1-p1"_s, participant(u"room-p1"_s, u"@P1"_s, u"sourcing"_s),
             u"deal_room_participants: room of P1"_s);
    const QString events = u"deal_events"_s;
    const QString tasks = u"deal_tasks"_s;
    s << ins(u"p1-rep"_s, events, u"ev-vp1"_s, event(u"room-vp1"_s, u"note vp1"_s), u"deal_events: room V+P1"_s)
      << ins(u"v-cm"_s, events, u"ev-v"_s, event(u"room-v"_s, u"note v"_s), u"deal_events: room V only"_s)
      << ins(u"p1-admin"_s, events, u"ev-p1"_s, event(u"room-p1"_s, u"note p1"_s), u"deal_events: room of P1"_s)
      << ins(u"v-admin"_s, tasks, u"task-vp1"_s, task(u"room-vp1"_s, u"Task vp1"_s), u"deal_tasks: room V+P1"_s)
      << ins(u"p1-rep"_s, tasks, u"task-vp1-gone"_s, task(u"room-vp1"_s, u"Task gone"_s), u"deal_tasks: room V+P1"_s)
      << del(u"v-admin"_s, tasks, u"task-vp1-gone"_s)
      << ins(u"v-cm"_s, tasks, u"task-v"_s, task(u"room-v"_s, u"Task v"_s), u"deal_tasks: room V only"_s)
      << ins(u"p1-rep"_s, tasks, u"task-p1"_s, task(u"room-p1"_s, u"Task p1"_s), u"deal_tasks: room of P1"_s)
      << ins(u"v-admin"_s, u"deal_room_people"_s, u"drp-vp1"_s,
             {{u"room_id"_s, u"room-vp1"_s}, {u"person_id"_s, u"per-v"_s}, {u"added_at"_s, u"@NOW"_s}},
             u"deal_room_people: room V+P1"_s)
      << ins(u"v-cm"_s, u"deal_documents"_s, u"doc-v"_s,
             {{u"room_id"_s, u"room-v"_s}, {u"name"_s, u"v.pdf"_s}, {u"size"_s, 3}, {u"added_at"_s, u"@NOW"_s}},
             u"deal_documents: room V only"_s)
      << ins(u"p1-admin"_s, u"deal_documents"_s, u"doc-vp1"_s,
             {{u"room_id"_s, u"room-vp1"_s}, {u"name"_s, u"vp1.pdf"_s}, {u"size"_s, 3}, {u"added_at"_s, u"@NOW"_s}},
             u"deal_documents: room V+P1"_s);
    const QString regs = u"deal_registrations"_s;
    s << ins(u"p1-rep"_s, regs, u"reg-p1"_s, registration(u"@P1"_s, u"Reg One"_s), u"deal_registrations: P1's"_s)
      << ins(u"p2-admin"_s, regs, u"reg-p2"_s, registration(u"@P2"_s, u"Reg Two"_s), u"deal_registrations: P2's"_s)
      << upd(u"v-cm"_s, regs, u"reg-p1"_s, u"status"_s, u"approved"_s);
    const QString refs = u"deal_referrals"_s;
    s << ins(u"p1-admin"_s, refs, u"ref-p1-p2"_s, referral(u"@P1"_s, u"@P2"_s, u"Ref One"_s),
             u"deal_referrals: P1 to P2"_s)
      << ins(u"v-admin"_s, refs, u"ref-v-p2"_s, referral(u"@V"_s, u"@P2"_s, u"Ref Two"_s), u"deal_referrals: V to P2"_s)
      << upd(u"p2-rep"_s, refs, u"ref-p1-p2"_s, u"status"_s, u"accepted"_s);
    const QString listings = u"listings"_s;
    s << ins(u"p1-admin"_s, listings, u"lst-p1-pub"_s, listing(u"@P1"_s, u"P1 service"_s, u"published"_s),
             u"listings: P1 published"_s)
      << ins(u"p1-rep"_s, listings, u"lst-p1-draft"_s, listing(u"@P1"_s, u"P1 draft"_s, u"draft"_s),
             u"listings: P1 draft"_s)
      << ins(u"v-admin"_s, listings, u"lst-v-pub"_s, listing(u"@V"_s, u"V product"_s, u"published"_s),
             u"listings: V published"_s)
      << ins(u"v-cm"_s, listings, u"lst-v-draft"_s, listing(u"@V"_s, u"V draft"_s, u"draft"_s), u"listings: V draft"_s)
      << ins(u"p2-rep"_s, listings, u"lst-p2-draft"_s, listing(u"@P2"_s, u"P2 draft"_s, u"draft"_s),
             u"listings: P2 draft"_s);
    const QString favs = u"listing_favourites"_s;
    s << ins(u"p1-rep"_s, favs, u"fav-p1"_s, {{u"listing_id"_s, u"lst-v-pub"_s}, {u"created_at"_s, u"@NOW"_s}},
             u"listing_favourites: P1's"_s)
      << ins(u"p2-admin"_s, favs, u"fav-p2"_s, {{u"listing_id"_s, u"lst-p1-pub"_s}, {u"created_at"_s, u"@NOW"_s}},
             u"listing_favourites: P2's"_s)
      << ins(u"v-cm"_s, favs, u"fav-v"_s, {{u"listing_id"_s, u"lst-p1-pub"_s}, {u"created_at"_s, u"@NOW"_s}},
             u"listing_favourites: V's"_s);
    const QString reqs = u"collaboration_requests"_s;
    s << ins(u"p1-admin"_s, reqs, u"cr-p1-p2"_s, request(u"@P1"_s, u"@P2"_s, u"hello two"_s),
             u"collaboration_requests: P1 to P2"_s)
      << ins(u"v-admin"_s, reqs, u"cr-v-p1"_s, request(u"@V"_s, u"@P1"_s, u"hello one"_s),
             u"collaboration_requests: V to P1"_s)
      << upd(u"p2-admin"_s, reqs, u"cr-p1-p2"_s, u"status"_s, u"accepted"_s);
    s << ins(u"v-admin"_s, u"attribution_locks"_s, u"lock-1"_s,
             {{u"period_from"_s, u"2026-01-01"_s},
              {u"period_to"_s, u"2026-03-31"_s},
              {u"model"_s, u"linear"_s},
              {u"locked_at"_s, u"@NOW"_s}},
             u"attribution_locks"_s);
    return s;
}

QStringList fixtureGroups()
{
    QStringList groups;
    for (const Spec &spec : fixture()) {
        if (!spec.group.isEmpty() && !groups.contains(spec.group))
            groups.append(spec.group);
    }
    return groups;
}

// ---------------------------------------------------------------------------------------------------------------
// The push matrix: one change each, with what docs/sync.md says happens to it.

enum class Expect
{
    Accepted,
    Forbidden,    // rejected, code forbidden
    InvalidValue, // rejected, code invalid_value (an owner column)
    UnknownRow,   // rejected, code unknown_row
    Refused,      // rejected as forbidden or unknown_row: a row the caller may not even read
    Rejected,     // rejected with forbidden or invalid_value (a field the caller may not change)
    AnyRejection, // rejected with forbidden, unknown_row or invalid_value (an insert over another's row)
};

struct PushCase
{
    QString name;
    Spec change;
    Expect expect;
};

QString expectName(Expect e)
{
    switch (e) {
    case Expect::Accepted:
        return u"accepted"_s;
    case Expect::Forbidden:
        return u"forbidden"_s;
    case Expect::InvalidValue:
        return u"invalid_value"_s;
    case Expect::UnknownRow:
        return u"unknown_row"_s;
    case Expect::Refused:
        return u"refused (forbidden or unknown_row)"_s;
    case Expect::Rejected:
        return u"rejected (forbidden or invalid_value)"_s;
    case Expect::AnyRejection:
        return u"rejected (forbidden, unknown_row or invalid_value)"_s;
    }
    return {};
}

QList<PushCase> pushCases()
{
    QList<PushCase> c;
    auto add = [&c](const QString &what, const Spec &spec, Expect e) {
        c.append(PushCase{u"%1 %2 %3 -> %4"_s.arg(label(spec.user), spec.op, what, expectName(e)), spec, e});
    };
    const QString m = u"{M}"_s;
    const QString org = u"organizations"_s;
    // organizations: vendor staff; a partner_admin only its own row, not kind.
    add(u"organizations[P1].description (partner)"_s, upd(u"v-cm"_s, org, u"@P1"_s, u"description"_s, m),
        Expect::Accepted);
    add(u"organizations[P1].description (own)"_s, upd(u"p1-admin"_s, org, u"@P1"_s, u"description"_s, m),
        Expect::Accepted);
    add(u"organizations[P2].description (other partner)"_s, upd(u"p1-admin"_s, org, u"@P2"_s, u"description"_s, m),
        Expect::Forbidden);
    add(u"organizations[V].description (vendor)"_s, upd(u"p1-admin"_s, org, u"@V"_s, u"description"_s, m),
        Expect::Forbidden);
    add(u"organizations[P1].description (own)"_s, upd(u"p1-rep"_s, org, u"@P1"_s, u"description"_s, m),
        Expect::Forbidden);
    add(u"organizations[P1].kind (own)"_s, upd(u"p1-admin"_s, org, u"@P1"_s, u"kind"_s, u"vendor"_s), Expect::Rejected);
    add(u"organizations[new]"_s,
        ins(u"p2-admin"_s, org, u"org-new-by-p2"_s, {{u"kind"_s, u"partner"_s}, {u"name"_s, m}}, {}),
        Expect::Forbidden);
    add(u"organizations[new]"_s,
        ins(u"v-admin"_s, org, u"org-new-by-v"_s, {{u"kind"_s, u"partner"_s}, {u"name"_s, m}}, {}), Expect::Accepted);
    // people: vendor staff; partner_admin the people of its organization.
    const QString people = u"people"_s;
    add(u"people[new of P1] (own)"_s,
        ins(u"p1-admin"_s, people, u"per-new-p1"_s, {{u"organization_id"_s, u"@P1"_s}, {u"name"_s, m}}, {}),
        Expect::Accepted);
    add(u"people[new of P2] (other partner)"_s,
        ins(u"p1-admin"_s, people, u"per-new-p1-for-p2"_s, {{u"organization_id"_s, u"@P2"_s}, {u"name"_s, m}}, {}),
        Expect::Forbidden);
    add(u"people[new of P1] (own)"_s,
        ins(u"p1-rep"_s, people, u"per-new-p1-rep"_s, {{u"organization_id"_s, u"@P1"_s}, {u"name"_s, m}}, {}),
        Expect::Forbidden);
    add(u"people[per-p2].name (other partner)"_s, upd(u"p1-admin"_s, people, u"per-p2"_s, u"name"_s, m),
        Expect::Refused);
    add(u"people[per-v].name (vendor)"_s, upd(u"p1-admin"_s, people, u"per-v"_s, u"name"_s, m), Expect::Refused);
    add(u"people[new of P2] (partner)"_s,
        ins(u"v-cm"_s, people, u"per-new-v-for-p2"_s, {{u"organization_id"_s, u"@P2"_s}, {u"name"_s, m}}, {}),
        Expect::Accepted);
    add(u"people[per-p1].organization_id (owner column)"_s,
        upd(u"p1-admin"_s, people, u"per-p1"_s, u"organization_id"_s, u"@P2"_s), Expect::InvalidValue);
    // accounts: users of owner_id.
    const QString acc = u"accounts"_s;
    add(u"accounts[P1].name (own)"_s, upd(u"p1-rep"_s, acc, u"acc-p1-1"_s, u"name"_s, m), Expect::Accepted);
    add(u"accounts[V customer, P1 active full].name (readable, not own)"_s,
        upd(u"p1-rep"_s, acc, u"acc-v-cust-1"_s, u"name"_s, m), Expect::Forbidden);
    add(u"accounts[V prospect, P1 active counts].name"_s, upd(u"p1-admin"_s, acc, u"acc-v-pros"_s, u"name"_s, m),
        Expect::Refused);
    add(u"accounts[V customer, P2 revoked].name"_s, upd(u"p2-admin"_s, acc, u"acc-v-cust-1"_s, u"name"_s, m),
        Expect::Refused);
    add(u"accounts[V prospect, P2 expired].name"_s, upd(u"p2-rep"_s, acc, u"acc-v-pros"_s, u"name"_s, m),
        Expect::Refused);
    add(u"accounts[V opportunity, P2 active full].status (readable, not own)"_s,
        upd(u"p2-admin"_s, acc, u"acc-v-opp"_s, u"status"_s, u"customer"_s), Expect::Forbidden);
    add(u"accounts[new, owner V] (vendor)"_s,
        ins(u"p1-admin"_s, acc, u"acc-new-p1-for-v"_s, account(u"@V"_s, m, u"customer"_s), {}), Expect::Forbidden);
    add(u"accounts[new, owner P2] (other partner)"_s,
        ins(u"p1-rep"_s, acc, u"acc-new-p1-for-p2"_s, account(u"@P2"_s, m, u"customer"_s), {}), Expect::Forbidden);
    add(u"accounts[new, owner P2] (own)"_s,
        ins(u"p2-rep"_s, acc, u"acc-new-p2"_s, account(u"@P2"_s, m, u"prospect"_s), {}), Expect::Accepted);
    add(u"accounts[V prospect].name (own)"_s, upd(u"v-cm"_s, acc, u"acc-v-pros"_s, u"name"_s, m), Expect::Accepted);
    add(u"accounts[P1].name (partner's)"_s, upd(u"v-admin"_s, acc, u"acc-p1-1"_s, u"domain"_s, m), Expect::Refused);
    add(u"accounts[V customer].owner_id (owner column)"_s,
        upd(u"v-admin"_s, acc, u"acc-v-cust-1"_s, u"owner_id"_s, u"@P1"_s), Expect::InvalidValue);
    add(u"accounts[V customer, P1 active full]"_s, del(u"p1-rep"_s, acc, u"acc-v-cust-2"_s), Expect::Forbidden);
    add(u"accounts[missing].name"_s, upd(u"v-admin"_s, acc, u"acc-missing"_s, u"name"_s, m), Expect::UnknownRow);
    // opportunities: users of owner_id.
    const QString opp = u"opportunities"_s;
    add(u"opportunities[V, P2 active full].name (readable, not own)"_s,
        upd(u"p2-rep"_s, opp, u"opp-v-1"_s, u"name"_s, m), Expect::Forbidden);
    add(u"opportunities[V, P1 pending].name"_s, upd(u"p1-admin"_s, opp, u"opp-v-1"_s, u"name"_s, m), Expect::Refused);
    add(u"opportunities[V].name (own)"_s, upd(u"v-cm"_s, opp, u"opp-v-1"_s, u"name"_s, m), Expect::Accepted);
    add(u"opportunities[new, owner P1] (own)"_s,
        ins(u"p1-rep"_s, opp, u"opp-new-p1"_s, {{u"owner_id"_s, u"@P1"_s}, {u"name"_s, m}, {u"state"_s, u"open"_s}},
            {}),
        Expect::Accepted);
    add(u"opportunities[new, owner V] (vendor)"_s,
        ins(u"p1-rep"_s, opp, u"opp-new-p1-for-v"_s,
            {{u"owner_id"_s, u"@V"_s}, {u"name"_s, m}, {u"state"_s, u"open"_s}}, {}),
        Expect::Forbidden);
    // custom_populations: the owner.
    const QString pop = u"custom_populations"_s;
    add(u"custom_populations[V's].filter"_s, upd(u"p1-admin"_s, pop, u"cp-v-top"_s, u"filter"_s, m), Expect::Refused);
    add(u"custom_populations[V's].filter (own)"_s, upd(u"v-cm"_s, pop, u"cp-v-top"_s, u"filter"_s, m),
        Expect::Accepted);
    add(u"custom_populations[new] (own)"_s,
        ins(u"p1-rep"_s, pop, u"cp-new-p1"_s, {{u"name"_s, m}, {u"filter"_s, u"{}"_s}, {u"created_at"_s, u"@NOW"_s}},
            {}),
        Expect::Accepted);
    // sharing_agreements: the owner's admin roles; their_consent_at only partner_id's admin.
    const QString ag = u"sharing_agreements"_s;
    add(u"sharing_agreements[V to P1, pending].fields (own, admin)"_s,
        upd(u"v-admin"_s, ag, u"ag-p1-pending"_s, u"fields"_s, m), Expect::Accepted);
    add(u"sharing_agreements[V to P1, pending].fields (own, not an admin role)"_s,
        upd(u"v-cm"_s, ag, u"ag-p1-pending"_s, u"fields"_s, m), Expect::Forbidden);
    add(u"sharing_agreements[V to P1, pending].level (as partner)"_s,
        upd(u"p1-admin"_s, ag, u"ag-p1-pending"_s, u"level"_s, u"counts"_s), Expect::Forbidden);
    add(u"sharing_agreements[V to P1, pending].their_consent_at (partner's rep)"_s,
        upd(u"p1-rep"_s, ag, u"ag-p1-pending"_s, u"their_consent_at"_s, u"@NOW"_s), Expect::Forbidden);
    add(u"sharing_agreements[V to P1, pending].their_consent_at (other partner)"_s,
        upd(u"p2-admin"_s, ag, u"ag-p1-pending"_s, u"their_consent_at"_s, u"@NOW"_s), Expect::Refused);
    add(u"sharing_agreements[V to P1, pending].their_consent_at (owner)"_s,
        upd(u"v-admin"_s, ag, u"ag-p1-pending"_s, u"their_consent_at"_s, u"@NOW"_s), Expect::Forbidden);
    add(u"sharing_agreements[V to P1, active full].partner_id (owner column)"_s,
        upd(u"v-admin"_s, ag, u"ag-p1-full"_s, u"partner_id"_s, u"@P2"_s), Expect::InvalidValue);
    {
        QJsonObject selfConsented = agreement(u"@P2"_s, u"custom:top"_s, u"full"_s);
        selfConsented.insert(u"their_consent_at"_s, u"@NOW"_s);
        selfConsented.insert(u"fields"_s, m);
        add(u"sharing_agreements[new, V to P2, their_consent_at set by the owner]"_s,
            ins(u"v-admin"_s, ag, u"ag-new-self-consented"_s, selfConsented, {}), Expect::Rejected);
    }
    // deal_stages: vendor staff.
    add(u"deal_stages[prospect].name"_s, upd(u"p1-admin"_s, u"deal_stages"_s, u"prospect"_s, u"name"_s, m),
        Expect::Forbidden);
    add(u"deal_stages[prospect].name"_s, upd(u"v-cm"_s, u"deal_stages"_s, u"prospect"_s, u"name"_s, m),
        Expect::Accepted);
    // deal_rooms: vendor staff, the owner, participants; children as their room.
    const QString rooms = u"deal_rooms"_s;
    add(u"deal_rooms[V's, P1 participates].name"_s, upd(u"p1-rep"_s, rooms, u"room-vp1"_s, u"name"_s, m),
        Expect::Accepted);
    add(u"deal_rooms[V's, P1 participates].name (not a participant)"_s,
        upd(u"p2-admin"_s, rooms, u"room-vp1"_s, u"name"_s, m), Expect::Refused);
    add(u"deal_rooms[V's, no partner].name"_s, upd(u"p1-admin"_s, rooms, u"room-v"_s, u"name"_s, m), Expect::Refused);
    add(u"deal_rooms[P1's].name (partner's room)"_s, upd(u"v-cm"_s, rooms, u"room-p1"_s, u"name"_s, m),
        Expect::Accepted);
    add(u"deal_rooms[P1's].name (other partner's room)"_s, upd(u"p2-rep"_s, rooms, u"room-p1"_s, u"name"_s, m),
        Expect::Refused);
    add(u"deal_rooms[new] (own)"_s, ins(u"p2-admin"_s, rooms, u"room-new-p2"_s, room(m), {}), Expect::Accepted);
    add(u"deal_tasks[new in room V+P1] (participant)"_s,
        ins(u"p1-rep"_s, u"deal_tasks"_s, u"task-new-p1"_s, task(u"room-vp1"_s, m), {}), Expect::Accepted);
    add(u"deal_tasks[new in room V+P1] (not a participant)"_s,
        ins(u"p2-rep"_s, u"deal_tasks"_s, u"task-new-p2"_s, task(u"room-vp1"_s, m), {}), Expect::Refused);
    add(u"deal_tasks[new in a room the server does not have]"_s,
        ins(u"p1-rep"_s, u"deal_tasks"_s, u"task-new-no-room"_s, task(u"room-missing"_s, m), {}), Expect::Refused);
    add(u"deal_events[new in room V only]"_s,
        ins(u"p2-admin"_s, u"deal_events"_s, u"ev-new-p2"_s, event(u"room-v"_s, m), {}), Expect::Refused);
    add(u"deal_tasks[room V only].title"_s, upd(u"p1-admin"_s, u"deal_tasks"_s, u"task-v"_s, u"title"_s, m),
        Expect::Refused);
    add(u"deal_tasks[room of P1].title"_s, upd(u"v-cm"_s, u"deal_tasks"_s, u"task-p1"_s, u"title"_s, m),
        Expect::Accepted);
    add(u"deal_tasks[room V+P1].room_id (owner column)"_s,
        upd(u"p1-rep"_s, u"deal_tasks"_s, u"task-vp1"_s, u"room_id"_s, u"room-p1"_s), Expect::InvalidValue);
    add(u"deal_room_participants[new: P2 joins room V+P1 by itself]"_s,
        ins(u"p2-admin"_s, u"deal_room_participants"_s, u"part-self-invite"_s,
            participant(u"room-vp1"_s, u"@P2"_s, u"influencing"_s), {}),
        Expect::Refused);
    add(u"deal_documents[new in room of P1] (owner)"_s,
        ins(u"p1-admin"_s, u"deal_documents"_s, u"doc-new-p1"_s,
            {{u"room_id"_s, u"room-p1"_s}, {u"name"_s, m}, {u"size"_s, 1}, {u"added_at"_s, u"@NOW"_s}}, {}),
        Expect::Accepted);
    // deal_registrations: partner_id inserts and edits its own; vendor staff decide.
    const QString regs = u"deal_registrations"_s;
    add(u"deal_registrations[P1's].account_name (other partner)"_s,
        upd(u"p2-rep"_s, regs, u"reg-p1"_s, u"account_name"_s, m), Expect::Refused);
    add(u"deal_registrations[P1's].close_date (own)"_s, upd(u"p1-rep"_s, regs, u"reg-p1"_s, u"close_date"_s, m),
        Expect::Accepted);
    add(u"deal_registrations[new, partner_id P1] (other partner)"_s,
        ins(u"p2-admin"_s, regs, u"reg-new-p2-for-p1"_s, registration(u"@P1"_s, m), {}), Expect::Forbidden);
    add(u"deal_registrations[P1's].status = approved (own: the vendor decides)"_s,
        upd(u"p1-admin"_s, regs, u"reg-p1"_s, u"status"_s, u"approved"_s), Expect::Forbidden);
    add(u"deal_registrations[P2's].status = approved (own: the vendor decides)"_s,
        upd(u"p2-rep"_s, regs, u"reg-p2"_s, u"status"_s, u"approved"_s), Expect::Forbidden);
    add(u"deal_registrations[P2's].reason (vendor decides)"_s, upd(u"v-cm"_s, regs, u"reg-p2"_s, u"reason"_s, m),
        Expect::Accepted);
    add(u"deal_registrations[P1's].partner_id (owner column)"_s,
        upd(u"p1-admin"_s, regs, u"reg-p1"_s, u"partner_id"_s, u"@P2"_s), Expect::InvalidValue);
    // deal_referrals: from_org_id inserts; both ends update; vendor staff.
    const QString refs = u"deal_referrals"_s;
    add(u"deal_referrals[new, from P1] (not from)"_s,
        ins(u"p2-admin"_s, refs, u"ref-new-p2-as-p1"_s, referral(u"@P1"_s, u"@P2"_s, m), {}), Expect::Forbidden);
    add(u"deal_referrals[P1 to P2].reason (to end)"_s, upd(u"p2-rep"_s, refs, u"ref-p1-p2"_s, u"reason"_s, m),
        Expect::Accepted);
    add(u"deal_referrals[P1 to P2].need (from end)"_s, upd(u"p1-rep"_s, refs, u"ref-p1-p2"_s, u"need"_s, m),
        Expect::Accepted);
    add(u"deal_referrals[V to P2].need (no end)"_s, upd(u"p1-admin"_s, refs, u"ref-v-p2"_s, u"need"_s, m),
        Expect::Refused);
    add(u"deal_referrals[P1 to P2].contact (vendor staff)"_s, upd(u"v-cm"_s, refs, u"ref-p1-p2"_s, u"contact"_s, m),
        Expect::Accepted);
    add(u"deal_referrals[P1 to P2].to_org_id (owner column)"_s,
        upd(u"p2-rep"_s, refs, u"ref-p1-p2"_s, u"to_org_id"_s, u"@V"_s), Expect::InvalidValue);
    add(u"deal_referrals[new, from P1 to V] (from)"_s,
        ins(u"p1-admin"_s, refs, u"ref-new-p1-v"_s, referral(u"@P1"_s, u"@V"_s, m), {}), Expect::Accepted);
    // listings: users of organization_id; vendor staff.
    const QString lst = u"listings"_s;
    add(u"listings[P1 published].title (readable, not own)"_s, upd(u"p2-admin"_s, lst, u"lst-p1-pub"_s, u"title"_s, m),
        Expect::Forbidden);
    add(u"listings[P1 draft].summary (own)"_s, upd(u"p1-rep"_s, lst, u"lst-p1-draft"_s, u"summary"_s, m),
        Expect::Accepted);
    add(u"listings[P1 published].summary (vendor staff)"_s, upd(u"v-cm"_s, lst, u"lst-p1-pub"_s, u"summary"_s, m),
        Expect::Accepted);
    add(u"listings[new of P2] (other partner)"_s,
        ins(u"p1-admin"_s, lst, u"lst-new-p1-for-p2"_s, listing(u"@P2"_s, m, u"draft"_s), {}), Expect::Forbidden);
    add(u"listings[V draft].title"_s, upd(u"p1-admin"_s, lst, u"lst-v-draft"_s, u"title"_s, m), Expect::Refused);
    add(u"listings[P2 draft].title"_s, upd(u"p1-rep"_s, lst, u"lst-p2-draft"_s, u"title"_s, m), Expect::Refused);
    // listing_favourites: the owner.
    const QString fav = u"listing_favourites"_s;
    add(u"listing_favourites[P1's].created_at"_s, upd(u"p2-admin"_s, fav, u"fav-p1"_s, u"created_at"_s, m),
        Expect::Refused);
    add(u"listing_favourites[P2's]"_s, del(u"v-admin"_s, fav, u"fav-p2"_s), Expect::Refused);
    add(u"listing_favourites[P1's] (own)"_s, del(u"p1-rep"_s, fav, u"fav-p1"_s), Expect::Accepted);
    // collaboration_requests: from_org inserts; to_org answers.
    const QString req = u"collaboration_requests"_s;
    add(u"collaboration_requests[P1 to P2].reason (to)"_s, upd(u"p2-admin"_s, req, u"cr-p1-p2"_s, u"reason"_s, m),
        Expect::Accepted);
    add(u"collaboration_requests[P1 to P2].reason (vendor, no end)"_s,
        upd(u"v-admin"_s, req, u"cr-p1-p2"_s, u"reason"_s, m), Expect::Refused);
    add(u"collaboration_requests[P1 to P2].message (from: inserts only)"_s,
        upd(u"p1-admin"_s, req, u"cr-p1-p2"_s, u"message"_s, m), Expect::Forbidden);
    add(u"collaboration_requests[new, from P1] (not from)"_s,
        ins(u"p2-rep"_s, req, u"cr-new-p2-as-p1"_s, request(u"@P1"_s, u"@P2"_s, m), {}), Expect::Forbidden);
    add(u"collaboration_requests[V to P1].reason (to)"_s, upd(u"p1-admin"_s, req, u"cr-v-p1"_s, u"reason"_s, m),
        Expect::Accepted);
    // attribution_locks: vendor staff.
    const QString locks = u"attribution_locks"_s;
    const QJsonObject lock{{u"period_from"_s, u"2026-04-01"_s},
                           {u"period_to"_s, u"2026-06-30"_s},
                           {u"model"_s, u"linear"_s},
                           {u"note"_s, m},
                           {u"locked_at"_s, u"@NOW"_s}};
    add(u"attribution_locks[new]"_s, ins(u"p1-admin"_s, locks, u"lock-new-p1"_s, lock, {}), Expect::Forbidden);
    add(u"attribution_locks[new]"_s, ins(u"v-cm"_s, locks, u"lock-new-v"_s, lock, {}), Expect::Accepted);
    add(u"attribution_locks[lock-1].note"_s, upd(u"p1-rep"_s, locks, u"lock-1"_s, u"note"_s, m), Expect::Refused);
    // An insert over a row another organization owns takes nothing over: not its values, not its owner.
    add(u"accounts[V customer] again, as P2's (P2 revoked)"_s,
        ins(u"p2-admin"_s, acc, u"acc-v-cust-1"_s, account(u"@P2"_s, m, u"customer"_s), {}), Expect::AnyRejection);
    add(u"accounts[V customer] again, as P1's (P1 active full)"_s,
        ins(u"p1-rep"_s, acc, u"acc-v-cust-2"_s, account(u"@P1"_s, m, u"customer"_s), {}), Expect::AnyRejection);
    add(u"deal_rooms[V's, no partner] again"_s, ins(u"p1-rep"_s, rooms, u"room-v"_s, room(m), {}),
        Expect::AnyRejection);
    add(u"organizations[P2] again"_s,
        ins(u"p1-admin"_s, org, u"@P2"_s, {{u"kind"_s, u"partner"_s}, {u"name"_s, m}}, {}), Expect::AnyRejection);
    add(u"listing_favourites[V's] again"_s,
        ins(u"p2-admin"_s, fav, u"fav-v"_s, {{u"listing_id"_s, u"lst-v-pub"_s}, {u"created_at"_s, m}}, {}),
        Expect::AnyRejection);
    add(u"sharing_agreements[V to P1, pending] again, consented"_s,
        ins(u"p1-admin"_s, ag, u"ag-p1-pending"_s,
            QJsonObject{{u"partner_id"_s, u"@P1"_s},
                        {u"population"_s, u"opportunity"_s},
                        {u"level"_s, u"full"_s},
                        {u"our_consent_at"_s, u"@NOW"_s},
                        {u"their_consent_at"_s, u"@NOW"_s},
                        {u"fields"_s, m}},
            {}),
        Expect::AnyRejection);
    // An insert of an existing row is judged as the updates it makes, against the row it would leave: a partner
    // cannot approve its own registration by re-inserting it (it could, before: the rules saw the old status).
    {
        QJsonObject approved = registration(u"@P1"_s, m);
        approved.insert(u"status"_s, u"approved"_s);
        add(u"deal_registrations[P1's] again, status approved (own: the vendor decides)"_s,
            ins(u"p1-rep"_s, regs, u"reg-p1"_s, approved, {}), Expect::Rejected);
        QJsonObject decided = registration(u"@P1"_s, m);
        decided.insert(u"expires_at"_s, u"2099-01-01"_s);
        add(u"deal_registrations[P1's] again, expires_at set (own: the vendor decides)"_s,
            ins(u"p1-admin"_s, regs, u"reg-p1"_s, decided, {}), Expect::Rejected);
        add(u"deal_registrations[new, own, expires_at set at insert]"_s,
            ins(u"p1-admin"_s, regs, u"reg-new-p1-decided"_s, decided, {}), Expect::Forbidden);
        add(u"deal_registrations[new, own, approved at insert]"_s,
            ins(u"p1-rep"_s, regs, u"reg-new-p1-approved"_s, approved, {}), Expect::Forbidden);
        add(u"organizations[P1] again, kind vendor (own)"_s,
            ins(u"p1-admin"_s, org, u"@P1"_s, {{u"kind"_s, u"vendor"_s}, {u"name"_s, m}}, {}), Expect::Rejected);
        // Owner columns are required at insert, so none can be claimed later.
        QJsonObject ownerless = account(u"@P1"_s, m, u"customer"_s);
        ownerless.remove(u"owner_id"_s);
        add(u"accounts[new] without owner_id"_s, ins(u"p1-admin"_s, acc, u"acc-new-ownerless"_s, ownerless, {}),
            Expect::InvalidValue);
        add(u"deal_tasks[new] without room_id"_s,
            ins(u"v-cm"_s, u"deal_tasks"_s, u"task-new-roomless"_s, QJsonObject{{u"title"_s, m}}, {}),
            Expect::InvalidValue);
    }
    // Values are judged by the client's schema, whoever sends them: a row every replica could not store would stop
    // everyone's sync (organizations go to every organization).
    {
        add(u"organizations[new] without kind (vendor staff)"_s,
            ins(u"v-admin"_s, org, u"org-new-kindless"_s, {{u"name"_s, m}}, {}), Expect::InvalidValue);
        add(u"organizations[P1].name of spaces (own)"_s, upd(u"p1-admin"_s, org, u"@P1"_s, u"name"_s, u"   "_s),
            Expect::InvalidValue);
        QJsonObject unsubmitted = registration(u"@P1"_s, m);
        unsubmitted.remove(u"submitted_at"_s);
        add(u"deal_registrations[new, own] without submitted_at"_s,
            ins(u"p1-rep"_s, regs, u"reg-new-p1-unsubmitted"_s, unsubmitted, {}), Expect::InvalidValue);
        add(u"deal_registrations[P1's].status = bogus (vendor staff)"_s,
            upd(u"v-cm"_s, regs, u"reg-p1"_s, u"status"_s, u"bogus"_s), Expect::InvalidValue);
        add(u"deal_registrations[P1's].amount_minor = text (own)"_s,
            upd(u"p1-rep"_s, regs, u"reg-p1"_s, u"amount_minor"_s, u"lots"_s), Expect::InvalidValue);
        add(u"deal_registrations[P1's].amount_minor negative (own)"_s,
            upd(u"p1-rep"_s, regs, u"reg-p1"_s, u"amount_minor"_s, -5), Expect::InvalidValue);
        add(u"deal_registrations[P1's].no_such_column (own)"_s,
            upd(u"p1-rep"_s, regs, u"reg-p1"_s, u"no_such_column"_s, m), Expect::InvalidValue);
        QJsonArray nested;
        for (int level = 0; level < 1000; ++level)
            nested = QJsonArray{nested};
        add(u"listings[P1 draft].logo a BMP (own)"_s,
            upd(u"p1-rep"_s, lst, u"lst-p1-draft"_s, u"logo"_s,
                QString::fromLatin1(QByteArray("BM\x3a\0\0\0").toBase64())),
            Expect::InvalidValue);
        add(u"listings[P1 draft].summary nested 1,000 levels (own)"_s,
            upd(u"p1-rep"_s, lst, u"lst-p1-draft"_s, u"summary"_s, nested), Expect::InvalidValue);
    }
    // Tables the server does not sync are refused.
    add(u"consent_ledger[new] (not synced)"_s,
        ins(u"v-admin"_s, u"consent_ledger"_s, u"cl-1"_s, {{u"action"_s, u"grant"_s}, {u"detail"_s, m}}, {}),
        Expect::Forbidden);
    add(u"meta[new] (not synced)"_s, ins(u"v-admin"_s, u"meta"_s, u"device_id"_s, {{u"value"_s, m}}, {}),
        Expect::Forbidden);
    add(u"secret_things[new] (unknown table)"_s, ins(u"v-admin"_s, u"secret_things"_s, u"s-1"_s, {{u"name"_s, m}}, {}),
        Expect::Forbidden);
    return c;
}

// ---------------------------------------------------------------------------------------------------------------
// The reference model of "Who may read and write what".

struct Row
{
    QString table;
    QString id;
    QString owner; // organization id of the inserter
    QString group;
    QJsonObject values;
    bool deleted = false;
    QSet<QString> everReaders; // every organization that could read it at some point
};

QString key(const QString &table, const QString &id)
{
    return table + u'/' + id;
}

class Model
{
public:
    QString vendor;
    QStringList orgs; // every organization id
    QMap<QString, Row> rows;
    QDateTime at; // the moment agreements are judged at; invalid: the wall clock

    QString str(const Row &row, const QString &field) const { return row.values.value(field).toString(); }

    bool active(const Row &ag) const
    {
        if (ag.deleted || str(ag, u"our_consent_at"_s).isEmpty() || str(ag, u"their_consent_at"_s).isEmpty() ||
            !str(ag, u"revoked_at"_s).isEmpty())
            return false;
        const QString expires = str(ag, u"expires_at"_s);
        if (expires.isEmpty())
            return true;
        const QDateTime end = QDateTime::fromString(expires, Qt::ISODateWithMs);
        return end.isValid() && end > (at.isValid() ? at : QDateTime::currentDateTimeUtc());
    }

    // Partners P to whom an active "full" agreement of owner covers population.
    QSet<QString> sharedWith(const QString &owner, const QString &population) const
    {
        QSet<QString> partners;
        for (const Row &ag : rows) {
            if (ag.table == QLatin1String("sharing_agreements") && ag.owner == owner && active(ag) &&
                str(ag, u"level"_s) == QLatin1String("full") && str(ag, u"population"_s) == population)
                partners.insert(str(ag, u"partner_id"_s));
        }
        return partners;
    }

    QSet<QString> everyone() const { return QSet<QString>(orgs.cbegin(), orgs.cend()); }

    QSet<QString> readers(const Row &row) const
    {
        const QString &t = row.table;
        if (t == QLatin1String("organizations") || t == QLatin1String("deal_stages"))
            return everyone();
        if (t == QLatin1String("people"))
            return {str(row, u"organization_id"_s), vendor};
        if (t == QLatin1String("accounts"))
            return QSet<QString>{str(row, u"owner_id"_s)} | sharedWith(str(row, u"owner_id"_s), str(row, u"status"_s));
        if (t == QLatin1String("opportunities"))
            return QSet<QString>{str(row, u"owner_id"_s)} | sharedWith(str(row, u"owner_id"_s), u"opportunity"_s);
        if (t == QLatin1String("custom_populations") || t == QLatin1String("listing_favourites"))
            return {row.owner};
        if (t == QLatin1String("sharing_agreements"))
            return {row.owner, str(row, u"partner_id"_s)};
        if (t == QLatin1String("deal_rooms")) {
            QSet<QString> r{vendor, row.owner};
            for (const Row &p : rows) {
                if (p.table == QLatin1String("deal_room_participants") && !p.deleted && str(p, u"room_id"_s) == row.id)
                    r.insert(str(p, u"organization_id"_s));
            }
            return r;
        }
        if (t == QLatin1String("deal_room_participants") || t == QLatin1String("deal_room_people") ||
            t == QLatin1String("deal_events") || t == QLatin1String("deal_tasks") ||
            t == QLatin1String("deal_documents")) {
            const auto roomRow = rows.constFind(key(u"deal_rooms"_s, str(row, u"room_id"_s)));
            return roomRow == rows.cend() ? QSet<QString>() : readers(*roomRow);
        }
        if (t == QLatin1String("deal_registrations"))
            return {vendor, str(row, u"partner_id"_s)};
        if (t == QLatin1String("deal_referrals"))
            return {vendor, str(row, u"from_org_id"_s), str(row, u"to_org_id"_s)};
        if (t == QLatin1String("listings")) {
            if (str(row, u"state"_s) == QLatin1String("published"))
                return everyone();
            return {str(row, u"organization_id"_s), vendor};
        }
        if (t == QLatin1String("collaboration_requests"))
            return {str(row, u"from_org"_s), str(row, u"to_org"_s)};
        if (t == QLatin1String("attribution_locks"))
            return {vendor};
        return {};
    }

    bool mayRead(const QString &org, const Row &row) const { return readers(row).contains(org); }

    // "who writes" for an update of a readable row's field (not an owner column) by a user of org with role.
    bool mayUpdate(const QString &org, const QString &role, const Row &row, const QString &field) const
    {
        const QString &t = row.table;
        const bool staff = org == vendor;
        if (t == QLatin1String("organizations"))
            return staff || (role == QLatin1String("partner_admin") && row.id == org && field != QLatin1String("kind"));
        if (t == QLatin1String("people"))
            return staff || (role == QLatin1String("partner_admin") && str(row, u"organization_id"_s) == org);
        if (t == QLatin1String("accounts") || t == QLatin1String("opportunities"))
            return str(row, u"owner_id"_s) == org;
        if (t == QLatin1String("custom_populations") || t == QLatin1String("listing_favourites"))
            return row.owner == org;
        if (t == QLatin1String("sharing_agreements")) {
            if (field == QLatin1String("their_consent_at"))
                return role == QLatin1String("partner_admin") && str(row, u"partner_id"_s) == org;
            return row.owner == org &&
                   (role == QLatin1String("vendor_admin") || role == QLatin1String("partner_admin"));
        }
        if (t == QLatin1String("deal_stages") || t == QLatin1String("attribution_locks"))
            return staff;
        if (t == QLatin1String("deal_rooms") || t == QLatin1String("deal_room_participants") ||
            t == QLatin1String("deal_room_people") || t == QLatin1String("deal_events") ||
            t == QLatin1String("deal_tasks") || t == QLatin1String("deal_documents"))
            return mayRead(org, row); // vendor staff, the owner, participants; children: reading the room suffices
        if (t == QLatin1String("deal_registrations"))
            return staff || str(row, u"partner_id"_s) == org;
        if (t == QLatin1String("deal_referrals"))
            return staff || str(row, u"from_org_id"_s) == org || str(row, u"to_org_id"_s) == org;
        if (t == QLatin1String("listings"))
            return staff || str(row, u"organization_id"_s) == org;
        if (t == QLatin1String("collaboration_requests"))
            return str(row, u"to_org"_s) == org;
        return false;
    }

    // docs/server.md's reading of deletes: whoever may update the row, except organizations (vendor staff only),
    // deal_registrations (vendor staff), deal_referrals (the sender and vendor staff), collaboration_requests
    // (nobody). True when that reading refuses a delete to a user who may update the row.
    bool deleteReserved(const QString &org, const Row &row) const
    {
        const QString &t = row.table;
        if (t == QLatin1String("organizations") || t == QLatin1String("deal_registrations"))
            return org != vendor;
        if (t == QLatin1String("deal_referrals"))
            return org != vendor && str(row, u"from_org_id"_s) != org;
        return t == QLatin1String("collaboration_requests");
    }

    // "who writes" for an insert of a new row with these values by a user of org with role.
    bool mayInsert(const QString &org, const QString &role, const QString &t, const QJsonObject &v) const
    {
        const bool staff = org == vendor;
        auto s = [&v](const char *f) { return v.value(QLatin1String(f)).toString(); };
        if (t == QLatin1String("organizations") || t == QLatin1String("deal_stages") ||
            t == QLatin1String("attribution_locks"))
            return staff;
        if (t == QLatin1String("people"))
            return staff || (role == QLatin1String("partner_admin") && s("organization_id") == org);
        if (t == QLatin1String("accounts") || t == QLatin1String("opportunities"))
            return s("owner_id") == org;
        if (t == QLatin1String("custom_populations") || t == QLatin1String("listing_favourites") ||
            t == QLatin1String("deal_rooms"))
            return true;
        if (t == QLatin1String("sharing_agreements"))
            return role == QLatin1String("vendor_admin") || role == QLatin1String("partner_admin");
        if (t == QLatin1String("deal_registrations"))
            return s("partner_id") == org;
        if (t == QLatin1String("deal_referrals"))
            return s("from_org_id") == org;
        if (t == QLatin1String("listings"))
            return staff || s("organization_id") == org;
        if (t == QLatin1String("collaboration_requests"))
            return s("from_org") == org;
        if (t == QLatin1String("deal_events")) {
            const auto room = rows.constFind(key(u"deal_rooms"_s, s("room_id")));
            return room != rows.cend() && !room->deleted && mayRead(org, *room);
        }
        return false;
    }

    // Rows (keys) the organization holds now: readable and not deleted.
    QSet<QString> visible(const QString &org) const
    {
        QSet<QString> keys;
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            if (!it->deleted && mayRead(org, *it))
                keys.insert(it.key());
        }
        return keys;
    }

    void remember()
    {
        for (auto it = rows.begin(); it != rows.end(); ++it)
            it->everReaders |= readers(*it);
    }

    // Applies an accepted change (already resolved).
    void apply(const QString &org, const QString &table, const QString &id, const QString &op, const QString &field,
               const QJsonValue &value, const QString &group)
    {
        const QString k = key(table, id);
        if (op == QLatin1String("insert")) {
            auto it = rows.find(k);
            if (it == rows.end()) {
                Row row{table, id, org, group, value.toObject(), false, {}};
                rows.insert(k, row);
            } else if (!it->deleted) {
                const QJsonObject v = value.toObject();
                for (auto f = v.begin(); f != v.end(); ++f)
                    it->values.insert(f.key(), f.value());
            }
        } else if (op == QLatin1String("update")) {
            auto it = rows.find(k);
            if (it != rows.end() && !it->deleted)
                it->values.insert(field, value);
        } else if (op == QLatin1String("delete")) {
            auto it = rows.find(k);
            if (it != rows.end())
                it->deleted = true;
        }
        remember();
    }
};

// What a pull brought: the items in order and the replica they build.
struct Pulled
{
    int status = 200;
    QString problem;
    QList<QJsonObject> items;
    qint64 cursor = 0;
};

struct Replica
{
    QMap<QString, QJsonObject> rows; // key -> values
    QSet<QString> seen;              // every key any item named
    QSet<QString> purged;            // keys named by purge items
    QSet<QString> deleted;           // keys named by delete items
    qint64 cursor = 0;

    void apply(const QList<QJsonObject> &items)
    {
        for (const QJsonObject &item : items) {
            const QString k =
                key(item.value(QLatin1String("table")).toString(), item.value(QLatin1String("row_id")).toString());
            const QString op = item.value(QLatin1String("op")).toString();
            seen.insert(k);
            if (op == QLatin1String("upsert")) {
                rows.insert(k, item.value(QLatin1String("values")).toObject());
            } else if (op == QLatin1String("delete")) {
                rows.remove(k);
                deleted.insert(k);
            } else if (op == QLatin1String("purge")) {
                rows.remove(k);
                purged.insert(k);
            }
        }
    }
};

QString jsonText(const QJsonValue &value)
{
    QJsonArray wrapped;
    wrapped.append(value);
    const QByteArray text = QJsonDocument(wrapped).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString joinSorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list.isEmpty() ? u"(none)"_s : list.join(u", "_s);
}

// The model of the fixture with symbolic organization ids ("@V", "@P1", "@P2"), for naming the data rows: what a
// case expects is known before any server runs.
const Model &staticModel()
{
    static const Model model = [] {
        Model m;
        m.vendor = u"@V"_s;
        m.orgs = QStringList{u"@V"_s, u"@P1"_s, u"@P2"_s};
        for (const Spec &spec : fixture()) {
            QString org;
            for (const UserSpec &u : fixtureUsers()) {
                if (u.username == spec.user)
                    org = u'@' + u.org;
            }
            m.apply(org, spec.table, spec.rowId, spec.op, spec.field, spec.value, spec.group);
        }
        return m;
    }();
    return model;
}

} // namespace

class TestServerSharing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void endpointMatrix_data();
    void endpointMatrix();
    void pullMatrix_data();
    void pullMatrix();
    void pushMatrix_data();
    void pushMatrix();
    void transitions_data();
    void transitions();
    void writeMatrix_data();
    void writeMatrix();
    void deleteMatrix_data();
    void deleteMatrix();

private:
    // Environment
    bool freshDatabase(QString *error);
    bool startServer(QString *error);
    bool buildUsers(QString *error);
    bool buildFixture(QString *error);
    bool ensure(bool withData);

    Response call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QString &token = {});
    Response callJson(const QByteArray &method, const QString &path, const QJsonObject &body, const QString &token = {})
    {
        return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
    }
    QString login(const QString &user, QString *refresh = nullptr);
    bool runCli(const QStringList &args, const QString &password, QString *error);

    // Sync
    QJsonValue resolve(const QJsonValue &value, const QString &marker) const;
    QString resolveId(const QString &id) const { return resolve(QJsonValue(id), {}).toString(); }
    QJsonObject changeJson(const Spec &spec, const QString &marker);
    Response push(const QString &user, const QJsonArray &changes);
    Pulled pull(const QString &user, qint64 since, int limit = 1000);
    QString checkReplica(const QString &user, const Replica &replica, const QString &onlyGroup = {}) const;
    QString leaks(const QString &user, const Replica &replica) const;
    QString secretsIn(const QString &callerOrg, const QByteArray &body) const;
    QStringList databaseValuesContaining(const QString &needle, QString *error);
    QString orgOf(const QString &user) const;
    void rowLevelSecurity(const QString &org);
    void runCase(const Spec &spec, Expect expect, const QString &name, QString *problem);
    QString afterwards(const QString &user);
    QString scanDatabase(bool refused);

    bool m_postgres = false;
    QString m_database;
    QString m_sqliteFile;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
    Server *m_active = nullptr; // when set, call() goes there instead of m_server
    QNetworkAccessManager m_nam;
    QString m_builtFor;   // the test function the running server and fixture belong to
    QString m_buildError; // why the environment could not be built
    QStringList m_seedProblems;
    QMap<QString, QString> m_orgId;   // "V", "P1", "P2" -> id
    QMap<QString, QString> m_tokens;  // username -> access token
    QMap<QString, QString> m_userIds; // username -> user id
    QMap<QString, QString> m_special; // endpoint matrix: "expired", "logged-out" tokens
    Model m_model;
    qint64 m_hlc = 0;
    int m_changeSeq = 0;
    QMap<QString, Replica> m_replicas;     // transitions: each user's replica
    QMap<QString, QString> m_markers;      // push matrix: marker -> case name (accepted or refused)
    QMap<QString, QSet<QString>> m_before; // transitions: what each user held before the step
    QSet<QString> m_stepDeleted;           // transitions: rows the step deleted
};

void TestServerSharing::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_SERVER_BINARY")),
             "ECOTONE_SERVER_BINARY must name the ecotone-server executable");
    const QString pg = qEnvironmentVariable("ECOTONE_SERVER_TEST_DATABASE");
    m_postgres = pg.startsWith(QLatin1String("postgresql://"));
    qInfo("backend: %s", m_postgres ? "PostgreSQL" : "SQLite");
}

void TestServerSharing::init()
{
    // The data rows of one function share its server and fixture; a new function starts from an empty database.
    const QString function = QString::fromLatin1(QTest::currentTestFunction());
    if (function == m_builtFor)
        return;
    m_server.reset();
    m_builtFor = function;
    m_buildError.clear();
    m_seedProblems.clear();
    m_orgId.clear();
    m_tokens.clear();
    m_userIds.clear();
    m_special.clear();
    m_model = Model();
    m_replicas.clear();
    m_markers.clear();
    m_before.clear();
    m_stepDeleted.clear();
    m_changeSeq = 0;
}

void TestServerSharing::cleanupTestCase()
{
    m_server.reset();
}

bool TestServerSharing::freshDatabase(QString *error)
{
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        *error = u"no temporary folder"_s;
        return false;
    }
    if (!m_postgres) {
        m_sqliteFile = m_dir->filePath(u"server.sqlite"_s);
        m_database = u"sqlite:"_s + m_sqliteFile;
        return true;
    }
    m_database = qEnvironmentVariable("ECOTONE_SERVER_TEST_DATABASE");
    const QUrl url(m_database);
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"reset"_s);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setDatabaseName(url.path().mid(1));
        if (!db.open()) {
            *error = db.lastError().text();
            ok = false;
        } else {
            QSqlQuery query(db);
            // As a new database has it: the public schema usable by every role (the server's requests run as a
            // role of their own, ecotone_app).
            if (!query.exec(u"DROP SCHEMA public CASCADE"_s) || !query.exec(u"CREATE SCHEMA public"_s) ||
                !query.exec(u"GRANT USAGE ON SCHEMA public TO PUBLIC"_s)) {
                *error = query.lastError().text();
                ok = false;
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(u"reset"_s);
    return ok;
}

bool TestServerSharing::runCli(const QStringList &args, const QString &password, QString *error)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        env.insert(u"ECOTONE_SERVER_PASSWORD"_s, password);
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("ECOTONE_SERVER_BINARY"), args);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = u"ecotone-server %1: %2"_s.arg(args.join(u' '), QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool TestServerSharing::startServer(QString *error)
{
    m_server = std::make_unique<Server>();
    return m_server->start(m_database, {}, error);
}

// Organizations V, P1, P2 with chosen ids (`org add`; else POST /organizations with id; else whatever id the server
// gives), and the six users of fixtureUsers(), plus a "target" user per organization for the endpoint matrix.
bool TestServerSharing::buildUsers(QString *error)
{
    if (!freshDatabase(error))
        return false;
    const QMap<QString, QString> wanted{{u"V"_s, u"org-v"_s}, {u"P1"_s, u"org-p1"_s}, {u"P2"_s, u"org-p2"_s}};
    bool cli = true;
    QString cliError;
    for (const QString &k : {u"V"_s, u"P1"_s, u"P2"_s}) {
        if (!runCli({u"org"_s, u"add"_s, u"--database"_s, m_database, u"--id"_s, wanted.value(k), u"--name"_s,
                     orgName(k), u"--kind"_s, k == QLatin1String("V") ? u"vendor"_s : u"partner"_s},
                    {}, &cliError)) {
            cli = false;
            break;
        }
    }
    if (!cli)
        qWarning("`ecotone-server org add` failed (%s); falling back to the API", qPrintable(cliError));
    if (!runCli({u"user"_s, u"add"_s, u"--database"_s, m_database, u"--organization"_s, orgName(u"V"_s),
                 u"--username"_s, u"v-admin"_s, u"--role"_s, u"vendor_admin"_s},
                kPassword, error))
        return false;
    if (!startServer(error))
        return false;
    m_tokens.insert(u"v-admin"_s, login(u"v-admin"_s));
    const QString admin = m_tokens.value(u"v-admin"_s);
    if (admin.isEmpty()) {
        *error = u"v-admin cannot log in"_s;
        return false;
    }
    // The organizations' ids, by name.
    auto lookup = [&]() {
        const Response r = call("GET", u"/api/v1/organizations"_s, {}, admin);
        for (const QJsonValue &o : r.json.value(QLatin1String("organizations")).toArray()) {
            for (const QString &k : {u"V"_s, u"P1"_s, u"P2"_s}) {
                if (o.toObject().value(QLatin1String("name")).toString() == orgName(k))
                    m_orgId.insert(k, o.toObject().value(QLatin1String("id")).toString());
            }
        }
    };
    lookup();
    for (const QString &k : {u"P1"_s, u"P2"_s}) {
        if (m_orgId.contains(k))
            continue;
        Response r =
            callJson("POST", u"/api/v1/organizations"_s, {{u"name"_s, orgName(k)}, {u"id"_s, wanted.value(k)}}, admin);
        if (r.status != 201) {
            qWarning("POST /organizations with id: %d %s; without id then", r.status, r.raw.constData());
            r = callJson("POST", u"/api/v1/organizations"_s, {{u"name"_s, orgName(k)}}, admin);
        }
        if (r.status != 201) {
            *error = u"cannot create %1: %2"_s.arg(k, QString::fromUtf8(r.raw));
            return false;
        }
    }
    lookup();
    if (m_orgId.size() != 3) {
        *error = u"organizations missing"_s;
        return false;
    }
    m_model.vendor = m_orgId.value(u"V"_s);
    m_model.orgs = m_orgId.values();
    QList<UserSpec> users = fixtureUsers();
    users << UserSpec{u"v-target"_s, u"V"_s, u"channel_manager"_s}
          << UserSpec{u"p1-target"_s, u"P1"_s, u"partner_rep"_s} << UserSpec{u"p2-target"_s, u"P2"_s, u"partner_rep"_s};
    for (const UserSpec &u : users) {
        if (u.username == QLatin1String("v-admin"))
            continue;
        const Response r = callJson("POST", u"/api/v1/organizations/%1/users"_s.arg(m_orgId.value(u.org)),
                                    {{u"username"_s, u.username},
                                     {u"password"_s, kPassword},
                                     {u"role"_s, u.role},
                                     {u"display_name"_s, QString(u"Display "_s + u.username)}},
                                    admin);
        if (r.status != 201) {
            *error = u"cannot add %1: %2"_s.arg(u.username, QString::fromUtf8(r.raw));
            return false;
        }
        m_userIds.insert(u.username, r.json.value(QLatin1String("id")).toString());
    }
    m_userIds.insert(u"v-admin"_s, call("GET", u"/api/v1/me"_s, {}, admin)
                                       .json.value(QLatin1String("user"))
                                       .toObject()
                                       .value(QLatin1String("id"))
                                       .toString());
    for (const UserSpec &u : fixtureUsers()) {
        if (!m_tokens.contains(u.username))
            m_tokens.insert(u.username, login(u.username));
        if (m_tokens.value(u.username).isEmpty()) {
            *error = u"%1 cannot log in"_s.arg(u.username);
            return false;
        }
    }
    return true;
}

// Pushes the fixture one change at a time; what the server refuses is noted (a seed refused is a server that
// disagrees with docs/sync.md) and left out of the model, so the model stays what the server was given.
bool TestServerSharing::buildFixture(QString *error)
{
    if (!buildUsers(error))
        return false;
    for (const Spec &spec : fixture()) {
        const QJsonObject change = changeJson(spec, {});
        const Response r = push(spec.user, QJsonArray{change});
        const QString id = change.value(QLatin1String("id")).toString();
        bool accepted = false;
        for (const QJsonValue &a : r.json.value(QLatin1String("accepted")).toArray())
            accepted = accepted || a.toObject().value(QLatin1String("id")).toString() == id;
        if (r.status != 200 || !accepted) {
            m_seedProblems.append(
                u"%1 %2 %3/%4 %5: %6 %7"_s.arg(label(spec.user), spec.op, spec.table, resolveId(spec.rowId), spec.field)
                    .arg(r.status)
                    .arg(QString::fromUtf8(r.raw.left(300))));
            continue;
        }
        m_model.apply(orgOf(spec.user), spec.table, resolveId(spec.rowId), spec.op, spec.field,
                      change.value(QLatin1String("value")), spec.group);
    }
    return true;
}

bool TestServerSharing::ensure(bool withData)
{
    if (m_server || !m_buildError.isEmpty())
        return m_buildError.isEmpty();
    QString error;
    QElapsedTimer timer;
    timer.start();
    const bool ok = withData ? buildFixture(&error) : buildUsers(&error);
    if (!ok)
        m_buildError = error.isEmpty() ? u"cannot build the fixture"_s : error;
    qInfo("%s: fixture built in %lld ms (%s)", QTest::currentTestFunction(), static_cast<long long>(timer.elapsed()),
          ok ? "ok" : qPrintable(m_buildError));
    return ok;
}

Response TestServerSharing::call(const QByteArray &method, const QString &path, const QByteArray &body,
                                 const QString &token)
{
    QNetworkRequest request(QUrl((m_active ? m_active : m_server.get())->url(path)));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.raw = reply->readAll();
    response.json = QJsonDocument::fromJson(response.raw).object();
    reply->deleteLater();
    return response;
}

QString TestServerSharing::login(const QString &user, QString *refresh)
{
    const Response r = callJson("POST", u"/api/v1/auth/login"_s, {{u"username"_s, user}, {u"password"_s, kPassword}});
    if (r.status != 200) {
        qWarning("login %s: %d %s", qPrintable(user), r.status, r.raw.constData());
        return {};
    }
    if (refresh)
        *refresh = r.json.value(QLatin1String("refresh_token")).toString();
    return r.json.value(QLatin1String("access_token")).toString();
}

QString TestServerSharing::orgOf(const QString &user) const
{
    for (const UserSpec &u : fixtureUsers()) {
        if (u.username == user)
            return m_orgId.value(u.org);
    }
    return {};
}

QJsonValue TestServerSharing::resolve(const QJsonValue &value, const QString &marker) const
{
    if (value.isString()) {
        const QString s = value.toString();
        if (s.startsWith(u'@')) {
            const QString k = s.mid(1);
            if (m_orgId.contains(k))
                return m_orgId.value(k);
            const QDateTime now = QDateTime::currentDateTimeUtc();
            if (k == QLatin1String("NOW"))
                return now.toString(Qt::ISODateWithMs);
            if (k == QLatin1String("PAST"))
                return now.addDays(-1).toString(Qt::ISODateWithMs);
        }
        if (s == QLatin1String("{M}"))
            return marker;
        return s;
    }
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = resolve(it.value(), marker);
        return o;
    }
    return value;
}

QJsonObject TestServerSharing::changeJson(const Spec &spec, const QString &marker)
{
    m_hlc = std::max(m_hlc + 1, QDateTime::currentMSecsSinceEpoch() << 16);
    // Device ids name no user (a conflict shows another device's id, which must not read as a user name).
    const QString device = u"device-%1"_s.arg(qHash(spec.user) % 100000);
    return {{u"id"_s, u"%1:%2"_s.arg(device).arg(++m_changeSeq)},
            {u"device_id"_s, device},
            {u"hlc"_s, m_hlc},
            {u"table"_s, spec.table},
            {u"row_id"_s, resolveId(spec.rowId)},
            {u"op"_s, spec.op},
            {u"field"_s, spec.field},
            {u"value"_s, resolve(spec.value, marker)}};
}

Response TestServerSharing::push(const QString &user, const QJsonArray &changes)
{
    return callJson("POST", u"/api/v1/sync/push"_s, {{u"changes"_s, changes}}, m_tokens.value(user));
}

// Every page after since; checks the order of the numbers and the cursor on the way.
Pulled TestServerSharing::pull(const QString &user, qint64 since, int limit)
{
    Pulled result;
    qint64 cursor = since;
    for (int pages = 0; pages < 10000; ++pages) {
        const Response page =
            call("GET", u"/api/v1/sync/pull?since=%1&limit=%2"_s.arg(cursor).arg(limit), {}, m_tokens.value(user));
        if (page.status != 200) {
            result.status = page.status;
            result.problem =
                u"pull since %1: %2 %3"_s.arg(cursor).arg(page.status).arg(QString::fromUtf8(page.raw.left(300)));
            break;
        }
        qint64 last = cursor;
        for (const QJsonValue &c : page.json.value(QLatin1String("changes")).toArray()) {
            const qint64 seq = c.toObject().value(QLatin1String("seq")).toInteger();
            if (seq <= last && result.problem.isEmpty())
                result.problem = u"sequence numbers not increasing: %1 after %2"_s.arg(seq).arg(last);
            last = seq;
            result.items.append(c.toObject());
        }
        const qint64 next = page.json.value(QLatin1String("cursor")).toInteger();
        if (next != last && result.problem.isEmpty())
            result.problem = u"cursor %1, last number of the page %2"_s.arg(next).arg(last);
        cursor = next;
        if (!page.json.value(QLatin1String("more")).toBool())
            break;
    }
    result.cursor = cursor;
    return result;
}

// Compares the user's replica with what the model says its organization holds (one group, or all): the same rows,
// and every field the model knows with the model's value. Empty when they agree.
QString TestServerSharing::checkReplica(const QString &user, const Replica &replica, const QString &onlyGroup) const
{
    const QString org = orgOf(user);
    QSet<QString> expected;
    for (auto it = m_model.rows.cbegin(); it != m_model.rows.cend(); ++it) {
        if (!onlyGroup.isEmpty() && it->group != onlyGroup)
            continue;
        if (!it->deleted && m_model.mayRead(org, *it))
            expected.insert(it.key());
    }
    QSet<QString> actual;
    for (auto it = replica.rows.cbegin(); it != replica.rows.cend(); ++it) {
        const auto modelRow = m_model.rows.constFind(it.key());
        const QString group = modelRow == m_model.rows.cend() ? QString() : modelRow->group;
        if (onlyGroup.isEmpty() || group == onlyGroup)
            actual.insert(it.key());
    }
    QStringList problems;
    if (const QSet<QString> missing = expected - actual; !missing.isEmpty())
        problems << u"missing (may read): "_s + joinSorted(missing);
    if (const QSet<QString> extra = actual - expected; !extra.isEmpty())
        problems << u"extra (may not read, or deleted): "_s + joinSorted(extra);
    for (const QString &k : expected &actual) {
        const QJsonObject values = replica.rows.value(k);
        const Row &row = m_model.rows[k];
        for (auto f = row.values.constBegin(); f != row.values.constEnd(); ++f) {
            const QJsonValue got = values.value(f.key());
            if (got != f.value())
                problems << u"%1.%2 is %3, expected %4"_s.arg(k, f.key(), jsonText(got), jsonText(f.value()));
        }
    }
    return problems.join(u"; "_s);
}

// Rows named by any item (upsert, delete or purge) that the user's organization could never read.
QString TestServerSharing::leaks(const QString &user, const Replica &replica) const
{
    const QString org = orgOf(user);
    QSet<QString> bad;
    for (const QString &k : replica.seen) {
        const auto row = m_model.rows.constFind(k);
        if (row == m_model.rows.cend() || !row->everReaders.contains(org))
            bad.insert(k);
    }
    return bad.isEmpty() ? QString() : u"rows it may never read: "_s + joinSorted(bad);
}

// Names of users and organizations an organization may not see through the API, found in a response body.
QString TestServerSharing::secretsIn(const QString &callerOrg, const QByteArray &body) const
{
    const bool vendorCaller = callerOrg == QLatin1String("V");
    QStringList found;
    const QString text = QString::fromUtf8(body);
    QList<UserSpec> users = fixtureUsers();
    users << UserSpec{u"v-target"_s, u"V"_s, u"channel_manager"_s}
          << UserSpec{u"p1-target"_s, u"P1"_s, u"partner_rep"_s} << UserSpec{u"p2-target"_s, u"P2"_s, u"partner_rep"_s};
    for (const UserSpec &u : users) {
        if (vendorCaller || u.org == callerOrg)
            continue;
        for (const QString &secret : {u.username, QString(u"Display "_s + u.username), m_userIds.value(u.username)}) {
            if (!secret.isEmpty() && text.contains(secret))
                found << secret;
        }
    }
    for (const QString &k : {u"V"_s, u"P1"_s, u"P2"_s}) {
        if (!vendorCaller && k != callerOrg && text.contains(orgName(k)))
            found << orgName(k);
    }
    return found.join(u", "_s);
}

// Every stored value of the server's database holding needle (schema-agnostic: all tables, all columns). On
// PostgreSQL it connects as the cluster's superuser (with-postgresql.sh: "ecotone"), which row-level security does
// not hide rows from.
QStringList TestServerSharing::databaseValuesContaining(const QString &needle, QString *error)
{
    QStringList hits;
    const QString name = u"scan"_s;
    {
        QSqlDatabase db;
        if (m_postgres) {
            const QUrl url(m_database);
            db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
            db.setHostName(url.host());
            db.setPort(url.port(5432));
            db.setUserName(u"ecotone"_s);
            db.setDatabaseName(url.path().mid(1));
        } else {
            db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(m_sqliteFile);
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        }
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QStringList tables;
            QSqlQuery q(db);
            q.exec(m_postgres ? u"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                u"AND table_type = 'BASE TABLE'"_s
                              : u"SELECT name FROM sqlite_master WHERE type = 'table'"_s);
            while (q.next())
                tables << q.value(0).toString();
            if (tables.isEmpty())
                *error = u"no tables found: "_s + q.lastError().text();
            for (const QString &table : tables) {
                QSqlQuery rows(db);
                if (!rows.exec(u"SELECT * FROM \"%1\""_s.arg(table)))
                    continue;
                while (rows.next()) {
                    const QSqlRecord record = rows.record();
                    for (int i = 0; i < record.count(); ++i) {
                        const QVariant v = rows.value(i);
                        const QString s =
                            v.typeId() == QMetaType::QByteArray ? QString::fromUtf8(v.toByteArray()) : v.toString();
                        if (s.contains(needle))
                            hits << u"%1.%2: %3"_s.arg(table, record.fieldName(i), s.left(200));
                    }
                }
            }
        }
    } // the queries go before the connection: removeDatabase() closes it
    QSqlDatabase::removeDatabase(name);
    return hits;
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoint x role x organization (docs/server.md, server/openapi.yaml).

namespace {

struct Caller
{
    QString name;     // case label
    QString username; // empty for the token-less callers
    QString org;      // V, P1 or empty
    QString role;
    QString token; // "none", "garbage", "expired", "logged-out" for the token-less ones
};

QList<Caller> endpointCallers()
{
    return {{u"vendor_admin@V"_s, u"v-admin"_s, u"V"_s, u"vendor_admin"_s, {}},
            {u"channel_manager@V"_s, u"v-cm"_s, u"V"_s, u"channel_manager"_s, {}},
            {u"partner_admin@P1"_s, u"p1-admin"_s, u"P1"_s, u"partner_admin"_s, {}},
            {u"partner_rep@P1"_s, u"p1-rep"_s, u"P1"_s, u"partner_rep"_s, {}},
            {u"no token"_s, {}, {}, {}, u"none"_s},
            {u"garbage token"_s, {}, {}, {}, u"garbage"_s},
            {u"expired token"_s, {}, {}, {}, u"expired"_s},
            {u"logged-out token"_s, {}, {}, {}, u"logged-out"_s}};
}

QString relation(const Caller &caller, const QString &target)
{
    if (caller.org.isEmpty())
        return target;
    if (caller.org == target)
        return u"own org "_s + target;
    if (target == QLatin1String("V"))
        return u"vendor V"_s;
    return caller.org == QLatin1String("V") ? u"partner "_s + target : u"other partner "_s + target;
}

bool isVendor(const Caller &c)
{
    return c.org == QLatin1String("V");
}

// The status docs/server.md gives (the route table, "deny by default", 404 for what may not be seen).
int expectedStatus(const QString &endpoint, const Caller &c, const QString &target)
{
    const bool signedIn = !c.username.isEmpty();
    const bool own = c.org == target;
    const bool admin = c.role == QLatin1String("partner_admin");
    if (endpoint == QLatin1String("GET /health"))
        return 200;
    if (endpoint == QLatin1String("POST /auth/login"))
        return signedIn ? 200 : 401; // token-less callers try a wrong password
    if (endpoint == QLatin1String("POST /auth/refresh"))
        return signedIn ? 200 : 401;
    if (!signedIn)
        return 401;
    if (endpoint == QLatin1String("POST /auth/logout"))
        return 204;
    if (endpoint == QLatin1String("GET /me") || endpoint == QLatin1String("GET /organizations") ||
        endpoint == QLatin1String("GET /sync/pull") || endpoint == QLatin1String("POST /sync/push"))
        return 200;
    if (endpoint.startsWith(QLatin1String("POST /organizations ")) || endpoint == QLatin1String("POST /organizations"))
        return isVendor(c) ? 201 : 403;
    if (endpoint == QLatin1String("GET /organizations/{id}"))
        return isVendor(c) || own ? 200 : 404;
    if (endpoint == QLatin1String("GET /organizations/{id}/users")) {
        if (isVendor(c))
            return 200;
        if (!own)
            return 404;
        return admin ? 200 : 403;
    }
    if (endpoint == QLatin1String("POST /organizations/{id}/users")) {
        if (c.role == QLatin1String("vendor_admin"))
            return 201;
        if (c.role == QLatin1String("channel_manager"))
            return target == QLatin1String("V") ? 403 : 201;
        if (!own)
            return 404;
        return admin ? 201 : 403;
    }
    if (endpoint == QLatin1String("GET /users/{id}")) // another user of the target organization
        return isVendor(c) || (own && admin) ? 200 : 404;
    if (endpoint == QLatin1String("PATCH /users/{id}")) { // its display name
        if (c.role == QLatin1String("vendor_admin"))
            return 200;
        if (c.role == QLatin1String("channel_manager"))
            return target == QLatin1String("V") ? 403 : 200;
        return own && admin ? 200 : 404;
    }
    return -1;
}

const QStringList kUntargeted{u"GET /health"_s,
                              u"POST /auth/login"_s,
                              u"POST /auth/refresh"_s,
                              u"GET /me"_s,
                              u"GET /organizations"_s,
                              u"POST /organizations"_s,
                              u"POST /organizations (with id)"_s,
                              u"GET /sync/pull"_s};
const QStringList kTargeted{u"GET /organizations/{id}"_s,
                            u"GET /organizations/{id}/users"_s,
                            u"POST /organizations/{id}/users"_s,
                            u"GET /users/{id}"_s,
                            u"PATCH /users/{id}"_s,
                            u"POST /sync/push"_s};

} // namespace

void TestServerSharing::endpointMatrix_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<int>("caller");
    QTest::addColumn<QString>("target");
    const QList<Caller> callers = endpointCallers();
    for (const QString &endpoint : kUntargeted) {
        for (int i = 0; i < callers.size(); ++i)
            QTest::addRow("%s | %s", qPrintable(endpoint), qPrintable(callers.at(i).name))
                << endpoint << i << QString();
    }
    for (const QString &endpoint : kTargeted) {
        for (int i = 0; i < callers.size(); ++i) {
            for (const QString &target : {u"V"_s, u"P1"_s, u"P2"_s})
                QTest::addRow("%s | %s | %s", qPrintable(endpoint), qPrintable(callers.at(i).name),
                              qPrintable(relation(callers.at(i), target)))
                    << endpoint << i << target;
        }
    }
    // Logout last: it ends sessions.
    for (int i = 0; i < callers.size(); ++i)
        QTest::addRow("POST /auth/logout | %s", qPrintable(callers.at(i).name))
            << u"POST /auth/logout"_s << i << QString();
    // Last of all: what ends a user's sessions ends its sync too (docs/server.md: a new role, a new password or
    // disabling a user ends all of its sessions).
    QTest::newRow("GET /sync/pull | partner_rep@P1 after it was disabled") << u"disabled"_s << 3 << QString();
    QTest::newRow("POST /sync/push | partner_admin@P1 after its role changed") << u"role changed"_s << 2 << QString();
}

void TestServerSharing::endpointMatrix()
{
    QFETCH(QString, endpoint);
    QFETCH(int, caller);
    QFETCH(QString, target);
    QVERIFY2(ensure(false), qPrintable(m_buildError));
    if (m_special.isEmpty()) {
        // An expired token: a second instance on the same database issues one that lives a second.
        Server shortLived;
        QString error;
        QVERIFY2(shortLived.start(m_database, {u"--access-token-seconds"_s, u"1"_s}, &error), qPrintable(error));
        m_active = &shortLived;
        const QString expired = login(u"v-admin"_s);
        m_active = nullptr;
        shortLived.stop();
        QVERIFY(!expired.isEmpty());
        const QString gone = login(u"p1-rep"_s);
        QCOMPARE(call("POST", u"/api/v1/auth/logout"_s, {}, gone).status, 204);
        QTest::qWait(1200);
        QCOMPARE(call("GET", u"/api/v1/me"_s, {}, expired).status, 401);
        m_special.insert(u"expired"_s, expired);
        m_special.insert(u"logged-out"_s, gone);
        m_special.insert(u"garbage"_s, u"eat_notatokenatall0000000000000000000000000000"_s);
        m_special.insert(u"none"_s, QString());
    }
    const Caller c = endpointCallers().at(caller);
    const QString token = c.username.isEmpty() ? m_special.value(c.token) : m_tokens.value(c.username);
    const QString targetId = m_orgId.value(target);
    const QString targetUser = target.isEmpty() ? QString() : m_userIds.value(target.toLower() + u"-target"_s);
    static int serial = 0;
    ++serial;
    Response r;
    if (endpoint == QLatin1String("GET /health")) {
        r = call("GET", u"/api/v1/health"_s, {}, token);
    } else if (endpoint == QLatin1String("POST /auth/login")) {
        if (!c.username.isEmpty()) {
            r = callJson("POST", u"/api/v1/auth/login"_s, {{u"username"_s, c.username}, {u"password"_s, kPassword}});
        } else {
            // A wrong password and an unknown name get the same answer, which names nobody.
            r = callJson("POST", u"/api/v1/auth/login"_s,
                         {{u"username"_s, u"p2-admin"_s}, {u"password"_s, u"wrong-password-%1"_s.arg(serial)}});
            const Response unknown =
                callJson("POST", u"/api/v1/auth/login"_s,
                         {{u"username"_s, u"nobody-%1"_s.arg(serial)}, {u"password"_s, kPassword}});
            QCOMPARE(unknown.status, r.status);
            QCOMPARE(unknown.json.value(QLatin1String("error")), r.json.value(QLatin1String("error")));
        }
    } else if (endpoint == QLatin1String("POST /auth/refresh")) {
        QString refresh = u"ert_garbage"_s;
        if (!c.username.isEmpty())
            login(c.username, &refresh); // a session of its own: refreshing ends the old access token
        r = callJson("POST", u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, refresh}});
    } else if (endpoint == QLatin1String("POST /auth/logout")) {
        const QString session = c.username.isEmpty() ? token : login(c.username);
        r = call("POST", u"/api/v1/auth/logout"_s, {}, session);
        if (!c.username.isEmpty())
            QCOMPARE(call("GET", u"/api/v1/me"_s, {}, session).status, 401);
    } else if (endpoint == QLatin1String("GET /me")) {
        r = call("GET", u"/api/v1/me"_s, {}, token);
        if (r.status == 200) {
            QCOMPARE(r.json.value(QLatin1String("organization")).toObject().value(QLatin1String("id")).toString(),
                     m_orgId.value(c.org));
            QCOMPARE(r.json.value(QLatin1String("user")).toObject().value(QLatin1String("username")).toString(),
                     c.username);
        }
    } else if (endpoint == QLatin1String("GET /organizations")) {
        r = call("GET", u"/api/v1/organizations"_s, {}, token);
        if (r.status == 200) {
            QSet<QString> ids;
            for (const QJsonValue &o : r.json.value(QLatin1String("organizations")).toArray())
                ids.insert(o.toObject().value(QLatin1String("id")).toString());
            QSet<QString> expected{m_orgId.value(c.org)};
            if (isVendor(c)) // every organization, also those added by earlier rows
                QVERIFY2(ids.contains(m_orgId.value(u"P1"_s)) && ids.contains(m_orgId.value(u"P2"_s)) &&
                             ids.contains(m_orgId.value(u"V"_s)),
                         qPrintable(joinSorted(ids)));
            else
                QCOMPARE(joinSorted(ids), joinSorted(expected));
        }
    } else if (endpoint == QLatin1String("POST /organizations") ||
               endpoint == QLatin1String("POST /organizations (with id)")) {
        QJsonObject body{{u"name"_s, u"Added %1"_s.arg(serial)}};
        const bool withId = endpoint.contains(QLatin1String("with id"));
        if (withId)
            body.insert(u"id"_s, u"org-added-%1"_s.arg(serial));
        r = callJson("POST", u"/api/v1/organizations"_s, body, token);
        if (r.status == 201) {
            QCOMPARE(r.json.value(QLatin1String("kind")).toString(), u"partner"_s);
            if (withId) {
                QCOMPARE(r.json.value(QLatin1String("id")).toString(), u"org-added-%1"_s.arg(serial));
                // The same id again is a conflict.
                QCOMPARE(callJson("POST", u"/api/v1/organizations"_s,
                                  {{u"name"_s, u"Other %1"_s.arg(serial)}, {u"id"_s, u"org-added-%1"_s.arg(serial)}},
                                  token)
                             .status,
                         409);
            }
        }
    } else if (endpoint == QLatin1String("GET /organizations/{id}")) {
        r = call("GET", u"/api/v1/organizations/"_s + targetId, {}, token);
        if (r.status == 404) // what it may not see answers as what does not exist
            QCOMPARE(r.raw, call("GET", u"/api/v1/organizations/org-none-%1"_s.arg(serial), {}, token).raw);
        if (r.status == 200)
            QCOMPARE(r.json.value(QLatin1String("id")).toString(), targetId);
    } else if (endpoint == QLatin1String("GET /organizations/{id}/users")) {
        r = call("GET", u"/api/v1/organizations/%1/users"_s.arg(targetId), {}, token);
        if (r.status == 200) {
            const QJsonArray users = r.json.value(QLatin1String("users")).toArray();
            QVERIFY(!users.isEmpty());
            for (const QJsonValue &u : users) // nobody of another organization
                QCOMPARE(u.toObject().value(QLatin1String("organization_id")).toString(), targetId);
        }
    } else if (endpoint == QLatin1String("POST /organizations/{id}/users")) {
        const QString role = target == QLatin1String("V") ? u"channel_manager"_s : u"partner_rep"_s;
        r = callJson("POST", u"/api/v1/organizations/%1/users"_s.arg(targetId),
                     {{u"username"_s, u"new-user-%1"_s.arg(serial)}, {u"password"_s, kPassword}, {u"role"_s, role}},
                     token);
        if (r.status == 201)
            QCOMPARE(r.json.value(QLatin1String("organization_id")).toString(), targetId);
    } else if (endpoint == QLatin1String("GET /users/{id}")) {
        r = call("GET", u"/api/v1/users/"_s + targetUser, {}, token);
        if (r.status == 404)
            QCOMPARE(r.raw, call("GET", u"/api/v1/users/user-none-%1"_s.arg(serial), {}, token).raw);
    } else if (endpoint == QLatin1String("PATCH /users/{id}")) {
        const QString display = u"Display "_s + target.toLower() + u"-target"_s;
        r = callJson("PATCH", u"/api/v1/users/"_s + targetUser, {{u"display_name"_s, display}}, token);
    } else if (endpoint == QLatin1String("disabled") || endpoint == QLatin1String("role changed")) {
        const QString admin = login(u"v-admin"_s);
        const QJsonObject patch = endpoint == QLatin1String("disabled") ? QJsonObject{{u"disabled"_s, true}}
                                                                        : QJsonObject{{u"role"_s, u"partner_rep"_s}};
        QCOMPARE(callJson("PATCH", u"/api/v1/users/"_s + m_userIds.value(c.username), patch, admin).status, 200);
        if (endpoint == QLatin1String("disabled")) {
            r = call("GET", u"/api/v1/sync/pull?since=0"_s, {}, token);
        } else {
            const QJsonObject change{{u"id"_s, u"ep:%1"_s.arg(serial)},
                                     {u"device_id"_s, u"ep"_s},
                                     {u"hlc"_s, QDateTime::currentMSecsSinceEpoch() << 16},
                                     {u"table"_s, u"accounts"_s},
                                     {u"row_id"_s, u"ep-acc-%1"_s.arg(serial)},
                                     {u"op"_s, u"insert"_s},
                                     {u"field"_s, u"*"_s},
                                     {u"value"_s, QJsonObject{{u"owner_id"_s, m_orgId.value(c.org)},
                                                              {u"name"_s, u"Endpoint %1"_s.arg(serial)},
                                                              {u"status"_s, u"customer"_s}}}};
            r = callJson("POST", u"/api/v1/sync/push"_s, {{u"changes"_s, QJsonArray{change}}}, token);
        }
        QVERIFY2(r.status == 401, qPrintable(u"expected 401, got %1 %2"_s.arg(r.status).arg(QString::fromUtf8(r.raw))));
        return;
    } else if (endpoint == QLatin1String("GET /sync/pull")) {
        r = call("GET", u"/api/v1/sync/pull?since=0"_s, {}, token);
    } else if (endpoint == QLatin1String("POST /sync/push")) {
        // An account owned by the target organization: only users of that organization may insert it.
        const QString rowId = u"ep-acc-%1"_s.arg(serial);
        const QJsonObject change{{u"id"_s, u"ep:%1"_s.arg(serial)},
                                 {u"device_id"_s, u"ep"_s},
                                 {u"hlc"_s, QDateTime::currentMSecsSinceEpoch() << 16},
                                 {u"table"_s, u"accounts"_s},
                                 {u"row_id"_s, rowId},
                                 {u"op"_s, u"insert"_s},
                                 {u"field"_s, u"*"_s},
                                 {u"value"_s, QJsonObject{{u"owner_id"_s, targetId},
                                                          {u"name"_s, u"Endpoint %1"_s.arg(serial)},
                                                          {u"status"_s, u"customer"_s}}}};
        r = callJson("POST", u"/api/v1/sync/push"_s, {{u"changes"_s, QJsonArray{change}}}, token);
        if (r.status == 200) {
            const bool accepted = r.json.value(QLatin1String("accepted")).toArray().size() == 1;
            const bool rejected = r.json.value(QLatin1String("rejected")).toArray().size() == 1;
            if (c.org == target) {
                QVERIFY2(accepted && !rejected, r.raw.constData());
            } else {
                QVERIFY2(rejected && !accepted, r.raw.constData());
                QCOMPARE(r.json.value(QLatin1String("rejected"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QLatin1String("code"))
                             .toString(),
                         u"forbidden"_s);
            }
        }
    } else {
        QFAIL("unknown endpoint");
    }
    const int expected = expectedStatus(endpoint.section(u" ("_s, 0, 0), c, target);
    QVERIFY2(r.status == expected, qPrintable(u"expected %1, got %2 %3"_s.arg(expected).arg(r.status).arg(
                                       QString::fromUtf8(r.raw.left(300)))));
    // Error bodies are {"error","message","field"?} and no answer names what the caller may not see.
    if (r.status >= 400) {
        for (const QString &k : r.json.keys())
            QVERIFY2(k == QLatin1String("error") || k == QLatin1String("message") || k == QLatin1String("field"),
                     qPrintable(u"unexpected key in an error body: "_s + k));
        QVERIFY2(!r.json.value(QLatin1String("error")).toString().isEmpty(), r.raw.constData());
    }
    const QString secrets = secretsIn(c.org, r.raw);
    QVERIFY2(secrets.isEmpty(), qPrintable(u"the answer names "_s + secrets));
}

// ---------------------------------------------------------------------------------------------------------------
// Pull: for each user, each group of fixture rows: exactly the rows its organization may read, with their values.

void TestServerSharing::pullMatrix_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("group");
    QTest::newRow("fixture: every seed change accepted") << QString() << QString();
    const QStringList groups = fixtureGroups();
    if (qEnvironmentVariable("ECOTONE_SERVER_TEST_DATABASE").startsWith(QLatin1String("postgresql://"))) {
        QTest::newRow("RLS | ecotone_app with no organization set sees no row") << u"rls"_s << QString();
        for (const QString &k : {u"V"_s, u"P1"_s, u"P2"_s})
            QTest::addRow("RLS | ecotone_app as %s sees only rows %s may read", qPrintable(k), qPrintable(k))
                << u"rls"_s << k;
    }
    for (const UserSpec &u : fixtureUsers()) {
        for (const QString &g : groups)
            QTest::addRow("pull | %s | %s", qPrintable(label(u.username)), qPrintable(g)) << u.username << g;
        QTest::addRow("pull | %s | zero leaks: no item names a row it may never read", qPrintable(label(u.username)))
            << u.username << u"leaks"_s;
        QTest::addRow("pull | %s | pages of 3 bring the same items as one page", qPrintable(label(u.username)))
            << u.username << u"paged"_s;
    }
}

void TestServerSharing::pullMatrix()
{
    QFETCH(QString, user);
    QFETCH(QString, group);
    QVERIFY2(ensure(true), qPrintable(m_buildError));
    if (user == QLatin1String("rls")) {
        rowLevelSecurity(group);
        return;
    }
    if (user.isEmpty()) {
        for (const QString &problem : std::as_const(m_seedProblems))
            qWarning("refused seed change: %s", qPrintable(problem));
        QVERIFY2(m_seedProblems.isEmpty(),
                 qPrintable(u"%1 seed changes refused (listed above), the first: %2"_s.arg(m_seedProblems.size())
                                .arg(m_seedProblems.value(0))));
        return;
    }
    if (!m_replicas.contains(user)) {
        const Pulled pulled = pull(user, 0);
        Replica replica;
        replica.apply(pulled.items);
        replica.cursor = pulled.cursor;
        m_replicas.insert(user, replica);
        QVERIFY2(pulled.problem.isEmpty(), qPrintable(pulled.problem));
    }
    const Replica &replica = m_replicas[user];
    if (group == QLatin1String("paged")) {
        // Filtering by access must not bend paging: small pages bring the same items, numbers and cursor.
        const Pulled whole = pull(user, 0);
        const Pulled paged = pull(user, 0, 3);
        QVERIFY2(paged.problem.isEmpty(), qPrintable(paged.problem));
        QCOMPARE(paged.items.size(), whole.items.size());
        for (qsizetype i = 0; i < whole.items.size(); ++i)
            QCOMPARE(paged.items.at(i), whole.items.at(i));
        QCOMPARE(paged.cursor, whole.cursor);
        return;
    }
    if (group == QLatin1String("leaks")) {
        const QString leaked = leaks(user, replica);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked));
        // Nothing the fixture does not hold at all either.
        return;
    }
    const QString problem = checkReplica(user, replica, group);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

// ---------------------------------------------------------------------------------------------------------------
// Push: each change accepted or rejected as the rules say; afterwards every user's state equals the rules and the
// server's database holds no refused value.

void TestServerSharing::pushMatrix_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("user");
    const QList<PushCase> cases = pushCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::addRow("push %02d | %s", i + 1, qPrintable(cases.at(i).name)) << i << QString();
    QTest::addRow("push | one batch: an allowed and a refused change, each decided on its own") << -1 << QString();
    QTest::addRow("push | a change id V used, pushed by P2 with other content, is P2's own change (no 409)")
        << -5 << QString();
    for (const UserSpec &u : fixtureUsers())
        QTest::addRow("push | afterwards %s pulls exactly what it may read", qPrintable(label(u.username)))
            << -2 << u.username;
    QTest::addRow("push | the server database holds no refused value") << -3 << QString();
    QTest::addRow("push | every accepted value is stored") << -4 << QString();
}

// Pushes one change and judges the answer: empty when the server did what docs/sync.md says.
void TestServerSharing::runCase(const Spec &spec, Expect expect, const QString &name, QString *problem)
{
    const QString marker = (expect == Expect::Accepted ? u"ALLOWED~%1~"_s : u"REFUSED~%1~"_s).arg(m_changeSeq);
    const QJsonObject change = changeJson(spec, marker);
    const QString id = change.value(QLatin1String("id")).toString();
    const Response r = push(spec.user, QJsonArray{change});
    if (r.status != 200) {
        *problem = u"push answered %1 %2"_s.arg(r.status).arg(QString::fromUtf8(r.raw.left(300)));
        return;
    }
    QString code;
    int listed = 0;
    bool accepted = false;
    for (const QJsonValue &a : r.json.value(QLatin1String("accepted")).toArray()) {
        if (a.toObject().value(QLatin1String("id")).toString() == id) {
            accepted = true;
            ++listed;
        }
    }
    for (const QJsonValue &a : r.json.value(QLatin1String("rejected")).toArray()) {
        if (a.toObject().value(QLatin1String("id")).toString() == id) {
            code = a.toObject().value(QLatin1String("code")).toString();
            ++listed;
        }
    }
    // The marker is looked for in the database later: refused ones must be absent, accepted ones present.
    const bool carriesMarker = jsonText(change.value(QLatin1String("value"))).contains(marker);
    if (listed != 1) {
        *problem = u"the change is listed %1 times: %2"_s.arg(listed).arg(QString::fromUtf8(r.raw.left(300)));
        return;
    }
    if (carriesMarker && (accepted || expect != Expect::Accepted))
        m_markers.insert(marker, name);
    const QString got = accepted ? u"accepted"_s : u"rejected: "_s + code;
    bool ok = false;
    switch (expect) {
    case Expect::Accepted:
        ok = accepted;
        break;
    case Expect::Forbidden:
        ok = code == QLatin1String("forbidden");
        break;
    case Expect::InvalidValue:
        ok = code == QLatin1String("invalid_value");
        break;
    case Expect::UnknownRow:
        ok = code == QLatin1String("unknown_row");
        break;
    case Expect::Refused:
        ok = code == QLatin1String("forbidden") || code == QLatin1String("unknown_row");
        break;
    case Expect::Rejected:
        ok = code == QLatin1String("forbidden") || code == QLatin1String("invalid_value");
        break;
    case Expect::AnyRejection:
        ok = code == QLatin1String("forbidden") || code == QLatin1String("invalid_value") ||
             code == QLatin1String("unknown_row");
        break;
    }
    if (accepted) // the model follows the server, so later rows judge what was really stored
        m_model.apply(orgOf(spec.user), spec.table, resolveId(spec.rowId), spec.op, spec.field,
                      change.value(QLatin1String("value")), u"push matrix"_s);
    if (!ok) {
        *problem = u"expected %1, got %2"_s.arg(expectName(expect), got);
        return;
    }
    // A rejection names no value of a row the caller may not read, and nobody it may not see.
    const QString answer = QString::fromUtf8(r.raw);
    QStringList named;
    if (const QString s = secretsIn(m_orgId.key(orgOf(spec.user)), r.raw); !s.isEmpty())
        named << s;
    const auto target = m_model.rows.constFind(key(spec.table, resolveId(spec.rowId)));
    if (target != m_model.rows.cend() && !m_model.mayRead(orgOf(spec.user), *target)) {
        for (const QString &f : {u"name"_s, u"title"_s, u"account_name"_s, u"message"_s, u"text"_s, u"note"_s,
                                 u"description"_s, u"summary"_s, u"filter"_s, u"need"_s}) {
            const QString v = target->values.value(f).toString();
            if (v.size() >= 4 && answer.contains(v))
                named << v;
        }
    }
    if (!named.isEmpty())
        *problem = u"the answer names "_s + named.join(u", "_s);
}

void TestServerSharing::pushMatrix()
{
    QFETCH(int, index);
    QFETCH(QString, user);
    QVERIFY2(ensure(true), qPrintable(m_buildError));
    if (index >= 0) {
        const PushCase pc = pushCases().at(index);
        QString problem;
        runCase(pc.change, pc.expect, pc.name, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    if (index == -1) {
        // One batch from p1-rep: its own account's name (allowed) and V's customer account (readable, not its own).
        const QString allowed = u"ALLOWED~batch~"_s;
        const QString refused = u"REFUSED~batch~"_s;
        const QJsonObject ok = changeJson(upd(u"p1-rep"_s, u"accounts"_s, u"acc-p1-1"_s, u"crm_source"_s, allowed), {});
        const QJsonObject no =
            changeJson(upd(u"p1-rep"_s, u"accounts"_s, u"acc-v-cust-1"_s, u"crm_source"_s, refused), {});
        m_markers.insert(refused, u"batch"_s);
        const Response r = push(u"p1-rep"_s, QJsonArray{ok, no});
        QCOMPARE(r.status, 200);
        const QJsonArray accepted = r.json.value(QLatin1String("accepted")).toArray();
        const QJsonArray rejected = r.json.value(QLatin1String("rejected")).toArray();
        // The model follows what the server took, so the rows after this one judge the real state.
        for (const QJsonValue &a : accepted) {
            const QJsonValue id = a.toObject().value(QLatin1String("id"));
            if (id == ok.value(QLatin1String("id"))) {
                m_markers.insert(allowed, u"batch"_s);
                m_model.apply(orgOf(u"p1-rep"_s), u"accounts"_s, u"acc-p1-1"_s, u"update"_s, u"crm_source"_s, allowed,
                              {});
            } else if (id == no.value(QLatin1String("id"))) {
                m_model.apply(orgOf(u"p1-rep"_s), u"accounts"_s, u"acc-v-cust-1"_s, u"update"_s, u"crm_source"_s,
                              refused, {});
            }
        }
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(accepted.first().toObject().value(QLatin1String("id")), ok.value(QLatin1String("id")));
        QCOMPARE(rejected.first().toObject().value(QLatin1String("id")), no.value(QLatin1String("id")));
        QCOMPARE(rejected.first().toObject().value(QLatin1String("code")).toString(), u"forbidden"_s);
        return;
    }
    if (index == -5) {
        // Change ids are per organization: a 409 here would tell P2 that V pushed a change with this id.
        const QString vendorDevice = u"device-%1"_s.arg(qHash(u"v-admin"_s) % 100000);
        QJsonObject change = changeJson(ins(u"p2-admin"_s, u"accounts"_s, u"acc-p2-id-reuse"_s,
                                            account(u"@P2"_s, u"ALLOWED~idreuse~"_s, u"customer"_s), {}),
                                        {});
        change.insert(u"id"_s, QString(vendorDevice + u":1"_s)); // the first seed change of v-admin
        change.insert(u"device_id"_s, vendorDevice);
        const Response r = push(u"p2-admin"_s, QJsonArray{change});
        QVERIFY2(r.status == 200, r.raw.constData());
        const QJsonArray accepted = r.json.value(QLatin1String("accepted")).toArray();
        if (accepted.size() == 1) {
            m_markers.insert(u"ALLOWED~idreuse~"_s, u"id reuse"_s);
            m_model.apply(orgOf(u"p2-admin"_s), u"accounts"_s, u"acc-p2-id-reuse"_s, u"insert"_s, u"*"_s,
                          change.value(QLatin1String("value")), {});
        }
        QVERIFY2(accepted.size() == 1, r.raw.constData());
        return;
    }
    if (index == -2) {
        const QString problem = afterwards(user);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    if (index == -3 || index == -4) {
        const QString problem = scanDatabase(index == -3);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

// A full pull by the user equals what the model says its organization may read now, and names nothing it could
// never read.
QString TestServerSharing::afterwards(const QString &user)
{
    const Pulled pulled = pull(user, 0);
    if (!pulled.problem.isEmpty())
        return pulled.problem;
    Replica replica;
    replica.apply(pulled.items);
    QStringList problems;
    if (const QString p = checkReplica(user, replica); !p.isEmpty())
        problems << p;
    if (const QString p = leaks(user, replica); !p.isEmpty())
        problems << p;
    return problems.join(u"; "_s);
}

// refused: no refused marker anywhere in the server's database. Otherwise the positive control: every accepted
// marker is found, so the scan reads the right place.
QString TestServerSharing::scanDatabase(bool refused)
{
    QString error;
    const QStringList hits = databaseValuesContaining(refused ? u"REFUSED~"_s : u"ALLOWED~"_s, &error);
    if (!error.isEmpty())
        return error;
    if (refused) {
        if (hits.isEmpty())
            return {};
        QStringList named;
        for (const QString &hit : hits) {
            for (auto it = m_markers.cbegin(); it != m_markers.cend(); ++it) {
                if (hit.contains(it.key()))
                    named << it.value() + u" => "_s + hit;
            }
        }
        return u"refused values stored:\n"_s + named.join(u'\n') + u'\n' + hits.mid(0, 20).join(u'\n');
    }
    QStringList missing;
    for (auto it = m_markers.cbegin(); it != m_markers.cend(); ++it) {
        if (!it.key().startsWith(QLatin1String("ALLOWED~")))
            continue;
        bool found = false;
        for (const QString &hit : hits)
            found = found || hit.contains(it.key());
        if (!found)
            missing << it.value();
    }
    return missing.isEmpty() ? QString() : u"not found in the database: "_s + missing.join(u"; "_s);
}

// ---------------------------------------------------------------------------------------------------------------
// The systematic write matrix: every user updates one field of every fixture row, and inserts a row of every table
// for every owner organization; what is expected comes from the model of "who writes" (Model::mayUpdate and
// Model::mayInsert): accepted, forbidden (it may read the row but not write it) or refused (it may not read it).

namespace {

QString fieldFor(const QString &table)
{
    static const QHash<QString, QString> fields{{u"organizations"_s, u"description"_s},
                                                {u"people"_s, u"role"_s},
                                                {u"accounts"_s, u"domain"_s},
                                                {u"opportunities"_s, u"stage"_s},
                                                {u"custom_populations"_s, u"filter"_s},
                                                {u"sharing_agreements"_s, u"fields"_s},
                                                {u"deal_stages"_s, u"name"_s},
                                                {u"deal_rooms"_s, u"name"_s},
                                                {u"deal_room_participants"_s, u"added_at"_s},
                                                {u"deal_room_people"_s, u"added_at"_s},
                                                {u"deal_events"_s, u"text"_s},
                                                {u"deal_tasks"_s, u"title"_s},
                                                {u"deal_documents"_s, u"name"_s},
                                                {u"deal_registrations"_s, u"close_date"_s},
                                                {u"deal_referrals"_s, u"reason"_s},
                                                {u"listings"_s, u"summary"_s},
                                                {u"listing_favourites"_s, u"created_at"_s},
                                                {u"collaboration_requests"_s, u"reason"_s},
                                                {u"attribution_locks"_s, u"note"_s}};
    return fields.value(table);
}

QString orgRelation(const QString &userOrg, const QString &target)
{
    if (target == userOrg)
        return u"own "_s + target;
    if (target == QLatin1String("V"))
        return u"vendor V"_s;
    return (userOrg == QLatin1String("V") ? u"partner "_s : u"other partner "_s) + target;
}

// A new row of the table owned by (or, for deal_events, in the room) target; "{M}" is the case's marker.
QJsonObject newRow(const QString &table, const QString &target, const QString &unique)
{
    const QString m = u"{M}"_s;
    const QString t = u"@"_s + target;
    const QString other = target == QLatin1String("P2") ? u"@P1"_s : u"@P2"_s;
    if (table == QLatin1String("organizations"))
        return {{u"kind"_s, u"partner"_s}, {u"name"_s, m}};
    if (table == QLatin1String("people"))
        return {{u"organization_id"_s, t}, {u"name"_s, m}};
    if (table == QLatin1String("accounts"))
        return account(t, m, u"customer"_s);
    if (table == QLatin1String("opportunities"))
        return {{u"owner_id"_s, t}, {u"name"_s, m}, {u"state"_s, u"open"_s}};
    if (table == QLatin1String("custom_populations"))
        return {{u"name"_s, m}, {u"filter"_s, u"{}"_s}, {u"created_at"_s, u"@NOW"_s}};
    if (table == QLatin1String("sharing_agreements")) {
        // At level counts, so that an accepted one changes what nobody reads.
        QJsonObject a = agreement(t, u"custom:"_s + unique, u"counts"_s);
        a.insert(u"fields"_s, m);
        return a;
    }
    if (table == QLatin1String("deal_stages"))
        return {{u"name"_s, m}, {u"position"_s, 9}, {u"outcome"_s, u"open"_s}};
    if (table == QLatin1String("deal_rooms"))
        return room(m);
    if (table == QLatin1String("deal_registrations"))
        return registration(t, m);
    if (table == QLatin1String("deal_referrals"))
        return referral(t, other, m);
    if (table == QLatin1String("listings"))
        return listing(t, m, u"draft"_s);
    if (table == QLatin1String("listing_favourites"))
        return {{u"listing_id"_s, u"lst-v-pub"_s}, {u"created_at"_s, m}};
    if (table == QLatin1String("collaboration_requests"))
        return request(t, other, m);
    if (table == QLatin1String("attribution_locks"))
        return {{u"period_from"_s, u"2025-01-01"_s},
                {u"period_to"_s, u"2025-03-31"_s},
                {u"model"_s, u"linear"_s},
                {u"note"_s, m},
                {u"locked_at"_s, u"@NOW"_s}};
    if (table == QLatin1String("deal_events"))
        return event(target, m);
    return {};
}

} // namespace

void TestServerSharing::writeMatrix_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("rowId");
    QTest::addColumn<QString>("target");
    QSet<QString> deletedInFixture;
    for (const Spec &spec : fixture()) {
        if (spec.op == QLatin1String("delete"))
            deletedInFixture.insert(key(spec.table, spec.rowId));
    }
    for (const UserSpec &u : fixtureUsers()) {
        for (const Spec &spec : fixture()) {
            if (spec.op != QLatin1String("insert") || deletedInFixture.contains(key(spec.table, spec.rowId)))
                continue;
            const Row &row = staticModel().rows[key(spec.table, spec.rowId)];
            const QString org = u'@' + u.org;
            const char *expected = !staticModel().mayRead(org, row)                                  ? "refused"
                                   : staticModel().mayUpdate(org, u.role, row, fieldFor(spec.table)) ? "accepted"
                                                                                                     : "forbidden";
            QTest::addRow("update | %s | %s | %s.%s -> %s", qPrintable(label(u.username)), qPrintable(spec.group),
                          qPrintable(spec.rowId), qPrintable(fieldFor(spec.table)), expected)
                << u"update"_s << u.username << spec.table << spec.rowId << QString();
        }
    }
    const QStringList orgs{u"V"_s, u"P1"_s, u"P2"_s};
    for (const UserSpec &u : fixtureUsers()) {
        auto add = [&u](const QString &table, const QString &target, const QString &what) {
            const bool allowed = staticModel().mayInsert(u'@' + u.org, u.role, table, newRow(table, target, {}));
            const char *expected = allowed                                 ? "accepted"
                                   : table == QLatin1String("deal_events") ? "refused"
                                                                           : "forbidden";
            QTest::addRow("insert | %s | %s | %s -> %s", qPrintable(label(u.username)), qPrintable(table),
                          qPrintable(what), expected)
                << u"insert"_s << u.username << table << u"w-%1-%2-%3"_s.arg(table, u.username, target) << target;
        };
        for (const QString &table :
             {u"people"_s, u"accounts"_s, u"opportunities"_s, u"listings"_s, u"collaboration_requests"_s}) {
            for (const QString &target : orgs)
                add(table, target, u"owned by "_s + orgRelation(u.org, target));
        }
        for (const QString &table : {u"organizations"_s, u"custom_populations"_s, u"deal_rooms"_s,
                                     u"listing_favourites"_s, u"deal_stages"_s, u"attribution_locks"_s})
            add(table, u"V"_s, u"new row"_s);
        for (const QString &target : orgs) {
            if (target != u.org)
                add(u"sharing_agreements"_s, target, u"with "_s + orgRelation(u.org, target));
            if (target != QLatin1String("V"))
                add(u"deal_registrations"_s, target, u"for "_s + orgRelation(u.org, target));
            if (u.org != QLatin1String("V") || target == QLatin1String("V"))
                add(u"deal_referrals"_s, target, u"from "_s + orgRelation(u.org, target));
        }
        for (const QString &roomId : {u"room-vp1"_s, u"room-v"_s, u"room-p1"_s})
            add(u"deal_events"_s, roomId, u"in "_s + roomId);
    }
    for (const UserSpec &u : fixtureUsers())
        QTest::addRow("writes | afterwards %s pulls exactly what it may read", qPrintable(label(u.username)))
            << u"after"_s << u.username << QString() << QString() << QString();
    QTest::addRow("writes | the server database holds no refused value")
        << u"scan-refused"_s << QString() << QString() << QString() << QString();
    QTest::addRow("writes | every accepted value is stored")
        << u"scan-allowed"_s << QString() << QString() << QString() << QString();
}

void TestServerSharing::writeMatrix()
{
    QFETCH(QString, kind);
    QFETCH(QString, user);
    QFETCH(QString, table);
    QFETCH(QString, rowId);
    QFETCH(QString, target);
    QVERIFY2(ensure(true), qPrintable(m_buildError));
    QString role;
    for (const UserSpec &u : fixtureUsers()) {
        if (u.username == user)
            role = u.role;
    }
    const QString org = orgOf(user);
    QString problem;
    if (kind == QLatin1String("update")) {
        const QString field = fieldFor(table);
        const auto row = m_model.rows.constFind(key(table, resolveId(rowId)));
        QVERIFY2(row != m_model.rows.cend(), "the fixture row is missing (a refused seed change)");
        const Expect expect = !m_model.mayRead(org, *row)                 ? Expect::Refused
                              : m_model.mayUpdate(org, role, *row, field) ? Expect::Accepted
                                                                          : Expect::Forbidden;
        runCase(upd(user, table, rowId, field, u"{M}"_s), expect, QString::fromLatin1(QTest::currentDataTag()),
                &problem);
    } else if (kind == QLatin1String("insert")) {
        const QJsonObject values = newRow(table, target, QString::number(qHash(rowId) % 1000000));
        const QJsonObject resolved = resolve(values, {}).toObject();
        Expect expect = m_model.mayInsert(org, role, table, resolved) ? Expect::Accepted : Expect::Forbidden;
        if (table == QLatin1String("deal_events") && expect == Expect::Forbidden)
            expect = Expect::Refused; // a room it may not read
        runCase(ins(user, table, rowId, values, u"write matrix"_s), expect,
                QString::fromLatin1(QTest::currentDataTag()), &problem);
    } else if (kind == QLatin1String("after")) {
        problem = afterwards(user);
    } else {
        problem = scanDatabase(kind == QLatin1String("scan-refused"));
    }
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

// ---------------------------------------------------------------------------------------------------------------
// Deletes: every user that may not write a fixture row tries to delete it (a tombstone wins over everything, so an
// unauthorized delete would be the worst write), and so does every user docs/server.md's reading of deletes
// refuses although it may update the row; each is refused, and afterwards every row is still there.

void TestServerSharing::deleteMatrix_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("rowId");
    QSet<QString> deletedInFixture;
    for (const Spec &spec : fixture()) {
        if (spec.op == QLatin1String("delete"))
            deletedInFixture.insert(key(spec.table, spec.rowId));
    }
    const Model &model = staticModel();
    for (const Spec &spec : fixture()) {
        if (spec.op != QLatin1String("insert") || deletedInFixture.contains(key(spec.table, spec.rowId)))
            continue;
        const Row &row = model.rows[key(spec.table, spec.rowId)];
        for (const UserSpec &u : fixtureUsers()) {
            const QString org = u'@' + u.org;
            const bool readable = model.mayRead(org, row);
            const bool writes = readable && model.mayUpdate(org, u.role, row, fieldFor(spec.table));
            if (writes && !model.deleteReserved(org, row))
                continue; // a delete it may make: not made here, it would change the fixture for the next rows
            QTest::addRow("delete | %s | %s | %s -> %s", qPrintable(label(u.username)), qPrintable(spec.group),
                          qPrintable(spec.rowId),
                          !readable ? "refused"
                          : writes  ? "forbidden (server.md reading)"
                                    : "forbidden")
                << u.username << spec.table << spec.rowId;
        }
    }
    for (const UserSpec &u : fixtureUsers())
        QTest::addRow("deletes | afterwards %s pulls exactly what it may read", qPrintable(label(u.username)))
            << u.username << QString() << QString();
}

void TestServerSharing::deleteMatrix()
{
    QFETCH(QString, user);
    QFETCH(QString, table);
    QFETCH(QString, rowId);
    QVERIFY2(ensure(true), qPrintable(m_buildError));
    if (table.isEmpty()) {
        const QString problem = afterwards(user);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QString role;
    for (const UserSpec &u : fixtureUsers()) {
        if (u.username == user)
            role = u.role;
    }
    const QString org = orgOf(user);
    const auto row = m_model.rows.constFind(key(table, resolveId(rowId)));
    QVERIFY2(row != m_model.rows.cend(), "the fixture row is missing (a refused seed change)");
    QVERIFY2(!(m_model.mayRead(org, *row) && m_model.mayUpdate(org, role, *row, fieldFor(table)) &&
               !m_model.deleteReserved(org, *row)),
             "the model and the static model disagree");
    const Expect expect = m_model.mayRead(org, *row) ? Expect::Forbidden : Expect::Refused;
    QString problem;
    runCase(del(user, table, rowId), expect, QString::fromLatin1(QTest::currentDataTag()), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL's second wall, from a direct connection as the server's database user in the role its requests use
// (ecotone_app) with an organization set: every server table that names rows (table_name, row_id) shows only rows
// that organization may read or once could (its purges, its own pushes); with no organization set, nothing
// (docs/server.md, "Row-level security on PostgreSQL"). The
// tables are found by their columns, so the check does not depend on the server's table names. Rows of pullMatrix
// on PostgreSQL only.

void TestServerSharing::rowLevelSecurity(const QString &org)
{
    const QString orgId = m_orgId.value(org);
    const QUrl url(m_database);
    QStringList problems;
    int seen = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"rls"_s);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setDatabaseName(url.path().mid(1));
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QStringList tables;
        QVERIFY2(q.exec(u"SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND "
                        u"column_name IN ('table_name', 'row_id') GROUP BY table_name HAVING count(*) = 2"_s),
                 qPrintable(q.lastError().text()));
        while (q.next())
            tables << q.value(0).toString();
        QVERIFY2(!tables.isEmpty(), "no server table names rows by (table_name, row_id)");
        QVERIFY2(q.exec(u"BEGIN"_s), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"SET LOCAL ROLE ecotone_app"_s), qPrintable(q.lastError().text()));
        if (!org.isEmpty()) {
            q.prepare(u"SELECT set_config('ecotone.organization', ?, true)"_s);
            q.addBindValue(orgId);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        for (const QString &table : std::as_const(tables)) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SAVEPOINT s"_s) ||
                !rows.exec(u"SELECT DISTINCT table_name, row_id FROM \"%1\""_s.arg(table))) {
                rows.exec(u"ROLLBACK TO SAVEPOINT s"_s); // no privilege on it at all: nothing to see
                continue;
            }
            QSet<QString> bad;
            while (rows.next()) {
                ++seen;
                const QString k = key(rows.value(0).toString(), rows.value(1).toString());
                const auto row = m_model.rows.constFind(k);
                // docs/server.md: "Without a setting, nothing is visible."
                const bool allowed = !org.isEmpty() && row != m_model.rows.cend() && row->everReaders.contains(orgId);
                if (!allowed)
                    bad.insert(k);
            }
            if (!bad.isEmpty())
                problems << u"%1 shows %2"_s.arg(table, joinSorted(bad));
        }
        q.exec(u"ROLLBACK"_s);
    } // the queries go before the connection: removeDatabase() closes it
    QSqlDatabase::removeDatabase(u"rls"_s);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
    if (!org.isEmpty()) // the check looked at something
        QVERIFY2(seen > 0, "ecotone_app sees no row at all with an organization set");
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions: each step changes what some organization may read; on its next pull each user gets purges for
// exactly the rows its organization lost, upserts for the rows it gained, and nothing about rows it may not read.

namespace {

struct Step
{
    QString name;
    QList<Spec> changes;
    bool waitForExpiry = false; // after the changes and a pull by everyone: wait until "@SOON" passes, no push
};

QList<Step> transitionSteps()
{
    const QString ag = u"sharing_agreements"_s;
    return {
        {u"agreement V to P1 on customers: active -> revoked"_s,
         {upd(u"v-admin"_s, ag, u"ag-p1-full"_s, u"revoked_at"_s, u"@NOW"_s)},
         false},
        {u"agreement V to P1 on opportunities: pending -> active (P1 consents)"_s,
         {upd(u"p1-admin"_s, ag, u"ag-p1-pending"_s, u"their_consent_at"_s, u"@NOW"_s)},
         false},
        {u"agreement V to P2 on opportunities: active -> expired, without any push"_s,
         {upd(u"v-admin"_s, ag, u"ag-p2-opp"_s, u"expires_at"_s, u"@SOON"_s)},
         true},
        {u"account status changes move V's accounts in and out of P1's coverage"_s,
         {upd(u"v-cm"_s, u"accounts"_s, u"acc-v-pros"_s, u"status"_s, u"opportunity"_s),
          upd(u"v-cm"_s, u"accounts"_s, u"acc-v-opp"_s, u"status"_s, u"prospect"_s)},
         false},
        {u"P1 removed from room V+P1: the room and its children are purged"_s,
         {del(u"v-admin"_s, u"deal_room_participants"_s, u"part-vp1-p1"_s)},
         false},
        {u"P2 added to room V only: the room and its children are granted"_s,
         {ins(u"v-cm"_s, u"deal_room_participants"_s, u"part-v-p2"_s,
              participant(u"room-v"_s, u"@P2"_s, u"influencing"_s), u"deal_room_participants: room V only"_s)},
         false},
        {u"listing of P1 published -> draft: others lose it, V keeps it"_s,
         {upd(u"p1-admin"_s, u"listings"_s, u"lst-p1-pub"_s, u"state"_s, u"draft"_s)},
         false},
        {u"agreement V to P1 on prospects: active counts -> active full"_s,
         {upd(u"v-admin"_s, ag, u"ag-p1-counts"_s, u"level"_s, u"full"_s)},
         false},
    };
}

} // namespace

void TestServerSharing::transitions_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<QString>("user");
    const QList<Step> steps = transitionSteps();
    for (int i = 0; i < steps.size(); ++i) {
        QTest::addRow("step %d | %s | changes accepted", i + 1, qPrintable(steps.at(i).name)) << i << QString();
        for (const UserSpec &u : fixtureUsers())
            QTest::addRow("step %d | %s | %s's next pull", i + 1, qPrintable(steps.at(i).name),
                          qPrintable(label(u.username)))
                << i << u.username;
    }
}

void TestServerSharing::transitions()
{
    QFETCH(int, step);
    QFETCH(QString, user);
    QVERIFY2(ensure(true), qPrintable(m_buildError));
    const Step s = transitionSteps().at(step);
    if (user.isEmpty()) {
        // Everyone catches up first, so the next pull holds only what the step brought.
        for (const UserSpec &u : fixtureUsers()) {
            Replica &replica = m_replicas[u.username];
            const Pulled pulled = pull(u.username, replica.cursor);
            replica.apply(pulled.items);
            replica.cursor = pulled.cursor;
        }
        QStringList problems;
        m_stepDeleted.clear();
        QDateTime soon;
        auto applyAll = [&]() {
            for (const Spec &spec : s.changes) {
                Spec resolved = spec;
                if (spec.value == QJsonValue(u"@SOON"_s)) {
                    soon = QDateTime::currentDateTimeUtc().addMSecs(4000);
                    resolved.value = soon.toString(Qt::ISODateWithMs);
                }
                const QJsonObject change = changeJson(resolved, {});
                const Response r = push(spec.user, QJsonArray{change});
                const bool accepted = r.status == 200 && r.json.value(QLatin1String("accepted")).toArray().size() == 1;
                if (!accepted) {
                    problems << u"%1 %2 %3/%4 %5: %6 %7"_s
                                    .arg(label(spec.user), spec.op, spec.table, spec.rowId, spec.field)
                                    .arg(r.status)
                                    .arg(QString::fromUtf8(r.raw.left(300)));
                    continue;
                }
                m_model.apply(orgOf(spec.user), spec.table, resolveId(spec.rowId), spec.op, spec.field,
                              change.value(QLatin1String("value")), spec.group);
                if (spec.op == QLatin1String("delete"))
                    m_stepDeleted.insert(key(spec.table, resolveId(spec.rowId)));
            }
        };
        m_before.clear();
        if (s.waitForExpiry) {
            applyAll();
            // Everyone pulls the agreement change; then time passes with no push at all.
            m_model.at = QDateTime::currentDateTimeUtc();
            for (const UserSpec &u : fixtureUsers()) {
                Replica &replica = m_replicas[u.username];
                const Pulled pulled = pull(u.username, replica.cursor);
                replica.apply(pulled.items);
                replica.cursor = pulled.cursor;
                m_before.insert(u.username, m_model.visible(orgOf(u.username)));
            }
            m_model.at = QDateTime();
            QVERIFY2(soon.isValid() && QDateTime::currentDateTimeUtc() < soon,
                     "the pulls before the expiry took longer than the agreement had left: no before state");
            while (soon.isValid() && QDateTime::currentDateTimeUtc() <= soon.addMSecs(300))
                QTest::qWait(100);
            m_model.remember();
        } else {
            for (const UserSpec &u : fixtureUsers())
                m_before.insert(u.username, m_model.visible(orgOf(u.username)));
            applyAll();
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        return;
    }
    const QSet<QString> &stepDeleted = m_stepDeleted;
    const QString org = orgOf(user);
    Replica &replica = m_replicas[user];
    const Pulled pulled = pull(user, replica.cursor);
    QVERIFY2(pulled.problem.isEmpty(), qPrintable(pulled.problem));
    Replica brought;
    brought.apply(pulled.items);
    replica.apply(pulled.items);
    replica.cursor = pulled.cursor;
    const QSet<QString> was = m_before.value(user);
    const QSet<QString> now = m_model.visible(org);
    QStringList problems;
    // Purges: exactly the rows lost (a row deleted in this step may come as a delete or a purge).
    const QSet<QString> lost = was - now - stepDeleted;
    // A tombstone it could read may be purged with the rest; a row deleted in this step may come as a purge.
    QSet<QString> tombstones;
    for (auto it = m_model.rows.cbegin(); it != m_model.rows.cend(); ++it) {
        if (it->deleted && it->everReaders.contains(org))
            tombstones.insert(it.key());
    }
    const QSet<QString> purgedNotLost = brought.purged - lost - tombstones;
    if (const QSet<QString> missing = lost - brought.purged; !missing.isEmpty())
        problems << u"no purge for rows it lost: "_s + joinSorted(missing);
    if (!purgedNotLost.isEmpty())
        problems << u"purges for rows it did not lose: "_s + joinSorted(purgedNotLost);
    // Upserts: at least the rows gained.
    QSet<QString> upserted;
    for (const QJsonObject &item : pulled.items) {
        if (item.value(QLatin1String("op")).toString() == QLatin1String("upsert"))
            upserted.insert(
                key(item.value(QLatin1String("table")).toString(), item.value(QLatin1String("row_id")).toString()));
    }
    if (const QSet<QString> missing = (now - was) - upserted; !missing.isEmpty())
        problems << u"no upsert for rows it gained: "_s + joinSorted(missing);
    if (const QSet<QString> unreadable = upserted - now; !unreadable.isEmpty())
        problems << u"upserts of rows it may not read: "_s + joinSorted(unreadable);
    if (const QString p = leaks(user, brought); !p.isEmpty())
        problems << p;
    if (const QString p = checkReplica(user, replica); !p.isEmpty())
        problems << u"replica after the pull: "_s + p;
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
}

QTEST_GUILESS_MAIN(TestServerSharing)
#include "TestServerSharing.moc"
