// Deal Rooms pane: time from constructing the pane until the board has painted, on the demo scaled up (default
// 100,000 deal rooms, 1,000,000 timeline events), as the workspace owner (sees every room); then the time to switch
// "viewing as" to the partner person with the most rooms until the board has painted again. The pane is shown in a real
// window on the offscreen platform; the clock stops at the end of the first paint of a board column after its cards
// were loaded. Target: 500 ms.
//
// Cold and warm are reported apart. Warm: the file's pages are in the OS cache (the usual case while working). Cold:
// before each cold run the workspace is closed, its file's pages are dropped from the OS page cache
// (posix_fadvise(DONTNEED) on the file and its -wal/-shm, which needs no root and leaves other processes' caches
// alone; --drop-caches uses /proc/sys/vm/drop_caches instead, root only, everything cold), and it is opened again
// (timed apart). Qt itself is warmed by one untimed open first, so a cold run measures the file, not the toolkit.
// --eager opens the pane with the counts and every card's details read before the first paint (the loading before
// it was deferred), for comparison on the same file.
//
// Usage: QT_QPA_PLATFORM=offscreen bench_dealsgui [--workspace FILE] [--rooms N] [--events-per-room M]
//        [--partners N] [--accounts N] [--runs N] [--cold-runs N] [--drop-caches] [--eager] [--dir DIR]
#include "BenchSupport.h"
#include "deals/BoardColumnModel.h"
#include "deals/DealRoomsPane.h"
#include "demo/DemoDeals.h"
#include "demo/DemoEcosystem.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace ecotone;
using namespace ecotone::ui;

namespace {
// Notes the first paint of a watched viewport; the clock stops when the event loop pass that delivered it (and
// so the paint itself) has returned.
class PaintWatch : public QObject
{
public:
    bool painted = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            painted = true;
        return false;
    }
};

bool waitForPaint(PaintWatch &watch, const QElapsedTimer &t)
{
    while (!watch.painted && t.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return watch.painted;
}

// Drops the workspace's pages from the OS page cache. Dirty pages cannot be dropped, so they are written first.
bool evictFromPageCache(const QString &path, bool dropAll)
{
    if (dropAll) {
        ::sync();
        QFile drop(QStringLiteral("/proc/sys/vm/drop_caches"));
        return drop.open(QIODevice::WriteOnly) && drop.write("3\n") == 2;
    }
    bool ok = true;
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QByteArray file = QFile::encodeName(path) + suffix;
        const int fd = ::open(file.constData(), O_RDONLY);
        if (fd < 0)
            continue;
        ok = ::fsync(fd) == 0 && ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 && ok;
        ::close(fd);
    }
    return ok;
}

bool g_eager = false;

// Opens the pane (as the workspace owner, who sees every room) until the board has painted; then, when personId
// is set, switches "viewing as" to that person until the board has painted again.
std::pair<double, double> openOnce(Workspace &ws, const QString &personId, int *cardsOut)
{
    QUndoStack undo;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    window.resize(1600, 900);
    PaintWatch watch;
    QElapsedTimer t;
    t.start();
    auto *pane = new DealRoomsPane(ws, &undo, &window);
    // The constructor loads the board; --eager has to reload it the old way inside the timed span.
    if (g_eager) {
        pane->setDeferredLoading(false);
        pane->reload();
    }
    layout->addWidget(pane);
    QListView *first = pane->columnView(QStringLiteral("prospect"));
    first->viewport()->installEventFilter(&watch);
    window.show();
    waitForPaint(watch, t);
    const double openMs = double(t.nsecsElapsed()) / 1e6;
    double switchMs = 0;
    if (!personId.isEmpty()) {
        QTest::qWait(300); // let the owner's column sums arrive first
        watch.painted = false;
        t.restart();
        pane->setViewer(personId);
        first->viewport()->update();
        waitForPaint(watch, t);
        switchMs = double(t.nsecsElapsed()) / 1e6;
    }
    int cards = 0;
    for (BoardColumnModel *m : pane->findChildren<BoardColumnModel *>())
        cards += m->rowCount();
    *cardsOut = cards;
    return {openMs, switchMs};
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    auto option = [](const char *name, const char *help, const char *value) {
        return QCommandLineOption(QLatin1String(name), QLatin1String(help), QStringLiteral("N"), QLatin1String(value));
    };
    const QCommandLineOption roomsOpt = option("rooms", "Deal rooms", "100000");
    const QCommandLineOption eventsOpt = option("events-per-room", "Timeline events per room", "10");
    const QCommandLineOption partnersOpt = option("partners", "Partners", "250");
    const QCommandLineOption accountsOpt = option("accounts", "Accounts", "20000");
    const QCommandLineOption runsOpt = option("runs", "Warm runs per viewer", "5");
    const QCommandLineOption coldOpt = option("cold-runs", "Cold runs (file dropped from the page cache first)", "3");
    const QCommandLineOption dropOpt(
        QStringLiteral("drop-caches"),
        QStringLiteral("Cold runs drop the whole page cache (root) instead of the file's"));
    const QCommandLineOption eagerOpt(QStringLiteral("eager"),
                                      QStringLiteral("Read counts and all card details before the first paint"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"), QStringLiteral("Reuse this built workspace"),
                                          QStringLiteral("FILE"));
    parser.addOptions(
        {roomsOpt, eventsOpt, partnersOpt, accountsOpt, runsOpt, coldOpt, dropOpt, eagerOpt, dirOpt, workspaceOpt});
    parser.process(app);
    QTemporaryDir tmp;
    const QString dir = parser.isSet(dirOpt) ? parser.value(dirOpt) : tmp.path();
    QString path = parser.value(workspaceOpt);
    if (path.isEmpty()) {
        path = QDir(dir).filePath(QStringLiteral("bench-dealsgui.ecotone"));
        QFile::remove(path);
        DemoOptions demo;
        demo.partners = parser.value(partnersOpt).toInt();
        demo.accounts = parser.value(accountsOpt).toLongLong();
        if (auto made = createDemoWorkspace(path, demo); !made) {
            std::fprintf(stderr, "demo create failed: %s\n", qPrintable(made.error()));
            return 1;
        }
        auto ws = Workspace::open(path);
        if (!ws) {
            std::fprintf(stderr, "%s\n", qPrintable(ws.error()));
            return 1;
        }
        DemoDealsOptions deals;
        deals.rooms = parser.value(roomsOpt).toInt();
        deals.eventsPerRoom = parser.value(eventsOpt).toInt();
        if (auto summary = addDemoDeals(*ws.value(), deals); !summary) {
            std::fprintf(stderr, "demo deals failed: %s\n", qPrintable(summary.error()));
            return 1;
        }
    }
    g_eager = parser.isSet(eagerOpt);
    auto opened = Workspace::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    qint64 rooms = 0;
    QString busiest;
    {
        QSqlQuery q(opened.value()->db());
        if (q.exec(QStringLiteral("SELECT count(*) FROM deal_rooms")) && q.next())
            rooms = q.value(0).toLongLong();
        if (q.exec(QStringLiteral("SELECT v.person_id FROM deal_room_people v JOIN people p ON p.id = v.person_id "
                                  "JOIN organizations o ON o.id = p.organization_id WHERE o.kind = 'partner' "
                                  "GROUP BY v.person_id ORDER BY count(*) DESC LIMIT 1")) &&
            q.next())
            busiest = q.value(0).toString();
    }
    std::printf("workspace: %s, %lld rooms, %.0f MB; loading: %s; load average %.2f\n", qPrintable(path), rooms,
                double(QFile(path).size()) / 1e6, g_eager ? "eager (counts and all details first)" : "deferred",
                bench::loadAverage());
    int cards = 0;
    // Warms Qt (fonts, style, the first window) so that the cold runs measure the file. Reported, not a target: it
    // also pays for the toolkit's first window (and, after a drop of every cache, for loading the libraries).
    const double firstMs = openOnce(*opened.value(), QString(), &cards).first;

    bool met = true;
    auto report = [&](const char *what, std::vector<double> ms, bool target) {
        if (ms.empty())
            return;
        std::sort(ms.begin(), ms.end());
        if (target)
            met = met && ms.back() <= 500.0; // every run, as before
        std::printf("%s: median %.0f ms, min %.0f ms, max %.0f ms over %zu runs%s\n", what, ms[ms.size() / 2],
                    ms.front(), ms.back(), ms.size(), target ? " (target <= 500 ms)" : "");
    };

    // Cold: close, drop the file from the page cache, reopen (timed apart), open the pane.
    const int coldRuns = std::max(0, parser.value(coldOpt).toInt());
    std::vector<double> coldOpenMs, coldWorkspaceMs;
    for (int i = 0; i < coldRuns; ++i) {
        opened.value().reset();
        if (!evictFromPageCache(path, parser.isSet(dropOpt))) {
            std::fprintf(stderr, "could not drop the file from the page cache; cold runs skipped\n");
            opened = Workspace::open(path);
            break;
        }
        QElapsedTimer t;
        t.start();
        opened = Workspace::open(path);
        if (!opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
            return 1;
        }
        coldWorkspaceMs.push_back(double(t.nsecsElapsed()) / 1e6);
        coldOpenMs.push_back(openOnce(*opened.value(), QString(), &cards).first);
    }
    const double coldLoad = bench::loadAverage();

    // One untimed pass as the partner person too, so that "warm" means warm after the cold runs evicted the file.
    (void)openOnce(*opened.value(), busiest, &cards);
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    std::vector<double> openMs, switchMs;
    for (int i = 0; i < runs; ++i) {
        const auto [open, change] = openOnce(*opened.value(), busiest, &cards);
        openMs.push_back(open);
        switchMs.push_back(change);
    }
    std::printf("first open in this process (Qt's first window too): %.0f ms\n", firstMs);
    report("cold file: open the workspace (not part of the pane's time)", coldWorkspaceMs, false);
    report("cold file: open the pane until the board has painted (workspace owner, all rooms)", coldOpenMs, true);
    report("warm: open the pane until the board has painted (workspace owner, all rooms)", openMs, true);
    report("warm: switch \"viewing as\" to the partner person with the most rooms until painted", switchMs, true);
    std::printf("cards on the last board: %d; load average %.2f after the cold runs, %.2f at the end\n", cards,
                coldLoad, bench::loadAverage());
    return met ? 0 : 2;
}
