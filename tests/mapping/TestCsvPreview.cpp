// The import dialog's preview: first rows, encoding, delimiter, detected CRM and suggested columns, read from the
// beginning of the file only.
#include "TestSupport.h"

#include "mapping/CsvPreview.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStringEncoder>
#include <QTest>

using namespace ecotone;
using namespace Qt::Literals::StringLiterals;

class TestCsvPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void maxRows();
    void errors();
    void bigFileIsFast();

private:
    QString write(const QString &name, const QByteArray &bytes);
    test::TempDir m_dir;
};

QString TestCsvPreview::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.file(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

namespace {
QByteArray utf16(const QString &text, QStringConverter::Encoding encoding)
{
    QStringEncoder encoder(encoding, QStringConverter::Flag::WriteBom);
    return encoder.encode(text);
}
} // namespace

void TestCsvPreview::formats_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QChar>("delimiter");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("nameHeader");
    QTest::addColumn<QString>("firstName"); // the name field of the first row

    QTest::newRow("salesforce") << QByteArray("Id,Name,Website,BillingCountry,Type\r\n"
                                              "001A,\"Acme, Inc.\",acme.com,USA,Customer\r\n"
                                              "001B,Globex,,DE,Prospect\r\n")
                                << u"UTF-8"_s << QChar(u',') << u"salesforce"_s << u"Name"_s << u"Acme, Inc."_s;
    QTest::newRow("hubspot bom") << QByteArray("\xEF\xBB\xBFRecord ID,Company name,Company Domain Name,Website URL,"
                                               "Country/Region,Lifecycle Stage\n"
                                               "1,Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale,sg.fr,,France,lead\n")
                                 << u"UTF-8 with BOM"_s << QChar(u',') << u"hubspot"_s << u"Company name"_s
                                 << u"Société Générale"_s;
    QTest::newRow("semicolon") << QByteArray("Account ID;Account Name;Website;Billing Country;Type\n"
                                             "001A;Acme;acme.com;USA;Customer\n")
                               << u"UTF-8"_s << QChar(u';') << u"salesforce"_s << u"Account Name"_s << u"Acme"_s;
    const QString text = u"id\tname\twebsite\n7\tZürich Versicherung\tzurich.ch\n"_s;
    QTest::newRow("utf-16 le") << utf16(text, QStringConverter::Utf16LE) << u"UTF-16 LE"_s << QChar(u'\t') << QString()
                               << u"name"_s << u"Zürich Versicherung"_s;
    QTest::newRow("utf-16 be") << utf16(text, QStringConverter::Utf16BE) << u"UTF-16 BE"_s << QChar(u'\t') << QString()
                               << u"name"_s << u"Zürich Versicherung"_s;
    QTest::newRow("windows-1252") << QByteArray("id|name|website\n1|Caf\xE9 M\xFCller|cafe.de\n") << u"Windows-1252"_s
                                  << QChar(u'|') << QString() << u"name"_s << u"Café Müller"_s;
}

void TestCsvPreview::formats()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, encoding);
    QFETCH(QChar, delimiter);
    QFETCH(QString, source);
    QFETCH(QString, nameHeader);
    QFETCH(QString, firstName);
    auto p = csvpreview::read(write(u"p.csv"_s, bytes));
    QVERIFY2(p.ok(), qPrintable(p.error()));
    QCOMPARE(p->encoding, encoding);
    QCOMPARE(p->delimiter, delimiter);
    QCOMPARE(p->detectedSource, source);
    QCOMPARE(p->suggestedColumns.value(u"name"_s), nameHeader);
    const qsizetype nameColumn = p->headers.indexOf(nameHeader);
    QVERIFY(nameColumn >= 0);
    QVERIFY(!p->rows.isEmpty());
    QCOMPARE(p->rows.first().size(), p->headers.size());
    QCOMPARE(p->rows.first().at(nameColumn), firstName);
    QVERIFY(p->suggestedColumns.contains(u"id"_s));
}

void TestCsvPreview::maxRows()
{
    QByteArray csv = "Id,Name\n";
    for (int i = 0; i < 50; ++i)
        csv += QByteArray::number(i) + ",Company " + QByteArray::number(i) + "\n";
    const QString path = write(u"rows.csv"_s, csv);
    auto p = csvpreview::read(path);
    QVERIFY2(p.ok(), qPrintable(p.error()));
    QCOMPARE(p->rows.size(), 20);
    QCOMPARE(p->rows.last(), (QStringList{u"19"_s, u"Company 19"_s}));
    p = csvpreview::read(path, 3);
    QCOMPARE(p->rows.size(), 3);
    QCOMPARE(p->headers, (QStringList{u"Id"_s, u"Name"_s}));
    // A header alone previews with no rows and nothing suggested for a file no CRM wrote.
    p = csvpreview::read(write(u"header.csv"_s, "a,b,c\n"));
    QVERIFY2(p.ok(), qPrintable(p.error()));
    QCOMPARE(p->rows.size(), 0);
    QVERIFY(p->suggestedColumns.isEmpty());
    QCOMPARE(p->detectedSource, QString());
}

void TestCsvPreview::errors()
{
    auto missing = csvpreview::read(m_dir.file(u"missing.csv"_s));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(u"missing.csv"_s), qPrintable(missing.error()));
    auto empty = csvpreview::read(write(u"empty.csv"_s, QByteArray()));
    QVERIFY(!empty.ok());
    QVERIFY2(empty.error().contains(u"empty"_s), qPrintable(empty.error()));
    auto binary = csvpreview::read(write(u"x.xlsx"_s, QByteArray("PK\x03\x04\x14\0\x06\0", 8)));
    QVERIFY(!binary.ok());
    QVERIFY2(binary.error().contains(u"not a text file"_s), qPrintable(binary.error()));
}

void TestCsvPreview::bigFileIsFast()
{
    // 600 MB of rows: reading it whole would take seconds; the preview reads its first chunk.
    const QString path = m_dir.file(u"big.csv"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Id,Name,Website,BillingCountry,Type\n");
        QByteArray block;
        for (int i = 0; i < 20'000; ++i)
            block += "001" + QByteArray::number(i) + ",Company " + QByteArray::number(i) + ",company" +
                     QByteArray::number(i) + ".com,USA,Customer\n";
        // A sparse tail keeps the test from writing 600 MB: the size is real, the preview must not read it.
        QVERIFY(f.write(block) == block.size());
        QVERIFY(f.resize(600LL << 20));
    }
    QElapsedTimer timer;
    timer.start();
    auto p = csvpreview::read(path);
    const qint64 ms = timer.elapsed();
    QVERIFY2(p.ok(), qPrintable(p.error()));
    QCOMPARE(p->rows.size(), 20);
    QCOMPARE(p->rows.at(19).first(), u"00119"_s);
    QVERIFY2(ms < 200, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestCsvPreview)
#include "TestCsvPreview.moc"
