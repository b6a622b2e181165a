#pragma once

#include <QStringList>

namespace ecotone::cli {

// True when the arguments name a subcommand or --help/--version: those run headless, without a display.
bool isHeadless(const QStringList &arguments);

// Runs a subcommand; returns the process exit code (0 ok, 1 failure, 2 wrong usage). Errors go to stderr.
int run(const QStringList &arguments);

} // namespace ecotone::cli
