#pragma once

#include "Accounts.h"
#include "GuardedTcpServer.h"
#include "Journal.h"
#include "JsonBody.h"
#include "Sync.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPair>

#include <functional>
#include <memory>
#include <optional>

class QHttpServerRequest;
class QHttpServerResponder;

namespace ecotone::server {

class ServerDatabase;

struct ServerOptions
{
    ConnectionLimits limits;
    AccountPolicy policy;
    std::optional<QSslConfiguration> tls;
    // Requests from this address (nginx) carry the client's address in X-Real-IP; from anyone else it is ignored.
    QHostAddress trustedProxy;
};

struct Reply
{
    int status = 200;
    QJsonValue body; // object or array; undefined for an empty body
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray json = {}; // or the body as JSON text already (sync pulls)
};

// The HTTP JSON API on Qt HttpServer. Every route is listed in one table, and a route is public only when the
// table says so: everything else needs a valid access token (deny by default). Each handler then checks what
// the caller's role and organization allow.
class ApiServer : public QObject
{
    Q_OBJECT

public:
    ApiServer(ServerDatabase &db, ServerOptions options, QObject *parent = nullptr);
    ~ApiServer() override;

    // Listens on address:port (0 = any free port); returns the port or an error.
    Result<quint16> listen(const QHostAddress &address, quint16 port, GuardedTcpServer::Counter open);
    // For a worker thread: a server that only adopts connections handed over by the acceptor. (Qt HttpServer
    // binds only to a listening QTcpServer, so it also listens on a loopback port nobody is told about.)
    Result<GuardedTcpServer *> listenForHandOff(GuardedTcpServer::Counter open);

private:
    struct Request
    {
        const QHttpServerRequest &http;
        QStringList params;
        std::optional<Caller> caller;
        QString clientAddress;
    };
    using Handler = std::function<Reply(ApiServer *, Request &)>;
    struct Route
    {
        QByteArray method;
        QStringList pattern; // path segments after /api/v1; "{}" captures one
        bool requiresAuth;
        Handler handler;
    };

    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    static void send(QHttpServerResponder &responder, const Reply &reply);
    QString clientAddress(const QHttpServerRequest &request) const;
    std::optional<ApiError> bodyOf(const Request &request, std::initializer_list<FieldSpec> fields, QJsonObject *out);

    Reply health(Request &);
    Reply login(Request &);
    Reply refresh(Request &);
    Reply logout(Request &);
    Reply me(Request &);
    Reply listOrganizations(Request &);
    Reply createOrganization(Request &);
    Reply getOrganization(Request &);
    Reply listUsers(Request &);
    Reply createUser(Request &);
    Reply getUser(Request &);
    Reply updateUser(Request &);
    Reply pushChanges(Request &);
    Reply pullChanges(Request &);

    // Role rules, in one place: who may see an organization, list its users, and manage them.
    static bool canView(const Caller &caller, const Organization &org);
    static bool canListUsers(const Caller &caller, const Organization &org);
    static bool canManage(const Caller &caller, const Organization &org);

    ServerDatabase &m_db;
    ServerOptions m_options;
    Accounts m_accounts;
    SyncService m_sync;
    QHttpServer m_http;
    QList<Route> m_routes;
};

} // namespace ecotone::server
