#pragma once

#include <QRandomGenerator>
#include <QString>

namespace ecotone {

// Client-side record ids: UUIDv7 text (time-ordered, so new rows append to the B-trees instead of landing at
// random pages). Ids from one generator are strictly increasing. A seeded generator with a fixed start time
// gives reproducible ids, which the demo ecosystem needs to be deterministic.
class IdGenerator
{
public:
    IdGenerator(); // random, wall-clock based
    IdGenerator(quint64 seed, qint64 startMs);

    QString next();

    static bool isValid(const QString &id);

private:
    QRandomGenerator m_random;
    qint64 m_lastMs = 0;
    quint32 m_sequence = 0;
    bool m_fixedClock = false;
};

} // namespace ecotone
