#include "HttpTransport.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslSocket>

namespace ecotone::sync {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::sync::HttpTransport)
};

QString problemOf(const TransportReply &reply)
{
    if (reply.status == 0)
        return reply.networkError;
    QString text = Tr::tr("HTTP %1").arg(reply.status);
    const QString message = reply.body.value(QLatin1String("message")).toString();
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    return text;
}
} // namespace

HttpTransport::HttpTransport(const QUrl &server, QString username, QString password)
    : m_server(server)
    , m_username(std::move(username))
    , m_password(std::move(password))
{}

HttpTransport::~HttpTransport() = default;

QString HttpTransport::serverName() const
{
    return m_server.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

TransportReply HttpTransport::send(const QByteArray &method, const QString &path, const QJsonObject &body,
                                   bool authorized)
{
    if (!m_server.isValid() ||
        (m_server.scheme() != QLatin1String("http") && m_server.scheme() != QLatin1String("https")))
        return {0, {}, Tr::tr("\"%1\" is not a server address (use https://host:port).").arg(m_server.toString())};
    if (m_server.scheme() == QLatin1String("https") && !QSslSocket::supportsSsl())
        return {0, {}, Tr::tr("Cannot reach %1: this computer has no TLS library for HTTPS.").arg(serverName())};
    if (!m_network)
        m_network = std::make_unique<QNetworkAccessManager>();

    QUrl url = m_server;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const qsizetype question = path.indexOf(QLatin1Char('?'));
    url.setPath(base + (question < 0 ? path : path.left(question)));
    url.setQuery(question < 0 ? QString() : path.mid(question + 1));

    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (authorized)
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toLatin1());
    QNetworkReply *reply = nullptr;
    if (method == "GET") {
        reply = m_network->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network->sendCustomRequest(request, method, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);

    TransportReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (out.status == 0) {
        out.networkError =
            reply->error() == QNetworkReply::OperationCanceledError
                ? Tr::tr("Cannot reach %1: no answer within %2 s.").arg(serverName()).arg(m_timeoutMs / 1000)
                : Tr::tr("Cannot reach %1: %2").arg(serverName(), reply->errorString());
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(bytes);
        out.body = doc.object();
        if (!bytes.isEmpty() && !doc.isObject() && out.status / 100 == 2) {
            out.status = 0;
            out.networkError = Tr::tr("%1 did not answer with JSON; is it an Ecotone sync server?").arg(serverName());
        }
    }
    delete reply;
    return out;
}

TransportReply HttpTransport::login()
{
    TransportReply reply =
        send("POST", QStringLiteral("/api/v1/auth/login"),
             QJsonObject{{QStringLiteral("username"), m_username}, {QStringLiteral("password"), m_password}}, false);
    if (reply.status == 200) {
        m_accessToken = reply.body.value(QLatin1String("access_token")).toString();
        m_refreshToken = reply.body.value(QLatin1String("refresh_token")).toString();
        if (m_accessToken.isEmpty())
            return {0, {}, Tr::tr("%1 answered the sign-in without an access token.").arg(serverName())};
    }
    return reply;
}

Status HttpTransport::signIn()
{
    const TransportReply reply = login();
    if (reply.status == 200)
        return {};
    if (reply.status == 0)
        return Error{reply.networkError};
    return Error{Tr::tr("Signing in to %1 as %2 failed: %3").arg(serverName(), m_username, problemOf(reply))};
}

TransportReply HttpTransport::renew()
{
    ++m_renewals;
    if (!m_refreshToken.isEmpty()) {
        const TransportReply reply = send("POST", QStringLiteral("/api/v1/auth/refresh"),
                                          QJsonObject{{QStringLiteral("refresh_token"), m_refreshToken}}, false);
        if (reply.status == 200 && !reply.body.value(QLatin1String("access_token")).toString().isEmpty()) {
            m_accessToken = reply.body.value(QLatin1String("access_token")).toString();
            m_refreshToken = reply.body.value(QLatin1String("refresh_token")).toString();
            return reply;
        }
        if (reply.status == 0)
            return reply;
    }
    // The refresh token expired or was revoked: sign in again with the password.
    m_accessToken.clear();
    m_refreshToken.clear();
    return login();
}

TransportReply HttpTransport::request(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    if (m_accessToken.isEmpty()) {
        const TransportReply signedIn = login();
        if (signedIn.status != 200)
            return signedIn; // the server's own words: wrong user name or password, too many attempts, ...
    }
    TransportReply reply = send(method, path, body, true);
    if (reply.status == 401) {
        const TransportReply renewed = renew();
        if (renewed.status != 200)
            return renewed;
        reply = send(method, path, body, true);
    }
    return reply;
}

} // namespace ecotone::sync
