// "ecotone accounts import" on the real executable: insert, idempotent re-import, update by CRM id, and
// all-or-nothing refusal of bad files.
#include "TestSupport.h"
#include "demo/DemoEcosystem.h"
#include "store/Repositories.h"

#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runEcotone(const QStringList &args)
{
    const test::CliRun r = test::runEcotone(args);
    return {r.exitCode, QString::fromUtf8(r.out), QString::fromUtf8(r.err)};
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
} // namespace

class TestAccountsImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importUpdateAndRefuse();

private:
    test::TempDir m_dir;
    QString m_ws;
    QString m_partner;
};

void TestAccountsImport::initTestCase()
{
    m_ws = m_dir.file(QStringLiteral("w.ecotone"));
    DemoOptions options;
    options.partners = 8;
    options.accounts = 100;
    QVERIFY(createDemoWorkspace(m_ws, options).ok());
    auto ws = Workspace::open(m_ws);
    QVERIFY(ws.ok());
    auto all = OrganizationRepository(*ws.value()).all();
    m_partner = all->at(1).name; // [0] is the vendor
}

void TestAccountsImport::importUpdateAndRefuse()
{
    const QString sf = m_dir.file(QStringLiteral("salesforce.csv"));
    QVERIFY(write(sf, "Account ID,Account Name,Website,Billing Country,Type\r\n"
                      "001A,Acme GmbH,https://www.acme.de/en,DE,Customer\r\n"
                      "001B,\"Beta, Inc.\",beta.com,US,Prospect\r\n"
                      "001C,Gamma Ltd,,GB,Customer - Direct\r\n"));
    const QStringList base = {QStringLiteral("accounts"),       QStringLiteral("import"),
                              QStringLiteral("--workspace"),    m_ws,
                              QStringLiteral("--organization"), m_partner};

    Run r = runEcotone(base + QStringList{QStringLiteral("--source"), QStringLiteral("salesforce"), sf});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("3 added, 0 updated, 0 unchanged")), qPrintable(r.out + r.err));

    auto ws = Workspace::open(m_ws);
    QVERIFY(ws.ok());
    auto org = OrganizationRepository(*ws.value()).findByName(m_partner);
    auto accounts = AccountRepository(*ws.value()).forOwner(org->id).value();
    const auto acme = std::find_if(accounts.cbegin(), accounts.cend(),
                                   [](const Account &a) { return a.externalId == QLatin1String("001A"); });
    QVERIFY(acme != accounts.cend());
    QCOMPARE(acme->name, QStringLiteral("Acme GmbH"));
    QCOMPARE(acme->domain, QStringLiteral("acme.de"));
    QCOMPARE(acme->status, AccountStatus::Customer);
    QCOMPARE(acme->crmSource, QStringLiteral("salesforce"));
    const qint64 journal = test::rowCount(*ws.value(), QStringLiteral("journal"));
    const qint64 count = test::rowCount(*ws.value(), QStringLiteral("accounts"));
    ws.value().reset();

    // The same file again changes nothing and writes no journal entry.
    r = runEcotone(base + QStringList{sf});
    QVERIFY2(r.out.contains(QStringLiteral("0 added, 0 updated, 3 unchanged")), qPrintable(r.out + r.err));

    // One renamed row: updated in place, by CRM id.
    QFile f(sf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll().replace("Beta, Inc.", "Beta Incorporated");
    f.close();
    QVERIFY(write(sf, text));
    r = runEcotone(base + QStringList{sf});
    QVERIFY2(r.out.contains(QStringLiteral("0 added, 1 updated, 2 unchanged")), qPrintable(r.out + r.err));

    // A bad file: every problem named, nothing written.
    const QString bad = m_dir.file(QStringLiteral("bad.csv"));
    QVERIFY(write(bad, "Id,Name,Website,BillingCountry,Type\n001D,Delta,delta.io,US,Customer\n001E,,,DE,Customer\n"
                       "001D,Delta Again,delta.io,US,Customer\n"));
    r = runEcotone(base + QStringList{bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("bad.csv:3:")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("bad.csv:4: id:")), qPrintable(r.err));
    ws = Workspace::open(m_ws);
    QVERIFY(ws.ok());
    QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("accounts")), count);
    QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("journal")), journal + 1); // the one rename
    ws.value().reset();

    // A header and nothing else, and a binary file: clear errors, nothing written.
    const QString headerOnly = m_dir.file(QStringLiteral("header-only.csv"));
    QVERIFY(write(headerOnly, "Id,Name,Website,BillingCountry,Type\r\n"));
    r = runEcotone(base + QStringList{headerOnly});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("header-only.csv has a header but no account rows")), qPrintable(r.err));
    const QString binary = m_dir.file(QStringLiteral("export.xlsx"));
    QVERIFY(write(binary, QByteArray("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0", 16)));
    r = runEcotone(base + QStringList{binary});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("not a text file")), qPrintable(r.err));
    ws = Workspace::open(m_ws);
    QVERIFY(ws.ok());
    QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("accounts")), count);
    QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("journal")), journal + 1);
    ws.value().reset();

    // Usage errors.
    QCOMPARE(runEcotone({QStringLiteral("accounts"), QStringLiteral("import"), QStringLiteral("--workspace"), m_ws, sf})
                 .exitCode,
             2);
    r = runEcotone({QStringLiteral("accounts"), QStringLiteral("import"), QStringLiteral("--workspace"), m_ws,
                    QStringLiteral("--organization"), QStringLiteral("No Such Partner"), sf});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("No Such Partner")), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestAccountsImport)
#include "TestAccountsImport.moc"
