// Insights pane: time from constructing and showing the pane until its first data is on screen (summary tiles,
// breakdown table and stacked chart filled from the worker's result, then painted), on the demo with 1,000,000
// accounts and 100,000 deal rooms. Target: 1 s. Also reported, not targets: PipelineInsights alone (the aggregate
// SQL), and the Attribution and Network views until their data is shown (every model on the workspace's journeys;
// degree, betweenness and the force-directed layout).
//
// The workspace is generated once and cached (default /tmp/insights-bench/demo1m.ecotone; `ecotone demo create FILE
// --accounts 1000000 --rooms 100000` makes the same file). The file is warm (in the OS page cache), as while working;
// Qt is warmed by one untimed open first.
//
// Usage: QT_QPA_PLATFORM=offscreen bench_insights [--workspace FILE] [--runs N] [--no-views]
#include "BenchSupport.h"
#include "demo/DemoEcosystem.h"
#include "insights/InsightsModels.h"
#include "insights/InsightsPane.h"
#include "pipeline/PipelineInsights.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QChartView>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace ecotone;
using namespace ecotone::ui;

namespace {
class PaintWatch : public QObject
{
    Q_OBJECT

public:
    bool painted = false;

Q_SIGNALS:
    void paintedNow();

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            painted = true;
            // After this paint has been handled.
            QMetaObject::invokeMethod(this, &PaintWatch::paintedNow, Qt::QueuedConnection);
        }
        return false;
    }
};

// Waits in an event loop that sleeps until something happens (a spinning processEvents() loop would take CPU from
// the worker being measured): it is woken by `signal` of `sender`, or by the timeout.
template <typename Ready, typename Sender, typename Signal>
bool waitFor(Ready ready, Sender *sender, Signal signal, int timeoutMs)
{
    if (ready())
        return true;
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    while (!ready()) {
        QElapsedTimer t;
        t.start();
        loop.exec();
        if (!ready() && t.elapsed() >= timeoutMs)
            break;
    }
    return ready();
}

// CPU time of the whole process (every thread), to tell the work from the wait on a loaded machine.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct OpenTimes
{
    double shownMs = -1; // pane built and shown, before its data
    double pipelineMs = -1;
    double pipelineCpuMs = -1;
    double attributionFirstMs = -1; // the seven models before Markov
    double attributionMs = -1;
    double networkMs = -1;
};

OpenTimes openOnce(Workspace &workspace, bool views)
{
    OpenTimes out;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    window.resize(1500, 950);
    QElapsedTimer timer;
    timer.start();
    const double cpu0 = processCpuMs();
    auto *pane = new InsightsPane(workspace, &window);
    layout->addWidget(pane);
    PaintWatch watch;
    pane->pipelineChartView()->viewport()->installEventFilter(&watch);
    window.show();
    out.shownMs = double(timer.nsecsElapsed()) / 1e6;
    // The clock stops at the end of the first paint of the chart after the data arrived.
    if (!waitFor([&] { return pane->pipelineReady(); }, pane, &InsightsPane::pipelineLoaded, 60000))
        return out;
    watch.painted = false;
    pane->pipelineChartView()->viewport()->update();
    bool seen = false;
    QObject::connect(&watch, &PaintWatch::paintedNow, &watch, [&] { seen = true; });
    waitFor([&] { return seen; }, &watch, &PaintWatch::paintedNow, 5000);
    out.pipelineMs = double(timer.nsecsElapsed()) / 1e6;
    out.pipelineCpuMs = processCpuMs() - cpu0;
    if (views) {
        timer.restart();
        pane->setView(InsightsPane::View::Attribution);
        AttributionTableModel *model = pane->attributionModel();
        if (waitFor([&] { return model->rowCount() > 0 || pane->attributionReady(); }, model,
                    &QAbstractItemModel::modelReset, 300000)) {
            QCoreApplication::processEvents();
            out.attributionFirstMs = double(timer.nsecsElapsed()) / 1e6;
        }
        if (waitFor([&] { return pane->attributionReady(); }, pane, &InsightsPane::attributionLoaded, 300000)) {
            QCoreApplication::processEvents();
            out.attributionMs = double(timer.nsecsElapsed()) / 1e6;
        }
        timer.restart();
        pane->setView(InsightsPane::View::Network);
        if (waitFor([&] { return pane->networkReady(); }, pane, &InsightsPane::networkLoaded, 300000)) {
            QCoreApplication::processEvents();
            out.networkMs = double(timer.nsecsElapsed()) / 1e6;
        }
    }
    return out;
}

void report(const char *what, std::vector<double> ms, double target)
{
    ms.erase(std::remove(ms.begin(), ms.end(), -1.0), ms.end());
    if (ms.empty()) {
        std::printf("%s: no result\n", what);
        return;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: median %.0f ms, min %.0f ms, max %.0f ms over %zu runs", what, ms[ms.size() / 2], ms.front(),
                ms.back(), ms.size());
    if (target > 0)
        std::printf(" (target <= %.0f ms: %s)", target, ms[ms.size() / 2] <= target ? "met" : "NOT met");
    std::printf("\n");
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"),
                                          QStringLiteral("Workspace file (made if missing)"), QStringLiteral("FILE"),
                                          QStringLiteral("/tmp/insights-bench/demo1m.ecotone"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("Timed runs"), QStringLiteral("N"),
                                     QStringLiteral("5"));
    const QCommandLineOption noViewsOpt(QStringLiteral("no-views"),
                                        QStringLiteral("Skip the Attribution and Network views"));
    parser.addOptions({workspaceOpt, runsOpt, noViewsOpt});
    parser.process(app);
    const QString path = parser.value(workspaceOpt);
    const bool views = !parser.isSet(noViewsOpt);

    if (!QFileInfo::exists(path)) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        std::printf("generating %s (1,000,000 accounts, 100,000 deal rooms)...\n", qPrintable(path));
        std::fflush(stdout);
        DemoOptions demo;
        demo.accounts = 1'000'000;
        demo.dealRooms = 100'000;
        if (auto made = createDemoWorkspace(path, demo); !made) {
            std::fprintf(stderr, "%s\n", qPrintable(made.error()));
            return 1;
        }
    }
    auto opened = Workspace::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    Workspace &ws = *opened.value();
    qint64 rooms = 0, accounts = 0;
    {
        QSqlQuery q(ws.db());
        if (q.exec(QStringLiteral("SELECT (SELECT count(*) FROM deal_rooms), (SELECT count(*) FROM accounts)")) &&
            q.next()) {
            rooms = q.value(0).toLongLong();
            accounts = q.value(1).toLongLong();
        }
    }
    std::printf("workspace: %s, %lld accounts, %lld rooms, %.0f MB; load average %.2f, %d cores\n", qPrintable(path),
                accounts, rooms, double(QFile(path).size()) / 1e6, bench::loadAverage(), QThread::idealThreadCount());

    const int runs = std::max(1, parser.value(runsOpt).toInt());
    std::vector<double> modelMs, modelCpuMs;
    for (int i = 0; i < runs; ++i) {
        const double cpu0 = processCpuMs();
        auto r = pipeline::readPipelineInsights(ws, {});
        modelCpuMs.push_back(processCpuMs() - cpu0);
        if (!r) {
            std::fprintf(stderr, "%s\n", qPrintable(r.error()));
            return 1;
        }
        if (i == 0)
            std::printf("pipeline: %s, %lld rooms in the period, %lld partners, %lld buckets\n",
                        qPrintable(r->currency), r->roomsInPeriod, qint64(r->partners.size()),
                        qint64(r->series.size()));
        modelMs.push_back(r->milliseconds);
    }
    report("PipelineInsights (all time, dominant currency)", modelMs, 0);
    report("  its CPU time", modelCpuMs, 0);

    openOnce(ws, false); // warms Qt: fonts, style, the first window
    std::vector<double> openMs, openCpuMs, shownMs, attributionFirstMs, attributionMs, networkMs;
    for (int i = 0; i < runs; ++i) {
        const OpenTimes t = openOnce(ws, views && i == 0);
        openMs.push_back(t.pipelineMs);
        openCpuMs.push_back(t.pipelineCpuMs);
        shownMs.push_back(t.shownMs);
        if (views && i == 0) {
            attributionFirstMs.push_back(t.attributionFirstMs);
            attributionMs.push_back(t.attributionMs);
            networkMs.push_back(t.networkMs);
        }
    }
    report("open the Insights pane until its first data is painted", openMs, 1000);
    report("  of which the pane built and shown, before its data", shownMs, 0);
    report("  process CPU time (all threads) for that open", openCpuMs, 0);
    if (views) {
        report("Attribution view: the seven models before Markov shown", attributionFirstMs, 0);
        report("Attribution view: every model on the workspace journeys, shown", attributionMs, 0);
        report("Network view: measures and layout, shown", networkMs, 0);
    }
    std::printf("load average after: %.2f\n", bench::loadAverage());
    return 0;
}

#include "BenchInsights.moc"
