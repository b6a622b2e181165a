#pragma once

// Small helpers the benchmark programs share.

#include <QFile>

namespace ecotone::bench {

// The one-minute load average (Linux), printed next to timings so a reader can judge them; -1 when unknown.
inline double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return f.readAll().split(' ').value(0).toDouble();
}

} // namespace ecotone::bench
