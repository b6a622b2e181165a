#pragma once

#include "domain/Organization.h"
#include "domain/Result.h"

#include <QCommandLineOption>
#include <QString>
#include <QStringList>

#include <functional>

class QCommandLineParser;
class QJsonObject;

namespace ecotone {
class Workspace;
}

namespace ecotone::cli {

// A headless command "ecotone GROUP VERB ...". Command groups live in their own Cli*.cpp files and register
// themselves with a static CommandRegistration, so adding one touches no shared file.
struct Command
{
    QString group;
    QString verb;  // may be empty for a one-word command such as "ecotone map --ours A.csv ..."
    QString usage; // lines for --help, already indented like the built-in ones
    std::function<int(const QStringList &arguments)> run;
};

struct CommandRegistration
{
    explicit CommandRegistration(Command command);
};

const QList<Command> &registeredCommands();

// Shared by all commands.
void out(const QString &text);                         // to stdout, UTF-8
int failure(const QString &message, int exitCode = 1); // "ecotone: message" to stderr; returns exitCode
// Parses the options after "GROUP VERB"; on a usage error returns false with the message in *error.
bool parse(QCommandLineParser &parser, const QStringList &arguments, const QList<QCommandLineOption> &options,
           QString *error);
// The --workspace FILE option every workspace command takes; withWorkspace() reads it.
QCommandLineOption workspaceOption();
// Opens --workspace and runs body on it; a missing option is a usage error (2), a file that does not open a
// failure (1).
int withWorkspace(const QCommandLineParser &parser, const std::function<int(Workspace &)> &body);
// Opens --workspace and finds the organization the option names (id or name), then runs body; an empty option is a
// usage error (2), an unknown organization a failure (1).
int withOrganization(const QCommandLineParser &parser, const QCommandLineOption &option,
                     const std::function<int(Workspace &, const Organization &)> &body);
// An organization named on the command line by id or by name (case-insensitive).
Result<Organization> findOrganization(Workspace &workspace, const QString &nameOrId);
// Indented JSON to stdout.
void printJson(const QJsonObject &object);

} // namespace ecotone::cli
