// Reading CRM account exports: column detection per CRM, statuses, domains, bad rows with file:line: column.
#include "TestSupport.h"

#include "mapping/CrmAccounts.h"

#include <QFile>
#include <QTest>

using namespace ecotone;
using namespace Qt::Literals::StringLiterals;

class TestCrmAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void idColumnOverride();
    void columnsMapping();
    void columnsErrors_data();
    void columnsErrors();
    void detectColumns_data();
    void detectColumns();
    void progress();
    void progressCancels();
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

void TestCrmAccounts::columnsMapping()
{
    // Headers no detection knows, plus a "Name" column the user does not want as the name.
    const QString path = write(QStringLiteral("mapped.csv"), "Key;Name;Firm;Web;Land;Stage\n"
                                                             "K1;ignored;Acme GmbH;https://acme.de/x;DE;Customer\n"
                                                             "K2;ignored;Beta;;FR;lead\n");
    CrmReadOptions options;
    options.columns = {{QStringLiteral("id"), QStringLiteral("Key")},
                       {QStringLiteral("name"), QStringLiteral("Firm")},
                       {QStringLiteral("website"), QStringLiteral("Web")},
                       {QStringLiteral("country"), QStringLiteral("Land")},
                       {QStringLiteral("status"), QStringLiteral("Stage")}};
    auto r = crmaccounts::read(path, options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->problems, QStringList());
    QCOMPARE(r->accounts.size(), 2);
    QCOMPARE(r->accounts.at(0).crmId, QStringLiteral("K1"));
    QCOMPARE(r->accounts.at(0).name, QStringLiteral("Acme GmbH"));
    QCOMPARE(r->accounts.at(0).registrableDomain, QStringLiteral("acme.de"));
    QCOMPARE(r->accounts.at(0).country, QStringLiteral("DE"));
    QCOMPARE(r->accounts.at(0).status, QStringLiteral("customer"));
    QCOMPARE(r->accounts.at(1).status, QStringLiteral("prospect"));

    // Without the map the file has no id column; with only the id mapped, the rest is still detected.
    QVERIFY(!crmaccounts::read(path).ok());
    options.columns = {{QStringLiteral("id"), QStringLiteral("Key")}};
    r = crmaccounts::read(path, options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->accounts.at(0).name, QStringLiteral("ignored"));
    QCOMPARE(r->accounts.at(0).website, QString());
}

void TestCrmAccounts::columnsErrors_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("missing header") << QStringLiteral("name") << QStringLiteral("Company Title")
                                    << QStringLiteral("no column \"Company Title\"");
    QTest::newRow("missing id header") << QStringLiteral("id") << QStringLiteral("CRM Key")
                                       << QStringLiteral("no column \"CRM Key\"");
    QTest::newRow("unknown field") << QStringLiteral("industry") << QStringLiteral("Name")
                                   << QStringLiteral("\"industry\" is not a field");
}

void TestCrmAccounts::columnsErrors()
{
    QFETCH(QString, field);
    QFETCH(QString, header);
    QFETCH(QString, fragment);
    const QString path = write(QStringLiteral("cols.csv"), "Id,Name,Website\n1,Acme,acme.com\n");
    CrmReadOptions options;
    options.columns.insert(field, header);
    auto r = crmaccounts::read(path, options);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(fragment), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QLatin1String("cols.csv")), qPrintable(r.error()));
}

void TestCrmAccounts::detectColumns_data()
{
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("expected"); // id, name, website, country, status ("" = not found)
    QTest::newRow("salesforce api") << QStringList{u"Id"_s, u"Name"_s, u"Website"_s, u"BillingCountry"_s, u"Type"_s}
                                    << QStringLiteral("salesforce")
                                    << QStringList{u"Id"_s, u"Name"_s, u"Website"_s, u"BillingCountry"_s, u"Type"_s};
    QTest::newRow("salesforce ui") << QStringList{u" Account ID "_s, u"Account Name"_s, u"Billing Country"_s,
                                                  u"Account Type"_s}
                                   << QStringLiteral("salesforce")
                                   << QStringList{u"Account ID"_s, u"Account Name"_s, u""_s, u"Billing Country"_s,
                                                  u"Account Type"_s};
    QTest::newRow("hubspot") << QStringList{u"Record ID"_s,           u"Company name"_s,   u"Website URL"_s,
                                            u"Company Domain Name"_s, u"Country/Region"_s, u"Lifecycle Stage"_s}
                             << QStringLiteral("hubspot")
                             << QStringList{u"Record ID"_s, u"Company name"_s, u"Company Domain Name"_s,
                                            u"Country/Region"_s, u"Lifecycle Stage"_s};
    QTest::newRow("generic") << QStringList{u"id"_s, u"name"_s, u"domain"_s, u"country"_s} << QString()
                             << QStringList{u"id"_s, u"name"_s, u"domain"_s, u"country"_s, u""_s};
}

void TestCrmAccounts::detectColumns()
{
    QFETCH(QStringList, header);
    QFETCH(QString, source);
    QFETCH(QStringList, expected);
    const CrmColumns detected = crmaccounts::detectColumns(header);
    QCOMPARE(detected.source, source);
    const QStringList keys = crmaccounts::fieldKeys();
    for (qsizetype i = 0; i < keys.size(); ++i)
        QCOMPARE(detected.columns.value(keys.at(i)), expected.at(i));
}

namespace {
// About 3.4 MB: enough for several progress reports.
QByteArray bigExport(int rows)
{
    QByteArray csv = "Id,Name,Website,BillingCountry,Type\n";
    for (int i = 0; i < rows; ++i)
        csv += "A" + QByteArray::number(i) + ",Company number " + QByteArray::number(i) + ",https://www.company" +
               QByteArray::number(i) + ".example.com/,Germany,Customer - Direct\n";
    return csv;
}
} // namespace

void TestCrmAccounts::progress()
{
    const QByteArray csv = bigExport(40'000);
    const QString path = write(QStringLiteral("progress.csv"), csv);
    QList<QPair<qint64, qint64>> calls;
    CrmReadOptions options;
    options.progress = [&](qint64 done, qint64 total) {
        calls.append({done, total});
        return true;
    };
    auto r = crmaccounts::read(path, options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->accounts.size(), 40'000);
    QVERIFY2(calls.size() >= 3, qPrintable(QString::number(calls.size())));
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls.at(i).second, qint64(csv.size()));
        QVERIFY(calls.at(i).first > 0 && calls.at(i).first <= calls.at(i).second);
        if (i > 0)
            QVERIFY2(calls.at(i).first > calls.at(i - 1).first, "progress must grow");
    }
    QCOMPARE(calls.last().first, qint64(csv.size()));
}

void TestCrmAccounts::progressCancels()
{
    const QString path = write(QStringLiteral("cancel.csv"), bigExport(40'000));
    int calls = 0;
    qint64 rows = 0;
    CrmReadOptions options;
    options.sink = [&](CrmAccount &&) { ++rows; };
    options.progress = [&](qint64, qint64) { return ++calls < 2; };
    auto r = crmaccounts::read(path, options);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("cancelled")), qPrintable(r.error()));
    QCOMPARE(calls, 2);
    QVERIFY2(rows > 0 && rows < 40'000, qPrintable(QString::number(rows))); // stopped midway
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
