// Deal Rooms pane: time from constructing the pane until the board has painted, on the demo scaled up (default
// 100,000 deal rooms, 1,000,000 timeline events), for a vendor admin (sees every room) and for the partner person
// with the most rooms. The pane is shown in a real window on the offscreen platform; the clock stops at the end of
// the first paint of a board column after its cards were loaded. Target: 500 ms.
// Usage: QT_QPA_PLATFORM=offscreen bench_dealsgui [--workspace FILE] [--rooms N] [--events-per-room M]
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

double openOnce(Workspace &ws, const QString &personId, int *cardsOut)
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
    if (!personId.isEmpty())
        pane->setViewer(personId);
    layout->addWidget(pane);
    QListView *first = pane->columnView(QStringLiteral("prospect"));
    first->viewport()->installEventFilter(&watch);
    window.show();
    while (!watch.painted && t.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    int cards = 0;
    for (BoardColumnModel *m : pane->findChildren<BoardColumnModel *>())
        cards += m->rowCount();
    *cardsOut = cards;
    return ms;
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
    const QList<std::pair<QString, QString>> viewers = {{QStringLiteral("vendor admin"), QString()},
                                                        {QStringLiteral("busiest partner person"), busiest}};
    bool met = true;
    for (const auto &[label, person] : viewers) {
        std::vector<double> ms;
        int cards = 0;
        for (int i = 0; i < runs; ++i)
            ms.push_back(openOnce(ws, person, &cards));
        std::sort(ms.begin(), ms.end());
        const double median = ms[ms.size() / 2];
        met = met && ms.back() <= 500.0;
        std::printf("board open until painted, %s: median %.0f ms, min %.0f ms, max %.0f ms over %d runs, %d cards "
                    "(target <= 500 ms)\n",
                    qPrintable(label), median, ms.front(), ms.back(), runs, cards);
    }
    return met ? 0 : 2;
}
