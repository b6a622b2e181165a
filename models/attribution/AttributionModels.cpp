#include "attribution/AttributionModels.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Models)
};

// Runs weigh(journey, weights) over every converting journey and credits touch i with weights[i] of its
// conversions and value. weights is reused between journeys.
template <typename Weigh> std::vector<Credit> spread(const PathSet &paths, Weigh weigh)
{
    std::vector<Credit> credits(size_t(paths.partnerCount()));
    std::vector<double> w;
    for (const Journey &j : paths.journeys()) {
        if (j.conversions <= 0 && j.value <= 0)
            continue;
        w.assign(j.touches.size(), 0.0);
        weigh(j, w);
        for (size_t i = 0; i < w.size(); ++i) {
            if (w[i] == 0)
                continue;
            Credit &c = credits[size_t(j.touches[i])];
            c.conversions += w[i] * j.conversions;
            c.value += w[i] * j.value;
        }
    }
    return credits;
}

bool toNumber(const QString &text, double *value)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return false;
    *value = v;
    return true;
}

bool toBool(const QString &text, bool *value)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("1")) {
        *value = true;
        return true;
    }
    if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("0")) {
        *value = false;
        return true;
    }
    return false;
}

Error badOption(const QString &model, const QString &name, const QString &value, const QString &expected)
{
    return Error{Tr::tr("Option %1=%2 of model %3: %4.").arg(name, value, model, expected)};
}

// Weights in [0, 1] that sum to at most 1.
Status checkWeights(const QString &model, const QMap<QString, QString> &options, const QStringList &names,
                    std::vector<double> *out)
{
    double sum = 0;
    for (const QString &n : names) {
        double v = 0;
        if (!toNumber(options.value(n), &v) || v < 0 || v > 1)
            return badOption(model, n, options.value(n), Tr::tr("expected a number from 0 to 1"));
        out->push_back(v);
        sum += v;
    }
    if (sum > 1 + 1e-12)
        return Error{Tr::tr("Options %1 of model %2 add up to %3, more than 1.")
                         .arg(names.join(QStringLiteral(" + ")), model)
                         .arg(sum)};
    return Status::success();
}
} // namespace

QStringList modelNames()
{
    return {QStringLiteral("first-touch"),    QStringLiteral("last-touch"), QStringLiteral("linear"),
            QStringLiteral("position-based"), QStringLiteral("time-decay"), QStringLiteral("w-shaped"),
            QStringLiteral("shapley"),        QStringLiteral("markov")};
}

QMap<QString, QString> defaultOptions(const QString &model)
{
    if (model == QLatin1String("linear"))
        return {{QStringLiteral("per"), QStringLiteral("touch")}};
    if (model == QLatin1String("position-based"))
        return {{QStringLiteral("first"), QStringLiteral("0.4")}, {QStringLiteral("last"), QStringLiteral("0.4")}};
    if (model == QLatin1String("time-decay"))
        return {{QStringLiteral("half_life_days"), QStringLiteral("7")}};
    if (model == QLatin1String("w-shaped"))
        return {{QStringLiteral("first"), QStringLiteral("0.3")},
                {QStringLiteral("opportunity"), QStringLiteral("0.3")},
                {QStringLiteral("last"), QStringLiteral("0.3")},
                {QStringLiteral("opportunity_touch"), QStringLiteral("2")}};
    if (model == QLatin1String("shapley"))
        return {{QStringLiteral("value"), QStringLiteral("subset")}};
    if (model == QLatin1String("markov"))
        return {{QStringLiteral("order"), QStringLiteral("1")}, {QStringLiteral("collapse"), QStringLiteral("false")}};
    return {};
}

std::vector<Credit> firstTouch(const PathSet &paths)
{
    return spread(paths, [](const Journey &, std::vector<double> &w) { w.front() = 1; });
}

std::vector<Credit> lastTouch(const PathSet &paths)
{
    return spread(paths, [](const Journey &, std::vector<double> &w) { w.back() = 1; });
}

std::vector<Credit> linear(const PathSet &paths, bool perPartner)
{
    if (!perPartner)
        return spread(paths, [](const Journey &j, std::vector<double> &w) {
            std::fill(w.begin(), w.end(), 1.0 / double(j.touches.size()));
        });
    // Per distinct partner: the first touch of each partner carries that partner's share.
    std::vector<int> seen;
    return spread(paths, [&seen](const Journey &j, std::vector<double> &w) {
        seen.clear();
        std::vector<size_t> firsts;
        for (size_t i = 0; i < j.touches.size(); ++i) {
            if (std::find(seen.begin(), seen.end(), j.touches[i]) != seen.end())
                continue;
            seen.push_back(j.touches[i]);
            firsts.push_back(i);
        }
        for (const size_t i : firsts)
            w[i] = 1.0 / double(firsts.size());
    });
}

std::vector<Credit> positionBased(const PathSet &paths, double first, double last)
{
    return spread(paths, [first, last](const Journey &, std::vector<double> &w) {
        const size_t n = w.size();
        if (n == 1) {
            w[0] = 1;
        } else if (n == 2) {
            const double sum = first + last;
            w[0] = sum > 0 ? first / sum : 0.5;
            w[1] = sum > 0 ? last / sum : 0.5;
        } else {
            const double middle = (1.0 - first - last) / double(n - 2);
            std::fill(w.begin(), w.end(), middle);
            w.front() = first;
            w.back() = last;
            // Weights that add up to less than 1 (first + last = 1 leaves 0 for the middle) are exact already;
            // nothing to normalise.
        }
    });
}

Result<std::vector<Credit>> timeDecay(const PathSet &paths, double halfLifeDays)
{
    if (!(halfLifeDays > 0))
        return Error{Tr::tr("The half-life must be more than 0 days.")};
    if (!paths.hasTimes())
        return Error{Tr::tr("Time decay needs the time of every touch: path files have none. Use touchpoints from a "
                            "workspace or a touchpoint CSV.")};
    return spread(paths, [halfLifeDays](const Journey &j, std::vector<double> &w) {
        double sum = 0;
        for (size_t i = 0; i < w.size(); ++i) {
            w[i] = std::exp2(-std::max(0.0, j.ages[i]) / halfLifeDays);
            sum += w[i];
        }
        if (sum <= 0) { // every touch so old that 2^-age underflows: treat them as equally old
            std::fill(w.begin(), w.end(), 1.0 / double(w.size()));
            return;
        }
        for (double &x : w)
            x /= sum;
    });
}

std::vector<double> wShapedWeights(int n, int opportunityIndex, double first, double opportunity, double last,
                                   int opportunityTouch)
{
    std::vector<double> w(size_t(std::max(n, 0)), 0.0);
    if (n <= 0)
        return w;
    if (n == 1) {
        w[0] = 1;
        return w;
    }
    std::vector<bool> key(size_t(n), false);
    w[0] += first;
    w[size_t(n - 1)] += last;
    key[0] = key[size_t(n - 1)] = true;
    if (opportunityIndex >= 0 && opportunityIndex < n) {
        w[size_t(opportunityIndex)] += opportunity;
    } else if (n == 2) {
        // No touch between first and last to hold the opportunity creation: both share it.
        w[0] += opportunity / 2;
        w[1] += opportunity / 2;
    } else {
        const int o = std::clamp(opportunityTouch - 1, 1, n - 2);
        w[size_t(o)] += opportunity;
        key[size_t(o)] = true;
    }
    if (opportunityIndex >= 0 && opportunityIndex < n)
        key[size_t(opportunityIndex)] = true;
    const auto others = std::count(key.begin(), key.end(), false);
    if (others > 0) {
        const double rest = std::max(0.0, 1.0 - first - opportunity - last) / double(others);
        for (size_t i = 0; i < w.size(); ++i)
            if (!key[i])
                w[i] = rest;
        return w;
    }
    // Only key touches: their weights are scaled to add up to 1.
    double sum = 0;
    for (const double x : w)
        sum += x;
    for (double &x : w)
        x = sum > 0 ? x / sum : 1.0 / double(n);
    return w;
}

std::vector<Credit> wShaped(const PathSet &paths, double first, double opportunity, double last, int opportunityTouch)
{
    return spread(paths, [&](const Journey &j, std::vector<double> &w) {
        w = wShapedWeights(int(j.touches.size()), j.opportunityTouch, first, opportunity, last, opportunityTouch);
    });
}

std::vector<Credit> shapleySubset(const PathSet &paths)
{
    // v(S) = sum of c_T over observed coalitions T ⊆ S is a sum of unanimity games c_T·u_T, and the Shapley value
    // of u_T gives 1/|T| to each member of T. By linearity the exact value is a sum over observed coalitions:
    // each converting journey gives its conversions (and value) in equal parts to its distinct partners.
    return linear(paths, true);
}

Result<AttributionResult> attribute(const PathSet &paths, const QString &model, const QMap<QString, QString> &given)
{
    if (!modelNames().contains(model))
        return Error{
            Tr::tr("Unknown model \"%1\"; use one of %2.").arg(model, modelNames().join(QStringLiteral(", ")))};
    QMap<QString, QString> options = defaultOptions(model);
    for (auto it = given.constBegin(); it != given.constEnd(); ++it) {
        if (!options.contains(it.key())) {
            const QString takes = options.isEmpty()
                                      ? Tr::tr("it takes no options")
                                      : Tr::tr("it takes %1").arg(options.keys().join(QStringLiteral(", ")));
            return Error{Tr::tr("Unknown option \"%1\" for model %2: %3.").arg(it.key(), model, takes)};
        }
        options[it.key()] = it.value().trimmed();
    }
    AttributionResult result;
    result.model = model;
    result.options = options;
    result.partners = paths.partners();
    if (model == QLatin1String("first-touch")) {
        result.credits = firstTouch(paths);
    } else if (model == QLatin1String("last-touch")) {
        result.credits = lastTouch(paths);
    } else if (model == QLatin1String("linear")) {
        const QString per = options.value(QStringLiteral("per"));
        if (per != QLatin1String("touch") && per != QLatin1String("partner"))
            return badOption(model, QStringLiteral("per"), per, Tr::tr("expected touch or partner"));
        result.credits = linear(paths, per == QLatin1String("partner"));
    } else if (model == QLatin1String("position-based")) {
        std::vector<double> w;
        if (Status s = checkWeights(model, options, {QStringLiteral("first"), QStringLiteral("last")}, &w); !s)
            return Error{s.error()};
        result.credits = positionBased(paths, w[0], w[1]);
    } else if (model == QLatin1String("time-decay")) {
        double h = 0;
        const QString text = options.value(QStringLiteral("half_life_days"));
        if (!toNumber(text, &h) || h <= 0)
            return badOption(model, QStringLiteral("half_life_days"), text,
                             Tr::tr("expected a number of days above 0"));
        auto credits = timeDecay(paths, h);
        if (!credits)
            return Error{credits.error()};
        result.credits = std::move(credits).value();
    } else if (model == QLatin1String("w-shaped")) {
        std::vector<double> w;
        if (Status s = checkWeights(
                model, options, {QStringLiteral("first"), QStringLiteral("opportunity"), QStringLiteral("last")}, &w);
            !s)
            return Error{s.error()};
        bool ok = false;
        const QString text = options.value(QStringLiteral("opportunity_touch"));
        const int touch = text.toInt(&ok);
        if (!ok || touch < 1)
            return badOption(model, QStringLiteral("opportunity_touch"), text,
                             Tr::tr("expected a touch position of at least 1"));
        result.credits = wShaped(paths, w[0], w[1], w[2], touch);
    } else if (model == QLatin1String("shapley")) {
        const QString v = options.value(QStringLiteral("value"));
        if (v == QLatin1String("subset")) {
            result.credits = shapleySubset(paths);
        } else if (v == QLatin1String("exact")) {
            auto credits = shapleyExact(paths, &result.notes);
            if (!credits)
                return Error{credits.error()};
            result.credits = std::move(credits).value();
        } else {
            return badOption(model, QStringLiteral("value"), v, Tr::tr("expected subset or exact"));
        }
    } else if (model == QLatin1String("markov")) {
        MarkovOptions m;
        bool ok = false;
        const QString order = options.value(QStringLiteral("order"));
        m.order = order.toInt(&ok);
        if (!ok || m.order < 1 || m.order > 4)
            return badOption(model, QStringLiteral("order"), order, Tr::tr("expected 1, 2, 3 or 4"));
        const QString collapse = options.value(QStringLiteral("collapse"));
        if (!toBool(collapse, &m.collapseRepeats))
            return badOption(model, QStringLiteral("collapse"), collapse, Tr::tr("expected true or false"));
        auto credits = markov(paths, m, nullptr, &result.notes);
        if (!credits)
            return Error{credits.error()};
        result.credits = std::move(credits).value();
    }
    return result;
}

} // namespace ecotone::attribution
