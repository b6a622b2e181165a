#include "common/Links.h"

#include <QDesktopServices>
#include <QLabel>
#include <QUrl>

namespace ecotone::ui::links {

bool isWebLink(const QString &url)
{
    const QUrl u(url.trimmed(), QUrl::StrictMode);
    return u.isValid() && (u.scheme() == QLatin1String("http") || u.scheme() == QLatin1String("https")) &&
           !u.host().isEmpty() && u.userInfo().isEmpty();
}

QString html(const QString &url, const QString &text)
{
    if (!isWebLink(url))
        return text.toHtmlEscaped();
    return QStringLiteral("<a href=\"%1\">%2</a>")
        .arg(QUrl(url.trimmed()).toString(QUrl::FullyEncoded).toHtmlEscaped(), text.toHtmlEscaped());
}

void openWebLinksOnly(QLabel *label)
{
    label->setOpenExternalLinks(false);
    QObject::connect(label, &QLabel::linkActivated, label, [](const QString &link) {
        if (isWebLink(link))
            QDesktopServices::openUrl(QUrl(link.trimmed()));
    });
}

} // namespace ecotone::ui::links
