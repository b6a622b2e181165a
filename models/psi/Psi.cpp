#include "Psi.h"

#include <QCoreApplication>
#include <QSet>

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

namespace ecotone::psi {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::psi)
};

constexpr char kHashContext[] = "ecotone-psi-v1/hash-to-group";

bool initSodium()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

// Runs body(begin, end) over [0, n) on all cores (each exponentiation is independent).
void parallelFor(size_t n, const std::function<void(size_t, size_t)> &body)
{
    const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
    const size_t threads = n < 256 ? 1 : std::min<size_t>(cores, n);
    if (threads <= 1) {
        body(0, n);
        return;
    }
    std::vector<std::thread> pool;
    const size_t chunk = (n + threads - 1) / threads;
    for (size_t t = 1; t < threads; ++t) {
        const size_t begin = t * chunk;
        const size_t end = std::min(n, begin + chunk);
        if (begin < end)
            pool.emplace_back(body, begin, end);
    }
    body(0, std::min(n, chunk));
    for (std::thread &thread : pool)
        thread.join();
}

template <typename T> void shuffle(std::vector<T> &items)
{
    for (size_t i = items.size(); i > 1; --i) {
        const size_t j = randombytes_uniform(quint32(i));
        std::swap(items[i - 1], items[j]);
    }
}

Point randomPoint()
{
    Point p;
    crypto_core_ristretto255_random(p.data());
    return p;
}

// Raises every point to scalar in place; false if any input is not a valid point (or gives the identity).
bool exponentiate(std::vector<Point> &points, const QByteArray &scalar)
{
    std::atomic<bool> ok = true;
    const auto *s = reinterpret_cast<const unsigned char *>(scalar.constData());
    parallelFor(points.size(), [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            Point out;
            // Decodes the point first and fails on an invalid encoding (or an identity result).
            if (crypto_scalarmult_ristretto255(out.data(), s, points[i].data()) != 0) {
                ok = false;
                return;
            }
            points[i] = out;
        }
    });
    return ok;
}

QStringList distinctKeys(const QStringList &keys)
{
    QStringList out;
    QSet<QString> seen;
    seen.reserve(keys.size());
    for (const QString &k : keys) {
        if (k.isEmpty() || seen.contains(k))
            continue;
        seen.insert(k);
        out << k;
    }
    return out;
}

// H(k)^scalar for every key, computed in parallel.
std::vector<Point> blind(const QByteArray &exchangeId, const QStringList &keys, const QByteArray &scalar)
{
    std::vector<Point> points(size_t(keys.size()));
    const auto *s = reinterpret_cast<const unsigned char *>(scalar.constData());
    parallelFor(points.size(), [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const Point h = hashToGroup(exchangeId, keys[qsizetype(i)]);
            // Cannot fail: h is never the identity for a hash output, and s is non-zero.
            if (crypto_scalarmult_ristretto255(points[i].data(), s, h.data()) != 0)
                points[i] = randomPoint();
        }
    });
    return points;
}

QByteArray randomScalar()
{
    QByteArray s(kScalarBytes, Qt::Uninitialized);
    crypto_core_ristretto255_scalar_random(reinterpret_cast<unsigned char *>(s.data()));
    return s;
}

void wipe(QByteArray &secret)
{
    if (!secret.isEmpty())
        sodium_memzero(secret.data(), size_t(secret.size()));
    secret.clear();
}

bool allValid(const std::vector<Point> &points)
{
    return std::all_of(points.begin(), points.end(), isValidPoint);
}
} // namespace

QString modeName(Mode mode)
{
    return mode == Mode::CountOnly ? QStringLiteral("count") : QStringLiteral("intersection");
}

qsizetype bucketSize(qsizetype n)
{
    if (n <= kMinimumBucket)
        return kMinimumBucket;
    qsizetype step = 1;
    while (step * 16 < n)
        step *= 2;
    return (n + step - 1) / step * step;
}

Point hashToGroup(const QByteArray &exchangeId, const QString &key)
{
    initSodium();
    const QByteArray utf8 = key.toUtf8();
    const quint64 length = quint64(utf8.size());
    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i)
        lengthBytes[i] = static_cast<unsigned char>(length >> (8 * i));
    crypto_generichash_state state;
    unsigned char hash[crypto_core_ristretto255_HASHBYTES];
    crypto_generichash_init(&state, nullptr, 0, sizeof hash);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(kHashContext), sizeof kHashContext);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(exchangeId.constData()),
                              size_t(exchangeId.size()));
    crypto_generichash_update(&state, lengthBytes, sizeof lengthBytes);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(utf8.constData()), size_t(utf8.size()));
    crypto_generichash_final(&state, hash, sizeof hash);
    Point p;
    crypto_core_ristretto255_from_hash(p.data(), hash);
    return p;
}

QByteArray digest(const std::vector<Point> &elements)
{
    initSodium();
    QByteArray out(kDigestBytes, Qt::Uninitialized);
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, size_t(kDigestBytes));
    for (const Point &p : elements)
        crypto_generichash_update(&state, p.data(), p.size());
    crypto_generichash_final(&state, reinterpret_cast<unsigned char *>(out.data()), size_t(kDigestBytes));
    return out;
}

bool isValidPoint(const Point &point)
{
    initSodium();
    return crypto_core_ristretto255_is_valid_point(point.data()) == 1;
}

Result<RequestResult> createRequest(const QStringList &keys, Mode mode)
{
    if (!initSodium())
        return Error{Tr::tr("The cryptography library (libsodium) could not be initialized.")};
    RequestResult r;
    RequestState &state = r.state;
    state.mode = mode;
    state.exchangeId = QByteArray(kExchangeIdBytes, Qt::Uninitialized);
    randombytes_buf(state.exchangeId.data(), size_t(kExchangeIdBytes));
    state.secret = randomScalar();
    state.keys = distinctKeys(keys);

    const qsizetype padded = bucketSize(state.keys.size());
    std::vector<Point> blinded = blind(state.exchangeId, state.keys, state.secret);
    // Shuffle positions (real keys and padding alike) and remember which key each position holds.
    state.slots.resize(size_t(padded));
    for (qsizetype i = 0; i < padded; ++i)
        state.slots[size_t(i)] = i < state.keys.size() ? qint32(i) : -1;
    shuffle(state.slots);

    Request &req = r.request;
    req.exchangeId = state.exchangeId;
    req.mode = mode;
    req.elements.resize(size_t(padded));
    for (size_t i = 0; i < state.slots.size(); ++i)
        req.elements[i] = state.slots[i] >= 0 ? blinded[size_t(state.slots[i])] : randomPoint();
    state.requestDigest = digest(req.elements);
    return r;
}

Result<Response> respond(const Request &request, const QStringList &keys)
{
    if (!initSodium())
        return Error{Tr::tr("The cryptography library (libsodium) could not be initialized.")};
    if (request.version != kProtocolVersion)
        return Error{Tr::tr("The request uses PSI protocol version %1; this version of Ecotone speaks version %2.")
                         .arg(request.version)
                         .arg(kProtocolVersion)};
    if (request.exchangeId.size() != kExchangeIdBytes)
        return Error{Tr::tr("The request has no valid exchange id.")};
    if (request.elements.empty())
        return Error{Tr::tr("The request holds no elements.")};

    QByteArray secret = randomScalar();
    Response r;
    r.exchangeId = request.exchangeId;
    r.mode = request.mode;
    r.requestDigest = digest(request.elements);
    r.answered = request.elements;
    if (!exponentiate(r.answered, secret)) {
        wipe(secret);
        return Error{Tr::tr("The request holds data that is not a valid group element; it was refused.")};
    }
    if (request.mode == Mode::CountOnly)
        shuffle(r.answered);

    const QStringList distinct = distinctKeys(keys);
    r.elements = blind(request.exchangeId, distinct, secret);
    wipe(secret);
    const qsizetype padded = bucketSize(distinct.size());
    r.elements.reserve(size_t(padded));
    while (qsizetype(r.elements.size()) < padded)
        r.elements.push_back(randomPoint());
    shuffle(r.elements);
    return r;
}

Result<Outcome> finish(RequestState &state, const Response &response)
{
    if (!initSodium())
        return Error{Tr::tr("The cryptography library (libsodium) could not be initialized.")};
    // A wiped secret (all zero, as a used state is written) counts as used too.
    if (state.consumed || state.secret.size() != kScalarBytes ||
        sodium_is_zero(reinterpret_cast<const unsigned char *>(state.secret.constData()), size_t(kScalarBytes)))
        return Error{Tr::tr("This request state has already been used: each exchange can be finished once.")};
    if (response.version != kProtocolVersion)
        return Error{Tr::tr("The response uses PSI protocol version %1; this version of Ecotone speaks version %2.")
                         .arg(response.version)
                         .arg(kProtocolVersion)};
    if (response.exchangeId != state.exchangeId)
        return Error{
            Tr::tr("The response belongs to exchange %1, not to this exchange (%2).")
                .arg(QString::fromLatin1(response.exchangeId.toHex()), QString::fromLatin1(state.exchangeId.toHex()))};
    if (response.requestDigest != state.requestDigest)
        return Error{Tr::tr("The response answers another request than the one made for this exchange.")};
    if (response.mode != state.mode)
        return Error{Tr::tr("The response is for mode \"%1\" but the request asked for \"%2\".")
                         .arg(modeName(response.mode), modeName(state.mode))};
    if (response.answered.size() != state.slots.size())
        return Error{Tr::tr("The response answers %1 elements but the request sent %2.")
                         .arg(response.answered.size())
                         .arg(state.slots.size())};
    if (!allValid(response.answered))
        return Error{Tr::tr("The response holds data that is not a valid group element; it was refused.")};

    std::vector<Point> theirs = response.elements;
    if (!exponentiate(theirs, state.secret))
        return Error{Tr::tr("The response holds data that is not a valid group element; it was refused.")};
    std::sort(theirs.begin(), theirs.end());

    Outcome outcome;
    outcome.exchangeId = state.exchangeId;
    outcome.mode = state.mode;
    if (state.mode == Mode::CountOnly) {
        for (const Point &p : response.answered)
            if (std::binary_search(theirs.begin(), theirs.end(), p))
                ++outcome.count;
    } else {
        std::vector<bool> shared(size_t(state.keys.size()), false);
        for (size_t i = 0; i < response.answered.size(); ++i) {
            const qint32 slot = state.slots[i];
            if (slot >= 0 && std::binary_search(theirs.begin(), theirs.end(), response.answered[i]))
                shared[size_t(slot)] = true;
        }
        for (qsizetype k = 0; k < state.keys.size(); ++k)
            if (shared[size_t(k)])
                outcome.keys << state.keys[k];
        outcome.count = outcome.keys.size();
    }
    wipe(state.secret);
    state.consumed = true;
    return outcome;
}

} // namespace ecotone::psi
