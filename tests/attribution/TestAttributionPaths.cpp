#include "AttributionFixtures.h"
#include "TestSupport.h"

#include <QFile>
#include <QTest>

using namespace ecotone;
using namespace ecotone::attribution;

namespace {
Result<PathSet> readText(const QByteArray &text, const QString &separator = QStringLiteral(">"))
{
    QBuffer buffer;
    buffer.setData(text);
    buffer.open(QIODevice::ReadOnly);
    PathReadOptions options;
    options.separator = separator;
    return readPaths(&buffer, QStringLiteral("paths.csv"), options);
}

QStringList touchNames(const PathSet &set, const Journey &j)
{
    QStringList names;
    for (const int t : j.touches)
        names << set.partners().at(t);
    return names;
}
} // namespace

// The ChannelAttribution path-file reader and the touchpoint CSV: delimiters, quoting, cleaning, errors.
class TestAttributionPaths : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commaFile()
    {
        auto r = readText("path,total_conversions,total_conversion_value,total_null\n"
                          "a > b > c,3,300.5,7\n"
                          "b,1,10,0\n"
                          "a > b > c,1,100,1\n");
        QVERIFY2(r, qPrintable(r.error()));
        const PathSet &set = r.value();
        QCOMPARE(set.rows, 4 - 1);
        QCOMPARE(set.journeys().size(), size_t(2)); // identical paths aggregated
        QCOMPARE(touchNames(set, set.journeys()[0]),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(set.journeys()[0].conversions, 4.0);
        QCOMPARE(set.journeys()[0].value, 400.5);
        QCOMPARE(set.journeys()[0].nulls, 8.0);
        QCOMPARE(set.totalConversions(), 5.0);
        QVERIFY(set.warnings.isEmpty());
    }

    void semicolonFileWithQuotingAndColumnOrder()
    {
        // Semicolons, quoted fields (one holds the delimiter and a doubled quote), columns in another order.
        auto r = readText("total_null;total_conversions;path\r\n"
                          "2;1;\"Acme; Inc > \"\"Big\"\" Co\"\r\n"
                          "0;2;Acme; Inc\r\n");
        QVERIFY2(r, qPrintable(r.error()));
        const PathSet &set = r.value();
        QCOMPARE(set.partners(),
                 (QStringList{QStringLiteral("Acme; Inc"), QStringLiteral("\"Big\" Co"), QStringLiteral("Acme")}));
        QCOMPARE(set.totalConversions(), 3.0);
        QCOMPARE(set.totalValue(), 0.0); // no value column: 0
        QCOMPARE(set.totalNulls(), 2.0);
    }

    void cleaning()
    {
        auto r = readText("path,total_conversions,total_null\n"
                          "a >> b,1,0\n"
                          " > a > ,1,0\n"
                          "a>b,1,0\n"
                          "\"  \",4,1\n"
                          ",2,0\n"
                          "  x   y  > z,1,0\n");
        QVERIFY2(r, qPrintable(r.error()));
        const PathSet &set = r.value();
        for (const QString &name : set.partners())
            QVERIFY(!name.isEmpty());
        QCOMPARE(set.partners(),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("x y"), QStringLiteral("z")}));
        QCOMPARE(set.journeys().size(), size_t(3)); // a > b (twice merged), a, x y > z
        QCOMPARE(set.totalConversions(), 4.0);
        QCOMPARE(set.droppedConversions(), 6.0);
        QCOMPARE(set.droppedNulls(), 1.0);
        QCOMPARE(set.warnings.size(), 4); // two cleaned paths, two empty ones
        QCOMPARE(set.warnings.at(0).line, 2);
        QVERIFY(set.warnings.at(2).message.contains(QLatin1String("empty path")));
    }

    void customSeparator()
    {
        auto r = readText("path;total_conversions\nCloud Co | Reseller > One;1\n", QStringLiteral(" | "));
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r.value().partners(), (QStringList{QStringLiteral("Cloud Co"), QStringLiteral("Reseller > One")}));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("paths.csv is empty");
        QTest::newRow("no path column") << QByteArray("route,total_conversions\na,1\n")
                                        << QStringLiteral("paths.csv, line 1: the header must name");
        QTest::newRow("no conversions column")
            << QByteArray("path,total_null\na,1\n") << QStringLiteral("paths.csv, line 1");
        QTest::newRow("text count") << QByteArray("path,total_conversions\na,1\nb,many\n")
                                    << QStringLiteral("paths.csv, line 3: total_conversions \"many\"");
        QTest::newRow("negative null") << QByteArray("path,total_conversions,total_null\na,1,-2\n")
                                       << QStringLiteral("paths.csv, line 2: total_null \"-2\"");
        QTest::newRow("bad value after quoted newline")
            << QByteArray("path,total_conversions,total_conversion_value\n\"a\n> b\",1,0\nc,1,x\n")
            << QStringLiteral("paths.csv, line 4: total_conversion_value");
        QTest::newRow("tab delimiter") << QByteArray("path\ttotal_conversions\na\t1\n")
                                       << QStringLiteral("separated by , or ;");
    }

    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        auto r = readText(text);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(message), qPrintable(r.error()));
    }

    void missingFile()
    {
        auto r = readPathFile(QStringLiteral("/nonexistent/paths.csv"));
        QVERIFY(!r);
        QVERIFY(r.error().contains(QLatin1String("/nonexistent/paths.csv")));
    }

    void aggregationOfManyRows()
    {
        QByteArray text("path,total_conversions,total_conversion_value,total_null\n");
        for (int i = 0; i < 3000; ++i)
            text += QByteArray("p") + QByteArray::number(i % 3) + " > q," + QByteArray::number(i % 2) + ",1,1\n";
        auto r = readText(text);
        QVERIFY(r);
        QCOMPARE(r.value().journeys().size(), size_t(3));
        QCOMPARE(r.value().totalConversions(), 1500.0);
        QCOMPARE(r.value().totalValue(), 3000.0);
    }

    void touchpointFile()
    {
        QBuffer buffer;
        buffer.setData("journey,partner,at,kind,converted_at,value\n"
                       "d1,Beta,2026-03-08T00:00:00Z,meeting,2026-03-15T00:00:00Z,700\n"
                       "d1,Alpha,2026-03-01T00:00:00Z,registration,,\n"
                       "d1,Gamma,2026-03-15T00:00:00Z,opportunity,,\n"
                       "d2,Alpha,2026-04-01T00:00:00Z,referral,,\n"
                       "d3,,2026-04-01T00:00:00Z,referral,,\n");
        buffer.open(QIODevice::ReadOnly);
        auto r = readTouchpoints(&buffer, QStringLiteral("touches.csv"));
        QVERIFY2(r, qPrintable(r.error()));
        const PathSet &set = r.value();
        QCOMPARE(set.journeys().size(), size_t(2));
        const Journey &d1 = set.journeys()[0];
        QCOMPARE(touchNames(set, d1),
                 (QStringList{QStringLiteral("Alpha"), QStringLiteral("Beta"), QStringLiteral("Gamma")}));
        QCOMPARE(d1.ages, (std::vector<double>{14, 7, 0}));
        QCOMPARE(d1.opportunityTouch, 2);
        QCOMPARE(d1.conversions, 1.0);
        QCOMPARE(d1.value, 700.0);
        QCOMPARE(set.journeys()[1].nulls, 1.0);
        QCOMPARE(set.warnings.size(), 1);  // d3's touch without a partner
        QCOMPARE(set.droppedNulls(), 1.0); // d3 has no touch left
        auto c = attribute(set, QStringLiteral("time-decay"));
        QVERIFY(c);
        QVERIFY(qAbs(c.value().credits[size_t(set.findPartner(QStringLiteral("Gamma")))].conversions - 4.0 / 7) <
                1e-12);
    }

    void touchpointErrors()
    {
        QBuffer buffer;
        buffer.setData("journey,partner,at\nd1,Alpha,yesterday\n");
        buffer.open(QIODevice::ReadOnly);
        auto r = readTouchpoints(&buffer, QStringLiteral("touches.csv"));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("touches.csv, line 2: at \"yesterday\"")), qPrintable(r.error()));
    }
};

QTEST_GUILESS_MAIN(TestAttributionPaths)
#include "TestAttributionPaths.moc"
