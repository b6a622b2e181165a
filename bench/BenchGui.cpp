// GUI benchmarks for docs/BENCHMARKS.md, on a real window (run with QT_QPA_PLATFORM=offscreen or under Xvfb):
//   1. opening a workspace until the Partners table has painted (MainWindow::openWorkspace + first paint);
//   2. one search keystroke in the Partners pane until the table has repainted, p50/p95/max.
// Usage: bench_gui [--workspace FILE] [--partners N] [--accounts N] [--runs N]
// Without --workspace a demo of the given size is created in a temporary folder first (not timed).
#include "MainWindow.h"
#include "common/Theme.h"
#include "demo/DemoEcosystem.h"
#include "item/PartnerTableModel.h"
#include "partners/PartnersPane.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace ecotone;

namespace {
// Records when the watched widget has finished a paint event.
class PaintWatcher : public QObject
{
public:
    bool sawPaint = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // The paint runs after this returns; the caller's event loop reads the clock once it has.
        if (event->type() == QEvent::Paint)
            sawPaint = true;
        Q_UNUSED(watched)
        return false;
    }
};

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // keep the benchmark's settings out of the user's
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneBench"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption wsOpt(QStringLiteral("workspace"), QStringLiteral("Existing workspace"),
                                   QStringLiteral("FILE"));
    const QCommandLineOption partnersOpt(QStringLiteral("partners"), QStringLiteral("Partners"), QStringLiteral("N"),
                                         QStringLiteral("5000"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Accounts"), QStringLiteral("N"),
                                         QStringLiteral("1000000"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("Open runs"), QStringLiteral("N"),
                                     QStringLiteral("7"));
    parser.addOptions({wsOpt, partnersOpt, accountsOpt, runsOpt});
    parser.process(app);

    QTemporaryDir tmp;
    QString path = parser.value(wsOpt);
    if (path.isEmpty()) {
        path = QDir(tmp.path()).filePath(QStringLiteral("bench.ecotone"));
        DemoOptions options;
        options.partners = parser.value(partnersOpt).toInt();
        options.accounts = parser.value(accountsOpt).toLongLong();
        std::printf("creating %d partners / %lld accounts ...\n", options.partners, options.accounts);
        auto demo = createDemoWorkspace(path, options);
        if (!demo) {
            std::fprintf(stderr, "%s\n", qPrintable(demo.error()));
            return 1;
        }
    }
    ui::theme::apply(QStringLiteral("light"));

    // 1. open until painted
    std::vector<double> openMs;
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        PaintWatcher watcher;
        clock.start();
        auto window = std::make_unique<ui::MainWindow>();
        window->resize(1400, 860);
        window->show();
        if (Status s = window->openWorkspace(path); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error()));
            return 1;
        }
        QWidget *viewport = window->partnersPane()->table()->viewport();
        viewport->installEventFilter(&watcher);
        while (!watcher.sawPaint && clock.elapsed() < 30000)
            QCoreApplication::processEvents();
        openMs.push_back(double(clock.nsecsElapsed()) / 1e6);
        std::printf("open run %d: %.1f ms (%d rows loaded of %lld)\n", run + 1, openMs.back(),
                    window->partnersPane()->model()->rowCount(), window->partnersPane()->model()->totalMatches());
    }

    // 2. keystrokes: type partner-name fragments letter by letter, then erase them, as a user would
    ui::MainWindow window;
    window.resize(1400, 860);
    window.show();
    (void)window.openWorkspace(path);
    QCoreApplication::processEvents();
    ui::PartnersPane *pane = window.partnersPane();
    QLineEdit *search = pane->searchField();
    QWidget *viewport = pane->table()->viewport();
    search->setFocus();
    const QStringList queries = {QStringLiteral("alt"),  QStringLiteral("consulting"), QStringLiteral("north"),
                                 QStringLiteral("data"), QStringLiteral("cloud"),      QStringLiteral("mig"),
                                 QStringLiteral("vel"),  QStringLiteral("security"),   QStringLiteral("dach"),
                                 QStringLiteral("zzq"),  QStringLiteral("partners"),   QStringLiteral("bri")};
    std::vector<double> keyMs;
    for (const QString &q : queries) {
        auto timeKey = [&](Qt::Key key, char c) {
            QElapsedTimer t;
            t.start();
            QTest::keyClick(search, key, Qt::NoModifier);
            Q_UNUSED(c)
            viewport->repaint(); // the user sees the result only once it is painted
            keyMs.push_back(double(t.nsecsElapsed()) / 1e6);
            if (qEnvironmentVariableIsSet("BENCH_VERBOSE"))
                std::printf("  %-12s %6.2f ms (%lld matches)\n", qPrintable(search->text()), keyMs.back(),
                            pane->model()->totalMatches());
        };
        for (QChar ch : q)
            timeKey(Qt::Key(Qt::Key_A + (ch.unicode() - 'a')), char(ch.unicode()));
        for (int i = 0; i < q.size(); ++i)
            timeKey(Qt::Key_Backspace, 0);
    }
    // The model's share of a keystroke: the same queries straight on PartnerTableModel, without widgets.
    std::vector<double> modelMs;
    PartnerTableModel *model = pane->model();
    for (const QString &q : queries) {
        for (int n = 1; n <= q.size(); ++n) {
            PartnerTableModel::Filter f;
            f.text = q.left(n);
            QElapsedTimer t;
            t.start();
            model->setFilter(f);
            modelMs.push_back(double(t.nsecsElapsed()) / 1e6);
        }
    }
    std::printf("model only (filter + count + first page): p50 %.2f ms, p95 %.2f ms\n", percentile(modelMs, 0.5),
                percentile(modelMs, 0.95));
    std::printf("open until painted: median %.1f ms, max %.1f ms over %d runs (target <= 1000 ms)\n",
                percentile(openMs, 0.5), percentile(openMs, 1.0), runs);
    std::printf("search keystroke: p50 %.2f ms, p95 %.2f ms, max %.2f ms over %zu keystrokes (target p95 <= 30 ms)\n",
                percentile(keyMs, 0.5), percentile(keyMs, 0.95), percentile(keyMs, 1.0), keyMs.size());
    return 0;
}
