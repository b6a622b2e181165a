#pragma once

#include <QByteArray>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace ecotone::server {

// The limits Qt HttpServer 6.4 lacks. Defaults suit a server behind nginx as well as one on its own.
struct ConnectionLimits
{
    qint64 maxBodyBytes = 4 * 1024 * 1024;
    int maxHeaderBytes = 16 * 1024;
    int headerTimeoutMs = 10'000; // from the first byte of a request (or the connection) to the end of its headers
    int idleTimeoutMs = 60'000;   // between requests, and without progress while a body arrives
    int maxConnections = 1024;
};

// The listening socket QHttpServer is bound to. Every accepted connection gets a ConnectionGuard whose readyRead
// slot is connected before QHttpServer's, so it sees each chunk first: it follows the request framing itself
// (headers, then Content-Length bytes) and refuses a request before QHttpServer buffers it — 413 for a body over
// the cap, announced by Content-Length, 431 for headers over the cap, 411 for chunked bodies, 408 on a timeout,
// 400 for header shapes two parsers could read differently (obs-fold, bare CR or LF, space before the colon),
// and 413 when a connection sends more than one request's worth without an answer.
// Connections over the cap get 503 at once.
// With several worker threads (--threads), one GuardedTcpServer accepts and hands each connection to a worker's
// GuardedTcpServer, which adopts it in its own thread; `open` is shared by all, so the cap is for the process.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    using Counter = std::shared_ptr<std::atomic<int>>;

    GuardedTcpServer(const ConnectionLimits &limits, std::optional<QSslConfiguration> tls, Counter open,
                     QObject *parent = nullptr);

    int openConnections() const { return m_open->load(); }

    // Accepted connections under the cap go to handOff instead of this server's HTTP layer.
    void setHandOff(std::function<void(qintptr)> handOff) { m_handOff = std::move(handOff); }
    // Takes over a connection another thread accepted (and counted); call in this server's thread.
    void adoptHandedOff(qintptr descriptor) { adopt(descriptor, true); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void adopt(qintptr descriptor, bool announce);

    ConnectionLimits m_limits;
    std::optional<QSslConfiguration> m_tls;
    Counter m_open;
    std::function<void(qintptr)> m_handOff;
};

class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    // `closed` runs when the guard goes, which is when its socket is deleted: the connection count does not
    // depend on signals that the HTTP layer may disconnect.
    ConnectionGuard(QTcpSocket *socket, const ConnectionLimits &limits, std::function<void()> closed);
    ~ConnectionGuard() override;

    // A complete response for a refusal the HTTP layer never sees, with Connection: close.
    static QByteArray errorResponse(int status, const QString &code, const QString &message);

private:
    enum class State
    {
        Headers,
        Body,
        Idle,
        Refused,
    };

    void onReadyRead();
    void onTimeout();
    // Parses the complete header block; false (after refusing) when the request cannot be accepted.
    bool acceptHeaders(const QByteArray &head);
    void refuse(int status, const QString &code, const QString &message);
    void startTimer(int ms);
    void closeSocket(bool abort);

    QTcpSocket *m_socket;
    ConnectionLimits m_limits;
    State m_state = State::Headers;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_sinceResponse = 0; // bytes received since the last bytes were written
    QTimer m_timer;
    std::function<void()> m_closed;
};

} // namespace ecotone::server
