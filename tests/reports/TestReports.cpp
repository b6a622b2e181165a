// Insights reports on a demo workspace with deal rooms: the numbers agree with the workspace (checked with SQL of
// their own), every model's credits add up to the conversions, and `ecotone report` writes PDF (landscape for wide
// tables, several pages), CSV, JSON, PNG and SVG, and refuses bad arguments without writing anything.
#include "TestSupport.h"
#include "demo/DemoEcosystem.h"
#include "reports/Reports.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

class TestReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pipelineAgreesWithTheRooms();
    void everyModelSharesOutTheConversions();
    void networkIsOrderedByBetweenness();
    void commandWritesEveryFormat_data();
    void commandWritesEveryFormat();
    void pdfIsPagedAndLandscape();
    void badArgumentsWriteNothing_data();
    void badArgumentsWriteNothing();

private:
    QJsonObject json(const QString &kind);

    test::TempDir m_dir;
    QString m_path;
    std::unique_ptr<Workspace> m_ws;
};

void TestReports::initTestCase()
{
    m_path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 30;
    options.accounts = 2000;
    options.dealRooms = 400;
    auto created = createDemoWorkspace(m_path, options);
    QVERIFY2(created.ok(), qPrintable(created.error()));
    auto ws = Workspace::open(m_path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
}

QJsonObject TestReports::json(const QString &kind)
{
    const QString out = m_dir.file(kind + QStringLiteral(".json"));
    auto report = ui::reports::build(*m_ws, kind, {}, {});
    if (!report || !ui::reports::write(report.value(), out).ok())
        return {};
    QFile f(out);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void TestReports::pipelineAgreesWithTheRooms()
{
    const QJsonObject r = json(QStringLiteral("pipeline"));
    const QJsonObject data = r.value(QStringLiteral("data")).toObject();
    const QString currency = data.value(QStringLiteral("currency")).toString();
    QVERIFY(!currency.isEmpty());
    // Won and open amounts of that currency, straight from the tables.
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT s.outcome, sum(r.amount_minor) FROM deal_rooms r JOIN deal_stages s "
                             "ON s.id = r.stage WHERE r.currency = ? GROUP BY s.outcome"));
    q.addBindValue(currency);
    QVERIFY(q.exec());
    QHash<QString, double> byOutcome;
    while (q.next())
        byOutcome.insert(q.value(0).toString(), q.value(1).toDouble() / 100.0);
    auto total = [](const QJsonObject &o) {
        return o.value(QStringLiteral("sourced")).toDouble() + o.value(QStringLiteral("influenced")).toDouble() +
               o.value(QStringLiteral("untouched")).toDouble();
    };
    const double revenue = total(data.value(QStringLiteral("revenue")).toObject());
    const double pipeline = total(data.value(QStringLiteral("pipeline")).toObject());
    QVERIFY(revenue > 0 && pipeline > 0);
    QCOMPARE(qRound64(revenue * 100), qRound64(byOutcome.value(QStringLiteral("won")) * 100));
    QCOMPARE(qRound64(pipeline * 100), qRound64(byOutcome.value(QStringLiteral("open")) * 100));
    // The partner rows (each room credited to one partner, or to "no partner") add up to the totals.
    double rows = 0;
    for (const QJsonValue &p : data.value(QStringLiteral("partners")).toArray())
        rows += total(p.toObject().value(QStringLiteral("revenue")).toObject());
    QCOMPARE(qRound64(rows * 100), qRound64(revenue * 100));
    QVERIFY(r.value(QStringLiteral("summary")).toArray().size() >= 4);
}

void TestReports::everyModelSharesOutTheConversions()
{
    const QJsonObject data = json(QStringLiteral("attribution")).value(QStringLiteral("data")).toObject();
    const double conversions = data.value(QStringLiteral("conversions")).toDouble();
    QVERIFY(conversions > 0);
    const QJsonObject models = data.value(QStringLiteral("models")).toObject();
    QCOMPARE(models.size(), 8);
    for (auto it = models.begin(); it != models.end(); ++it) {
        double sum = 0;
        const QJsonObject credits = it.value().toObject().value(QStringLiteral("credits")).toObject();
        for (const QJsonValue &c : credits)
            sum += c.toObject().value(QStringLiteral("conversions")).toDouble();
        QVERIFY2(std::abs(sum - conversions) < 1e-6, qPrintable(it.key()));
    }
}

void TestReports::networkIsOrderedByBetweenness()
{
    const QJsonObject r = json(QStringLiteral("network"));
    const QJsonArray nodes = r.value(QStringLiteral("data")).toObject().value(QStringLiteral("nodes")).toArray();
    QVERIFY(nodes.size() > 5);
    const QJsonArray rows =
        r.value(QStringLiteral("tables")).toArray().first().toObject().value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), nodes.size());
    double previous = 2;
    for (const QJsonValue &n : nodes) {
        const double b = n.toObject().value(QStringLiteral("betweenness")).toDouble();
        QVERIFY(b >= 0 && b <= 1 && b <= previous);
        previous = b;
    }
}

void TestReports::commandWritesEveryFormat_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("ext");
    for (const QString &kind : ui::reports::kinds())
        for (const char *ext : {"pdf", "csv", "json", "png", "svg"})
            QTest::addRow("%s.%s", qPrintable(kind), ext) << kind << QString::fromLatin1(ext);
}

void TestReports::commandWritesEveryFormat()
{
    QFETCH(QString, kind);
    QFETCH(QString, ext);
    const QString out = m_dir.file(QStringLiteral("cli-%1.%2").arg(kind, ext));
    const test::CliRun run = test::runEcotone(
        {QStringLiteral("report"), kind, QStringLiteral("--workspace"), m_path, QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    if (ext == QLatin1String("pdf")) {
        QVERIFY(bytes.startsWith("%PDF-"));
    } else if (ext == QLatin1String("png")) {
        const QImage image = QImage::fromData(bytes, "PNG");
        QCOMPARE(image.size(), QSize(2000, 1120));
    } else if (ext == QLatin1String("svg")) {
        QVERIFY(bytes.contains("<svg") && bytes.contains("</svg>"));
    } else if (ext == QLatin1String("json")) {
        QCOMPARE(QJsonDocument::fromJson(bytes).object().value(QStringLiteral("kind")).toString(), kind);
    } else {
        const QList<QByteArray> lines = bytes.trimmed().split('\n');
        QVERIFY(lines.size() > 5);
        QVERIFY(lines.first().startsWith("Partner"));
    }
    // Keep one of each for people to look at.
    if (kind == QLatin1String("pipeline") || ext == QLatin1String("png")) {
        const QString shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
        QDir().mkpath(shots);
        QFile::remove(QDir(shots).filePath(QStringLiteral("report-%1.%2").arg(kind, ext)));
        QVERIFY(QFile::copy(out, QDir(shots).filePath(QStringLiteral("report-%1.%2").arg(kind, ext))));
    }
}

void TestReports::pdfIsPagedAndLandscape()
{
    const QString out = m_dir.file(QStringLiteral("paged.pdf"));
    auto report = ui::reports::build(*m_ws, QStringLiteral("pipeline"), {}, {});
    QVERIFY2(report.ok(), qPrintable(report.error()));
    // Three hundred rows cannot fit one page: the table continues, header repeated, pages numbered.
    ui::reports::Report big = report.value();
    const QStringList row = big.tables.first().rows.first();
    for (int i = 0; i < 300; ++i)
        big.tables.first().rows << row;
    QVERIFY(ui::reports::write(big, out).ok());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray pdf = f.readAll();
    const qsizetype pages = pdf.count("/Type /Page\n") + pdf.count("/Type /Page\r") + pdf.count("/Type /Page ");
    QVERIFY2(pages >= 8, qPrintable(QString::number(pages)));
    // Eleven columns of money: A4 turned to landscape (842 x 595 points).
    const QRegularExpression box(QStringLiteral(R"(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\])"));
    const auto m = box.match(QString::fromLatin1(pdf));
    QVERIFY(m.hasMatch());
    QVERIFY(m.captured(1).toDouble() > m.captured(2).toDouble());
}

void TestReports::badArgumentsWriteNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString out = QStringLiteral("@OUT@");
    QTest::newRow("unknown extension") << QStringList{QStringLiteral("pipeline"), QStringLiteral("--out"),
                                                      QStringLiteral("@DIR@/r.docx")}
                                       << 2 << QStringLiteral(".pdf, .csv, .json, .png or .svg");
    QTest::newRow("no out") << QStringList{QStringLiteral("pipeline")} << 2 << QStringLiteral("--out FILE");
    QTest::newRow("bad date") << QStringList{QStringLiteral("pipeline"), QStringLiteral("--from"),
                                             QStringLiteral("31/01/2026"), QStringLiteral("--out"), out}
                              << 2 << QStringLiteral("--from takes a date");
    QTest::newRow("from after to") << QStringList{QStringLiteral("network"),
                                                  QStringLiteral("--from"),
                                                  QStringLiteral("2026-02-01"),
                                                  QStringLiteral("--to"),
                                                  QStringLiteral("2026-01-01"),
                                                  QStringLiteral("--out"),
                                                  out}
                                   << 2 << QStringLiteral("--from is after --to");
    QTest::newRow("missing folder") << QStringList{QStringLiteral("attribution"), QStringLiteral("--out"),
                                                   QStringLiteral("@DIR@/no/such/folder/r.pdf")}
                                    << 1 << QStringLiteral("Cannot write");
}

void TestReports::badArgumentsWriteNothing()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString out = m_dir.file(QStringLiteral("refused.json"));
    for (QString &a : args)
        a.replace(QLatin1String("@OUT@"), out).replace(QLatin1String("@DIR@"), m_dir.path());
    const test::CliRun run = test::runEcotone(QStringList{QStringLiteral("report")} + args +
                                              QStringList{QStringLiteral("--workspace"), m_path});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QVERIFY(!QFile::exists(out));
}

QTEST_MAIN(TestReports)
#include "TestReports.moc"
