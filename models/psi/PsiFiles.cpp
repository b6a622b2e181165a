#include "PsiFiles.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QtEndian>

#include <cstring>

namespace ecotone::psi {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::PsiFiles)
};

enum class Kind
{
    Request,
    Response,
    State
};

constexpr qsizetype kMagicBytes = 8;
// Upper bound on element and record counts; keeps a corrupt count from allocating gigabytes.
constexpr quint32 kMaxCount = 1u << 26;

QByteArray magic(Kind kind)
{
    switch (kind) {
    case Kind::Request:
        return QByteArrayLiteral("EcoPSIq\n");
    case Kind::Response:
        return QByteArrayLiteral("EcoPSIr\n");
    case Kind::State:
        break;
    }
    return QByteArrayLiteral("EcoPSIs\n");
}

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Request:
        return Tr::tr("PSI request");
    case Kind::Response:
        return Tr::tr("PSI response");
    case Kind::State:
        break;
    }
    return Tr::tr("PSI request state");
}

class Writer
{
public:
    void u8(quint8 v) { m_bytes.append(char(v)); }
    void u32(quint32 v)
    {
        char b[4];
        qToBigEndian(v, b);
        m_bytes.append(b, 4);
    }
    void raw(const QByteArray &b) { m_bytes.append(b); }
    void string(const QString &s)
    {
        const QByteArray utf8 = s.toUtf8();
        u32(quint32(utf8.size()));
        m_bytes.append(utf8);
    }
    void points(const std::vector<Point> &points)
    {
        u32(quint32(points.size()));
        for (const Point &p : points)
            m_bytes.append(reinterpret_cast<const char *>(p.data()), qsizetype(p.size()));
    }
    void header(Kind kind, quint32 version, const QByteArray &exchangeId, Mode mode)
    {
        raw(magic(kind));
        u32(version);
        raw(exchangeId);
        u8(quint8(mode));
    }
    QByteArray bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

// Reads fields in order; the first problem is kept as the error (later reads return zeros).
class Reader
{
public:
    Reader(const QByteArray &bytes, QString fileName, Kind kind)
        : m_bytes(bytes)
        , m_file(std::move(fileName))
        , m_kind(kind)
    {}

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    void fail(const QString &what)
    {
        if (m_error.isEmpty())
            m_error = Tr::tr("\"%1\" is not a usable %2 file: %3").arg(m_file, kindName(m_kind), what);
    }

    bool need(qint64 n, const char *field)
    {
        if (failed())
            return false;
        if (qint64(m_bytes.size()) - m_pos < n) {
            fail(Tr::tr("it is truncated (ends inside the %1 at byte %2).")
                     .arg(QString::fromLatin1(field))
                     .arg(m_bytes.size()));
            return false;
        }
        return true;
    }
    QByteArray raw(qsizetype n, const char *field)
    {
        if (!need(n, field))
            return QByteArray(n, '\0');
        const QByteArray out = m_bytes.mid(m_pos, n);
        m_pos += n;
        return out;
    }
    quint8 u8(const char *field)
    {
        if (!need(1, field))
            return 0;
        return quint8(m_bytes.at(m_pos++));
    }
    quint32 u32(const char *field)
    {
        if (!need(4, field))
            return 0;
        const quint32 v = qFromBigEndian<quint32>(m_bytes.constData() + m_pos);
        m_pos += 4;
        return v;
    }
    quint32 count(const char *field, qint64 minBytesEach)
    {
        const quint32 n = u32(field);
        if (failed())
            return 0;
        if (n > kMaxCount) {
            fail(Tr::tr("the %1 count %2 is larger than any exchange this version handles.")
                     .arg(QString::fromLatin1(field))
                     .arg(n));
            return 0;
        }
        if (!need(qint64(n) * minBytesEach, field))
            return 0;
        return n;
    }
    QString string(const char *field)
    {
        const quint32 n = u32(field);
        if (!need(n, field))
            return {};
        const QString s = QString::fromUtf8(m_bytes.constData() + m_pos, qsizetype(n));
        m_pos += n;
        return s;
    }
    std::vector<Point> points(const char *field)
    {
        const quint32 n = count(field, kPointBytes);
        std::vector<Point> out(n);
        for (quint32 i = 0; i < n; ++i) {
            std::memcpy(out[i].data(), m_bytes.constData() + m_pos, kPointBytes);
            m_pos += kPointBytes;
            if (!isValidPoint(out[i])) {
                fail(Tr::tr("element %1 of the %2 is not a valid group element.")
                         .arg(i + 1)
                         .arg(QString::fromLatin1(field)));
                return {};
            }
        }
        return out;
    }
    void header(quint32 &version, QByteArray &exchangeId, Mode &mode)
    {
        if (m_bytes.isEmpty()) {
            fail(Tr::tr("it is empty."));
            return;
        }
        const QByteArray m = m_bytes.left(kMagicBytes);
        if (m != magic(m_kind)) {
            for (Kind other : {Kind::Request, Kind::Response, Kind::State})
                if (m == magic(other)) {
                    fail(Tr::tr("it is a %1 file.").arg(kindName(other)));
                    return;
                }
            fail(Tr::tr("it does not start with the Ecotone PSI header."));
            return;
        }
        m_pos = kMagicBytes;
        version = u32("header");
        if (failed())
            return;
        if (version != kProtocolVersion) {
            fail(Tr::tr("it uses PSI format version %1; this version of Ecotone reads version %2.")
                     .arg(version)
                     .arg(kProtocolVersion));
            return;
        }
        exchangeId = raw(kExchangeIdBytes, "header");
        const quint8 m8 = u8("header");
        if (failed())
            return;
        if (m8 > quint8(Mode::CountOnly)) {
            fail(Tr::tr("it names an unknown mode (%1).").arg(m8));
            return;
        }
        mode = Mode(m8);
    }
    void end()
    {
        if (!failed() && m_pos != m_bytes.size())
            fail(Tr::tr("%1 unexpected bytes follow the end of the data.").arg(m_bytes.size() - m_pos));
    }

private:
    QByteArray m_bytes;
    QString m_file;
    Kind m_kind;
    qsizetype m_pos = 0;
    QString m_error;
};

Result<QByteArray> readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read \"%1\": %2").arg(path, file.errorString())};
    return file.readAll();
}

Status writeAll(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error{Tr::tr("Cannot write \"%1\": %2").arg(path, file.errorString())};
    return Status::success();
}
} // namespace

QByteArray encodeRequest(const Request &request)
{
    Writer w;
    w.header(Kind::Request, request.version, request.exchangeId, request.mode);
    w.points(request.elements);
    return w.bytes();
}

QByteArray encodeResponse(const Response &response)
{
    Writer w;
    w.header(Kind::Response, response.version, response.exchangeId, response.mode);
    w.raw(response.requestDigest);
    w.points(response.answered);
    w.points(response.elements);
    return w.bytes();
}

QByteArray encodeState(const StateFile &file)
{
    const RequestState &s = file.state;
    Writer w;
    w.header(Kind::State, s.version, s.exchangeId, s.mode);
    w.raw(s.secret.size() == kScalarBytes ? s.secret : QByteArray(kScalarBytes, '\0')); // wiped once used
    w.raw(s.requestDigest);
    w.u32(quint32(s.keys.size()));
    for (const QString &k : s.keys)
        w.string(k);
    w.u32(quint32(s.slots.size()));
    for (qint32 slot : s.slots)
        w.u32(quint32(slot));
    w.u32(quint32(file.records.size()));
    for (const AccountRecord &r : file.records) {
        w.string(r.id);
        w.string(r.name);
        w.string(r.key);
    }
    return w.bytes();
}

Result<Request> decodeRequest(const QByteArray &bytes, const QString &fileName)
{
    Reader r(bytes, fileName, Kind::Request);
    Request out;
    r.header(out.version, out.exchangeId, out.mode);
    out.elements = r.points("elements");
    r.end();
    if (!r.failed() && out.elements.empty())
        r.fail(Tr::tr("it holds no elements."));
    if (r.failed())
        return Error{r.error()};
    return out;
}

Result<Response> decodeResponse(const QByteArray &bytes, const QString &fileName)
{
    Reader r(bytes, fileName, Kind::Response);
    Response out;
    r.header(out.version, out.exchangeId, out.mode);
    out.requestDigest = r.raw(kDigestBytes, "request digest");
    out.answered = r.points("answered elements");
    out.elements = r.points("responder's elements");
    r.end();
    if (r.failed())
        return Error{r.error()};
    return out;
}

Result<StateFile> decodeState(const QByteArray &bytes, const QString &fileName)
{
    Reader r(bytes, fileName, Kind::State);
    StateFile out;
    RequestState &s = out.state;
    r.header(s.version, s.exchangeId, s.mode);
    s.secret = r.raw(kScalarBytes, "secret");
    s.requestDigest = r.raw(kDigestBytes, "request digest");
    const quint32 keys = r.count("keys", 4);
    for (quint32 i = 0; i < keys && !r.failed(); ++i)
        s.keys << r.string("keys");
    const quint32 slots = r.count("slots", 4);
    s.slots.reserve(slots);
    for (quint32 i = 0; i < slots && !r.failed(); ++i) {
        const qint32 slot = qint32(r.u32("slots"));
        if (slot < -1 || slot >= s.keys.size())
            r.fail(Tr::tr("slot %1 refers to no key.").arg(i + 1));
        s.slots.push_back(slot);
    }
    const quint32 records = r.count("records", 12);
    for (quint32 i = 0; i < records && !r.failed(); ++i) {
        AccountRecord rec;
        rec.id = r.string("records");
        rec.name = r.string("records");
        rec.key = r.string("records");
        out.records << rec;
    }
    r.end();
    if (r.failed())
        return Error{r.error()};
    return out;
}

Status writeRequest(const QString &path, const Request &request)
{
    return writeAll(path, encodeRequest(request));
}

Status writeResponse(const QString &path, const Response &response)
{
    return writeAll(path, encodeResponse(response));
}

Status writeState(const QString &path, const StateFile &state)
{
    // Created 0600 from the first byte: the secret never sits in a file others can read.
    QFile::remove(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
        return Error{Tr::tr("Cannot write \"%1\": %2").arg(path, file.errorString())};
    const QByteArray bytes = encodeState(state);
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        const QString why = file.errorString();
        file.close();
        QFile::remove(path);
        return Error{Tr::tr("Cannot write \"%1\": %2").arg(path, why)};
    }
    return Status::success();
}

Result<Request> readRequest(const QString &path)
{
    auto bytes = readAll(path);
    if (!bytes)
        return Error{bytes.error()};
    return decodeRequest(bytes.value(), path);
}

Result<Response> readResponse(const QString &path)
{
    auto bytes = readAll(path);
    if (!bytes)
        return Error{bytes.error()};
    return decodeResponse(bytes.value(), path);
}

Result<StateFile> readState(const QString &path)
{
    auto bytes = readAll(path);
    if (!bytes)
        return Error{bytes.error()};
    return decodeState(bytes.value(), path);
}

} // namespace ecotone::psi
