#include "GuardedTcpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <cstring>

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
    // Bytes written are (part of) an answer: the client may send its next request.
    connect(socket, &QIODevice::bytesWritten, this, [this] { m_sinceResponse = 0; });
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
    // Whatever the framing says, one request's worth is all a connection may send before it gets an answer: a
    // disagreement with the HTTP layer about where a request ends can never make it buffer more than that.
    m_sinceResponse += data.size();
    if (m_sinceResponse > m_limits.maxHeaderBytes + m_limits.maxBodyBytes + 4) {
        refuse(413, QStringLiteral("too_much_unanswered"),
               QStringLiteral("the connection sent more than %1 bytes without waiting for an answer")
                   .arg(m_limits.maxHeaderBytes + m_limits.maxBodyBytes + 4));
        return;
    }
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

namespace {

// RFC 9110 5.6.2: the bytes a field name may have.
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// Control bytes a field value may not carry (HTAB is allowed).
bool isBadValueChar(char c)
{
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

} // namespace

bool ConnectionGuard::acceptHeaders(const QByteArray &head)
{
    // Refuse every shape RFC 9112 lets a server refuse, so the guard and Qt HttpServer's parser can never frame
    // a request differently: line ends other than CRLF (a bare CR or LF), obs-fold continuation lines,
    // whitespace before the colon and non-token bytes in field names.
    const QByteArray block = head.left(head.size() - 4);
    const auto badHeader = [this](const QString &why) {
        refuse(400, QStringLiteral("bad_header"), why);
        return false;
    };
    for (qsizetype k = 0; k < block.size(); ++k) {
        const char c = block.at(k);
        if (c == '\r' && (k + 1 == block.size() || block.at(k + 1) != '\n'))
            return badHeader(QStringLiteral("a bare CR in the request headers"));
        if (c == '\n' && (k == 0 || block.at(k - 1) != '\r'))
            return badHeader(QStringLiteral("a line of the request headers ends without CRLF"));
    }
    const QList<QByteArray> lines = block.split('\n');
    if (lines.constFirst().isEmpty() || lines.constFirst().at(0) == ' ' || lines.constFirst().at(0) == '\t')
        return badHeader(QStringLiteral("the request line starts with whitespace"));
    qint64 length = -1;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        QByteArray line = lines.at(n);
        if (line.endsWith('\r'))
            line.chop(1); // every line but the last ends with the CR checked above
        if (line.startsWith(' ') || line.startsWith('\t'))
            return badHeader(
                QStringLiteral("header line %1 is folded (obs-fold), which this server refuses").arg(n + 1));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !std::all_of(line.begin(), line.begin() + colon, isTokenChar))
            return badHeader(QStringLiteral("header line %1 has no valid field name before its colon").arg(n + 1));
        const QByteArray value = line.mid(colon + 1);
        if (std::any_of(value.begin(), value.end(), isBadValueChar))
            return badHeader(QStringLiteral("header line %1 has a control byte in its value").arg(n + 1));
        const QByteArray name = line.left(colon).toLower();
        const QByteArray trimmed = value.trimmed();
        if (name == "transfer-encoding") {
            refuse(411, QStringLiteral("length_required"),
                   QStringLiteral("send the body with a Content-Length, not Transfer-Encoding"));
            return false;
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 value64 = trimmed.toLongLong(&ok);
            const bool digits = !trimmed.isEmpty() && std::all_of(trimmed.begin(), trimmed.end(),
                                                                  [](char c) { return c >= '0' && c <= '9'; });
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
