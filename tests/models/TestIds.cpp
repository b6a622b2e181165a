#include "store/Ids.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace ecotone;

namespace {
// The 48-bit millisecond timestamp at the front of a UUIDv7.
qint64 timestampOf(const QString &id)
{
    bool ok = false;
    const QString hex = id.left(8) + id.mid(9, 4);
    const qint64 ms = hex.toLongLong(&ok, 16);
    return ok ? ms : -1;
}

QStringList take(IdGenerator &gen, int n)
{
    QStringList out;
    out.reserve(n);
    for (int i = 0; i < n; ++i)
        out << gen.next();
    return out;
}

constexpr qint64 kStart = 1'767'225'600'000; // 2026-01-01T00:00:00Z
} // namespace

class TestIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void format_data();
    void format();
    void embedsTheTime();
    void strictlyIncreasing_data();
    void strictlyIncreasing();
    void seededIsReproducible();
    void differentSeedsDiffer_data();
    void differentSeedsDiffer();
    void isValidRejects_data();
    void isValidRejects();
};

void TestIds::format_data()
{
    QTest::addColumn<bool>("seeded");
    QTest::newRow("wall clock") << false;
    QTest::newRow("seeded") << true;
}

void TestIds::format()
{
    QFETCH(bool, seeded);
    IdGenerator gen = seeded ? IdGenerator(42, kStart) : IdGenerator();
    // 8-4-4-4-12 lower-case hex, version nibble 7, RFC 4122 variant (10xx: 8, 9, a or b).
    static const QRegularExpression uuidV7(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> seen;
    for (int i = 0; i < 5000; ++i) {
        const QString id = gen.next();
        QVERIFY2(IdGenerator::isValid(id), qPrintable(id));
        QVERIFY2(uuidV7.match(id).hasMatch(), qPrintable(id));
        QCOMPARE(id.at(14), QLatin1Char('7'));
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 5000);
}

void TestIds::embedsTheTime()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    IdGenerator gen;
    const QString id = gen.next();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    const qint64 ms = timestampOf(id);
    QVERIFY2(ms >= before && ms <= after,
             qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(ms).arg(before).arg(after)));

    IdGenerator seeded(7, kStart);
    QCOMPARE(timestampOf(seeded.next()), kStart);
}

void TestIds::strictlyIncreasing_data()
{
    QTest::addColumn<bool>("seeded");
    QTest::newRow("wall clock") << false;
    // A fixed clock runs through the 12-bit sequence (4096 per ms) more than twice in 10,000 ids.
    QTest::newRow("seeded") << true;
}

void TestIds::strictlyIncreasing()
{
    QFETCH(bool, seeded);
    IdGenerator gen = seeded ? IdGenerator(99, kStart) : IdGenerator();
    const QStringList ids = take(gen, 10'000);
    for (qsizetype i = 1; i < ids.size(); ++i) {
        if (!(ids.at(i - 1) < ids.at(i)))
            QFAIL(qPrintable(QStringLiteral("id %1 (%2) is not after id %3 (%4)")
                                 .arg(i)
                                 .arg(ids.at(i), QString::number(i - 1), ids.at(i - 1))));
        if (timestampOf(ids.at(i)) < timestampOf(ids.at(i - 1)))
            QFAIL("the embedded time went backwards");
    }
    if (seeded) {
        // 10,000 ids with 4096 sequence values per ms: the clock was stepped twice.
        QCOMPARE(timestampOf(ids.last()), kStart + 2);
    }
}

void TestIds::seededIsReproducible()
{
    IdGenerator a(1234, kStart);
    IdGenerator b(1234, kStart);
    const QStringList first = take(a, 5000);
    QCOMPARE(take(b, 5000), first);

    // A copy continues the same sequence (the demo generator hands its generator to the workspace by value).
    IdGenerator c = a;
    QCOMPARE(c.next(), a.next());

    // Same seed, different start: same random bits, but every id differs by its time.
    IdGenerator d(1234, kStart + 1000);
    const QString other = d.next();
    QVERIFY(other != first.first());
    QCOMPARE(timestampOf(other), kStart + 1000);
}

void TestIds::differentSeedsDiffer_data()
{
    QTest::addColumn<quint64>("seedA");
    QTest::addColumn<quint64>("seedB");
    QTest::newRow("1 vs 2") << quint64(1) << quint64(2);
    QTest::newRow("0 vs 1") << quint64(0) << quint64(1);
    QTest::newRow("1 vs 1+2^32") << quint64(1) << quint64(0x100000001ull);
    QTest::newRow("1 vs 2^32") << quint64(1) << quint64(0x100000000ull);
    QTest::newRow("high halves only") << quint64(0x0000000500000000ull) << quint64(0x0000000600000000ull);
}

void TestIds::differentSeedsDiffer()
{
    QFETCH(quint64, seedA);
    QFETCH(quint64, seedB);
    IdGenerator a(seedA, kStart);
    IdGenerator b(seedB, kStart);
    const QStringList idsA = take(a, 100);
    const QStringList idsB = take(b, 100);
    int equal = 0;
    for (int i = 0; i < 100; ++i)
        equal += idsA.at(i) == idsB.at(i);
    QCOMPARE(equal, 0);
}

void TestIds::isValidRejects_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("too short") << QStringLiteral("0190f5b2-7c1a-7000-8000-00000000000");
    QTest::newRow("too long") << QStringLiteral("0190f5b2-7c1a-7000-8000-0000000000000");
    QTest::newRow("upper case") << QStringLiteral("0190F5B2-7C1A-7000-8000-000000000000");
    QTest::newRow("no dashes") << QStringLiteral("0190f5b27c1a70008000000000000000abcd");
    QTest::newRow("dash moved") << QStringLiteral("0190f5b-27c1a-7000-8000-000000000000");
    QTest::newRow("not hex") << QStringLiteral("0190f5b2-7c1a-7000-8000-00000000000g");
    QTest::newRow("name") << QStringLiteral("Acme Corporation, a partner company!!");
}

void TestIds::isValidRejects()
{
    QFETCH(QString, id);
    QVERIFY(!IdGenerator::isValid(id));
}

QTEST_GUILESS_MAIN(TestIds)
#include "TestIds.moc"
