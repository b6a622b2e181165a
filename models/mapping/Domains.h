#pragma once

#include <QString>

namespace ecotone::domains {

// Canonical form of a website a person typed: lower-case host without a trailing dot, https unless another
// scheme was given, no query, fragment, default port or trailing slash. Empty when there is no usable host.
QString normalizeWebsite(const QString &input);

// Host part of a website in any form (bare host, URL, with port or path), lower case, no trailing dot.
QString hostOf(const QString &input);

// Registrable domain ("eTLD+1") of a website or host per the Public Suffix List (libpsl with the system's
// publicsuffix data), e.g. "shop.example.co.uk" -> "example.co.uk". Empty for IP addresses, bare public
// suffixes and input without a host.
QString registrableDomain(const QString &input);

} // namespace ecotone::domains
