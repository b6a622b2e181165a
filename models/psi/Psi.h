#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <vector>

// Private set intersection (PSI) of account keys between two organizations, DH-based on ristretto255:
//   request (A):  H(a)^x for A's keys, shuffled and padded with random points;
//   respond (B):  A's points raised to y in the order received (shuffled under CountOnly), and H(b)^y, shuffled
//                 and padded;
//   finish  (A):  B's points raised to x, compared with A's H(a)^xy.
// A learns the intersection (or only its size); B learns A's set size up to the padding bucket and nothing else.
// H hashes to the group with a context that includes the exchange id, so points from one exchange are useless in
// another. The engine works on plain data; PsiFiles.h reads and writes the files. See docs/psi.md.
namespace ecotone::psi {

constexpr quint32 kProtocolVersion = 1;
constexpr int kPointBytes = 32;
constexpr int kScalarBytes = 32;
constexpr int kExchangeIdBytes = 16;
constexpr int kDigestBytes = 32;
constexpr qsizetype kMinimumBucket = 1024;

using Point = std::array<unsigned char, kPointBytes>;

enum class Mode : quint8
{
    Intersection = 0, // A learns which of its keys are shared
    CountOnly = 1,    // A learns only how many
};

QString modeName(Mode mode); // "intersection" or "count"

// What A sends to B.
struct Request
{
    quint32 version = kProtocolVersion;
    QByteArray exchangeId; // kExchangeIdBytes random bytes
    Mode mode = Mode::Intersection;
    std::vector<Point> elements; // H(a)^x, shuffled, padded to bucketSize()
};

// What B sends back.
struct Response
{
    quint32 version = kProtocolVersion;
    QByteArray exchangeId;
    Mode mode = Mode::Intersection;
    QByteArray requestDigest;    // digest() of the request's elements: binds the answer to that one request
    std::vector<Point> answered; // request elements ^y: same order as received, shuffled under CountOnly
    std::vector<Point> elements; // H(b)^y, shuffled, padded to bucketSize()
};

// A's secret side of one exchange. Never leaves A's machine; usable for one finish() only.
struct RequestState
{
    quint32 version = kProtocolVersion;
    QByteArray exchangeId;
    Mode mode = Mode::Intersection;
    QByteArray secret;         // kScalarBytes scalar x
    QByteArray requestDigest;  // digest() of the request this state belongs to
    QStringList keys;          // A's distinct keys
    std::vector<qint32> slots; // per request position: index into keys, or -1 for padding
    bool consumed = false;     // set by finish(); the secret is wiped
};

struct RequestResult
{
    Request request;
    RequestState state;
};

struct Outcome
{
    QByteArray exchangeId;
    Mode mode = Mode::Intersection;
    qsizetype count = 0;
    QStringList keys; // shared keys in A's order; empty under CountOnly
};

// Padded size for n elements: at least kMinimumBucket, otherwise the smallest m * 2^e >= n with 8 <= m <= 16, so
// padding costs at most 12.5 % and hides the exact size within that bucket.
qsizetype bucketSize(qsizetype n);

// Hash of a key to the group for one exchange (unblinded); exposed for tests that check nothing leaks.
Point hashToGroup(const QByteArray &exchangeId, const QString &key);

QByteArray digest(const std::vector<Point> &elements);

bool isValidPoint(const Point &point);

// Duplicate and empty keys are dropped (keys compare exactly: normalize before).
Result<RequestResult> createRequest(const QStringList &keys, Mode mode);
Result<Response> respond(const Request &request, const QStringList &keys);
// Refuses a response to another exchange or request, of another mode or version, with invalid points, or a state
// already used. On success the state is consumed (its secret wiped), so a response counts once.
Result<Outcome> finish(RequestState &state, const Response &response);

} // namespace ecotone::psi
