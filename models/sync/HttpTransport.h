#pragma once

#include "sync/SyncEngine.h"

#include <QString>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace ecotone::sync {

// The sync transport over HTTP(S) to ecotone-server: signs in with user name and password (POST /api/v1/auth/login),
// sends the access token, and on a 401 renews it with the refresh token (POST /api/v1/auth/refresh) or signs in again.
// Each request waits in a local event loop, so it works on a worker thread and in the CLI; use one object from one
// thread only (its QNetworkAccessManager is made in the thread of the first request).
class HttpTransport : public SyncTransport
{
public:
    HttpTransport(const QUrl &server, QString username, QString password);
    ~HttpTransport() override;

    // Signs in now, so a settings dialog can check the credentials; the error names the server, the HTTP status and
    // the server's message.
    Status signIn();

    TransportReply request(const QByteArray &method, const QString &path, const QJsonObject &body) override;
    QString serverName() const override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // How often an expired access token was renewed (refresh token or a new sign-in), for diagnostics and tests.
    int renewals() const { return m_renewals; }

private:
    TransportReply send(const QByteArray &method, const QString &path, const QJsonObject &body, bool authorized);
    TransportReply login();
    TransportReply renew();

    QUrl m_server;
    QString m_username;
    QString m_password;
    QString m_accessToken;
    QString m_refreshToken;
    int m_timeoutMs = 60000;
    int m_renewals = 0;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

} // namespace ecotone::sync
