// Links from data (a synced website, a listing's description) open only for http and https.
#include "common/Links.h"

#include <QApplication>
#include <QDesktopServices>
#include <QLabel>
#include <QTest>
#include <QUrl>

using namespace ecotone::ui;

// Stands in for the browser: QDesktopServices hands it the URLs of the schemes it is registered for.
class Opened : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> urls;

public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

class TestLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void webLinksOnly();
    void htmlEscapesAndDropsOtherSchemes();
    void clickedLinksAreCheckedAgain();
};

void TestLinks::webLinksOnly()
{
    for (const char *good :
         {"https://example.com", "http://partner.example/path?q=1", "HTTPS://EXAMPLE.COM/", " https://example.com "})
        QVERIFY2(links::isWebLink(QString::fromLatin1(good)), good);
    for (const char *bad : {"file:///usr/bin/xcalc", "javascript:alert(1)", "ftp://example.com", "https:///nohost",
                            "https://user:secret@example.com", "www.example.com", "", "smb://host/share",
                            "data:text/html,<b>x</b>", "listing:abc"})
        QVERIFY2(!links::isWebLink(QString::fromLatin1(bad)), bad);
}

void TestLinks::htmlEscapesAndDropsOtherSchemes()
{
    QCOMPARE(links::html(QStringLiteral("file:///usr/bin/xcalc"), QStringLiteral("file:///usr/bin/xcalc")),
             QStringLiteral("file:///usr/bin/xcalc"));
    const QString hostile = QStringLiteral("<img src=/dev/zero>");
    QVERIFY(!links::html(QStringLiteral("javascript:x"), hostile).contains(QLatin1Char('<')));
    // A raw quote is no valid URL: shown as text. Ampersands are escaped inside the attribute.
    QVERIFY(!links::html(QStringLiteral("https://example.com/a\"b"), hostile).contains(QLatin1String("<a")));
    const QString link = links::html(QStringLiteral("https://example.com/?a=1&b=2"), hostile);
    QVERIFY2(link.startsWith(QLatin1String("<a href=\"https://example.com/?a=1&amp;b=2\">")), qPrintable(link));
    QVERIFY2(link.contains(QLatin1String("&lt;img src=/dev/zero&gt;")), qPrintable(link));
}

void TestLinks::clickedLinksAreCheckedAgain()
{
    Opened opened;
    for (const char *scheme : {"https", "http", "file", "javascript"})
        QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), &opened, "open");
    QLabel label;
    label.setTextFormat(Qt::RichText);
    label.setOpenExternalLinks(true);
    links::openWebLinksOnly(&label);
    QVERIFY(!label.openExternalLinks());
    Q_EMIT label.linkActivated(QStringLiteral("file:///usr/bin/xcalc"));
    Q_EMIT label.linkActivated(QStringLiteral("javascript:alert(1)"));
    QVERIFY(opened.urls.isEmpty());
    Q_EMIT label.linkActivated(QStringLiteral("https://example.com/x"));
    QCOMPARE(opened.urls, QList<QUrl>{QUrl(QStringLiteral("https://example.com/x"))});
    for (const char *scheme : {"https", "http", "file", "javascript"})
        QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
}

QTEST_MAIN(TestLinks)
#include "TestLinks.moc"
