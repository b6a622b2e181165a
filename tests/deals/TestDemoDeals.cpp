// addDemoDeals: deterministic for a seed, every status present, overdue tasks and idle rooms, journaled rows.
#include "DealFixtures.h"
#include "demo/DemoDeals.h"
#include "demo/DemoEcosystem.h"

#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

class TestDemoDeals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameData();
    void everyStatusAndRole();
    void needsPartners();

private:
    std::unique_ptr<Workspace> demo(const QString &name, quint64 seed);
    QStringList column(Workspace &ws, const QString &sql);

    TempDir m_dir;
    const QDateTime m_anchor = QDateTime(QDate(2026, 5, 4), QTime(0, 0), Qt::UTC);
};

std::unique_ptr<Workspace> TestDemoDeals::demo(const QString &name, quint64 seed)
{
    const QString path = m_dir.file(name);
    DemoOptions options;
    options.partners = 25;
    options.accounts = 200;
    if (!createDemoWorkspace(path, options))
        return nullptr;
    auto ws = Workspace::open(path);
    if (!ws)
        return nullptr;
    DemoDealsOptions deals;
    deals.seed = seed;
    deals.rooms = 400;
    deals.eventsPerRoom = 6;
    deals.anchor = m_anchor;
    auto summary = addDemoDeals(*ws.value(), deals);
    if (!summary) {
        qWarning("%s", qPrintable(summary.error()));
        return nullptr;
    }
    return std::move(ws).value();
}

QStringList TestDemoDeals::column(Workspace &ws, const QString &sql)
{
    QSqlQuery q(ws.db());
    QStringList out;
    if (!q.exec(sql))
        return {QStringLiteral("error")};
    while (q.next())
        out << q.value(0).toString();
    return out;
}

void TestDemoDeals::sameSeedSameData()
{
    auto a = demo(QStringLiteral("a.ecotone"), 7);
    auto b = demo(QStringLiteral("b.ecotone"), 7);
    auto c = demo(QStringLiteral("c.ecotone"), 8);
    QVERIFY(a && b && c);
    const QString rooms =
        QStringLiteral("SELECT name || '|' || stage || '|' || amount_minor || '|' || currency || '|' || "
                       "last_activity_at FROM deal_rooms ORDER BY rowid");
    QCOMPARE(column(*a, rooms).size(), 400);
    QCOMPARE(column(*a, rooms), column(*b, rooms));
    QVERIFY(column(*a, rooms) != column(*c, rooms));
    const QString regs = QStringLiteral("SELECT account_name || '|' || status FROM deal_registrations ORDER BY rowid");
    QCOMPARE(column(*a, regs), column(*b, regs));
    QCOMPARE(rowCount(*a, QStringLiteral("deal_events")), 400 * 6);
    // Every row went through the journal.
    QCOMPARE(column(*a, QStringLiteral("SELECT COUNT(*) FROM journal WHERE table_name = 'deal_events'")).value(0),
             QStringLiteral("2400"));
}

void TestDemoDeals::everyStatusAndRole()
{
    auto ws = demo(QStringLiteral("d.ecotone"), 3);
    QVERIFY(ws);
    const QStringList regStatuses =
        column(*ws, QStringLiteral("SELECT DISTINCT status FROM deal_registrations ORDER BY status"));
    QCOMPARE(regStatuses,
             (QStringList{QStringLiteral("approved"), QStringLiteral("expired"), QStringLiteral("rejected"),
                          QStringLiteral("returned"), QStringLiteral("submitted"), QStringLiteral("under_review")}));
    const QStringList refStatuses =
        column(*ws, QStringLiteral("SELECT DISTINCT status FROM deal_referrals ORDER BY status"));
    QCOMPARE(refStatuses, (QStringList{QStringLiteral("accepted"), QStringLiteral("converted"),
                                       QStringLiteral("declined"), QStringLiteral("expired"), QStringLiteral("sent")}));
    QCOMPARE(column(*ws, QStringLiteral("SELECT COUNT(DISTINCT stage) FROM deal_rooms")).value(0), QStringLiteral("8"));
    QCOMPARE(column(*ws, QStringLiteral("SELECT COUNT(DISTINCT role) FROM deal_room_participants")).value(0),
             QStringLiteral("5"));
    const QString today = m_anchor.date().toString(Qt::ISODate);
    QVERIFY(
        column(*ws, QStringLiteral("SELECT COUNT(*) FROM deal_tasks WHERE done_at = '' AND due_date < '%1'").arg(today))
            .value(0)
            .toInt() > 0);
    QVERIFY(column(*ws, QStringLiteral("SELECT COUNT(*) FROM deal_rooms WHERE last_activity_at < '%1'")
                            .arg(m_anchor.addDays(-14).toString(Qt::ISODateWithMs)))
                .value(0)
                .toInt() > 0);
    // Approved registrations point at a room that points back.
    QCOMPARE(
        column(*ws, QStringLiteral("SELECT COUNT(*) FROM deal_registrations g JOIN deal_rooms r ON r.id = g.room_id "
                                   "AND r.registration_id = g.id WHERE g.status = 'approved'")),
        column(*ws, QStringLiteral("SELECT COUNT(*) FROM deal_registrations WHERE status = 'approved'")));
    // Converted referrals' rooms have both partners.
    QCOMPARE(column(*ws, QStringLiteral("SELECT COUNT(*) FROM deal_referrals f WHERE status = 'converted' AND "
                                        "(SELECT COUNT(DISTINCT organization_id) FROM deal_room_participants p WHERE "
                                        "p.room_id = f.room_id AND (p.organization_id = f.from_org_id OR "
                                        "p.organization_id = f.to_org_id)) <> 2"))
                 .value(0),
             QStringLiteral("0"));
}

void TestDemoDeals::needsPartners()
{
    auto ws = createWorkspace(m_dir.file(QStringLiteral("empty.ecotone")));
    QVERIFY(ws);
    const Status s = addDemoDeals(*ws, 1, 10, 2);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("demo create")), qPrintable(s.error()));
    QCOMPARE(rowCount(*ws, QStringLiteral("deal_rooms")), 0);
}

QTEST_GUILESS_MAIN(TestDemoDeals)
#include "TestDemoDeals.moc"
