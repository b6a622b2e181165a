// "ecotone report attribution|pipeline|network": the Insights reports, headless, for scheduled exports.
#include "CliSupport.h"

#include "reports/Reports.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDate>
#include <QFileInfo>
#include <QGuiApplication>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::CliReport)
};

int reportRun(const QString &kind, const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption from(QStringLiteral("from"), Tr::tr("First day of the period (YYYY-MM-DD)."),
                                  QStringLiteral("DATE"));
    const QCommandLineOption to(QStringLiteral("to"), Tr::tr("Last day of the period (YYYY-MM-DD)."),
                                QStringLiteral("DATE"));
    const QCommandLineOption outFile(QStringLiteral("out"), Tr::tr("FILE.pdf, .csv, .json, .png or .svg."),
                                     QStringLiteral("FILE"));
    if (!parse(parser, arguments, {workspace, from, to, outFile}, &error))
        return failure(error, 2);
    QDate first, last;
    for (const auto &[option, date] : {std::pair{&from, &first}, std::pair{&to, &last}}) {
        const QString text = parser.value(*option);
        if (text.isEmpty())
            continue;
        *date = QDate::fromString(text, Qt::ISODate);
        if (!date->isValid())
            return failure(
                Tr::tr("--%1 takes a date such as 2026-01-31, not \"%2\".").arg(option->names().first(), text), 2);
    }
    if (first.isValid() && last.isValid() && first > last)
        return failure(Tr::tr("--from is after --to."), 2);
    const QString path = parser.value(outFile);
    if (path.isEmpty())
        return failure(Tr::tr("--out FILE is required (.pdf, .csv, .json, .png or .svg)."), 2);
    const QString ext = QFileInfo(path).suffix().toLower();
    if (!QStringList{QStringLiteral("pdf"), QStringLiteral("csv"), QStringLiteral("json"), QStringLiteral("png"),
                     QStringLiteral("svg")}
             .contains(ext))
        return failure(Tr::tr("--out must end in .pdf, .csv, .json, .png or .svg, not \"%1\".").arg(path), 2);
    if (ext != QLatin1String("csv") && ext != QLatin1String("json") && !qobject_cast<QGuiApplication *>(qApp))
        return failure(Tr::tr("Writing %1 needs fonts; run it as \"ecotone report …\".").arg(path));
    return withWorkspace(parser, [&](Workspace &ws) {
        auto report = ui::reports::build(ws, kind, first, last);
        if (!report)
            return failure(report.error());
        if (Status s = ui::reports::write(report.value(), path); !s)
            return failure(s.error());
        out(Tr::tr("Wrote the %1 report to %2\n").arg(kind, path));
        return 0;
    });
}

const char kOptions[] = " --workspace W [--from DATE] [--to DATE] --out FILE.pdf|.csv|.json|.png|.svg\n";

const CommandRegistration attributionCommand(
    {QStringLiteral("report"), QStringLiteral("attribution"),
     QStringLiteral("  report attribution") + QLatin1String(kOptions) +
         QStringLiteral("                          Credits per partner under every attribution model (deals closed\n"
                        "                          in the period); .png/.svg is the chart.\n"),
     [](const QStringList &arguments) { return reportRun(QStringLiteral("attribution"), arguments); }});
const CommandRegistration pipelineCommand(
    {QStringLiteral("report"), QStringLiteral("pipeline"),
     QStringLiteral("  report pipeline") + QLatin1String(kOptions) +
         QStringLiteral("                          Pipeline and revenue partners sourced, influenced or never\n"
                        "                          touched, per partner and partner type, over time.\n"),
     [](const QStringList &arguments) { return reportRun(QStringLiteral("pipeline"), arguments); }});
const CommandRegistration networkCommand(
    {QStringLiteral("report"), QStringLiteral("network"),
     QStringLiteral("  report network") + QLatin1String(kOptions) +
         QStringLiteral("                          The partner network: degree, weighted degree, betweenness.\n"),
     [](const QStringList &arguments) { return reportRun(QStringLiteral("network"), arguments); }});
} // namespace

} // namespace ecotone::cli
