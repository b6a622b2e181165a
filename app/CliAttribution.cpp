// "ecotone attribution" (multi-touch partner attribution) and "ecotone attribution network" (partner network
// measures). Formats and models: docs/attribution.md.
#include "CliSupport.h"

#include "attribution/AttributionLocks.h"
#include "attribution/AttributionModels.h"
#include "attribution/WorkspaceTouchpoints.h"
#include "insights/PartnerNetwork.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Attribution)
};

constexpr int kMaxWarnings = 100; // printed; the count says how many there were

QJsonObject totalsJson(const attribution::PathSet &set)
{
    return {{QStringLiteral("rows"), set.rows},
            {QStringLiteral("journeys"), qint64(set.journeys().size())},
            {QStringLiteral("partners"), set.partnerCount()},
            {QStringLiteral("conversions"), set.totalConversions()},
            {QStringLiteral("value"), set.totalValue()},
            {QStringLiteral("nulls"), set.totalNulls()},
            {QStringLiteral("droppedConversions"), set.droppedConversions()},
            {QStringLiteral("droppedValue"), set.droppedValue()},
            {QStringLiteral("droppedNulls"), set.droppedNulls()}};
}

bool parseDate(const QString &text, QDate *date)
{
    if (text.isEmpty())
        return true;
    *date = QDate::fromString(text, Qt::ISODate);
    return date->isValid();
}

bool parseOptions(const QStringList &values, QMap<QString, QString> *options, QString *error)
{
    for (const QString &o : values) {
        const qsizetype eq = o.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = Tr::tr("--option must be NAME=VALUE, not \"%1\".").arg(o);
            return false;
        }
        options->insert(o.left(eq).trimmed(), o.mid(eq + 1));
    }
    return true;
}

QJsonObject lockJson(const attribution::AttributionLock &l)
{
    QJsonObject options;
    for (auto it = l.options.constBegin(); it != l.options.constEnd(); ++it)
        options.insert(it.key(), it.value());
    return {{QStringLiteral("id"), l.id},
            {QStringLiteral("from"), l.from.toString(Qt::ISODate)},
            {QStringLiteral("to"), l.to.toString(Qt::ISODate)},
            {QStringLiteral("model"), l.model},
            {QStringLiteral("options"), options},
            {QStringLiteral("lockedAt"), l.lockedAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("lockedBy"), l.lockedBy},
            {QStringLiteral("note"), l.note}};
}

int attributionRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption paths(QStringLiteral("paths"), Tr::tr("ChannelAttribution path file (CSV)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption touchpoints(QStringLiteral("touchpoints"),
                                         Tr::tr("Touchpoint CSV (journey, partner, at)."), QStringLiteral("FILE"));
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption model(QStringLiteral("model"), Tr::tr("The attribution model."), QStringLiteral("M"));
    const QCommandLineOption option(QStringLiteral("option"), Tr::tr("A model option NAME=VALUE (repeatable)."),
                                    QStringLiteral("NAME=VALUE"));
    const QCommandLineOption separator(QStringLiteral("separator"), Tr::tr("Between partners in a path (default >)."),
                                       QStringLiteral("TEXT"), QStringLiteral(">"));
    const QCommandLineOption from(QStringLiteral("from"), Tr::tr("Workspace deals closed on or after this date."),
                                  QStringLiteral("DATE"));
    const QCommandLineOption to(QStringLiteral("to"), Tr::tr("Workspace deals closed on or before this date."),
                                QStringLiteral("DATE"));
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("json (default) or text."), QStringLiteral("F"),
                                    QStringLiteral("json"));
    if (!parse(parser, arguments, {paths, touchpoints, workspace, model, option, separator, from, to, format}, &error))
        return failure(error, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("Unexpected argument \"%1\".").arg(parser.positionalArguments().first()), 2);
    const int sources = int(parser.isSet(paths)) + int(parser.isSet(touchpoints)) + int(parser.isSet(workspace));
    if (sources != 1)
        return failure(Tr::tr("Give exactly one of --paths FILE, --touchpoints FILE or --workspace W."), 2);
    const QString f = parser.value(format);
    if (f != QLatin1String("json") && f != QLatin1String("text"))
        return failure(Tr::tr("--format must be json or text, not \"%1\".").arg(f), 2);
    QString name = parser.value(model);
    // Without --model, a workspace period uses the model locked for it.
    const bool useLock = name.isEmpty() && parser.isSet(workspace);
    if (name.isEmpty() && !useLock)
        return failure(
            Tr::tr("--model is required: one of %1.").arg(attribution::modelNames().join(QStringLiteral(", "))), 2);
    QMap<QString, QString> options;
    if (!parseOptions(parser.values(option), &options, &error))
        return failure(error, 2);
    if (useLock && !options.isEmpty())
        return failure(Tr::tr("--option goes with --model; a locked model keeps its locked options."), 2);
    // Options are checked before any file is read, so a typo fails fast and as a usage error.
    if (!useLock)
        if (auto check = attribution::attribute(attribution::PathSet{}, name, options); !check)
            return failure(check.error(), 2);
    attribution::WorkspaceJourneyOptions period;
    if (!parseDate(parser.value(from), &period.from) || !parseDate(parser.value(to), &period.to))
        return failure(Tr::tr("--from and --to take dates as YYYY-MM-DD."), 2);
    if (useLock && (!period.from.isValid() || !period.to.isValid()))
        return failure(Tr::tr("Without --model, give --from and --to: the period's locked model is used."), 2);
    if (parser.value(separator).isEmpty())
        return failure(Tr::tr("--separator must not be empty."), 2);

    QElapsedTimer timer;
    timer.start();
    QString source;
    std::optional<attribution::AttributionLock> lock;
    Result<attribution::PathSet> set = Error{};
    if (parser.isSet(paths)) {
        source = parser.value(paths);
        attribution::PathReadOptions readOptions;
        readOptions.separator = parser.value(separator);
        set = attribution::readPathFile(source, readOptions);
    } else if (parser.isSet(touchpoints)) {
        source = parser.value(touchpoints);
        set = attribution::readTouchpointFile(source);
    } else {
        const int code = withWorkspace(parser, [&](Workspace &ws) {
            source = ws.path();
            if (period.from.isValid() && period.to.isValid()) {
                auto found = attribution::AttributionLockRepository(ws).covering(period.from, period.to);
                if (!found)
                    return failure(found.error());
                lock = found.value();
            }
            if (useLock) {
                if (!lock)
                    return failure(Tr::tr("No model is locked for %1 to %2: give --model, or lock one with "
                                          "\"ecotone attribution lock\".")
                                       .arg(period.from.toString(Qt::ISODate), period.to.toString(Qt::ISODate)));
                name = lock->model;
                options = lock->options;
            }
            set = attribution::readWorkspaceJourneys(ws, period);
            return 0;
        });
        if (code != 0)
            return code;
    }
    if (!set)
        return failure(set.error());
    const qint64 readNs = timer.nsecsElapsed();
    auto result = attribution::attribute(set.value(), name, options);
    if (!result)
        return failure(result.error());
    const qint64 modelNs = timer.nsecsElapsed() - readNs;

    const attribution::AttributionResult &r = result.value();
    if (f == QLatin1String("text")) {
        for (int p = 0; p < r.partners.size(); ++p)
            out(QStringLiteral("%1\t%2\t%3\n")
                    .arg(r.partners.at(p))
                    .arg(r.credits[size_t(p)].conversions, 0, 'g', 10)
                    .arg(r.credits[size_t(p)].value, 0, 'g', 10));
        return 0;
    }
    QJsonObject credits;
    for (int p = 0; p < r.partners.size(); ++p)
        credits.insert(r.partners.at(p), QJsonObject{{QStringLiteral("conversions"), r.credits[size_t(p)].conversions},
                                                     {QStringLiteral("value"), r.credits[size_t(p)].value}});
    QJsonObject optionsJson;
    for (auto it = r.options.constBegin(); it != r.options.constEnd(); ++it)
        optionsJson.insert(it.key(), it.value());
    QJsonArray warnings;
    for (const attribution::PathWarning &w : set.value().warnings) {
        if (warnings.size() >= kMaxWarnings)
            break;
        warnings.append(QJsonObject{{QStringLiteral("line"), w.line}, {QStringLiteral("message"), w.message}});
    }
    QJsonObject o{{QStringLiteral("model"), r.model},
                  {QStringLiteral("options"), optionsJson},
                  {QStringLiteral("credits"), credits},
                  {QStringLiteral("source"), source},
                  {QStringLiteral("totals"), totalsJson(set.value())},
                  {QStringLiteral("warningCount"), set.value().warnings.size()},
                  {QStringLiteral("warnings"), warnings},
                  {QStringLiteral("notes"), QJsonArray::fromStringList(r.notes)},
                  {QStringLiteral("readMilliseconds"), double(readNs / 10000) / 100.0},
                  {QStringLiteral("modelMilliseconds"), double(modelNs / 10000) / 100.0}};
    if (lock) {
        QJsonObject l = lockJson(*lock);
        l.insert(QStringLiteral("used"), lock->model == r.model && lock->options == r.options);
        o.insert(QStringLiteral("lock"), l);
    }
    printJson(o);
    return 0;
}

int lockRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption model(QStringLiteral("model"), Tr::tr("The attribution model."), QStringLiteral("M"));
    const QCommandLineOption option(QStringLiteral("option"), Tr::tr("A model option NAME=VALUE (repeatable)."),
                                    QStringLiteral("NAME=VALUE"));
    const QCommandLineOption from(QStringLiteral("from"), Tr::tr("First day of the period."), QStringLiteral("DATE"));
    const QCommandLineOption to(QStringLiteral("to"), Tr::tr("Last day of the period."), QStringLiteral("DATE"));
    const QCommandLineOption by(QStringLiteral("by"), Tr::tr("Who locks it."), QStringLiteral("NAME"));
    const QCommandLineOption note(QStringLiteral("note"), Tr::tr("Why."), QStringLiteral("TEXT"));
    if (!parse(parser, arguments, {workspace, model, option, from, to, by, note}, &error))
        return failure(error, 2);
    attribution::AttributionLock l;
    if (!parseDate(parser.value(from), &l.from) || !parseDate(parser.value(to), &l.to) || !l.from.isValid() ||
        !l.to.isValid())
        return failure(Tr::tr("--from and --to are required, as YYYY-MM-DD."), 2);
    l.model = parser.value(model);
    if (l.model.isEmpty())
        return failure(Tr::tr("--model is required."), 2);
    if (!parseOptions(parser.values(option), &l.options, &error))
        return failure(error, 2);
    if (auto check = attribution::attribute(attribution::PathSet{}, l.model, l.options); !check)
        return failure(check.error(), 2);
    l.lockedBy = parser.value(by);
    l.note = parser.value(note);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto locked = attribution::AttributionLockRepository(ws).lock(l);
        if (!locked)
            return failure(locked.error());
        printJson(lockJson(locked.value()));
        return 0;
    });
}

int locksRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    if (!parse(parser, arguments, {workspaceOption()}, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto locks = attribution::AttributionLockRepository(ws).list();
        if (!locks)
            return failure(locks.error());
        QJsonArray list;
        for (const attribution::AttributionLock &l : locks.value())
            list.append(lockJson(l));
        printJson({{QStringLiteral("workspace"), ws.path()}, {QStringLiteral("locks"), list}});
        return 0;
    });
}

int unlockRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    if (!parse(parser, arguments, {workspaceOption()}, &error))
        return failure(error, 2);
    if (parser.positionalArguments().size() != 1)
        return failure(Tr::tr("Name the lock to remove by its id."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        if (Status s = attribution::AttributionLockRepository(ws).unlock(parser.positionalArguments().first()); !s)
            return failure(s.error());
        out(Tr::tr("Unlocked %1\n").arg(parser.positionalArguments().first()));
        return 0;
    });
}

int networkRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    if (!parse(parser, arguments, {workspace}, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        QElapsedTimer timer;
        timer.start();
        auto network = insights::readPartnerNetwork(ws);
        if (!network)
            return failure(network.error());
        const insights::NetworkMeasures m = insights::measure(network.value().graph);
        QJsonArray partners;
        for (int v = 0; v < network.value().graph.nodeCount(); ++v)
            partners.append(
                QJsonObject{{QStringLiteral("id"), network.value().ids.at(v)},
                            {QStringLiteral("name"), network.value().names.at(v)},
                            {QStringLiteral("degree"), m.degree[size_t(v)]},
                            {QStringLiteral("weightedDegree"), m.weightedDegree[size_t(v)]},
                            {QStringLiteral("betweenness"), m.betweenness[size_t(v)]},
                            {QStringLiteral("multiPartnerRevenue"), network.value().multiPartnerRevenue[size_t(v)]}});
        printJson({{QStringLiteral("workspace"), ws.path()},
                   {QStringLiteral("nodes"), network.value().graph.nodeCount()},
                   {QStringLiteral("edges"), qint64(network.value().graph.edgeCount())},
                   {QStringLiteral("referralLinks"), network.value().referralLinks},
                   {QStringLiteral("sharedRoomLinks"), network.value().sharedRoomLinks},
                   {QStringLiteral("integrationLinks"), network.value().integrationLinks},
                   {QStringLiteral("partners"), partners},
                   {QStringLiteral("milliseconds"), double(timer.nsecsElapsed() / 10000) / 100.0}});
        return 0;
    });
}

const CommandRegistration attributionCommand(
    {QStringLiteral("attribution"), QString(),
     QStringLiteral("  attribution (--paths FILE | --touchpoints FILE | --workspace W) --model M\n"
                    "      [--option NAME=VALUE]... [--separator TEXT] [--from DATE] [--to DATE] [--format json|text]\n"
                    "                          Credit conversions and value to partners: first-touch, last-touch,\n"
                    "                          linear, position-based, time-decay, w-shaped, shapley, markov.\n"
                    "                          With --workspace, --from and --to but no --model: the locked one.\n"),
     attributionRun});
const CommandRegistration lockCommand(
    {QStringLiteral("attribution"), QStringLiteral("lock"),
     QStringLiteral("  attribution lock --workspace W --from DATE --to DATE --model M [--option NAME=VALUE]...\n"
                    "      [--by NAME] [--note TEXT]\n"
                    "                          Lock a model for a period (periods never overlap).\n"),
     lockRun});
const CommandRegistration locksCommand({QStringLiteral("attribution"), QStringLiteral("locks"),
                                        QStringLiteral("  attribution locks --workspace W\n"
                                                       "                          List the locked periods.\n"),
                                        locksRun});
const CommandRegistration unlockCommand({QStringLiteral("attribution"), QStringLiteral("unlock"),
                                         QStringLiteral("  attribution unlock --workspace W ID\n"
                                                        "                          Remove a lock.\n"),
                                         unlockRun});
const CommandRegistration networkCommand(
    {QStringLiteral("attribution"), QStringLiteral("network"),
     QStringLiteral("  attribution network --workspace W\n"
                    "                          Partner network: degree, weighted degree, betweenness.\n"),
     networkRun});
} // namespace

} // namespace ecotone::cli
