// The overlap of the workspace's vendor and one partner: cells, pairs, summaries and greenfield on a small hand-made
// ecosystem; custom populations; and the vendor-subset shortcut checked against matching everything on a demo.
#include "MappingFixtures.h"
#include "demo/DemoEcosystem.h"
#include "mapping/WorkspaceOverlap.h"
#include "store/OpportunityRepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::overlap;

class TestWorkspaceOverlap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cellsOfSmallEcosystem();
    void customPopulations();
    void openDealsMakeOpportunities();
    void partnersAndEmptyPartner();
    void cancelledComputation();
    void subsetMatchesFullMatching();
    void subsetKeepsFuzzyCandidates();

private:
    test::TempDir m_dir;
};

namespace {
QString nameOf(const SideAccounts &side, qsizetype i)
{
    return side.accounts.at(i).name;
}
} // namespace

void TestWorkspaceOverlap::cellsOfSmallEcosystem()
{
    const QString path = m_dir.file(QStringLiteral("small.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    OverlapSource source(path);
    auto result = source.compute(e.partnerId, standardPopulations());
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Overlap &o = result.value();
    QCOMPARE(o.populations.size(), 3);
    // rows ours, columns theirs: customer, opportunity, prospect
    const qsizetype expected[3][3] = {{1, 1, 0}, {0, 0, 1}, {1, 0, 0}};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            QVERIFY2(o.cell(r, c).links == expected[r][c],
                     qPrintable(QStringLiteral("cell %1,%2 = %3").arg(r).arg(c).arg(o.cell(r, c).links)));
    QCOMPARE(o.maxLinks(), 1);
    // Delta: two of our records (one company) paired with their one record.
    const Cell &delta = o.cell(0, 1);
    QCOMPARE(delta.pairs.size(), 2);
    QCOMPARE(delta.oursCompanies, 1);
    QCOMPARE(delta.theirsRecords, 1);
    for (qsizetype k : delta.pairs) {
        QVERIFY(nameOf(*o.ours, o.pairs.at(k).ours).startsWith(QLatin1String("Delta")));
        QCOMPARE(o.pairs.at(k).rule, matching::Rule::Domain);
    }
    const Cell &gamma = o.cell(1, 2);
    QCOMPARE(gamma.pairs.size(), 1);
    QCOMPARE(o.pairs.at(gamma.pairs.first()).rule, matching::Rule::Name);
    QCOMPARE(o.pairs.at(gamma.pairs.first()).score, 0.95);
    QCOMPARE(o.pairs.size(), 5);

    QCOMPARE(o.oursSummary.records, 6);
    QCOMPARE(o.oursSummary.companies, 5);
    QCOMPARE(o.oursSummary.duplicateRecords(), 1);
    QCOMPARE(o.oursSummary.matchedCompanies, 4);
    QCOMPARE(o.theirsSummary.records, 6);
    QCOMPARE(o.theirsSummary.companies, 6);
    QCOMPARE(o.theirsSummary.matchedCompanies, 4);
    QCOMPARE(o.greenfieldCompanies, 1);
    QCOMPARE(o.greenfield.size(), 1);
    QCOMPARE(nameOf(*o.theirs, o.greenfield.first()), QStringLiteral("Omega Partners"));
    // Their customers: Acme, Beta, Omega.
    QCOMPARE(o.theirsByPopulation.at(0).size(), 3);
}

void TestWorkspaceOverlap::customPopulations()
{
    const QString path = m_dir.file(QStringLiteral("custom.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    PopulationRepository repo(*e.ws);
    CustomPopulation german{{}, QStringLiteral("Germany"), {}, {}};
    german.filter.countries = {QStringLiteral("DE")};
    CustomPopulation banks{{}, QStringLiteral("Banks"), {}, {}};
    banks.filter.industries = {QStringLiteral("banking")};
    CustomPopulation acme{{}, QStringLiteral("Acme by name"), {}, {}};
    acme.filter.nameContains = QStringLiteral("acme");
    CustomPopulation dotDe{{}, QStringLiteral("dot de"), {}, {}};
    dotDe.filter.domainSuffix = QStringLiteral(".de");
    for (CustomPopulation *p : {&german, &banks, &acme, &dotDe})
        QVERIFY2(repo.create(*p).ok(), qPrintable(p->name));
    auto custom = repo.all();
    QVERIFY(custom.ok());
    OverlapSource source(path);
    auto result = source.compute(e.partnerId, populationsWith(custom.value()));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Overlap &o = result.value();
    // Sorted by name: Acme by name, Banks, dot de, Germany.
    QCOMPARE(o.populations.size(), 7);
    QCOMPARE(o.populations.at(3).key, QStringLiteral("custom:Acme by name"));
    QCOMPARE(o.populations.at(6).key, QStringLiteral("custom:Germany"));
    QCOMPARE(o.cell(3, 3).links, 1); // Acme both sides
    QCOMPARE(o.cell(4, 4).links, 1); // Banking: Beta both sides
    QCOMPARE(o.cell(5, 5).links, 1); // .de: Beta (Gamma has no website)
    QCOMPARE(o.cell(6, 6).links, 2); // DE (their "Germany" included): Beta and Gamma
    QCOMPARE(o.cell(6, 0).links, 1); // our German accounts among their customers: Beta
    QCOMPARE(o.cell(0, 6).links, 0); // our customers are not German
    QCOMPARE(o.cell(2, 6).links, 1); // our prospect Beta
    QCOMPARE(o.theirsByPopulation.at(6).size(), 2);
}

// An imported open deal puts its account in Open Opportunities; won or lost deals, and customers, do not move.
void TestWorkspaceOverlap::openDealsMakeOpportunities()
{
    const QString path = m_dir.file(QStringLiteral("deals.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    auto idOf = [&](const QString &name) {
        QSqlQuery q(e.ws->db());
        q.prepare(QStringLiteral("SELECT id FROM accounts WHERE name = ?"));
        q.addBindValue(name);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    };
    OpportunityRepository deals(*e.ws);
    auto deal = [&](const QString &accountName, const QString &state) {
        Opportunity o;
        o.ownerId = e.vendorId;
        o.accountId = idOf(accountName);
        o.name = accountName + QStringLiteral(" deal");
        o.state = state;
        o.externalId = accountName;
        QVERIFY(!o.accountId.isEmpty());
        QVERIFY(deals.insert(o).ok());
    };
    deal(QStringLiteral("Beta Systems GmbH"), QStringLiteral("open")); // prospect -> opportunity
    deal(QStringLiteral("Kappa Ltd"), QStringLiteral("open"));         // customer stays customer
    deal(QStringLiteral("Delta Corporation"), QStringLiteral("lost")); // closed: no change
    OverlapSource source(path);
    auto result = source.compute(e.partnerId, standardPopulations());
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Overlap &o = result.value();
    // Beta (theirs: customer) moves from our prospects to our open opportunities; the rest as before.
    const qsizetype expected[3][3] = {{1, 1, 0}, {1, 0, 1}, {0, 0, 0}};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            QVERIFY2(o.cell(r, c).links == expected[r][c],
                     qPrintable(QStringLiteral("cell %1,%2 = %3").arg(r).arg(c).arg(o.cell(r, c).links)));
}

void TestWorkspaceOverlap::partnersAndEmptyPartner()
{
    const QString path = m_dir.file(QStringLiteral("partners.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    OverlapSource source(path);
    auto partners = source.partners();
    QVERIFY2(partners.ok(), qPrintable(partners.error()));
    QCOMPARE(partners->size(), 2);
    QCOMPARE(partners->at(0).name, QStringLiteral("Empty Partner"));
    QCOMPARE(partners->at(0).accounts, 0);
    QCOMPARE(partners->at(1).accounts, 6);
    auto result = source.compute(e.emptyPartnerId, standardPopulations());
    QVERIFY(result.ok());
    QCOMPARE(result->theirsSummary.records, 0);
    QCOMPARE(result->maxLinks(), 0);
    QCOMPARE(result->oursSummary.records, 6); // the vendor side is still summarized
}

void TestWorkspaceOverlap::cancelledComputation()
{
    const QString path = m_dir.file(QStringLiteral("cancel.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    OverlapSource source(path);
    std::atomic_bool cancel{true};
    auto result = source.compute(e.partnerId, standardPopulations(), &cancel);
    QVERIFY(!result.ok());
    QVERIFY(result.error().isEmpty());
}

void TestWorkspaceOverlap::subsetMatchesFullMatching()
{
    // The pane matches only the part of our side a partner can touch; it must give what matching all of it gives.
    const QString path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 12;
    options.accounts = 6000;
    auto demo = createDemoWorkspace(path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    OrganizationRepository orgs(*ws.value());
    auto vendorId = orgs.vendorId();
    QVERIFY(vendorId.ok());
    auto indexed = loadSide(ws.value()->db(), vendorId.value(), true);
    auto plain = loadSide(ws.value()->db(), vendorId.value(), false);
    QVERIFY(indexed.ok() && plain.ok());
    QVERIFY(indexed.value()->indexed);
    auto all = orgs.all();
    QVERIFY(all.ok());
    int partners = 0;
    qsizetype totalLinks = 0, fuzzyPairs = 0;
    for (const Organization &org : all.value()) {
        if (org.kind != OrganizationKind::Partner)
            continue;
        ++partners;
        auto theirs = loadSide(ws.value()->db(), org.id, false);
        QVERIFY(theirs.ok());
        const Overlap fast = compute(indexed.value(), theirs.value(), standardPopulations());
        const Overlap full = compute(plain.value(), theirs.value(), standardPopulations());
        const matching::Result reference = matching::match(plain.value()->keys, theirs.value()->keys);
        for (qsizetype c = 0; c < 9; ++c) {
            QCOMPARE(fast.cells.at(c).links, full.cells.at(c).links);
            QCOMPARE(fast.cells.at(c).oursCompanies, full.cells.at(c).oursCompanies);
            QCOMPARE(fast.cells.at(c).theirsCompanies, full.cells.at(c).theirsCompanies);
            QCOMPARE(fast.cells.at(c).links, reference.cells.at(c).links);
            QCOMPARE(fast.cells.at(c).oursCompanies, reference.cells.at(c).oursCompanies);
            totalLinks += fast.cells.at(c).links;
        }
        auto key = [](const Pair &p) { return std::tuple(p.ours, p.theirs, int(p.rule), p.score); };
        QList<std::tuple<qsizetype, qsizetype, int, double>> a, b;
        for (const Pair &p : fast.pairs)
            a << key(p);
        for (const Pair &p : full.pairs)
            b << key(p);
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QCOMPARE(a, b);
        for (const Pair &p : fast.pairs)
            fuzzyPairs += p.rule == matching::Rule::Fuzzy ? 1 : 0;
        QCOMPARE(fast.greenfield, full.greenfield);
        QCOMPARE(fast.greenfieldCompanies, reference.greenfield);
        QCOMPARE(fast.oursSummary.matchedCompanies, reference.ours.matchedCompanies);
        QCOMPARE(fast.oursSummary.companies, reference.ours.companies);
        QCOMPARE(fast.theirsSummary.companies, reference.theirs.companies);
    }
    QCOMPARE(partners, 12);
    QVERIFY(totalLinks > 100); // the demo has real overlaps, so the comparison means something
    qInfo("links %lld, fuzzy pairs %lld", qlonglong(totalLinks), qlonglong(fuzzyPairs));
}

void TestWorkspaceOverlap::subsetKeepsFuzzyCandidates()
{
    // The demo has no typos; here names one edit apart (in the middle and at the start) must still be found.
    const QString path = m_dir.file(QStringLiteral("fuzzy.ecotone"));
    test::SmallEcosystem e = test::smallEcosystem(path);
    QVERIFY(e.ws);
    QList<Account> more{
        test::account(e.vendorId, QStringLiteral("Northwind Traders"), QString(), QStringLiteral("US"),
                      AccountStatus::Customer),
        test::account(e.vendorId, QStringLiteral("Nrothwind Logistics"), QString(), QStringLiteral("US"),
                      AccountStatus::Prospect),
        test::account(e.partnerId, QStringLiteral("Northwind Tradres"), QStringLiteral("northwind-t.com"),
                      QStringLiteral("US"), AccountStatus::Customer),
        test::account(e.partnerId, QStringLiteral("Northwind Logistics"), QString(), QStringLiteral("US"),
                      AccountStatus::Customer),
    };
    for (int i = 0; i < 200; ++i)
        more << test::account(e.vendorId, QStringLiteral("Filler Company %1").arg(i), QString(), QStringLiteral("US"),
                              AccountStatus::Prospect);
    QVERIFY(AccountRepository(*e.ws).insertMany(more).ok());
    auto indexed = loadSide(e.ws->db(), e.vendorId, true);
    auto plain = loadSide(e.ws->db(), e.vendorId, false);
    auto theirs = loadSide(e.ws->db(), e.partnerId, false);
    QVERIFY(indexed.ok() && plain.ok() && theirs.ok());
    const Overlap fast = compute(indexed.value(), theirs.value(), standardPopulations());
    const Overlap full = compute(plain.value(), theirs.value(), standardPopulations());
    int fuzzy = 0;
    for (const Pair &p : fast.pairs)
        fuzzy += p.rule == matching::Rule::Fuzzy ? 1 : 0;
    QCOMPARE(fuzzy, 2);
    QCOMPARE(fast.pairs.size(), full.pairs.size());
    for (qsizetype c = 0; c < fast.cells.size(); ++c)
        QCOMPARE(fast.cells.at(c).links, full.cells.at(c).links);
    QCOMPARE(fast.cell(0, 0).links, 2); // Acme and Northwind Traders
    QCOMPARE(fast.cell(2, 0).links, 2); // Beta and Nrothwind Logistics
}

QTEST_GUILESS_MAIN(TestWorkspaceOverlap)
#include "TestWorkspaceOverlap.moc"
