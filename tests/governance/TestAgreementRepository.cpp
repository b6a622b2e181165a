// Sharing agreements in a workspace: consent rules, revoke, and that every write is journaled and ledgered in
// one transaction.
#include "GovernanceFixtures.h"
#include "governance/AgreementRepository.h"
#include "store/ChangeJournal.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
const QDateTime kT0 = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

SharingAgreement offer(const QString &partnerId, const QString &population = QStringLiteral("customer"))
{
    SharingAgreement a;
    a.partnerId = partnerId;
    a.population = population;
    a.level = SharingLevel::Overlap;
    a.fields = {QStringLiteral("name"), QStringLiteral("domain")};
    return a;
}

QStringList ledgerActions(AgreementRepository &repo, const QString &agreementId = {})
{
    QStringList out;
    const auto entries = repo.ledger().entries(agreementId);
    for (const LedgerEntry &e : entries.value())
        out << e.action;
    return out;
}
} // namespace

class TestAgreementRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void createNeedsBothConsents();
    void changeAsksForConsentAgain();
    void revokeTakesEffectAtOnce();
    void expiry();
    void invalidAgreementsWriteNothing();
    void ledgerFailureUndoesTheAgreement();
    void agreementFailureWritesNoLedgerEntry();

private:
    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_partner;
    QDateTime m_now;
    std::unique_ptr<AgreementRepository> m_repo;
};

void TestAgreementRepository::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("w.ecotone")));
    QVERIFY(m_ws);
    m_partner = addPartner(*m_ws, QStringLiteral("Northwind"));
    QVERIFY(!m_partner.isEmpty());
    m_now = kT0;
    m_repo = std::make_unique<AgreementRepository>(*m_ws, QStringLiteral("ann@vendor"));
    m_repo->setClock([this] { return m_now; });
}

void TestAgreementRepository::cleanup()
{
    m_repo.reset();
    m_ws.reset();
    m_dir.reset();
}

void TestAgreementRepository::createNeedsBothConsents()
{
    const qint64 journalBefore = rowCount(*m_ws, QStringLiteral("journal"));
    SharingAgreement a = offer(m_partner);
    QVERIFY2(m_repo->create(a).ok(), "create");
    QVERIFY(!a.id.isEmpty());
    QCOMPARE(a.createdAt, kT0);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), journalBefore + 1);
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT table_name, op FROM journal ORDER BY seq DESC LIMIT 1")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("sharing_agreements"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("insert"));

    auto stored = m_repo->find(a.id);
    QVERIFY2(stored.ok(), qPrintable(stored.error()));
    QCOMPARE(stored.value(), a);
    QCOMPARE(sharing::effectiveLevel(stored.value(), m_now), SharingLevel::Hidden);

    m_now = kT0.addSecs(60);
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Ours).ok());
    QCOMPARE(sharing::effectiveLevel(m_repo->find(a.id).value(), m_now), SharingLevel::Hidden);
    m_now = kT0.addSecs(120);
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Theirs).ok());
    const SharingAgreement both = m_repo->find(a.id).value();
    QCOMPARE(both.ourConsentAt, kT0.addSecs(60));
    QCOMPARE(both.theirConsentAt, kT0.addSecs(120));
    QCOMPARE(sharing::effectiveLevel(both, m_now), SharingLevel::Overlap);

    QCOMPARE(ledgerActions(*m_repo, a.id),
             (QStringList{QStringLiteral("grant"), QStringLiteral("consent"), QStringLiteral("consent")}));
    const auto entries = m_repo->ledger().entries(a.id).value();
    QCOMPARE(entries.at(0).actor, QStringLiteral("ann@vendor"));
    QCOMPARE(entries.at(0).detail.value(QStringLiteral("level")).toString(), QStringLiteral("overlap"));
    QCOMPARE(entries.at(0).detail.value(QStringLiteral("population")).toString(), QStringLiteral("customer"));
    QCOMPARE(entries.at(2).detail.value(QStringLiteral("side")).toString(), QStringLiteral("theirs"));
    QCOMPARE(entries.at(2).at, kT0.addSecs(120));
    QVERIFY(m_repo->ledger().verify().value().intact());
    QCOMPARE(m_repo->forPartner(m_partner).value().size(), 1);
    QCOMPARE(m_repo->all().value().size(), 1);
}

void TestAgreementRepository::changeAsksForConsentAgain()
{
    SharingAgreement a = offer(m_partner);
    QVERIFY(m_repo->create(a).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Ours).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Theirs).ok());

    // Saving the same terms writes nothing.
    const qint64 ledgerBefore = rowCount(*m_ws, QStringLiteral("consent_ledger"));
    SharingAgreement same = m_repo->find(a.id).value();
    QVERIFY(m_repo->change(same).ok());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("consent_ledger")), ledgerBefore);
    QCOMPARE(sharing::effectiveLevel(m_repo->find(a.id).value(), m_now), SharingLevel::Overlap);

    SharingAgreement wider = m_repo->find(a.id).value();
    wider.level = SharingLevel::Full;
    wider.fields << QStringLiteral("country");
    QVERIFY(m_repo->change(wider).ok());
    const SharingAgreement stored = m_repo->find(a.id).value();
    QCOMPARE(stored.level, SharingLevel::Full);
    QCOMPARE(stored.fields.size(), 3);
    QVERIFY(!stored.ourConsentAt.isValid());
    QVERIFY(!stored.theirConsentAt.isValid());
    QCOMPARE(sharing::effectiveLevel(stored, m_now), SharingLevel::Hidden);
    const LedgerEntry last = m_repo->ledger().entries(a.id).value().last();
    QCOMPARE(last.action, QStringLiteral("change"));
    QCOMPARE(last.detail.value(QStringLiteral("level")).toString(), QStringLiteral("full"));
    QCOMPARE(last.detail.value(QStringLiteral("before")).toObject().value(QStringLiteral("level")).toString(),
             QStringLiteral("overlap"));

    // Partner and population are fixed.
    SharingAgreement moved = stored;
    moved.population = QStringLiteral("prospect");
    QVERIFY(!m_repo->change(moved).ok());
}

void TestAgreementRepository::revokeTakesEffectAtOnce()
{
    SharingAgreement a = offer(m_partner);
    QVERIFY(m_repo->create(a).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Ours).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Theirs).ok());
    QCOMPARE(sharing::effectiveLevel(m_repo->find(a.id).value(), m_now), SharingLevel::Overlap);

    QVERIFY(m_repo->revoke(a.id, QStringLiteral("contract ended")).ok());
    const SharingAgreement revoked = m_repo->find(a.id).value();
    QCOMPARE(revoked.revokedAt, m_now);
    QCOMPARE(sharing::effectiveLevel(revoked, m_now), SharingLevel::Hidden);
    PopulationData data;
    data.records = {{QStringLiteral("r1"), {{QStringLiteral("name"), QStringLiteral("Acme")}}}};
    data.overlappingIds = {QStringLiteral("r1")};
    QVERIFY(sharing::visibleAccounts(revoked, m_now, data).isEmpty());
    QVERIFY(!sharing::visibleCounts(revoked, m_now, data).visible());

    const Status again = m_repo->consent(a.id, AgreementRepository::Side::Theirs);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(QStringLiteral("revoked")), qPrintable(again.error()));
    QVERIFY(!m_repo->revoke(a.id).ok());
    const LedgerEntry last = m_repo->ledger().entries(a.id).value().last();
    QCOMPARE(last.action, QStringLiteral("revoke"));
    QCOMPARE(last.detail.value(QStringLiteral("reason")).toString(), QStringLiteral("contract ended"));

    // Changing a revoked agreement offers it anew; it needs both consents again.
    SharingAgreement reoffer = revoked;
    QVERIFY(m_repo->change(reoffer).ok());
    QVERIFY(!m_repo->find(a.id).value().revokedAt.isValid());
    QCOMPARE(sharing::effectiveLevel(m_repo->find(a.id).value(), m_now), SharingLevel::Hidden);
    QVERIFY(m_repo->ledger().verify().value().intact());
}

void TestAgreementRepository::expiry()
{
    SharingAgreement a = offer(m_partner);
    a.level = SharingLevel::Counts;
    a.fields.clear();
    a.expiresAt = kT0.addDays(30);
    QVERIFY(m_repo->create(a).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Ours).ok());
    QVERIFY(m_repo->consent(a.id, AgreementRepository::Side::Theirs).ok());
    const SharingAgreement stored = m_repo->find(a.id).value();
    QCOMPARE(stored.expiresAt, kT0.addDays(30));
    QCOMPARE(sharing::effectiveLevel(stored, kT0.addDays(29)), SharingLevel::Counts);
    QCOMPARE(sharing::effectiveLevel(stored, kT0.addDays(30)), SharingLevel::Hidden);
    m_now = kT0.addDays(31);
    QVERIFY(!m_repo->consent(a.id, AgreementRepository::Side::Ours).ok());
}

void TestAgreementRepository::invalidAgreementsWriteNothing()
{
    SharingAgreement first = offer(m_partner);
    QVERIFY(m_repo->create(first).ok());
    const qint64 journal = rowCount(*m_ws, QStringLiteral("journal"));
    const qint64 ledger = rowCount(*m_ws, QStringLiteral("consent_ledger"));

    OrganizationRepository orgs(*m_ws);
    const QString vendor = orgs.vendorId().ok() ? orgs.vendorId().value() : QString();
    QList<std::pair<SharingAgreement, QString>> bad;
    bad << std::pair{offer(m_partner), QStringLiteral("already")};
    bad << std::pair{offer(QStringLiteral("nobody")), QStringLiteral("not a partner")};
    SharingAgreement noFields = offer(m_partner, QStringLiteral("prospect"));
    noFields.fields.clear();
    bad << std::pair{noFields, QStringLiteral("field")};
    bad << std::pair{offer(m_partner, QStringLiteral("partners")), QStringLiteral("population")};
    if (!vendor.isEmpty())
        bad << std::pair{offer(vendor, QStringLiteral("prospect")), QStringLiteral("not a partner")};
    for (auto &[agreement, message] : bad) {
        const Status s = m_repo->create(agreement);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(message), qPrintable(s.error()));
    }
    QVERIFY(!m_repo->consent(QStringLiteral("missing"), AgreementRepository::Side::Ours).ok());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), journal);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("consent_ledger")), ledger);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("sharing_agreements")), 1);
}

void TestAgreementRepository::ledgerFailureUndoesTheAgreement()
{
    SharingAgreement kept = offer(m_partner);
    QVERIFY(m_repo->create(kept).ok());
    const qint64 journal = rowCount(*m_ws, QStringLiteral("journal"));
    QVERIFY(m_ws->exec(QStringLiteral("CREATE TEMP TRIGGER ledger_full BEFORE INSERT ON consent_ledger BEGIN "
                                      "SELECT RAISE(ABORT, 'ledger disk full'); END"))
                .ok());

    SharingAgreement a = offer(m_partner, QStringLiteral("prospect"));
    const Status created = m_repo->create(a);
    QVERIFY(!created.ok());
    QVERIFY2(created.error().contains(QStringLiteral("ledger disk full")), qPrintable(created.error()));
    QCOMPARE(rowCount(*m_ws, QStringLiteral("sharing_agreements")), 1);

    QVERIFY(!m_repo->consent(kept.id, AgreementRepository::Side::Ours).ok());
    QVERIFY(!m_repo->revoke(kept.id).ok());
    const SharingAgreement unchanged = m_repo->find(kept.id).value();
    QVERIFY(!unchanged.ourConsentAt.isValid());
    QVERIFY(!unchanged.revokedAt.isValid());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), journal);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("consent_ledger")), 1);
    QCOMPARE(m_ws->transactionDepth(), 0);

    QVERIFY(m_ws->exec(QStringLiteral("DROP TRIGGER temp.ledger_full")).ok());
    QVERIFY(m_repo->consent(kept.id, AgreementRepository::Side::Ours).ok());
    QVERIFY(m_repo->ledger().verify().value().intact());
}

void TestAgreementRepository::agreementFailureWritesNoLedgerEntry()
{
    SharingAgreement a = offer(m_partner);
    QVERIFY(m_repo->create(a).ok());
    const qint64 journal = rowCount(*m_ws, QStringLiteral("journal"));
    QVERIFY(m_ws->exec(QStringLiteral("CREATE TEMP TRIGGER agreements_locked BEFORE UPDATE ON sharing_agreements "
                                      "BEGIN SELECT RAISE(ABORT, 'agreements locked'); END"))
                .ok());
    QVERIFY(!m_repo->revoke(a.id).ok());
    QCOMPARE(rowCount(*m_ws, QStringLiteral("consent_ledger")), 1);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("journal")), journal);
    QCOMPARE(m_ws->transactionDepth(), 0);
}

QTEST_GUILESS_MAIN(TestAgreementRepository)
#include "TestAgreementRepository.moc"
