#include "ApiServer.h"

#include "Passwords.h"
#include "ServerDatabase.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace ecotone::server {

namespace {

Reply failure(int status, const QString &code, const QString &message, const QString &field = {})
{
    QJsonObject body{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        body.insert(QStringLiteral("field"), field);
    Reply reply{status, body, {}};
    if (status == 401)
        reply.headers.append({QByteArray("WWW-Authenticate"), "Bearer"});
    return reply;
}

Reply failure(const ApiError &error)
{
    return failure(error.status, error.code, error.message, error.field);
}

// Database trouble is logged for the operator; the client learns only that it was not its fault.
Reply internalError(const QString &detail)
{
    qWarning("ecotone-server: %s", qUtf8Printable(detail));
    return failure(500, QStringLiteral("internal_error"), QStringLiteral("the server failed; try again later"));
}

Reply notFound()
{
    return failure(404, QStringLiteral("not_found"), QStringLiteral("no such resource"));
}

Reply forbidden(const QString &message)
{
    return failure(403, QStringLiteral("forbidden"), message);
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject toJson(const Organization &org)
{
    return {{QStringLiteral("id"), org.id},
            {QStringLiteral("name"), org.name},
            {QStringLiteral("kind"), org.kind},
            {QStringLiteral("created_at"), isoTime(org.createdAt)}};
}

QJsonObject toJson(const User &user)
{
    return {{QStringLiteral("id"), user.id},
            {QStringLiteral("organization_id"), user.organizationId},
            {QStringLiteral("username"), user.username},
            {QStringLiteral("display_name"), user.displayName},
            {QStringLiteral("role"), roleName(user.role)},
            {QStringLiteral("disabled"), user.disabled},
            {QStringLiteral("created_at"), isoTime(user.createdAt)}};
}

QJsonObject toJson(const Session &session)
{
    return {{QStringLiteral("access_token"), session.accessToken},
            {QStringLiteral("token_type"), QStringLiteral("Bearer")},
            {QStringLiteral("expires_in"), session.expiresInSeconds},
            {QStringLiteral("refresh_token"), session.refreshToken}};
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

} // namespace

ApiServer::ApiServer(ServerDatabase &db, ServerOptions options, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_options(std::move(options))
    , m_accounts(db, m_options.policy)
    , m_sync(db)
{
    const QString id = QStringLiteral("{}");
    m_routes = {
        {"GET", {QStringLiteral("health")}, false, &ApiServer::health},
        {"POST", {QStringLiteral("auth"), QStringLiteral("login")}, false, &ApiServer::login},
        {"POST", {QStringLiteral("auth"), QStringLiteral("refresh")}, false, &ApiServer::refresh},
        {"POST", {QStringLiteral("auth"), QStringLiteral("logout")}, true, &ApiServer::logout},
        {"GET", {QStringLiteral("me")}, true, &ApiServer::me},
        {"GET", {QStringLiteral("organizations")}, true, &ApiServer::listOrganizations},
        {"POST", {QStringLiteral("organizations")}, true, &ApiServer::createOrganization},
        {"GET", {QStringLiteral("organizations"), id}, true, &ApiServer::getOrganization},
        {"GET", {QStringLiteral("organizations"), id, QStringLiteral("users")}, true, &ApiServer::listUsers},
        {"POST", {QStringLiteral("organizations"), id, QStringLiteral("users")}, true, &ApiServer::createUser},
        {"GET", {QStringLiteral("users"), id}, true, &ApiServer::getUser},
        {"PATCH", {QStringLiteral("users"), id}, true, &ApiServer::updateUser},
        {"POST", {QStringLiteral("sync"), QStringLiteral("push")}, true, &ApiServer::pushChanges},
        {"GET", {QStringLiteral("sync"), QStringLiteral("pull")}, true, &ApiServer::pullChanges},
    };
    // Every request goes through dispatch(): QHttpServer's router is left empty, so its missing handler sees all.
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        dispatch(request, std::move(responder));
    });
}

ApiServer::~ApiServer() = default;

Result<GuardedTcpServer *> ApiServer::listenForHandOff(GuardedTcpServer::Counter open)
{
    auto *tcp = new GuardedTcpServer(m_options.limits, m_options.tls, std::move(open));
    if (!tcp->listen(QHostAddress::LocalHost, 0)) {
        const QString error = tcp->errorString();
        delete tcp;
        return Error{QStringLiteral("cannot listen on loopback: %1").arg(error)};
    }
    m_http.bind(tcp);
    return tcp;
}

Result<quint16> ApiServer::listen(const QHostAddress &address, quint16 port, GuardedTcpServer::Counter open)
{
    auto *tcp = new GuardedTcpServer(m_options.limits, m_options.tls, std::move(open));
    if (!tcp->listen(address, port)) {
        const QString error = tcp->errorString();
        delete tcp;
        return Error{QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(error)};
    }
    m_http.bind(tcp); // takes ownership
    return tcp->serverPort();
}

QString ApiServer::clientAddress(const QHttpServerRequest &request) const
{
    const QHostAddress peer = request.remoteAddress();
    if (!m_options.trustedProxy.isNull() && peer.isEqual(m_options.trustedProxy, QHostAddress::TolerantConversion)) {
        const QByteArray real = request.value("X-Real-IP").trimmed();
        QHostAddress forwarded;
        if (!real.isEmpty() && forwarded.setAddress(QString::fromLatin1(real)))
            return forwarded.toString();
    }
    QHostAddress plain = peer;
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // ::ffff:1.2.3.4 and 1.2.3.4 are one client
    if (isV4)
        plain = QHostAddress(v4);
    return plain.toString();
}

void ApiServer::dispatch(const QHttpServerRequest &http, QHttpServerResponder &&responder)
{
    const QStringList segments = http.url().path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QByteArray method = methodName(http.method());
    Request request{http, {}, std::nullopt, {}};
    const Route *match = nullptr;
    QByteArrayList allowed;
    if (segments.size() >= 2 && segments.at(0) == QLatin1String("api") && segments.at(1) == QLatin1String("v1")) {
        for (const Route &route : m_routes) {
            if (route.pattern.size() != segments.size() - 2)
                continue;
            QStringList params;
            bool same = true;
            for (qsizetype i = 0; i < route.pattern.size() && same; ++i) {
                const QString &segment = segments.at(i + 2);
                if (route.pattern.at(i) == QLatin1String("{}"))
                    params.append(segment);
                else
                    same = route.pattern.at(i) == segment;
            }
            if (!same)
                continue;
            if (route.method != method) {
                allowed.append(route.method);
                continue;
            }
            match = &route;
            request.params = params;
        }
    }
    if (!match) {
        if (allowed.isEmpty()) {
            send(responder, notFound());
        } else {
            Reply reply = failure(405, QStringLiteral("method_not_allowed"),
                                  QStringLiteral("this resource does not accept %1").arg(QString::fromLatin1(method)));
            reply.headers.append({QByteArray("Allow"), allowed.join(", ")});
            send(responder, reply);
        }
        return;
    }
    request.clientAddress = clientAddress(http);
    if (match->requiresAuth) {
        const QByteArray authorization = http.value("Authorization");
        // The scheme is case-insensitive (RFC 9110 11.1): "bearer" is as good as "Bearer".
        if (authorization.size() < 7 || authorization.left(7).toLower() != "bearer ") {
            send(responder, failure(401, QStringLiteral("unauthenticated"),
                                    QStringLiteral("this request needs an access token (Authorization: Bearer)")));
            return;
        }
        const Result<std::optional<Caller>> caller =
            m_accounts.authenticate(QString::fromLatin1(authorization.mid(7).trimmed()));
        if (!caller) {
            send(responder, internalError(caller.error()));
            return;
        }
        if (!caller.value()) {
            send(responder, failure(401, QStringLiteral("invalid_token"),
                                    QStringLiteral("the access token is unknown, expired or revoked")));
            return;
        }
        request.caller = caller.value();
    }
    send(responder, match->handler(this, request));
}

void ApiServer::send(QHttpServerResponder &responder, const Reply &reply)
{
    QByteArray body = reply.json; // already JSON text, or made from reply.body
    if (!body.isEmpty()) {
    } else if (reply.body.isObject()) {
        body = QJsonDocument(reply.body.toObject()).toJson(QJsonDocument::Compact);
    } else if (reply.body.isArray()) {
        body = QJsonDocument(reply.body.toArray()).toJson(QJsonDocument::Compact);
    }
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    if (!body.isEmpty())
        responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    // Tokens and account data must not land in shared caches.
    responder.writeHeader("Cache-Control", "no-store");
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    for (const auto &header : reply.headers)
        responder.writeHeader(header.first, header.second);
    responder.writeBody(body);
}

std::optional<ApiError> ApiServer::bodyOf(const Request &request, std::initializer_list<FieldSpec> fields,
                                          QJsonObject *out)
{
    const QByteArray body = request.http.body();
    if (!body.trimmed().isEmpty()) {
        const QByteArray type = request.http.value("Content-Type").toLower();
        if (!type.startsWith("application/json"))
            return ApiError{
                415, QStringLiteral("unsupported_media_type"), QStringLiteral("the body must be application/json"), {}};
    }
    return parseBody(body, fields, out);
}

Reply ApiServer::health(Request &)
{
    const Result<Rows> probe = m_db.select(QStringLiteral("SELECT 1"));
    if (!probe)
        return failure(503, QStringLiteral("database_unavailable"), QStringLiteral("the database does not answer"));
    return Reply{200,
                 QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                             {QStringLiteral("database"), m_db.driverName()},
                             {QStringLiteral("version"), QStringLiteral(ECOTONE_VERSION)}},
                 {}};
}

Reply ApiServer::login(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(
            request,
            {{QLatin1String("username"), JsonType::String, true}, {QLatin1String("password"), JsonType::String, true}},
            &body))
        return failure(*error);
    const LoginOutcome outcome =
        m_accounts.login(body.value(QLatin1String("username")).toString(),
                         body.value(QLatin1String("password")).toString(), request.clientAddress);
    switch (outcome.kind) {
    case LoginOutcome::Success:
        return Reply{200, toJson(outcome.session), {}};
    case LoginOutcome::Invalid:
        return failure(401, QStringLiteral("invalid_credentials"), QStringLiteral("wrong user name or password"));
    case LoginOutcome::RateLimited: {
        Reply reply = failure(429, QStringLiteral("too_many_attempts"),
                              QStringLiteral("too many failed sign-ins; retry in %1 s").arg(outcome.retryAfterSeconds));
        reply.headers.append({QByteArray("Retry-After"), QByteArray::number(outcome.retryAfterSeconds)});
        return reply;
    }
    case LoginOutcome::Failed:
        break;
    }
    return internalError(outcome.error);
}

Reply ApiServer::refresh(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(request, {{QLatin1String("refresh_token"), JsonType::String, true}}, &body))
        return failure(*error);
    const RefreshOutcome outcome = m_accounts.refresh(body.value(QLatin1String("refresh_token")).toString());
    switch (outcome.kind) {
    case RefreshOutcome::Success:
        return Reply{200, toJson(outcome.session), {}};
    case RefreshOutcome::Invalid:
        return failure(401, QStringLiteral("invalid_refresh_token"),
                       QStringLiteral("the refresh token is unknown, expired or revoked; sign in again"));
    case RefreshOutcome::Reused:
        return failure(401, QStringLiteral("refresh_token_reused"),
                       QStringLiteral("this refresh token was already used, so the session was ended; sign in again"));
    case RefreshOutcome::Failed:
        break;
    }
    return internalError(outcome.error);
}

Reply ApiServer::logout(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(request, {}, &body))
        return failure(*error);
    if (Status s = m_accounts.endSession(request.caller->familyId); !s)
        return internalError(s.error());
    return Reply{204, QJsonValue(QJsonValue::Undefined), {}};
}

Reply ApiServer::me(Request &request)
{
    return Reply{200,
                 QJsonObject{{QStringLiteral("user"), toJson(request.caller->user)},
                             {QStringLiteral("organization"), toJson(request.caller->organization)}},
                 {}};
}

bool ApiServer::canView(const Caller &caller, const Organization &org)
{
    return isVendorRole(caller.user.role) || caller.user.organizationId == org.id;
}

bool ApiServer::canListUsers(const Caller &caller, const Organization &org)
{
    return isVendorRole(caller.user.role) ||
           (caller.user.role == Role::PartnerAdmin && caller.user.organizationId == org.id);
}

bool ApiServer::canManage(const Caller &caller, const Organization &org)
{
    switch (caller.user.role) {
    case Role::VendorAdmin:
        return true;
    case Role::ChannelManager:
        return org.kind == QLatin1String("partner");
    case Role::PartnerAdmin:
        return caller.user.organizationId == org.id;
    case Role::PartnerRep:
        return false;
    }
    return false;
}

Reply ApiServer::listOrganizations(Request &request)
{
    const Result<QList<Organization>> orgs = m_accounts.organizations();
    if (!orgs)
        return internalError(orgs.error());
    QJsonArray items;
    for (const Organization &org : orgs.value()) {
        if (canView(*request.caller, org))
            items.append(toJson(org));
    }
    return Reply{200, QJsonObject{{QStringLiteral("organizations"), items}}, {}};
}

Reply ApiServer::createOrganization(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(
            request, {{QLatin1String("name"), JsonType::String, true}, {QLatin1String("id"), JsonType::String, false}},
            &body))
        return failure(*error);
    if (!isVendorRole(request.caller->user.role))
        return forbidden(QStringLiteral("only the vendor's administrators and channel managers add partners"));
    const QString name = body.value(QLatin1String("name")).toString();
    if (const QString problem = Accounts::organizationNameProblem(name); !problem.isEmpty())
        return failure(400, QStringLiteral("invalid_value"), problem, QStringLiteral("name"));
    const QString id = body.value(QLatin1String("id")).toString();
    if (body.contains(QLatin1String("id"))) {
        if (const QString problem = Accounts::organizationIdProblem(id); !problem.isEmpty())
            return failure(400, QStringLiteral("invalid_value"), problem, QStringLiteral("id"));
        const Result<std::optional<Organization>> taken = m_accounts.organizationById(id);
        if (!taken)
            return internalError(taken.error());
        if (taken.value())
            return failure(409, QStringLiteral("conflict"), QStringLiteral("an organization with this id exists"),
                           QStringLiteral("id"));
    }
    const Result<std::optional<Organization>> existing = m_accounts.organizationByName(name.trimmed());
    if (!existing)
        return internalError(existing.error());
    if (existing.value())
        return failure(409, QStringLiteral("conflict"), QStringLiteral("an organization with this name exists"),
                       QStringLiteral("name"));
    const Result<Organization> org = m_accounts.createOrganization(name, QStringLiteral("partner"), id);
    if (!org)
        return internalError(org.error());
    return Reply{201, toJson(org.value()), {}};
}

Reply ApiServer::getOrganization(Request &request)
{
    const Result<std::optional<Organization>> org = m_accounts.organizationById(request.params.value(0));
    if (!org)
        return internalError(org.error());
    // What the caller may not see does not exist for it: 404, not 403, so ids cannot be probed.
    if (!org.value() || !canView(*request.caller, *org.value()))
        return notFound();
    return Reply{200, toJson(*org.value()), {}};
}

Reply ApiServer::listUsers(Request &request)
{
    const Result<std::optional<Organization>> org = m_accounts.organizationById(request.params.value(0));
    if (!org)
        return internalError(org.error());
    if (!org.value() || !canView(*request.caller, *org.value()))
        return notFound();
    if (!canListUsers(*request.caller, *org.value()))
        return forbidden(QStringLiteral("your role does not list users"));
    const Result<QList<User>> users = m_accounts.users(org.value()->id);
    if (!users)
        return internalError(users.error());
    QJsonArray items;
    for (const User &user : users.value())
        items.append(toJson(user));
    return Reply{200, QJsonObject{{QStringLiteral("users"), items}}, {}};
}

Reply ApiServer::createUser(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(request,
                            {{QLatin1String("username"), JsonType::String, true},
                             {QLatin1String("password"), JsonType::String, true},
                             {QLatin1String("role"), JsonType::String, true},
                             {QLatin1String("display_name"), JsonType::String, false}},
                            &body))
        return failure(*error);
    const Result<std::optional<Organization>> org = m_accounts.organizationById(request.params.value(0));
    if (!org)
        return internalError(org.error());
    if (!org.value() || !canView(*request.caller, *org.value()))
        return notFound();
    if (!canManage(*request.caller, *org.value()))
        return forbidden(QStringLiteral("your role does not manage this organization's users"));
    const std::optional<Role> role = roleFromName(body.value(QLatin1String("role")).toString());
    if (!role)
        return failure(400, QStringLiteral("invalid_value"),
                       QStringLiteral("role must be vendor_admin, channel_manager, partner_admin or partner_rep"),
                       QStringLiteral("role"));
    if (isVendorRole(*role) != (org.value()->kind == QLatin1String("vendor")))
        return failure(
            400, QStringLiteral("invalid_value"),
            QStringLiteral("the role %1 does not fit a %2 organization").arg(roleName(*role), org.value()->kind),
            QStringLiteral("role"));
    const QString username = Accounts::normalizedUsername(body.value(QLatin1String("username")).toString());
    if (const QString problem = Accounts::usernameProblem(username); !problem.isEmpty())
        return failure(400, QStringLiteral("invalid_value"), problem, QStringLiteral("username"));
    const QString password = body.value(QLatin1String("password")).toString();
    if (const QString problem = passwordProblem(password); !problem.isEmpty())
        return failure(400, QStringLiteral("invalid_value"), problem, QStringLiteral("password"));
    const QString displayName = body.value(QLatin1String("display_name")).toString();
    if (displayName.size() > 200)
        return failure(400, QStringLiteral("invalid_value"), QStringLiteral("at most 200 characters"),
                       QStringLiteral("display_name"));
    const Result<std::optional<User>> existing = m_accounts.userByName(username);
    if (!existing)
        return internalError(existing.error());
    if (existing.value())
        return failure(409, QStringLiteral("conflict"), QStringLiteral("the user name is taken"),
                       QStringLiteral("username"));
    const Result<User> user = m_accounts.createUser(*org.value(), username, displayName, *role, password);
    if (!user)
        return internalError(user.error());
    return Reply{201, toJson(user.value()), {}};
}

Reply ApiServer::getUser(Request &request)
{
    const Result<std::optional<User>> user = m_accounts.userById(request.params.value(0));
    if (!user)
        return internalError(user.error());
    if (!user.value())
        return notFound();
    if (user.value()->id == request.caller->user.id)
        return Reply{200, toJson(*user.value()), {}};
    const Result<std::optional<Organization>> org = m_accounts.organizationById(user.value()->organizationId);
    if (!org)
        return internalError(org.error());
    if (!org.value() || !canView(*request.caller, *org.value()) || !canListUsers(*request.caller, *org.value()))
        return notFound();
    return Reply{200, toJson(*user.value()), {}};
}

Reply ApiServer::updateUser(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(request,
                            {{QLatin1String("display_name"), JsonType::String, false},
                             {QLatin1String("role"), JsonType::String, false},
                             {QLatin1String("disabled"), JsonType::Boolean, false},
                             {QLatin1String("password"), JsonType::String, false}},
                            &body))
        return failure(*error);
    const Result<std::optional<User>> user = m_accounts.userById(request.params.value(0));
    if (!user)
        return internalError(user.error());
    if (!user.value())
        return notFound();
    const Result<std::optional<Organization>> org = m_accounts.organizationById(user.value()->organizationId);
    if (!org)
        return internalError(org.error());
    const bool self = user.value()->id == request.caller->user.id;
    if (!org.value() ||
        (!self && (!canView(*request.caller, *org.value()) || !canListUsers(*request.caller, *org.value()))))
        return notFound();
    const bool changesAccess = body.contains(QLatin1String("role")) || body.contains(QLatin1String("disabled")) ||
                               body.contains(QLatin1String("password"));
    if (self && changesAccess)
        return forbidden(QStringLiteral("you cannot change your own role, password or access here"));
    if (!self && !canManage(*request.caller, *org.value()))
        return forbidden(QStringLiteral("your role does not manage this organization's users"));
    // A password set by another organization would let its staff sign in as this user and read around the sharing
    // rules: only the user's own organization sets it. Vendor staff may still disable a partner's user.
    if (body.contains(QLatin1String("password")) && request.caller->organization.id != user.value()->organizationId)
        return forbidden(QStringLiteral("only %1's own administrators set its users' passwords; you may disable the "
                                        "user instead")
                             .arg(org.value()->name));
    std::optional<QString> displayName;
    std::optional<Role> role;
    std::optional<bool> disabled;
    std::optional<QString> password;
    if (body.contains(QLatin1String("display_name"))) {
        displayName = body.value(QLatin1String("display_name")).toString();
        if (displayName->size() > 200)
            return failure(400, QStringLiteral("invalid_value"), QStringLiteral("at most 200 characters"),
                           QStringLiteral("display_name"));
    }
    if (body.contains(QLatin1String("role"))) {
        role = roleFromName(body.value(QLatin1String("role")).toString());
        if (!role || isVendorRole(*role) != (org.value()->kind == QLatin1String("vendor")))
            return failure(400, QStringLiteral("invalid_value"),
                           QStringLiteral("role must be one that fits a %1 organization").arg(org.value()->kind),
                           QStringLiteral("role"));
    }
    if (body.contains(QLatin1String("disabled")))
        disabled = body.value(QLatin1String("disabled")).toBool();
    if (body.contains(QLatin1String("password"))) {
        password = body.value(QLatin1String("password")).toString();
        if (const QString problem = passwordProblem(*password); !problem.isEmpty())
            return failure(400, QStringLiteral("invalid_value"), problem, QStringLiteral("password"));
    }
    if (Status s = m_accounts.updateUser(*user.value(), displayName, role, disabled, password); !s)
        return internalError(s.error());
    const Result<std::optional<User>> updated = m_accounts.userById(user.value()->id);
    if (!updated || !updated.value())
        return internalError(updated ? QStringLiteral("the user vanished") : updated.error());
    return Reply{200, toJson(*updated.value()), {}};
}

Reply ApiServer::pushChanges(Request &request)
{
    QJsonObject body;
    if (auto error = bodyOf(
            request,
            {{QLatin1String("cursor"), JsonType::Integer, false}, {QLatin1String("changes"), JsonType::Array, true}},
            &body))
        return failure(*error);
    auto pushed = m_sync.push(*request.caller, body);
    if (auto *error = std::get_if<ApiError>(&pushed))
        return failure(*error);
    return Reply{200, std::get<QJsonObject>(pushed), {}};
}

Reply ApiServer::pullChanges(Request &request)
{
    // A GET has no body; its query is checked like one: known keys only, integers only.
    const QUrlQuery query(request.http.url());
    qint64 since = 0;
    int limit = SyncService::kDefaultPage;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        bool ok = false;
        const qint64 number = value.toLongLong(&ok);
        if (key == QLatin1String("since")) {
            if (!ok || number < 0)
                return failure(400, QStringLiteral("invalid_value"),
                               QStringLiteral("since is a sequence number (0 or more)"), key);
            since = number;
        } else if (key == QLatin1String("limit")) {
            if (!ok || number < 1 || number > SyncService::kMaxPage)
                return failure(400, QStringLiteral("invalid_value"),
                               QStringLiteral("limit is from 1 to %1").arg(SyncService::kMaxPage), key);
            limit = static_cast<int>(number);
        } else {
            return failure(400, QStringLiteral("unknown_field"), QStringLiteral("unknown parameter \"%1\"").arg(key),
                           key);
        }
    }
    auto page = m_sync.pullJson(*request.caller, since, limit);
    if (auto *error = std::get_if<ApiError>(&page))
        return failure(*error);
    Reply reply;
    reply.json = std::get<QByteArray>(page);
    return reply;
}

} // namespace ecotone::server
