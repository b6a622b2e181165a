// Company-name normalization: folding, punctuation, legal forms only at the end, "The" only at the start.
#include "mapping/CompanyNames.h"

#include <QTest>

using namespace ecotone;

class TestCompanyNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalize_data();
    void normalize();
    void sameCompany_data();
    void sameCompany();
    void countryKey_data();
    void countryKey();
    void jaroWinkler();
};

void TestCompanyNames::normalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *tag, const char *in, const char *out) {
        QTest::newRow(tag) << QString::fromUtf8(in) << QString::fromUtf8(out);
    };
    row("plain", "Acme", "acme");
    row("case and spaces", "  ACME   Widgets  ", "acme widgets");
    row("inc", "Acme, Inc.", "acme");
    row("incorporated", "Acme Incorporated", "acme");
    row("llc dotted", "Acme L.L.C.", "acme");
    row("llc", "Acme LLC", "acme");
    row("corp", "Acme Corp.", "acme");
    row("corporation", "Acme Corporation", "acme");
    row("co ltd", "Acme Co., Ltd.", "acme");
    row("company", "Acme Company", "acme");
    row("plc", "Acme PLC", "acme");
    row("limited", "Acme Limited", "acme");
    row("gmbh", "Müller GmbH", "muller");
    row("gmbh co kg", "Müller GmbH & Co. KG", "muller");
    row("ag", "Siemens AG", "siemens");
    row("se", "SAP SE", "sap");
    row("sa", "Société Générale S.A.", "societe generale");
    row("sa spaced", "Société Générale S. A.", "societe generale");
    row("sas", "Dupont SAS", "dupont");
    row("sarl", "Dupont SARL", "dupont");
    row("bv", "Philips B.V.", "philips");
    row("nv", "Philips N.V.", "philips");
    row("spa", "Ferrari S.p.A.", "ferrari");
    row("srl", "Rossi S.r.l.", "rossi");
    row("sl", "Telefónica S.L.", "telefonica");
    row("ab", "Volvo AB", "volvo");
    row("ab publ", "Ericsson AB (publ)", "ericsson");
    row("kk", "Sony K.K.", "sony");
    row("kabushiki kaisha", "Toyota Kabushiki Kaisha", "toyota");
    row("kanji suffix", "トヨタ株式会社", "トヨタ");
    row("pty ltd", "Atlassian Pty Ltd", "atlassian");
    row("pty dot ltd dot", "Atlassian Pty. Ltd.", "atlassian");
    row("ltda", "Natura Ltda", "natura");
    row("ltda with S.A.", "Natura Cosméticos S.A.", "natura cosmeticos");
    row("oy", "Nokia Oy", "nokia");
    row("oyj", "Nokia Oyj", "nokia");
    row("a/s", "Maersk A/S", "maersk");
    row("aps", "Lego ApS", "lego");
    row("ampersand", "Johnson & Johnson", "johnson and johnson");
    row("and word", "Johnson and Johnson", "johnson and johnson");
    row("smith and co", "Smith & Co.", "smith");
    row("the", "The Boeing Company", "boeing");
    row("the only at start", "Bring The Noise", "bring the noise");
    row("legal word not at end", "Limited Brands Group", "limited brands group");
    row("company in the middle", "Company Store Partners", "company store partners");
    row("only legal words kept", "Limited", "limited");
    row("the limited", "The Limited", "limited");
    row("diacritics", "Ærø Škoda Ørsted Łódź", "aero skoda orsted lodz");
    row("eszett", "Straße", "strasse");
    row("apostrophe joins", "McDonald's", "mcdonalds");
    row("punctuation breaks", "Hewlett-Packard", "hewlett packard");
    row("fullwidth", "ＡＣＭＥ", "acme");
    row("digits", "3M Company", "3m");
    row("empty", "", "");
    row("only punctuation", " -- ", "");
}

void TestCompanyNames::normalize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(companynames::normalize(input), expected);
}

void TestCompanyNames::sameCompany_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("legal forms") << QStringLiteral("ACME Corp") << QStringLiteral("Acme, Inc.") << true;
    QTest::newRow("accents") << QString::fromUtf8("Nestlé S.A.") << QStringLiteral("NESTLE SA") << true;
    QTest::newRow("different") << QStringLiteral("Acme") << QStringLiteral("Acne") << false;
    QTest::newRow("words order") << QStringLiteral("Brands Limited") << QStringLiteral("Limited Brands") << false;
}

void TestCompanyNames::sameCompany()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(companynames::normalize(a) == companynames::normalize(b), same);
}

void TestCompanyNames::countryKey_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("usa") << QStringLiteral("USA") << QStringLiteral("us");
    QTest::newRow("united states") << QStringLiteral(" United States ") << QStringLiteral("us");
    QTest::newRow("code") << QStringLiteral("DE") << QStringLiteral("de");
    QTest::newRow("german name") << QStringLiteral("Deutschland") << QStringLiteral("de");
    QTest::newRow("unknown kept") << QStringLiteral("Atlantis") << QStringLiteral("atlantis");
    QTest::newRow("empty") << QString() << QString();
}

void TestCompanyNames::countryKey()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(companynames::countryKey(input), expected);
}

void TestCompanyNames::jaroWinkler()
{
    QCOMPARE(companynames::jaroWinkler(u"acme", u"acme"), 1.0);
    QCOMPARE(companynames::jaroWinkler(u"", u"acme"), 0.0);
    // Classic reference values.
    QVERIFY(qAbs(companynames::jaroWinkler(u"martha", u"marhta") - 0.9611) < 0.001);
    QVERIFY(qAbs(companynames::jaroWinkler(u"dixon", u"dicksonx") - 0.8133) < 0.001);
    QVERIFY(companynames::jaroWinkler(u"northwind traders", u"northwind tradres") > 0.95);
    QVERIFY(companynames::jaroWinkler(u"acme", u"zenith") < 0.6);
}

QTEST_GUILESS_MAIN(TestCompanyNames)
#include "TestCompanyNames.moc"
