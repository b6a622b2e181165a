#pragma once

#include "attribution/AttributionModels.h"

#include <QBuffer>
#include <QRandomGenerator>

namespace ecotone::test {

// Journeys typed as "a > b" text with counts, the way the issue states its hand cases.
inline attribution::PathSet paths(const QList<std::tuple<QString, double, double, double>> &rows)
{
    attribution::PathSet set;
    for (const auto &[text, conversions, value, nulls] : rows) {
        attribution::Journey j;
        for (const QString &name : attribution::splitPath(text, QStringLiteral(">")))
            j.touches.push_back(set.partnerId(name));
        j.conversions = conversions;
        j.value = value;
        j.nulls = nulls;
        set.add(std::move(j));
    }
    set.aggregate();
    return set;
}

inline attribution::Credit creditOf(const attribution::PathSet &set, const std::vector<attribution::Credit> &credits,
                                    const QString &name)
{
    const int id = set.findPartner(name);
    return id < 0 ? attribution::Credit{} : credits[size_t(id)];
}

// Random journeys with times over `partners` partners named p0, p1, ...; lengths 1..maxLength.
inline attribution::PathSet randomJourneys(quint32 seed, int count, int partners, int maxLength, bool timed)
{
    QRandomGenerator rng(seed);
    attribution::PathSet set;
    for (int p = 0; p < partners; ++p)
        set.partnerId(QStringLiteral("p%1").arg(p));
    for (int i = 0; i < count; ++i) {
        attribution::Journey j;
        const int length = 1 + int(rng.bounded(maxLength));
        double age = rng.bounded(60.0);
        for (int t = 0; t < length; ++t) {
            j.touches.push_back(int(rng.bounded(partners)));
            if (timed)
                j.ages.insert(j.ages.begin(), age);
            age += rng.bounded(20.0);
        }
        if (rng.bounded(3) == 0) {
            j.conversions = 1 + rng.bounded(3);
            j.value = j.conversions * (100 + rng.bounded(900));
        } else {
            j.nulls = 1 + rng.bounded(4);
        }
        set.add(std::move(j));
    }
    set.aggregate();
    return set;
}

} // namespace ecotone::test
