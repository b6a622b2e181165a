#pragma once

#include "domain/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

class QIODevice;

namespace ecotone::attribution {

// One journey (or many identical ones, aggregated): the partners that touched a deal, in time order, and what
// became of it. Partners are small integer ids into PathSet::partners.
struct Journey
{
    std::vector<int> touches;
    // Days from each touch to the conversion (or to the journey's end); empty when the source has no times
    // (a ChannelAttribution path file). Time decay needs them.
    std::vector<double> ages;
    int opportunityTouch = -1; // index of the touch that created the opportunity (W-shaped); -1: not known
    double conversions = 0;
    double value = 0;
    double nulls = 0; // journeys that ended without a conversion
};

// A problem in the input that was cleaned rather than refused (an empty partner name, an empty path).
struct PathWarning
{
    qint64 line = 0;
    QString message;
};

// Journeys over a set of partners. Models only read it; aggregate() merges identical journeys so that a million
// input rows cost as much as their distinct paths.
class PathSet
{
public:
    int partnerId(const QString &name); // adds the name when it is new
    int findPartner(const QString &name) const { return m_ids.value(name, -1); }
    const QStringList &partners() const { return m_partners; }
    int partnerCount() const { return int(m_partners.size()); }

    // Adds a journey; partner ids must come from partnerId(). Empty journeys are ignored (counted in dropped()).
    void add(Journey journey);
    // Merges journeys with the same touches and opportunity touch, and no ages. Keeps the first-seen order.
    void aggregate();

    const std::vector<Journey> &journeys() const { return m_journeys; }
    double totalConversions() const { return m_conversions; }
    double totalValue() const { return m_value; }
    double totalNulls() const { return m_nulls; }
    bool hasTimes() const; // every converting journey has one age per touch

    // Conversions, value and nulls of rows whose path was empty after cleaning: not credited to anyone.
    double droppedConversions() const { return m_droppedConversions; }
    double droppedValue() const { return m_droppedValue; }
    double droppedNulls() const { return m_droppedNulls; }
    void addDropped(double conversions, double value, double nulls);

    QList<PathWarning> warnings;
    qint64 rows = 0; // input rows read

private:
    QStringList m_partners;
    QHash<QString, int> m_ids;
    std::vector<Journey> m_journeys;
    double m_conversions = 0;
    double m_value = 0;
    double m_nulls = 0;
    double m_droppedConversions = 0;
    double m_droppedValue = 0;
    double m_droppedNulls = 0;
};

struct PathReadOptions
{
    // Between partners in a path. Names are split at the separator with surrounding spaces removed and then
    // trimmed, as ChannelAttribution does, so "a>b", "a > b" and "a  >b" are the same path.
    QString separator = QStringLiteral(">");
};

// Reads a ChannelAttribution path file: a CSV (delimiter , or ; detected, RFC 4180 quoting) with a header
// naming path, total_conversions and optionally total_conversion_value and total_null. Empty partner names and
// empty paths are cleaned and reported as warnings; a missing column or a bad number is an error naming the file
// and line. The result is aggregated.
Result<PathSet> readPathFile(const QString &fileName, const PathReadOptions &options = {});
Result<PathSet> readPaths(QIODevice *device, const QString &sourceName, const PathReadOptions &options = {});

// Reads a touchpoint CSV: one row per touch, columns journey, partner, at (ISO 8601), and optionally kind
// ("opportunity" marks the touch that created the opportunity), converted_at (ISO 8601; a journey converts when
// any of its rows has one) and value. Touches are ordered by time; ages are days to the conversion (or to the
// journey's last touch when it did not convert).
Result<PathSet> readTouchpointFile(const QString &fileName);
Result<PathSet> readTouchpoints(QIODevice *device, const QString &sourceName);

// The cleaned partner names of one path text (exposed for tests).
QStringList splitPath(const QString &path, const QString &separator);

} // namespace ecotone::attribution
