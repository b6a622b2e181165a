// Runs the real `ecotone ledger verify|head` on an intact and a tampered workspace.
#include "GovernanceFixtures.h"
#include "governance/AgreementRepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
using Run = ecotone::test::CliRun;

QStringList verifyArgs(const QString &path, const QStringList &more = {})
{
    return QStringList{QStringLiteral("ledger"), QStringLiteral("verify"), QStringLiteral("--workspace"), path} + more;
}

// A workspace with one agreement: grant, two consents, a view and an export = 5 ledger entries.
bool makeWorkspace(const QString &path)
{
    auto ws = createWorkspace(path);
    if (!ws)
        return false;
    const QString partner = addPartner(*ws, QStringLiteral("Fabrikam"));
    AgreementRepository repo(*ws, QStringLiteral("cli-test"));
    SharingAgreement a;
    a.partnerId = partner;
    a.population = QStringLiteral("customer");
    a.level = SharingLevel::Full;
    a.fields = {QStringLiteral("name")};
    return repo.create(a).ok() && repo.consent(a.id, AgreementRepository::Side::Ours).ok() &&
           repo.consent(a.id, AgreementRepository::Side::Theirs).ok() &&
           repo.ledger().recordView(QStringLiteral("cli-test"), a.id).ok() &&
           repo.ledger().recordExport(QStringLiteral("cli-test"), a.id, {{QStringLiteral("rows"), 1}}).ok();
}
} // namespace

class TestLedgerCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void intact();
    void tampered_data();
    void tampered();
    void truncationAgainstAnExportedHead();
    void usageErrors();

private:
    TempDir m_dir;
};

void TestLedgerCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_BINARY")), "ECOTONE_BINARY must name the built ecotone");
}

void TestLedgerCli::intact()
{
    const QString path = m_dir.file(QStringLiteral("intact.ecotone"));
    QVERIFY(makeWorkspace(path));
    const Run text = ecotone::test::runEcotone(verifyArgs(path));
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out.trimmed(), QByteArray("5 entries, chain intact"));
    QVERIFY(text.err.isEmpty());

    const Run json = ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--format"), QStringLiteral("json")}));
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o, (QJsonObject{{QStringLiteral("entries"), 5}, {QStringLiteral("intact"), true}}));

    const Run help = ecotone::test::runEcotone({QStringLiteral("--help")});
    QVERIFY(help.out.contains("ledger verify"));
    QVERIFY(help.out.contains("ledger head"));
}

void TestLedgerCli::tampered_data()
{
    QTest::addColumn<QStringList>("statements");
    QTest::addColumn<int>("badSeq");
    QTest::addColumn<QString>("problem");
    QTest::newRow("edited") << QStringList{QStringLiteral("UPDATE consent_ledger SET actor = 'mallory' WHERE seq = 2")}
                            << 2 << QStringLiteral("edited");
    QTest::newRow("deleted") << QStringList{QStringLiteral("DELETE FROM consent_ledger WHERE seq = 3")} << 4
                             << QStringLiteral("missing");
    QTest::newRow("reordered") << QStringList{QStringLiteral(
                                                  "UPDATE consent_ledger SET seq = -seq WHERE seq IN (3, 4)"),
                                              QStringLiteral("UPDATE consent_ledger SET seq = CASE seq WHEN -3 THEN 4 "
                                                             "ELSE 3 END WHERE seq < 0")}
                               << 3 << QStringLiteral("reordered");
}

void TestLedgerCli::tampered()
{
    QFETCH(QStringList, statements);
    QFETCH(int, badSeq);
    QFETCH(QString, problem);
    const QString path = m_dir.file(QStringLiteral("tampered-%1.ecotone").arg(problem));
    QVERIFY(makeWorkspace(path));
    const QString error = tamper(path, statements);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const Run text = ecotone::test::runEcotone(verifyArgs(path));
    QCOMPARE(text.exitCode, 1);
    QVERIFY(text.out.isEmpty());
    QVERIFY2(text.err.contains(QStringLiteral("entry %1").arg(badSeq).toUtf8()), text.err.constData());

    const Run json = ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--format"), QStringLiteral("json")}));
    QCOMPARE(json.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o.value(QStringLiteral("intact")).toBool(true), false);
    QCOMPARE(o.value(QStringLiteral("firstBadSeq")).toInt(), badSeq);
    QCOMPARE(o.value(QStringLiteral("problem")).toString(), problem);

    const Run head = ecotone::test::runEcotone(
        {QStringLiteral("ledger"), QStringLiteral("head"), QStringLiteral("--workspace"), path});
    QCOMPARE(head.exitCode, 1);
}

void TestLedgerCli::truncationAgainstAnExportedHead()
{
    const QString path = m_dir.file(QStringLiteral("truncated.ecotone"));
    QVERIFY(makeWorkspace(path));
    const Run head = ecotone::test::runEcotone(
        {QStringLiteral("ledger"), QStringLiteral("head"), QStringLiteral("--workspace"), path});
    QCOMPARE(head.exitCode, 0);
    const QString hash = QString::fromUtf8(head.out.trimmed());
    QCOMPARE(hash.size(), 64);
    QCOMPARE(ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--expect-head"), hash})).exitCode, 0);

    // The ledger may grow past an exported head.
    {
        auto ws = Workspace::open(path);
        QVERIFY(ws.ok());
        QVERIFY(ConsentLedger(*ws.value()).recordView(QStringLiteral("cli-test"), {}).ok());
    }
    QCOMPARE(ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--expect-head"), hash})).exitCode, 0);

    // Cutting off the newest entries leaves a consistent chain, caught only against the exported head.
    QVERIFY(tamper(path, {QStringLiteral("DELETE FROM consent_ledger WHERE seq >= 5")}).isEmpty());
    QCOMPARE(ecotone::test::runEcotone(verifyArgs(path)).exitCode, 0);
    const Run cut = ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--expect-head"), hash}));
    QCOMPARE(cut.exitCode, 1);
    QVERIFY2(cut.err.contains("head"), cut.err.constData());
}

void TestLedgerCli::usageErrors()
{
    QCOMPARE(ecotone::test::runEcotone({QStringLiteral("ledger"), QStringLiteral("verify")}).exitCode, 2);
    const QString path = m_dir.file(QStringLiteral("usage.ecotone"));
    QVERIFY(makeWorkspace(path));
    QCOMPARE(ecotone::test::runEcotone(verifyArgs(path, {QStringLiteral("--format"), QStringLiteral("xml")})).exitCode,
             2);
    QCOMPARE(ecotone::test::runEcotone(verifyArgs(m_dir.file(QStringLiteral("missing.ecotone")))).exitCode, 1);
}

QTEST_GUILESS_MAIN(TestLedgerCli)
#include "TestLedgerCli.moc"
