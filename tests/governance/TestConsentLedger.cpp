// The consent ledger: the hash chain, its canonical form, the append-only triggers, and verify() against a file
// tampered with behind SQLite's back.
#include "GovernanceFixtures.h"
#include "governance/ConsentLedger.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
const QDateTime kT0 = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

// Five entries, one per second from kT0: view, export, view, export, view.
bool fill(ConsentLedger &ledger, int n = 5)
{
    int tick = 0;
    ledger.setClock([&tick] { return kT0.addSecs(tick++); });
    for (int i = 0; i < n; ++i) {
        const QJsonObject detail{{QStringLiteral("records"), i + 1}};
        const Status s = i % 2 ? ledger.recordExport(QStringLiteral("ann"), QStringLiteral("a1"), detail)
                               : ledger.recordView(QStringLiteral("ann"), QStringLiteral("a1"), detail);
        if (!s) {
            qWarning("%s", qPrintable(s.error()));
            return false;
        }
    }
    ledger.setClock([] { return QDateTime::currentDateTimeUtc(); });
    return true;
}
} // namespace

class TestConsentLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyLedgerIsIntact();
    void chainAndCanonicalForm();
    void appendFollowsTheCallersTransaction();
    void appOnlyAppends();
    void tampering_data();
    void tampering();
    void truncatingTheNewestIsOnlyVisibleInTheHead();
};

void TestConsentLedger::emptyLedgerIsIntact()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    ConsentLedger ledger(*ws);
    auto v = ledger.verify();
    QVERIFY2(v.ok(), qPrintable(v.error()));
    QVERIFY(v->intact());
    QCOMPARE(v->entries, 0);
    QCOMPARE(v->headHash, QString::fromLatin1(ConsentLedger::kGenesisHash));
}

void TestConsentLedger::chainAndCanonicalForm()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    ConsentLedger ledger(*ws);
    QVERIFY(fill(ledger, 3));
    auto entries = ledger.entries();
    QVERIFY2(entries.ok(), qPrintable(entries.error()));
    QCOMPARE(entries->size(), 3);
    const LedgerEntry &first = entries->at(0);
    QCOMPARE(first.seq, 1);
    QCOMPARE(first.action, QStringLiteral("view"));
    QCOMPARE(entries->at(1).action, QStringLiteral("export"));
    QCOMPARE(first.prevHash, QString::fromLatin1(ConsentLedger::kGenesisHash));
    QCOMPARE(entries->at(1).prevHash, first.hash);
    QCOMPARE(entries->at(2).prevHash, entries->at(1).hash);

    // The documented canonical form, hashed independently of the ledger code.
    const QByteArray canonical = R"({"action":"view","actor":"ann","agreement_id":"a1",)"
                                 R"("at":"2026-06-01T12:00:00.000Z","detail":{"records":1},"seq":1})";
    QCOMPARE(ConsentLedger::canonical(first).toUtf8(), canonical);
    const QByteArray expected =
        QCryptographicHash::hash(QByteArray(QByteArray(ConsentLedger::kGenesisHash) + canonical),
                                 QCryptographicHash::Sha256)
            .toHex();
    QCOMPARE(first.hash.toLatin1(), expected);

    auto v = ledger.verify();
    QVERIFY2(v.ok(), qPrintable(v.error()));
    QVERIFY2(v->intact(), qPrintable(v->reason));
    QCOMPARE(v->entries, 3);
    QCOMPARE(v->headHash, entries->at(2).hash);
    QCOMPARE(ledger.headHash().value(), entries->at(2).hash);
}

void TestConsentLedger::appendFollowsTheCallersTransaction()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    ConsentLedger ledger(*ws);
    QVERIFY(fill(ledger, 2));
    QVERIFY(ws->begin().ok());
    QVERIFY(ledger.recordView(QStringLiteral("bob"), QStringLiteral("a1")).ok());
    QCOMPARE(rowCount(*ws, QStringLiteral("consent_ledger")), 3);
    ws->rollback();
    QCOMPARE(rowCount(*ws, QStringLiteral("consent_ledger")), 2);
    // The next entry continues the chain from the last one that was kept.
    QVERIFY(ledger.recordView(QStringLiteral("bob"), QStringLiteral("a1")).ok());
    auto v = ledger.verify();
    QVERIFY(v.ok() && v->intact());
    QCOMPARE(v->entries, 3);
}

void TestConsentLedger::appOnlyAppends()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    ConsentLedger ledger(*ws);
    QVERIFY(fill(ledger, 2));
    QSqlQuery q(ws->db());
    QVERIFY(!q.exec(QStringLiteral("UPDATE consent_ledger SET actor = 'mallory' WHERE seq = 1")));
    QVERIFY2(q.lastError().text().contains(QStringLiteral("append-only")), qPrintable(q.lastError().text()));
    QVERIFY(!q.exec(QStringLiteral("DELETE FROM consent_ledger WHERE seq = 2")));
    QVERIFY2(q.lastError().text().contains(QStringLiteral("append-only")), qPrintable(q.lastError().text()));
    QVERIFY(!q.exec(QStringLiteral("DELETE FROM consent_ledger")));
    QCOMPARE(rowCount(*ws, QStringLiteral("consent_ledger")), 2);
    auto v = ledger.verify();
    QVERIFY(v.ok() && v->intact());
}

void TestConsentLedger::tampering_data()
{
    QTest::addColumn<QStringList>("statements");
    QTest::addColumn<int>("problem");
    QTest::addColumn<qint64>("badSeq");
    QTest::addColumn<QString>("reason");
    using P = LedgerVerification::Problem;

    QTest::newRow("edited detail") << QStringList{QStringLiteral(
                                          "UPDATE consent_ledger SET detail = '{\"records\":999}' WHERE seq = 3")}
                                   << int(P::Edited) << qint64(3) << QStringLiteral("edited");
    QTest::newRow("edited actor") << QStringList{QStringLiteral(
                                         "UPDATE consent_ledger SET actor = 'mallory' WHERE seq = 2")}
                                  << int(P::Edited) << qint64(2) << QStringLiteral("edited");
    QTest::newRow("edited time") << QStringList{QStringLiteral(
                                        "UPDATE consent_ledger SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 5")}
                                 << int(P::Edited) << qint64(5) << QStringLiteral("edited");
    QTest::newRow("detail not JSON") << QStringList{QStringLiteral(
                                            "UPDATE consent_ledger SET detail = 'gone' WHERE seq = 1")}
                                     << int(P::Edited) << qint64(1) << QStringLiteral("edited");
    QTest::newRow("deleted middle") << QStringList{QStringLiteral("DELETE FROM consent_ledger WHERE seq = 3")}
                                    << int(P::Missing) << qint64(4) << QStringLiteral("deleted");
    QTest::newRow("deleted first") << QStringList{QStringLiteral("DELETE FROM consent_ledger WHERE seq = 1")}
                                   << int(P::Missing) << qint64(2) << QStringLiteral("deleted");
    QTest::newRow("swapped") << QStringList{QStringLiteral("UPDATE consent_ledger SET seq = -2 WHERE seq = 2"),
                                            QStringLiteral("UPDATE consent_ledger SET seq = 2 WHERE seq = 3"),
                                            QStringLiteral("UPDATE consent_ledger SET seq = 3 WHERE seq = -2")}
                             << int(P::Reordered) << qint64(2) << QStringLiteral("reordered");
    QTest::newRow("deleted and renumbered")
        << QStringList{QStringLiteral("DELETE FROM consent_ledger WHERE seq = 3"),
                       QStringLiteral("UPDATE consent_ledger SET seq = seq - 1 WHERE seq > 3")}
        << int(P::Reordered) << qint64(3) << QStringLiteral("deleted");
}

void TestConsentLedger::tampering()
{
    QFETCH(QStringList, statements);
    QFETCH(int, problem);
    QFETCH(qint64, badSeq);
    QFETCH(QString, reason);
    TempDir dir;
    const QString path = dir.file(QStringLiteral("w.ecotone"));
    {
        auto ws = createWorkspace(path);
        QVERIFY(ws);
        ConsentLedger ledger(*ws);
        QVERIFY(fill(ledger));
        QVERIFY(ledger.verify().value().intact());
    }
    const QString error = tamper(path, statements);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    ConsentLedger ledger(*ws.value());
    auto v = ledger.verify();
    QVERIFY2(v.ok(), qPrintable(v.error()));
    QVERIFY(!v->intact());
    QCOMPARE(int(v->problem), problem);
    QCOMPARE(v->firstBadSeq, badSeq);
    QVERIFY2(v->reason.contains(reason), qPrintable(v->reason));
    QVERIFY2(v->reason.contains(QString::number(badSeq)), qPrintable(v->reason));
    QVERIFY(v->headHash.isEmpty());
}

void TestConsentLedger::truncatingTheNewestIsOnlyVisibleInTheHead()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("w.ecotone"));
    QString exportedHead;
    {
        auto ws = createWorkspace(path);
        QVERIFY(ws);
        ConsentLedger ledger(*ws);
        QVERIFY(fill(ledger));
        exportedHead = ledger.headHash().value();
    }
    // An attacker who also rewrites the entry before an edit, or drops the newest entries, leaves a chain that
    // is consistent in itself.
    QVERIFY(tamper(path, {QStringLiteral("DELETE FROM consent_ledger WHERE seq >= 4")}).isEmpty());
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    ConsentLedger ledger(*ws.value());
    auto v = ledger.verify();
    QVERIFY(v.ok());
    QVERIFY(v->intact());
    QCOMPARE(v->entries, 3);
    // ...but the head no longer matches the one exported before.
    QVERIFY(v->headHash != exportedHead);

    // Editing an entry and recomputing its hash breaks the link to the next entry.
    auto entries = ledger.entries();
    QVERIFY(entries.ok());
    LedgerEntry forged = entries->at(1);
    forged.actor = QStringLiteral("mallory");
    const QString forgedHash = ConsentLedger::computeHash(forged.prevHash, forged);
    ws.value().reset();
    QVERIFY(
        tamper(
            path,
            {QStringLiteral("UPDATE consent_ledger SET actor = 'mallory', hash = '%1' WHERE seq = 2").arg(forgedHash)})
            .isEmpty());
    auto reopened = Workspace::open(path);
    QVERIFY(reopened.ok());
    auto v2 = ConsentLedger(*reopened.value()).verify();
    QVERIFY(v2.ok());
    QCOMPARE(v2->problem, LedgerVerification::Problem::Reordered);
    QCOMPARE(v2->firstBadSeq, 3);
}

QTEST_GUILESS_MAIN(TestConsentLedger)
#include "TestConsentLedger.moc"
