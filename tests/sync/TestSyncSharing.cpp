// Sync between a vendor's and a partner's workspace through the real server's SyncService: what a sharing agreement
// lets the partner pull, the partner's consent, and the purge when the vendor revokes (docs/sync.md, "Who may read
// and write what").
#include "ServiceServer.h"
#include "SyncTestSupport.h"
#include "TestSupport.h"

#include "store/Workspace.h"
#include "sync/SyncEngine.h"

#include <QTest>

using namespace ecotone;
using namespace ecotone::test;
using namespace ecotone::sync;

namespace {
const QString kVendor = QStringLiteral("00000000-0000-7000-8000-000000000001");

std::vector<ColumnSpec> agreementColumns()
{
    return {{"partner_id"},       {"population"}, {"level"},      {"fields", true}, {"our_consent_at"},
            {"their_consent_at"}, {"expires_at"}, {"revoked_at"}, {"created_at"}};
}

QStringList org(const QString &kind, const QString &name)
{
    return {kind,
            name,
            QStringLiteral("[]"),
            QString(),
            QStringLiteral("[]"),
            QStringLiteral("[]"),
            QStringLiteral("[]"),
            QString(),
            QString(),
            QString(),
            QStringLiteral("active"),
            QString()};
}

QStringList account(const QString &name, const QString &status)
{
    return {kVendor, name, QString(), QString(), QStringLiteral("DE"), QString(), status, QString(), QString()};
}
} // namespace

class TestSyncSharing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreementSharesAndRevocationPurges()
    {
        TempDir dir;
        auto server = ServiceServer::create(dir.file(QStringLiteral("server.sqlite")), kVendor);
        QVERIFY(server);
        DirectTransport vendorLine(server->handler(false));
        DirectTransport partnerLine(server->handler(true));

        auto vendor = createWorkspace(dir.file(QStringLiteral("vendor.ecotone")));
        auto partner = createWorkspace(dir.file(QStringLiteral("partner.ecotone")));
        QVERIFY(vendor && partner);
        TableWriter orgs(*vendor, QStringLiteral("organizations"), organizationColumns());
        TableWriter accounts(*vendor, QStringLiteral("accounts"), accountColumns());
        TableWriter agreements(*vendor, QStringLiteral("sharing_agreements"), agreementColumns());
        QVERIFY(orgs.insert(kVendor, org(QStringLiteral("vendor"), QStringLiteral("Vendor"))).ok());
        QVERIFY(orgs.insert(kServicePartner, org(QStringLiteral("partner"), QStringLiteral("Partner"))).ok());
        const QString customer = vendor->ids().next();
        const QString prospect = vendor->ids().next();
        QVERIFY(accounts.insert(customer, account(QStringLiteral("Shared Customer"), QStringLiteral("customer"))).ok());
        QVERIFY(
            accounts.insert(prospect, account(QStringLiteral("Private Prospect"), QStringLiteral("prospect"))).ok());
        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        const QString agreement = vendor->ids().next();
        const QStringList offered{kServicePartner,
                                  QStringLiteral("customer"),
                                  QStringLiteral("full"),
                                  QStringLiteral("[]"),
                                  now,
                                  QString(),
                                  QString(),
                                  QString(),
                                  now};
        QVERIFY(agreements.insert(agreement, offered).ok());
        auto v1 = SyncEngine(*vendor, vendorLine).sync();
        QVERIFY2(v1.ok(), qPrintable(v1.error()));
        QCOMPARE(v1->rejected, 0);

        // Before the partner consents it sees the organizations and the offer, not the accounts.
        auto p1 = SyncEngine(*partner, partnerLine).sync();
        QVERIFY2(p1.ok(), qPrintable(p1.error()));
        QCOMPARE(rowCount(*partner, QStringLiteral("organizations")), 2);
        QCOMPARE(rowCount(*partner, QStringLiteral("sharing_agreements")), 1);
        QCOMPARE(rowCount(*partner, QStringLiteral("accounts")), 0);

        // The partner's admin consents: the customer account (not the prospect) arrives with the same sync.
        TableWriter partnerAgreements(*partner, QStringLiteral("sharing_agreements"), agreementColumns());
        QStringList consented = rowValues(*partner, partnerAgreements, agreement);
        QCOMPARE(consented.size(), 9);
        const QStringList before = consented;
        consented[5] = now;
        QVERIFY(partnerAgreements.update(agreement, before, consented).ok());
        auto p2 = SyncEngine(*partner, partnerLine).sync();
        QVERIFY2(p2.ok(), qPrintable(p2.error()));
        QCOMPARE(p2->rejected, 0);
        QCOMPARE(rowCount(*partner, QStringLiteral("accounts")), 1);
        QCOMPARE(scalar(*partner, QStringLiteral("SELECT name FROM accounts WHERE id = '%1'").arg(customer)).toString(),
                 QStringLiteral("Shared Customer"));

        // The partner may read the vendor's account but not change it.
        TableWriter partnerAccounts(*partner, QStringLiteral("accounts"), accountColumns());
        const QStringList shared = rowValues(*partner, partnerAccounts, customer);
        QStringList renamed = shared;
        renamed[1] = QStringLiteral("Renamed by the partner");
        QVERIFY(partnerAccounts.update(customer, shared, renamed).ok());
        auto p3 = SyncEngine(*partner, partnerLine).sync();
        QVERIFY2(p3.ok(), qPrintable(p3.error()));
        QCOMPARE(p3->rejected, 1);
        QCOMPARE(openConflicts(*partner).value().first().kind, Conflict::Kind::Refused);

        // The vendor revokes: the next pull purges the account from the partner's workspace, unjournaled.
        TableWriter vendorAgreements(*vendor, QStringLiteral("sharing_agreements"), agreementColumns());
        QVERIFY(syncWith(*vendor, vendorLine));
        const QStringList active = rowValues(*vendor, vendorAgreements, agreement);
        QCOMPARE(active.at(5), now); // the partner's consent came back to the vendor
        QStringList revoked = active;
        revoked[7] = now;
        QVERIFY(vendorAgreements.update(agreement, active, revoked).ok());
        QVERIFY(syncWith(*vendor, vendorLine));
        const qint64 journal = rowCount(*partner, QStringLiteral("journal"));
        auto p4 = SyncEngine(*partner, partnerLine).sync();
        QVERIFY2(p4.ok(), qPrintable(p4.error()));
        QCOMPARE(p4->purged, 1);
        QCOMPARE(rowCount(*partner, QStringLiteral("accounts")), 0);
        QCOMPARE(rowCount(*partner, QStringLiteral("journal")), journal);
        QCOMPARE(status(*partner).value().pending, 0);
        QCOMPARE(pragmaResult(*partner, QStringLiteral("PRAGMA foreign_key_check")), QString());
    }

    // A partner's CRM rows that the vendor imported from a file belong to the partner: they stay on the vendor's
    // machine (only their owner shares them) instead of filling the inbox with refusals; the vendor's own rows go.
    void importedPartnerRowsStayLocal()
    {
        TempDir dir;
        auto server = ServiceServer::create(dir.file(QStringLiteral("server.sqlite")), kVendor);
        QVERIFY(server);
        DirectTransport vendorLine(server->handler(false));
        DirectTransport partnerLine(server->handler(true));
        auto vendor = createWorkspace(dir.file(QStringLiteral("vendor.ecotone")));
        auto partner = createWorkspace(dir.file(QStringLiteral("partner.ecotone")));
        QVERIFY(vendor && partner);
        TableWriter orgs(*vendor, QStringLiteral("organizations"), organizationColumns());
        TableWriter accounts(*vendor, QStringLiteral("accounts"), accountColumns());
        QVERIFY(orgs.insert(kVendor, org(QStringLiteral("vendor"), QStringLiteral("Vendor"))).ok());
        QVERIFY(orgs.insert(kServicePartner, org(QStringLiteral("partner"), QStringLiteral("Partner"))).ok());
        const QString own = vendor->ids().next();
        QVERIFY(accounts.insert(own, account(QStringLiteral("Vendor Customer"), QStringLiteral("customer"))).ok());
        QStringList imported;
        for (int i = 0; i < 50; ++i) {
            QStringList row = account(QStringLiteral("Partner CRM %1").arg(i), QStringLiteral("customer"));
            row[0] = kServicePartner;
            imported << vendor->ids().next();
            QVERIFY(accounts.insert(imported.last(), row).ok());
        }
        QCOMPARE(status(*vendor).value().pending, 53); // before the replica knows whose it is: everything

        auto v = SyncEngine(*vendor, vendorLine).sync();
        QVERIFY2(v.ok(), qPrintable(v.error()));
        QCOMPARE(v->rejected, 0);
        QCOMPARE(v->pushed, 3); // two organizations and the vendor's own account
        QCOMPARE(status(*vendor).value().pending, 0);
        QVERIFY(openConflicts(*vendor).value().isEmpty());
        QCOMPARE(rowCount(*vendor, QStringLiteral("accounts")), 51); // still here, on this machine
        auto onServer = server->db().select(QStringLiteral("SELECT COUNT(*) FROM sync_rows WHERE table_name = "
                                                           "'accounts'"));
        QVERIFY(onServer);
        QCOMPARE(onServer->first().first().toLongLong(), 1);

        // The partner (their owner) never receives them through the server.
        auto p = SyncEngine(*partner, partnerLine).sync();
        QVERIFY2(p.ok(), qPrintable(p.error()));
        QCOMPARE(rowCount(*partner, QStringLiteral("accounts")), 0);
        QCOMPARE(rowCount(*partner, QStringLiteral("organizations")), 2);
    }

private:
    static bool syncWith(Workspace &ws, SyncTransport &transport)
    {
        auto r = SyncEngine(ws, transport).sync();
        if (!r)
            qWarning("%s", qPrintable(r.error()));
        return r.ok() && r->rejected == 0;
    }
};

QTEST_GUILESS_MAIN(TestSyncSharing)
#include "TestSyncSharing.moc"
