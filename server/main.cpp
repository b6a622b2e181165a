// ecotone-server: the team server. `ecotone-server [options]` serves the HTTP API; `ecotone-server user add|reset`
// manages accounts on the command line (the first vendor administrator has to come from somewhere).
#include "Accounts.h"
#include "ApiServer.h"
#include "Passwords.h"
#include "ServerDatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTextStream>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <memory>

using namespace ecotone;
using namespace ecotone::server;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "ecotone-server: %s\n", qUtf8Printable(message));
    return 1;
}

const QString kDefaultDatabase = QStringLiteral("sqlite:ecotone-server.sqlite");

// The password comes from ECOTONE_SERVER_PASSWORD or the first line of standard input, never from argv
// (which other users of the machine can read).
QString readPassword()
{
    if (qEnvironmentVariableIsSet("ECOTONE_SERVER_PASSWORD"))
        return qEnvironmentVariable("ECOTONE_SERVER_PASSWORD");
    QTextStream in(stdin);
    return in.readLine();
}

int runUserCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Manage accounts: user add creates a user (and its organization if new), user reset sets a new password "
        "and ends the user's sessions. The password is read from ECOTONE_SERVER_PASSWORD or standard input."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("user"), QStringLiteral("user"));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add or reset"));
    const QCommandLineOption database(QStringLiteral("database"), QStringLiteral("sqlite:PATH or postgresql://…"),
                                      QStringLiteral("url"), kDefaultDatabase);
    const QCommandLineOption username(QStringLiteral("username"), QStringLiteral("User name."), QStringLiteral("name"));
    const QCommandLineOption organization(
        QStringLiteral("organization"), QStringLiteral("Organization name (created if new)."), QStringLiteral("name"));
    const QCommandLineOption role(QStringLiteral("role"),
                                  QStringLiteral("vendor_admin, channel_manager, partner_admin or partner_rep."),
                                  QStringLiteral("role"));
    const QCommandLineOption displayName(QStringLiteral("display-name"), QStringLiteral("Name shown to others."),
                                         QStringLiteral("text"));
    const QCommandLineOption organizationId(
        QStringLiteral("organization-id"),
        QStringLiteral("Id of an existing organization (instead of --organization)."), QStringLiteral("id"));
    parser.addOptions({database, username, organization, organizationId, role, displayName});
    parser.process(arguments);
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(1);
    if (positional.size() != 2 || (action != QLatin1String("add") && action != QLatin1String("reset")))
        return fail(QStringLiteral("usage: ecotone-server user add|reset --database URL --username NAME …"));
    if (!parser.isSet(username))
        return fail(QStringLiteral("--username is required"));

    auto db = ServerDatabase::open(parser.value(database));
    if (!db)
        return fail(db.error());
    Accounts accounts(*db.value());
    const Result<std::optional<User>> existing = accounts.userByName(parser.value(username));
    if (!existing)
        return fail(existing.error());

    if (action == QLatin1String("reset")) {
        if (!existing.value())
            return fail(
                QStringLiteral("no user named \"%1\"").arg(Accounts::normalizedUsername(parser.value(username))));
        const QString password = readPassword();
        if (Status s = accounts.setPassword(existing.value()->id, password); !s)
            return fail(s.error());
        std::printf("password of %s reset; their sessions were ended\n", qUtf8Printable(existing.value()->username));
        return 0;
    }

    if ((!parser.isSet(organization) && !parser.isSet(organizationId)) || !parser.isSet(role))
        return fail(QStringLiteral("user add needs --organization (or --organization-id) and --role"));
    const std::optional<Role> chosen = roleFromName(parser.value(role));
    if (!chosen)
        return fail(QStringLiteral("unknown role \"%1\": use vendor_admin, channel_manager, partner_admin or "
                                   "partner_rep")
                        .arg(parser.value(role)));
    if (existing.value())
        return fail(QStringLiteral("the user name \"%1\" is taken").arg(existing.value()->username));
    Result<std::optional<Organization>> org = parser.isSet(organizationId)
                                                  ? accounts.organizationById(parser.value(organizationId))
                                                  : accounts.organizationByName(parser.value(organization).trimmed());
    if (!org)
        return fail(org.error());
    Organization target;
    if (!org.value() && parser.isSet(organizationId))
        return fail(QStringLiteral("no organization with id \"%1\"").arg(parser.value(organizationId)));
    if (org.value()) {
        target = *org.value();
    } else {
        const Result<Organization> created = accounts.createOrganization(
            parser.value(organization), isVendorRole(*chosen) ? QStringLiteral("vendor") : QStringLiteral("partner"));
        if (!created)
            return fail(created.error());
        target = created.value();
    }
    const QString password = readPassword();
    const Result<User> user =
        accounts.createUser(target, parser.value(username), parser.value(displayName), *chosen, password);
    if (!user)
        return fail(user.error());
    std::printf("user %s (%s) added to %s\n", qUtf8Printable(user->username), qUtf8Printable(roleName(user->role)),
                qUtf8Printable(target.name));
    return 0;
}

// `ecotone-server org add --id ID --name NAME --kind vendor|partner`: an organization with the id the vendor's
// workspace already uses for it (docs/sync.md, "Identities").
int runOrgCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Manage organizations: org add creates one with a chosen id."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("org"), QStringLiteral("org"));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add"));
    const QCommandLineOption database(QStringLiteral("database"), QStringLiteral("sqlite:PATH or postgresql://…"),
                                      QStringLiteral("url"), kDefaultDatabase);
    const QCommandLineOption id(QStringLiteral("id"), QStringLiteral("The workspace's organization id."),
                                QStringLiteral("id"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Organization name."), QStringLiteral("name"));
    const QCommandLineOption kind(QStringLiteral("kind"), QStringLiteral("vendor or partner."), QStringLiteral("kind"));
    parser.addOptions({database, id, name, kind});
    parser.process(arguments);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.at(1) != QLatin1String("add"))
        return fail(QStringLiteral("usage: ecotone-server org add --database URL --id ID --name NAME --kind "
                                   "vendor|partner"));
    if (!parser.isSet(id) || !parser.isSet(name) || !parser.isSet(kind))
        return fail(QStringLiteral("org add needs --id, --name and --kind"));
    auto db = ServerDatabase::open(parser.value(database));
    if (!db)
        return fail(db.error());
    Accounts accounts(*db.value());
    const Result<Organization> org =
        accounts.createOrganization(parser.value(name), parser.value(kind), parser.value(id));
    if (!org)
        return fail(org.error());
    std::printf("organization %s (%s, %s) added\n", qUtf8Printable(org->name), qUtf8Printable(org->id),
                qUtf8Printable(org->kind));
    return 0;
}

bool parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    *port = static_cast<quint16>(value);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    return address->setAddress(host);
}

Result<QSslConfiguration> loadTls(const QString &certPath, const QString &keyPath)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (chain.isEmpty())
        return Error{QStringLiteral("no PEM certificate in %1").arg(certPath)};
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(keyPath, keyFile.errorString())};
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return Error{QStringLiteral("no usable private key in %1").arg(keyPath)};
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    return config;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ecotone-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ECOTONE_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String("user"))
        return runUserCommand(arguments);
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String("org"))
        return runOrgCommand(arguments);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Ecotone team server: HTTP JSON API over SQLite or PostgreSQL. "
                       "See also: ecotone-server user add|reset --help, ecotone-server org add --help"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption database(QStringLiteral("database"),
                                      QStringLiteral("sqlite:PATH or postgresql://user@host:port/database."),
                                      QStringLiteral("url"), kDefaultDatabase);
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("HOST:PORT to listen on (port 0: any)."),
                                    QStringLiteral("address"), QStringLiteral("127.0.0.1:8080"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), QStringLiteral("PEM certificate chain."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), QStringLiteral("PEM private key."),
                                    QStringLiteral("file"));
    const ServerOptions defaults;
    auto number = [](const char *name, const char *help, qint64 value) {
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("n"),
                                  QString::number(value));
    };
    const QCommandLineOption maxBody =
        number("max-body-bytes", "Largest request body (413 above).", defaults.limits.maxBodyBytes);
    const QCommandLineOption maxHeader =
        number("max-header-bytes", "Largest request header block (431 above).", defaults.limits.maxHeaderBytes);
    const QCommandLineOption headerTimeout =
        number("header-timeout-ms", "Time allowed to send a request's headers.", defaults.limits.headerTimeoutMs);
    const QCommandLineOption idleTimeout =
        number("idle-timeout-ms", "Idle time before a connection is closed.", defaults.limits.idleTimeoutMs);
    const QCommandLineOption maxConnections =
        number("max-connections", "Open connections at most (503 above).", defaults.limits.maxConnections);
    const QCommandLineOption accessTtl =
        number("access-token-seconds", "Lifetime of an access token.", defaults.policy.accessTtlMs / 1000);
    const QCommandLineOption refreshTtl =
        number("refresh-token-seconds", "Lifetime of a refresh token.", defaults.policy.refreshTtlMs / 1000);
    const QCommandLineOption userFailures =
        number("login-failures-per-user", "Failed logins per user per window.", defaults.policy.maxFailuresPerUser);
    const QCommandLineOption ipFailures =
        number("login-failures-per-ip", "Failed logins per address per window.", defaults.policy.maxFailuresPerIp);
    const QCommandLineOption window =
        number("login-window-seconds", "The login rate-limit window.", defaults.policy.failureWindowMs / 1000);
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Worker threads, each with its own database connection."),
                                           QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption trustedProxy(QStringLiteral("trusted-proxy"),
                                          QStringLiteral("Address of a reverse proxy whose X-Real-IP is believed."),
                                          QStringLiteral("address"));
    parser.addOptions({database, listen, tlsCert, tlsKey, maxBody, maxHeader, headerTimeout, idleTimeout,
                       maxConnections, accessTtl, refreshTtl, userFailures, ipFailures, window, trustedProxy,
                       threadsOption});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    ServerOptions options;
    bool allOk = true;
    auto read = [&](const QCommandLineOption &option, qint64 min, qint64 max) {
        bool ok = false;
        const qint64 value = parser.value(option).toLongLong(&ok);
        if (!ok || value < min || value > max) {
            fail(QStringLiteral("--%1 must be a number from %2 to %3").arg(option.names().first()).arg(min).arg(max));
            allOk = false;
        }
        return value;
    };
    options.limits.maxBodyBytes = read(maxBody, 0, qint64(1) << 40);
    options.limits.maxHeaderBytes = static_cast<int>(read(maxHeader, 256, 1 << 20));
    options.limits.headerTimeoutMs = static_cast<int>(read(headerTimeout, 10, 3'600'000));
    options.limits.idleTimeoutMs = static_cast<int>(read(idleTimeout, 10, 3'600'000));
    options.limits.maxConnections = static_cast<int>(read(maxConnections, 1, 1'000'000));
    options.policy.accessTtlMs = read(accessTtl, 1, 86'400) * 1000;
    options.policy.refreshTtlMs = read(refreshTtl, 1, 366LL * 86'400) * 1000;
    options.policy.maxFailuresPerUser = static_cast<int>(read(userFailures, 1, 1'000'000));
    options.policy.maxFailuresPerIp = static_cast<int>(read(ipFailures, 1, 1'000'000));
    options.policy.failureWindowMs = read(window, 1, 86'400) * 1000;
    if (!allOk)
        return 1;
    if (parser.isSet(trustedProxy) && !options.trustedProxy.setAddress(parser.value(trustedProxy)))
        return fail(QStringLiteral("--trusted-proxy is not an IP address"));
    if (parser.isSet(tlsCert) != parser.isSet(tlsKey))
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (parser.isSet(tlsCert)) {
        const Result<QSslConfiguration> tls = loadTls(parser.value(tlsCert), parser.value(tlsKey));
        if (!tls)
            return fail(tls.error());
        options.tls = tls.value();
    }
    QHostAddress address;
    quint16 port = 0;
    if (!parseListen(parser.value(listen), &address, &port))
        return fail(QStringLiteral("--listen takes HOST:PORT, for example 127.0.0.1:8080"));

    const int threads = int(parser.value(threadsOption).toInt());
    if (threads < 1 || threads > 64)
        return fail(QStringLiteral("--threads must be a number from 1 to 64"));
    auto open = std::make_shared<std::atomic<int>>(0);
    auto db = ServerDatabase::open(parser.value(database));
    if (!db)
        return fail(db.error());
    const QString driver = db.value()->driverName();
    std::unique_ptr<ApiServer> server;
    std::unique_ptr<GuardedTcpServer> acceptor;
    Result<quint16> bound = Error{QString()};
    if (threads == 1) {
        server = std::make_unique<ApiServer>(*db.value(), options);
        bound = server->listen(address, port, open);
    } else {
        // Each worker thread has its own database connection and HTTP server, so one request waiting for the
        // database does not hold up the others; this thread only accepts and deals connections out in turn.
        QList<GuardedTcpServer *> targets;
        for (int i = 0; i < threads; ++i) {
            auto *thread = new QThread; // lives as long as the process
            auto *anchor = new QObject;
            anchor->moveToThread(thread);
            thread->start();
            QString error;
            QMetaObject::invokeMethod(
                anchor,
                [&]() {
                    auto workerDb = ServerDatabase::open(parser.value(database));
                    if (!workerDb) {
                        error = workerDb.error();
                        return;
                    }
                    auto *api = new ApiServer(*workerDb.value(), options, anchor);
                    workerDb.value().release(); // kept for the process's life, like the thread
                    const Result<GuardedTcpServer *> target = api->listenForHandOff(open);
                    if (!target)
                        error = target.error();
                    else
                        targets.append(target.value());
                },
                Qt::BlockingQueuedConnection);
            if (!error.isEmpty())
                return fail(error);
        }
        acceptor = std::make_unique<GuardedTcpServer>(options.limits, options.tls, open);
        acceptor->setHandOff([targets, next = 0](qintptr descriptor) mutable {
            GuardedTcpServer *target = targets.at(next++ % targets.size());
            QMetaObject::invokeMethod(
                target, [target, descriptor]() { target->adoptHandedOff(descriptor); }, Qt::QueuedConnection);
        });
        if (acceptor->listen(address, port))
            bound = acceptor->serverPort();
        else
            bound = Error{QStringLiteral("cannot listen on %1:%2: %3")
                              .arg(address.toString())
                              .arg(port)
                              .arg(acceptor->errorString())};
    }
    if (!bound)
        return fail(bound.error());
    // Tests and scripts read the port from this line when they asked for port 0.
    std::printf("ecotone-server listening on %s://%s:%u (database: %s)\n", options.tls ? "https" : "http",
                qUtf8Printable(address.protocol() == QAbstractSocket::IPv6Protocol
                                   ? QStringLiteral("[%1]").arg(address.toString())
                                   : address.toString()),
                unsigned(bound.value()), qUtf8Printable(driver));
    if (threads > 1)
        std::printf("ecotone-server: %d worker threads\n", threads);
    std::fflush(stdout);
    return app.exec();
}
