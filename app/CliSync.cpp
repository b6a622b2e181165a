// "ecotone sync ...": sync a workspace with ecotone-server, and its local state and conflict inbox (docs/sync.md).
#include "CliSupport.h"

#include "store/Workspace.h"
#include "sync/CredentialStore.h"
#include "sync/HttpTransport.h"
#include "sync/SyncEngine.h"
#include "sync/SyncIdentity.h"
#include "sync/SyncState.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace ecotone::cli {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli)
};

// Where a password comes from when neither --password-stdin nor ECOTONE_SYNC_PASSWORD gives one: the system
// keychain the Sync pane keeps it in. A headless machine usually has no keychain; then *outcome says so and the
// environment or stdin must give the password.
QString storedPassword(const QUrl &server, const QString &username, ui::CredentialReply::Outcome *outcome,
                       QString *problem)
{
    ui::KeychainCredentialStore store;
    QEventLoop loop;
    QString password;
    bool answered = false;
    *outcome = ui::CredentialReply::Outcome::Unavailable; // no answer in time: as good as no keychain
    store.read(server.toString(), username, &loop, [&](const ui::CredentialReply &reply) {
        answered = true;
        *outcome = reply.outcome;
        if (reply.ok())
            password = reply.password;
        else
            *problem = reply.error;
        loop.quit();
    });
    if (!answered) {
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return password;
}

bool isLoopback(const QString &host)
{
    const QHostAddress address(host);
    return host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
}

QString kindName(sync::Conflict::Kind kind)
{
    switch (kind) {
    case sync::Conflict::Kind::Edit:
        return QStringLiteral("edit");
    case sync::Conflict::Kind::Deleted:
        return QStringLiteral("deleted");
    case sync::Conflict::Kind::Refused:
        return QStringLiteral("refused");
    }
    return QStringLiteral("edit");
}

int syncRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption server(QStringLiteral("server"), Tr::tr("Sync server address."), QStringLiteral("URL"));
    const QCommandLineOption user(QStringLiteral("user"), Tr::tr("User name on the server."), QStringLiteral("U"));
    const QCommandLineOption passwordStdin(QStringLiteral("password-stdin"),
                                           Tr::tr("Read the password from the first line of standard input."));
    if (!parse(parser, arguments, {workspace, server, user, passwordStdin}, &error))
        return failure(error, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(
            Tr::tr("Unknown sync command \"%1\" (sync, sync status, sync conflicts, sync quarantine, sync resolve).")
                .arg(parser.positionalArguments().first()),
            2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto settings = sync::settings(ws);
        if (!settings)
            return failure(settings.error());
        sync::SyncSettings s = settings.value();
        if (parser.isSet(server)) {
            s.server = QUrl::fromUserInput(parser.value(server));
            // An address with credentials would be stored in the workspace and printed by sync status.
            if (!s.server.userInfo().isEmpty())
                return failure(Tr::tr("The server address %1 carries a user name or password; give the user with "
                                      "--user and the password on standard input or in ECOTONE_SYNC_PASSWORD, "
                                      "never in the address.")
                                   .arg(s.server.toString(QUrl::RemoveUserInfo)),
                               2);
            if (s.server.scheme() == QLatin1String("http") && !isLoopback(s.server.host()))
                (void)failure(Tr::tr("warning: %1 is plain http, so the password and every synced row cross the "
                                     "network unencrypted; use https://.")
                                  .arg(s.server.toString(QUrl::RemoveUserInfo)),
                              0);
        }
        if (parser.isSet(user))
            s.username = parser.value(user);
        if (s.server.isEmpty())
            return failure(Tr::tr("--server URL is required the first time (the workspace remembers it)."), 2);
        if (s.username.isEmpty())
            return failure(Tr::tr("--user NAME is required the first time (the workspace remembers it)."), 2);
        // Naming the server and user, or typing the password, is the user's own choice of identity.
        const bool explicitIdentity = parser.isSet(server) && parser.isSet(user);
        QString password;
        QString keychainProblem;
        auto keychain = ui::CredentialReply::Outcome::NotFound;
        if (parser.isSet(passwordStdin)) {
            QTextStream in(stdin);
            password = in.readLine();
        } else if (qEnvironmentVariableIsSet("ECOTONE_SYNC_PASSWORD")) {
            password = qEnvironmentVariable("ECOTONE_SYNC_PASSWORD");
        } else if (!explicitIdentity && !sync::identity::isBound(ws, s.server, s.username)) {
            // The server and user come from the file alone, which may be someone else's: the keychain's password
            // is not used for it until the user names them (docs/sync.md, "Identities").
            const Result<qint64> pending = sync::pendingCount(ws);
            return failure(Tr::tr("%1 names %2 as its server and %3 as its user, but it has not been synced as %3 "
                                  "on this computer (it may be a copy, or come from someone else; %4 changes would "
                                  "be sent). To sync it as %3, run again with --server and --user, or give the "
                                  "password with --password-stdin or ECOTONE_SYNC_PASSWORD.")
                               .arg(ws.path(), s.server.toString(QUrl::RemoveUserInfo), s.username)
                               .arg(pending ? pending.value() : 0),
                           2);
        } else {
            password = storedPassword(s.server, s.username, &keychain, &keychainProblem);
        }
        if (password.isEmpty()) {
            QString why;
            switch (keychain) {
            case ui::CredentialReply::Outcome::Unavailable:
                why = Tr::tr("No password for %1: there is no system keychain on this machine, so none is stored; "
                             "pass --password-stdin or set ECOTONE_SYNC_PASSWORD.")
                          .arg(s.username);
                break;
            case ui::CredentialReply::Outcome::Failed:
                why = Tr::tr("No password for %1: the system keychain could not be read (%2); pass "
                             "--password-stdin or set ECOTONE_SYNC_PASSWORD.")
                          .arg(s.username, keychainProblem);
                break;
            case ui::CredentialReply::Outcome::Ok:
            case ui::CredentialReply::Outcome::NotFound:
                why = Tr::tr("No password for %1: sign in once in the Sync pane (it keeps the password in the "
                             "system keychain), pass --password-stdin or set ECOTONE_SYNC_PASSWORD.")
                          .arg(s.username);
                break;
            }
            return failure(why, 2);
        }
        if (Status saved = sync::saveSettings(ws, s); !saved)
            return failure(saved.error());

        sync::HttpTransport transport(s.server, s.username, password);
        sync::SyncEngine engine(ws, transport);
        auto report = engine.sync();
        if (!report)
            return failure(report.error());
        sync::identity::bind(ws, s.server, s.username);
        const sync::SyncReport &r = report.value();
        out(Tr::tr("Synced %1 with %2 in %3 ms: pulled %4, pushed %5 (%6 refused), purged %7, %8 new conflicts.\n")
                .arg(ws.displayName(), transport.serverName())
                .arg(r.elapsedMs)
                .arg(r.pulled)
                .arg(r.pushed)
                .arg(r.rejected)
                .arg(r.purged)
                .arg(r.conflicts));
        auto st = sync::status(ws);
        if (st && st->conflicts > 0)
            out(Tr::tr("Open conflicts: %1 (ecotone sync conflicts --workspace %2)\n")
                    .arg(st->conflicts)
                    .arg(ws.path()));
        if (r.quarantined > 0)
            out(Tr::tr("%1 rows from the server could not be stored here and were set aside (ecotone sync "
                       "quarantine --workspace %2)\n")
                    .arg(r.quarantined)
                    .arg(ws.path()));
        return 0;
    });
}

int syncStatus(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print JSON."));
    if (!parse(parser, arguments, {workspace, json}, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto settings = sync::settings(ws);
        auto st = sync::status(ws);
        if (!settings || !st)
            return failure(!settings ? settings.error() : st.error());
        const QString last = st->lastSync.isValid() ? st->lastSync.toString(Qt::ISODate) : QString();
        if (parser.isSet(json)) {
            printJson({{QStringLiteral("server"), settings->server.toString(QUrl::RemoveUserInfo)},
                       {QStringLiteral("user"), settings->username},
                       {QStringLiteral("pending"), st->pending},
                       {QStringLiteral("conflicts"), st->conflicts},
                       {QStringLiteral("quarantined"), st->quarantined},
                       {QStringLiteral("cursor"), st->cursor},
                       {QStringLiteral("last_sync"), last},
                       {QStringLiteral("last_error"), st->lastError}});
            return 0;
        }
        out(Tr::tr("Server:      %1\nUser:        %2\nPending:     %3 local changes\nConflicts:   %4 open\n"
                   "Cursor:      %5\nLast sync:   %6\n")
                .arg(settings->server.isEmpty() ? Tr::tr("(none)") : settings->server.toString(QUrl::RemoveUserInfo),
                     settings->username.isEmpty() ? Tr::tr("(none)") : settings->username)
                .arg(st->pending)
                .arg(st->conflicts)
                .arg(st->cursor)
                .arg(last.isEmpty() ? Tr::tr("never") : last));
        if (st->quarantined > 0)
            out(Tr::tr("Quarantine:  %1 rows from the server could not be stored (ecotone sync quarantine)\n")
                    .arg(st->quarantined));
        if (!st->lastError.isEmpty())
            out(Tr::tr("Last error:  %1\n").arg(st->lastError));
        return 0;
    });
}

int syncConflicts(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print JSON."));
    if (!parse(parser, arguments, {workspace, json}, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto conflicts = sync::openConflicts(ws);
        if (!conflicts)
            return failure(conflicts.error());
        if (parser.isSet(json)) {
            QJsonArray items;
            for (const sync::Conflict &c : conflicts.value())
                items.append(QJsonObject{{QStringLiteral("id"), c.id},
                                         {QStringLiteral("kind"), kindName(c.kind)},
                                         {QStringLiteral("table"), c.table},
                                         {QStringLiteral("row_id"), c.rowId},
                                         {QStringLiteral("field"), c.field},
                                         {QStringLiteral("mine"), c.mine},
                                         {QStringLiteral("theirs"), c.theirs},
                                         {QStringLiteral("mine_hlc"), c.mineHlc},
                                         {QStringLiteral("theirs_hlc"), c.theirsHlc},
                                         {QStringLiteral("theirs_device"), c.theirsDevice},
                                         {QStringLiteral("detected_at"), c.detectedAt.toString(Qt::ISODateWithMs)}});
            printJson({{QStringLiteral("conflicts"), items}});
            return 0;
        }
        if (conflicts->isEmpty()) {
            out(Tr::tr("No open conflicts.\n"));
            return 0;
        }
        for (const sync::Conflict &c : conflicts.value()) {
            out(QStringLiteral("#%1 %2 %3 %4 %5: mine %6, theirs %7\n")
                    .arg(c.id)
                    .arg(kindName(c.kind), c.table, c.rowId, c.field, sync::compactJson(c.mine),
                         sync::compactJson(c.theirs)));
        }
        return 0;
    });
}

// Text from the server or a peer, for a terminal: control characters (escape sequences) become U+FFFD.
QString printable(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = QChar::ReplacementCharacter;
    }
    return out;
}

int syncQuarantine(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print JSON."));
    if (!parse(parser, arguments, {workspace, json}, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto rows = sync::quarantinedRows(ws);
        if (!rows)
            return failure(rows.error());
        if (parser.isSet(json)) {
            QJsonArray items;
            for (const sync::QuarantinedRow &r : rows.value())
                items.append(QJsonObject{{QStringLiteral("seq"), r.seq},
                                         {QStringLiteral("table"), r.table},
                                         {QStringLiteral("row_id"), r.rowId},
                                         {QStringLiteral("reason"), r.reason},
                                         {QStringLiteral("received_at"), r.receivedAt.toString(Qt::ISODateWithMs)}});
            printJson({{QStringLiteral("quarantined"), items}});
            return 0;
        }
        if (rows->isEmpty()) {
            out(Tr::tr("No rows in quarantine.\n"));
            return 0;
        }
        for (const sync::QuarantinedRow &r : rows.value())
            out(Tr::tr("seq %1 %2 %3: %4\n")
                    .arg(r.seq)
                    .arg(printable(r.table), printable(r.rowId), printable(r.reason)));
        return 0;
    });
}

int syncResolve(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption conflict(QStringLiteral("conflict"), Tr::tr("Conflict id."), QStringLiteral("ID"));
    const QCommandLineOption mine(QStringLiteral("mine"), Tr::tr("Keep this device's value."));
    const QCommandLineOption theirs(QStringLiteral("theirs"), Tr::tr("Take the other value."));
    const QCommandLineOption value(QStringLiteral("value"), Tr::tr("A new value, as JSON."), QStringLiteral("JSON"));
    if (!parse(parser, arguments, {workspace, conflict, mine, theirs, value}, &error))
        return failure(error, 2);
    bool ok = false;
    const qint64 id = parser.value(conflict).toLongLong(&ok);
    if (!ok)
        return failure(Tr::tr("--conflict ID is required (see ecotone sync conflicts)."), 2);
    if (int(parser.isSet(mine)) + int(parser.isSet(theirs)) + int(parser.isSet(value)) != 1)
        return failure(Tr::tr("Give exactly one of --mine, --theirs or --value JSON."), 2);
    sync::Resolution resolution = sync::Resolution::Mine;
    QJsonValue edited;
    if (parser.isSet(theirs)) {
        resolution = sync::Resolution::Theirs;
    } else if (parser.isSet(value)) {
        resolution = sync::Resolution::Edit;
        edited = sync::parseJson(parser.value(value));
        if (edited.isUndefined())
            return failure(
                Tr::tr("--value must be JSON, such as '\"Acme GmbH\"' or 42 (not %1).").arg(parser.value(value)), 2);
    }
    return withWorkspace(parser, [&](Workspace &ws) {
        if (Status s = sync::resolve(ws, id, resolution, edited); !s)
            return failure(s.error());
        out(Tr::tr("Conflict %1 resolved; the choice syncs with the next ecotone sync.\n").arg(id));
        return 0;
    });
}

const CommandRegistration syncCommand(
    {QStringLiteral("sync"), QString(),
     QStringLiteral("  sync --workspace W [--server URL --user U] [--password-stdin]\n"
                    "                          Pull, push and pull again with ecotone-server (password from\n"
                    "                          ECOTONE_SYNC_PASSWORD or stdin); remembers server and user.\n"),
     syncRun});
const CommandRegistration statusCommand(
    {QStringLiteral("sync"), QStringLiteral("status"),
     QStringLiteral("  sync status --workspace W [--json]\n"
                    "                          Server, pending changes, open conflicts, last sync and error.\n"),
     syncStatus});
const CommandRegistration conflictsCommand({QStringLiteral("sync"), QStringLiteral("conflicts"),
                                            QStringLiteral("  sync conflicts --workspace W [--json]\n"
                                                           "                          The open conflict inbox.\n"),
                                            syncConflicts});
const CommandRegistration quarantineCommand(
    {QStringLiteral("sync"), QStringLiteral("quarantine"),
     QStringLiteral("  sync quarantine --workspace W [--json]\n"
                    "                          Rows from the server this workspace could not store, and why.\n"),
     syncQuarantine});
const CommandRegistration resolveCommand(
    {QStringLiteral("sync"), QStringLiteral("resolve"),
     QStringLiteral("  sync resolve --workspace W --conflict ID --mine|--theirs|--value JSON\n"
                    "                          Settle a conflict; the choice is a local edit that syncs.\n"),
     syncResolve});
} // namespace

} // namespace ecotone::cli
