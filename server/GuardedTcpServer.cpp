#include "GuardedTcpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>

namespace ecotone::server {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// How long a refused connection keeps reading (and dropping) what the client still sends, so that the client
// reads our answer instead of a reset caused by closing a socket with unread data.
constexpr int kLingerMs = 2000;

} // namespace

GuardedTcpServer::GuardedTcpServer(const ConnectionLimits &limits, std::optional<QSslConfiguration> tls, Counter open,
                                   QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_tls(std::move(tls))
    , m_open(std::move(open))
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    if (m_open->fetch_add(1) >= m_limits.maxConnections) {
        m_open->fetch_sub(1);
        // Over the cap: answer at once and never hand the connection to the HTTP layer. Over TLS there is no
        // cheap way to answer before a handshake, so the connection is just closed.
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        if (!m_tls)
            socket->write(ConnectionGuard::errorResponse(503, QStringLiteral("too_many_connections"),
                                                         QStringLiteral("the server has too many open connections; "
                                                                        "retry later")));
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    if (m_handOff)
        m_handOff(descriptor); // the worker's adopt() owns the slot counted above
    else
        adopt(descriptor, false);
}

void GuardedTcpServer::adopt(qintptr descriptor, bool announce)
{
    QTcpSocket *socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        m_open->fetch_sub(1);
        return;
    }
    // QHttpServer writes a response's headers and body separately; with Nagle's algorithm the body waits for the
    // client's delayed ACK (40 ms on Linux).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    // A child of the socket; connects to readyRead before QHttpServer does. It gives the slot back when the
    // socket goes.
    new ConnectionGuard(socket, m_limits, [open = m_open]() { open->fetch_sub(1); });
    if (m_tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        ssl->setSslConfiguration(*m_tls);
        ssl->startServerEncryption();
    }
    addPendingConnection(socket);
    // Accepted by this server, QTcpServer announces the connection itself; handed over, it must be told.
    if (announce)
        Q_EMIT newConnection();
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const ConnectionLimits &limits, std::function<void()> closed)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_closed(std::move(closed))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimeout);
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    // A new connection must send its first request's headers within the header timeout.
    startTimer(m_limits.headerTimeoutMs);
}

ConnectionGuard::~ConnectionGuard()
{
    if (m_closed)
        m_closed();
}

QByteArray ConnectionGuard::errorResponse(int status, const QString &code, const QString &message)
{
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}})
            .toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n" + (status == 503 ? QByteArray("Retry-After: 1\r\n") : QByteArray()) + "\r\n" +
           body;
}

void ConnectionGuard::startTimer(int ms)
{
    m_timer.start(ms);
}

void ConnectionGuard::onReadyRead()
{
    if (m_state == State::Refused) {
        m_socket->readAll();
        return;
    }
    // Bytes QHttpServer has not read yet: exactly what arrived since the last readyRead, because our slot runs
    // first and QHttpServer reads everything available in its own.
    const QByteArray data = m_socket->peek(m_socket->bytesAvailable());
    qsizetype i = 0;
    while (i < data.size() && m_state != State::Refused) {
        switch (m_state) {
        case State::Idle:
            m_state = State::Headers;
            m_head.clear();
            startTimer(m_limits.headerTimeoutMs);
            [[fallthrough]];
        case State::Headers: {
            if (m_head.isEmpty()) {
                // Blank lines between requests are allowed (RFC 9112 2.2) and do not start one.
                while (i < data.size() && (data.at(i) == '\r' || data.at(i) == '\n'))
                    ++i;
                if (i == data.size())
                    break;
            }
            const qsizetype before = m_head.size();
            const qsizetype room = m_limits.maxHeaderBytes + 4 - before;
            m_head.append(data.constData() + i, std::min<qsizetype>(room, data.size() - i));
            const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
            if (end < 0 || end + 4 > m_limits.maxHeaderBytes) {
                if (end >= 0 || m_head.size() > m_limits.maxHeaderBytes) {
                    refuse(431, QStringLiteral("headers_too_large"),
                           QStringLiteral("the request headers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
                    break;
                }
                i = data.size();
                break;
            }
            i += end + 4 - before;
            m_head.truncate(end + 4);
            if (!acceptHeaders(m_head))
                break;
            if (m_bodyLeft > 0) {
                m_state = State::Body;
                startTimer(m_limits.idleTimeoutMs);
            } else {
                m_state = State::Idle;
                startTimer(m_limits.idleTimeoutMs);
            }
            break;
        }
        case State::Body: {
            const qint64 take = std::min<qint64>(m_bodyLeft, data.size() - i);
            m_bodyLeft -= take;
            i += take;
            startTimer(m_limits.idleTimeoutMs); // progress: the body may take as long as it keeps coming
            if (m_bodyLeft == 0)
                m_state = State::Idle;
            break;
        }
        case State::Refused:
            break;
        }
    }
}

bool ConnectionGuard::acceptHeaders(const QByteArray &head)
{
    const QList<QByteArray> lines = head.left(head.size() - 4).split('\n');
    qint64 length = -1;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArray line = lines.at(n).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "transfer-encoding") {
            refuse(411, QStringLiteral("length_required"),
                   QStringLiteral("send the body with a Content-Length, not Transfer-Encoding"));
            return false;
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 value64 = value.toLongLong(&ok);
            const bool digits = !value.isEmpty() &&
                                std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!ok || !digits || (length >= 0 && length != value64)) {
                refuse(400, QStringLiteral("bad_content_length"), QStringLiteral("the Content-Length is not valid"));
                return false;
            }
            length = value64;
        }
    }
    if (length > m_limits.maxBodyBytes) {
        refuse(413, QStringLiteral("body_too_large"),
               QStringLiteral("the request body has %1 bytes; the limit is %2").arg(length).arg(m_limits.maxBodyBytes));
        return false;
    }
    m_bodyLeft = std::max<qint64>(0, length);
    return true;
}

void ConnectionGuard::closeSocket(bool abort)
{
    // Qt HttpServer drops every connection of a socket it gives up on; make sure a closed socket is freed.
    connect(m_socket, &QAbstractSocket::disconnected, m_socket, &QObject::deleteLater, Qt::UniqueConnection);
    if (abort)
        m_socket->abort();
    else
        m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        m_socket->deleteLater();
}

void ConnectionGuard::onTimeout()
{
    switch (m_state) {
    case State::Headers:
        if (m_head.isEmpty() && m_socket->bytesAvailable() == 0) {
            closeSocket(false); // nothing was asked: nothing to answer
            return;
        }
        refuse(408, QStringLiteral("header_timeout"),
               QStringLiteral("the request headers did not arrive within %1 ms").arg(m_limits.headerTimeoutMs));
        return;
    case State::Body:
        refuse(408, QStringLiteral("body_timeout"),
               QStringLiteral("the request body stalled for %1 ms").arg(m_limits.idleTimeoutMs));
        return;
    case State::Idle:
        closeSocket(false);
        return;
    case State::Refused:
        closeSocket(true);
        return;
    }
}

void ConnectionGuard::refuse(int status, const QString &code, const QString &message)
{
    m_state = State::Refused;
    // Take the connection away from QHttpServer: its readyRead slot is disconnected before it sees this chunk,
    // and whatever it had read of the request is dropped unparsed.
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->readAll();
    m_socket->write(errorResponse(status, code, message));
    m_socket->flush();
    startTimer(kLingerMs);
}

} // namespace ecotone::server
