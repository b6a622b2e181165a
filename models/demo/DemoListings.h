#pragma once

#include "domain/Result.h"

#include <QtGlobal>

namespace ecotone {

class Workspace;

struct DemoListingSummary
{
    int listings = 0;
    int published = 0;
    int integrations = 0;
    int bundles = 0;
};

// Adds synthetic, deterministic marketplace listings for every partner of the workspace: perPartnerMin to
// perPartnerMax each (products, services, integrations with other partners' products, a few solution bundles),
// about 90 % published. Names are made up from syllables and common nouns; no real company or product appears.
// One transaction: all or nothing. The same seed on the same workspace gives the same listings.
Result<DemoListingSummary> addDemoListings(Workspace &workspace, quint64 seed, int perPartnerMin, int perPartnerMax);

} // namespace ecotone
