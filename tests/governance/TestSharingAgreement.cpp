// The sharing policy on plain data: validation, the level in force, and what a viewer may see at each level.
#include "governance/SharingAgreement.h"

#include <QTest>

using namespace ecotone;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

SharingAgreement active(SharingLevel level, const QStringList &fields = {QStringLiteral("name")})
{
    SharingAgreement a;
    a.id = QStringLiteral("a1");
    a.partnerId = QStringLiteral("p1");
    a.population = QStringLiteral("customer");
    a.level = level;
    a.fields = fields;
    a.createdAt = kNow.addDays(-10);
    a.ourConsentAt = kNow.addDays(-9);
    a.theirConsentAt = kNow.addDays(-8);
    return a;
}

SharedRecord record(const QString &id, const QString &name, const QString &domain, const QString &country)
{
    return {id,
            {{QStringLiteral("name"), name},
             {QStringLiteral("domain"), domain},
             {QStringLiteral("country"), country},
             {QStringLiteral("external_id"), QStringLiteral("crm-") + id}}};
}

PopulationData sample()
{
    PopulationData d;
    d.records = {
        record(QStringLiteral("r1"), QStringLiteral("Acme"), QStringLiteral("acme.com"), QStringLiteral("US")),
        record(QStringLiteral("r2"), QStringLiteral("Globex"), QStringLiteral("globex.com"), QStringLiteral("DE")),
        record(QStringLiteral("r3"), QStringLiteral("Initech"), QStringLiteral("initech.com"), QStringLiteral("FR"))};
    d.overlappingIds = {QStringLiteral("r2"), QStringLiteral("unknown")};
    return d;
}
} // namespace

class TestSharingAgreement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelKeys();
    void validation_data();
    void validation();
    void effectiveLevel_data();
    void effectiveLevel();
    void hiddenShowsNothing();
    void countsShowOnlyCounts();
    void overlapShowsOnlyOverlappingRecordsAndChosenFields();
    void fullShowsAllRecordsAndChosenFields();
    void agreementOverloadsApplyConsent();
    void timestamps();
};

void TestSharingAgreement::levelKeys()
{
    for (SharingLevel l : {SharingLevel::Hidden, SharingLevel::Counts, SharingLevel::Overlap, SharingLevel::Full})
        QCOMPARE(sharing::levelFromKey(sharing::levelKey(l)), l);
    QCOMPARE(sharing::levelKey(SharingLevel::Overlap), QStringLiteral("overlap"));
    QVERIFY(!sharing::levelFromKey(QStringLiteral("everything")));
}

void TestSharingAgreement::validation_data()
{
    QTest::addColumn<QString>("population");
    QTest::addColumn<int>("level");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QString>("problem"); // empty: valid

    QTest::newRow("customer overlap") << QStringLiteral("customer") << int(SharingLevel::Overlap)
                                      << QStringList{QStringLiteral("name"), QStringLiteral("domain")} << QString();
    QTest::newRow("custom population") << QStringLiteral("custom:EMEA banks") << int(SharingLevel::Counts)
                                       << QStringList{} << QString();
    QTest::newRow("empty custom") << QStringLiteral("custom:") << int(SharingLevel::Counts) << QStringList{}
                                  << QStringLiteral("not a population");
    QTest::newRow("unknown population") << QStringLiteral("partners") << int(SharingLevel::Counts) << QStringList{}
                                        << QStringLiteral("not a population");
    QTest::newRow("unknown field") << QStringLiteral("prospect") << int(SharingLevel::Full)
                                   << QStringList{QStringLiteral("owner_id")} << QStringLiteral("owner_id");
    QTest::newRow("duplicate field") << QStringLiteral("prospect") << int(SharingLevel::Full)
                                     << QStringList{QStringLiteral("name"), QStringLiteral("name")}
                                     << QStringLiteral("twice");
    QTest::newRow("records without fields") << QStringLiteral("opportunity") << int(SharingLevel::Overlap)
                                            << QStringList{} << QStringLiteral("at least one field");
}

void TestSharingAgreement::validation()
{
    QFETCH(QString, population);
    QFETCH(int, level);
    QFETCH(QStringList, fields);
    QFETCH(QString, problem);
    SharingAgreement a = active(SharingLevel(level), fields);
    a.population = population;
    const QStringList problems = sharing::validate(a);
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(' '))));
    } else {
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(problem), qPrintable(problems.first()));
    }
    a.partnerId.clear();
    QVERIFY(!sharing::validate(a).isEmpty());
}

void TestSharingAgreement::effectiveLevel_data()
{
    QTest::addColumn<bool>("ours");
    QTest::addColumn<bool>("theirs");
    QTest::addColumn<int>("revokedDaysAgo"); // -1: not revoked
    QTest::addColumn<int>("expiresInDays");  // 0: no expiry
    QTest::addColumn<int>("expected");

    QTest::newRow("both consented") << true << true << -1 << 0 << int(SharingLevel::Full);
    QTest::newRow("only ours") << true << false << -1 << 0 << int(SharingLevel::Hidden);
    QTest::newRow("only theirs") << false << true << -1 << 0 << int(SharingLevel::Hidden);
    QTest::newRow("neither") << false << false << -1 << 0 << int(SharingLevel::Hidden);
    QTest::newRow("revoked") << true << true << 1 << 0 << int(SharingLevel::Hidden);
    QTest::newRow("revoked this instant") << true << true << 0 << 0 << int(SharingLevel::Hidden);
    QTest::newRow("expires tomorrow") << true << true << -1 << 1 << int(SharingLevel::Full);
    QTest::newRow("expired yesterday") << true << true << -1 << -1 << int(SharingLevel::Hidden);
}

void TestSharingAgreement::effectiveLevel()
{
    QFETCH(bool, ours);
    QFETCH(bool, theirs);
    QFETCH(int, revokedDaysAgo);
    QFETCH(int, expiresInDays);
    QFETCH(int, expected);
    SharingAgreement a = active(SharingLevel::Full);
    if (!ours)
        a.ourConsentAt = {};
    if (!theirs)
        a.theirConsentAt = {};
    if (revokedDaysAgo >= 0)
        a.revokedAt = kNow.addDays(-revokedDaysAgo);
    if (expiresInDays != 0)
        a.expiresAt = kNow.addDays(expiresInDays);
    QCOMPARE(sharing::effectiveLevel(a, kNow), SharingLevel(expected));
}

void TestSharingAgreement::hiddenShowsNothing()
{
    const VisibleCounts counts = sharing::visibleCounts(SharingLevel::Hidden, sample());
    QVERIFY(!counts.visible());
    QCOMPARE(counts.records, -1);
    QCOMPARE(counts.overlapping, -1);
    QVERIFY(sharing::visibleAccounts(SharingLevel::Hidden, {QStringLiteral("name")}, sample()).isEmpty());
}

void TestSharingAgreement::countsShowOnlyCounts()
{
    const VisibleCounts counts = sharing::visibleCounts(SharingLevel::Counts, sample());
    QVERIFY(counts.visible());
    QCOMPARE(counts.records, 3);
    QCOMPARE(counts.overlapping, 1); // "unknown" is not one of the records
    QVERIFY(sharing::visibleAccounts(SharingLevel::Counts, {QStringLiteral("name")}, sample()).isEmpty());
}

void TestSharingAgreement::overlapShowsOnlyOverlappingRecordsAndChosenFields()
{
    const auto rows =
        sharing::visibleAccounts(SharingLevel::Overlap, {QStringLiteral("name"), QStringLiteral("country")}, sample());
    QCOMPARE(rows.size(), 1);
    const QMap<QString, QString> expected{{QStringLiteral("name"), QStringLiteral("Globex")},
                                          {QStringLiteral("country"), QStringLiteral("DE")}};
    QCOMPARE(rows.first(), expected);
    QCOMPARE(sharing::visibleCounts(SharingLevel::Overlap, sample()).overlapping, 1);
}

void TestSharingAgreement::fullShowsAllRecordsAndChosenFields()
{
    const auto rows = sharing::visibleAccounts(SharingLevel::Full, {QStringLiteral("domain")}, sample());
    QCOMPARE(rows.size(), 3);
    QStringList domains;
    for (const auto &r : rows) {
        QCOMPARE(r.keys(), QStringList{QStringLiteral("domain")}); // no names, no ids
        domains << r.value(QStringLiteral("domain"));
    }
    QCOMPARE(domains,
             (QStringList{QStringLiteral("acme.com"), QStringLiteral("globex.com"), QStringLiteral("initech.com")}));
    // A field name that is not shareable never comes through, even if the data holds it.
    PopulationData d = sample();
    d.records[0].fields.insert(QStringLiteral("secret"), QStringLiteral("x"));
    const auto withSecret = sharing::visibleAccounts(SharingLevel::Full, {QStringLiteral("secret")}, d);
    QCOMPARE(withSecret.size(), 3);
    QVERIFY(withSecret.first().isEmpty());
}

void TestSharingAgreement::agreementOverloadsApplyConsent()
{
    SharingAgreement a = active(SharingLevel::Full, {QStringLiteral("name")});
    QCOMPARE(sharing::visibleAccounts(a, kNow, sample()).size(), 3);
    QCOMPARE(sharing::visibleCounts(a, kNow, sample()).records, 3);
    a.revokedAt = kNow.addSecs(-1);
    QVERIFY(sharing::visibleAccounts(a, kNow, sample()).isEmpty());
    QVERIFY(!sharing::visibleCounts(a, kNow, sample()).visible());
    a.revokedAt = {};
    a.theirConsentAt = {};
    QVERIFY(sharing::visibleAccounts(a, kNow, sample()).isEmpty());
}

void TestSharingAgreement::timestamps()
{
    const QDateTime t(QDate(2026, 11, 25), QTime(19, 43, 11, 123), Qt::UTC);
    QCOMPARE(sharing::timestamp(t), QStringLiteral("2026-11-25T19:43:11.123Z"));
    QCOMPARE(sharing::parseTimestamp(sharing::timestamp(t)), t);
    QCOMPARE(sharing::timestamp(QDateTime()), QString());
    QVERIFY(!sharing::parseTimestamp(QString()).isValid());
}

QTEST_GUILESS_MAIN(TestSharingAgreement)
#include "TestSharingAgreement.moc"
