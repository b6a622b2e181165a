#include "Ids.h"

#include <QDateTime>

namespace ecotone {

IdGenerator::IdGenerator()
    : m_random(QRandomGenerator::securelySeeded())
{}

namespace {
// Both halves of the seed: folding it into one 32-bit word gave seeds like 1 and 2^32 the same ids.
QRandomGenerator seeded(quint64 seed)
{
    const quint32 words[2] = {quint32(seed), quint32(seed >> 32)};
    return QRandomGenerator(words);
}
} // namespace

IdGenerator::IdGenerator(quint64 seed, qint64 startMs)
    : m_random(seeded(seed))
    , m_lastMs(startMs)
    , m_fixedClock(true)
{}

QString IdGenerator::next()
{
    // 48-bit ms | version 7 | 12-bit sequence | variant | 62 random bits. The sequence keeps ids from one
    // generator ordered within a millisecond; when it runs out we step the millisecond forward.
    if (!m_fixedClock) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now > m_lastMs) {
            m_lastMs = now;
            m_sequence = 0;
        } else if (++m_sequence > 0xfff) {
            ++m_lastMs;
            m_sequence = 0;
        }
    } else if (++m_sequence > 0xfff) {
        ++m_lastMs;
        m_sequence = 0;
    }
    const quint64 hi = (quint64(m_lastMs) << 16) | 0x7000u | m_sequence;
    const quint64 lo = (m_random.generate64() & 0x3fffffffffffffffull) | 0x8000000000000000ull;

    static const char hex[] = "0123456789abcdef";
    QString out(36, Qt::Uninitialized);
    QChar *p = out.data();
    auto put = [&p](quint64 v, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i)
            *p++ = QLatin1Char(hex[(v >> (i * 4)) & 0xf]);
    };
    put(hi >> 32, 8);
    *p++ = QLatin1Char('-');
    put((hi >> 16) & 0xffff, 4);
    *p++ = QLatin1Char('-');
    put(hi & 0xffff, 4);
    *p++ = QLatin1Char('-');
    put(lo >> 48, 4);
    *p++ = QLatin1Char('-');
    put(lo & 0xffffffffffffull, 12);
    return out;
}

bool IdGenerator::isValid(const QString &id)
{
    if (id.size() != 36)
        return false;
    for (int i = 0; i < 36; ++i) {
        const QChar c = id.at(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != QLatin1Char('-'))
                return false;
        } else if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                     (c >= QLatin1Char('a') && c <= QLatin1Char('f')))) {
            return false;
        }
    }
    return true;
}

} // namespace ecotone
