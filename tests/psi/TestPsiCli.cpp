// Runs the real `ecotone psi request|respond|finish` on two CRM exports, end to end, and on broken files.
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

using namespace ecotone;

namespace {
using Run = ecotone::test::CliRun;

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}
} // namespace

class TestPsiCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void help();
    void intersectionEndToEnd();
    void countOnly();
    void foreignResponseRefused();
    void customColumns();
    void salesforceLabels();
    void malformedFiles_data();
    void malformedFiles();
    void usageErrors();

private:
    QString file(const QString &name) const { return m_dir.file(name); }
    Run request(const QString &accounts, const QString &req, const QString &state, bool countOnly = false);
    Run respond(const QString &accounts, const QString &req, const QString &resp);
    Run finish(const QString &state, const QString &resp);

    test::TempDir m_dir;
    QString m_a, m_b;
    QSet<QString> m_expectedIds; // A's ids that B also has
    QStringList m_bOnlyDomains;
};

// A: Salesforce export (API names), 400 accounts. B: HubSpot export, 300 accounts. Shared: 60 by website (in other
// forms on B's side) and 10 by name + country without a website (legal forms and case differ).
void TestPsiCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_BINARY")), "ECOTONE_BINARY must name the built ecotone");
    QByteArray a = "Id,Name,Website,BillingCountry,Type\r\n";
    QByteArray b = "Record ID,Company name,Website URL,Country/Region,Lifecycle Stage\n";
    for (int i = 0; i < 400; ++i) {
        const QByteArray n = QByteArray::number(i);
        if (i < 60) {
            a += "001A" + n + ",Shared " + n + " Inc,https://www.shared" + n + ".com/about,US,Customer\r\n";
            b += "90" + n + ",SHARED " + n + ",shared" + n + ".com,United States,customer\n";
            m_expectedIds.insert(QString::fromLatin1("001A" + n));
        } else if (i < 70) {
            a += "001A" + n + ",\"Nordwerk " + n + " GmbH\",,Germany,Customer\r\n";
            b += "90" + n + ",Nordwerk " + n + " AG,,DE,customer\n";
            m_expectedIds.insert(QString::fromLatin1("001A" + n));
        } else if (i < 80) {
            // Same name, other country: not the same account.
            a += "001A" + n + ",Southco " + n + ",,France,Prospect\r\n";
            b += "90" + n + ",Southco " + n + ",,Spain,prospect\n";
        } else {
            a += "001A" + n + ",Alpha " + n + ",alpha" + n + ".org,US,Prospect\r\n";
            if (i < 300) {
                b += "90" + n + ",Beta " + n + ",http://beta" + n + ".net,US,lead\n";
                m_bOnlyDomains << QString::fromLatin1("beta" + n + ".net");
            }
        }
    }
    m_a = file(s("a.csv"));
    m_b = file(s("b.csv"));
    writeFile(m_a, a);
    writeFile(m_b, b);
}

Run TestPsiCli::request(const QString &accounts, const QString &req, const QString &state, bool countOnly)
{
    QStringList args{s("psi"), s("request"), s("--accounts"), accounts, s("--out"), req, s("--state"), state};
    if (countOnly)
        args << s("--count-only");
    return ecotone::test::runEcotone(args);
}

Run TestPsiCli::respond(const QString &accounts, const QString &req, const QString &resp)
{
    return ecotone::test::runEcotone(
        {s("psi"), s("respond"), s("--accounts"), accounts, s("--request"), req, s("--out"), resp});
}

Run TestPsiCli::finish(const QString &state, const QString &resp)
{
    return ecotone::test::runEcotone(
        {s("psi"), s("finish"), s("--request-state"), state, s("--response"), resp, s("--format"), s("json")});
}

void TestPsiCli::help()
{
    const Run h = ecotone::test::runEcotone({s("--help")});
    QCOMPARE(h.exitCode, 0);
    for (const char *word : {"psi request", "psi respond", "psi finish"})
        QVERIFY2(h.out.contains(word), word);
}

void TestPsiCli::intersectionEndToEnd()
{
    const QString req = file(s("req.psi")), state = file(s("state.psikey")), resp = file(s("resp.psi"));
    const Run r1 = request(m_a, req, state);
    QVERIFY2(r1.exitCode == 0, r1.err.constData());
    QVERIFY(r1.out.contains("400 distinct keys"));
    QCOMPARE(QFile::permissions(state) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    QVERIFY(QFile::permissions(state) & QFile::ReadOwner);
    const QByteArray stateBytes = readFile(state);
    const Run overwrite = request(m_a, file(s("other.psi")), state);
    QCOMPARE(overwrite.exitCode, 1);
    QVERIFY2(overwrite.err.contains("unfinished exchange"), overwrite.err.constData());
    QCOMPARE(readFile(state), stateBytes);
    QVERIFY(!QFile::exists(file(s("other.psi"))));
    const QByteArray requestBytes = readFile(req);
    QVERIFY(requestBytes.startsWith("EcoPSIq\n"));
    QCOMPARE(requestBytes.size(), 8 + 4 + 16 + 1 + 4 + 1024 * 32); // 400 keys padded to 1024
    QVERIFY(!requestBytes.contains("shared1.com"));

    const Run r2 = respond(m_b, req, resp);
    QVERIFY2(r2.exitCode == 0, r2.err.constData());
    const QByteArray responseBytes = readFile(resp);
    for (const QString &domain : m_bOnlyDomains.mid(0, 20))
        QVERIFY(!responseBytes.contains(domain.toUtf8()));

    const Run r3 = finish(state, resp);
    QVERIFY2(r3.exitCode == 0, r3.err.constData());
    const QJsonObject root = QJsonDocument::fromJson(r3.out).object();
    QCOMPARE(root.value(s("mode")).toString(), s("intersection"));
    QCOMPARE(root.value(s("count")).toInt(), 70);
    QCOMPARE(root.value(s("exchange")).toString().size(), 32);
    QSet<QString> ids;
    for (const QJsonValue &m : root.value(s("matches")).toArray()) {
        ids.insert(m.toObject().value(s("id")).toString());
        QVERIFY(!m.toObject().value(s("name")).toString().isEmpty());
        QVERIFY(!m.toObject().value(s("key")).toString().isEmpty());
    }
    QCOMPARE(ids, m_expectedIds);
    QVERIFY(r3.out.contains("\"key\": \"shared7.com\""));
    QVERIFY(r3.out.contains("\"key\": \"name:nordwerk 65|de\""));

    // The state is gone: the same response cannot be used again.
    QVERIFY(!QFile::exists(state));
    const Run again = finish(state, resp);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("used once"), again.err.constData());
}

void TestPsiCli::countOnly()
{
    const QString req = file(s("count.psi")), state = file(s("count.psikey")), resp = file(s("count-resp.psi"));
    const Run r1 = request(m_a, req, state, true);
    QVERIFY2(r1.exitCode == 0, r1.err.constData());
    QVERIFY(!readFile(state).contains("Shared 1 Inc")); // no names kept when only a count is wanted
    const Run r2 = respond(m_b, req, resp);
    QVERIFY2(r2.exitCode == 0, r2.err.constData());
    QVERIFY(r2.out.contains("only how many"));
    // A responder whose agreement allows only counts refuses a request for the accounts themselves.
    const QString full = file(s("full.psi")), fullState = file(s("full.psikey")), out = file(s("full-resp.psi"));
    QCOMPARE(request(m_a, full, fullState).exitCode, 0);
    const Run refused = ecotone::test::runEcotone(
        {s("psi"), s("respond"), s("--accounts"), m_b, s("--request"), full, s("--out"), out, s("--count-only")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("--count-only allows only their number"), refused.err.constData());
    QVERIFY(!QFile::exists(out));
    const QString resp2 = file(s("count-resp2.psi"));
    const Run allowed = ecotone::test::runEcotone(
        {s("psi"), s("respond"), s("--accounts"), m_b, s("--request"), req, s("--out"), resp2, s("--count-only")});
    QCOMPARE(allowed.exitCode, 0);
    const Run r3 = finish(state, resp);
    QVERIFY2(r3.exitCode == 0, r3.err.constData());
    const QJsonObject root = QJsonDocument::fromJson(r3.out).object();
    QCOMPARE(root.value(s("mode")).toString(), s("count"));
    QCOMPARE(root.value(s("count")).toInt(), 70);
    QVERIFY(!root.contains(s("matches")));
    QVERIFY(!r3.out.contains("001A"));

    // Text output too.
    QVERIFY(request(m_a, req, state, true).exitCode == 0);
    QVERIFY(respond(m_b, req, resp).exitCode == 0);
    const Run text =
        ecotone::test::runEcotone({s("psi"), s("finish"), s("--request-state"), state, s("--response"), resp});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("70 shared accounts"), text.out.constData());
}

void TestPsiCli::foreignResponseRefused()
{
    const QString req1 = file(s("f1.psi")), state1 = file(s("f1.psikey"));
    const QString req2 = file(s("f2.psi")), state2 = file(s("f2.psikey")), resp2 = file(s("f2-resp.psi"));
    QCOMPARE(request(m_a, req1, state1).exitCode, 0);
    QCOMPARE(request(m_a, req2, state2).exitCode, 0);
    QCOMPARE(respond(m_b, req2, resp2).exitCode, 0);
    const QByteArray before = test::fileHash(state1);
    const Run foreign = finish(state1, resp2);
    QCOMPARE(foreign.exitCode, 1);
    QVERIFY2(foreign.err.contains("belongs to exchange") && foreign.err.contains("f2-resp.psi"),
             foreign.err.constData());
    QCOMPARE(test::fileHash(state1), before); // the exchange is not burnt by someone else's file
    const Run right = finish(state2, resp2);
    QCOMPARE(right.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(right.out).object().value(s("count")).toInt(), 70);
}

void TestPsiCli::customColumns()
{
    const QString a = file(s("custom-a.csv")), b = file(s("custom-b.csv"));
    writeFile(a, "Key;Firm;Site\nk1;Acme;acme.com\nk2;Umbrella;umbrella.example\nk3;Other;\n");
    writeFile(b, "Company Domain Name,Company name\nACME.COM,Acme Corp\nhooli.com,Hooli\n");
    const QString req = file(s("c.psi")), state = file(s("c.psikey")), resp = file(s("c-resp.psi"));
    const Run missing = request(a, req, state);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("neither a name nor a website column") && missing.err.contains("custom-a.csv"),
             missing.err.constData());
    const Run r1 = ecotone::test::runEcotone({s("psi"), s("request"), s("--accounts"), a, s("--out"), req, s("--state"),
                                              state, s("--id-column"), s("Key"), s("--name-column"), s("Firm"),
                                              s("--website-column"), s("Site")});
    QVERIFY2(r1.exitCode == 0, r1.err.constData());
    QCOMPARE(respond(b, req, resp).exitCode, 0);
    const Run r3 = finish(state, resp);
    QCOMPARE(r3.exitCode, 0);
    const QJsonArray matches = QJsonDocument::fromJson(r3.out).object().value(s("matches")).toArray();
    QCOMPARE(matches.size(), 1);
    QCOMPARE(matches.first().toObject().value(s("id")).toString(), s("k1"));

    const Run wrongColumn = ecotone::test::runEcotone({s("psi"), s("request"), s("--accounts"), a, s("--out"), req,
                                                       s("--state"), state, s("--website-column"), s("Nope")});
    QCOMPARE(wrongColumn.exitCode, 1);
    QVERIFY2(wrongColumn.err.contains("no column \"Nope\""), wrongColumn.err.constData());
}

// Salesforce UI labels on one side, HubSpot's "Company Domain Name" on the other; the names match after the
// company-name normalizer (legal forms, case, diacritics) with the same country in two spellings.
void TestPsiCli::salesforceLabels()
{
    const QString a = file(s("labels-a.csv")), b = file(s("labels-b.csv"));
    writeFile(a, "\xEF\xBB\xBF\"Account ID\",\"Account Name\",\"Website\",\"Billing Country\"\r\n"
                 "0011,\"Acme, Inc.\",HTTPS://WWW.ACME.COM/,United States\r\n"
                 "0012,Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale S.A.,,France\r\n"
                 "0013,Lonely Ltd,lonely.example,UK\r\n");
    writeFile(b, "Record ID,Company name,Company Domain Name,Country/Region\n"
                 "77,Acme,shop.acme.com,US\n"
                 "78,SOCIETE GENERALE,,FR\n"
                 "79,Other,other.example,US\n");
    const QString req = file(s("l.psi")), state = file(s("l.psikey")), resp = file(s("l-resp.psi"));
    const Run r1 = request(a, req, state);
    QVERIFY2(r1.exitCode == 0, r1.err.constData());
    QCOMPARE(respond(b, req, resp).exitCode, 0);
    const Run r3 = finish(state, resp);
    QCOMPARE(r3.exitCode, 0);
    QSet<QString> ids;
    for (const QJsonValue &m : QJsonDocument::fromJson(r3.out).object().value(s("matches")).toArray())
        ids.insert(m.toObject().value(s("id")).toString());
    QCOMPARE(ids, (QSet<QString>{s("0011"), s("0012")}));
}

void TestPsiCli::malformedFiles_data()
{
    QTest::addColumn<QString>("verb");  // respond: bad request file; finish: bad response or state file
    QTest::addColumn<QString>("which"); // request, response or state
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("expected");

    const QString req = file(s("good.psi")), state = file(s("good.psikey")), resp = file(s("good-resp.psi"));
    if (request(m_a, req, state).exitCode != 0 || respond(m_b, req, resp).exitCode != 0)
        qFatal("cannot make the good files");
    const QByteArray q = readFile(req), r = readFile(resp), st = readFile(state);
    QByteArray version = q;
    version[11] = 2;
    QByteArray badPoint = q;
    badPoint.replace(8 + 4 + 16 + 1 + 4 + 32 * 3, 32, QByteArray(32, '\xff'));

    QTest::newRow("empty request") << s("respond") << s("request") << QByteArray() << QByteArray("is empty");
    QTest::newRow("csv as request") << s("respond") << s("request") << QByteArray("Id,Name\n1,Acme\n")
                                    << QByteArray("Ecotone PSI header");
    QTest::newRow("truncated request") << s("respond") << s("request") << q.left(q.size() - 40)
                                       << QByteArray("truncated");
    QTest::newRow("wrong version") << s("respond") << s("request") << version << QByteArray("version 2");
    QTest::newRow("response as request") << s("respond") << s("request") << r << QByteArray("is a PSI response file");
    QTest::newRow("invalid point") << s("respond") << s("request") << badPoint
                                   << QByteArray("element 4 of the elements is not a valid group element");
    QTest::newRow("truncated response") << s("finish") << s("response") << r.left(r.size() - 1)
                                        << QByteArray("truncated");
    QTest::newRow("trailing bytes") << s("finish") << s("response") << r + "junk" << QByteArray("unexpected bytes");
    QTest::newRow("request as response") << s("finish") << s("response") << q << QByteArray("is a PSI request file");
    QTest::newRow("truncated state") << s("finish") << s("state") << st.left(100) << QByteArray("truncated");
    QTest::newRow("request as state") << s("finish") << s("state") << q << QByteArray("is a PSI request file");
}

void TestPsiCli::malformedFiles()
{
    QFETCH(QString, verb);
    QFETCH(QString, which);
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, expected);
    const QString bad = file(s("bad-") + which + s(".psi"));
    writeFile(bad, bytes);
    const QString out = file(s("out.psi"));
    QFile::remove(out);
    Run run;
    if (verb == s("respond")) {
        run = respond(m_b, bad, out);
    } else {
        const QString state = which == s("state") ? bad : file(s("good.psikey"));
        const QString resp = which == s("response") ? bad : file(s("good-resp.psi"));
        run = finish(state, resp);
        if (which == s("response"))
            QVERIFY(QFile::exists(state)); // a bad file does not use up the exchange
    }
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(bad.toUtf8()), run.err.constData());
    QVERIFY2(run.err.contains(expected), run.err.constData());
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFile::exists(out));
}

void TestPsiCli::usageErrors()
{
    const Run noOut = ecotone::test::runEcotone({s("psi"), s("request"), s("--accounts"), m_a});
    QCOMPARE(noOut.exitCode, 2);
    QVERIFY2(noOut.err.contains("--out"), noOut.err.constData());
    const Run same = request(m_a, file(s("x.psi")), file(s("x.psi")));
    QCOMPARE(same.exitCode, 2);
    const Run format = ecotone::test::runEcotone(
        {s("psi"), s("finish"), s("--request-state"), s("a"), s("--response"), s("b"), s("--format"), s("xml")});
    QCOMPARE(format.exitCode, 2);
    const Run missingCsv = request(file(s("nope.csv")), file(s("n.psi")), file(s("n.psikey")));
    QCOMPARE(missingCsv.exitCode, 1);
    QVERIFY2(missingCsv.err.contains("nope.csv"), missingCsv.err.constData());
    QVERIFY(!QFile::exists(file(s("n.psikey"))));
}

QTEST_GUILESS_MAIN(TestPsiCli)
#include "TestPsiCli.moc"
