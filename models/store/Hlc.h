#pragma once

#include "domain/Result.h"

#include <QString>

#include <functional>

namespace ecotone {

// Hybrid logical clock: 48 bits of wall-clock milliseconds and a 16-bit counter packed in one int64, so
// timestamps order as plain integers. now() is strictly monotonic even when the wall clock steps back;
// receive() merges a remote timestamp so causally later local events order after it.
class Hlc
{
public:
    using WallClock = std::function<qint64()>; // milliseconds since the Unix epoch

    static constexpr qint64 kDefaultMaxDriftMs = 5 * 60 * 1000;

    explicit Hlc(WallClock clock = {});

    qint64 now();
    // Merges a remote timestamp; refuses one more than maxDriftMs ahead of the local wall clock.
    Result<qint64> receive(qint64 remote, qint64 maxDriftMs = kDefaultMaxDriftMs);
    // Raises the clock to at least ts without producing a new timestamp (used when a workspace is opened).
    void observe(qint64 ts);
    qint64 last() const { return m_last; }

    static qint64 pack(qint64 wallMs, quint32 counter) { return (wallMs << 16) | counter; }
    static qint64 wallOf(qint64 ts) { return ts >> 16; }
    static quint32 counterOf(qint64 ts) { return quint32(ts & 0xffff); }
    static QString toString(qint64 ts); // ISO time with counter, for people and logs

private:
    qint64 advance(qint64 floorWall, quint32 floorCounter);

    WallClock m_clock;
    qint64 m_last = 0;
};

} // namespace ecotone
