#include "mapping/Csv.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QStringEncoder>
#include <QTest>

using namespace ecotone;

using Records = QList<QStringList>;
using Lines = QList<qint64>;

namespace {
constexpr qsizetype kChunk = 1 << 16; // CsvReader's read size

struct Parsed
{
    Records records;
    Lines lines;
    QString error;
    QChar delimiter;
    qint64 bytesRead = 0;
};

Parsed parse(const QByteArray &bytes, const QString &source = QStringLiteral("test.csv"))
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, source);
    Parsed out;
    QStringList fields;
    while (reader.next(fields)) {
        out.records << fields;
        out.lines << reader.recordLine();
    }
    out.error = reader.error();
    out.delimiter = reader.delimiter();
    out.bytesRead = reader.bytesRead();
    return out;
}

enum class Encoding
{
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
};

QByteArray encode(const QString &text, Encoding encoding)
{
    switch (encoding) {
    case Encoding::Utf8:
        return text.toUtf8();
    case Encoding::Utf8Bom:
        return QByteArray("\xEF\xBB\xBF") + text.toUtf8();
    case Encoding::Utf16LeBom: {
        QStringEncoder enc(QStringConverter::Utf16LE, QStringConverter::Flag::WriteBom);
        return enc.encode(text);
    }
    case Encoding::Utf16BeBom: {
        QStringEncoder enc(QStringConverter::Utf16BE, QStringConverter::Flag::WriteBom);
        return enc.encode(text);
    }
    }
    return {};
}

int unitBytes(Encoding e)
{
    return (e == Encoding::Utf16LeBom || e == Encoding::Utf16BeBom) ? 2 : 1;
}

// Prints a record list readably when a comparison fails.
QString show(const Records &records)
{
    QStringList rows;
    for (const QStringList &r : records) {
        QStringList cells;
        for (QString c : r) {
            c.replace(QLatin1Char('\r'), QStringLiteral("\\r")).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
            cells << QLatin1Char('[') + (c.size() > 40 ? c.left(20) + QStringLiteral("…") + c.right(20) : c) +
                         QLatin1Char(']');
        }
        rows << cells.join(QLatin1Char(' '));
    }
    return rows.join(QLatin1Char('\n'));
}
} // namespace

Q_DECLARE_METATYPE(Encoding)

class TestCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc4180_data();
    void rfc4180();
    void sniffsDelimiter_data();
    void sniffsDelimiter();
    void encodings_data();
    void encodings();
    void invalidUtf8NamesSourceAndLine_data();
    void invalidUtf8NamesSourceAndLine();
    void windows1252Fallback_data();
    void windows1252Fallback();
    void binaryAndRunawayInputAreRefused_data();
    void binaryAndRunawayInputAreRefused();
    void unterminatedQuoteNamesLine_data();
    void unterminatedQuoteNamesLine();
    void emptyInput();
    void chunkBoundaries_data();
    void chunkBoundaries();
    void largeInput_data();
    void largeInput();
    void writerRoundTrip_data();
    void writerRoundTrip();
    void writerQuotesOnlyWhereNeeded();
    void writerGuardsFormulas();
};

void TestCsv::rfc4180_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Records>("records");
    QTest::addColumn<Lines>("lines");

    const QString a = QStringLiteral("a"), b = QStringLiteral("b"), c = QStringLiteral("c");
    const QString one = QStringLiteral("1"), two = QStringLiteral("2");
    QTest::newRow("LF") << QByteArray("a,b,c\n1,2,3\n") << Records{{a, b, c}, {one, two, QStringLiteral("3")}}
                        << Lines{1, 2};
    QTest::newRow("CRLF") << QByteArray("a,b\r\n1,2\r\n") << Records{{a, b}, {one, two}} << Lines{1, 2};
    QTest::newRow("mixed line ends") << QByteArray("a,b\r\n1,2\nx,y\r\n")
                                     << Records{{a, b}, {one, two}, {QStringLiteral("x"), QStringLiteral("y")}}
                                     << Lines{1, 2, 3};
    QTest::newRow("no trailing newline") << QByteArray("a,b\n1,2") << Records{{a, b}, {one, two}} << Lines{1, 2};
    QTest::newRow("no trailing newline, CRLF")
        << QByteArray("a,b\r\n1,2") << Records{{a, b}, {one, two}} << Lines{1, 2};
    QTest::newRow("empty fields") << QByteArray("a,,c\n,,\n,x,\n")
                                  << Records{{a, QString(), c},
                                             {QString(), QString(), QString()},
                                             {QString(), QStringLiteral("x"), QString()}}
                                  << Lines{1, 2, 3};
    QTest::newRow("trailing empty field at EOF")
        << QByteArray("a,b\n1,") << Records{{a, b}, {one, QString()}} << Lines{1, 2};
    QTest::newRow("quoted delimiter") << QByteArray("\"a,b\",c\n") << Records{{QStringLiteral("a,b"), c}} << Lines{1};
    QTest::newRow("doubled quotes") << QByteArray("\"say \"\"hi\"\"\",x\n")
                                    << Records{{QStringLiteral("say \"hi\""), QStringLiteral("x")}} << Lines{1};
    QTest::newRow("only a quote") << QByteArray("\"\"\"\",x\n") << Records{{QStringLiteral("\""), QStringLiteral("x")}}
                                  << Lines{1};
    QTest::newRow("quoted empty") << QByteArray("\"\",x\n\"\"\n")
                                  << Records{{QString(), QStringLiteral("x")}, {QString()}} << Lines{1, 2};
    QTest::newRow("quoted at EOF") << QByteArray("a,\"b\"") << Records{{a, b}} << Lines{1};
    QTest::newRow("embedded LF") << QByteArray("\"line1\nline2\",x\nnext,y\n")
                                 << Records{{QStringLiteral("line1\nline2"), QStringLiteral("x")},
                                            {QStringLiteral("next"), QStringLiteral("y")}}
                                 << Lines{1, 3};
    QTest::newRow("embedded CRLF") << QByteArray("\"l1\r\nl2\",x\r\nn,y\r\n")
                                   << Records{{QStringLiteral("l1\r\nl2"), QStringLiteral("x")},
                                              {QStringLiteral("n"), QStringLiteral("y")}}
                                   << Lines{1, 3};
    QTest::newRow("embedded blank line") << QByteArray("\"p1\n\np2\",x\nz,z\n")
                                         << Records{{QStringLiteral("p1\n\np2"), QStringLiteral("x")},
                                                    {QStringLiteral("z"), QStringLiteral("z")}}
                                         << Lines{1, 4};
    QTest::newRow("blank lines skipped") << QByteArray("a,b\n\n\r\n1,2\n\n\n") << Records{{a, b}, {one, two}}
                                         << Lines{1, 4};
    QTest::newRow("leading blank lines") << QByteArray("\n\na,b\n") << Records{{a, b}} << Lines{3};
    QTest::newRow("spaces kept") << QByteArray(" a , b \n") << Records{{QStringLiteral(" a "), QStringLiteral(" b ")}}
                                 << Lines{1};
    QTest::newRow("single column") << QByteArray("name\nAcme\nGlobex\n")
                                   << Records{{QStringLiteral("name")},
                                              {QStringLiteral("Acme")},
                                              {QStringLiteral("Globex")}}
                                   << Lines{1, 2, 3};
    QTest::newRow("quote inside unquoted field is data")
        << QByteArray("5\" disk,x\n") << Records{{QStringLiteral("5\" disk"), QStringLiteral("x")}} << Lines{1};
    QTest::newRow("lines after several multi-line fields")
        << QByteArray("h1,h2\n\"a\nb\nc\",x\nnext,\"y\r\nz\"\n\nlast,1\n")
        << Records{{QStringLiteral("h1"), QStringLiteral("h2")},
                   {QStringLiteral("a\nb\nc"), QStringLiteral("x")},
                   {QStringLiteral("next"), QStringLiteral("y\r\nz")},
                   {QStringLiteral("last"), one}}
        << Lines{1, 2, 5, 8};
    QTest::newRow("ragged rows are returned as they are")
        << QByteArray("a,b,c\n1\n1,2,3,4\n")
        << Records{{a, b, c}, {one}, {one, two, QStringLiteral("3"), QStringLiteral("4")}} << Lines{1, 2, 3};
}

void TestCsv::rfc4180()
{
    QFETCH(QByteArray, input);
    QFETCH(Records, records);
    QFETCH(Lines, lines);
    const Parsed p = parse(input);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY2(p.records == records, qPrintable(show(p.records) + QStringLiteral("\n--- expected\n") + show(records)));
    QCOMPARE(p.lines, lines);
    QCOMPARE(p.bytesRead, qint64(input.size()));
}

void TestCsv::sniffsDelimiter_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QChar>("delimiter");
    QTest::addColumn<QStringList>("second"); // the second record

    QTest::newRow("comma") << QByteArray("name,website,notes\nAcme;Inc,acme.com,a|b\n") << QChar(u',')
                           << QStringList{QStringLiteral("Acme;Inc"), QStringLiteral("acme.com"),
                                          QStringLiteral("a|b")};
    QTest::newRow("semicolon") << QByteArray("name;website;notes\n\"Acme, Inc.\";acme.com;x,y\n") << QChar(u';')
                               << QStringList{QStringLiteral("Acme, Inc."), QStringLiteral("acme.com"),
                                              QStringLiteral("x,y")};
    QTest::newRow("tab") << QByteArray("name\twebsite\tnotes\nAcme, Inc.\tacme.com\t1;2\n") << QChar(u'\t')
                         << QStringList{QStringLiteral("Acme, Inc."), QStringLiteral("acme.com"),
                                        QStringLiteral("1;2")};
    QTest::newRow("pipe") << QByteArray("name|website\r\n\"A|B\"|ab.com\r\n") << QChar(u'|')
                          << QStringList{QStringLiteral("A|B"), QStringLiteral("ab.com")};
    QTest::newRow("commas only inside quotes")
        << QByteArray("\"last, first\";\"city, country\";id\nx;y;z\n") << QChar(u';')
        << QStringList{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")};
    QTest::newRow("tie goes to comma") << QByteArray("a,b;c\n1,2;3\n") << QChar(u',')
                                       << QStringList{QStringLiteral("1"), QStringLiteral("2;3")};
    QTest::newRow("no delimiter: comma") << QByteArray("name\nAcme\n") << QChar(u',')
                                         << QStringList{QStringLiteral("Acme")};
    QTest::newRow("leading blank lines") << QByteArray("\n\r\nname;website\nAcme;acme.com\n") << QChar(u';')
                                         << QStringList{QStringLiteral("Acme"), QStringLiteral("acme.com")};
    QTest::newRow("only the first line counts") << QByteArray("a;b\n1,2,3,4,5;6\n") << QChar(u';')
                                                << QStringList{QStringLiteral("1,2,3,4,5"), QStringLiteral("6")};
}

void TestCsv::sniffsDelimiter()
{
    QFETCH(QByteArray, input);
    QFETCH(QChar, delimiter);
    QFETCH(QStringList, second);
    const Parsed p = parse(input);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.delimiter, delimiter);
    QCOMPARE(p.records.size(), 2);
    QCOMPARE(p.records.at(1), second);
}

void TestCsv::encodings_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::newRow("UTF-8") << Encoding::Utf8;
    QTest::newRow("UTF-8 with BOM") << Encoding::Utf8Bom;
    QTest::newRow("UTF-16 LE with BOM") << Encoding::Utf16LeBom;
    QTest::newRow("UTF-16 BE with BOM") << Encoding::Utf16BeBom;
}

void TestCsv::encodings()
{
    QFETCH(Encoding, encoding);
    const QString text = QString::fromUtf8("id;name;city\r\n1;\"Müller; Söhne\";Zürich\r\n2;日本電気;東京\r\n3;"
                                           "\"emoji 😀\nnext line\";Kraków\r\n");
    const QByteArray bytes = encode(text, encoding);
    const Parsed p = parse(bytes);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.delimiter, QChar(u';'));
    const Records expected{
        {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("city")}, // no BOM left in "id"
        {QStringLiteral("1"), QString::fromUtf8("Müller; Söhne"), QString::fromUtf8("Zürich")},
        {QStringLiteral("2"), QString::fromUtf8("日本電気"), QString::fromUtf8("東京")},
        {QStringLiteral("3"), QString::fromUtf8("emoji 😀\nnext line"), QString::fromUtf8("Kraków")},
    };
    QVERIFY2(p.records == expected, qPrintable(show(p.records)));
    QCOMPARE(p.lines, (Lines{1, 2, 3, 4}));
}

void TestCsv::invalidUtf8NamesSourceAndLine_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("line");
    // Without a BOM, a file that is not UTF-8 is read as Windows-1252 (windows1252Fallback) — unless valid
    // UTF-8 came first: then the file is broken, not legacy.
    QTest::newRow("UTF-8 then a stray byte, line 3") << QByteArray("a\nM\xC3\xBCller\n\x80x\n") << 3;
    QTest::newRow("UTF-8 then Latin-1, line 4") << QByteArray("name\nZ\xC3\xBCrich\nok\nM\xFCller\n") << 4;
    QTest::newRow("with BOM, line 2") << QByteArray("\xEF\xBB\xBF"
                                                    "a,b\n\xFE,1\n")
                                      << 2;
    // A character cut off by the end of the file must not vanish silently.
    QTest::newRow("cut off at the end, line 2") << QByteArray("a,b\n1,x\xE2\x82") << 2;
    QTest::newRow("cut off at the end with BOM, line 3") << QByteArray("\xEF\xBB\xBF"
                                                                       "a\n\n1,\xF0\x9F\x98")
                                                         << 3;
    QTest::newRow("UTF-16 with an odd byte at the end, line 2")
        << (encode(QStringLiteral("a,b\n1,2"), Encoding::Utf16LeBom) + QByteArray("x")) << 2;
}

void TestCsv::invalidUtf8NamesSourceAndLine()
{
    QFETCH(QByteArray, input);
    QFETCH(int, line);
    const Parsed p = parse(input, QStringLiteral("partners-2026.csv"));
    QVERIFY(!p.error.isEmpty());
    QVERIFY2(p.error.contains(QStringLiteral("partners-2026.csv")), qPrintable(p.error));
    QVERIFY2(p.error.contains(QStringLiteral("UTF-8")), qPrintable(p.error));
    QVERIFY2(p.error.contains(QStringLiteral("line %1").arg(line)), qPrintable(p.error));
    // No record after the bad byte may be returned as if it were fine.
    for (const QStringList &r : p.records)
        for (const QString &f : r)
            QVERIFY2(!f.contains(QChar::ReplacementCharacter), qPrintable(show(p.records)));
}

void TestCsv::windows1252Fallback_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("secondRecord");
    QTest::newRow("German names") << QByteArray("name,city\nM\xFCller,Z\xFCrich\n")
                                  << QStringList{QStringLiteral("Müller"), QStringLiteral("Zürich")};
    QTest::newRow("euro sign and quotes (0x80-0x9F)")
        << QByteArray("a;b\n\x80 5;\x93quoted\x94\n") << QStringList{QStringLiteral("€ 5"), QStringLiteral("“quoted”")};
    QTest::newRow("bytes that would start UTF-8 sequences")
        << QByteArray("a,b\n\xC3,\xC0\xAF\n") << QStringList{QStringLiteral("Ã"), QStringLiteral("À¯")};
    QTest::newRow("unassigned bytes stay C1 controls")
        << QByteArray("a,b\n\x81,\xFF\n") << QStringList{QString(QChar(0x81)), QStringLiteral("ÿ")};
    // The first non-ASCII byte far beyond the first read chunk: everything before was ASCII, so the switch
    // loses nothing.
    QByteArray big = "name,city\n";
    while (big.size() < 200 * 1024)
        big += "Plain Company,Town\n";
    QTest::newRow("legacy byte after 200 KB of ASCII")
        << (QByteArray("name,city\nS\xE3o Paulo Ltda,S\xE3o Paulo\n") + big.mid(10))
        << QStringList{QStringLiteral("São Paulo Ltda"), QStringLiteral("São Paulo")};
    QByteArray late = big + "Caf\xE9 Partners,Lyon\n";
    QTest::newRow("legacy byte only at the end")
        << late << QStringList{QStringLiteral("Plain Company"), QStringLiteral("Town")};
}

void TestCsv::windows1252Fallback()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, secondRecord);
    const Parsed p = parse(input, QStringLiteral("excel-export.csv"));
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.records.size() >= 2);
    QCOMPARE(p.records.at(1), secondRecord);
    if (input.endsWith("Caf\xE9 Partners,Lyon\n"))
        QCOMPARE(p.records.constLast(), (QStringList{QStringLiteral("Café Partners"), QStringLiteral("Lyon")}));
}

void TestCsv::binaryAndRunawayInputAreRefused_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("PNG header") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << QStringLiteral("not a text file");
    QTest::newRow("NUL after a header") << QByteArray("a,b\n1,\0\n", 9) << QStringLiteral("not a text file");
    QTest::newRow("one 6 MB line") << QByteArray(6 * 1024 * 1024, 'x') << QStringLiteral("longer than");
    QTest::newRow("a 6 MB record after the header") << (QByteArray("a,b\n1,") + QByteArray(6 * 1024 * 1024, 'y') + "\n")
                                                    << QStringLiteral("line 2: a record longer");
    QTest::newRow("a quote never closed over 6 MB")
        << (QByteArray("a,b\n1,\"") + QByteArray(6 * 1024 * 1024, 'z')) << QStringLiteral("never closed");
}

void TestCsv::binaryAndRunawayInputAreRefused()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    const Parsed p = parse(input, QStringLiteral("upload.csv"));
    QVERIFY2(p.error.contains(QStringLiteral("upload.csv")), qPrintable(p.error));
    QVERIFY2(p.error.contains(message), qPrintable(p.error));
}

void TestCsv::unterminatedQuoteNamesLine_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("recordsBefore");
    QTest::newRow("second line") << QByteArray("a,b\n1,\"open\n2,3\n4,5\n") << 2 << 1;
    QTest::newRow("first line") << QByteArray("\"a,b\n") << 1 << 0;
    QTest::newRow("after a multi-line field") << QByteArray("a,b\n\"x\ny\",1\n\n2,\"never closed") << 5 << 2;
    QTest::newRow("doubled quote at EOF") << QByteArray("a,b\n1,\"x\"\"") << 2 << 1;
}

void TestCsv::unterminatedQuoteNamesLine()
{
    QFETCH(QByteArray, input);
    QFETCH(int, line);
    QFETCH(int, recordsBefore);
    const Parsed p = parse(input, QStringLiteral("broken.csv"));
    QVERIFY(!p.error.isEmpty());
    QVERIFY2(p.error.contains(QStringLiteral("broken.csv")), qPrintable(p.error));
    QVERIFY2(p.error.contains(QStringLiteral("line %1:").arg(line)), qPrintable(p.error));
    QVERIFY2(p.error.contains(QStringLiteral("never closed")), qPrintable(p.error));
    QCOMPARE(p.records.size(), recordsBefore);
}

void TestCsv::emptyInput()
{
    for (const QByteArray &bytes : {QByteArray(), QByteArray("\n\n\r\n"), QByteArray("\xEF\xBB\xBF")}) {
        const Parsed p = parse(bytes);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.records.size(), 0);
    }
}

void TestCsv::chunkBoundaries_data()
{
    // Each case puts a 64 KiB read boundary at a tricky spot of the input: the CSV text after a padded first
    // field is `payload`, and the boundary falls `shift` bytes into the character at payload index `at`.
    QTest::addColumn<Encoding>("encoding");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<int>("at");
    QTest::addColumn<int>("shift");
    QTest::addColumn<Records>("rest"); // records from the padded one on; the pad is prepended to rest[0][1]
    QTest::addColumn<Lines>("restLines");

    const QString end = QStringLiteral("end");
    const QStringList second{QStringLiteral("2"), QStringLiteral("second"), QStringLiteral("row")};
    struct Case
    {
        const char *name;
        QString payload;
        int at;
        int shift;
        Records rest;
        Lines lines;
    };
    const QList<Case> cases = {
        {"between doubled quotes", QStringLiteral("x\"\"y\",end\n2,second,row\n"), 2, 0,
         Records{{QStringLiteral("1"), QStringLiteral("x\"y"), end}, second}, Lines{2, 3}},
        {"after closing quote", QStringLiteral("xy\",end\n2,second,row\n"), 3, 0,
         Records{{QStringLiteral("1"), QStringLiteral("xy"), end}, second}, Lines{2, 3}},
        {"before closing quote", QStringLiteral("xy\",end\n2,second,row\n"), 2, 0,
         Records{{QStringLiteral("1"), QStringLiteral("xy"), end}, second}, Lines{2, 3}},
        {"CR|LF inside quotes", QStringLiteral("x\r\ny\",end\n2,second,row\n"), 2, 0,
         Records{{QStringLiteral("1"), QStringLiteral("x\r\ny"), end}, second}, Lines{2, 4}},
        {"CR|LF ending a record", QStringLiteral("xy\",end\r\n2,second,row\r\n"), 8, 0,
         Records{{QStringLiteral("1"), QStringLiteral("xy"), end}, second}, Lines{2, 3}},
        {"opening quote of next field", QStringLiteral("xy\",\"e,nd\"\n2,second,row\n"), 4, 0,
         Records{{QStringLiteral("1"), QStringLiteral("xy"), QStringLiteral("e,nd")}, second}, Lines{2, 3}},
        {"inside a 3-byte character", QString::fromUtf8("x€y\",end\n2,second,row\n"), 1, 1,
         Records{{QStringLiteral("1"), QString::fromUtf8("x€y"), end}, second}, Lines{2, 3}},
        {"inside a 2-byte character", QString::fromUtf8("xüy\",end\n2,second,row\n"), 1, 1,
         Records{{QStringLiteral("1"), QString::fromUtf8("xüy"), end}, second}, Lines{2, 3}},
        {"inside a 4-byte character", QString::fromUtf8("x😀y\",end\n2,second,row\n"), 1, 2,
         Records{{QStringLiteral("1"), QString::fromUtf8("x😀y"), end}, second}, Lines{2, 3}},
    };
    const std::pair<const char *, Encoding> encodings[] = {{"UTF-8", Encoding::Utf8},
                                                           {"UTF-8 BOM", Encoding::Utf8Bom},
                                                           {"UTF-16LE", Encoding::Utf16LeBom},
                                                           {"UTF-16BE", Encoding::Utf16BeBom}};
    for (const auto &[encName, enc] : encodings) {
        for (const Case &c : cases) {
            // UTF-16 code units are 2 bytes: a shift of 1 would land inside a unit, which cannot happen.
            const int shift = unitBytes(enc) == 2 ? (c.shift / 2) * 2 : c.shift;
            QTest::addRow("%s, %s", encName, c.name) << enc << c.payload << c.at << shift << c.rest << c.lines;
        }
    }
}

void TestCsv::chunkBoundaries()
{
    QFETCH(Encoding, encoding);
    QFETCH(QString, payload);
    QFETCH(int, at);
    QFETCH(int, shift);
    QFETCH(Records, rest);
    QFETCH(Lines, restLines);

    const QString head = QStringLiteral("id,text,tail\n1,\"");
    const qsizetype before = encode(head, encoding).size() + encode(payload.left(at), encoding).size() -
                             (encoding == Encoding::Utf16LeBom || encoding == Encoding::Utf16BeBom ? 2 : 0) -
                             (encoding == Encoding::Utf8Bom ? 3 : 0) + shift;
    // `before` counts the BOM once (from head). Pad so that the boundary lands exactly there.
    const qsizetype padUnits = (kChunk - before) / unitBytes(encoding);
    QVERIFY((kChunk - before) % unitBytes(encoding) == 0);
    const QString pad(padUnits, QLatin1Char('p'));
    const QByteArray bytes = encode(head + pad + payload, encoding);
    QVERIFY(bytes.size() > kChunk);

    Records expected{{QStringLiteral("id"), QStringLiteral("text"), QStringLiteral("tail")}};
    expected << rest;
    expected[1][1].prepend(pad);
    Lines lines{1};
    lines << restLines;

    const Parsed p = parse(bytes);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY2(p.records == expected, qPrintable(show(p.records) + QStringLiteral("\n--- expected\n") + show(expected)));
    QCOMPARE(p.lines, lines);
}

void TestCsv::largeInput_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::newRow("UTF-8") << Encoding::Utf8;
    QTest::newRow("UTF-8 with BOM") << Encoding::Utf8Bom;
    QTest::newRow("UTF-16 LE with BOM") << Encoding::Utf16LeBom;
}

void TestCsv::largeInput()
{
    QFETCH(Encoding, encoding);
    // About 5 MB of varied records: quoted fields with delimiters, quotes and newlines, multi-byte text,
    // empty fields. Generated with a fixed seed, so a failure reproduces.
    QRandomGenerator rng(20260101);
    const QStringList words{
        QStringLiteral("alpha"),       QString::fromUtf8("Zürich"),     QString::fromUtf8("東京"),
        QString::fromUtf8("😀"),        QStringLiteral("a,b"),           QStringLiteral("say \"hi\""),
        QStringLiteral("line\nbreak"), QStringLiteral("crlf\r\nbreak"), QString(),
        QString::fromUtf8("€uro")};
    Records expected{{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("notes"), QStringLiteral("n")}};
    Lines lines{1};
    QString text = QStringLiteral("id,name,notes,n\r\n");
    qint64 line = 2;
    for (int i = 0; text.size() < 5'000'000; ++i) {
        QStringList record{QString::number(i)};
        for (int f = 0; f < 2; ++f) {
            QString value;
            const int n = int(rng.bounded(1, 12));
            for (int k = 0; k < n; ++k)
                value += (k ? QStringLiteral(" ") : QString()) + words.at(int(rng.bounded(qint64(words.size()))));
            if (rng.bounded(50) == 0)
                value = QString(int(rng.bounded(1000, 20000)), QLatin1Char('L')); // long fields, across chunks
            record << value;
        }
        record << QString::number(rng.generate());
        QStringList cells;
        for (const QString &v : record) {
            if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n')) ||
                rng.bounded(4) == 0) {
                QString q = v;
                q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
                cells << QLatin1Char('"') + q + QLatin1Char('"');
            } else {
                cells << v;
            }
        }
        const QString row = cells.join(QLatin1Char(',')) + (i % 3 ? QStringLiteral("\n") : QStringLiteral("\r\n"));
        text += row;
        expected << record;
        lines << line;
        line += row.count(QLatin1Char('\n'));
    }
    const QByteArray bytes = encode(text, encoding);
    QVERIFY(bytes.size() > 5'000'000);

    const Parsed p = parse(bytes);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.records.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (p.records.at(i) != expected.at(i))
            QFAIL(qPrintable(QStringLiteral("record %1 differs:\n").arg(i) + show({p.records.at(i)}) +
                             QStringLiteral("\n--- expected\n") + show({expected.at(i)})));
        if (p.lines.at(i) != lines.at(i))
            QFAIL(qPrintable(
                QStringLiteral("record %1 starts on line %2, not %3").arg(i).arg(p.lines.at(i)).arg(lines.at(i))));
    }
    QCOMPARE(p.bytesRead, qint64(bytes.size() - (encoding == Encoding::Utf8      ? 0
                                                 : encoding == Encoding::Utf8Bom ? 3
                                                                                 : 2)));
}

void TestCsv::writerRoundTrip_data()
{
    QTest::addColumn<QChar>("delimiter");
    QTest::newRow("comma") << QChar(u',');
    QTest::newRow("semicolon") << QChar(u';');
    QTest::newRow("tab") << QChar(u'\t');
    QTest::newRow("pipe") << QChar(u'|');
}

void TestCsv::writerRoundTrip()
{
    QFETCH(QChar, delimiter);
    const Records rows{
        {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("notes")},
        {QStringLiteral("1"), QStringLiteral("Acme, Inc."), QStringLiteral("semi;colon|pipe\ttab")},
        {QStringLiteral("2"), QStringLiteral("say \"hi\""), QStringLiteral("\"")},
        {QStringLiteral("3"), QStringLiteral("multi\nline"), QStringLiteral("crlf\r\nline")},
        {QStringLiteral("4"), QStringLiteral("lone\rcr"), QString()},
        {QString(), QString(), QString()},
        {QStringLiteral("5"), QStringLiteral("  padded  "), QString::fromUtf8("Zürich 東京 😀")},
        {QStringLiteral("6"), QStringLiteral("=SUM(A1)"), QStringLiteral("\"\"")},
    };
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    CsvWriter writer(&buffer, delimiter);
    for (const QStringList &r : rows)
        QVERIFY(writer.writeRow(r));
    buffer.close();
    const QByteArray bytes = buffer.data();
    QVERIFY(bytes.endsWith("\r\n"));

    const Parsed p = parse(bytes);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.delimiter, delimiter);
    // The formula cell is written guarded and comes back whole once unguarded, as our importers do.
    QVERIFY(bytes.contains("'=SUM(A1)"));
    Records unguarded = p.records;
    for (QStringList &record : unguarded) {
        for (QString &cell : record)
            cell = CsvWriter::unguard(cell);
    }
    QVERIFY2(unguarded == rows, qPrintable(show(unguarded)));
    QCOMPARE(p.lines, (Lines{1, 2, 3, 4, 7, 8, 9, 10}));
}

void TestCsv::writerGuardsFormulas()
{
    // Every cell a spreadsheet would run is written with a leading apostrophe: = + - @, a leading TAB or CR (some
    // programs strip those and then read a formula). Plain numbers stay numbers. Unguarding gives back each value,
    // also one that started with an apostrophe of its own.
    const QStringList cells{QStringLiteral("=cmd|' /C calc'!A0"),
                            QStringLiteral("+1 (555) 0100"),
                            QStringLiteral("-2+3"),
                            QStringLiteral("@SUM(1)"),
                            QStringLiteral("\t=1+1"),
                            QStringLiteral("\r=1+1"),
                            QStringLiteral("'=already quoted"),
                            QStringLiteral("''=twice")};
    for (const QString &cell : cells) {
        const QString g = CsvWriter::guard(cell);
        QVERIFY2(g.startsWith(QLatin1Char('\'')) && g.mid(1) == cell, qPrintable(g));
        QCOMPARE(CsvWriter::unguard(g), cell);
    }
    for (const QString &cell : {QStringLiteral("-1250"), QStringLiteral("+42"), QStringLiteral("3.5"),
                                QStringLiteral("-0.75"), QStringLiteral("Acme"), QStringLiteral("it's fine"),
                                QStringLiteral("'quoted"), QStringLiteral("-"), QString()}) {
        QCOMPARE(CsvWriter::guard(cell), cell);
        QCOMPARE(CsvWriter::unguard(cell), cell);
    }
    QCOMPARE(CsvWriter::line({QStringLiteral("=1+1"), QStringLiteral("-5"), QStringLiteral("\tx")}),
             QStringLiteral("'=1+1,-5,'\tx\r\n"));
}

void TestCsv::writerQuotesOnlyWhereNeeded()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    CsvWriter writer(&buffer);
    QVERIFY(writer.writeRow({QStringLiteral("plain"), QStringLiteral("a,b"), QStringLiteral("q\"q"), QString(),
                             QStringLiteral("semi;colon"), QStringLiteral(" lead")}));
    QCOMPARE(buffer.data(), QByteArray("plain,\"a,b\",\"q\"\"q\",,semi;colon,\" lead\"\r\n"));
}

QTEST_GUILESS_MAIN(TestCsv)
#include "TestCsv.moc"
