// What the Account Mapping pane may show of a partner's accounts: the terms in force per population (hidden, counts,
// overlap, full; missing, unconsented, revoked, expired), the drill-down and greenfield they allow, the ledger entry
// of every view and export, and a CSV export that holds only the agreed fields.
#include "MappingFixtures.h"
#include "governance/AgreementRepository.h"
#include "mapping/Csv.h"
#include "mapping/WorkspaceOverlap.h"

#include <QFile>
#include <QTest>

using namespace ecotone;
using namespace ecotone::overlap;

class TestOverlapGovernance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void levels_data();
    void levels();
    void notInForce_data();
    void notInForce();
    void revokeTakesEffectAtOnce();
    void exportWritesOnlyAgreedFields();
    void exportRefusedAfterRevoke();

private:
    // Grants (partner, population) at level with fields; consents as asked.
    QString grant(const QString &population, SharingLevel level, const QStringList &fields, bool ours = true,
                  bool theirs = true, const QDateTime &expires = {});
    qint64 ledgerCount(const QString &action);

    std::unique_ptr<test::TempDir> m_dir;
    test::SmallEcosystem m_e;
    std::unique_ptr<Overlap> m_overlap;
};

void TestOverlapGovernance::init()
{
    m_dir = std::make_unique<test::TempDir>();
    const QString path = m_dir->file(QStringLiteral("g.ecotone"));
    m_e = test::smallEcosystem(path);
    QVERIFY(m_e.ws);
    OverlapSource source(path);
    auto o = source.compute(m_e.partnerId, standardPopulations());
    QVERIFY(o.ok());
    m_overlap = std::make_unique<Overlap>(o.value());
}

void TestOverlapGovernance::cleanup()
{
    m_overlap.reset();
    m_e.ws.reset();
    m_dir.reset();
}

QString TestOverlapGovernance::grant(const QString &population, SharingLevel level, const QStringList &fields,
                                     bool ours, bool theirs, const QDateTime &expires)
{
    AgreementRepository repo(*m_e.ws, QStringLiteral("tester"));
    SharingAgreement a;
    a.partnerId = m_e.partnerId;
    a.population = population;
    a.level = level;
    a.fields = fields;
    a.expiresAt = expires;
    if (Status s = repo.create(a); !s) {
        qWarning("grant: %s", qPrintable(s.error()));
        return {};
    }
    if (ours)
        (void)repo.consent(a.id, AgreementRepository::Side::Ours);
    if (theirs)
        (void)repo.consent(a.id, AgreementRepository::Side::Theirs);
    return a.id;
}

qint64 TestOverlapGovernance::ledgerCount(const QString &action)
{
    ConsentLedger ledger(*m_e.ws);
    auto entries = ledger.entries();
    return std::count_if(entries->begin(), entries->end(), [&](const LedgerEntry &e) { return e.action == action; });
}

void TestOverlapGovernance::levels_data()
{
    QTest::addColumn<int>("level"); // -1: no agreement
    QTest::addColumn<bool>("counts");
    QTest::addColumn<bool>("drill");
    QTest::addColumn<bool>("greenfield");
    QTest::newRow("no agreement") << -1 << false << false << false;
    QTest::newRow("hidden") << int(SharingLevel::Hidden) << false << false << false;
    QTest::newRow("counts") << int(SharingLevel::Counts) << true << false << false;
    QTest::newRow("overlap") << int(SharingLevel::Overlap) << true << true << false;
    QTest::newRow("full") << int(SharingLevel::Full) << true << true << true;
}

void TestOverlapGovernance::levels()
{
    QFETCH(int, level);
    QFETCH(bool, counts);
    QFETCH(bool, drill);
    QFETCH(bool, greenfield);
    const QStringList fields{QStringLiteral("name"), QStringLiteral("country")};
    if (level >= 0)
        QVERIFY(!grant(QStringLiteral("customer"), SharingLevel(level),
                       level >= int(SharingLevel::Overlap) ? fields : QStringList())
                     .isEmpty());
    GovernedOverlap governed(*m_e.ws, QStringLiteral("tester"));
    auto terms = governed.terms(m_e.partnerId, QStringLiteral("customer"));
    QVERIFY(terms.ok());
    QCOMPARE(terms->countsVisible(), counts);
    QCOMPARE(terms->recordsVisible(), drill);
    QCOMPARE(terms->why.isEmpty(), counts);
    // Other populations stay hidden: each has its own agreement.
    QVERIFY(!governed.terms(m_e.partnerId, QStringLiteral("prospect"))->countsVisible());

    const qint64 viewsBefore = ledgerCount(QStringLiteral("view"));
    auto cell = governed.viewCell(*m_overlap, 0, 0); // our customers x their customers: Acme
    QVERIFY(cell.ok());
    QCOMPARE(cell->allowed, drill);
    QCOMPARE(cell->theirs.size(), drill ? 1 : 0);
    if (drill) {
        QCOMPARE(cell->theirs.first().keys(), QStringList({QStringLiteral("country"), QStringLiteral("name")}));
        QCOMPARE(cell->theirs.first().value(QStringLiteral("name")), QStringLiteral("ACME"));
    }
    auto green = governed.viewGreenfield(*m_overlap);
    QVERIFY(green.ok());
    QCOMPARE(green->allowed, greenfield);
    if (greenfield)
        QCOMPARE(green->theirs.first().value(QStringLiteral("name")), QStringLiteral("Omega Partners"));
    // Every view that showed records is in the ledger; refused ones are not.
    QCOMPARE(ledgerCount(QStringLiteral("view")), viewsBefore + (drill ? 1 : 0) + (greenfield ? 1 : 0));
    if (drill) {
        ConsentLedger ledger(*m_e.ws);
        const LedgerEntry last = ledger.entries()->last();
        QCOMPARE(last.actor, QStringLiteral("tester"));
        QVERIFY(!last.agreementId.isEmpty());
        const LedgerEntry &cellEntry = ledger.entries()->at(ledger.entries()->size() - (greenfield ? 2 : 1));
        QCOMPARE(cellEntry.detail.value(QStringLiteral("partner_id")).toString(), m_e.partnerId);
        QCOMPARE(cellEntry.detail.value(QStringLiteral("our_population")).toString(), QStringLiteral("customer"));
        QCOMPARE(cellEntry.detail.value(QStringLiteral("their_population")).toString(), QStringLiteral("customer"));
        QCOMPARE(cellEntry.detail.value(QStringLiteral("rows")).toInt(), 1);
        QVERIFY(ledger.verify()->intact());
    }
}

void TestOverlapGovernance::notInForce_data()
{
    QTest::addColumn<bool>("ours");
    QTest::addColumn<bool>("theirs");
    QTest::addColumn<int>("expiresInDays");
    QTest::addColumn<int>("clockDays");
    QTest::addColumn<QString>("why");
    QTest::newRow("only our consent") << true << false << 0 << 0 << QStringLiteral("consent");
    QTest::newRow("only their consent") << false << true << 0 << 0 << QStringLiteral("consent");
    QTest::newRow("expired") << true << true << 1 << 2 << QStringLiteral("expired");
    QTest::newRow("not yet expired") << true << true << 3 << 2 << QString();
}

void TestOverlapGovernance::notInForce()
{
    QFETCH(bool, ours);
    QFETCH(bool, theirs);
    QFETCH(int, expiresInDays);
    QFETCH(int, clockDays);
    QFETCH(QString, why);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(!grant(QStringLiteral("customer"), SharingLevel::Full, {QStringLiteral("name")}, ours, theirs,
                   expiresInDays ? now.addDays(expiresInDays) : QDateTime())
                 .isEmpty());
    GovernedOverlap governed(*m_e.ws, QStringLiteral("tester"));
    governed.setClock([now, clockDays] { return now.addDays(clockDays); });
    auto terms = governed.terms(m_e.partnerId, QStringLiteral("customer"));
    QVERIFY(terms.ok());
    QCOMPARE(terms->stored, SharingLevel::Full);
    if (why.isEmpty()) {
        QCOMPARE(terms->level, SharingLevel::Full);
        return;
    }
    QCOMPARE(terms->level, SharingLevel::Hidden);
    QVERIFY2(terms->why.contains(why), qPrintable(terms->why));
    QVERIFY(!governed.viewCell(*m_overlap, 0, 0)->allowed);
    QVERIFY(!governed.viewGreenfield(*m_overlap)->allowed);
    QCOMPARE(ledgerCount(QStringLiteral("view")), 0);
}

void TestOverlapGovernance::revokeTakesEffectAtOnce()
{
    const QString id = grant(QStringLiteral("opportunity"), SharingLevel::Overlap, {QStringLiteral("name")});
    GovernedOverlap governed(*m_e.ws, QStringLiteral("tester"));
    auto before = governed.viewCell(*m_overlap, 0, 1); // our customers x their opportunities: Delta
    QVERIFY(before.ok() && before->allowed);
    QCOMPARE(before->theirs.size(), 2); // both of our Delta records, paired with their one
    AgreementRepository repo(*m_e.ws, QStringLiteral("tester"));
    QVERIFY(repo.revoke(id, QStringLiteral("test")).ok());
    auto after = governed.viewCell(*m_overlap, 0, 1);
    QVERIFY(after.ok());
    QVERIFY(!after->allowed);
    QVERIFY(after->theirs.isEmpty());
    QVERIFY(after->terms.why.contains(QLatin1String("revoked")));
    QVERIFY(!after->terms.countsVisible());
    QVERIFY(csvRows(*m_overlap, after.value()).isEmpty());
}

void TestOverlapGovernance::exportWritesOnlyAgreedFields()
{
    grant(QStringLiteral("customer"), SharingLevel::Full, {QStringLiteral("name"), QStringLiteral("domain")});
    GovernedOverlap governed(*m_e.ws, QStringLiteral("tester"));
    auto shown = governed.viewCell(*m_overlap, 2, 0); // our prospects x their customers: Beta
    QVERIFY(shown.ok() && shown->allowed);
    const QString path = m_dir->file(QStringLiteral("beta.csv"));
    const qint64 exportsBefore = ledgerCount(QStringLiteral("export"));
    auto rows = governed.exportCsv(*m_overlap, shown.value(), path);
    QVERIFY2(rows.ok(), qPrintable(rows.error()));
    QCOMPARE(rows.value(), 1);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    CsvReader reader(&file, path);
    QStringList header, row;
    QVERIFY(reader.next(header));
    QCOMPARE(header,
             QStringList({QStringLiteral("our_name"), QStringLiteral("our_domain"), QStringLiteral("our_country"),
                          QStringLiteral("our_status"), QStringLiteral("their_name"), QStringLiteral("their_domain"),
                          QStringLiteral("rule"), QStringLiteral("score")}));
    QVERIFY(reader.next(row));
    QCOMPARE(row.at(0), QStringLiteral("Beta Systems GmbH"));
    QCOMPARE(row.at(4), QStringLiteral("Beta Systems"));
    QCOMPARE(row.at(5), QStringLiteral("beta.de"));
    QCOMPARE(row.at(6), QStringLiteral("domain"));
    // Nothing of theirs beyond the agreed fields: not their country, website, industry or CRM id.
    file.seek(0);
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("www.beta.de"));
    QVERIFY(!bytes.contains("X-Beta"));
    QCOMPARE(ledgerCount(QStringLiteral("export")), exportsBefore + 1);
    ConsentLedger ledger(*m_e.ws);
    const LedgerEntry last = ledger.entries()->last();
    QCOMPARE(last.action, QStringLiteral("export"));
    QCOMPARE(last.detail.value(QStringLiteral("file")).toString(), QStringLiteral("beta.csv"));
    QCOMPARE(last.detail.value(QStringLiteral("rows")).toInt(), 1);

    auto green = governed.viewGreenfield(*m_overlap);
    QVERIFY(green.ok() && green->allowed);
    const QString greenPath = m_dir->file(QStringLiteral("green.csv"));
    QCOMPARE(governed.exportCsv(*m_overlap, green.value(), greenPath).value(), 1);
    QFile g(greenPath);
    QVERIFY(g.open(QIODevice::ReadOnly));
    QCOMPARE(g.readAll(), QByteArray("their_name,their_domain\r\nOmega Partners,omega.net\r\n"));
}

void TestOverlapGovernance::exportRefusedAfterRevoke()
{
    const QString id = grant(QStringLiteral("customer"), SharingLevel::Overlap, {QStringLiteral("name")});
    GovernedOverlap governed(*m_e.ws, QStringLiteral("tester"));
    auto shown = governed.viewCell(*m_overlap, 0, 0);
    QVERIFY(shown.ok() && shown->allowed);
    AgreementRepository repo(*m_e.ws, QStringLiteral("tester"));
    QVERIFY(repo.revoke(id).ok());
    const QString path = m_dir->file(QStringLiteral("refused.csv"));
    auto rows = governed.exportCsv(*m_overlap, shown.value(), path);
    QVERIFY(!rows.ok());
    QVERIFY(rows.error().contains(QLatin1String("no longer allows")));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(ledgerCount(QStringLiteral("export")), 0);
}

QTEST_GUILESS_MAIN(TestOverlapGovernance)
#include "TestOverlapGovernance.moc"
