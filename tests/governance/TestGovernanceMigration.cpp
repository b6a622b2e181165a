// A version-1 workspace opened by this build migrates through the real migration list to schema::kVersion,
// keeping its data and a backup, and gains the governance tables.
#include "GovernanceFixtures.h"
#include "governance/AgreementRepository.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

class TestGovernanceMigration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version1MigratesWithDataIntact();
};

namespace {
bool hasObject(Workspace &ws, const QString &type, const QString &name)
{
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = ? AND name = ?"));
    q.addBindValue(type);
    q.addBindValue(name);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}
} // namespace

void TestGovernanceMigration::version1MigratesWithDataIntact()
{
    QCOMPARE(schema::kVersion, 8);
    QCOMPARE(int(schema::migrations().size()), schema::kVersion);
    TempDir dir;
    const QString path = dir.file(QStringLiteral("v1.ecotone"));
    QString partner;
    qint64 journal = 0;
    {
        Workspace::Options v1;
        v1.createIfMissing = true;
        v1.migrations = {schema::migrations().front()};
        auto ws = Workspace::open(path, v1);
        QVERIFY2(ws.ok(), qPrintable(ws.error()));
        QCOMPARE(ws.value()->schemaVersion(), 1);
        QVERIFY(!hasObject(*ws.value(), QStringLiteral("table"), QStringLiteral("consent_ledger")));
        partner = addPartner(*ws.value(), QStringLiteral("Contoso"));
        QVERIFY(!partner.isEmpty());
        AccountRepository accounts(*ws.value());
        for (int i = 0; i < 5; ++i) {
            Account acc;
            acc.ownerId = partner;
            acc.name = QStringLiteral("Account %1").arg(i);
            acc.status = AccountStatus::Customer;
            QVERIFY(accounts.insert(acc).ok());
        }
        journal = rowCount(*ws.value(), QStringLiteral("journal"));
    }
    const QByteArray v1Hash = fileHash(path);

    auto ws = Workspace::open(path); // the real migration list
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    Workspace &w = *ws.value();
    QCOMPARE(w.schemaVersion(), schema::kVersion);
    QCOMPARE(w.backupPath(), path + QStringLiteral(".v1.bak"));
    QVERIFY(QFileInfo::exists(w.backupPath()));
    QCOMPARE(fileHash(w.backupPath()), v1Hash);
    QCOMPARE(OrganizationRepository(w).find(partner).value().name, QStringLiteral("Contoso"));
    QCOMPARE(AccountRepository(w).countForOwner(partner).value(), 5);
    QCOMPARE(rowCount(w, QStringLiteral("journal")), journal);
    for (const char *table : {"sharing_agreements", "consent_ledger", "opportunities", "custom_populations",
                              "deal_stages", "deal_rooms", "deal_room_participants", "deal_room_people", "deal_events",
                              "deal_tasks", "deal_documents", "deal_registrations", "deal_referrals"})
        QVERIFY2(hasObject(w, QStringLiteral("table"), QLatin1String(table)), table);
    for (const char *trigger : {"consent_ledger_no_update", "consent_ledger_no_delete"})
        QVERIFY2(hasObject(w, QStringLiteral("trigger"), QLatin1String(trigger)), trigger);

    // The new tables work in the migrated file.
    AgreementRepository repo(w, QStringLiteral("test"));
    SharingAgreement a;
    a.partnerId = partner;
    a.population = QStringLiteral("customer");
    a.level = SharingLevel::Counts;
    QVERIFY(repo.create(a).ok());
    QCOMPARE(rowCount(w, QStringLiteral("consent_ledger")), 1);
    QCOMPARE(rowCount(w, QStringLiteral("journal")), journal + 1);
}

QTEST_GUILESS_MAIN(TestGovernanceMigration)
#include "TestGovernanceMigration.moc"
