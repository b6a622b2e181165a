#pragma once

#include "domain/Result.h"

#include <QDate>
#include <QList>
#include <QMap>
#include <QString>

namespace ecotone {
class Workspace;
}

namespace ecotone::insights {

// Amounts of deals by outcome: open (pipeline), won (revenue), lost. Major currency units.
struct Amounts
{
    double pipeline = 0;
    double revenue = 0;
    double lost = 0;
    int deals = 0;
};

// With or without partners: how deals close.
struct CloseStats
{
    int won = 0;
    int lost = 0;
    double winRate = 0;            // won / (won + lost); 0 when nothing closed
    double averageWon = 0;         // average amount of won deals
    double averageDaysToClose = 0; // won deals with a close date: close date minus creation day
};

struct PartnerPipeline
{
    QString id;
    QString name;
    QStringList types;
    Amounts sourced;      // split between the deal's sourcing partners, so these add up to the ecosystem's sourced
    Amounts influenced;   // the whole deal for each influencing partner: influence is counted, not split
    Amounts multiPartner; // deals this partner shares with at least one other partner (whole amounts)
};

struct PeriodPipeline
{
    QString period; // "YYYY-MM"
    Amounts sourced;
    Amounts influenced;
    Amounts untouched;
};

// Sourced, influenced and untouched pipeline and revenue from the deal rooms (docs/attribution.md, "Pipeline
// insights"). One primary credit per deal: a room is sourced when a partner sourced it (a sourcing participant,
// the partner of the registration it was approved from, or the referrer it was converted from), otherwise
// influenced when any partner takes part, otherwise untouched.
struct PipelineInsights
{
    QString currency;           // the amounts' currency
    int otherCurrencyDeals = 0; // rooms in other currencies, left out
    Amounts sourced;
    Amounts influenced;
    Amounts untouched;
    Amounts partnerToPartner; // deals with two or more partners
    CloseStats withPartners;
    CloseStats withoutPartners;
    QList<PartnerPipeline> partners;      // by name
    QMap<QString, Amounts> sourcedByType; // partner type -> sourced (a partner of several types counts in each)
    QMap<QString, Amounts> influencedByType;
    QList<PeriodPipeline> periods; // by period
};

struct PipelineOptions
{
    QDate from; // deals whose close date (or, without one, creation day) is in [from, to]; invalid: open-ended
    QDate to;
    QString currency; // empty: the currency most rooms use
};

Result<PipelineInsights> pipelineInsights(Workspace &workspace, const PipelineOptions &options = {});

} // namespace ecotone::insights
