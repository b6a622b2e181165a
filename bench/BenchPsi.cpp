// PSI benchmark for docs/psi.md: the whole exchange (request, respond, finish, with the files written and read)
// of N x N keys with a given overlap, per-phase wall times. Target: 100,000 x 100,000 in 60 s or less.
// Usage: bench_psi [--keys N] [--overlap PERCENT] [--count-only] [--dir DIR]
#include "psi/Psi.h"
#include "psi/PsiFiles.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <thread>

using namespace ecotone;

namespace {
double seconds(QElapsedTimer &timer)
{
    const double s = double(timer.nsecsElapsed()) / 1e9;
    timer.restart();
    return s;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOpt(QStringLiteral("keys"), QStringLiteral("Keys on each side"), QStringLiteral("N"),
                                     QStringLiteral("100000"));
    const QCommandLineOption overlapOpt(QStringLiteral("overlap"), QStringLiteral("Shared keys, percent"),
                                        QStringLiteral("P"), QStringLiteral("10"));
    const QCommandLineOption countOpt(QStringLiteral("count-only"), QStringLiteral("Count-only mode"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    parser.addOptions({keysOpt, overlapOpt, countOpt, dirOpt});
    parser.process(app);
    const qsizetype n = parser.value(keysOpt).toLongLong();
    const qsizetype shared = n * parser.value(overlapOpt).toLongLong() / 100;
    const psi::Mode mode = parser.isSet(countOpt) ? psi::Mode::CountOnly : psi::Mode::Intersection;
    QTemporaryDir tmp;
    const QString dir = parser.isSet(dirOpt) ? parser.value(dirOpt) : tmp.path();

    // Registrable domains as the CLI would derive them; the shared ones first on A's side, last on B's.
    QStringList a, b;
    a.reserve(n);
    b.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        a << (i < shared ? QStringLiteral("shared%1.com").arg(i) : QStringLiteral("alpha%1.de").arg(i));
        b << (i >= n - shared ? QStringLiteral("shared%1.com").arg(i - (n - shared))
                              : QStringLiteral("beta%1.co.uk").arg(i));
    }
    std::printf("PSI %s, %lld x %lld keys, %lld shared, %u hardware threads\n", qPrintable(psi::modeName(mode)),
                qlonglong(n), qlonglong(n), qlonglong(shared), std::thread::hardware_concurrency());

    const QString reqPath = dir + QStringLiteral("/request.psi");
    const QString statePath = dir + QStringLiteral("/state.psikey");
    const QString respPath = dir + QStringLiteral("/response.psi");
    const std::clock_t cpuStart = std::clock(); // process CPU time, all threads: shows how busy the cores were
    QElapsedTimer total, timer;
    total.start();
    timer.start();

    // A: request
    auto made = psi::createRequest(a, mode);
    if (!made)
        return std::fprintf(stderr, "%s\n", qPrintable(made.error())), 1;
    if (!psi::writeRequest(reqPath, made->request) || !psi::writeState(statePath, {made->state, {}}))
        return std::fprintf(stderr, "cannot write the request\n"), 1;
    const double tRequest = seconds(timer);

    // B: respond
    auto request = psi::readRequest(reqPath);
    if (!request)
        return std::fprintf(stderr, "%s\n", qPrintable(request.error())), 1;
    auto response = psi::respond(request.value(), b);
    if (!response || !psi::writeResponse(respPath, response.value()))
        return std::fprintf(stderr, "cannot respond\n"), 1;
    const double tRespond = seconds(timer);

    // A: finish
    auto state = psi::readState(statePath);
    auto resp = psi::readResponse(respPath);
    if (!state || !resp)
        return std::fprintf(stderr, "cannot read the state or the response\n"), 1;
    auto outcome = psi::finish(state.value().state, resp.value());
    if (!outcome)
        return std::fprintf(stderr, "%s\n", qPrintable(outcome.error())), 1;
    const double tFinish = seconds(timer);
    const double tTotal = double(total.nsecsElapsed()) / 1e9;

    std::printf("request (hash, blind %lld, pad to %lld, write):   %6.2f s  request file %.1f MB\n", qlonglong(n),
                qlonglong(made->request.elements.size()), tRequest, double(QFileInfo(reqPath).size()) / 1e6);
    std::printf("respond (read, answer %lld, blind %lld, write):   %6.2f s  response file %.1f MB\n",
                qlonglong(request->elements.size()), qlonglong(n), tRespond, double(QFileInfo(respPath).size()) / 1e6);
    std::printf("finish  (read, raise %lld, compare):              %6.2f s\n", qlonglong(resp->elements.size()),
                tFinish);
    std::printf("total:                                            %6.2f s  (target <= 60 s), CPU %.2f s\n", tTotal,
                double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
    std::printf("shared found: %lld (expected %lld) %s\n", qlonglong(outcome->count), qlonglong(shared),
                outcome->count == shared ? "OK" : "MISMATCH");
    return outcome->count == shared ? 0 : 1;
}
