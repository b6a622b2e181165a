#include "store/Hlc.h"

#include <QDateTime>
#include <QTest>

#include <memory>

using namespace ecotone;

namespace {
// A wall clock the test moves by hand.
struct ManualClock
{
    std::shared_ptr<qint64> ms = std::make_shared<qint64>(0);
    Hlc::WallClock fn() const
    {
        return [ms = ms] { return *ms; };
    }
    void set(qint64 value) { *ms = value; }
};

constexpr qint64 kT0 = 1'780'000'000'000; // a fixed, realistic millisecond timestamp (2026)
} // namespace

class TestHlc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void packRoundTrip_data();
    void packRoundTrip();
    void packedOrderIsTimeThenCounter();
    void nowFollowsWallClock();
    void monotonicWithFrozenClock();
    void monotonicWhenClockGoesBackwards_data();
    void monotonicWhenClockGoesBackwards();
    void counterRolloverBorrowsNextMillisecond();
    void receiveAheadOrdersAfterBoth();
    void receiveBehindStillAdvances();
    void receiveRefusesBeyondMaxDrift_data();
    void receiveRefusesBeyondMaxDrift();
    void observeRaisesButNeverLowers();
    void defaultClockIsWallTime();
    void toStringIsReadable();
};

void TestHlc::packRoundTrip_data()
{
    QTest::addColumn<qint64>("wall");
    QTest::addColumn<quint32>("counter");
    QTest::newRow("zero") << qint64(0) << quint32(0);
    QTest::newRow("one-one") << qint64(1) << quint32(1);
    QTest::newRow("today") << kT0 << quint32(42);
    QTest::newRow("max counter") << kT0 << quint32(0xffff);
    QTest::newRow("max 47-bit wall") << ((qint64(1) << 47) - 1) << quint32(0xffff);
}

void TestHlc::packRoundTrip()
{
    QFETCH(qint64, wall);
    QFETCH(quint32, counter);
    const qint64 ts = Hlc::pack(wall, counter);
    QVERIFY(ts >= 0);
    QCOMPARE(Hlc::wallOf(ts), wall);
    QCOMPARE(Hlc::counterOf(ts), counter);
}

void TestHlc::packedOrderIsTimeThenCounter()
{
    // Timestamps are compared as plain integers, so packing must preserve (wall, counter) order.
    QVERIFY(Hlc::pack(kT0, 0) < Hlc::pack(kT0, 1));
    QVERIFY(Hlc::pack(kT0, 0xffff) < Hlc::pack(kT0 + 1, 0));
    QVERIFY(Hlc::pack(kT0 - 1, 0xffff) < Hlc::pack(kT0, 0));
}

void TestHlc::nowFollowsWallClock()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    const qint64 a = hlc.now();
    QCOMPARE(Hlc::wallOf(a), kT0);
    QCOMPARE(Hlc::counterOf(a), 0u);
    QCOMPARE(hlc.last(), a);

    clock.set(kT0 + 250);
    const qint64 b = hlc.now();
    QCOMPARE(Hlc::wallOf(b), kT0 + 250);
    QCOMPARE(Hlc::counterOf(b), 0u); // a new millisecond resets the counter
}

void TestHlc::monotonicWithFrozenClock()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    qint64 previous = hlc.now();
    // More than one millisecond's worth of counter, so the borrowed milliseconds are exercised as well.
    const int n = 200'000;
    for (int i = 0; i < n; ++i) {
        const qint64 ts = hlc.now();
        if (ts <= previous)
            QFAIL(qPrintable(QStringLiteral("call %1: %2 is not after %3").arg(i).arg(ts).arg(previous)));
        previous = ts;
    }
    // Every call used one counter value: n + 1 timestamps from kT0#0 on.
    QCOMPARE(Hlc::wallOf(previous), kT0 + n / 0x10000);
    QCOMPARE(Hlc::counterOf(previous), quint32(n % 0x10000));
}

void TestHlc::monotonicWhenClockGoesBackwards_data()
{
    QTest::addColumn<qint64>("step"); // wall-clock change between calls
    QTest::newRow("1 ms back") << qint64(-1);
    QTest::newRow("1 s back") << qint64(-1000);
    QTest::newRow("1 h back") << qint64(-3'600'000);
    QTest::newRow("alternating") << qint64(0); // special-cased below: back and forth
}

void TestHlc::monotonicWhenClockGoesBackwards()
{
    QFETCH(qint64, step);
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    qint64 previous = hlc.now();
    const qint64 first = previous;
    for (int i = 0; i < 10'000; ++i) {
        if (step == 0)
            clock.set(kT0 + ((i % 2) ? 5000 : -5000));
        else
            clock.set(kT0 + step * (i + 1));
        const qint64 ts = hlc.now();
        if (ts <= previous)
            QFAIL(qPrintable(QStringLiteral("call %1: %2 is not after %3").arg(i).arg(ts).arg(previous)));
        previous = ts;
    }
    if (step < 0) {
        // The wall clock never came back, so every timestamp stays in the first millisecond's counter space.
        QCOMPARE(Hlc::wallOf(previous), Hlc::wallOf(first));
        QCOMPARE(Hlc::counterOf(previous), 10'000u);
    } else {
        // The clock jumped to +5 s on the second call; the -5 s calls then count up from there.
        QCOMPARE(Hlc::wallOf(previous), kT0 + 5000);
    }
}

void TestHlc::counterRolloverBorrowsNextMillisecond()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    QCOMPARE(hlc.now(), Hlc::pack(kT0, 0));
    qint64 ts = 0;
    for (int i = 0; i < 0xffff; ++i)
        ts = hlc.now();
    QCOMPARE(ts, Hlc::pack(kT0, 0xffff));

    // The counter is exhausted: the next timestamp takes the next millisecond instead of wrapping to 0.
    const qint64 borrowed = hlc.now();
    QCOMPARE(Hlc::wallOf(borrowed), kT0 + 1);
    QCOMPARE(Hlc::counterOf(borrowed), 0u);
    QVERIFY(borrowed > ts);

    // When the real clock reaches the borrowed millisecond, timestamps keep counting rather than repeating it.
    clock.set(kT0 + 1);
    QCOMPARE(hlc.now(), Hlc::pack(kT0 + 1, 1));
    clock.set(kT0 + 2);
    QCOMPARE(hlc.now(), Hlc::pack(kT0 + 2, 0));
}

void TestHlc::receiveAheadOrdersAfterBoth()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    const qint64 local = hlc.now();
    const qint64 remote = Hlc::pack(kT0 + 60'000, 7); // another device, one minute ahead

    auto merged = hlc.receive(remote);
    QVERIFY2(merged.ok(), qPrintable(merged.error()));
    QVERIFY(merged.value() > remote);
    QVERIFY(merged.value() > local);
    QCOMPARE(merged.value(), Hlc::pack(kT0 + 60'000, 8));
    QCOMPARE(hlc.last(), merged.value());

    // Local events after the merge order after the remote one although the wall clock is still behind.
    const qint64 after = hlc.now();
    QVERIFY(after > merged.value());
    QCOMPARE(Hlc::wallOf(after), kT0 + 60'000);
}

void TestHlc::receiveBehindStillAdvances()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    const qint64 local = hlc.now();
    auto merged = hlc.receive(Hlc::pack(kT0 - 10'000, 3));
    QVERIFY2(merged.ok(), qPrintable(merged.error()));
    QVERIFY(merged.value() > local);
    QCOMPARE(merged.value(), Hlc::pack(kT0, 1));

    clock.set(kT0 + 5);
    auto merged2 = hlc.receive(Hlc::pack(kT0 - 10'000, 3));
    QVERIFY(merged2.ok());
    QCOMPARE(merged2.value(), Hlc::pack(kT0 + 5, 0));
}

void TestHlc::receiveRefusesBeyondMaxDrift_data()
{
    QTest::addColumn<qint64>("maxDrift");
    QTest::addColumn<qint64>("ahead"); // remote wall clock minus local wall clock, ms
    QTest::addColumn<bool>("accepted");
    const qint64 d = Hlc::kDefaultMaxDriftMs;
    QTest::newRow("default, exactly at the limit") << d << d << true;
    QTest::newRow("default, 1 ms beyond") << d << d + 1 << false;
    QTest::newRow("default, a day ahead") << d << qint64(86'400'000) << false;
    QTest::newRow("10 s limit, 9 s ahead") << qint64(10'000) << qint64(9'000) << true;
    QTest::newRow("10 s limit, 11 s ahead") << qint64(10'000) << qint64(11'000) << false;
    QTest::newRow("zero limit, same ms") << qint64(0) << qint64(0) << true;
    QTest::newRow("zero limit, 1 ms ahead") << qint64(0) << qint64(1) << false;
}

void TestHlc::receiveRefusesBeyondMaxDrift()
{
    QFETCH(qint64, maxDrift);
    QFETCH(qint64, ahead);
    QFETCH(bool, accepted);
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    const qint64 before = hlc.now();
    const qint64 remote = Hlc::pack(kT0 + ahead, 0);
    auto merged = hlc.receive(remote, maxDrift);
    QCOMPARE(merged.ok(), accepted);
    if (accepted) {
        QVERIFY(merged.value() > remote);
        QVERIFY(merged.value() > before);
    } else {
        QVERIFY2(merged.error().contains(QStringLiteral("ahead")), qPrintable(merged.error()));
        QVERIFY2(merged.error().contains(QString::number(maxDrift / 1000) + QStringLiteral(" s")),
                 qPrintable(merged.error()));
        // A refused timestamp must not move the clock.
        QCOMPARE(hlc.last(), before);
        QCOMPARE(hlc.now(), Hlc::pack(kT0, 1));
    }
}

void TestHlc::observeRaisesButNeverLowers()
{
    ManualClock clock;
    clock.set(kT0);
    Hlc hlc(clock.fn());
    const qint64 first = hlc.now();

    // A journal written by a clock that ran ahead: the next local timestamp must order after it.
    const qint64 future = Hlc::pack(kT0 + 3'600'000, 9);
    hlc.observe(future);
    QCOMPARE(hlc.last(), future);
    QCOMPARE(hlc.now(), Hlc::pack(kT0 + 3'600'000, 10));

    // Observing an older timestamp changes nothing.
    const qint64 last = hlc.last();
    hlc.observe(first);
    QCOMPARE(hlc.last(), last);
    hlc.observe(0);
    QCOMPARE(hlc.last(), last);
    QVERIFY(hlc.now() > last);
}

void TestHlc::defaultClockIsWallTime()
{
    Hlc hlc;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const qint64 ts = hlc.now();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(Hlc::wallOf(ts) >= before);
    QVERIFY(Hlc::wallOf(ts) <= after);
}

void TestHlc::toStringIsReadable()
{
    QCOMPARE(Hlc::toString(Hlc::pack(0, 5)), QStringLiteral("1970-01-01T00:00:00.000Z#5"));
    const qint64 ms = QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC).toMSecsSinceEpoch();
    QCOMPARE(Hlc::toString(Hlc::pack(ms, 65535)), QStringLiteral("2026-03-14T15:09:26.535Z#65535"));
}

QTEST_GUILESS_MAIN(TestHlc)
#include "TestHlc.moc"
