// Reading opportunity exports: exact amounts in minor units, dates and the file's D/M order, stage to state,
// Salesforce (API names, UI labels) and HubSpot columns, and bad rows reported as file:line: column: reason.
#include "TestSupport.h"
#include "mapping/CrmOpportunities.h"

#include <QFile>
#include <QTest>

using namespace ecotone;

Q_DECLARE_METATYPE(DateOrder)

namespace {
QString writeFile(const test::TempDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.file(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}
} // namespace

class TestCrmOpportunities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void amounts_data();
    void amounts();
    void badAmounts_data();
    void badAmounts();
    void formatMinor_data();
    void formatMinor();
    void dates_data();
    void dates();
    void stages_data();
    void stages();
    void salesforceApiNames();
    void salesforceUiLabels();
    void hubspotDeals();
    void dayFirstFileDecidedByLaterRow();
    void monthFirstByDefault();
    void badRows();
    void refusedFiles();

private:
    test::TempDir m_dir;
};

void TestCrmOpportunities::amounts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currencyColumn");
    QTest::addColumn<bool>("hasCurrencyColumn");
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");

    auto row = [](const char *tag, const QString &text, const QString &column, bool hasColumn, qint64 minor,
                  const char *currency) {
        QTest::newRow(tag) << text << column << hasColumn << minor << QString::fromLatin1(currency);
    };
    const QString eur = QStringLiteral("EUR"), usd = QStringLiteral("USD"), none;
    row("plain decimal point", QStringLiteral("1234.56"), usd, true, 123456, "USD");
    row("US grouping", QStringLiteral("1,234.56"), usd, true, 123456, "USD");
    row("European", QStringLiteral("1.234,56"), eur, true, 123456, "EUR");
    row("dollar, no column", QStringLiteral("$1,234"), none, false, 123400, "USD");
    row("whole number", QStringLiteral("1234"), usd, true, 123400, "USD");
    row("code before, European", QStringLiteral("EUR 1.000,00"), none, false, 100000, "EUR");
    row("code after", QStringLiteral("1000 usd"), none, false, 100000, "USD");
    row("euro sign after", QStringLiteral("1.234,5 €"), none, false, 123450, "EUR");
    row("pound sign", QStringLiteral("£2,000,000"), none, false, 200000000, "GBP");
    row("dollar with a currency column", QStringLiteral("$1,000"), QStringLiteral("CAD"), true, 100000, "CAD");
    row("yen, no decimals", QStringLiteral("¥1,234"), QStringLiteral("JPY"), true, 1234, "JPY");
    row("JPY with zero decimals", QStringLiteral("5000.00"), QStringLiteral("jpy"), true, 5000, "JPY");
    row("KWD three decimals", QStringLiteral("1.234"), QStringLiteral("KWD"), true, 1234, "KWD");
    row("lone comma of three is grouping", QStringLiteral("1,234"), usd, true, 123400, "USD");
    row("lone dot of three is grouping", QStringLiteral("1.234"), eur, true, 123400, "EUR");
    row("leading zero is decimal", QStringLiteral("0,500"), eur, true, 50, "EUR");
    row("one decimal", QStringLiteral("12,5"), eur, true, 1250, "EUR");
    row("space grouping", QStringLiteral("1 234 567,89"), eur, true, 123456789, "EUR");
    row("no-break space grouping", QStringLiteral("1\u00a0234,00"), eur, true, 123400, "EUR");
    row("Swiss apostrophe", QStringLiteral("CHF 1'234.50"), none, false, 123450, "CHF");
    row("Indian grouping", QStringLiteral("12,34,567.00"), QStringLiteral("INR"), true, 123456700, "INR");
    row("negative", QStringLiteral("-1,234.56"), usd, true, -123456, "USD");
    row("parentheses", QStringLiteral("($500.00)"), none, false, -50000, "USD");
    row("minus after symbol", QStringLiteral("€-5"), none, false, -500, "EUR");
    row("trailing zero decimals", QStringLiteral("10.5000"), QStringLiteral("USD"), true, 1050, "USD");
    row("large exact", QStringLiteral("9,999,999,999,999.99"), usd, true, 999999999999999, "USD");
    row("empty amount", QString(), eur, true, -1, "EUR");
}

void TestCrmOpportunities::amounts()
{
    QFETCH(QString, text);
    QFETCH(QString, currencyColumn);
    QFETCH(bool, hasCurrencyColumn);
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    auto money = crmopportunities::parseAmount(text, currencyColumn, hasCurrencyColumn);
    QVERIFY2(money.ok(), qPrintable(money.error()));
    if (minor == -1)
        QVERIFY(!money->minor.has_value());
    else
        QCOMPARE(money->minor.value(), minor);
    QCOMPARE(money->currency, currency);
}

void TestCrmOpportunities::badAmounts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currencyColumn");
    QTest::addColumn<bool>("hasCurrencyColumn");
    QTest::addColumn<QString>("reason");

    QTest::newRow("letters") << QStringLiteral("about 5k") << QStringLiteral("USD") << true
                             << QStringLiteral("is not an amount");
    QTest::newRow("too many decimals") << QStringLiteral("1.234,567") << QStringLiteral("EUR") << true
                                       << QStringLiteral("more decimals than EUR has (2)");
    QTest::newRow("yen decimals") << QStringLiteral("100.5") << QStringLiteral("JPY") << true
                                  << QStringLiteral("more decimals than JPY has (0)");
    QTest::newRow("bad grouping") << QStringLiteral("12,34.56") << QStringLiteral("USD") << true
                                  << QStringLiteral("is not an amount");
    QTest::newRow("two decimal marks") << QStringLiteral("1.234.56,7.8") << QStringLiteral("USD") << true
                                       << QStringLiteral("is not an amount");
    QTest::newRow("conflicting currency") << QStringLiteral("€100") << QStringLiteral("GBP") << true
                                          << QStringLiteral("the amount is in EUR but the currency column says GBP");
    QTest::newRow("dollar with an empty currency cell")
        << QStringLiteral("$100") << QString() << true << QStringLiteral("names no currency");
    QTest::newRow("no currency at all") << QStringLiteral("100") << QString() << false
                                        << QStringLiteral("names no currency");
    QTest::newRow("yen sign without column")
        << QStringLiteral("¥100") << QString() << false << QStringLiteral("names no currency");
    QTest::newRow("not a currency code") << QStringLiteral("100") << QStringLiteral("Euro") << true
                                         << QStringLiteral("not an ISO 4217 currency code");
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999") << QStringLiteral("USD") << true
                              << QStringLiteral("too large");
    QTest::newRow("scientific") << QStringLiteral("1.5E+06") << QStringLiteral("USD") << true
                                << QStringLiteral("is not an amount");
}

void TestCrmOpportunities::badAmounts()
{
    QFETCH(QString, text);
    QFETCH(QString, currencyColumn);
    QFETCH(bool, hasCurrencyColumn);
    QFETCH(QString, reason);
    auto money = crmopportunities::parseAmount(text, currencyColumn, hasCurrencyColumn);
    QVERIFY2(!money.ok(), qPrintable(QString::number(money.ok() ? money->minor.value_or(-1) : 0)));
    QVERIFY2(money.error().contains(reason), qPrintable(money.error()));
}

void TestCrmOpportunities::formatMinor_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("text");
    QTest::newRow("cents") << qint64(123456) << QStringLiteral("EUR") << QStringLiteral("1234.56");
    QTest::newRow("small") << qint64(5) << QStringLiteral("USD") << QStringLiteral("0.05");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("USD") << QStringLiteral("0.00");
    QTest::newRow("negative") << qint64(-50) << QStringLiteral("USD") << QStringLiteral("-0.50");
    QTest::newRow("yen") << qint64(1234) << QStringLiteral("JPY") << QStringLiteral("1234");
    QTest::newRow("dinar") << qint64(1234) << QStringLiteral("KWD") << QStringLiteral("1.234");
    QTest::newRow("minimum") << std::numeric_limits<qint64>::min() << QStringLiteral("JPY")
                             << QStringLiteral("-9223372036854775808");
}

void TestCrmOpportunities::formatMinor()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, text);
    QCOMPARE(crmopportunities::formatMinor(minor, currency), text);
}

void TestCrmOpportunities::dates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<DateOrder>("order");
    QTest::addColumn<QDate>("date"); // invalid: an error is expected

    QTest::newRow("ISO") << QStringLiteral("2025-03-31") << DateOrder::Undecided << QDate(2025, 3, 31);
    QTest::newRow("ISO with time") << QStringLiteral("2025-03-31T14:00:00Z") << DateOrder::DayFirst
                                   << QDate(2025, 3, 31);
    QTest::newRow("HubSpot with time") << QStringLiteral("2025-03-31 14:02") << DateOrder::Undecided
                                       << QDate(2025, 3, 31);
    QTest::newRow("YYYY/MM/DD") << QStringLiteral("2025/03/04") << DateOrder::DayFirst << QDate(2025, 3, 4);
    QTest::newRow("US") << QStringLiteral("3/31/2025") << DateOrder::Undecided << QDate(2025, 3, 31);
    QTest::newRow("ambiguous, month first") << QStringLiteral("3/4/2025") << DateOrder::MonthFirst << QDate(2025, 3, 4);
    QTest::newRow("ambiguous, day first") << QStringLiteral("3/4/2025") << DateOrder::DayFirst << QDate(2025, 4, 3);
    QTest::newRow("day above 12") << QStringLiteral("31/03/2025") << DateOrder::Undecided << QDate(2025, 3, 31);
    QTest::newRow("German dots") << QStringLiteral("4.3.2025") << DateOrder::MonthFirst << QDate(2025, 3, 4);
    QTest::newRow("two-digit year") << QStringLiteral("12/31/25") << DateOrder::Undecided << QDate(2025, 12, 31);
    QTest::newRow("day first in a month-first file")
        << QStringLiteral("31/03/2025") << DateOrder::MonthFirst << QDate();
    QTest::newRow("month first in a day-first file") << QStringLiteral("03/31/2025") << DateOrder::DayFirst << QDate();
    QTest::newRow("February 30") << QStringLiteral("2025-02-30") << DateOrder::Undecided << QDate();
    QTest::newRow("words") << QStringLiteral("next quarter") << DateOrder::Undecided << QDate();
    QTest::newRow("three-digit year") << QStringLiteral("1/2/202") << DateOrder::Undecided << QDate();
}

void TestCrmOpportunities::dates()
{
    QFETCH(QString, text);
    QFETCH(DateOrder, order);
    QFETCH(QDate, date);
    auto parsed = crmopportunities::parseDate(text, order);
    if (!date.isValid()) {
        QVERIFY2(!parsed.ok(), qPrintable(parsed.ok() ? parsed.value().toString(Qt::ISODate) : QString()));
        QVERIFY2(parsed.error().contains(text), qPrintable(parsed.error()));
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed.value(), date);
}

void TestCrmOpportunities::stages_data()
{
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("isWon");
    QTest::addColumn<QString>("isClosed");
    QTest::addColumn<QString>("state");
    const QString none;
    QTest::newRow("Salesforce won") << QStringLiteral("Closed Won") << none << none << QStringLiteral("won");
    QTest::newRow("Salesforce lost") << QStringLiteral("Closed Lost") << none << none << QStringLiteral("lost");
    QTest::newRow("HubSpot won id") << QStringLiteral("closedwon") << none << none << QStringLiteral("won");
    QTest::newRow("HubSpot lost id") << QStringLiteral("closedlost") << none << none << QStringLiteral("lost");
    QTest::newRow("HubSpot label") << QStringLiteral("Closed won") << none << none << QStringLiteral("won");
    QTest::newRow("dashed") << QStringLiteral("Closed - Lost") << none << none << QStringLiteral("lost");
    QTest::newRow("open stage") << QStringLiteral("Negotiation/Review") << none << none << QStringLiteral("open");
    QTest::newRow("empty") << QString() << none << none << QStringLiteral("open");
    QTest::newRow("custom won stage, IsWon")
        << QStringLiteral("Signed") << QStringLiteral("true") << QStringLiteral("true") << QStringLiteral("won");
    QTest::newRow("custom lost stage, IsClosed")
        << QStringLiteral("No Decision") << QStringLiteral("false") << QStringLiteral("true") << QStringLiteral("lost");
    QTest::newRow("flags say open") << QStringLiteral("Closed Won?") << QStringLiteral("false")
                                    << QStringLiteral("false") << QStringLiteral("open");
}

void TestCrmOpportunities::stages()
{
    QFETCH(QString, stage);
    QFETCH(QString, isWon);
    QFETCH(QString, isClosed);
    QFETCH(QString, state);
    auto flag = [](const QString &v) -> std::optional<bool> {
        if (v.isEmpty())
            return std::nullopt;
        return v == QLatin1String("true");
    };
    QCOMPARE(crmopportunities::stateFromStage(stage, flag(isWon), flag(isClosed)), state);
}

void TestCrmOpportunities::salesforceApiNames()
{
    const QString path =
        writeFile(m_dir, QStringLiteral("sf-api.csv"),
                  "Id,Name,AccountId,Account.Name,StageName,Amount,CurrencyIsoCode,CloseDate,"
                  "Owner.Name,IsClosed,IsWon\r\n"
                  "006A,Acme renewal,001A,Acme GmbH,Closed Won,\"1,234.56\",EUR,2025-03-31,Ava Okafor,"
                  "true,true\r\n"
                  "006B,Beta expansion,001B,\"Beta, Inc.\",Prospecting,,USD,2025-09-30,Liam Silva,"
                  "false,false\r\n"
                  "006C,Gamma pilot,,Gamma Ltd,Lost to competitor,5000,GBP,2024-12-01,,true,false\r\n");
    auto file = crmopportunities::read(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY2(file->problems.isEmpty(), qPrintable(file->problems.join(QLatin1Char('\n'))));
    QCOMPARE(file->opportunities.size(), 3);
    const CrmOpportunity &a = file->opportunities.at(0);
    QCOMPARE(a.crmId, QStringLiteral("006A"));
    QCOMPARE(a.name, QStringLiteral("Acme renewal"));
    QCOMPARE(a.accountExternalId, QStringLiteral("001A"));
    QCOMPARE(a.accountName, QStringLiteral("Acme GmbH"));
    QCOMPARE(a.stage, QStringLiteral("Closed Won"));
    QCOMPARE(a.state, QStringLiteral("won"));
    QCOMPARE(a.amountMinor.value(), 123456);
    QCOMPARE(a.currency, QStringLiteral("EUR"));
    QCOMPARE(a.closeDate, QDate(2025, 3, 31));
    QCOMPARE(a.owner, QStringLiteral("Ava Okafor"));
    QCOMPARE(a.sourceLine, 2);
    QVERIFY(!file->opportunities.at(1).amountMinor.has_value());
    QCOMPARE(file->opportunities.at(1).currency, QStringLiteral("USD"));
    QCOMPARE(file->opportunities.at(1).state, QStringLiteral("open"));
    QCOMPARE(file->opportunities.at(2).state, QStringLiteral("lost")); // IsClosed without IsWon
    QCOMPARE(file->opportunities.at(2).amountMinor.value(), 500000);
}

void TestCrmOpportunities::salesforceUiLabels()
{
    // A report export: UI labels, semicolons, European amounts, day-first dates.
    const QString path = writeFile(m_dir, QStringLiteral("sf-ui.csv"),
                                   "\xEF\xBB\xBFOpportunity ID;Opportunity Name;Account ID;Account Name;Stage;Amount;"
                                   "Opportunity Currency;Close Date;Opportunity Owner\n"
                                   "006X;Delta;001D;Delta AG;Closed Lost;1.500.000,00;EUR;03.04.2025;Lena Fischer\n"
                                   "006Y;Epsilon;001E;Epsilon SE;Negotiation/Review;EUR 20.000;EUR;31.12.2025;\n");
    auto file = crmopportunities::read(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY2(file->problems.isEmpty(), qPrintable(file->problems.join(QLatin1Char('\n'))));
    QCOMPARE(file->opportunities.size(), 2);
    QCOMPARE(file->opportunities.at(0).crmId, QStringLiteral("006X"));
    QCOMPARE(file->opportunities.at(0).accountExternalId, QStringLiteral("001D"));
    QCOMPARE(file->opportunities.at(0).state, QStringLiteral("lost"));
    QCOMPARE(file->opportunities.at(0).amountMinor.value(), 150000000);
    QCOMPARE(file->opportunities.at(0).closeDate, QDate(2025, 4, 3));
    QCOMPARE(file->opportunities.at(0).owner, QStringLiteral("Lena Fischer"));
    QCOMPARE(file->opportunities.at(1).amountMinor.value(), 2000000);
    QCOMPARE(file->opportunities.at(1).closeDate, QDate(2025, 12, 31));
}

void TestCrmOpportunities::hubspotDeals()
{
    const QString path = writeFile(m_dir, QStringLiteral("hubspot.csv"),
                                   "Record ID,Deal Name,Deal Stage,Amount,Currency,Close Date,Deal owner,"
                                   "Associated Company IDs,Associated Company,Pipeline\n"
                                   "9001,Zeta deal,closedwon,2500,USD,2025-06-30 10:00,Omar Haddad,\"5001;5002\","
                                   "Zeta Corp,Sales Pipeline\n"
                                   "9002,Eta deal,Contract sent,¥300000,JPY,2025-07-15,,,Eta K.K.,Sales Pipeline\n");
    auto file = crmopportunities::read(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY2(file->problems.isEmpty(), qPrintable(file->problems.join(QLatin1Char('\n'))));
    QCOMPARE(file->opportunities.size(), 2);
    const CrmOpportunity &z = file->opportunities.at(0);
    QCOMPARE(z.crmId, QStringLiteral("9001"));
    QCOMPARE(z.name, QStringLiteral("Zeta deal"));
    QCOMPARE(z.state, QStringLiteral("won"));
    QCOMPARE(z.accountExternalId, QStringLiteral("5001")); // the primary company
    QCOMPARE(z.accountName, QStringLiteral("Zeta Corp"));
    QCOMPARE(z.amountMinor.value(), 250000);
    QCOMPARE(z.closeDate, QDate(2025, 6, 30));
    QCOMPARE(z.owner, QStringLiteral("Omar Haddad"));
    QCOMPARE(z.pipeline, QStringLiteral("Sales Pipeline"));
    QCOMPARE(file->opportunities.at(1).amountMinor.value(), 300000);
    QCOMPARE(file->opportunities.at(1).currency, QStringLiteral("JPY"));
    QCOMPARE(file->opportunities.at(1).state, QStringLiteral("open"));
}

void TestCrmOpportunities::dayFirstFileDecidedByLaterRow()
{
    // Rows 2 and 3 could be either order; row 4 (13/…) shows the file is day first, so 01/02 is 1 February.
    const QString path = writeFile(m_dir, QStringLiteral("dm.csv"),
                                   "Id,Name,Close Date,Amount,Currency\n"
                                   "1,One,01/02/2025,1,EUR\n"
                                   "2,Two,05/06/2025,1,EUR\n"
                                   "3,Three,13/02/2025,1,EUR\n"
                                   "4,Four,07/08/2025,1,EUR\n");
    QList<CrmOpportunity> seen;
    CrmOpportunityReadOptions options;
    options.sink = [&](CrmOpportunity &&o) { seen.append(std::move(o)); };
    auto file = crmopportunities::read(path, options);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY2(file->problems.isEmpty(), qPrintable(file->problems.join(QLatin1Char('\n'))));
    QCOMPARE(file->dateOrder, DateOrder::DayFirst);
    QCOMPARE(file->rows, 4);
    QCOMPARE(seen.size(), 4);
    std::sort(seen.begin(), seen.end(), [](const auto &a, const auto &b) { return a.sourceLine < b.sourceLine; });
    QCOMPARE(seen.at(0).closeDate, QDate(2025, 2, 1));
    QCOMPARE(seen.at(1).closeDate, QDate(2025, 6, 5));
    QCOMPARE(seen.at(2).closeDate, QDate(2025, 2, 13));
    QCOMPARE(seen.at(3).closeDate, QDate(2025, 8, 7));
}

void TestCrmOpportunities::monthFirstByDefault()
{
    const QString path =
        writeFile(m_dir, QStringLiteral("md.csv"), "Id,Name,Close Date\n1,One,01/02/2025\n2,Two,2025-05-06\n");
    auto file = crmopportunities::read(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->dateOrder, DateOrder::MonthFirst);
    QCOMPARE(file->opportunities.size(), 2);
    QCOMPARE(file->opportunities.at(0).closeDate, QDate(2025, 1, 2));
    QCOMPARE(file->opportunities.at(1).closeDate, QDate(2025, 5, 6));
}

void TestCrmOpportunities::badRows()
{
    const QString path = writeFile(m_dir, QStringLiteral("bad.csv"),
                                   "Id,Name,Stage,Amount,Currency,Close Date,IsWon\n"
                                   "1,Good,Prospecting,100,USD,2025-01-31,false\n"
                                   ",No id,Prospecting,100,USD,2025-01-31,false\n"
                                   "3,,Prospecting,100,USD,2025-01-31,false\n"
                                   "4,Bad amount,Prospecting,lots,USD,2025-01-31,false\n"
                                   "5,Bad currency,Prospecting,100,Dollars,2025-01-31,false\n"
                                   "6,Bad date,Prospecting,100,USD,2025-02-30,false\n"
                                   "7,Bad flag,Prospecting,100,USD,2025-01-31,maybe\n"
                                   "8,Short row\n"
                                   "9,Day first,Prospecting,100,USD,31/01/2025,false\n"
                                   "10,Then month first,Prospecting,100,USD,01/31/2025,false\n");
    auto file = crmopportunities::read(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    const QStringList expected = {
        QStringLiteral("bad.csv:3: Id: the id is empty"),
        QStringLiteral("bad.csv:4: Name: the name is empty"),
        QStringLiteral("bad.csv:5: Amount: \"lots\" is not an amount"),
        QStringLiteral("bad.csv:6: Currency: \"Dollars\" is not an ISO 4217 currency code"),
        QStringLiteral("bad.csv:7: Close Date: \"2025-02-30\" is not a date"),
        QStringLiteral("bad.csv:8: IsWon: \"maybe\" is neither true nor false"),
        QStringLiteral("bad.csv:9: row: the row has 2 fields, the header has 7"),
        QStringLiteral(
            "bad.csv:11: Close Date: \"01/31/2025\" is month first, but this file's dates are day first (D/M/YYYY)"),
    };
    QCOMPARE(file->problems, expected);
    QCOMPARE(file->opportunities.size(), 2);
    QCOMPARE(file->opportunities.at(1).closeDate, QDate(2025, 1, 31));
}

void TestCrmOpportunities::refusedFiles()
{
    auto noId = crmopportunities::read(writeFile(m_dir, QStringLiteral("noid.csv"), "Account ID,Name\n1,x\n"));
    QVERIFY(!noId.ok());
    QVERIFY2(noId.error().contains(QStringLiteral("no opportunity id column")), qPrintable(noId.error()));
    auto noName = crmopportunities::read(writeFile(m_dir, QStringLiteral("noname.csv"), "Id,Account Name\n1,x\n"));
    QVERIFY(!noName.ok());
    QVERIFY2(noName.error().contains(QStringLiteral("no opportunity name column")), qPrintable(noName.error()));
    auto empty = crmopportunities::read(writeFile(m_dir, QStringLiteral("empty.csv"), ""));
    QVERIFY(!empty.ok());
    QVERIFY2(empty.error().contains(QStringLiteral("is empty")), qPrintable(empty.error()));
    QVERIFY(!crmopportunities::read(m_dir.file(QStringLiteral("missing.csv"))).ok());
}

QTEST_GUILESS_MAIN(TestCrmOpportunities)
#include "TestCrmOpportunities.moc"
