// Deal Rooms pane: time from constructing the pane until the board has painted, on the demo scaled up (default
// 100,000 deal rooms, 1,000,000 timeline events), as the workspace owner (sees every room); then the time to switch
// "viewing as" to the partner person with the most rooms until the board has painted again. The pane is shown in a real
// window on the offscreen platform; the clock stops at the end of the first paint of a board column after its cards
// were loaded. Target: 500 ms. Usage: QT_QPA_PLATFORM=offscreen bench_dealsgui [--workspace FILE] [--rooms N]
// [--events-per-room M]
//        [--partners N] [--accounts N] [--runs N] [--dir DIR]
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
    const QCommandLineOption runsOpt = option("runs", "Runs per viewer", "5");
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"), QStringLiteral("Reuse this built workspace"),
                                          QStringLiteral("FILE"));
    parser.addOptions({roomsOpt, eventsOpt, partnersOpt, accountsOpt, runsOpt, dirOpt, workspaceOpt});
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
    auto opened = Workspace::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    Workspace &ws = *opened.value();
    qint64 rooms = 0;
    QString busiest;
    {
        QSqlQuery q(ws.db());
        if (q.exec(QStringLiteral("SELECT count(*) FROM deal_rooms")) && q.next())
            rooms = q.value(0).toLongLong();
        if (q.exec(QStringLiteral("SELECT v.person_id FROM deal_room_people v JOIN people p ON p.id = v.person_id "
                                  "JOIN organizations o ON o.id = p.organization_id WHERE o.kind = 'partner' "
                                  "GROUP BY v.person_id ORDER BY count(*) DESC LIMIT 1")) &&
            q.next())
            busiest = q.value(0).toString();
    }
    std::printf("workspace: %s, %lld rooms, %.0f MB\n", qPrintable(path), rooms, double(QFile(path).size()) / 1e6);
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    std::vector<double> openMs, switchMs;
    int cards = 0;
    for (int i = 0; i < runs; ++i) {
        const auto [open, change] = openOnce(ws, busiest, &cards);
        openMs.push_back(open);
        switchMs.push_back(change);
    }
    bool met = true;
    auto report = [&](const char *what, std::vector<double> ms) {
        std::sort(ms.begin(), ms.end());
        met = met && ms.back() <= 500.0;
        std::printf("%s: median %.0f ms, min %.0f ms, max %.0f ms over %d runs (target <= 500 ms)\n", what,
                    ms[ms.size() / 2], ms.front(), ms.back(), runs);
    };
    report("open the pane until the board has painted (workspace owner, all rooms)", openMs);
    report("switch \"viewing as\" to the partner person with the most rooms until painted", switchMs);
    std::printf("cards on the last board: %d\n", cards);
    return met ? 0 : 2;
}
