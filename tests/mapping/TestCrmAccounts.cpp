// Reading CRM account exports: column detection per CRM, statuses, domains, bad rows with file:line: column.
#include "TestSupport.h"

#include "mapping/CrmAccounts.h"

#include <QFile>
#include <QTest>

using namespace ecotone;

class TestCrmAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void idColumnOverride();
    void compact();
    void badRows();
    void errors_data();
    void errors();
    void status_data();
    void status();

private:
    QString write(const QString &name, const QByteArray &bytes);
    test::TempDir m_dir;
};

QString TestCrmAccounts::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.file(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(bytes);
    return path;
}

void TestCrmAccounts::formats_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::newRow("salesforce api") << QByteArray("Id,Name,Website,BillingCountry,Type\r\n"
                                                  "001A,\"Acme, Inc.\",https://www.acme.com/about,USA,Customer - "
                                                  "Direct\r\n"
                                                  "001B,Globex GmbH,,Germany,Prospect\r\n");
    QTest::newRow("salesforce ui") << QByteArray("Account ID;Account Name;Website;Billing Country;Type\n"
                                                 "001A;\"Acme, Inc.\";WWW.ACME.COM;USA;Customer\n"
                                                 "001B;Globex GmbH;;Germany;Prospect\n");
    QTest::newRow("hubspot") << QByteArray("\xEF\xBB\xBFRecord ID,Company name,Company Domain Name,Website URL,"
                                           "Country/Region,Lifecycle Stage\n"
                                           "001A,\"Acme, Inc.\",shop.acme.com,,United States,customer\n"
                                           "001B,Globex GmbH,,,Deutschland,lead\n");
}

void TestCrmAccounts::formats()
{
    QFETCH(QByteArray, csv);
    const QString path = write(QStringLiteral("f.csv"), csv);
    auto r = crmaccounts::read(path);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->problems, QStringList());
    QCOMPARE(r->accounts.size(), 2);
    const CrmAccount &a = r->accounts.at(0);
    QCOMPARE(a.crmId, QStringLiteral("001A"));
    QCOMPARE(a.name, QStringLiteral("Acme, Inc."));
    QCOMPARE(a.normalizedName, QStringLiteral("acme"));
    QCOMPARE(a.registrableDomain, QStringLiteral("acme.com"));
    QCOMPARE(a.countryKey, QStringLiteral("us"));
    QCOMPARE(a.status, QStringLiteral("customer"));
    QCOMPARE(a.sourceLine, 2);
    const CrmAccount &b = r->accounts.at(1);
    QCOMPARE(b.crmId, QStringLiteral("001B"));
    QCOMPARE(b.normalizedName, QStringLiteral("globex"));
    QCOMPARE(b.registrableDomain, QString());
    QCOMPARE(b.countryKey, QStringLiteral("de"));
    QCOMPARE(b.status, QStringLiteral("prospect"));
    QCOMPARE(b.sourceLine, 3);
}

void TestCrmAccounts::idColumnOverride()
{
    const QString path = write(QStringLiteral("custom.csv"), "External Key,Id,Name,Website\nK1,001,Acme,acme.com\n");
    CrmReadOptions options;
    options.idColumn = QStringLiteral("external key");
    auto r = crmaccounts::read(path, options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->accounts.size(), 1);
    QCOMPARE(r->accounts.first().crmId, QStringLiteral("K1"));
    options.idColumn = QStringLiteral("Nope");
    auto missing = crmaccounts::read(path, options);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().contains(QLatin1String("Nope")));
}

void TestCrmAccounts::compact()
{
    const QString path = write(QStringLiteral("compact.csv"), "Id,Name,Website,BillingCountry,Type\n"
                                                              "1,Acme Inc,www.acme.com,USA,Customer\n");
    CrmReadOptions options;
    options.compact = true;
    auto r = crmaccounts::read(path, options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const CrmAccount &a = r->accounts.first();
    QCOMPARE(a.crmId, QStringLiteral("1"));
    QCOMPARE(a.normalizedName, QStringLiteral("acme"));
    QCOMPARE(a.registrableDomain, QStringLiteral("acme.com"));
    QCOMPARE(a.countryKey, QStringLiteral("us"));
    QCOMPARE(a.status, QStringLiteral("customer"));
    QVERIFY(a.name.isEmpty() && a.website.isEmpty() && a.country.isEmpty());
}

void TestCrmAccounts::badRows()
{
    const QString path = write(QStringLiteral("bad.csv"), "Id,Name,Website,BillingCountry\n"
                                                          "1,Acme,acme.com,US\n"
                                                          "2,,,US\n"
                                                          ",Nameless Id,x.com,US\n"
                                                          "4,Short\n"
                                                          "\n"
                                                          "5,Initech,,US\n");
    auto r = crmaccounts::read(path);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->accounts.size(), 2);
    QCOMPARE(r->accounts.at(1).crmId, QStringLiteral("5"));
    QCOMPARE(r->accounts.at(1).sourceLine, 7);
    QCOMPARE(r->problems.size(), 3);
    QVERIFY2(r->problems.at(0).startsWith(QLatin1String("bad.csv:3: Name: ")), qPrintable(r->problems.at(0)));
    QVERIFY2(r->problems.at(1).startsWith(QLatin1String("bad.csv:4: Id: ")), qPrintable(r->problems.at(1)));
    QVERIFY2(r->problems.at(2).startsWith(QLatin1String("bad.csv:5: ")), qPrintable(r->problems.at(2)));
}

void TestCrmAccounts::errors_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("no id") << QByteArray("Name,Website\nAcme,acme.com\n") << QStringLiteral("--id-column");
    QTest::newRow("no name or website") << QByteArray("Id,Foo\n1,2\n") << QStringLiteral("no name column");
}

void TestCrmAccounts::errors()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, fragment);
    auto r = crmaccounts::read(write(QStringLiteral("e.csv"), csv));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(fragment), qPrintable(r.error()));
    QVERIFY(!crmaccounts::read(m_dir.file(QStringLiteral("does-not-exist.csv"))).ok());
}

void TestCrmAccounts::status_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("status");
    QTest::newRow("sf customer direct") << QStringLiteral("Customer - Direct") << QStringLiteral("customer");
    QTest::newRow("sf customer channel") << QStringLiteral("Customer - Channel") << QStringLiteral("customer");
    QTest::newRow("sf prospect") << QStringLiteral("Prospect") << QStringLiteral("prospect");
    QTest::newRow("hs opportunity") << QStringLiteral("opportunity") << QStringLiteral("opportunity");
    QTest::newRow("hs sql") << QStringLiteral("salesqualifiedlead") << QStringLiteral("prospect");
    QTest::newRow("partner") << QStringLiteral("Technology Partner") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestCrmAccounts::status()
{
    QFETCH(QString, type);
    QFETCH(QString, status);
    QCOMPARE(crmaccounts::statusFromType(type), status);
}

QTEST_GUILESS_MAIN(TestCrmAccounts)
#include "TestCrmAccounts.moc"
