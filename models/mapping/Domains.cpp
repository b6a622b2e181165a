#include "Domains.h"

#include <QHostAddress>
#include <QUrl>

#include <libpsl.h>

namespace ecotone::domains {

namespace {
const psl_ctx_t *pslContext()
{
    // psl_latest picks the newer of libpsl's built-in list and the distribution's file; loaded once, read-only.
    static const psl_ctx_t *ctx = [] {
        const psl_ctx_t *latest = psl_latest(nullptr);
        return latest ? latest : psl_builtin();
    }();
    return ctx;
}

QUrl parse(const QString &input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty() || trimmed.contains(QLatin1Char(' ')))
        return {};
    QUrl url = trimmed.contains(QLatin1String("://")) ? QUrl(trimmed, QUrl::TolerantMode)
                                                      : QUrl(QStringLiteral("https://") + trimmed, QUrl::TolerantMode);
    return url.isValid() ? url : QUrl();
}
bool isHostChar(char16_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// The common case, a plain ASCII web address, without building a QUrl (which dominated the cost of reading a
// million CRM rows). Returns false for anything unusual — user info, IPv6, non-ASCII, odd labels or ports —
// which then takes the QUrl path, so both paths agree on every input the fast one accepts.
bool fastHost(const QString &input, QString &host)
{
    const QStringView in = QStringView(input).trimmed();
    if (in.isEmpty() || in.contains(u' ')) {
        host.clear(); // parse() refuses these too
        return true;
    }
    qsizetype start = 0;
    const qsizetype sep = in.indexOf(u"://");
    if (sep >= 0) {
        if (sep == 0)
            return false;
        for (qsizetype i = 0; i < sep; ++i) {
            const char16_t c = in[i].unicode();
            const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'))))
                return false;
        }
        start = sep + 3;
    }
    qsizetype end = start;
    while (end < in.size() && in[end] != u'/' && in[end] != u'?' && in[end] != u'#')
        ++end;
    QStringView authority = in.mid(start, end - start);
    const qsizetype colon = authority.indexOf(u':');
    if (colon >= 0) {
        const QStringView port = authority.mid(colon + 1);
        if (port.isEmpty() || port.size() > 5)
            return false;
        for (QChar c : port)
            if (!c.isDigit() || c.unicode() > 127)
                return false;
        if (port.toInt() > 65535)
            return false;
        authority = authority.left(colon);
    }
    if (authority.endsWith(u'.'))
        authority.chop(1); // one trailing dot is the DNS root; more is an empty label, which QUrl refuses
    if (authority.isEmpty() || authority.startsWith(u'.') || authority.endsWith(u'.') || authority.contains(u".."))
        return false;
    bool letter = false;
    for (QChar c : authority) {
        if (!isHostChar(c.unicode()))
            return false;
        letter |= c.isLetter();
    }
    if (!letter)
        return false; // IPv4 and other numeric forms: QUrl knows their rules
    if (authority.contains(u"xn--", Qt::CaseInsensitive))
        return false; // punycode: QUrl shows it decoded
    for (QStringView label : authority.split(u'.'))
        if (label.startsWith(u'-') || label.endsWith(u'-'))
            return false;
    host = authority.toString().toLower();
    return true;
}
} // namespace

QString hostOf(const QString &input)
{
    QString host;
    if (fastHost(input, host))
        return host;
    const QUrl url = parse(input);
    host = url.host(QUrl::FullyDecoded).toLower();
    while (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    return host;
}

QString normalizeWebsite(const QString &input)
{
    const QUrl url = parse(input);
    const QString host = hostOf(input);
    if (host.isEmpty() || (!host.contains(QLatin1Char('.')) && QHostAddress(host).isNull()))
        return {};
    QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        scheme = QStringLiteral("https");
    QString out = scheme + QStringLiteral("://") + host;
    const int port = url.port();
    if (port > 0 &&
        !((scheme == QLatin1String("https") && port == 443) || (scheme == QLatin1String("http") && port == 80)))
        out += QLatin1Char(':') + QString::number(port);
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return out + path;
}

QString registrableDomain(const QString &input)
{
    QString host;
    const bool plain = fastHost(input, host); // a plain host has letters: never an IP address
    if (!plain)
        host = hostOf(input);
    if (host.isEmpty() || (!plain && !QHostAddress(host).isNull()))
        return {};
    const QByteArray utf8 = host.toUtf8();
    const char *reg = psl_registrable_domain(pslContext(), utf8.constData());
    return reg ? QString::fromUtf8(reg) : QString();
}

} // namespace ecotone::domains
