// Runs the real `ecotone` executable: accounts inspect and map, their JSON and exit codes.
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ecotone;

using Run = ecotone::test::CliRun;

class TestMappingCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void inspect();
    void map();
    void mapOptions();
    void errors_data();
    void errors();

private:
    QString write(const QString &name, const QByteArray &bytes);
    test::TempDir m_dir;
    QString m_ours, m_theirs;
};

QString TestMappingCli::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.file(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
    return path;
}

void TestMappingCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_BINARY")), "ECOTONE_BINARY must name the built ecotone");
    m_ours = write(QStringLiteral("ours.csv"), "Id,Name,Website,BillingCountry,Type\n"
                                               "001,\"Acme, Inc.\",www.acme.com,USA,Customer\n"
                                               "002,Globex GmbH,,Germany,Prospect\n"
                                               "003,Northwind Traders,,US,Prospect\n"
                                               "004,Delta,delta.com,US,Customer\n"
                                               "005,,,US,\n"
                                               "006,ACME,acme.com,US,Prospect\n");
    m_theirs = write(QStringLiteral("theirs.csv"), "Record ID,Company name,Company Domain Name,Country/Region,"
                                                   "Lifecycle Stage\n"
                                                   "9,ACME Corp,shop.acme.com,United States,customer\n"
                                                   "8,Globex,,DE,opportunity\n"
                                                   "7,Initech,initech.com,US,customer\n"
                                                   "6,Northwind Tradres LLC,,US,customer\n"
                                                   "5,Delta Inc,delta-air.com,US,customer\n");
}

void TestMappingCli::inspect()
{
    const Run r = ecotone::test::runEcotone({QStringLiteral("accounts"), QStringLiteral("inspect"), m_ours,
                                             QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(root.value(QStringLiteral("file")).toString(), m_ours);
    const QJsonArray rows = root.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 5);
    const QJsonObject first = rows.at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("line")).toInt(), 2);
    QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("001"));
    QCOMPARE(first.value(QStringLiteral("normalizedName")).toString(), QStringLiteral("acme"));
    QCOMPARE(first.value(QStringLiteral("domain")).toString(), QStringLiteral("acme.com"));
    QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("customer"));
    const QJsonArray problems = root.value(QStringLiteral("problems")).toArray();
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems.at(0).toString().startsWith(QLatin1String("ours.csv:6: Name: ")));
}

void TestMappingCli::map()
{
    const Run r =
        ecotone::test::runEcotone({QStringLiteral("map"), QStringLiteral("--ours"), m_ours, QStringLiteral("--theirs"),
                                   m_theirs, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QStringList matches;
    for (const QJsonValue &v : root.value(QStringLiteral("matches")).toArray()) {
        const QJsonObject m = v.toObject();
        matches << m.value(QStringLiteral("ours")).toString() + QLatin1Char('>') +
                       m.value(QStringLiteral("theirs")).toString() + QLatin1Char(':') +
                       m.value(QStringLiteral("rule")).toString();
        QVERIFY(m.value(QStringLiteral("score")).toDouble() >= 0.92);
    }
    matches.sort();
    // 001 and 006 are one company on our side (same domain); Delta's websites differ, so no name match.
    QCOMPARE(matches, (QStringList{QStringLiteral("001>9:domain"), QStringLiteral("002>8:name"),
                                   QStringLiteral("003>6:fuzzy"), QStringLiteral("006>9:domain")}));
    const QJsonObject ours = root.value(QStringLiteral("ours")).toObject();
    QCOMPARE(ours.value(QStringLiteral("records")).toInt(), 5);
    QCOMPARE(ours.value(QStringLiteral("companies")).toInt(), 4);
    QCOMPARE(ours.value(QStringLiteral("problems")).toArray().size(), 1);
    QCOMPARE(root.value(QStringLiteral("theirs")).toObject().value(QStringLiteral("companies")).toInt(), 5);
    const QJsonObject matrix = root.value(QStringLiteral("matrix")).toObject();
    QCOMPARE(matrix.value(QStringLiteral("greenfield")).toInt(), 2); // Initech, Delta Inc
    int customerCustomer = -1;
    for (const QJsonValue &v : matrix.value(QStringLiteral("cells")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(QStringLiteral("ours")).toString() == QLatin1String("customer") &&
            c.value(QStringLiteral("theirs")).toString() == QLatin1String("customer"))
            customerCustomer = c.value(QStringLiteral("links")).toInt();
    }
    QCOMPARE(customerCustomer, 1);
}

void TestMappingCli::mapOptions()
{
    const Run strict = ecotone::test::runEcotone({QStringLiteral("map"), QStringLiteral("--ours"), m_ours,
                                                  QStringLiteral("--theirs"), m_theirs, QStringLiteral("--no-fuzzy")});
    QCOMPARE(strict.exitCode, 0);
    QVERIFY(!strict.out.contains("\"fuzzy\"}"));
    QVERIFY(strict.out.contains("\"rules\":{\"domain\":1,\"name\":1,\"fuzzy\":0}"));
    const Run loose =
        ecotone::test::runEcotone({QStringLiteral("map"), QStringLiteral("--ours"), m_ours, QStringLiteral("--theirs"),
                                   m_theirs, QStringLiteral("--allow-name-with-different-domains")});
    QCOMPARE(loose.exitCode, 0);
    QVERIFY(loose.out.contains("{\"ours\":\"004\",\"theirs\":\"5\",\"rule\":\"name\""));
}

void TestMappingCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("map without theirs") << QStringList{QStringLiteral("map"), QStringLiteral("--ours"),
                                                       QStringLiteral("x.csv")}
                                        << 2 << QByteArray("--theirs");
    QTest::newRow("map missing file") << QStringList{QStringLiteral("map"), QStringLiteral("--ours"),
                                                     QStringLiteral("/nonexistent/a.csv"), QStringLiteral("--theirs"),
                                                     QStringLiteral("/nonexistent/b.csv")}
                                      << 1 << QByteArray("/nonexistent/");
    QTest::newRow("inspect bad format") << QStringList{QStringLiteral("accounts"), QStringLiteral("inspect"),
                                                       QStringLiteral("x.csv"), QStringLiteral("--format"),
                                                       QStringLiteral("xml")}
                                        << 2 << QByteArray("--format");
    QTest::newRow("inspect no file") << QStringList{QStringLiteral("accounts"), QStringLiteral("inspect")} << 2
                                     << QByteArray("FILE");
    const QString headerOnly = write(QStringLiteral("header-only.csv"), "Id,Name,Website\n");
    QTest::newRow("map header-only") << QStringList{QStringLiteral("map"), QStringLiteral("--ours"), headerOnly,
                                                    QStringLiteral("--theirs"), m_theirs}
                                     << 1 << QByteArray("has a header but no account rows");
    const QString binary = write(QStringLiteral("binary.csv"), QByteArray("\x89PNG\r\n\x1a\n\0\0", 10));
    QTest::newRow("map binary") << QStringList{QStringLiteral("map"), QStringLiteral("--ours"), m_ours,
                                               QStringLiteral("--theirs"), binary}
                                << 1 << QByteArray("not a text file");
}

void TestMappingCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    const Run r = ecotone::test::runEcotone(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestMappingCli)
#include "TestMappingCli.moc"
