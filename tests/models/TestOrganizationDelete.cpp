// Deleting a partner that shares records with others (deal rooms here) is refused and changes nothing; a partner
// with only its own people and accounts is still deleted. Runs on a real demo workspace with co-sell data.
#include "TestSupport.h"
#include "demo/DemoEcosystem.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;

class TestOrganizationDelete : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void partnerInADealRoomIsKept();
};

void TestOrganizationDelete::partnerInADealRoomIsKept()
{
    test::TempDir dir;
    const QString path = dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 40;
    options.accounts = 800;
    options.dealRooms = 30;
    auto demo = createDemoWorkspace(path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    QCOMPARE(demo->dealRooms, 30);
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    Workspace &w = *ws.value();

    QSqlQuery q(w.db());
    QVERIFY(q.exec(QStringLiteral("SELECT organization_id FROM deal_room_participants p JOIN organizations o"
                                  " ON o.id = p.organization_id WHERE o.kind = 'partner' LIMIT 1")) &&
            q.next());
    const QString shared = q.value(0).toString();
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM organizations o WHERE kind = 'partner' AND NOT EXISTS"
                                  " (SELECT 1 FROM deal_room_participants WHERE organization_id = o.id)"
                                  " AND NOT EXISTS (SELECT 1 FROM deal_registrations WHERE partner_id = o.id)"
                                  " AND NOT EXISTS (SELECT 1 FROM deal_referrals WHERE from_org_id = o.id"
                                  " OR to_org_id = o.id) LIMIT 1")) &&
            q.next());
    const QString alone = q.value(0).toString();

    const qint64 journal = test::rowCount(w, QStringLiteral("journal"));
    const qint64 participants = test::rowCount(w, QStringLiteral("deal_room_participants"));
    OrganizationRepository repo(w);
    auto refused = repo.remove(shared);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("cannot be deleted")) &&
                 refused.error().contains(QLatin1String("Inactive")),
             qPrintable(refused.error()));
    QVERIFY(repo.find(shared).ok());
    QCOMPARE(test::rowCount(w, QStringLiteral("journal")), journal);
    QCOMPARE(test::rowCount(w, QStringLiteral("deal_room_participants")), participants);

    auto removed = repo.remove(alone);
    QVERIFY2(removed.ok(), qPrintable(removed.error()));
    QVERIFY(!repo.find(alone).ok());
}

QTEST_GUILESS_MAIN(TestOrganizationDelete)
#include "TestOrganizationDelete.moc"
