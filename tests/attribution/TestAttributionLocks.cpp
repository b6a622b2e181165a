#include "TestSupport.h"
#include "attribution/AttributionLocks.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::attribution;

namespace {
AttributionLock make(const char *from, const char *to, const char *model, QMap<QString, QString> options = {})
{
    AttributionLock l;
    l.from = QDate::fromString(QString::fromLatin1(from), Qt::ISODate);
    l.to = QDate::fromString(QString::fromLatin1(to), Qt::ISODate);
    l.model = QString::fromLatin1(model);
    l.options = std::move(options);
    l.lockedBy = QStringLiteral("finance");
    return l;
}
} // namespace

// One model locked per period (schema step 6): validation, no overlaps, lookups, journal entries.
class TestAttributionLocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lockFillsDefaultsAndJournals()
    {
        test::TempDir dir;
        auto ws = test::createWorkspace(dir.file(QStringLiteral("locks.ecotone")));
        QVERIFY(ws);
        QCOMPARE(ws->schemaVersion(), schema::kVersion);
        AttributionLockRepository locks(*ws);
        locks.setClock([] { return QDateTime(QDate(2026, 4, 2), QTime(9, 0), Qt::UTC); });
        auto q1 = locks.lock(
            make("2026-01-01", "2026-03-31", "position-based", {{QStringLiteral("first"), QStringLiteral("0.3")}}));
        QVERIFY2(q1, qPrintable(q1.error()));
        QCOMPARE(q1->options.value(QStringLiteral("first")), QStringLiteral("0.3"));
        QCOMPARE(q1->options.value(QStringLiteral("last")), QStringLiteral("0.4")); // the default, spelled out
        auto found = locks.find(q1->id);
        QVERIFY(found);
        QCOMPARE(found->options, q1->options);
        QCOMPARE(found->lockedAt, QDateTime(QDate(2026, 4, 2), QTime(9, 0), Qt::UTC));
        QCOMPARE(found->lockedBy, QStringLiteral("finance"));
        QSqlQuery q(ws->db());
        QVERIFY(q.exec(
            QStringLiteral("SELECT value FROM journal WHERE table_name = 'attribution_locks' AND op = 'insert'")));
        QVERIFY(q.next());
        const QJsonObject entry = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
        QCOMPARE(entry.value(QStringLiteral("options")).toObject().value(QStringLiteral("last")).toString(),
                 QStringLiteral("0.4"));
        QCOMPARE(entry.value(QStringLiteral("model")).toString(), QStringLiteral("position-based"));
    }

    void periodsNeverOverlap()
    {
        test::TempDir dir;
        auto ws = test::createWorkspace(dir.file(QStringLiteral("locks.ecotone")));
        QVERIFY(ws);
        AttributionLockRepository locks(*ws);
        auto q1 = locks.lock(make("2026-01-01", "2026-03-31", "linear"));
        QVERIFY(q1);
        auto q2 = locks.lock(make("2026-04-01", "2026-06-30", "markov"));
        QVERIFY2(q2, qPrintable(q2.error())); // adjacent is fine
        auto overlap = locks.lock(make("2026-03-31", "2026-04-15", "shapley"));
        QVERIFY(!overlap);
        QVERIFY2(overlap.error().contains(q1->id), qPrintable(overlap.error()));
        QCOMPARE(test::rowCount(*ws, QStringLiteral("attribution_locks")), qint64(2));
        auto all = locks.list();
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).model, QStringLiteral("linear"));

        auto inside = locks.covering(QDate(2026, 2, 1), QDate(2026, 2, 28));
        QVERIFY(inside && inside.value());
        QCOMPARE(inside.value()->id, q1->id);
        auto straddling = locks.covering(QDate(2026, 3, 1), QDate(2026, 4, 30));
        QVERIFY(straddling && !straddling.value());

        QVERIFY(locks.unlock(q1->id));
        QCOMPARE(test::rowCount(*ws, QStringLiteral("attribution_locks")), qint64(1));
        QSqlQuery q(ws->db());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM journal WHERE table_name = 'attribution_locks' AND op = "
                                      "'delete' AND value IS NULL")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);                                  // a tombstone keeps the trail
        QVERIFY(locks.lock(make("2026-03-31", "2026-03-31", "shapley"))); // the period is free again
        QVERIFY(!locks.unlock(QStringLiteral("no-such-id")));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("message");
        QTest::newRow("reversed") << QStringLiteral("2026-02-01") << QStringLiteral("2026-01-01")
                                  << QStringLiteral("linear") << QString()
                                  << QStringLiteral("ends (2026-01-01) before it starts");
        QTest::newRow("no end") << QStringLiteral("2026-02-01") << QString() << QStringLiteral("linear") << QString()
                                << QStringLiteral("first and a last day");
        QTest::newRow("unknown model") << QStringLiteral("2026-01-01") << QStringLiteral("2026-01-31")
                                       << QStringLiteral("u-shaped") << QString() << QStringLiteral("Unknown model");
        QTest::newRow("bad option") << QStringLiteral("2026-01-01") << QStringLiteral("2026-01-31")
                                    << QStringLiteral("markov") << QStringLiteral("order=7")
                                    << QStringLiteral("1, 2, 3 or 4");
    }

    void refusals()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, model);
        QFETCH(QString, option);
        QFETCH(QString, message);
        test::TempDir dir;
        auto ws = test::createWorkspace(dir.file(QStringLiteral("locks.ecotone")));
        QVERIFY(ws);
        AttributionLock l;
        l.from = QDate::fromString(from, Qt::ISODate);
        l.to = QDate::fromString(to, Qt::ISODate);
        l.model = model;
        if (!option.isEmpty())
            l.options.insert(option.section(QLatin1Char('='), 0, 0), option.section(QLatin1Char('='), 1));
        auto r = AttributionLockRepository(*ws).lock(l);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(message), qPrintable(r.error()));
        QCOMPARE(test::rowCount(*ws, QStringLiteral("attribution_locks")), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestAttributionLocks)
#include "TestAttributionLocks.moc"
