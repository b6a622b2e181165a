// The import dialog on real files and a real workspace: detected and hand-made column mappings, the mapping
// remembered per column layout, bad rows listed, a cancelled import that changes nothing, and screenshots.
#include "TestSupport.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "demo/DemoEcosystem.h"
#include "imports/ImportAccountsDialog.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

using namespace ecotone;
using namespace ecotone::ui;

namespace {
bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray salesforceRows(int first, int count)
{
    QByteArray csv = "Id,Name,Website,BillingCountry,Type\r\n";
    for (int i = first; i < first + count; ++i)
        csv += QStringLiteral("001A%1,Tallowind %1 GmbH,https://www.tallowind%1.de/,Germany,Customer\r\n")
                   .arg(i, 6, 10, QLatin1Char('0'))
                   .toUtf8();
    return csv;
}

QString label(QDialog &dialog, const char *accessibleName)
{
    for (QLabel *l : dialog.findChildren<QLabel *>())
        if (l->accessibleName() == QLatin1String(accessibleName))
            return l->text();
    return {};
}
} // namespace

class TestImportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void detectsSalesforceAndImports();
    void handMadeMappingIsRemembered();
    void badRowsAreListed();
    void cancelChangesNothing();
    void detectsOpportunityExports();
    void opportunitiesThroughHandMadeMapping();
    void screenshots();

private:
    bool runToEnd(ImportAccountsDialog &dialog);
    qint64 accountsOf(const QString &owner);
    qint64 opportunitiesOf(const QString &owner);

    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    QString m_partner;
    QString m_otherPartner;
};

void TestImportDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_importdialog"));
    QSettings().clear();
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    const QString path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 6;
    options.accounts = 200;
    QVERIFY(createDemoWorkspace(path, options).ok());
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_workspace = std::move(ws.value());
    const auto orgs = OrganizationRepository(*m_workspace).all();
    QVERIFY(orgs.ok() && orgs.value().size() == 7);
    m_partner = orgs.value().at(1).id;
    m_otherPartner = orgs.value().at(2).id;
}

bool TestImportDialog::runToEnd(ImportAccountsDialog &dialog)
{
    QSignalSpy finished(&dialog, &ImportAccountsDialog::runFinished);
    dialog.startImport();
    if (!dialog.isRunning())
        return false;
    if (!finished.wait(60000))
        return false;
    return finished.first().first().toBool();
}

qint64 TestImportDialog::accountsOf(const QString &owner)
{
    return AccountRepository(*m_workspace).countForOwner(owner).value();
}

void TestImportDialog::detectsSalesforceAndImports()
{
    const QString file = m_dir.file(QStringLiteral("salesforce.csv"));
    QVERIFY(write(file, salesforceRows(0, 50)));
    const qint64 before = accountsOf(m_partner);

    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(file);
    dialog.setOrganization(m_partner);
    const QMap<QString, QString> expected = {{QStringLiteral("id"), QStringLiteral("Id")},
                                             {QStringLiteral("name"), QStringLiteral("Name")},
                                             {QStringLiteral("website"), QStringLiteral("Website")},
                                             {QStringLiteral("country"), QStringLiteral("BillingCountry")},
                                             {QStringLiteral("status"), QStringLiteral("Type")}};
    QCOMPARE(dialog.columns(), expected);
    QVERIFY(label(dialog, "File format").contains(QLatin1String("Salesforce")));

    QSignalSpy imported(&dialog, &ImportAccountsDialog::imported);
    QVERIFY(runToEnd(dialog));
    QCOMPARE(imported.size(), 1);
    QCOMPARE(imported.first().first().toString(), m_partner);
    QCOMPARE(accountsOf(m_partner), before + 50);
    QVERIFY2(label(dialog, "Import status").contains(QLatin1String("50 new")),
             qPrintable(label(dialog, "Import status")));

    // The same file again updates by CRM id: nothing new.
    QVERIFY(runToEnd(dialog));
    QCOMPARE(accountsOf(m_partner), before + 50);
    QVERIFY(label(dialog, "Import status").contains(QLatin1String("50 unchanged")));
}

void TestImportDialog::handMadeMappingIsRemembered()
{
    const QByteArray header = "Kunden-Nr;Firma;Webseite;Land\n";
    const QString first = m_dir.file(QStringLiteral("export-1.csv"));
    const QString second = m_dir.file(QStringLiteral("export-2.csv"));
    QVERIFY(write(first, header + "K-1;Öhlmann Werkzeuge;oehlmann.de;DE\nK-2;Brückner AG;brueckner.ch;CH\n"));
    QVERIFY(write(second, header + "K-3;Lindqvist AB;lindqvist.se;SE\n"));
    const qint64 before = accountsOf(m_otherPartner);
    {
        ImportAccountsDialog dialog(*m_workspace);
        dialog.setFile(first);
        dialog.setOrganization(m_otherPartner);
        QVERIFY(label(dialog, "File format").contains(QLatin1String("semicolon")));
        // Headers no CRM uses: nothing to import until the user maps them, and the dialog says what is missing.
        QVERIFY(!dialog.columns().contains(QStringLiteral("id")));
        QPushButton *importButton = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            if (b->accessibleName() == QLatin1String("Import"))
                importButton = b;
        QVERIFY(importButton && !importButton->isEnabled());
        dialog.startImport();
        QVERIFY(!dialog.isRunning());
        QVERIFY(label(dialog, "Problems").contains(QLatin1String("CRM ID")));

        dialog.setColumn(QStringLiteral("id"), QStringLiteral("Kunden-Nr"));
        dialog.setColumn(QStringLiteral("name"), QStringLiteral("Firma"));
        dialog.setColumn(QStringLiteral("website"), QStringLiteral("Webseite"));
        dialog.setColumn(QStringLiteral("country"), QStringLiteral("Land"));
        QVERIFY(label(dialog, "Problems").isEmpty());
        QVERIFY(importButton->isEnabled());
        QVERIFY(runToEnd(dialog));
        QCOMPARE(accountsOf(m_otherPartner), before + 2);
    }
    // A new file with the same columns gets the same mapping.
    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(second);
    dialog.setOrganization(m_otherPartner);
    QCOMPARE(dialog.columns().value(QStringLiteral("id")), QStringLiteral("Kunden-Nr"));
    QCOMPARE(dialog.columns().value(QStringLiteral("name")), QStringLiteral("Firma"));
    QCOMPARE(dialog.columns().value(QStringLiteral("website")), QStringLiteral("Webseite"));
    QCOMPARE(dialog.columns().value(QStringLiteral("country")), QStringLiteral("Land"));
    QVERIFY(runToEnd(dialog));
    QCOMPARE(accountsOf(m_otherPartner), before + 3);
    QSqlQuery q(m_workspace->db());
    QVERIFY(q.exec(QStringLiteral("SELECT name, domain FROM accounts WHERE external_id = 'K-1'")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("Öhlmann Werkzeuge"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("oehlmann.de"));
}

void TestImportDialog::badRowsAreListed()
{
    const QString file = m_dir.file(QStringLiteral("bad.csv"));
    QByteArray csv = salesforceRows(900, 3);
    csv += "001B000001,,,Germany,Customer\r\n";          // line 5: neither name nor website
    csv += "001B000002,Ragged Row Ltd,ragged.co.uk\r\n"; // line 6: too few fields
    QVERIFY(write(file, csv));
    const qint64 before = accountsOf(m_partner);
    const qint64 journal = test::rowCount(*m_workspace, QStringLiteral("journal"));

    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(file);
    dialog.setOrganization(m_partner);
    QVERIFY(!runToEnd(dialog));
    QCOMPARE(accountsOf(m_partner), before);
    QCOMPARE(test::rowCount(*m_workspace, QStringLiteral("journal")), journal);
    auto *details = dialog.findChild<QPlainTextEdit *>();
    QVERIFY(details && details->isVisibleTo(&dialog));
    const QString text = details->toPlainText();
    QVERIFY2(text.contains(QLatin1String("bad.csv:5:")) && text.contains(QLatin1String("bad.csv:6:")),
             qPrintable(text));
}

void TestImportDialog::cancelChangesNothing()
{
    const QString file = m_dir.file(QStringLiteral("big.csv"));
    QVERIFY(write(file, salesforceRows(100000, 400000)));
    const qint64 before = accountsOf(m_partner);
    const qint64 journal = test::rowCount(*m_workspace, QStringLiteral("journal"));

    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(file);
    dialog.setOrganization(m_partner);
    QSignalSpy finished(&dialog, &ImportAccountsDialog::runFinished);
    dialog.startImport();
    QVERIFY(dialog.isRunning());
    auto *progress = dialog.findChild<QProgressBar *>();
    QTRY_VERIFY_WITH_TIMEOUT(progress->maximum() == 1000 && progress->value() > 0, 20000);
    dialog.cancelImport();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY2(label(dialog, "Import status").contains(QLatin1String("cancelled")),
             qPrintable(label(dialog, "Import status")));
    QCOMPARE(accountsOf(m_partner), before);
    QCOMPARE(test::rowCount(*m_workspace, QStringLiteral("journal")), journal);
}

qint64 TestImportDialog::opportunitiesOf(const QString &owner)
{
    QSqlQuery q(m_workspace->db());
    q.prepare(QStringLiteral("SELECT count(*) FROM opportunities WHERE owner_id = ?"));
    q.addBindValue(owner);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

// A HubSpot deals export is recognised as opportunities, with its columns, and imported as such.
void TestImportDialog::detectsOpportunityExports()
{
    const QString file = m_dir.file(QStringLiteral("deals.csv"));
    QVERIFY(write(file, "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company,Deal owner\n"
                        "9001,Aldervane rollout,closedwon,12500.00,2025-04-30,Aldervane Systems,Mia Chen\n"
                        "9002,Brightmoor pilot,appointmentscheduled,4000,2025-08-15,Brightmoor Logistics,\n"));
    const qint64 before = opportunitiesOf(m_partner);
    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(file);
    dialog.setOrganization(m_partner);
    QCOMPARE(dialog.records(), ImportAccountsDialog::Records::Opportunities);
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Import CRM Opportunities"));
    QCOMPARE(dialog.columns().value(QStringLiteral("id")), QStringLiteral("Record ID"));
    QCOMPARE(dialog.columns().value(QStringLiteral("stage")), QStringLiteral("Deal Stage"));
    QCOMPARE(dialog.columns().value(QStringLiteral("account_name")), QStringLiteral("Associated Company"));
    QVERIFY(label(dialog, "File format").contains(QLatin1String("HubSpot")));
    // HubSpot amounts name no currency: the import needs a default, and says so until it has one.
    dialog.setDefaultCurrency(QString());
    QVERIFY(!runToEnd(dialog));
    QCOMPARE(opportunitiesOf(m_partner), before);
    dialog.setDefaultCurrency(QStringLiteral("USD"));
    QSignalSpy imported(&dialog, &ImportAccountsDialog::opportunitiesImported);
    QSignalSpy accountsImported(&dialog, &ImportAccountsDialog::imported);
    QVERIFY2(runToEnd(dialog), qPrintable(label(dialog, "Import status")));
    QCOMPARE(imported.size(), 1);
    QCOMPARE(accountsImported.size(), 0);
    QCOMPARE(opportunitiesOf(m_partner), before + 2);
    QVERIFY2(label(dialog, "Import status").contains(QLatin1String("2 new")),
             qPrintable(label(dialog, "Import status")));
    QSqlQuery q(m_workspace->db());
    QVERIFY(
        q.exec(QStringLiteral("SELECT state, amount_minor, currency FROM opportunities WHERE external_id = '9001'")) &&
        q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("won"));
    QCOMPARE(q.value(1).toLongLong(), 1250000);
    QCOMPARE(q.value(2).toString(), QStringLiteral("USD"));

    // The same columns as accounts make no sense: switching the kind of record remaps the columns.
    dialog.setRecords(ImportAccountsDialog::Records::Accounts);
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Import CRM Accounts"));
    QVERIFY(!dialog.columns().contains(QStringLiteral("stage")));
}

// Opportunities from a CSV no CRM wrote: the user says what the file holds and maps the columns; a later file with
// the same columns comes back as opportunities with the same mapping.
void TestImportDialog::opportunitiesThroughHandMadeMapping()
{
    const QByteArray header = "Chance;Titel;Kunde;Phase;Wert;Währung;Termin\n";
    const QString first = m_dir.file(QStringLiteral("chancen-1.csv"));
    const QString second = m_dir.file(QStringLiteral("chancen-2.csv"));
    QVERIFY(write(first, header + "CH-1;Harlow Ausbau;Harlow Gerätebau GmbH;Angebot;25.000,00;EUR;30.06.2025\n"
                                  "CH-2;Vistrand Wartung;VISTRAND Maschinen AG;Gewonnen;8.400,00;CHF;15.01.2025\n"));
    QVERIFY(write(second, header + "CH-3;Lindqvist Lizenz;Lindqvist AB;Angebot;120.000;SEK;01.09.2025\n"));
    for (const char *name : {"Harlow Gerätebau", "Vistrand Maschinen AG"}) {
        Account account;
        account.ownerId = m_otherPartner;
        account.name = QString::fromUtf8(name);
        QVERIFY(AccountRepository(*m_workspace).insert(account).ok());
    }
    const qint64 before = opportunitiesOf(m_otherPartner);
    const qint64 accounts = accountsOf(m_otherPartner);
    {
        ImportAccountsDialog dialog(*m_workspace);
        dialog.setFile(first);
        dialog.setOrganization(m_otherPartner);
        QCOMPARE(dialog.records(), ImportAccountsDialog::Records::Accounts); // nothing says deals
        auto *records = dialog.findChild<QComboBox *>(QStringLiteral("records"));
        QVERIFY(records);
        records->setCurrentIndex(records->findData(int(ImportAccountsDialog::Records::Opportunities)));
        QCOMPARE(dialog.records(), ImportAccountsDialog::Records::Opportunities);
        QVERIFY(dialog.findChild<QComboBox *>(QStringLiteral("column_stage")));
        QVERIFY(!dialog.findChild<QComboBox *>(QStringLiteral("column_website")));
        QVERIFY(label(dialog, "Problems").contains(QLatin1String("opportunity's CRM ID")));
        dialog.setColumn(QStringLiteral("id"), QStringLiteral("Chance"));
        QVERIFY(label(dialog, "Problems").contains(QLatin1String("opportunity name")));
        dialog.setColumn(QStringLiteral("name"), QStringLiteral("Titel"));
        dialog.setColumn(QStringLiteral("account_name"), QStringLiteral("Kunde"));
        dialog.setColumn(QStringLiteral("stage"), QStringLiteral("Phase"));
        dialog.setColumn(QStringLiteral("amount"), QStringLiteral("Wert"));
        dialog.setColumn(QStringLiteral("currency"), QStringLiteral("Währung"));
        dialog.setColumn(QStringLiteral("close_date"), QStringLiteral("Termin"));
        QVERIFY(label(dialog, "Problems").isEmpty());
        QVERIFY2(runToEnd(dialog), qPrintable(label(dialog, "Import status")));
        QCOMPARE(opportunitiesOf(m_otherPartner), before + 2);
        QCOMPARE(accountsOf(m_otherPartner), accounts); // no account was made of a deal
        // Linked to the partner's accounts by normalized name (legal form and case aside).
        QVERIFY(label(dialog, "Import status").contains(QLatin1String("all linked")));
    }
    ImportAccountsDialog dialog(*m_workspace);
    dialog.setFile(second);
    dialog.setOrganization(m_otherPartner);
    QCOMPARE(dialog.records(), ImportAccountsDialog::Records::Opportunities);
    QCOMPARE(dialog.columns().value(QStringLiteral("id")), QStringLiteral("Chance"));
    QCOMPARE(dialog.columns().value(QStringLiteral("amount")), QStringLiteral("Wert"));
    QCOMPARE(dialog.columns().value(QStringLiteral("close_date")), QStringLiteral("Termin"));
    QVERIFY(runToEnd(dialog));
    QCOMPARE(opportunitiesOf(m_otherPartner), before + 3);
    QSqlQuery q(m_workspace->db());
    QVERIFY(q.exec(QStringLiteral("SELECT amount_minor, currency, close_date FROM opportunities "
                                  "WHERE external_id = 'CH-1'")) &&
            q.next());
    QCOMPARE(q.value(0).toLongLong(), 2500000);
    QCOMPARE(q.value(1).toString(), QStringLiteral("EUR"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("2025-06-30"));
    const QString shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(shots);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(QDir(shots).filePath(QStringLiteral("import-dialog-opportunities.png"))));
}

void TestImportDialog::screenshots()
{
    const QString shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(shots);
    const QString file = m_dir.file(QStringLiteral("hubspot.csv"));
    QByteArray csv = "Record ID,Company name,Company Domain Name,Country/Region,Lifecycle Stage,Industry\n";
    const char *names[] = {"Aldervane Systems", "Brightmoor Logistics", "Corvell Health",    "Dunmere Foods",
                           "Eskerfield Energy", "Fallowgate Media",     "Glenharrow Retail", "Hollowbrook Labs"};
    const char *stages[] = {"customer", "opportunity", "lead", "customer"};
    for (int i = 0; i < 8; ++i)
        csv +=
            QStringLiteral("%1,%2,%3,%4,%5,Software\n")
                .arg(5200 + i)
                .arg(QLatin1String(names[i]),
                     QString::fromLatin1(names[i]).section(QLatin1Char(' '), 0, 0).toLower() + QStringLiteral(".com"),
                     i % 2 ? QStringLiteral("United States") : QStringLiteral("United Kingdom"),
                     QLatin1String(stages[i % 4]))
                .toUtf8();
    QVERIFY(write(file, csv));
    for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
        theme::apply(theme);
        ImportAccountsDialog dialog(*m_workspace);
        dialog.setFile(file);
        dialog.setOrganization(m_partner);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(runToEnd(dialog));
        QCoreApplication::processEvents();
        const QString path = QDir(shots).filePath(QStringLiteral("import-dialog-%1.png").arg(theme));
        QVERIFY(dialog.grab().save(path));
    }
    theme::apply(QStringLiteral("light"));
}

QTEST_MAIN(TestImportDialog)
#include "TestImportDialog.moc"
