#include "attribution/AttributionPaths.h"

#include "mapping/Csv.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Paths)
};

struct TouchesHash
{
    size_t operator()(const std::vector<int> &v) const noexcept
    {
        quint64 h = 1469598103934665603ull;
        for (const int x : v)
            h = (h ^ quint64(quint32(x))) * 1099511628211ull;
        return size_t(h ^ (h >> 29));
    }
};

Error lineError(const QString &source, qint64 line, const QString &message)
{
    return Error{Tr::tr("%1, line %2: %3").arg(source).arg(line).arg(message)};
}

// A count or amount: empty is 0; negative, NaN or text is an error.
bool parseNumber(const QString &text, double *value)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        *value = 0;
        return true;
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < 0)
        return false;
    *value = v;
    return true;
}

QString fold(const QString &header)
{
    return header.trimmed().toLower();
}
} // namespace

int PathSet::partnerId(const QString &name)
{
    auto it = m_ids.constFind(name);
    if (it != m_ids.constEnd())
        return it.value();
    const int id = int(m_partners.size());
    m_partners << name;
    m_ids.insert(name, id);
    return id;
}

void PathSet::add(Journey journey)
{
    if (journey.touches.empty()) {
        addDropped(journey.conversions, journey.value, journey.nulls);
        return;
    }
    m_conversions += journey.conversions;
    m_value += journey.value;
    m_nulls += journey.nulls;
    m_journeys.push_back(std::move(journey));
}

void PathSet::addDropped(double conversions, double value, double nulls)
{
    m_droppedConversions += conversions;
    m_droppedValue += value;
    m_droppedNulls += nulls;
}

bool PathSet::hasTimes() const
{
    for (const Journey &j : m_journeys)
        if (j.conversions > 0 && j.ages.size() != j.touches.size())
            return false;
    return true;
}

void PathSet::aggregate()
{
    // The opportunity touch is part of the key (appended), so W-shaped sees the same journeys after merging.
    std::unordered_map<std::vector<int>, size_t, TouchesHash> index;
    index.reserve(m_journeys.size());
    std::vector<Journey> merged;
    merged.reserve(m_journeys.size() / 2 + 16);
    std::vector<int> key;
    for (Journey &j : m_journeys) {
        if (!j.ages.empty()) {
            merged.push_back(std::move(j)); // timed journeys stay apart: their ages differ
            continue;
        }
        key.assign(j.touches.begin(), j.touches.end());
        key.push_back(j.opportunityTouch);
        auto [it, inserted] = index.try_emplace(key, merged.size());
        if (inserted) {
            merged.push_back(std::move(j));
        } else {
            Journey &into = merged[it->second];
            into.conversions += j.conversions;
            into.value += j.value;
            into.nulls += j.nulls;
        }
    }
    m_journeys = std::move(merged);
}

QStringList splitPath(const QString &path, const QString &separator)
{
    const QString core = separator.trimmed().isEmpty() ? separator : separator.trimmed();
    QStringList names;
    if (core.isEmpty()) {
        const QString one = path.simplified();
        if (!one.isEmpty())
            names << one;
        return names;
    }
    for (const QString &part : path.split(core)) {
        const QString name = part.simplified();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

Result<PathSet> readPaths(QIODevice *device, const QString &sourceName, const PathReadOptions &options)
{
    if (options.separator.isEmpty())
        return Error{Tr::tr("The path separator must not be empty.")};
    CsvReader reader(device, sourceName);
    QStringList fields;
    if (!reader.next(fields)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("%1 is empty: a path file starts with a header line (path, total_conversions, "
                            "total_conversion_value, total_null).")
                         .arg(sourceName)};
    }
    if (reader.delimiter() != QLatin1Char(',') && reader.delimiter() != QLatin1Char(';') && fields.size() > 1)
        return lineError(sourceName, 1, Tr::tr("columns must be separated by , or ;"));
    int pathColumn = -1, conversionsColumn = -1, valueColumn = -1, nullColumn = -1;
    for (int i = 0; i < fields.size(); ++i) {
        QString h = fold(fields.at(i));
        if (i == 0 && h.startsWith(QChar(0xfeff)))
            h.remove(0, 1);
        if (h == QLatin1String("path"))
            pathColumn = i;
        else if (h == QLatin1String("total_conversions"))
            conversionsColumn = i;
        else if (h == QLatin1String("total_conversion_value"))
            valueColumn = i;
        else if (h == QLatin1String("total_null"))
            nullColumn = i;
    }
    if (pathColumn < 0 || conversionsColumn < 0)
        return lineError(sourceName, reader.recordLine(),
                         Tr::tr("the header must name the columns path and total_conversions (found: %1)")
                             .arg(fields.join(QStringLiteral(", "))));
    PathSet set;
    auto number = [&](int column, const char *name, double *value) -> Status {
        if (column < 0) {
            *value = 0;
            return Status::success();
        }
        const QString text = fields.value(column);
        if (!parseNumber(text, value))
            return lineError(sourceName, reader.recordLine(),
                             Tr::tr("%1 \"%2\" is not a number of at least 0").arg(QLatin1String(name), text));
        return Status::success();
    };
    while (reader.next(fields)) {
        if (fields.size() == 1 && fields.first().trimmed().isEmpty())
            continue; // a blank line
        ++set.rows;
        Journey j;
        Status s = number(conversionsColumn, "total_conversions", &j.conversions);
        if (s)
            s = number(valueColumn, "total_conversion_value", &j.value);
        if (s)
            s = number(nullColumn, "total_null", &j.nulls);
        if (!s)
            return Error{s.error()};
        const QString text = fields.value(pathColumn);
        const QStringList names = splitPath(text, options.separator);
        const QStringList raw =
            text.split(options.separator.trimmed().isEmpty() ? options.separator : options.separator.trimmed());
        if (names.isEmpty()) {
            set.warnings << PathWarning{reader.recordLine(),
                                        Tr::tr("empty path: its %1 conversion(s) and %2 null(s) are not credited")
                                            .arg(j.conversions)
                                            .arg(j.nulls)};
            set.addDropped(j.conversions, j.value, j.nulls);
            continue;
        }
        if (names.size() != raw.size())
            set.warnings << PathWarning{reader.recordLine(),
                                        Tr::tr("empty partner names removed from \"%1\"").arg(text)};
        j.touches.reserve(size_t(names.size()));
        for (const QString &n : names)
            j.touches.push_back(set.partnerId(n));
        set.add(std::move(j));
    }
    if (reader.atError())
        return Error{reader.error()};
    set.aggregate();
    return set;
}

Result<PathSet> readPathFile(const QString &fileName, const PathReadOptions &options)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read %1: %2").arg(fileName, file.errorString())};
    return readPaths(&file, fileName, options);
}

Result<PathSet> readTouchpoints(QIODevice *device, const QString &sourceName)
{
    CsvReader reader(device, sourceName);
    QStringList fields;
    if (!reader.next(fields)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("%1 is empty: a touchpoint file starts with a header line (journey, partner, at, kind, "
                            "converted_at, value).")
                         .arg(sourceName)};
    }
    int journeyColumn = -1, partnerColumn = -1, atColumn = -1, kindColumn = -1, convertedColumn = -1, valueColumn = -1;
    for (int i = 0; i < fields.size(); ++i) {
        QString h = fold(fields.at(i));
        if (i == 0 && h.startsWith(QChar(0xfeff)))
            h.remove(0, 1);
        if (h == QLatin1String("journey"))
            journeyColumn = i;
        else if (h == QLatin1String("partner"))
            partnerColumn = i;
        else if (h == QLatin1String("at"))
            atColumn = i;
        else if (h == QLatin1String("kind"))
            kindColumn = i;
        else if (h == QLatin1String("converted_at"))
            convertedColumn = i;
        else if (h == QLatin1String("value"))
            valueColumn = i;
    }
    if (journeyColumn < 0 || partnerColumn < 0 || atColumn < 0)
        return lineError(sourceName, reader.recordLine(),
                         Tr::tr("the header must name the columns journey, partner and at (found: %1)")
                             .arg(fields.join(QStringLiteral(", "))));
    struct Touch
    {
        QDateTime at;
        int partner;
        bool opportunity;
    };
    struct Pending
    {
        std::vector<Touch> touches;
        QDateTime convertedAt;
        double value = 0;
    };
    QMap<QString, Pending> journeys; // ordered by id: a stable output order
    PathSet set;
    auto parseTime = [](const QString &text) {
        QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(text.trimmed(), Qt::ISODate);
        if (t.isValid() && t.timeSpec() == Qt::LocalTime)
            t.setTimeSpec(Qt::UTC); // no zone given: read as UTC, so results do not depend on the machine
        return t;
    };
    while (reader.next(fields)) {
        if (fields.size() == 1 && fields.first().trimmed().isEmpty())
            continue;
        ++set.rows;
        const qint64 line = reader.recordLine();
        const QString id = fields.value(journeyColumn).trimmed();
        if (id.isEmpty())
            return lineError(sourceName, line, Tr::tr("the journey is empty"));
        Pending &p = journeys[id];
        if (convertedColumn >= 0 && !fields.value(convertedColumn).trimmed().isEmpty()) {
            const QDateTime c = parseTime(fields.value(convertedColumn));
            if (!c.isValid())
                return lineError(
                    sourceName, line,
                    Tr::tr("converted_at \"%1\" is not an ISO 8601 time").arg(fields.value(convertedColumn)));
            if (!p.convertedAt.isValid() || c < p.convertedAt)
                p.convertedAt = c;
        }
        if (valueColumn >= 0) {
            double v = 0;
            if (!parseNumber(fields.value(valueColumn), &v))
                return lineError(sourceName, line,
                                 Tr::tr("value \"%1\" is not a number of at least 0").arg(fields.value(valueColumn)));
            p.value = std::max(p.value, v);
        }
        const QString partner = fields.value(partnerColumn).simplified();
        if (partner.isEmpty()) {
            set.warnings << PathWarning{line, Tr::tr("a touch without a partner was skipped")};
            continue;
        }
        const QDateTime at = parseTime(fields.value(atColumn));
        if (!at.isValid())
            return lineError(sourceName, line, Tr::tr("at \"%1\" is not an ISO 8601 time").arg(fields.value(atColumn)));
        const bool opportunity =
            kindColumn >= 0 &&
            fields.value(kindColumn).trimmed().compare(QLatin1String("opportunity"), Qt::CaseInsensitive) == 0;
        p.touches.push_back(Touch{at, set.partnerId(partner), opportunity});
    }
    if (reader.atError())
        return Error{reader.error()};
    for (auto it = journeys.begin(); it != journeys.end(); ++it) {
        Pending &p = it.value();
        const bool converted = p.convertedAt.isValid();
        if (p.touches.empty()) {
            set.addDropped(converted ? 1 : 0, converted ? p.value : 0, converted ? 0 : 1);
            continue;
        }
        std::stable_sort(p.touches.begin(), p.touches.end(),
                         [](const Touch &a, const Touch &b) { return a.at < b.at; });
        QDateTime end = converted ? p.convertedAt : p.touches.back().at;
        if (end < p.touches.back().at)
            end = p.touches.back().at; // a touch after the conversion is 0 days old, never negative
        Journey j;
        for (size_t i = 0; i < p.touches.size(); ++i) {
            j.touches.push_back(p.touches[i].partner);
            j.ages.push_back(double(p.touches[i].at.msecsTo(end)) / 86'400'000.0);
            if (p.touches[i].opportunity && j.opportunityTouch < 0)
                j.opportunityTouch = int(i);
        }
        j.conversions = converted ? 1 : 0;
        j.value = converted ? p.value : 0;
        j.nulls = converted ? 0 : 1;
        set.add(std::move(j));
    }
    return set;
}

Result<PathSet> readTouchpointFile(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read %1: %2").arg(fileName, file.errorString())};
    return readTouchpoints(&file, fileName);
}

} // namespace ecotone::attribution
