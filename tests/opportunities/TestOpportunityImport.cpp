// importOpportunities into a workspace: inserts with journal entries, re-import updates without duplicating,
// links to the owner's accounts by CRM id or unique normalized name, and refuses bad files without a trace.
#include "TestSupport.h"
#include "mapping/OpportunityImport.h"
#include "store/OpportunityRepository.h"
#include "store/Repositories.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

namespace {
bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QVariant scalar(Workspace &ws, const QString &sql)
{
    QSqlQuery q(ws.db());
    if (!q.exec(sql) || !q.next())
        return QString(QStringLiteral("error: ") + sql);
    return q.value(0);
}

const QByteArray kSalesforce = "Id,Name,AccountId,Account.Name,StageName,Amount,CurrencyIsoCode,CloseDate,Owner.Name\n"
                               "006A,Acme renewal,001A,Acme GmbH,Closed Won,\"1,234.56\",EUR,2025-03-31,Ava Okafor\n"
                               "006B,Beta expansion,,\"BETA, Inc.\",Prospecting,,USD,2025-09-30,Liam Silva\n"
                               "006C,Twin deal,,Twin Ltd,Closed Lost,5000,GBP,2024-12-01,\n"
                               "006D,Nobody's deal,009Z,Unknown Co,Qualification,10,USD,2025-01-15,\n";
} // namespace

class TestOpportunityImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void importsLinksAndJournals();
    void reimportUpdatesNotDuplicates();
    void badRowsLeaveWorkspaceUnchanged_data();
    void badRowsLeaveWorkspaceUnchanged();
    void repository();
    void removingOrganizationTakesOpportunities();
    void anyCsvThroughChosenColumns();
    void badColumnChoicesAreRefused_data();
    void badColumnChoicesAreRefused();
    void cancelledImportChangesNothing();
    void detectsOpportunityExports();

private:
    std::unique_ptr<test::TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_owner;
    QString m_other;
    QString m_acme, m_beta;
};

void TestOpportunityImport::init()
{
    m_dir = std::make_unique<test::TempDir>();
    m_ws = test::createWorkspace(m_dir->file(QStringLiteral("w.ecotone")));
    QVERIFY(m_ws);
    OrganizationRepository orgs(*m_ws);
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Vendor");
    QVERIFY(orgs.insert(vendor).ok());
    Organization partner;
    partner.name = QStringLiteral("Partner");
    partner.types = {PartnerType::Reseller};
    QVERIFY(orgs.insert(partner).ok());
    m_owner = partner.id;
    m_other = vendor.id;
    AccountRepository accounts(*m_ws);
    auto account = [&](const QString &owner, const QString &name, const QString &externalId) {
        Account a;
        a.ownerId = owner;
        a.name = name;
        a.externalId = externalId;
        [&] { QVERIFY(accounts.insert(a).ok()); }();
        return a.id;
    };
    m_acme = account(m_owner, QStringLiteral("Acme"), QStringLiteral("001A"));
    m_beta = account(m_owner, QStringLiteral("Beta Incorporated"), QStringLiteral("001B"));
    account(m_owner, QStringLiteral("Twin Limited"), QStringLiteral("001T"));
    account(m_owner, QStringLiteral("Twin PLC"), QStringLiteral("001U"));   // same normalized name: ambiguous
    account(m_other, QStringLiteral("Unknown Co"), QStringLiteral("009Z")); // another owner's: never linked
}

void TestOpportunityImport::cleanup()
{
    m_ws.reset();
    m_dir.reset();
}

void TestOpportunityImport::importsLinksAndJournals()
{
    const QString path = m_dir->file(QStringLiteral("sf.csv"));
    QVERIFY(write(path, kSalesforce));
    const qint64 journalBefore = test::rowCount(*m_ws, QStringLiteral("journal"));
    OpportunityImportOptions options;
    options.crmSource = QStringLiteral("salesforce");
    auto report = importOpportunities(*m_ws, m_owner, path, options);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 4);
    QCOMPARE(report->updated, 0);
    QCOMPARE(report->linked, 2);
    QCOMPARE(report->unlinked, 2);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 4);

    OpportunityRepository repo(*m_ws);
    auto all = repo.forOwner(m_owner);
    QVERIFY(all.ok());
    QHash<QString, Opportunity> byId;
    for (const Opportunity &o : all.value())
        byId.insert(o.externalId, o);
    QCOMPARE(byId.value(QStringLiteral("006A")).accountId, m_acme);    // by CRM id
    QCOMPARE(byId.value(QStringLiteral("006B")).accountId, m_beta);    // by normalized name
    QCOMPARE(byId.value(QStringLiteral("006C")).accountId, QString()); // two Twins: not linked
    QCOMPARE(byId.value(QStringLiteral("006C")).accountName, QStringLiteral("Twin Ltd"));
    QCOMPARE(byId.value(QStringLiteral("006D")).accountId, QString()); // the vendor's account is not ours
    QCOMPARE(byId.value(QStringLiteral("006D")).accountExternalId, QStringLiteral("009Z"));
    const Opportunity acme = byId.value(QStringLiteral("006A"));
    QCOMPARE(acme.state, QStringLiteral("won"));
    QCOMPARE(acme.amountMinor.value(), 123456);
    QCOMPARE(acme.currency, QStringLiteral("EUR"));
    QCOMPARE(acme.closeDate, QDate(2025, 3, 31));
    QCOMPARE(acme.crmOwner, QStringLiteral("Ava Okafor"));
    QCOMPARE(acme.crmSource, QStringLiteral("salesforce"));
    QCOMPARE(byId.value(QStringLiteral("006C")).state, QStringLiteral("lost"));

    // Stored as SQL types: an INTEGER amount, NULL for no amount and no account.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT typeof(amount_minor) FROM opportunities WHERE external_id = '006A'"))
                 .toString(),
             QStringLiteral("integer"));
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT typeof(amount_minor) || typeof(account_id) FROM opportunities "
                                          "WHERE external_id = '006B'"))
                 .toString(),
             QStringLiteral("nulltext"));
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT COUNT(*) FROM opportunities WHERE account_id IS NULL")).toInt(), 2);

    // One insert entry per row, the row as JSON with the amount a number and no account a null.
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journalBefore + 4);
    const QString entry = scalar(*m_ws, QStringLiteral("SELECT value FROM journal WHERE table_name = 'opportunities' "
                                                       "AND op = 'insert' AND row_id = '%1'")
                                            .arg(acme.id))
                              .toString();
    const QJsonObject json = QJsonDocument::fromJson(entry.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("amount_minor")).toInteger(), 123456);
    QCOMPARE(json.value(QStringLiteral("account_id")).toString(), m_acme);
    QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("won"));
    const QString beta = scalar(*m_ws, QStringLiteral("SELECT j.value FROM journal j JOIN opportunities o ON o.id = "
                                                      "j.row_id WHERE o.external_id = '006B'"))
                             .toString();
    const QJsonObject betaJson = QJsonDocument::fromJson(beta.toUtf8()).object();
    QVERIFY2(betaJson.value(QStringLiteral("amount_minor")).isNull(), qPrintable(beta));
    QCOMPARE(betaJson.value(QStringLiteral("account_id")).toString(), m_beta);
    const QString twin = scalar(*m_ws, QStringLiteral("SELECT j.value FROM journal j JOIN opportunities o ON o.id = "
                                                      "j.row_id WHERE o.external_id = '006C'"))
                             .toString();
    QVERIFY2(QJsonDocument::fromJson(twin.toUtf8()).object().value(QStringLiteral("account_id")).isNull(),
             qPrintable(twin));
}

void TestOpportunityImport::reimportUpdatesNotDuplicates()
{
    const QString path = m_dir->file(QStringLiteral("sf.csv"));
    QVERIFY(write(path, kSalesforce));
    QVERIFY(importOpportunities(*m_ws, m_owner, path).ok());
    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));

    // The same file: nothing written.
    auto again = importOpportunities(*m_ws, m_owner, path);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again->unchanged, 4);
    QCOMPARE(again->inserted + again->updated, 0);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal);

    // Beta moves to Closed Won with an amount, the amount of Twin goes; Acme stays.
    QByteArray changed = kSalesforce;
    changed.replace("Prospecting,,USD", "Closed Won,\"2,000\",USD").replace("Closed Lost,5000,GBP", "Closed Lost,,GBP");
    QVERIFY(write(path, changed));
    auto updated = importOpportunities(*m_ws, m_owner, path);
    QVERIFY2(updated.ok(), qPrintable(updated.error()));
    QCOMPARE(updated->updated, 2);
    QCOMPARE(updated->unchanged, 2);
    QCOMPARE(updated->inserted, 0);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 4);
    // Beta: stage, state, amount_minor; Twin: amount_minor. One entry per changed field.
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal + 4);
    QCOMPARE(
        scalar(*m_ws, QStringLiteral("SELECT amount_minor FROM opportunities WHERE external_id = '006B'")).toLongLong(),
        200000);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT typeof(amount_minor) FROM opportunities WHERE external_id = '006C'"))
                 .toString(),
             QStringLiteral("null"));
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT value FROM journal WHERE op = 'update' AND field = 'amount_minor' "
                                          "ORDER BY seq LIMIT 1"))
                 .toString(),
             QStringLiteral("200000"));
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT value FROM journal WHERE op = 'update' AND field = 'amount_minor' "
                                          "ORDER BY seq DESC LIMIT 1"))
                 .toString(),
             QStringLiteral("null"));
    // A source given once sticks; a new row without one gets csv.
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT DISTINCT crm_source FROM opportunities")).toString(),
             QStringLiteral("csv"));
}

void TestOpportunityImport::badRowsLeaveWorkspaceUnchanged_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("problems");
    QTest::newRow("bad amount and date") << QByteArray("Id,Name,Amount,Currency,CloseDate\n"
                                                       "1,Fine,100,USD,2025-01-01\n"
                                                       "2,Money,12.34.56,USD,2025-01-01\n"
                                                       "3,Date,100,USD,2025-13-01\n")
                                         << QStringList{
                                                QStringLiteral("f.csv:3: Amount: \"12.34.56\" is not an amount"),
                                                QStringLiteral("f.csv:4: CloseDate: \"2025-13-01\" is not a date")};
    QTest::newRow("duplicate id") << QByteArray("Id,Name\n7,One\n8,Two\n7,Again\n")
                                  << QStringList{QStringLiteral("f.csv:4: id: \"7\" is also on line 2")};
    QTest::newRow("header only") << QByteArray("Id,Name\n")
                                 << QStringList{QStringLiteral("f.csv has a header but no opportunity rows")};
    QTest::newRow("no name column") << QByteArray("Id,Stage\n1,Open\n")
                                    << QStringList{QStringLiteral("no opportunity name column")};
}

void TestOpportunityImport::badRowsLeaveWorkspaceUnchanged()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, problems);
    const QString good = m_dir->file(QStringLiteral("good.csv"));
    QVERIFY(write(good, kSalesforce));
    QVERIFY(importOpportunities(*m_ws, m_owner, good).ok());
    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));
    const QString before = scalar(*m_ws, QStringLiteral("SELECT group_concat(id || name || state || "
                                                        "ifnull(amount_minor, '-'), ';') FROM opportunities"))
                               .toString();

    const QString path = m_dir->file(QStringLiteral("f.csv"));
    QVERIFY(write(path, csv));
    auto report = importOpportunities(*m_ws, m_owner, path);
    QVERIFY(!report.ok());
    for (const QString &p : problems)
        QVERIFY2(report.error().contains(p), qPrintable(report.error()));
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 4);
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT group_concat(id || name || state || ifnull(amount_minor, '-'), "
                                          "';') FROM opportunities"))
                 .toString(),
             before);
    QCOMPARE(m_ws->transactionDepth(), 0);
}

void TestOpportunityImport::repository()
{
    OpportunityRepository repo(*m_ws);
    Opportunity o;
    o.ownerId = m_owner;
    o.name = QStringLiteral("Direct");
    o.state = QStringLiteral("won");
    o.amountMinor = -5;
    o.currency = QStringLiteral("USD");
    QVERIFY(repo.insert(o).ok());
    QVERIFY(!o.id.isEmpty());
    auto found = repo.find(o.id);
    QVERIFY(found.ok());
    QCOMPARE(found.value(), o);
    o.state = QStringLiteral("lost");
    QVERIFY(repo.update(o).ok());
    QCOMPARE(repo.forOwner(m_owner, QStringLiteral("lost"))->size(), 1);
    QCOMPARE(repo.forOwner(m_owner, QStringLiteral("won"))->size(), 0);
    QCOMPARE(repo.count(m_owner).value(), 1);
    QCOMPARE(repo.count(m_other).value(), 0);
    Opportunity bad = o;
    bad.id.clear();
    bad.state = QStringLiteral("pending");
    QVERIFY(!repo.insert(bad).ok());
    bad.state = QStringLiteral("open");
    bad.name = QStringLiteral("  ");
    QVERIFY(!repo.insert(bad).ok());
    QCOMPARE(repo.count().value(), 1);
}

void TestOpportunityImport::removingOrganizationTakesOpportunities()
{
    const QString path = m_dir->file(QStringLiteral("sf.csv"));
    QVERIFY(write(path, kSalesforce));
    QVERIFY(importOpportunities(*m_ws, m_owner, path).ok());
    const auto before = OpportunityRepository(*m_ws).forOwner(m_owner).value();
    QCOMPARE(before.size(), 4);
    // The opportunities point at the partner and its accounts: removing it must take them too, and undo restore them.
    OrganizationRepository orgs(*m_ws);
    auto snapshot = orgs.remove(m_owner);
    QVERIFY2(snapshot.ok(), qPrintable(snapshot.error()));
    QCOMPARE(snapshot->opportunities.size(), 4);
    QCOMPARE(OpportunityRepository(*m_ws).count(m_owner).value(), 0);
    QVERIFY(orgs.restore(snapshot.value()).ok());
    QCOMPARE(OpportunityRepository(*m_ws).forOwner(m_owner).value(), before);
}

// A CRM this reader knows nothing of: German headers, semicolons, decimal commas. Nothing is detected, so every
// field comes from the user's choice of column.
void TestOpportunityImport::anyCsvThroughChosenColumns()
{
    const QString path = m_dir->file(QStringLiteral("crm.csv"));
    QVERIFY(write(path, "Chance-Nr;Bezeichnung;Kunden-Nr;Kunde;Phase;Betrag;Währung;Abschluss;Verantwortlich\n"
                        "C-1;Acme Erweiterung;001A;Acme GmbH;Closed Won;1.234,50;EUR;31.03.2025;Jonas Berg\n"
                        "C-2;Beta Pilot;;Beta Incorporated;Verhandlung;900;CHF;2025-06-30;\n"));
    auto refused = importOpportunities(*m_ws, m_owner, path);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("no opportunity id column")), qPrintable(refused.error()));
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 0);

    OpportunityImportOptions options;
    options.columns = {{QStringLiteral("id"), QStringLiteral("Chance-Nr")},
                       {QStringLiteral("name"), QStringLiteral("Bezeichnung")},
                       {QStringLiteral("account_id"), QStringLiteral("Kunden-Nr")},
                       {QStringLiteral("account_name"), QStringLiteral("kunde")}, // any case
                       {QStringLiteral("stage"), QStringLiteral("Phase")},
                       {QStringLiteral("amount"), QStringLiteral("Betrag")},
                       {QStringLiteral("currency"), QStringLiteral("Währung")},
                       {QStringLiteral("close_date"), QStringLiteral("Abschluss")},
                       {QStringLiteral("owner"), QStringLiteral("Verantwortlich")}};
    auto report = importOpportunities(*m_ws, m_owner, path, options);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 2);
    QCOMPARE(report->linked, 2);
    const auto all = OpportunityRepository(*m_ws).forOwner(m_owner);
    QVERIFY(all.ok());
    QHash<QString, Opportunity> byId;
    for (const Opportunity &o : all.value())
        byId.insert(o.externalId, o);
    const Opportunity acme = byId.value(QStringLiteral("C-1"));
    QCOMPARE(acme.name, QStringLiteral("Acme Erweiterung"));
    QCOMPARE(acme.accountId, m_acme);
    QCOMPARE(acme.state, QStringLiteral("won"));
    QCOMPARE(acme.amountMinor.value(), 123450);
    QCOMPARE(acme.currency, QStringLiteral("EUR"));
    QCOMPARE(acme.closeDate, QDate(2025, 3, 31));
    QCOMPARE(acme.crmOwner, QStringLiteral("Jonas Berg"));
    const Opportunity beta = byId.value(QStringLiteral("C-2"));
    QCOMPARE(beta.accountId, m_beta); // by name: the account id cell is empty
    QCOMPARE(beta.state, QStringLiteral("open"));
    QCOMPARE(beta.currency, QStringLiteral("CHF"));

    // A chosen column beats a detected one: "Name" would be found, the user picked another.
    const QString both = m_dir->file(QStringLiteral("both.csv"));
    QVERIFY(write(both, "Id,Name,Title\n006Q,internal-code-7,Gamma rollout\n"));
    options.columns = {{QStringLiteral("name"), QStringLiteral("Title")}};
    QVERIFY(importOpportunities(*m_ws, m_owner, both, options).ok());
    QCOMPARE(scalar(*m_ws, QStringLiteral("SELECT name FROM opportunities WHERE external_id = '006Q'")).toString(),
             QStringLiteral("Gamma rollout"));
}

void TestOpportunityImport::badColumnChoicesAreRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown field") << QStringLiteral("probability") << QStringLiteral("Amount")
                                   << QStringLiteral("\"probability\" is not a field");
    QTest::newRow("missing header") << QStringLiteral("stage") << QStringLiteral("Phase")
                                    << QStringLiteral("there is no column \"Phase\"");
}

void TestOpportunityImport::badColumnChoicesAreRefused()
{
    QFETCH(QString, field);
    QFETCH(QString, header);
    QFETCH(QString, message);
    const QString path = m_dir->file(QStringLiteral("sf.csv"));
    QVERIFY(write(path, kSalesforce));
    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));
    OpportunityImportOptions options;
    options.columns.insert(field, header);
    auto report = importOpportunities(*m_ws, m_owner, path, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(message) && report.error().contains(path), qPrintable(report.error()));
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 0);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal);
}

void TestOpportunityImport::cancelledImportChangesNothing()
{
    const QString path = m_dir->file(QStringLiteral("big.csv"));
    QByteArray csv = "Id,Name,StageName,Amount,CurrencyIsoCode,CloseDate\n";
    for (int i = 0; i < 60000; ++i)
        csv += QStringLiteral("006%1,Deal number %1 for a rather long account name,Prospecting,1000,USD,2025-05-01\n")
                   .arg(i, 8, 10, QLatin1Char('0'))
                   .toUtf8();
    QVERIFY(csv.size() > (3 << 20)); // several progress steps
    QVERIFY(write(path, csv));
    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));
    QList<std::pair<qint64, qint64>> calls;
    OpportunityImportOptions options;
    options.progress = [&](qint64 done, qint64 total) {
        calls.append({done, total});
        return calls.size() < 2; // cancel at the second call, mid-file
    };
    auto report = importOpportunities(*m_ws, m_owner, path, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QLatin1String("cancelled")), qPrintable(report.error()));
    QCOMPARE(calls.size(), 2);
    QVERIFY(calls.first().first > 0 && calls.first().first < calls.first().second);
    QCOMPARE(calls.first().second, QFileInfo(path).size());
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 0);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal);

    // Without cancelling, progress ends at the file's size.
    calls.clear();
    options.progress = [&](qint64 done, qint64 total) {
        calls.append({done, total});
        return true;
    };
    QVERIFY(importOpportunities(*m_ws, m_owner, path, options).ok());
    QCOMPARE(calls.last().first, QFileInfo(path).size());
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("opportunities")), 60000);
}

void TestOpportunityImport::detectsOpportunityExports()
{
    auto split = [](const char *header) { return QString::fromLatin1(header).split(QLatin1Char(',')); };
    const QStringList salesforce = split("Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Type");
    CrmColumns sf = crmopportunities::detectColumns(salesforce);
    QCOMPARE(sf.source, QStringLiteral("salesforce"));
    QCOMPARE(sf.columns.value(QStringLiteral("id")), QStringLiteral("Opportunity ID"));
    QCOMPARE(sf.columns.value(QStringLiteral("close_date")), QStringLiteral("Close Date"));
    QVERIFY(crmopportunities::looksLikeOpportunities(salesforce)); // Type alone does not make it accounts

    const QStringList hubspot = split("Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company IDs");
    CrmColumns hs = crmopportunities::detectColumns(hubspot);
    QCOMPARE(hs.source, QStringLiteral("hubspot"));
    QCOMPARE(hs.columns.value(QStringLiteral("stage")), QStringLiteral("Deal Stage"));
    QCOMPARE(hs.columns.value(QStringLiteral("account_id")), QStringLiteral("Associated Company IDs"));
    QVERIFY(crmopportunities::looksLikeOpportunities(hubspot));

    QVERIFY(!crmopportunities::looksLikeOpportunities(split("Id,Name,Website,BillingCountry,Type")));
    QVERIFY(!crmopportunities::looksLikeOpportunities(split("Kunden-Nr,Firma,Land")));
}

QTEST_GUILESS_MAIN(TestOpportunityImport)
#include "TestOpportunityImport.moc"
