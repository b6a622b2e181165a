// The PSI engine and its file formats, on plain data: correctness, count-only, padding, one-time use, refusal of
// foreign responses and invalid points, and checks that nothing unblinded leaves either side.
#include "psi/Psi.h"
#include "psi/PsiFiles.h"

#include <QSet>
#include <QTest>

#include <sodium.h>

#include <algorithm>

using namespace ecotone;
using namespace ecotone::psi;

namespace {
struct Sets
{
    QStringList a;
    QStringList b;
    QSet<QString> shared;
};

// A has aOnly + shared keys, B has bOnly + shared; the two lists are in unrelated orders.
Sets makeSets(int aOnly, int bOnly, int shared, const QString &tag = QStringLiteral("x"))
{
    Sets s;
    for (int i = 0; i < shared; ++i) {
        const QString k = QStringLiteral("shared-%1-%2.example").arg(tag).arg(i);
        s.a << k;
        s.b << k;
        s.shared.insert(k);
    }
    for (int i = 0; i < aOnly; ++i)
        s.a << QStringLiteral("a-only-%1-%2.example").arg(tag).arg(i);
    for (int i = 0; i < bOnly; ++i)
        s.b << QStringLiteral("name:b only %1 %2|DE").arg(tag).arg(i);
    std::reverse(s.b.begin(), s.b.end());
    return s;
}

Point invalidPoint()
{
    Point p;
    p.fill(0xff); // not a canonical encoding
    return p;
}

bool contains(const std::vector<Point> &points, const Point &p)
{
    return std::find(points.begin(), points.end(), p) != points.end();
}
} // namespace

class TestPsi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }
    void bucketSizes();
    void intersection();
    void duplicatesAndEmptyKeys();
    void countOnly();
    void paddingHidesSizes();
    void responseUsableOnce();
    void foreignResponseRefused();
    void invalidPointsRefused();
    void nothingUnblindedLeaks();
    void filesRoundTrip();
    void malformedFiles_data();
    void malformedFiles();
};

void TestPsi::bucketSizes()
{
    QCOMPARE(bucketSize(0), kMinimumBucket);
    QCOMPARE(bucketSize(1024), qsizetype(1024));
    QCOMPARE(bucketSize(1025), qsizetype(1152));
    QCOMPARE(bucketSize(100000), qsizetype(106496));
    for (qsizetype n : {1, 1000, 1025, 3000, 70000, 100000, 1000000}) {
        const qsizetype b = bucketSize(n);
        QVERIFY(b >= n);
        QVERIFY(b >= kMinimumBucket);
        if (n > kMinimumBucket)
            QVERIFY2(double(b) <= double(n) * 1.125 + 1, qPrintable(QString::number(n)));
    }
}

void TestPsi::intersection()
{
    const Sets s = makeSets(2600, 2100, 400);
    auto req = createRequest(s.a, Mode::Intersection);
    QVERIFY2(req, qPrintable(req.error()));
    auto resp = respond(req->request, s.b);
    QVERIFY2(resp, qPrintable(resp.error()));
    RequestState state = req->state;
    auto outcome = finish(state, resp.value());
    QVERIFY2(outcome, qPrintable(outcome.error()));
    QCOMPARE(outcome->mode, Mode::Intersection);
    QCOMPARE(outcome->count, qsizetype(400));
    QCOMPARE(QSet<QString>(outcome->keys.begin(), outcome->keys.end()), s.shared);
    QCOMPARE(outcome->exchangeId, req->request.exchangeId);

    // Disjoint sets: nothing in common.
    const Sets d = makeSets(500, 500, 0, QStringLiteral("d"));
    auto req2 = createRequest(d.a, Mode::Intersection);
    QVERIFY(req2);
    auto resp2 = respond(req2->request, d.b);
    QVERIFY(resp2);
    RequestState state2 = req2->state;
    auto outcome2 = finish(state2, resp2.value());
    QVERIFY(outcome2);
    QCOMPARE(outcome2->count, qsizetype(0));
    QVERIFY(outcome2->keys.isEmpty());
}

void TestPsi::duplicatesAndEmptyKeys()
{
    const QStringList a = {QStringLiteral("acme.com"), QStringLiteral("acme.com"), QString(),
                           QStringLiteral("globex.com")};
    const QStringList b = {QStringLiteral("acme.com"), QString(), QStringLiteral("initech.com")};
    auto req = createRequest(a, Mode::Intersection);
    QVERIFY(req);
    QCOMPARE(req->state.keys, (QStringList{QStringLiteral("acme.com"), QStringLiteral("globex.com")}));
    auto resp = respond(req->request, b);
    QVERIFY(resp);
    RequestState state = req->state;
    auto outcome = finish(state, resp.value());
    QVERIFY(outcome);
    QCOMPARE(outcome->keys, QStringList{QStringLiteral("acme.com")});
}

void TestPsi::countOnly()
{
    const Sets s = makeSets(2600, 2100, 400);
    auto req = createRequest(s.a, Mode::CountOnly);
    QVERIFY(req);
    QCOMPARE(req->request.mode, Mode::CountOnly);
    auto resp = respond(req->request, s.b);
    QVERIFY(resp);
    QCOMPARE(resp->mode, Mode::CountOnly);
    RequestState copy = req->state; // keeps the secret for the check below
    RequestState state = req->state;
    auto outcome = finish(state, resp.value());
    QVERIFY2(outcome, qPrintable(outcome.error()));
    QCOMPARE(outcome->mode, Mode::CountOnly);
    QCOMPARE(outcome->count, qsizetype(400));
    QVERIFY(outcome->keys.isEmpty());

    // Even with its secret, A cannot map the answers back to its keys: the answered points are shuffled, so the
    // positions that match B's set hold shared keys only at chance level (about 13 % here), not all 400.
    std::vector<Point> theirs = resp->elements;
    const auto *x = reinterpret_cast<const unsigned char *>(copy.secret.constData());
    for (Point &p : theirs)
        QCOMPARE(crypto_scalarmult_ristretto255(p.data(), x, p.data()), 0);
    std::sort(theirs.begin(), theirs.end());
    int matched = 0, mappedRight = 0;
    for (size_t i = 0; i < resp->answered.size(); ++i) {
        if (!std::binary_search(theirs.begin(), theirs.end(), resp->answered[i]))
            continue;
        ++matched;
        const qint32 slot = copy.slots[i];
        if (slot >= 0 && s.shared.contains(copy.keys[slot]))
            ++mappedRight;
    }
    QCOMPARE(matched, 400);
    QVERIFY2(mappedRight < 150, qPrintable(QString::number(mappedRight)));

    // The same check in intersection mode maps every match back (so the check above can fail).
    auto req2 = createRequest(s.a, Mode::Intersection);
    QVERIFY(req2);
    auto resp2 = respond(req2->request, s.b);
    QVERIFY(resp2);
    std::vector<Point> theirs2 = resp2->elements;
    const auto *x2 = reinterpret_cast<const unsigned char *>(req2->state.secret.constData());
    for (Point &p : theirs2)
        QCOMPARE(crypto_scalarmult_ristretto255(p.data(), x2, p.data()), 0);
    std::sort(theirs2.begin(), theirs2.end());
    int right2 = 0;
    for (size_t i = 0; i < resp2->answered.size(); ++i)
        if (std::binary_search(theirs2.begin(), theirs2.end(), resp2->answered[i]) && req2->state.slots[i] >= 0 &&
            s.shared.contains(req2->state.keys[req2->state.slots[i]]))
            ++right2;
    QCOMPARE(right2, 400);
}

void TestPsi::paddingHidesSizes()
{
    // Two requesters of 1100 and 1150 keys send the same number of elements; so do two responders.
    const Sets s1 = makeSets(1100, 1100, 0, QStringLiteral("p1"));
    const Sets s2 = makeSets(1150, 1150, 0, QStringLiteral("p2"));
    auto r1 = createRequest(s1.a, Mode::Intersection);
    auto r2 = createRequest(s2.a, Mode::Intersection);
    QVERIFY(r1 && r2);
    QCOMPARE(r1->request.elements.size(), size_t(1152));
    QCOMPARE(r2->request.elements.size(), r1->request.elements.size());
    auto resp1 = respond(r1->request, s1.b);
    auto resp2 = respond(r1->request, s2.b);
    QVERIFY(resp1 && resp2);
    QCOMPARE(resp1->elements.size(), size_t(1152));
    QCOMPARE(resp2->elements.size(), resp1->elements.size());
    QCOMPARE(resp1->answered.size(), r1->request.elements.size());

    // A tiny set is padded to the minimum bucket; padding points are valid and all distinct.
    auto tiny = createRequest({QStringLiteral("one.example")}, Mode::Intersection);
    QVERIFY(tiny);
    QCOMPARE(qsizetype(tiny->request.elements.size()), kMinimumBucket);
    QVERIFY(std::all_of(tiny->request.elements.begin(), tiny->request.elements.end(), isValidPoint));
    std::vector<Point> sorted = tiny->request.elements;
    std::sort(sorted.begin(), sorted.end());
    QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    QCOMPARE(std::count(tiny->state.slots.begin(), tiny->state.slots.end(), -1), kMinimumBucket - 1);
}

void TestPsi::responseUsableOnce()
{
    const Sets s = makeSets(300, 300, 50);
    auto req = createRequest(s.a, Mode::Intersection);
    QVERIFY(req);
    auto resp = respond(req->request, s.b);
    QVERIFY(resp);
    RequestState state = req->state;
    QVERIFY(finish(state, resp.value()));
    QVERIFY(state.consumed);
    QVERIFY(state.secret.isEmpty());
    auto again = finish(state, resp.value());
    QVERIFY(!again);
    QVERIFY2(again.error().contains(QStringLiteral("already been used")), qPrintable(again.error()));

    // The consumed state written to a file and read back is still refused.
    auto decoded = decodeState(encodeState({state, {}}), QStringLiteral("state.psikey"));
    QVERIFY(decoded);
    RequestState reread = decoded->state;
    QVERIFY(!finish(reread, resp.value()));
}

void TestPsi::foreignResponseRefused()
{
    const Sets s = makeSets(300, 300, 50);
    auto req1 = createRequest(s.a, Mode::Intersection);
    auto req2 = createRequest(s.a, Mode::Intersection);
    QVERIFY(req1 && req2);
    QVERIFY(req1->request.exchangeId != req2->request.exchangeId);
    auto resp2 = respond(req2->request, s.b);
    QVERIFY(resp2);

    RequestState state = req1->state;
    auto foreign = finish(state, resp2.value());
    QVERIFY(!foreign);
    QVERIFY2(foreign.error().contains(QString::fromLatin1(req2->request.exchangeId.toHex())),
             qPrintable(foreign.error()));
    QVERIFY(!state.consumed); // a foreign response does not burn the exchange

    // Same exchange id but the answer to other elements: refused by the request digest.
    Response forged = resp2.value();
    forged.exchangeId = req1->request.exchangeId;
    auto wrongRequest = finish(state, forged);
    QVERIFY(!wrongRequest);
    QVERIFY2(wrongRequest.error().contains(QStringLiteral("another request")), qPrintable(wrongRequest.error()));

    // A responder that switches the mode is refused.
    auto resp1 = respond(req1->request, s.b);
    QVERIFY(resp1);
    Response switched = resp1.value();
    switched.mode = Mode::CountOnly;
    auto wrongMode = finish(state, switched);
    QVERIFY(!wrongMode);
    QVERIFY2(wrongMode.error().contains(QStringLiteral("mode")), qPrintable(wrongMode.error()));

    // A truncated answer is refused; the genuine response still works afterwards.
    Response shortAnswer = resp1.value();
    shortAnswer.answered.pop_back();
    QVERIFY(!finish(state, shortAnswer));
    auto ok = finish(state, resp1.value());
    QVERIFY2(ok, qPrintable(ok.error()));
    QCOMPARE(ok->count, qsizetype(50));
}

void TestPsi::invalidPointsRefused()
{
    QVERIFY(!isValidPoint(invalidPoint()));
    const Sets s = makeSets(100, 100, 10);
    auto req = createRequest(s.a, Mode::Intersection);
    QVERIFY(req);

    Request bad = req->request;
    bad.elements[17] = invalidPoint();
    auto refused = respond(bad, s.b);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QStringLiteral("not a valid group element")), qPrintable(refused.error()));

    // The file reader refuses it too, naming the element.
    auto decoded = decodeRequest(encodeRequest(bad), QStringLiteral("bad.psi"));
    QVERIFY(!decoded);
    QVERIFY2(decoded.error().contains(QStringLiteral("bad.psi")) && decoded.error().contains(QStringLiteral("18")),
             qPrintable(decoded.error()));

    auto resp = respond(req->request, s.b);
    QVERIFY(resp);
    for (int which = 0; which < 2; ++which) {
        Response r = resp.value();
        (which == 0 ? r.answered : r.elements)[5] = invalidPoint();
        RequestState state = req->state;
        auto f = finish(state, r);
        QVERIFY(!f);
        QVERIFY2(f.error().contains(QStringLiteral("not a valid group element")), qPrintable(f.error()));
        QVERIFY(!decodeResponse(encodeResponse(r), QStringLiteral("r.psi")));
    }
}

void TestPsi::nothingUnblindedLeaks()
{
    const Sets s = makeSets(400, 400, 100);
    auto req = createRequest(s.a, Mode::Intersection);
    QVERIFY(req);
    auto resp = respond(req->request, s.b);
    QVERIFY(resp);
    const QByteArray id = req->request.exchangeId;
    const QByteArray requestBytes = encodeRequest(req->request);
    const QByteArray responseBytes = encodeResponse(resp.value());

    // No unblinded hash of either side's keys is sent.
    for (const QString &k : s.a)
        QVERIFY(!contains(req->request.elements, hashToGroup(id, k)));
    for (const QString &k : s.b) {
        const Point h = hashToGroup(id, k);
        QVERIFY(!contains(resp->elements, h));
        QVERIFY(!contains(resp->answered, h));
    }
    // Nor the keys themselves.
    for (const QString &k : s.a.mid(0, 50) + s.b.mid(0, 50)) {
        QVERIFY(!requestBytes.contains(k.toUtf8()));
        QVERIFY(!responseBytes.contains(k.toUtf8()));
    }
    // B's shared keys do not show up as A's request elements either (no x=1 or y=1 degenerate blinding).
    QVERIFY(!contains(resp->answered, req->request.elements.front()));

    // The same keys in two exchanges give unrelated points (a request cannot be linked to an earlier one).
    auto other = createRequest(s.a, Mode::Intersection);
    QVERIFY(other);
    std::vector<Point> first = req->request.elements, second = other->request.elements;
    std::sort(first.begin(), first.end());
    std::sort(second.begin(), second.end());
    std::vector<Point> common;
    std::set_intersection(first.begin(), first.end(), second.begin(), second.end(), std::back_inserter(common));
    QVERIFY(common.empty());
    QVERIFY(hashToGroup(id, s.a.first()) != hashToGroup(other->request.exchangeId, s.a.first()));
}

void TestPsi::filesRoundTrip()
{
    const Sets s = makeSets(100, 100, 10);
    auto req = createRequest(s.a, Mode::CountOnly);
    QVERIFY(req);
    auto r = decodeRequest(encodeRequest(req->request), QStringLiteral("q"));
    QVERIFY2(r, qPrintable(r.error()));
    QCOMPARE(r->exchangeId, req->request.exchangeId);
    QCOMPARE(r->mode, Mode::CountOnly);
    QVERIFY(r->elements == req->request.elements);

    auto resp = respond(r.value(), s.b);
    QVERIFY(resp);
    auto p = decodeResponse(encodeResponse(resp.value()), QStringLiteral("r"));
    QVERIFY2(p, qPrintable(p.error()));
    QVERIFY(p->answered == resp->answered);
    QVERIFY(p->elements == resp->elements);
    QCOMPARE(p->requestDigest, resp->requestDigest);

    StateFile file{req->state, {{QStringLiteral("001"), QStringLiteral("Acmé"), s.a.first()}}};
    auto st = decodeState(encodeState(file), QStringLiteral("s"));
    QVERIFY2(st, qPrintable(st.error()));
    QCOMPARE(st->state.secret, req->state.secret);
    QCOMPARE(st->state.keys, req->state.keys);
    QVERIFY(st->state.slots == req->state.slots);
    QCOMPARE(st->records.size(), 1);
    QCOMPARE(st->records.first().name, QStringLiteral("Acmé"));

    auto outcome = finish(st.value().state, p.value());
    QVERIFY2(outcome, qPrintable(outcome.error()));
    QCOMPARE(outcome->count, qsizetype(10));
}

void TestPsi::malformedFiles_data()
{
    QTest::addColumn<int>("kind"); // 0 request, 1 response, 2 state
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    const Sets s = makeSets(20, 20, 5);
    auto req = createRequest(s.a, Mode::Intersection);
    auto resp = respond(req->request, s.b);
    const QByteArray q = encodeRequest(req->request);
    const QByteArray r = encodeResponse(resp.value());
    const QByteArray st = encodeState({req->state, {}});
    QByteArray wrongVersion = q;
    wrongVersion[11] = 9;
    QByteArray wrongMode = q;
    wrongMode[8 + 4 + 16] = 7;

    QTest::newRow("empty request") << 0 << QByteArray() << QStringLiteral("empty");
    QTest::newRow("not psi") << 0 << QByteArray("Id,Name\n1,Acme\n") << QStringLiteral("header");
    QTest::newRow("response as request") << 0 << r << QStringLiteral("is a PSI response file");
    QTest::newRow("request as response") << 1 << q << QStringLiteral("is a PSI request file");
    QTest::newRow("wrong version") << 0 << wrongVersion << QStringLiteral("version 9");
    QTest::newRow("unknown mode") << 0 << wrongMode << QStringLiteral("unknown mode");
    QTest::newRow("truncated header") << 0 << q.left(10) << QStringLiteral("truncated");
    QTest::newRow("truncated request") << 0 << q.left(q.size() - 5) << QStringLiteral("truncated");
    QTest::newRow("truncated response") << 1 << r.left(r.size() / 2) << QStringLiteral("truncated");
    QTest::newRow("truncated state") << 2 << st.left(st.size() - 1) << QStringLiteral("truncated");
    QTest::newRow("trailing bytes") << 1 << r + "xx" << QStringLiteral("unexpected bytes");
    QByteArray huge = q.left(8 + 4 + 16 + 1) + QByteArray("\x7f\xff\xff\xff", 4);
    QTest::newRow("huge count") << 0 << huge << QStringLiteral("larger than");
}

void TestPsi::malformedFiles()
{
    QFETCH(int, kind);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString name = QStringLiteral("/tmp/partner/file.psi");
    QString error;
    if (kind == 0)
        error = decodeRequest(bytes, name).error();
    else if (kind == 1)
        error = decodeResponse(bytes, name).error();
    else
        error = decodeState(bytes, name).error();
    QVERIFY2(error.contains(name), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPsi)
#include "TestPsi.moc"
