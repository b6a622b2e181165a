// Custom populations: create, rename, update, delete and list through the repository (journaled), the filter's JSON
// form, and what each criterion lets through.
#include "TestSupport.h"
#include "mapping/PopulationRepository.h"
#include "store/ChangeJournal.h"

#include <QJsonArray>
#include <QTest>

using namespace ecotone;

class TestPopulationRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createListRenameDelete();
    void refusesBadNames();
    void filterJsonRoundTrip();
    void filterMatches_data();
    void filterMatches();

private:
    test::TempDir m_dir;
};

void TestPopulationRepository::createListRenameDelete()
{
    auto ws = test::createWorkspace(m_dir.file(QStringLiteral("p.ecotone")));
    QVERIFY(ws);
    PopulationRepository repo(*ws);
    const qint64 journalBefore = test::rowCount(*ws, QStringLiteral("journal"));
    CustomPopulation p{{}, QStringLiteral("Enterprise DE"), {}, {}};
    p.filter.countries = {QStringLiteral("DE")};
    p.filter.statuses = {QStringLiteral("customer")};
    QVERIFY2(repo.create(p).ok(), "create");
    QVERIFY(!p.id.isEmpty());
    QVERIFY(p.createdAt.isValid());
    QCOMPARE(p.key(), QStringLiteral("custom:Enterprise DE"));
    QCOMPARE(test::rowCount(*ws, QStringLiteral("journal")), journalBefore + 1);

    CustomPopulation q{{}, QStringLiteral("banks"), {}, {}};
    q.filter.industries = {QStringLiteral("Banking")};
    QVERIFY(repo.create(q).ok());
    auto all = repo.all();
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).name, QStringLiteral("banks")); // case-insensitive order
    QCOMPARE(all->at(1).filter, p.filter);

    QVERIFY(repo.rename(q.id, QStringLiteral("Banks")).ok());
    QCOMPARE(repo.find(q.id)->name, QStringLiteral("Banks"));
    QCOMPARE(repo.find(q.id)->filter, q.filter);
    CustomPopulation changed = repo.find(p.id).value();
    changed.filter.nameContains = QStringLiteral("bank");
    QVERIFY(repo.update(changed).ok());
    QCOMPARE(repo.find(p.id)->filter.nameContains, QStringLiteral("bank"));
    QCOMPARE(repo.find(p.id)->createdAt, p.createdAt);

    QVERIFY(repo.remove(q.id).ok());
    QCOMPARE(repo.all()->size(), 1);
    QVERIFY(!repo.find(q.id).ok());
    QVERIFY(!repo.remove(q.id).ok());
}

void TestPopulationRepository::refusesBadNames()
{
    auto ws = test::createWorkspace(m_dir.file(QStringLiteral("bad.ecotone")));
    QVERIFY(ws);
    PopulationRepository repo(*ws);
    CustomPopulation p{{}, QStringLiteral("Retail"), {}, {}};
    QVERIFY(repo.create(p).ok());
    CustomPopulation same{{}, QStringLiteral("RETAIL"), {}, {}};
    const Status dup = repo.create(same);
    QVERIFY(!dup.ok());
    QVERIFY(dup.error().contains(QLatin1String("exists")));
    CustomPopulation empty{{}, QStringLiteral("  "), {}, {}};
    QVERIFY(!repo.create(empty).ok());
    CustomPopulation longName{{}, QString(81, QLatin1Char('x')), {}, {}};
    QVERIFY(!repo.create(longName).ok());
    CustomPopulation badStatus{{}, QStringLiteral("Odd"), {}, {}};
    badStatus.filter.statuses = {QStringLiteral("partner")};
    QVERIFY(!repo.create(badStatus).ok());
    CustomPopulation other{{}, QStringLiteral("Other"), {}, {}};
    QVERIFY(repo.create(other).ok());
    QVERIFY(!repo.rename(other.id, QStringLiteral("retail")).ok());
    QCOMPARE(repo.all()->size(), 2);
}

void TestPopulationRepository::filterJsonRoundTrip()
{
    PopulationFilter f;
    f.statuses = {QStringLiteral("customer"), QStringLiteral("prospect")};
    f.countries = {QStringLiteral("DE"), QStringLiteral("AT")};
    f.industries = {QStringLiteral("Banking")};
    f.nameContains = QStringLiteral("  bank ");
    f.domainSuffix = QStringLiteral(".co.uk");
    const QJsonObject json = f.toJson();
    QCOMPARE(json.value(QStringLiteral("name_contains")).toString(), QStringLiteral("bank"));
    QCOMPARE(json.value(QStringLiteral("domain_suffix")).toString(), QStringLiteral("co.uk"));
    QCOMPARE(json.value(QStringLiteral("countries")).toArray().size(), 2);
    const PopulationFilter back = PopulationFilter::fromJson(json);
    QCOMPARE(back.statuses, f.statuses);
    QCOMPARE(back.nameContains, QStringLiteral("bank"));
    QCOMPARE(back.domainSuffix, QStringLiteral("co.uk"));
    QVERIFY(PopulationFilter{}.isEmpty());
    QVERIFY(PopulationFilter{}.toJson().isEmpty());
    QVERIFY(!f.describe().isEmpty());
}

void TestPopulationRepository::filterMatches_data()
{
    QTest::addColumn<QJsonObject>("filter");
    QTest::addColumn<bool>("matches");
    // The account: "Northbank AG", northbank.de, DE, Banking, customer.
    auto o = [](const char *key, const QJsonValue &v) { return QJsonObject{{QLatin1String(key), v}}; };
    auto list = [](const char *a) { return QJsonArray{QLatin1String(a)}; };
    QTest::newRow("empty") << QJsonObject{} << true;
    QTest::newRow("status yes") << o("statuses", list("customer")) << true;
    QTest::newRow("status no") << o("statuses", list("prospect")) << false;
    QTest::newRow("country code") << o("countries", list("de")) << true;
    QTest::newRow("country name") << o("countries", list("Germany")) << true;
    QTest::newRow("country no") << o("countries", list("AT")) << false;
    QTest::newRow("industry any case") << o("industries", list("banking")) << true;
    QTest::newRow("industry no") << o("industries", list("Retail")) << false;
    QTest::newRow("name contains") << o("name_contains", QStringLiteral("BANK")) << true;
    QTest::newRow("name no") << o("name_contains", QStringLiteral("acme")) << false;
    QTest::newRow("suffix tld") << o("domain_suffix", QStringLiteral("de")) << true;
    QTest::newRow("suffix dotted") << o("domain_suffix", QStringLiteral(".de")) << true;
    QTest::newRow("suffix whole") << o("domain_suffix", QStringLiteral("northbank.de")) << true;
    QTest::newRow("suffix partial label") << o("domain_suffix", QStringLiteral("bank.de")) << false;
    QJsonObject both = o("countries", list("DE"));
    both.insert(QStringLiteral("statuses"), list("prospect"));
    QTest::newRow("all must hold") << both << false;
}

void TestPopulationRepository::filterMatches()
{
    QFETCH(QJsonObject, filter);
    QFETCH(bool, matches);
    Account a;
    a.name = QStringLiteral("Northbank AG");
    a.domain = QStringLiteral("northbank.de");
    a.country = QStringLiteral("DE");
    a.industry = QStringLiteral("Banking");
    a.status = AccountStatus::Customer;
    QCOMPARE(PopulationFilter::fromJson(filter).matches(a), matches);
}

QTEST_GUILESS_MAIN(TestPopulationRepository)
#include "TestPopulationRepository.moc"
