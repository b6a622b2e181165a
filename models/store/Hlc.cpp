#include "Hlc.h"

#include <QCoreApplication>
#include <QDateTime>

namespace ecotone {

Hlc::Hlc(WallClock clock)
    : m_clock(clock ? std::move(clock) : WallClock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

qint64 Hlc::advance(qint64 floorWall, quint32 floorCounter)
{
    const qint64 wall = m_clock();
    if (wall > floorWall) {
        m_last = pack(wall, 0);
    } else if (floorCounter < 0xffff) {
        m_last = pack(floorWall, floorCounter + 1);
    } else {
        // Counter exhausted within one millisecond: borrow the next millisecond rather than wrap.
        m_last = pack(floorWall + 1, 0);
    }
    return m_last;
}

qint64 Hlc::now()
{
    return advance(wallOf(m_last), counterOf(m_last));
}

Result<qint64> Hlc::receive(qint64 remote, qint64 maxDriftMs)
{
    const qint64 wall = m_clock();
    if (wallOf(remote) > wall + maxDriftMs) {
        return Error{QCoreApplication::translate("ecotone::Hlc",
                                                 "The timestamp %1 is more than %2 s ahead of this computer's clock.")
                         .arg(toString(remote))
                         .arg(maxDriftMs / 1000)};
    }
    const qint64 floor = std::max(m_last, remote);
    return advance(wallOf(floor), counterOf(floor));
}

void Hlc::observe(qint64 ts)
{
    m_last = std::max(m_last, ts);
}

QString Hlc::toString(qint64 ts)
{
    return QDateTime::fromMSecsSinceEpoch(wallOf(ts), Qt::UTC).toString(Qt::ISODateWithMs) + QLatin1Char('#') +
           QString::number(counterOf(ts));
}

} // namespace ecotone
