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
} // namespace

QString hostOf(const QString &input)
{
    const QUrl url = parse(input);
    QString host = url.host(QUrl::FullyDecoded).toLower();
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
    const QString host = hostOf(input);
    if (host.isEmpty() || !QHostAddress(host).isNull())
        return {};
    const QByteArray utf8 = host.toUtf8();
    const char *reg = psl_registrable_domain(pslContext(), utf8.constData());
    return reg ? QString::fromUtf8(reg) : QString();
}

} // namespace ecotone::domains
