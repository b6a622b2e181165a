#include "MarketplaceFixtures.h"

#include "marketplace/ListingRepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

class TestListingRepository : public QObject
{
    Q_OBJECT

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_a;
    QString m_b;
    int m_n = 0;

    qint64 journalCount(const QString &table, const QString &op)
    {
        QSqlQuery q(m_ws->db());
        q.prepare(QStringLiteral("SELECT count(*) FROM journal WHERE table_name = ? AND op = ?"));
        q.addBindValue(table);
        q.addBindValue(op);
        return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void init()
    {
        m_ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("l%1.ecotone").arg(++m_n)));
        QVERIFY(m_ws);
        m_a = test::addPartner(*m_ws, QStringLiteral("Alpha Data"), {PartnerType::Technology});
        m_b = test::addPartner(*m_ws, QStringLiteral("Beta Systems"), {PartnerType::SystemsIntegrator});
        QVERIFY(!m_a.isEmpty() && !m_b.isEmpty());
    }
    void cleanup() { m_ws.reset(); }

    void createFindAndJournal()
    {
        ListingRepository repo(*m_ws);
        int tick = 0;
        repo.setClock([&tick] { return QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC).addSecs(tick++); });
        Listing l = test::makeListing(m_a, QStringLiteral("  Stream Lake  "));
        l.clouds = {QStringLiteral("AWS"), QStringLiteral("gcp")};
        l.languages = {QStringLiteral("en"), QStringLiteral("de")};
        l.pricingModel = QStringLiteral("subscription");
        l.logo = QByteArray("\x89PNG\r\n\x1a\n....", 12);
        const Status s = repo.create(l);
        QVERIFY2(s, qPrintable(s.error()));
        QVERIFY(IdGenerator::isValid(l.id));
        auto found = repo.find(l.id);
        QVERIFY(found);
        QCOMPARE(found->title, QStringLiteral("Stream Lake"));
        QCOMPARE(found->clouds, (QStringList{QStringLiteral("aws"), QStringLiteral("gcp")}));
        QCOMPARE(found->logo, l.logo);
        QCOMPARE(found->state, ListingState::Published);
        QCOMPARE(found->createdAt, QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC));
        QCOMPARE(journalCount(QStringLiteral("listings"), QStringLiteral("insert")), 1);
        QCOMPARE(journalCount(QStringLiteral("listings"), QStringLiteral("update")), 1); // the logo

        // An unchanged save writes nothing; a change writes one entry per field plus updated_at.
        Listing same = found.value();
        QVERIFY(repo.update(same));
        QCOMPARE(journalCount(QStringLiteral("listings"), QStringLiteral("update")), 1);
        same.summary = QStringLiteral("New summary");
        QVERIFY(repo.update(same));
        QCOMPARE(journalCount(QStringLiteral("listings"), QStringLiteral("update")), 3);
    }

    void validation_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("no title") << 0 << QStringLiteral("A title is required.");
        QTest::newRow("bad cloud") << 1 << QStringLiteral("Unknown cloud marketplace \"ibm\"");
        QTest::newRow("bundle of one") << 2 << QStringLiteral("at least two listings");
        QTest::newRow("missing member") << 3 << QStringLiteral("does not exist");
        QTest::newRow("published without summary") << 4 << QStringLiteral("needs a summary");
        QTest::newRow("unknown organization") << 5 << QStringLiteral("organization nope does not exist");
        QTest::newRow("integration without target") << 6 << QStringLiteral("integrates with");
        QTest::newRow("bad pricing") << 7 << QStringLiteral("Unknown pricing model");
        QTest::newRow("logo not an image") << 8 << QStringLiteral("PNG, JPEG or SVG");
    }
    void validation()
    {
        QFETCH(int, variant);
        QFETCH(QString, fragment);
        ListingRepository repo(*m_ws);
        Listing l = test::makeListing(m_a, QStringLiteral("Valid"));
        switch (variant) {
        case 0:
            l.title = QStringLiteral("   ");
            break;
        case 1:
            l.clouds = {QStringLiteral("ibm")};
            break;
        case 2:
            l.kind = ListingKind::Bundle;
            l.bundleMembers = {QStringLiteral("x")};
            break;
        case 3:
            l.kind = ListingKind::Bundle;
            l.bundleMembers = {QStringLiteral("x"), QStringLiteral("y")};
            break;
        case 4:
            l.summary.clear();
            break;
        case 5:
            l.organizationId = QStringLiteral("nope");
            break;
        case 6:
            l.kind = ListingKind::Integration;
            break;
        case 7:
            l.pricingModel = QStringLiteral("barter");
            break;
        case 8:
            l.logo = "GIF89a";
            break;
        }
        const Status s = repo.create(l);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(fragment), qPrintable(s.error()));
        QCOMPARE(test::rowCount(*m_ws, QStringLiteral("listings")), 0);
        QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), 2); // the two partners only
    }

    void bundlesSpanPartnersAndProtectMembers()
    {
        ListingRepository repo(*m_ws);
        Listing a1 = test::makeListing(m_a, QStringLiteral("A one"));
        Listing a2 = test::makeListing(m_a, QStringLiteral("A two"));
        Listing b1 = test::makeListing(m_b, QStringLiteral("B one"));
        QVERIFY(repo.create(a1) && repo.create(a2) && repo.create(b1));
        Listing same = test::makeListing(m_a, QStringLiteral("Same partner bundle"));
        same.kind = ListingKind::Bundle;
        same.bundleMembers = {a1.id, a2.id};
        QVERIFY(!repo.create(same));
        Listing bundle = test::makeListing(m_a, QStringLiteral("Joint bundle"));
        bundle.kind = ListingKind::Bundle;
        bundle.bundleMembers = {a1.id, b1.id};
        QVERIFY(repo.create(bundle));
        const Status s = repo.remove(b1.id);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("Joint bundle")), qPrintable(s.error()));
        QVERIFY(repo.remove(bundle.id));
        QVERIFY(repo.remove(b1.id));
        QCOMPARE(journalCount(QStringLiteral("listings"), QStringLiteral("delete")), 2);
    }

    void publishUnpublish()
    {
        ListingRepository repo(*m_ws);
        Listing l = test::makeListing(m_a, QStringLiteral("Drafted"));
        l.state = ListingState::Draft;
        l.categories.clear();
        QVERIFY(repo.create(l));
        Status s = repo.publish(l.id);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("category")), qPrintable(s.error()));
        l.categories = {QStringLiteral("DevOps")};
        QVERIFY(repo.update(l));
        QCOMPARE(repo.find(l.id)->state, ListingState::Draft); // update never changes the state
        QVERIFY(repo.publish(l.id));
        QCOMPARE(repo.find(l.id)->state, ListingState::Published);
        QVERIFY(repo.unpublish(l.id));
        QCOMPARE(repo.find(l.id)->state, ListingState::Draft);
        auto mine = repo.forOrganization(m_a, false);
        QVERIFY(mine);
        QVERIFY(mine->isEmpty());
        QCOMPARE(repo.forOrganization(m_a)->size(), 1);
    }

    void favourites()
    {
        ListingRepository repo(*m_ws);
        Listing l = test::makeListing(m_a, QStringLiteral("Fav"));
        QVERIFY(repo.create(l));
        QCOMPARE(repo.toggleFavourite(l.id).value(), true);
        QCOMPARE(repo.isFavourite(l.id).value(), true);
        QCOMPARE(repo.favourites().value(), QStringList{l.id});
        QCOMPARE(repo.favourites(QStringLiteral("someone-else")).value(), QStringList{});
        QCOMPARE(repo.toggleFavourite(l.id).value(), false);
        QVERIFY(repo.favourites()->isEmpty());
        QCOMPARE(repo.toggleFavourite(l.id).value(), true);
        QVERIFY(repo.remove(l.id)); // takes the favourite with it
        QCOMPARE(test::rowCount(*m_ws, QStringLiteral("listing_favourites")), 0);
        QCOMPARE(journalCount(QStringLiteral("listing_favourites"), QStringLiteral("delete")), 2);
        QVERIFY(!repo.toggleFavourite(QStringLiteral("missing")));
    }

    void markdownSubset()
    {
        const QString html = listing::descriptionToHtml(
            QStringLiteral("**Fast** and *safe* <script>\n\n- one\n- [docs](https://example.test/x)\n\nafter `x`"));
        QCOMPARE(html, QStringLiteral(
                           "<p><b>Fast</b> and <i>safe</i> &lt;script&gt;</p><ul><li>one</li>"
                           "<li><a href=\"https://example.test/x\">docs</a></li></ul><p>after <code>x</code></p>"));
        QCOMPARE(listing::descriptionToHtml(QStringLiteral("[x](javascript:alert(1))")),
                 QStringLiteral("<p>[x](javascript:alert(1))</p>"));
    }
};

QTEST_GUILESS_MAIN(TestListingRepository)
#include "TestListingRepository.moc"
