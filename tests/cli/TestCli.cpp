// Runs the real `ecotone` executable headless (no display) and checks output, files and exit codes.
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ecotone;

using Run = ecotone::test::CliRun;

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionAndHelp();
    void demoCreateAndList();
    void listCsv();
    void exportImportRoundTrip();
    void errors_data();
    void errors();

private:
    test::TempDir m_dir;
    QString m_demo;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_BINARY")), "ECOTONE_BINARY must name the built ecotone");
    m_demo = m_dir.file(QStringLiteral("demo.ecotone"));
}

void TestCli::versionAndHelp()
{
    const Run v = ecotone::test::runEcotone({QStringLiteral("--version")});
    QCOMPARE(v.exitCode, 0);
    QVERIFY(v.out.startsWith("ecotone " ECOTONE_VERSION));
    const Run h = ecotone::test::runEcotone({QStringLiteral("--help")});
    QCOMPARE(h.exitCode, 0);
    for (const char *word : {"demo create", "partners list", "partners import", "partners export"})
        QVERIFY2(h.out.contains(word), word);
}

void TestCli::demoCreateAndList()
{
    const Run create = ecotone::test::runEcotone(
        {QStringLiteral("demo"), QStringLiteral("create"), m_demo, QStringLiteral("--partners"), QStringLiteral("40"),
         QStringLiteral("--accounts"), QStringLiteral("1500"), QStringLiteral("--seed"), QStringLiteral("7")});
    QCOMPARE(create.exitCode, 0);
    QVERIFY(create.out.contains("40 partners"));
    QVERIFY(QFile::exists(m_demo));

    const Run list =
        ecotone::test::runEcotone({QStringLiteral("partners"), QStringLiteral("list"), QStringLiteral("--workspace"),
                                   m_demo, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(list.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(list.out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QStringLiteral("count")).toInt(), 40);
    const QJsonArray partners = root.value(QStringLiteral("partners")).toArray();
    QCOMPARE(partners.size(), 40);
    qint64 accounts = 0;
    for (const QJsonValue &v : partners) {
        const QJsonObject p = v.toObject();
        for (const char *key : {"id", "name", "types", "tier", "regions", "industries", "capabilities", "website",
                                "domain", "description", "status", "joinDate", "people", "accounts"})
            QVERIFY2(p.contains(QLatin1String(key)), key);
        QVERIFY(!p.value(QStringLiteral("types")).toArray().isEmpty());
        QVERIFY(p.value(QStringLiteral("people")).toInt() >= 1);
        accounts += p.value(QStringLiteral("accounts")).toInteger();
    }
    // The vendor is not a partner: the partners' accounts are the total less the vendor's ~15 %.
    QVERIFY(accounts > 1500 * 80 / 100 && accounts < 1500);
}

void TestCli::listCsv()
{
    const Run list =
        ecotone::test::runEcotone({QStringLiteral("partners"), QStringLiteral("list"), QStringLiteral("--workspace"),
                                   m_demo, QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(list.exitCode, 0);
    const QList<QByteArray> lines = list.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 41); // header + 40 partners
    QVERIFY(lines.first().startsWith("id,kind,name,types"));
}

void TestCli::exportImportRoundTrip()
{
    const QString csv = m_dir.file(QStringLiteral("partners.csv"));
    const Run out = ecotone::test::runEcotone(
        {QStringLiteral("partners"), QStringLiteral("export"), QStringLiteral("--workspace"), m_demo, csv});
    QCOMPARE(out.exitCode, 0);
    QVERIFY(out.out.contains("41 organizations")); // vendor + 40 partners

    // Re-importing the same file changes nothing.
    const Run same = ecotone::test::runEcotone(
        {QStringLiteral("partners"), QStringLiteral("import"), QStringLiteral("--workspace"), m_demo, csv});
    QCOMPARE(same.exitCode, 0);
    QVERIFY2(same.out.contains("0 added, 0 updated, 41 unchanged"), same.out.constData());

    // Into a fresh workspace: all partners arrive (the vendor row is refused: a workspace has one vendor).
    const QString fresh = m_dir.file(QStringLiteral("fresh.ecotone"));
    {
        auto ws = test::createWorkspace(fresh);
        QVERIFY(ws);
    }
    QFile in(csv);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QList<QByteArray> rows = in.readAll().split('\n');
    in.close();
    QByteArray partnersOnly;
    for (const QByteArray &row : rows)
        if (!row.contains(",vendor,"))
            partnersOnly += row + '\n';
    const QString partnersCsv = m_dir.file(QStringLiteral("partners-only.csv"));
    QFile outFile(partnersCsv);
    QVERIFY(outFile.open(QIODevice::WriteOnly));
    outFile.write(partnersOnly);
    outFile.close();
    const Run imported = ecotone::test::runEcotone(
        {QStringLiteral("partners"), QStringLiteral("import"), QStringLiteral("--workspace"), fresh, partnersCsv});
    QCOMPARE(imported.exitCode, 0);
    QVERIFY2(imported.out.contains("40 added"), imported.out.constData());
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString missing = QStringLiteral("/nonexistent/dir/w.ecotone");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("Unknown command");
    QTest::newRow("no workspace") << QStringList{QStringLiteral("partners"), QStringLiteral("list")} << 2
                                  << QStringLiteral("--workspace");
    QTest::newRow("missing workspace") << QStringList{QStringLiteral("partners"), QStringLiteral("list"),
                                                      QStringLiteral("--workspace"), missing}
                                       << 1 << QStringLiteral("does not exist");
    QTest::newRow("bad format") << QStringList{QStringLiteral("partners"),    QStringLiteral("list"),
                                               QStringLiteral("--workspace"), missing,
                                               QStringLiteral("--format"),    QStringLiteral("xml")}
                                << 2 << QStringLiteral("--format");
    QTest::newRow("bad number") << QStringList{QStringLiteral("demo"), QStringLiteral("create"),
                                               QStringLiteral("x.ecotone"), QStringLiteral("--partners"),
                                               QStringLiteral("many")}
                                << 2 << QStringLiteral("whole numbers");
    QTest::newRow("demo over existing") << QStringList{QStringLiteral("demo"), QStringLiteral("create"),
                                                       QStringLiteral("@DEMO@")}
                                        << 1 << QStringLiteral("already exists");
    QTest::newRow("import missing file") << QStringList{QStringLiteral("partners"), QStringLiteral("import"),
                                                        QStringLiteral("--workspace"), QStringLiteral("@DEMO@"),
                                                        QStringLiteral("/nonexistent.csv")}
                                         << 1 << QStringLiteral("Cannot read");
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    args.replaceInStrings(QStringLiteral("@DEMO@"), m_demo);
    const QByteArray before = test::fileHash(m_demo);
    const Run r = ecotone::test::runEcotone(args);
    QCOMPARE(r.exitCode, code);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.err.startsWith("ecotone: "));
    QCOMPARE(test::fileHash(m_demo), before);
}

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
