// Runs the real `ecotone deals ...`, `ecotone referrals ...` and `ecotone demo deals` and checks their JSON,
// exit codes and that `deals list --as` shows a person only what they may see.
#include "DealFixtures.h"
#include "deals/RegistrationRepository.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

class TestDealsCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void registerReportsConflicts();
    void registerUsageErrors_data();
    void registerUsageErrors();
    void listAsPerson();
    void registerBulk();
    void decisions();
    void referrals();
    void demoDeals();

private:
    QJsonObject json(const CliRun &run);
    CliRun deals(const QStringList &args);

    std::unique_ptr<TempDir> m_dir;
    QString m_path;
    DealWorld m_w;
    QString m_acmeRegistration;
};

void TestDealsCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_BINARY")), "ECOTONE_BINARY must name the built ecotone");
}

void TestDealsCli::init()
{
    m_dir = std::make_unique<TempDir>();
    m_path = m_dir->file(QStringLiteral("cli.ecotone"));
    auto ws = createWorkspace(m_path);
    QVERIFY(ws);
    m_w = makeDealWorld(*ws);
    RegistrationRepository regs(*ws);
    Registration r;
    r.partnerId = m_w.acmeResellers;
    r.account = DealAccount::from(QStringLiteral("Acme Corporation"), QStringLiteral("acme.com"), QStringLiteral("US"));
    r.amountMinor = 100;
    r.currency = QStringLiteral("USD");
    QVERIFY(regs.submit(r).ok());
    m_acmeRegistration = r.id;
}

QJsonObject TestDealsCli::json(const CliRun &run)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s\n%s", qPrintable(error.errorString()), run.out.constData());
    return doc.object();
}

CliRun TestDealsCli::deals(const QStringList &args)
{
    QStringList all = args;
    all.insert(2, QStringLiteral("--workspace"));
    all.insert(3, m_path);
    return runEcotone(all);
}

void TestDealsCli::registerReportsConflicts()
{
    const CliRun run =
        deals({QStringLiteral("deals"), QStringLiteral("register"), QStringLiteral("--partner"),
               QStringLiteral("Cloudy Systems"), QStringLiteral("--account"), QStringLiteral("ACME EU"),
               QStringLiteral("--website"), QStringLiteral("https://eu.shop.acme.com"), QStringLiteral("--amount"),
               QStringLiteral("125000.5"), QStringLiteral("--currency"), QStringLiteral("eur"),
               QStringLiteral("--close-date"), QStringLiteral("2026-09-30"), QStringLiteral("--products"),
               QStringLiteral("Analytics, Storage"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(run.exitCode, 0); // conflicts do not fail the command
    const QJsonObject o = json(run);
    QCOMPARE(o.value(QStringLiteral("conflict")).toBool(), true);
    const QJsonObject reg = o.value(QStringLiteral("registration")).toObject();
    QCOMPARE(reg.value(QStringLiteral("status")).toString(), QStringLiteral("submitted"));
    QCOMPARE(reg.value(QStringLiteral("partner")).toString(), QStringLiteral("Cloudy Systems"));
    QCOMPARE(reg.value(QStringLiteral("amount")).toString(), QStringLiteral("125000.50"));
    QCOMPARE(reg.value(QStringLiteral("amountMinor")).toInteger(), 12'500'050);
    QCOMPARE(reg.value(QStringLiteral("currency")).toString(), QStringLiteral("EUR"));
    QCOMPARE(reg.value(QStringLiteral("closeDate")).toString(), QStringLiteral("2026-09-30"));
    QCOMPARE(reg.value(QStringLiteral("products")).toArray().size(), 2);
    QCOMPARE(reg.value(QStringLiteral("account")).toObject().value(QStringLiteral("domain")).toString(),
             QStringLiteral("acme.com"));
    const QJsonArray conflicts = o.value(QStringLiteral("conflicts")).toArray();
    QCOMPARE(conflicts.size(), 1);
    const QJsonObject c = conflicts.first().toObject();
    QCOMPARE(c.value(QStringLiteral("record")).toString(), QStringLiteral("registration"));
    QCOMPARE(c.value(QStringLiteral("id")).toString(), m_acmeRegistration);
    QCOMPARE(c.value(QStringLiteral("rule")).toString(), QStringLiteral("domain"));
    QCOMPARE(c.value(QStringLiteral("partner")).toString(), QStringLiteral("Northwind Resale"));
    QCOMPARE(c.value(QStringLiteral("ours")).toString(), QStringLiteral("acme.com"));
    QCOMPARE(c.value(QStringLiteral("oursInput")).toString(), QStringLiteral("https://eu.shop.acme.com"));
    QVERIFY(!c.value(QStringLiteral("evidence")).toString().isEmpty());

    const CliRun clean =
        deals({QStringLiteral("deals"), QStringLiteral("register"), QStringLiteral("--partner"),
               QStringLiteral("Cloudy Systems"), QStringLiteral("--account"), QStringLiteral("Acme Corporation"),
               QStringLiteral("--country"), QStringLiteral("France"), QStringLiteral("--amount"), QStringLiteral("10"),
               QStringLiteral("--currency"), QStringLiteral("EUR")});
    QCOMPARE(clean.exitCode, 0);
    QCOMPARE(json(clean).value(QStringLiteral("conflict")).toBool(), false);
}

void TestDealsCli::registerUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList base{QStringLiteral("deals"),     QStringLiteral("register"),  QStringLiteral("--partner"),
                           QStringLiteral("Techtonic"), QStringLiteral("--account"), QStringLiteral("X")};
    QTest::newRow("bad currency") << base + QStringList{QStringLiteral("--amount"), QStringLiteral("1"),
                                                        QStringLiteral("--currency"), QStringLiteral("euros")}
                                  << QStringLiteral("--currency");
    QTest::newRow("bad amount") << base + QStringList{QStringLiteral("--amount"), QStringLiteral("1,5"),
                                                      QStringLiteral("--currency"), QStringLiteral("EUR")}
                                << QStringLiteral("--amount");
    QTest::newRow("bad date") << base + QStringList{QStringLiteral("--amount"),     QStringLiteral("1"),
                                                    QStringLiteral("--currency"),   QStringLiteral("EUR"),
                                                    QStringLiteral("--close-date"), QStringLiteral("30/09/2026")}
                              << QStringLiteral("--close-date");
    QTest::newRow("unknown partner") << QStringList{QStringLiteral("deals"),      QStringLiteral("register"),
                                                    QStringLiteral("--partner"),  QStringLiteral("Nobody"),
                                                    QStringLiteral("--account"),  QStringLiteral("X"),
                                                    QStringLiteral("--amount"),   QStringLiteral("1"),
                                                    QStringLiteral("--currency"), QStringLiteral("EUR")}
                                     << QStringLiteral("--partner");
}

void TestDealsCli::registerUsageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = deals(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

void TestDealsCli::listAsPerson()
{
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws.ok());
        RegistrationRepository regs(*ws.value());
        QVERIFY(regs.startReview(m_acmeRegistration).ok());
        QVERIFY(regs.approve(m_acmeRegistration).ok()); // a room with Northwind Resale as sourcing participant
    }
    const auto list = [&](const QString &email) {
        return json(deals({QStringLiteral("deals"), QStringLiteral("list"), QStringLiteral("--as"), email}));
    };
    const QJsonObject rita = list(QStringLiteral("rita@northwind.example"));
    QCOMPARE(rita.value(QStringLiteral("rooms")).toArray().size(), 1);
    const QJsonObject room = rita.value(QStringLiteral("rooms")).toArray().first().toObject();
    QCOMPARE(room.value(QStringLiteral("registrationId")).toString(), m_acmeRegistration);
    QCOMPARE(room.value(QStringLiteral("participants")).toArray().first().toObject().value(QStringLiteral("role")),
             QStringLiteral("sourcing"));
    QCOMPARE(rita.value(QStringLiteral("registrations")).toArray().size(), 1);

    // Someone whose organization takes no part sees neither the room nor the other partner's registration.
    const QJsonObject carl = list(QStringLiteral("CARL@cloudy.example"));
    QCOMPARE(carl.value(QStringLiteral("rooms")).toArray().size(), 0);
    QCOMPARE(carl.value(QStringLiteral("registrations")).toArray().size(), 0);
    const QJsonObject victor = list(QStringLiteral("victor@vendorly.example"));
    QCOMPARE(victor.value(QStringLiteral("rooms")).toArray().size(), 0);

    const QJsonObject ada = list(QStringLiteral("ada@vendorly.example")); // vendor admin
    QCOMPARE(ada.value(QStringLiteral("rooms")).toArray().size(), 1);
    QCOMPARE(ada.value(QStringLiteral("registrations")).toArray().size(), 1);

    const CliRun unknown = deals({QStringLiteral("deals"), QStringLiteral("list"), QStringLiteral("--as"),
                                  QStringLiteral("nobody@example.com")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.out.isEmpty());
}

void TestDealsCli::registerBulk()
{
    const QString csv = m_dir->file(QStringLiteral("regs.csv"));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("partner,account,website,country,amount,currency,close_date,products\n"
            "Techtonic,Initech,initech.com,US,1000,USD,2026-10-01,Analytics;Backup\n"
            "Cloudy Systems,Acme Inc,www.acme.com,US,50,USD,,\n"
            "Techtonic,,nowhere.com,US,5,USD,,\n"
            "Techtonic,Hooli,hooli.com,US,5,USD,2026-13-01,\n");
    f.close();
    const CliRun run = deals({QStringLiteral("deals"), QStringLiteral("register-bulk"), csv});
    QCOMPARE(run.exitCode, 1); // some rows failed; the good ones are kept
    const QJsonObject o = json(run);
    QCOMPARE(o.value(QStringLiteral("submitted")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("failed")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("withConflicts")).toInt(), 1);
    const QJsonArray rows = o.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows.at(0).toObject().value(QStringLiteral("line")).toInt(), 2);
    QCOMPARE(rows.at(0).toObject().value(QStringLiteral("conflict")).toBool(), false);
    QCOMPARE(rows.at(1).toObject().value(QStringLiteral("conflict")).toBool(), true);
    QCOMPARE(rows.at(2).toObject().value(QStringLiteral("error")).toString(),
             csv + QStringLiteral(":4: account: the account name is required"));
    QVERIFY2(rows.at(3)
                 .toObject()
                 .value(QStringLiteral("error"))
                 .toString()
                 .startsWith(csv + QStringLiteral(":5: "
                                                  "close_date: ")),
             qPrintable(rows.at(3).toObject().value(QStringLiteral("error")).toString()));
    QVERIFY(QString::fromUtf8(run.err).contains(csv + QStringLiteral(":4: account:")));
    const QJsonObject all = json(deals({QStringLiteral("deals"), QStringLiteral("list")}));
    QCOMPARE(all.value(QStringLiteral("registrations")).toArray().size(), 3);
}

void TestDealsCli::decisions()
{
    const auto decide = [&](const QString &verb, const QStringList &more = {}) {
        return deals(QStringList{QStringLiteral("deals"), verb, m_acmeRegistration} + more);
    };
    const CliRun early = decide(QStringLiteral("approve"));
    QCOMPARE(early.exitCode, 1);
    QVERIFY2(early.err.contains("Submitted") && early.err.contains("Approved"), early.err.constData());
    QCOMPARE(decide(QStringLiteral("review")).exitCode, 0);
    const CliRun noReason = decide(QStringLiteral("reject"));
    QCOMPARE(noReason.exitCode, 1);
    const CliRun approved = decide(QStringLiteral("approve"), {QStringLiteral("--days"), QStringLiteral("30")});
    QCOMPARE(approved.exitCode, 0);
    const QJsonObject o = json(approved);
    const QJsonObject reg = o.value(QStringLiteral("registration")).toObject();
    QCOMPARE(reg.value(QStringLiteral("status")).toString(), QStringLiteral("approved"));
    QCOMPARE(reg.value(QStringLiteral("roomId")).toString(),
             o.value(QStringLiteral("room")).toObject().value(QStringLiteral("id")).toString());
    const QDateTime approvedAt =
        QDateTime::fromString(reg.value(QStringLiteral("approvedAt")).toString(), Qt::ISODateWithMs);
    const QDateTime expiresAt =
        QDateTime::fromString(reg.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
    QCOMPARE(approvedAt.daysTo(expiresAt), 30);

    const QJsonObject expiring = json(
        deals({QStringLiteral("deals"), QStringLiteral("expiring"), QStringLiteral("--within"), QStringLiteral("31")}));
    QCOMPARE(expiring.value(QStringLiteral("registrations")).toArray().size(), 1);
    QCOMPARE(decide(QStringLiteral("extend"), {QStringLiteral("--days"), QStringLiteral("60")}).exitCode, 0);
    QCOMPARE(json(deals({QStringLiteral("deals"), QStringLiteral("expiring"), QStringLiteral("--within"),
                         QStringLiteral("31")}))
                 .value(QStringLiteral("registrations"))
                 .toArray()
                 .size(),
             0);
    const CliRun expire = deals({QStringLiteral("deals"), QStringLiteral("expire"), QStringLiteral("--now"),
                                 QDateTime::currentDateTimeUtc().addDays(120).toString(Qt::ISODate)});
    QCOMPARE(expire.exitCode, 0);
    QCOMPARE(json(expire).value(QStringLiteral("registrationsExpired")).toInt(), 1);
    const CliRun late = decide(QStringLiteral("extend"), {QStringLiteral("--days"), QStringLiteral("5")});
    QCOMPARE(late.exitCode, 1);
}

void TestDealsCli::referrals()
{
    const CliRun sent = deals({QStringLiteral("referrals"), QStringLiteral("send"), QStringLiteral("--from"),
                               QStringLiteral("Techtonic"), QStringLiteral("--to"), QStringLiteral("Northwind Resale"),
                               QStringLiteral("--account"), QStringLiteral("Wonka"), QStringLiteral("--need"),
                               QStringLiteral("EU reseller"), QStringLiteral("--expected"), QStringLiteral("40000"),
                               QStringLiteral("--currency"), QStringLiteral("EUR"), QStringLiteral("--fee-percent"),
                               QStringLiteral("7.5")});
    QCOMPARE(sent.exitCode, 0);
    const QJsonObject ref = json(sent).value(QStringLiteral("referral")).toObject();
    QCOMPARE(ref.value(QStringLiteral("status")).toString(), QStringLiteral("sent"));
    QCOMPARE(ref.value(QStringLiteral("fee")).toObject().value(QStringLiteral("percent")).toDouble(), 7.5);
    const QString id = ref.value(QStringLiteral("id")).toString();
    const CliRun early = deals({QStringLiteral("referrals"), QStringLiteral("convert"), id});
    QCOMPARE(early.exitCode, 1);
    QVERIFY2(early.err.contains("Sent") && early.err.contains("Converted"), early.err.constData());
    QCOMPARE(deals({QStringLiteral("referrals"), QStringLiteral("accept"), id}).exitCode, 0);
    const CliRun converted = deals({QStringLiteral("referrals"), QStringLiteral("convert"), id});
    QCOMPARE(converted.exitCode, 0);
    const QJsonObject o = json(converted);
    QCOMPARE(o.value(QStringLiteral("referral")).toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("converted"));
    const QString room = o.value(QStringLiteral("room")).toObject().value(QStringLiteral("id")).toString();
    QVERIFY(!room.isEmpty());
    for (const QString &email : {QStringLiteral("tina@techtonic.example"), QStringLiteral("rita@northwind.example")}) {
        const QJsonArray rooms =
            json(deals({QStringLiteral("deals"), QStringLiteral("list"), QStringLiteral("--as"), email}))
                .value(QStringLiteral("rooms"))
                .toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().toObject().value(QStringLiteral("participants")).toArray().size(), 2);
    }
    const QJsonObject inbox =
        json(deals({QStringLiteral("referrals"), QStringLiteral("list"), QStringLiteral("--box"),
                    QStringLiteral("inbox"), QStringLiteral("--organization"), QStringLiteral("Northwind Resale")}));
    QCOMPARE(inbox.value(QStringLiteral("referrals")).toArray().size(), 1);
    const QJsonObject carl = json(deals({QStringLiteral("referrals"), QStringLiteral("list"), QStringLiteral("--as"),
                                         QStringLiteral("carl@cloudy.example")}));
    QCOMPARE(carl.value(QStringLiteral("referrals")).toArray().size(), 0);
}

void TestDealsCli::demoDeals()
{
    const QString demo = m_dir->file(QStringLiteral("demo.ecotone"));
    QCOMPARE(runEcotone({QStringLiteral("demo"), QStringLiteral("create"), demo, QStringLiteral("--partners"),
                         QStringLiteral("20"), QStringLiteral("--accounts"), QStringLiteral("100"),
                         QStringLiteral("--rooms"), QStringLiteral("0")})
                 .exitCode,
             0);
    const CliRun run = runEcotone({QStringLiteral("demo"), QStringLiteral("deals"), QStringLiteral("--workspace"), demo,
                                   QStringLiteral("--rooms"), QStringLiteral("200"),
                                   QStringLiteral("--events-per-room"), QStringLiteral("5")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("200 deal rooms"), run.out.constData());
    auto ws = Workspace::open(demo);
    QVERIFY(ws.ok());
    QCOMPARE(rowCount(*ws.value(), QStringLiteral("deal_rooms")), 200);
    QCOMPARE(rowCount(*ws.value(), QStringLiteral("deal_events")), 1000);
}

QTEST_GUILESS_MAIN(TestDealsCli)
#include "TestDealsCli.moc"
