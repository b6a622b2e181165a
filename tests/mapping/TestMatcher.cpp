// The matching engine: rules, scores, domain conflicts, duplicates per side, overlap matrix and greenfield.
#include "mapping/CompanyNames.h"
#include "mapping/Domains.h"
#include "mapping/Matcher.h"

#include <QTest>

using namespace ecotone;

namespace {
CrmAccount account(const QString &id, const QString &name, const QString &website, const QString &country = {},
                   const QString &status = {})
{
    CrmAccount a;
    a.crmId = id;
    a.name = name;
    a.website = website;
    a.registrableDomain = domains::registrableDomain(website);
    a.country = country;
    a.countryKey = companynames::countryKey(country);
    a.status = status;
    a.normalizedName = companynames::normalize(name);
    return a;
}

// "ourId>theirId:rule" for each match, sorted, so a table row reads like the expected outcome.
QStringList describe(const matching::Result &r, const QList<CrmAccount> &ours, const QList<CrmAccount> &theirs)
{
    QStringList out;
    for (const matching::Match &m : r.matches)
        out << ours.at(m.ours).crmId + QLatin1Char('>') + theirs.at(m.theirs).crmId + QLatin1Char(':') +
                   matching::ruleKey(m.rule);
    out.sort();
    return out;
}
} // namespace

class TestMatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
    void scores();
    void allowDifferentDomains();
    void noFuzzy();
    void duplicatesAndCounts();
    void matrixAndGreenfield();
};

void TestMatcher::rules_data()
{
    QTest::addColumn<QList<CrmAccount>>("ours");
    QTest::addColumn<QList<CrmAccount>>("theirs");
    QTest::addColumn<QStringList>("expected");
    const QString us = QStringLiteral("US"), de = QStringLiteral("Germany");
    QTest::newRow("same domain, other names")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Acme"), QStringLiteral("www.acme.com"))}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("ACME Holdings"),
                                     QStringLiteral("https://shop.acme.com/x"))}
        << QStringList{QStringLiteral("o1>t1:domain")};
    QTest::newRow("same name and country, one website missing")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Globex GmbH"), {}, de)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("GLOBEX"), QStringLiteral("globex.de"),
                                     QStringLiteral("DE"))}
        << QStringList{QStringLiteral("o1>t1:name")};
    QTest::newRow("same name, one country unknown")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Globex"), {}, de)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Globex"), {})}
        << QStringList{QStringLiteral("o1>t1:name")};
    QTest::newRow("same name, other country")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Globex"), {}, de)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Globex"), {}, us)} << QStringList{};
    QTest::newRow("same name, different domains")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Delta"), QStringLiteral("delta.com"), us)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Delta"), QStringLiteral("delta.org"), us)}
        << QStringList{};
    QTest::newRow("typo is fuzzy")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Northwind Traders"), {}, us)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Northwind Tradres Inc"), {}, us)}
        << QStringList{QStringLiteral("o1>t1:fuzzy")};
    QTest::newRow("typo among the first letters")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Bluestone Analytics"), {}, us)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Blusetone Analytics"), {}, us)}
        << QStringList{QStringLiteral("o1>t1:fuzzy")};
    QTest::newRow("fuzzy blocked by different domains")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Northwind Traders"),
                                     QStringLiteral("northwind.com"), us)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Northwind Tradres"),
                                     QStringLiteral("nwtraders.com"), us)}
        << QStringList{};
    QTest::newRow("dissimilar names")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Acme Systems"), {}, us)}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Acme Logistics"), {}, us)} << QStringList{};
    QTest::newRow("domain wins over a name elsewhere")
        << QList<CrmAccount>{account(QStringLiteral("o1"), QStringLiteral("Initech"), QStringLiteral("initech.com"))}
        << QList<CrmAccount>{account(QStringLiteral("t1"), QStringLiteral("Initech Corp"),
                                     QStringLiteral("initech.com")),
                             account(QStringLiteral("t2"), QStringLiteral("Initrode"), QStringLiteral("initrode.com"))}
        << QStringList{QStringLiteral("o1>t1:domain")};
}

void TestMatcher::rules()
{
    QFETCH(QList<CrmAccount>, ours);
    QFETCH(QList<CrmAccount>, theirs);
    QFETCH(QStringList, expected);
    const matching::Result r = matching::match(ours, theirs);
    QCOMPARE(describe(r, ours, theirs), expected);
}

void TestMatcher::scores()
{
    const QList<CrmAccount> ours = {account(QStringLiteral("o1"), QStringLiteral("Acme"), QStringLiteral("acme.com")),
                                    account(QStringLiteral("o2"), QStringLiteral("Globex"), {}),
                                    account(QStringLiteral("o3"), QStringLiteral("Northwind Traders"), {})};
    const QList<CrmAccount> theirs = {account(QStringLiteral("t1"), QStringLiteral("Acme"), QStringLiteral("acme.com")),
                                      account(QStringLiteral("t2"), QStringLiteral("Globex Ltd"), {}),
                                      account(QStringLiteral("t3"), QStringLiteral("Northwind Tradres"), {})};
    const matching::Result r = matching::match(ours, theirs);
    QCOMPARE(r.matches.size(), 3);
    for (const matching::Match &m : r.matches) {
        switch (m.rule) {
        case matching::Rule::Domain:
            QCOMPARE(m.score, 1.0);
            break;
        case matching::Rule::Name:
            QCOMPARE(m.score, 0.95);
            break;
        case matching::Rule::Fuzzy:
            QVERIFY(m.score >= 0.92 && m.score < 1.0);
            break;
        }
    }
    QCOMPARE(r.links[0], 1);
    QCOMPARE(r.links[1], 1);
    QCOMPARE(r.links[2], 1);
}

void TestMatcher::allowDifferentDomains()
{
    const QList<CrmAccount> ours = {
        account(QStringLiteral("o1"), QStringLiteral("Delta"), QStringLiteral("delta.com"), QStringLiteral("US"))};
    const QList<CrmAccount> theirs = {account(QStringLiteral("t1"), QStringLiteral("Delta Inc"),
                                              QStringLiteral("delta-air.com"), QStringLiteral("US"))};
    QVERIFY(matching::match(ours, theirs).matches.isEmpty());
    matching::Options options;
    options.allowNameWithDifferentDomains = true;
    const matching::Result r = matching::match(ours, theirs, options);
    QCOMPARE(describe(r, ours, theirs), QStringList{QStringLiteral("o1>t1:name")});
}

void TestMatcher::noFuzzy()
{
    const QList<CrmAccount> ours = {account(QStringLiteral("o1"), QStringLiteral("Northwind Traders"), {})};
    const QList<CrmAccount> theirs = {account(QStringLiteral("t1"), QStringLiteral("Northwind Tradres"), {})};
    QCOMPARE(matching::match(ours, theirs).matches.size(), 1);
    matching::Options options;
    options.fuzzy = false;
    QVERIFY(matching::match(ours, theirs, options).matches.isEmpty());
}

void TestMatcher::duplicatesAndCounts()
{
    // Ours: Acme three times (two by domain, one by name and country), Globex once. Theirs: Acme once.
    const QList<CrmAccount> ours = {
        account(QStringLiteral("o1"), QStringLiteral("Acme Inc"), QStringLiteral("acme.com"), QStringLiteral("US")),
        account(QStringLiteral("o2"), QStringLiteral("ACME (EMEA)"), QStringLiteral("eu.acme.com"),
                QStringLiteral("DE")),
        account(QStringLiteral("o3"), QStringLiteral("Acme"), {}, QStringLiteral("USA")),
        account(QStringLiteral("o4"), QStringLiteral("Globex"), QStringLiteral("globex.com"))};
    const QList<CrmAccount> theirs = {
        account(QStringLiteral("t1"), QStringLiteral("Acme Corporation"), QStringLiteral("acme.com"))};
    const matching::Result r = matching::match(ours, theirs);
    QCOMPARE(r.ours.records, 4);
    QCOMPARE(r.ours.companies, 2);
    QCOMPARE(r.theirs.records, 1);
    QCOMPARE(r.theirs.companies, 1);
    QCOMPARE(r.ours.matchedCompanies, 1);
    QCOMPARE(r.ours.companyOf.at(0), r.ours.companyOf.at(1));
    QCOMPARE(r.ours.companyOf.at(0), r.ours.companyOf.at(2));
    QVERIFY(r.ours.companyOf.at(3) != r.ours.companyOf.at(0));
    QCOMPARE(describe(r, ours, theirs), (QStringList{QStringLiteral("o1>t1:domain"), QStringLiteral("o2>t1:domain"),
                                                     QStringLiteral("o3>t1:domain")}));
}

void TestMatcher::matrixAndGreenfield()
{
    const QString cu = QStringLiteral("customer"), op = QStringLiteral("opportunity"), pr = QStringLiteral("prospect");
    const QList<CrmAccount> ours = {
        account(QStringLiteral("o1"), QStringLiteral("A"), QStringLiteral("a.com"), {}, cu),
        account(QStringLiteral("o2"), QStringLiteral("B"), QStringLiteral("b.com"), {}, pr),
        account(QStringLiteral("o3"), QStringLiteral("C"), QStringLiteral("c.com"), {}, pr),
        account(QStringLiteral("o4"), QStringLiteral("C dup"), QStringLiteral("www.c.com"), {}, op)};
    const QList<CrmAccount> theirs = {
        account(QStringLiteral("t1"), QStringLiteral("A"), QStringLiteral("a.com"), {}, cu),
        account(QStringLiteral("t2"), QStringLiteral("B"), QStringLiteral("b.com"), {}, cu),
        account(QStringLiteral("t3"), QStringLiteral("C"), QStringLiteral("c.com"), {}, cu),
        account(QStringLiteral("t4"), QStringLiteral("D"), QStringLiteral("d.com"), {}, cu),
        account(QStringLiteral("t5"), QStringLiteral("D again"), QStringLiteral("d.com"), {}, cu),
        account(QStringLiteral("t6"), QStringLiteral("E"), QStringLiteral("e.com"), {}, pr)};
    const matching::Result r = matching::match(ours, theirs);
    QCOMPARE(r.cells.size(), 9);
    auto cell = [&](const QString &o, const QString &t) {
        for (const matching::Cell &c : r.cells)
            if (c.ours == o && c.theirs == t)
                return c.links;
        return qsizetype(-1);
    };
    QCOMPARE(cell(cu, cu), 1);
    QCOMPARE(cell(pr, cu), 1);
    QCOMPARE(cell(op, cu), 1); // C: its best population on our side is opportunity
    QCOMPARE(cell(pr, pr), 0);
    QCOMPARE(r.greenfield, 1); // D (two records), not E (a prospect)
    QCOMPARE(r.greenfieldRecords, 2);
    QCOMPARE(r.theirs.records, 6);
    QCOMPARE(r.theirs.companies, 5);
}

QTEST_GUILESS_MAIN(TestMatcher)
#include "TestMatcher.moc"
