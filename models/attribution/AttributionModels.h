#pragma once

#include "attribution/AttributionPaths.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <vector>

namespace ecotone::attribution {

// What a model gives one partner: a share of the conversions and of their value (revenue).
struct Credit
{
    double conversions = 0;
    double value = 0;
};

// A model's answer: one Credit per partner of the PathSet (same ids), and the options it ran with, every one
// spelled out (defaults included) so a report states exactly what produced its numbers.
struct AttributionResult
{
    QString model;
    QMap<QString, QString> options;
    QStringList partners;
    std::vector<Credit> credits;
    QStringList notes; // e.g. solver used, coalitions counted
};

// The models, each documented with its formulas and edge cases in docs/attribution.md. Every model is a pure
// function of the journeys: no randomness, no simulation, so the same input always gives the same credits.
//
// Options (name=value; unknown names and bad values are errors):
//   first-touch, last-touch   none
//   linear                    per=touch|partner (touch)
//   position-based            first=0.4 last=0.4 (the middle touches share 1 - first - last)
//   time-decay                half_life_days=7
//   w-shaped                  first=0.3 opportunity=0.3 last=0.3 opportunity_touch=2 (1-based position used
//                             when the journey does not mark the opportunity-creation touch)
//   shapley                   value=subset|exact (subset: (a) conversions of paths whose partner set is a subset
//                             of S; exact: (b) conversion rate of journeys whose partner set is exactly S)
//   markov                    order=1..4 (1), collapse=false|true (merge consecutive repeats)
QStringList modelNames();
// The options a model accepts, with their defaults.
QMap<QString, QString> defaultOptions(const QString &model);
Result<AttributionResult> attribute(const PathSet &paths, const QString &model,
                                    const QMap<QString, QString> &options = {});

// The individual models, for tests and benchmarks; attribute() checks options and calls these.
std::vector<Credit> firstTouch(const PathSet &paths);
std::vector<Credit> lastTouch(const PathSet &paths);
std::vector<Credit> linear(const PathSet &paths, bool perPartner);
std::vector<Credit> positionBased(const PathSet &paths, double first, double last);
Result<std::vector<Credit>> timeDecay(const PathSet &paths, double halfLifeDays);
std::vector<Credit> wShaped(const PathSet &paths, double first, double opportunity, double last, int opportunityTouch);
// The W-shaped weights of one journey of n touches (opportunityIndex 0-based, or -1 for the option's default).
std::vector<double> wShapedWeights(int n, int opportunityIndex, double first, double opportunity, double last,
                                   int opportunityTouch);
std::vector<Credit> shapleySubset(const PathSet &paths);
Result<std::vector<Credit>> shapleyExact(const PathSet &paths, QStringList *notes = nullptr);

struct MarkovOptions
{
    int order = 1;
    bool collapseRepeats = false;
};
// Removal effects are in *removalEffects (one per partner) when given.
Result<std::vector<Credit>> markov(const PathSet &paths, const MarkovOptions &options,
                                   std::vector<double> *removalEffects = nullptr, QStringList *notes = nullptr);

} // namespace ecotone::attribution
