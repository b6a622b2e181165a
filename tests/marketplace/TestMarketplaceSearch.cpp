#include "MarketplaceFixtures.h"

#include "marketplace/MarketplaceSearch.h"

#include <QTest>

using namespace ecotone;

namespace {
QStringList titles(const MarketplaceResult &r)
{
    QStringList out;
    for (const ListingHit &h : r.hits)
        out << h.title;
    return out;
}
} // namespace

class TestMarketplaceSearch : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MarketplaceSearch> m_search;
    QString m_alpha, m_beta, m_gamma;

    Listing add(const QString &org, const QString &title, const QString &summary, const QString &description,
                const QStringList &categories, const QStringList &regions = {}, const QStringList &clouds = {},
                const QStringList &languages = {QStringLiteral("en")}, ListingKind kind = ListingKind::Product)
    {
        ListingRepository repo(*m_ws);
        Listing l = test::makeListing(org, title, summary, categories);
        l.description = description;
        l.regions = regions;
        l.clouds = clouds;
        l.languages = languages;
        l.kind = kind;
        const Status s = repo.create(l);
        if (!s)
            qWarning("%s", qPrintable(s.error()));
        return l;
    }

    MarketplaceResult run(const MarketplaceQuery &q)
    {
        auto r = m_search->search(q);
        if (!r)
            qWarning("search failed: %s", qPrintable(r.error()));
        return r ? r.value() : MarketplaceResult{};
    }

    MarketplaceResult run(const QString &text)
    {
        MarketplaceQuery q;
        q.text = text;
        q.limit = 100;
        return run(q);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("s.ecotone")));
        QVERIFY(m_ws);
        m_alpha = test::addPartner(*m_ws, QStringLiteral("Alpha Data"), {PartnerType::Technology},
                                   QStringLiteral("Platinum"));
        m_beta = test::addPartner(*m_ws, QStringLiteral("Beta Systems"),
                                  {PartnerType::SystemsIntegrator, PartnerType::Reseller}, QStringLiteral("Silver"));
        m_gamma =
            test::addPartner(*m_ws, QStringLiteral("Gamma Werke"), {PartnerType::Reseller}, QStringLiteral("Gold"));
        const QString sec = QStringLiteral("Security"), data = QStringLiteral("Data & Analytics"),
                      mig = QStringLiteral("Migration"), dach = QStringLiteral("DACH"),
                      na = QStringLiteral("North America"), aws = QStringLiteral("aws"),
                      azure = QStringLiteral("azure"), gcp = QStringLiteral("gcp");
        add(m_alpha, QStringLiteral("Quantum Ledger"), QStringLiteral("Bookkeeping for banks"),
            QStringLiteral("Plain text."), {data}, {na}, {aws});
        add(m_beta, QStringLiteral("Ledger Migration Service"), QStringLiteral("Moves books"),
            QStringLiteral("We move any quantum ledger. A quantum ledger migration, quantum ledger audits, quantum "
                           "ledger everything."),
            {mig}, {dach, na}, {azure}, {QStringLiteral("de"), QStringLiteral("en")}, ListingKind::Service);
        add(m_gamma, QStringLiteral("Café Analytics"), QStringLiteral("Dashboards for coffee shops"),
            QStringLiteral("Résumé of sales"), {data}, {dach}, {gcp, aws}, {QStringLiteral("de")});
        add(m_alpha, QStringLiteral("Zero Trust Gateway"), QStringLiteral("Network security"),
            QStringLiteral("**Zero trust** access for every app"), {sec}, {na, dach}, {aws, azure, gcp});
        add(m_beta, QStringLiteral("Security Assessment"), QStringLiteral("Find the gaps"),
            QStringLiteral("Penetration tests"), {sec}, {dach}, {}, {QStringLiteral("de")}, ListingKind::Service);
        add(m_gamma, QStringLiteral("Datenbank Migration"), QStringLiteral("Von alt nach neu"),
            QStringLiteral("Schnell"), {mig, data}, {dach}, {azure}, {QStringLiteral("de")});
        ListingRepository repo(*m_ws);
        Listing draft = test::makeListing(m_alpha, QStringLiteral("Quantum Draft"));
        draft.state = ListingState::Draft;
        QVERIFY(repo.create(draft));
        m_search = std::make_unique<MarketplaceSearch>(*m_ws);
    }
    void cleanupTestCase()
    {
        m_search.reset();
        m_ws.reset();
    }

    void titleMatchOutranksDescriptionMatch()
    {
        const MarketplaceResult r = run(QStringLiteral("quantum ledger"));
        QCOMPARE(r.total, 2);
        QCOMPARE(titles(r),
                 (QStringList{QStringLiteral("Quantum Ledger"), QStringLiteral("Ledger Migration Service")}));
        QVERIFY(r.rankedByRelevance);
        QVERIFY(r.hits[0].score < r.hits[1].score);
        QCOMPARE(r.hits[0].titleHighlighted, QStringLiteral("\x02Quantum\x03 \x02Ledger\x03"));
        QVERIFY2(r.hits[1].snippet.contains(QStringLiteral("\x02quantum\x03")), qPrintable(r.hits[1].snippet));
        QCOMPARE(r.hits[0].partnerName, QStringLiteral("Alpha Data"));
        QCOMPARE(r.hits[0].partnerTier, QStringLiteral("Platinum"));
    }

    void prefixes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("total");
        QTest::newRow("1 char") << QStringLiteral("q") << 2;
        QTest::newRow("2 chars") << QStringLiteral("qu") << 2;
        QTest::newRow("3 chars") << QStringLiteral("qua") << 2;
        QTest::newRow("4 chars") << QStringLiteral("quan") << 2;
        QTest::newRow("two prefixes") << QStringLiteral("ze tr") << 1;
        QTest::newRow("partner name") << QStringLiteral("gamma") << 2;
        QTest::newRow("category as tag") << QStringLiteral("secur") << 2;
        QTest::newRow("no match") << QStringLiteral("xylophone") << 0;
    }
    void prefixes()
    {
        QFETCH(QString, text);
        QFETCH(int, total);
        QCOMPARE(run(text).total, total);
    }

    void diacritics_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("title");
        QTest::newRow("plain finds accented") << QStringLiteral("cafe") << QStringLiteral("Café Analytics");
        QTest::newRow("accented finds accented") << QStringLiteral("CAFÉ") << QStringLiteral("Café Analytics");
        QTest::newRow("decomposed") << QStringLiteral("cafe\u0301") << QStringLiteral("Café Analytics");
        QTest::newRow("accented in description") << QStringLiteral("resume") << QStringLiteral("Café Analytics");
        QTest::newRow("accented query, plain text")
            << QStringLiteral("dätenbank") << QStringLiteral("Datenbank Migration");
    }
    void diacritics()
    {
        QFETCH(QString, text);
        QFETCH(QString, title);
        const MarketplaceResult r = run(text);
        QCOMPARE(r.total, 1);
        QCOMPARE(r.hits.value(0).title, title);
    }

    void hostileInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("total"); // -1: any count, only no error
        QTest::newRow("double quote") << QStringLiteral("\"quantum") << 2;
        QTest::newRow("quotes around") << QStringLiteral("\"quantum ledger\"") << 2;
        QTest::newRow("lone quote") << QStringLiteral("\"") << 6;
        QTest::newRow("AND") << QStringLiteral("quantum AND") << 0; // "and" is a word like any other
        QTest::newRow("OR") << QStringLiteral("OR") << 0;           // no word starts with "or" here
        QTest::newRow("NOT") << QStringLiteral("NOT quantum") << 0;
        QTest::newRow("NEAR") << QStringLiteral("NEAR(quantum ledger, 2)") << 0;
        QTest::newRow("star") << QStringLiteral("*") << 6;
        QTest::newRow("star prefix") << QStringLiteral("quan*") << 2;
        QTest::newRow("caret") << QStringLiteral("^quantum") << 2;
        QTest::newRow("column filter") << QStringLiteral("title:quantum") << 0;
        QTest::newRow("column set") << QStringLiteral("{title summary}: quantum") << 0;
        QTest::newRow("open paren") << QStringLiteral("((quantum") << 2;
        QTest::newRow("close paren") << QStringLiteral("quantum))") << 2;
        QTest::newRow("plus minus") << QStringLiteral("+quantum -ledger") << 2;
        QTest::newRow("semicolon sql") << QStringLiteral("'; DROP TABLE listings; --") << 0;
        QTest::newRow("NUL") << QStringLiteral("quan") + QChar(0) + QStringLiteral("tum") << 0;
        QTest::newRow("NUL separated") << QStringLiteral("quantum") + QChar(0) << 2;
        QTest::newRow("emoji") << QStringLiteral("🚀 quantum 🚀") << 2;
        QTest::newRow("only emoji") << QStringLiteral("🚀🚀") << 6;
        QTest::newRow("lone surrogate") << QString(QChar(0xd83d)) + QStringLiteral("quantum") << 2;
        QTest::newRow("10,000 chars") << QString(10000, QLatin1Char('q')) << 0;
        QTest::newRow("10,000 words") << QStringLiteral("quantum ").repeated(1250) << 2;
        QTest::newRow("control chars") << QStringLiteral("\x01\x02\x1b[0mquantum") << -1;
        QTest::newRow("backslash") << QStringLiteral("\\quantum\\") << 2;
        QTest::newRow("percent underscore") << QStringLiteral("%_%") << 6;
    }
    void hostileInput()
    {
        QFETCH(QString, text);
        QFETCH(int, total);
        MarketplaceQuery q;
        q.text = text;
        auto r = m_search->search(q);
        QVERIFY2(r, qPrintable(r.error()));
        QVERIFY(r->words.size() <= MarketplaceSearch::kMaxWords);
        if (total >= 0)
            QCOMPARE(r->total, total);
    }

    void matchExpressionQuotesEveryWord()
    {
        QCOMPARE(MarketplaceSearch::words(QStringLiteral("NEAR(a \"b\" c*) d:e")),
                 (QStringList{QStringLiteral("NEAR"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                              QStringLiteral("d"), QStringLiteral("e")}));
        QCOMPARE(MarketplaceSearch::matchExpression({QStringLiteral("NEAR"), QStringLiteral("a")}),
                 QStringLiteral("\"NEAR\"* \"a\"*"));
        QCOMPARE(MarketplaceSearch::words(QString(300, QLatin1Char('x'))).value(0).size(),
                 MarketplaceSearch::kMaxWordChars);
        QCOMPARE(MarketplaceSearch::words(QStringLiteral("a ").repeated(100)).size(), MarketplaceSearch::kMaxWords);
    }

    // For every facet value shown, selecting it must return exactly the count shown.
    void facetCountsAgreeWithResults_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("preFacet");
        QTest::addColumn<QString>("preValue");
        QTest::newRow("everything") << QString() << QString() << QString();
        QTest::newRow("text") << QStringLiteral("migration") << QString() << QString();
        QTest::newRow("text + region") << QStringLiteral("a") << QStringLiteral("region") << QStringLiteral("DACH");
        QTest::newRow("cloud selected") << QString() << QStringLiteral("cloud") << QStringLiteral("aws");
        QTest::newRow("type selected") << QString() << QStringLiteral("type") << QStringLiteral("reseller");
        QTest::newRow("tier selected") << QStringLiteral("data") << QStringLiteral("tier") << QStringLiteral("Gold");
    }
    void facetCountsAgreeWithResults()
    {
        QFETCH(QString, text);
        QFETCH(QString, preFacet);
        QFETCH(QString, preValue);
        MarketplaceQuery base;
        base.text = text;
        base.limit = 0;
        if (!preFacet.isEmpty())
            base.filters[int(*MarketplaceSearch::facetFromKey(preFacet))] = {preValue};
        const MarketplaceResult r = run(base);
        int checked = 0;
        for (int f = 0; f < kMarketplaceFacetCount; ++f) {
            for (const FacetCount &c : r.facets[f]) {
                MarketplaceQuery q = base;
                q.filters[f] = {c.value};
                const MarketplaceResult narrowed = run(q);
                QVERIFY2(narrowed.total == c.count,
                         qPrintable(QStringLiteral("%1=%2: shown %3, found %4")
                                        .arg(MarketplaceSearch::facetKey(MarketplaceFacet(f)), c.value)
                                        .arg(c.count)
                                        .arg(narrowed.total)));
                ++checked;
            }
        }
        QVERIFY(checked > 5);
        // The selected facet keeps showing its other values (disjunctive), so the pane can widen the choice.
        if (!preFacet.isEmpty())
            QVERIFY(r.facets[int(*MarketplaceSearch::facetFromKey(preFacet))].size() > 1 ||
                    text == QLatin1String("data"));
    }

    void multipleValuesInOneFacetAreOr()
    {
        MarketplaceQuery q;
        q.filters[int(MarketplaceFacet::Cloud)] = {QStringLiteral("gcp"), QStringLiteral("azure")};
        QCOMPARE(run(q).total, 4);
        q.filters[int(MarketplaceFacet::Language)] = {QStringLiteral("en")};
        QCOMPARE(run(q).total, 2);
        q.filters[int(MarketplaceFacet::Language)] = {QStringLiteral("tlh")};
        const MarketplaceResult none = run(q);
        QCOMPARE(none.total, 0);
        const QList<FacetCount> languages = none.facets[int(MarketplaceFacet::Language)];
        const auto tlh = std::find_if(languages.begin(), languages.end(),
                                      [](const FacetCount &c) { return c.value == QLatin1String("tlh"); });
        QVERIFY(tlh != languages.end());
        QVERIFY(tlh->selected);
        QCOMPARE(tlh->count, 0);
    }

    void sorts()
    {
        MarketplaceQuery q;
        q.limit = 3;
        q.sort = MarketplaceSort::Name;
        QCOMPARE(titles(run(q)), (QStringList{QStringLiteral("Café Analytics"), QStringLiteral("Datenbank Migration"),
                                              QStringLiteral("Ledger Migration Service")}));
        q.offset = 3;
        QCOMPARE(titles(run(q)), (QStringList{QStringLiteral("Quantum Ledger"), QStringLiteral("Security Assessment"),
                                              QStringLiteral("Zero Trust Gateway")}));
        q.offset = 0;
        q.sort = MarketplaceSort::Newest;
        QCOMPARE(run(q).hits.value(0).title, QStringLiteral("Datenbank Migration"));
        q.sort = MarketplaceSort::Tier;
        q.text = QStringLiteral("migration");
        QCOMPARE(titles(run(q)),
                 (QStringList{QStringLiteral("Datenbank Migration"), QStringLiteral("Ledger Migration Service")}));
    }

    void draftsOnlyForTheirOrganization()
    {
        MarketplaceQuery q;
        q.text = QStringLiteral("draft");
        QCOMPARE(run(q).total, 0);
        q.includeDrafts = true;
        q.organizationId = m_alpha;
        const MarketplaceResult r = run(q);
        QCOMPARE(r.total, 1);
        QCOMPARE(r.hits.value(0).state, ListingState::Draft);
        q.organizationId = QStringLiteral("unknown");
        QVERIFY(!m_search->search(q));
    }

    void followsWritesThroughTheJournal()
    {
        QCOMPARE(run(QStringLiteral("hologram")).total, 0);
        const Listing l = add(m_beta, QStringLiteral("Hologram Studio"), QStringLiteral("3D"), QString(),
                              {QStringLiteral("Collaboration")});
        QCOMPARE(run(QStringLiteral("hologram")).total, 1);
        QCOMPARE(run(QString()).facets[int(MarketplaceFacet::Category)].size(), 4);

        // Renaming the partner reaches the index (trigger) and the in-memory table (journal).
        OrganizationRepository orgs(*m_ws);
        Organization beta = orgs.find(m_beta).value();
        beta.name = QStringLiteral("Omikron Partners");
        QVERIFY(orgs.update(beta));
        const MarketplaceResult r = run(QStringLiteral("omikron hologram"));
        QCOMPARE(r.total, 1);
        QCOMPARE(r.hits.value(0).partnerName, QStringLiteral("Omikron Partners"));
        ListingRepository repo(*m_ws);
        QVERIFY(repo.remove(l.id));
        QCOMPARE(run(QStringLiteral("hologram")).total, 0);
    }

    // Above kRankLimit matches the order falls back to partner tier and name, and says so; the match set and the
    // counts stay exact.
    void largeMatchSetsAreNotRanked()
    {
        test::TempDir dir;
        auto ws = test::marketplaceWorkspace(dir.file(QStringLiteral("big.ecotone")));
        QVERIFY(ws);
        const QString gold = test::addPartner(*ws, QStringLiteral("Gold One"), {PartnerType::Isv});
        const QString silver =
            test::addPartner(*ws, QStringLiteral("Silver One"), {PartnerType::Isv}, QStringLiteral("Silver"));
        QList<Listing> listings;
        const int n = MarketplaceSearch::kRankLimit + 100;
        for (int i = 0; i < n; ++i)
            listings << test::makeListing(i % 2 ? gold : silver,
                                          QStringLiteral("Widget %1").arg(i, 5, 10, QLatin1Char('0')));
        ListingRepository repo(*ws);
        QVERIFY(repo.createMany(listings));
        MarketplaceSearch search(*ws);
        MarketplaceQuery q;
        q.text = QStringLiteral("widg");
        q.limit = 2;
        auto broad = search.search(q);
        QVERIFY(broad);
        QCOMPARE(broad->total, n);
        QVERIFY(!broad->rankedByRelevance);
        QCOMPARE(broad->hits.value(0).title, QStringLiteral("Widget 00001")); // Gold before Silver, then by name
        QCOMPARE(broad->hits.value(0).titleHighlighted, QStringLiteral("\x02Widget\x03 00001"));
        q.text = QStringLiteral("widget 00042");
        auto narrow = search.search(q);
        QVERIFY(narrow);
        QCOMPARE(narrow->total, 1);
        QVERIFY(narrow->rankedByRelevance);
        q.text = QStringLiteral("widg");
        q.filters[int(MarketplaceFacet::Tier)] = {QStringLiteral("Silver")};
        auto silverOnly = search.search(q);
        QVERIFY(silverOnly);
        QCOMPARE(silverOnly->total, n / 2);
    }
};

QTEST_GUILESS_MAIN(TestMarketplaceSearch)
#include "TestMarketplaceSearch.moc"
