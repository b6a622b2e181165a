#include "mapping/Domains.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using namespace ecotone;

namespace {
const char *kPslTestFile = "/usr/share/doc/publicsuffix/examples/test_psl.txt";
}

class TestDomains : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizeWebsite_data();
    void normalizeWebsite();
    void normalizeIsIdempotent_data();
    void normalizeIsIdempotent();
    void hostOf_data();
    void hostOf();
    void registrableDomain_data();
    void registrableDomain();
    void publicSuffixTestVectors_data();
    void publicSuffixTestVectors();
    void hostMatchesQUrlOnManyForms();
};

void TestDomains::normalizeWebsite_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString example = QStringLiteral("https://example.com");
    QTest::newRow("bare domain") << QStringLiteral("example.com") << example;
    QTest::newRow("https") << QStringLiteral("https://example.com") << example;
    QTest::newRow("http is kept") << QStringLiteral("http://example.com") << QStringLiteral("http://example.com");
    QTest::newRow("www kept") << QStringLiteral("www.example.com") << QStringLiteral("https://www.example.com");
    QTest::newRow("subdomain") << QStringLiteral("https://shop.eu.example.com")
                               << QStringLiteral("https://shop.eu.example.com");
    QTest::newRow("trailing slash") << QStringLiteral("https://example.com/") << example;
    QTest::newRow("path") << QStringLiteral("example.com/en/products/")
                          << QStringLiteral("https://example.com/en/products");
    QTest::newRow("query and fragment") << QStringLiteral("https://example.com/?utm_source=x#top") << example;
    QTest::newRow("path with query") << QStringLiteral("https://example.com/a/b?x=1")
                                     << QStringLiteral("https://example.com/a/b");
    QTest::newRow("default https port") << QStringLiteral("https://example.com:443/") << example;
    QTest::newRow("default http port") << QStringLiteral("http://example.com:80")
                                       << QStringLiteral("http://example.com");
    QTest::newRow("other port") << QStringLiteral("example.com:8443") << QStringLiteral("https://example.com:8443");
    QTest::newRow("https on 80 keeps port")
        << QStringLiteral("https://example.com:80") << QStringLiteral("https://example.com:80");
    QTest::newRow("upper case host") << QStringLiteral("WWW.EXAMPLE.COM") << QStringLiteral("https://www.example.com");
    QTest::newRow("upper case scheme") << QStringLiteral("HTTPS://Example.Com/About")
                                       << QStringLiteral("https://example.com/About");
    QTest::newRow("trailing dot") << QStringLiteral("example.com.") << example;
    QTest::newRow("trailing dot, path") << QStringLiteral("https://www.example.com./x")
                                        << QStringLiteral("https://www.example.com/x");
    QTest::newRow("surrounding blanks") << QStringLiteral("  example.com \t") << example;
    QTest::newRow("user info dropped") << QStringLiteral("https://user:pw@example.com") << example;
    QTest::newRow("other scheme becomes https") << QStringLiteral("ftp://example.com") << example;
    QTest::newRow("co.uk") << QStringLiteral("www.shop.example.co.uk")
                           << QStringLiteral("https://www.shop.example.co.uk");
    QTest::newRow("IPv4") << QStringLiteral("http://192.168.1.10:8080/crm")
                          << QStringLiteral("http://192.168.1.10:8080/crm");
    QTest::newRow("bare IPv4") << QStringLiteral("10.0.0.1") << QStringLiteral("https://10.0.0.1");
    QTest::newRow("IDN") << QStringLiteral("https://www.bücher.de") << QStringLiteral("https://www.bücher.de");
    QTest::newRow("IDN upper case") << QStringLiteral("BÜCHER.de") << QStringLiteral("https://bücher.de");
    QTest::newRow("punycode shown as Unicode")
        << QStringLiteral("www.xn--bcher-kva.de") << QStringLiteral("https://www.bücher.de");
    QTest::newRow("encoded path stays encoded")
        << QStringLiteral("example.com/caf%C3%A9") << QStringLiteral("https://example.com/caf%C3%A9");

    // Nothing usable: empty.
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << QStringLiteral("   ") << QString();
    QTest::newRow("not a url") << QStringLiteral("not a url") << QString();
    QTest::newRow("scheme only") << QStringLiteral("http://") << QString();
    QTest::newRow("single label") << QStringLiteral("localhost") << QString();
    QTest::newRow("mailto-like") << QStringLiteral("@") << QString();
    QTest::newRow("spaces inside host") << QStringLiteral("exa mple.com") << QString();
}

void TestDomains::normalizeWebsite()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(domains::normalizeWebsite(input), expected);
}

void TestDomains::normalizeIsIdempotent_data()
{
    normalizeWebsite_data();
}

void TestDomains::normalizeIsIdempotent()
{
    QFETCH(QString, input);
    const QString once = domains::normalizeWebsite(input);
    QCOMPARE(domains::normalizeWebsite(once), once);
}

void TestDomains::hostOf_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bare") << QStringLiteral("Example.COM") << QStringLiteral("example.com");
    QTest::newRow("url with port and path")
        << QStringLiteral("http://Shop.Example.com:8080/a?b") << QStringLiteral("shop.example.com");
    QTest::newRow("trailing dot") << QStringLiteral("Example.com.") << QStringLiteral("example.com");
    QTest::newRow("IPv4") << QStringLiteral("https://127.0.0.1/") << QStringLiteral("127.0.0.1");
    QTest::newRow("intranet host") << QStringLiteral("http://crm/") << QStringLiteral("crm");
    QTest::newRow("IDN") << QStringLiteral("https://www.Bücher.de/") << QStringLiteral("www.bücher.de");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("garbage") << QStringLiteral("not a url") << QString();
}

void TestDomains::hostOf()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(domains::hostOf(input), expected);
}

void TestDomains::registrableDomain_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString example = QStringLiteral("example.com");
    QTest::newRow("bare") << QStringLiteral("example.com") << example;
    QTest::newRow("scheme") << QStringLiteral("https://example.com") << example;
    QTest::newRow("www") << QStringLiteral("www.example.com") << example;
    QTest::newRow("deep subdomain") << QStringLiteral("a.b.c.example.com") << example;
    QTest::newRow("path, port, query") << QStringLiteral("http://shop.example.com:8080/en/?q=1#x") << example;
    QTest::newRow("upper case") << QStringLiteral("HTTPS://WWW.EXAMPLE.COM/") << example;
    QTest::newRow("trailing dot") << QStringLiteral("www.example.com.") << example;
    QTest::newRow("co.uk") << QStringLiteral("https://shop.example.co.uk") << QStringLiteral("example.co.uk");
    QTest::newRow("co.uk bare") << QStringLiteral("example.co.uk") << QStringLiteral("example.co.uk");
    QTest::newRow("com.au") << QStringLiteral("www.example.com.au") << QStringLiteral("example.com.au");
    QTest::newRow("co.jp") << QStringLiteral("http://www.example.co.jp/ja/") << QStringLiteral("example.co.jp");
    QTest::newRow("com.br") << QStringLiteral("loja.exemplo.com.br") << QStringLiteral("exemplo.com.br");
    QTest::newRow("private suffix") << QStringLiteral("myapp.github.io") << QStringLiteral("myapp.github.io");
    QTest::newRow("IDN") << QStringLiteral("https://www.bücher.de") << QStringLiteral("bücher.de");
    QTest::newRow("IDN punycode") << QStringLiteral("www.xn--bcher-kva.de") << QStringLiteral("bücher.de");
    QTest::newRow("IDN suffix") << QStringLiteral("www.example.xn--p1ai") << QStringLiteral("example.рф");

    // No registrable domain.
    QTest::newRow("IPv4") << QStringLiteral("http://192.168.1.10/") << QString();
    QTest::newRow("bare IPv4") << QStringLiteral("8.8.8.8") << QString();
    QTest::newRow("IPv6") << QStringLiteral("http://[2001:db8::1]:8080/") << QString();
    QTest::newRow("public suffix itself") << QStringLiteral("co.uk") << QString();
    QTest::newRow("TLD") << QStringLiteral("com") << QString();
    QTest::newRow("not a url") << QStringLiteral("not a url") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("scheme only") << QStringLiteral("http://") << QString();
}

void TestDomains::registrableDomain()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(domains::registrableDomain(input), expected);
}

void TestDomains::publicSuffixTestVectors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QFile file(QString::fromLatin1(kPslTestFile));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        QTest::newRow("no test file") << QString() << QStringLiteral("<missing>");
        return;
    }
    // checkPublicSuffix('input', 'expected'); or null for either.
    static const QRegularExpression line(
        QStringLiteral(R"(^checkPublicSuffix\((null|'([^']*)'),\s*(null|'([^']*)')\);)"));
    int n = 0;
    while (!file.atEnd()) {
        const QString text = QString::fromUtf8(file.readLine()).trimmed();
        const QRegularExpressionMatch m = line.match(text);
        if (!m.hasMatch())
            continue;
        const QString input = m.captured(2);
        QTest::addRow("%d: %s", ++n, qPrintable(input)) << input << m.captured(4);
    }
}

void TestDomains::publicSuffixTestVectors()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    // publicsuffix is a build dependency (packaging/debian/build-deps.txt): its absence is a broken setup.
    if (expected == QLatin1String("<missing>"))
        QFAIL("/usr/share/doc/publicsuffix/examples/test_psl.txt is not installed (Debian package publicsuffix)");
    const QString actual = domains::registrableDomain(input);
    // Punycode input may come back in Unicode (QUrl shows whitelisted IDNs decoded): compare the ACE forms.
    QCOMPARE(QString::fromLatin1(QUrl::toAce(actual)), QString::fromLatin1(QUrl::toAce(expected)));
}

// hostOf() reads plain ASCII addresses without QUrl for speed; on every form below it must give what QUrl
// gives (the rule the slow path implements), so the shortcut can never change a match.
void TestDomains::hostMatchesQUrlOnManyForms()
{
    const QStringList schemes = {QString(),
                                 QStringLiteral("http://"),
                                 QStringLiteral("https://"),
                                 QStringLiteral("HTTPS://"),
                                 QStringLiteral("ftp://"),
                                 QStringLiteral("h2-x.y+z://")};
    const QStringList hosts = {QStringLiteral("example.com"),
                               QStringLiteral("WWW.Example.CO.UK"),
                               QStringLiteral("shop.example.de."),
                               QStringLiteral("a-b.example.com.au"),
                               QStringLiteral("-bad.example.com"),
                               QStringLiteral("bad-.example.com"),
                               QStringLiteral("x..y.com"),
                               QStringLiteral("localhost"),
                               QStringLiteral("192.168.0.1"),
                               QStringLiteral("1.2.3"),
                               QStringLiteral("xn--bcher-kva.de"),
                               QStringLiteral("user@example.org"),
                               QStringLiteral("under_score.com"),
                               QStringLiteral("bücher.de"),
                               QStringLiteral("[::1]"),
                               QStringLiteral(".lead.com"),
                               QStringLiteral("example.com.."),
                               QStringLiteral("EXAMPLE.com")};
    const QStringList ports = {QString(),
                               QStringLiteral(":80"),
                               QStringLiteral(":8080"),
                               QStringLiteral(":65535"),
                               QStringLiteral(":65536"),
                               QStringLiteral(":"),
                               QStringLiteral(":x1")};
    const QStringList tails = {QString(),
                               QStringLiteral("/"),
                               QStringLiteral("/en/about?x=1#top"),
                               QStringLiteral("?q"),
                               QStringLiteral("#frag"),
                               QStringLiteral("/a b")};
    int checked = 0;
    for (const QString &scheme : schemes)
        for (const QString &host : hosts)
            for (const QString &port : ports)
                for (const QString &tail : tails) {
                    const QString plain = scheme + host + port + tail;
                    for (const QString &input : QStringList{plain, QStringLiteral("  ") + plain}) {
                        const QString trimmed = input.trimmed();
                        QString expected;
                        if (!trimmed.isEmpty() && !trimmed.contains(QLatin1Char(' '))) {
                            const QUrl url = trimmed.contains(QLatin1String("://"))
                                                 ? QUrl(trimmed, QUrl::TolerantMode)
                                                 : QUrl(QStringLiteral("https://") + trimmed, QUrl::TolerantMode);
                            if (url.isValid()) {
                                expected = url.host(QUrl::FullyDecoded).toLower();
                                while (expected.endsWith(QLatin1Char('.')))
                                    expected.chop(1);
                            }
                        }
                        const QString actual = domains::hostOf(input);
                        QVERIFY2(actual == expected,
                                 qPrintable(
                                     QStringLiteral("%1: got \"%2\", QUrl gives \"%3\"").arg(input, actual, expected)));
                        ++checked;
                    }
                }
    QVERIFY(checked > 4000);
}

QTEST_GUILESS_MAIN(TestDomains)
#include "TestDomains.moc"
