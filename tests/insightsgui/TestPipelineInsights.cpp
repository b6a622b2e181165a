// PipelineInsights on a hand-made workspace where every number is worked out in the comments: sourced,
// influenced and untouched pipeline and revenue, the primary-credit rows per partner and per type, partner-to-
// partner revenue, performance with and without partners, the period filter, currencies and the series buckets.
#include "TestSupport.h"
#include "pipeline/PipelineInsights.h"
#include "store/Workspace.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::pipeline;

class TestPipelineInsights : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void allTime();
    void rowsPerPartner();
    void rowsPerType();
    void seriesByMonth();
    void seriesByQuarter();
    void period();
    void otherCurrency();
    void emptyWorkspace();

private:
    void sql(const QString &statement);
    void org(const QString &id, const QString &kind, const QString &name, const QString &types);
    void room(const QString &id, const QString &stage, qint64 amount, const QString &currency, const QString &created,
              const QString &closeDate, const QString &updatedAt = QStringLiteral("2026-03-20T00:00:00.000Z"));
    void participant(const QString &room, const QString &org, const QString &role, const QString &addedAt);
    PipelineInsights read(const PipelineQuery &query = {});
    static const GroupRow *row(const QList<GroupRow> &rows, const QString &id);

    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    int m_next = 0;
};

void TestPipelineInsights::sql(const QString &statement)
{
    QSqlQuery q(m_ws->db());
    QVERIFY2(q.exec(statement), qPrintable(q.lastError().text() + QStringLiteral(": ") + statement));
}

void TestPipelineInsights::org(const QString &id, const QString &kind, const QString &name, const QString &types)
{
    sql(QStringLiteral("INSERT INTO organizations (id, kind, name, types) VALUES ('%1', '%2', '%3', '%4')")
            .arg(id, kind, name, types));
}

void TestPipelineInsights::room(const QString &id, const QString &stage, qint64 amount, const QString &currency,
                                const QString &created, const QString &closeDate, const QString &updatedAt)
{
    sql(QStringLiteral("INSERT INTO deal_rooms (id, name, stage, amount_minor, currency, close_date, created_at, "
                       "updated_at, last_activity_at) VALUES ('%1', 'Room %1', '%2', %3, '%4', '%5', '%6', '%7', '%7')")
            .arg(id, stage)
            .arg(amount)
            .arg(currency, closeDate, created, updatedAt));
}

void TestPipelineInsights::participant(const QString &roomId, const QString &orgId, const QString &role,
                                       const QString &addedAt)
{
    sql(QStringLiteral("INSERT INTO deal_room_participants (id, room_id, organization_id, role, added_at) VALUES "
                       "('p%1', '%2', '%3', '%4', '%5')")
            .arg(++m_next)
            .arg(roomId, orgId, role, addedAt));
}

PipelineInsights TestPipelineInsights::read(const PipelineQuery &query)
{
    auto r = readPipelineInsights(*m_ws, query);
    if (!r.ok())
        qWarning() << r.error();
    return r.ok() ? r.value() : PipelineInsights{};
}

const GroupRow *TestPipelineInsights::row(const QList<GroupRow> &rows, const QString &id)
{
    for (const GroupRow &r : rows)
        if (r.id == id)
            return &r;
    return nullptr;
}

// Alpha (reseller), Beta (technology first, then reseller: primary type technology), Gamma (no type), the vendor.
//   R1  open  1000 created 2026-01-10  Alpha sourcing, Beta technical           sourced, primary Alpha
//   R2  open  2000 created 2026-02-05  Beta influencing                         influenced, primary Beta
//   R3  open  4000 created 2026-02-20  the vendor sourcing (not a partner)      untouched
//   R4  won  10000 2026-01-01 -> 2026-03-01 (59 days)  Alpha sourcing, Gamma technical   sourced, 2 partners
//   R5  won  20000 2026-02-01 -> 2026-02-11 (10 days)  Gamma influencing (added 02-02), Beta technical (02-01)
//                                                      influenced, primary Beta (added first), 2 partners
//   R6  won   5000 2026-01-15 -> 2026-01-25 (10 days)  nobody                    untouched
//   R7  lost  3000 closed 2026-03-10  Alpha sourcing
//   R8  lost   700 closed 2026-02-15  nobody
//   R9  won  99999 EUR closed 2026-02-01  Alpha sourcing                        other currency
//   R10 won   8000 2025-10-01 -> no close date, updated 2025-12-20 (80 days)  Alpha sourcing
//   R11 open   600 created 2025-12-31  Gamma sourcing
void TestPipelineInsights::initTestCase()
{
    m_ws = test::createWorkspace(m_dir.file(QStringLiteral("hand.ecotone")));
    QVERIFY(m_ws);
    org(QStringLiteral("V"), QStringLiteral("vendor"), QStringLiteral("Vendor"), QStringLiteral("[]"));
    org(QStringLiteral("A"), QStringLiteral("partner"), QStringLiteral("Alpha"), QStringLiteral("[\"reseller\"]"));
    org(QStringLiteral("B"), QStringLiteral("partner"), QStringLiteral("Beta"),
        QStringLiteral("[\"technology\",\"reseller\"]"));
    org(QStringLiteral("G"), QStringLiteral("partner"), QStringLiteral("Gamma"), QStringLiteral("[]"));

    const QString t = QStringLiteral("T09:00:00.000Z");
    room(QStringLiteral("R1"), QStringLiteral("prospect"), 1000, QStringLiteral("USD"),
         QStringLiteral("2026-01-10") + t, QStringLiteral("2026-06-01"));
    participant(QStringLiteral("R1"), QStringLiteral("A"), QStringLiteral("sourcing"),
                QStringLiteral("2026-01-10") + t);
    participant(QStringLiteral("R1"), QStringLiteral("B"), QStringLiteral("technical"),
                QStringLiteral("2026-01-09") + t);
    room(QStringLiteral("R2"), QStringLiteral("qualified"), 2000, QStringLiteral("USD"),
         QStringLiteral("2026-02-05") + t, QStringLiteral("2026-06-01"));
    participant(QStringLiteral("R2"), QStringLiteral("B"), QStringLiteral("influencing"),
                QStringLiteral("2026-02-05") + t);
    room(QStringLiteral("R3"), QStringLiteral("committed"), 4000, QStringLiteral("USD"),
         QStringLiteral("2026-02-20") + t, QString());
    participant(QStringLiteral("R3"), QStringLiteral("V"), QStringLiteral("sourcing"),
                QStringLiteral("2026-02-20") + t);
    room(QStringLiteral("R4"), QStringLiteral("closed_won"), 10000, QStringLiteral("USD"),
         QStringLiteral("2026-01-01") + t, QStringLiteral("2026-03-01"));
    participant(QStringLiteral("R4"), QStringLiteral("A"), QStringLiteral("sourcing"),
                QStringLiteral("2026-01-01") + t);
    participant(QStringLiteral("R4"), QStringLiteral("G"), QStringLiteral("technical"),
                QStringLiteral("2026-01-02") + t);
    room(QStringLiteral("R5"), QStringLiteral("closed_won"), 20000, QStringLiteral("USD"),
         QStringLiteral("2026-02-01") + t, QStringLiteral("2026-02-11"));
    participant(QStringLiteral("R5"), QStringLiteral("G"), QStringLiteral("influencing"),
                QStringLiteral("2026-02-02") + t);
    participant(QStringLiteral("R5"), QStringLiteral("B"), QStringLiteral("technical"),
                QStringLiteral("2026-02-01") + t);
    room(QStringLiteral("R6"), QStringLiteral("closed_won"), 5000, QStringLiteral("USD"),
         QStringLiteral("2026-01-15") + t, QStringLiteral("2026-01-25"));
    room(QStringLiteral("R7"), QStringLiteral("closed_lost"), 3000, QStringLiteral("USD"),
         QStringLiteral("2026-01-01") + t, QStringLiteral("2026-03-10"));
    participant(QStringLiteral("R7"), QStringLiteral("A"), QStringLiteral("sourcing"),
                QStringLiteral("2026-01-01") + t);
    room(QStringLiteral("R8"), QStringLiteral("closed_lost"), 700, QStringLiteral("USD"),
         QStringLiteral("2026-01-05") + t, QStringLiteral("2026-02-15"));
    room(QStringLiteral("R9"), QStringLiteral("closed_won"), 99999, QStringLiteral("EUR"),
         QStringLiteral("2026-01-01") + t, QStringLiteral("2026-02-01"));
    participant(QStringLiteral("R9"), QStringLiteral("A"), QStringLiteral("sourcing"),
                QStringLiteral("2026-01-01") + t);
    room(QStringLiteral("R10"), QStringLiteral("closed_won"), 8000, QStringLiteral("USD"),
         QStringLiteral("2025-10-01") + t, QString(), QStringLiteral("2025-12-20T17:00:00.000Z"));
    participant(QStringLiteral("R10"), QStringLiteral("A"), QStringLiteral("sourcing"),
                QStringLiteral("2025-10-01") + t);
    room(QStringLiteral("R11"), QStringLiteral("prospect"), 600, QStringLiteral("USD"),
         QStringLiteral("2025-12-31") + t, QString());
    participant(QStringLiteral("R11"), QStringLiteral("G"), QStringLiteral("sourcing"),
                QStringLiteral("2025-12-31") + t);
}

void TestPipelineInsights::allTime()
{
    const PipelineInsights p = read();
    QCOMPARE(p.currency, QStringLiteral("USD")); // 10 rooms against 1 in EUR
    QCOMPARE(p.currencies.size(), 2);
    QCOMPARE(p.currencies.at(0), (std::pair<QString, qint64>{QStringLiteral("USD"), 10}));
    QCOMPARE(p.currencies.at(1), (std::pair<QString, qint64>{QStringLiteral("EUR"), 1}));
    QCOMPARE(p.roomsInPeriod, 10);

    QCOMPARE(p.pipeline[Sourced].minor, 1600); // R1 + R11
    QCOMPARE(p.pipeline[Sourced].rooms, 2);
    QCOMPARE(p.pipeline[Influenced].minor, 2000); // R2
    QCOMPARE(p.pipeline[Untouched].minor, 4000);  // R3: the vendor is no partner
    QCOMPARE(p.revenue[Sourced].minor, 18000);    // R4 + R10
    QCOMPARE(p.revenue[Sourced].rooms, 2);
    QCOMPARE(p.revenue[Influenced].minor, 20000); // R5
    QCOMPARE(p.revenue[Untouched].minor, 5000);   // R6
    QCOMPARE(p.partnerToPartner.minor, 30000);    // R4 + R5
    QCOMPARE(p.partnerToPartner.rooms, 2);

    QCOMPARE(p.withPartners.won, 3);  // R4, R5, R10
    QCOMPARE(p.withPartners.lost, 1); // R7
    QCOMPARE(p.withPartners.winRate(), 0.75);
    QCOMPARE(p.withPartners.wonMinor, 38000);
    QCOMPARE(p.withPartners.daysToCloseSum, 59.0 + 10.0 + 80.0);
    QCOMPARE(p.withPartners.averageDaysToClose(), 149.0 / 3);
    QCOMPARE(p.withPartners.averageDealMinor(), 38000.0 / 3);
    QCOMPARE(p.withoutPartners.won, 1);  // R6
    QCOMPARE(p.withoutPartners.lost, 1); // R8
    QCOMPARE(p.withoutPartners.winRate(), 0.5);
    QCOMPARE(p.withoutPartners.averageDaysToClose(), 10.0);
    QCOMPARE(p.withoutPartners.averageDealMinor(), 5000.0);
}

void TestPipelineInsights::rowsPerPartner()
{
    const PipelineInsights p = read();
    QCOMPARE(p.partners.size(), 4);
    // By revenue: Beta 20000, Alpha 18000, Gamma 0; the no-partner row last.
    QCOMPARE(p.partners.at(0).name, QStringLiteral("Beta"));
    QCOMPARE(p.partners.at(1).name, QStringLiteral("Alpha"));
    QCOMPARE(p.partners.at(2).name, QStringLiteral("Gamma"));
    QVERIFY(p.partners.at(3).id.isEmpty());

    const GroupRow *a = row(p.partners, QStringLiteral("A"));
    QVERIFY(a);
    QCOMPARE(a->type, QStringLiteral("reseller"));
    QCOMPARE(a->pipeline[Sourced].minor, 1000); // R1 (Beta came earlier, but Alpha is sourcing)
    QCOMPARE(a->pipeline[Influenced].minor, 0);
    QCOMPARE(a->revenue[Sourced].minor, 18000);
    QCOMPARE(a->performance.won, 2);
    QCOMPARE(a->performance.lost, 1);
    QCOMPARE(a->partnerToPartner.minor, 10000);    // R4
    QCOMPARE(a->multiPartnerRevenue.minor, 10000); // R4
    QCOMPARE(a->multiPartnerRevenue.rooms, 1);

    const GroupRow *b = row(p.partners, QStringLiteral("B"));
    QVERIFY(b);
    QCOMPARE(b->type, QStringLiteral("technology"));
    QCOMPARE(b->pipeline[Influenced].minor, 2000); // R2; R1 is Alpha's
    QCOMPARE(b->pipelineTotal().minor, 2000);
    QCOMPARE(b->revenue[Influenced].minor, 20000); // R5: added before Gamma
    QCOMPARE(b->partnerToPartner.minor, 20000);
    QCOMPARE(b->multiPartnerRevenue.minor, 20000);

    const GroupRow *g = row(p.partners, QStringLiteral("G"));
    QVERIFY(g);
    QCOMPARE(g->type, QStringLiteral("untyped"));
    QCOMPARE(g->pipeline[Sourced].minor, 600); // R11
    QCOMPARE(g->revenueTotal().minor, 0);
    QCOMPARE(g->partnerToPartner.minor, 0);
    QCOMPARE(g->multiPartnerRevenue.minor, 30000); // took part in R4 and R5
    QCOMPARE(g->multiPartnerRevenue.rooms, 2);

    const GroupRow *none = row(p.partners, QString());
    QVERIFY(none);
    QCOMPARE(none->pipeline[Untouched].minor, 4000);
    QCOMPARE(none->revenue[Untouched].minor, 5000);
    QCOMPARE(none->performance.won, 1);
    QCOMPARE(none->performance.lost, 1);

    // Primary credit: the rows add up to the totals.
    qint64 pipeline = 0, revenue = 0, p2p = 0;
    for (const GroupRow &r : p.partners) {
        pipeline += r.pipelineTotal().minor;
        revenue += r.revenueTotal().minor;
        p2p += r.partnerToPartner.minor;
    }
    QCOMPARE(pipeline, 1600 + 2000 + 4000);
    QCOMPARE(revenue, 18000 + 20000 + 5000);
    QCOMPARE(p2p, 30000);
}

void TestPipelineInsights::rowsPerType()
{
    const PipelineInsights p = read();
    QCOMPARE(p.partnerTypes.size(), 4);
    QCOMPARE(p.partnerTypes.at(0).type, QStringLiteral("technology")); // Beta: 20000
    QCOMPARE(p.partnerTypes.at(0).revenueTotal().minor, 20000);
    QCOMPARE(p.partnerTypes.at(0).pipelineTotal().minor, 2000);
    QCOMPARE(p.partnerTypes.at(1).type, QStringLiteral("reseller")); // Alpha: 18000
    QCOMPARE(p.partnerTypes.at(1).revenueTotal().minor, 18000);
    QCOMPARE(p.partnerTypes.at(1).performance.lost, 1);
    QCOMPARE(p.partnerTypes.at(2).type, QStringLiteral("untyped")); // Gamma
    QCOMPARE(p.partnerTypes.at(2).pipeline[Sourced].minor, 600);
    QCOMPARE(p.partnerTypes.at(3).type, QStringLiteral("none"));
    QCOMPARE(p.partnerTypes.at(3).name, QStringLiteral("No partner"));
    QCOMPARE(p.partnerTypes.at(3).revenue[Untouched].minor, 5000);
}

void TestPipelineInsights::seriesByMonth()
{
    const PipelineInsights p = read();
    // Columns sorted by name, no partner last.
    QCOMPARE(p.seriesTypes, (QStringList{QStringLiteral("reseller"), QStringLiteral("technology"),
                                         QStringLiteral("untyped"), QStringLiteral("none")}));
    QCOMPARE(p.seriesTypeNames.last(), QStringLiteral("No partner"));
    // Dec 2025: R11 open (untyped 600), R10 won (reseller 8000); Jan 2026: R1 open (reseller 1000), R6 won (none
    // 5000); Feb: R2 open (technology 2000), R3 open (none 4000), R5 won (technology 20000); Mar: R4 won (reseller).
    QCOMPARE(p.series.size(), 4);
    QCOMPARE(p.series.at(0).start, QDate(2025, 12, 1));
    QCOMPARE(p.series.at(0).pipelineMinor, (QList<qint64>{0, 0, 600, 0}));
    QCOMPARE(p.series.at(0).revenueMinor, (QList<qint64>{8000, 0, 0, 0}));
    QCOMPARE(p.series.at(1).start, QDate(2026, 1, 1));
    QCOMPARE(p.series.at(1).pipelineMinor, (QList<qint64>{1000, 0, 0, 0}));
    QCOMPARE(p.series.at(1).revenueMinor, (QList<qint64>{0, 0, 0, 5000}));
    QCOMPARE(p.series.at(2).pipelineMinor, (QList<qint64>{0, 2000, 0, 4000}));
    QCOMPARE(p.series.at(2).revenueMinor, (QList<qint64>{0, 20000, 0, 0}));
    QCOMPARE(p.series.at(3).start, QDate(2026, 3, 1));
    QCOMPARE(p.series.at(3).pipelineMinor, (QList<qint64>{0, 0, 0, 0}));
    QCOMPARE(p.series.at(3).revenueMinor, (QList<qint64>{10000, 0, 0, 0}));
    // Partner-to-partner: R5 (Beta, technology) in February, R4 (Alpha, reseller) in March.
    QCOMPARE(p.series.at(0).partnerToPartnerMinor, (QList<qint64>{0, 0, 0, 0}));
    QCOMPARE(p.series.at(1).partnerToPartnerMinor, (QList<qint64>{0, 0, 0, 0}));
    QCOMPARE(p.series.at(2).partnerToPartnerMinor, (QList<qint64>{0, 20000, 0, 0}));
    QCOMPARE(p.series.at(3).partnerToPartnerMinor, (QList<qint64>{10000, 0, 0, 0}));
    QCOMPARE(bucketLabel(QDate(2026, 1, 1), Bucket::Quarter), QStringLiteral("Q1 2026"));
}

void TestPipelineInsights::seriesByQuarter()
{
    PipelineQuery q;
    q.bucket = Bucket::Quarter;
    const PipelineInsights p = read(q);
    QCOMPARE(p.series.size(), 2);
    QCOMPARE(p.series.at(0).start, QDate(2025, 10, 1));
    QCOMPARE(p.series.at(0).pipelineMinor, (QList<qint64>{0, 0, 600, 0}));
    QCOMPARE(p.series.at(1).start, QDate(2026, 1, 1));
    QCOMPARE(p.series.at(1).pipelineMinor, (QList<qint64>{1000, 2000, 0, 4000}));
    QCOMPARE(p.series.at(1).revenueMinor, (QList<qint64>{10000, 20000, 0, 5000}));
    QCOMPARE(p.series.at(1).partnerToPartnerMinor, (QList<qint64>{10000, 20000, 0, 0}));
}

void TestPipelineInsights::period()
{
    PipelineQuery q;
    q.from = QDate(2026, 1, 1);
    q.to = QDate(2026, 2, 28);
    const PipelineInsights p = read(q);
    // In: R1, R2, R3 (created), R5, R6 (won), R8 (lost). Out: R4 and R7 close in March, R10 and R11 in 2025.
    QCOMPARE(p.roomsInPeriod, 6);
    QCOMPARE(p.pipeline[Sourced].minor, 1000);
    QCOMPARE(p.pipeline[Influenced].minor, 2000);
    QCOMPARE(p.pipeline[Untouched].minor, 4000);
    QCOMPARE(p.revenue[Sourced].minor, 0);
    QCOMPARE(p.revenue[Influenced].minor, 20000);
    QCOMPARE(p.revenue[Untouched].minor, 5000);
    QCOMPARE(p.partnerToPartner.minor, 20000);
    QCOMPARE(p.withPartners.won, 1);
    QCOMPARE(p.withPartners.lost, 0);
    QCOMPARE(p.withPartners.winRate(), 1.0);
    QCOMPARE(p.withoutPartners.winRate(), 0.5);
    const GroupRow *g = row(p.partners, QStringLiteral("G"));
    QVERIFY(g);
    QCOMPARE(g->multiPartnerRevenue.minor, 20000); // R5 only
    QCOMPARE(row(p.partners, QStringLiteral("A"))->multiPartnerRevenue.minor, 0);
    QCOMPARE(p.series.size(), 2);

    // Both days are included.
    q.from = QDate(2026, 3, 1);
    q.to = QDate(2026, 3, 1);
    QCOMPARE(read(q).revenue[Sourced].minor, 10000); // R4
}

void TestPipelineInsights::otherCurrency()
{
    PipelineQuery q;
    q.currency = QStringLiteral("EUR");
    const PipelineInsights p = read(q);
    QCOMPARE(p.currency, QStringLiteral("EUR"));
    QCOMPARE(p.roomsInPeriod, 1);
    QCOMPARE(p.revenue[Sourced].minor, 99999);
    QCOMPARE(p.revenue[Untouched].minor, 0);
    QCOMPARE(p.partners.size(), 1);
    QCOMPARE(p.partners.at(0).name, QStringLiteral("Alpha"));
}

void TestPipelineInsights::emptyWorkspace()
{
    auto ws = test::createWorkspace(m_dir.file(QStringLiteral("empty.ecotone")));
    QVERIFY(ws);
    auto r = readPipelineInsights(*ws, {});
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(r->currency.isEmpty());
    QCOMPARE(r->roomsInPeriod, 0);
    QVERIFY(r->partners.isEmpty());
    QVERIFY(r->series.isEmpty());
    QCOMPARE(r->withPartners.winRate(), 0.0);
}

QTEST_GUILESS_MAIN(TestPipelineInsights)
#include "TestPipelineInsights.moc"
