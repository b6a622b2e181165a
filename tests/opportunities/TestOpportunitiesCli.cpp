// "ecotone opportunities import" and "ecotone opportunities list" on the real executable: JSON output, filters,
// refusal of bad files and usage errors.
#include "TestSupport.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QFile>
#include <QJsonArray>
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
} // namespace

class TestOpportunitiesCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importJson();
    void listJsonAndText();
    void refusesBadFile();
    void anyCsvWithColumns();
    void usageErrors_data();
    void usageErrors();

private:
    test::TempDir m_dir;
    QString m_ws;
    QString m_file;
    QString m_accountId;
};

void TestOpportunitiesCli::initTestCase()
{
    m_ws = m_dir.file(QStringLiteral("w.ecotone"));
    auto ws = test::createWorkspace(m_ws);
    QVERIFY(ws);
    OrganizationRepository orgs(*ws);
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Helioform");
    QVERIFY(orgs.insert(vendor).ok());
    Organization partner;
    partner.name = QStringLiteral("Northgate Solutions");
    partner.types = {PartnerType::Reseller};
    QVERIFY(orgs.insert(partner).ok());
    Account a;
    a.ownerId = partner.id;
    a.name = QStringLiteral("Zeta Corp");
    a.externalId = QStringLiteral("5001");
    QVERIFY(AccountRepository(*ws).insert(a).ok());
    m_accountId = a.id;
    ws.reset();

    m_file = m_dir.file(QStringLiteral("deals.csv"));
    QVERIFY(write(m_file, "Record ID,Deal Name,Deal Stage,Amount,Currency,Close Date,Deal owner,"
                          "Associated Company IDs,Associated Company,Pipeline\n"
                          "9001,Zeta deal,closedwon,2500,USD,06/30/2025,Omar Haddad,5001,Zeta Corp,Sales\n"
                          "9002,Eta deal,Contract sent,\"1.000,50\",EUR,07/01/2025,,,Eta GmbH,Sales\n"
                          "9003,Theta deal,closedlost,,,01/02/2025,,,,Sales\n"));
}

void TestOpportunitiesCli::importJson()
{
    const test::CliRun r = test::runEcotone(
        {QStringLiteral("opportunities"), QStringLiteral("import"), QStringLiteral("--workspace"), m_ws,
         QStringLiteral("--organization"), QStringLiteral("Northgate Solutions"), QStringLiteral("--source"),
         QStringLiteral("hubspot"), m_file, QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
    QCOMPARE(o.value(QStringLiteral("inserted")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("updated")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("unchanged")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("linked")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("unlinked")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("organization")).toString(), QStringLiteral("Northgate Solutions"));
    QCOMPARE(o.value(QStringLiteral("dateOrder")).toString(), QStringLiteral("month-first"));

    // Text output of a re-import: everything unchanged.
    const test::CliRun again =
        test::runEcotone({QStringLiteral("opportunities"), QStringLiteral("import"), QStringLiteral("--workspace"),
                          m_ws, QStringLiteral("--organization"), QStringLiteral("Northgate Solutions"), m_file});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("0 added, 0 updated, 3 unchanged; 1 linked to an account, 2 not"),
             again.out.constData());
}

void TestOpportunitiesCli::listJsonAndText()
{
    const QStringList base = {QStringLiteral("opportunities"), QStringLiteral("list"), QStringLiteral("--workspace"),
                              m_ws};
    test::CliRun r = test::runEcotone(base + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonParseError error;
    QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
    QCOMPARE(o.value(QStringLiteral("count")).toInt(), 3);
    const QJsonArray all = o.value(QStringLiteral("opportunities")).toArray();
    QCOMPARE(all.size(), 3);
    // Ordered by close date: Theta (Jan), Zeta (Jun), Eta (Jul).
    QCOMPARE(all.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Theta deal"));
    const QJsonObject zeta = all.at(1).toObject();
    QCOMPARE(zeta.value(QStringLiteral("name")).toString(), QStringLiteral("Zeta deal"));
    QCOMPARE(zeta.value(QStringLiteral("state")).toString(), QStringLiteral("won"));
    QCOMPARE(zeta.value(QStringLiteral("stage")).toString(), QStringLiteral("closedwon"));
    QCOMPARE(zeta.value(QStringLiteral("amount")).toString(), QStringLiteral("2500.00"));
    QCOMPARE(zeta.value(QStringLiteral("amountMinor")).toInteger(), 250000);
    QCOMPARE(zeta.value(QStringLiteral("currency")).toString(), QStringLiteral("USD"));
    QCOMPARE(zeta.value(QStringLiteral("closeDate")).toString(), QStringLiteral("2025-06-30"));
    QCOMPARE(zeta.value(QStringLiteral("accountId")).toString(), m_accountId);
    QCOMPARE(zeta.value(QStringLiteral("accountExternalId")).toString(), QStringLiteral("5001"));
    QCOMPARE(zeta.value(QStringLiteral("owner")).toString(), QStringLiteral("Omar Haddad"));
    QCOMPARE(zeta.value(QStringLiteral("source")).toString(), QStringLiteral("hubspot"));
    QCOMPARE(zeta.value(QStringLiteral("externalId")).toString(), QStringLiteral("9001"));
    QCOMPARE(zeta.value(QStringLiteral("organization")).toString(), QStringLiteral("Northgate Solutions"));
    QVERIFY(all.at(0).toObject().value(QStringLiteral("amountMinor")).isNull());
    QCOMPARE(all.at(2).toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("1000.50"));

    r = test::runEcotone(base + QStringList{QStringLiteral("--state"), QStringLiteral("lost"),
                                            QStringLiteral("--organization"), QStringLiteral("Northgate Solutions")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(
        o.value(QStringLiteral("opportunities")).toArray().at(0).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Theta deal"));

    r = test::runEcotone(base + QStringList{QStringLiteral("--organization"), QStringLiteral("Helioform")});
    QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("count")).toInt(), 0);

    r = test::runEcotone(base + QStringList{QStringLiteral("--format"), QStringLiteral("text"),
                                            QStringLiteral("--state"), QStringLiteral("open")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.takeLast(), QByteArray()); // ends with a line break
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith("organization\tname\t"));
    QCOMPARE(lines.at(1), QByteArray("Northgate Solutions\tEta deal\tEta GmbH\tContract sent\topen\t1000.50\tEUR\t"
                                     "2025-07-01\t"));
}

void TestOpportunitiesCli::refusesBadFile()
{
    const QString bad = m_dir.file(QStringLiteral("bad.csv"));
    QVERIFY(write(bad, "Id,Name,Amount,Currency,CloseDate\n1,Good,10,USD,2025-01-01\n2,Bad,ten,USD,2025-01-01\n"));
    const test::CliRun r =
        test::runEcotone({QStringLiteral("opportunities"), QStringLiteral("import"), QStringLiteral("--workspace"),
                          m_ws, QStringLiteral("--organization"), QStringLiteral("Helioform"), bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("bad.csv was not imported; nothing was changed"), r.err.constData());
    QVERIFY2(r.err.contains("bad.csv:3: Amount: \"ten\" is not an amount"), r.err.constData());
    auto ws = Workspace::open(m_ws);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QCOMPARE(test::rowCount(*ws.value(), QStringLiteral("opportunities")), 3);
}

void TestOpportunitiesCli::anyCsvWithColumns()
{
    const QString file = m_dir.file(QStringLiteral("crm.csv"));
    QVERIFY(write(file, "Deal Number|Title|Customer|Value\nD-77|Zeta upgrade|Zeta Corp|EUR 1.500,00\n"));
    const QStringList base = {QStringLiteral("opportunities"),  QStringLiteral("import"),
                              QStringLiteral("--workspace"),    m_ws,
                              QStringLiteral("--organization"), QStringLiteral("Northgate Solutions"),
                              QStringLiteral("--format"),       QStringLiteral("json")};
    test::CliRun r = test::runEcotone(base + QStringList{file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no opportunity id column"), r.err.constData());

    r = test::runEcotone(base + QStringList{QStringLiteral("--column"), QStringLiteral("id=Deal Number"),
                                            QStringLiteral("--column"), QStringLiteral("name=Title"),
                                            QStringLiteral("--column"), QStringLiteral("account_name=Customer"),
                                            QStringLiteral("--column"), QStringLiteral("amount=Value"), file});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QStringLiteral("inserted")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("linked")).toInt(), 1);
    auto ws = Workspace::open(m_ws);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QSqlQuery q(ws.value()->db());
    QVERIFY(q.exec(QStringLiteral("SELECT name, account_id, amount_minor, currency FROM opportunities "
                                  "WHERE external_id = 'D-77'")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("Zeta upgrade"));
    QCOMPARE(q.value(1).toString(), m_accountId);
    QCOMPARE(q.value(2).toLongLong(), 150000);
    QCOMPARE(q.value(3).toString(), QStringLiteral("EUR"));

    r = test::runEcotone(base + QStringList{QStringLiteral("--column"), QStringLiteral("id=Deal No"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("there is no column \"Deal No\" (chosen for the id)"), r.err.constData());
    r = test::runEcotone(base + QStringList{QStringLiteral("--column"), QStringLiteral("id"), file});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("FIELD=HEADER"), r.err.constData());
}

void TestOpportunitiesCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    const QString ws = QStringLiteral("--workspace");
    QTest::newRow("import without organization") << QStringList{QStringLiteral("import"), ws, m_ws, m_file} << 2;
    QTest::newRow("import without file") << QStringList{QStringLiteral("import"), ws, m_ws,
                                                        QStringLiteral("--organization"), QStringLiteral("Helioform")}
                                         << 2;
    QTest::newRow("bad source") << QStringList{QStringLiteral("import"),
                                               ws,
                                               m_ws,
                                               QStringLiteral("--organization"),
                                               QStringLiteral("Helioform"),
                                               QStringLiteral("--source"),
                                               QStringLiteral("excel"),
                                               m_file}
                                << 2;
    QTest::newRow("bad currency") << QStringList{QStringLiteral("import"),
                                                 ws,
                                                 m_ws,
                                                 QStringLiteral("--organization"),
                                                 QStringLiteral("Helioform"),
                                                 QStringLiteral("--currency"),
                                                 QStringLiteral("euro"),
                                                 m_file}
                                  << 2;
    QTest::newRow("unknown organization")
        << QStringList{QStringLiteral("import"), ws,    m_ws, QStringLiteral("--organization"),
                       QStringLiteral("Nobody"), m_file}
        << 1;
    QTest::newRow("bad state") << QStringList{QStringLiteral("list"), ws, m_ws, QStringLiteral("--state"),
                                              QStringLiteral("pending")}
                               << 2;
    QTest::newRow("bad format") << QStringList{QStringLiteral("list"), ws, m_ws, QStringLiteral("--format"),
                                               QStringLiteral("csv")}
                                << 2;
    QTest::newRow("list without workspace") << QStringList{QStringLiteral("list")} << 2;
}

void TestOpportunitiesCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    const test::CliRun r = test::runEcotone(QStringList{QStringLiteral("opportunities")} + args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.startsWith("ecotone: "), r.err.constData());
}

QTEST_GUILESS_MAIN(TestOpportunitiesCli)
#include "TestOpportunitiesCli.moc"
