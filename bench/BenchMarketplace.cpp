// Marketplace search benchmark: 100,000 listings from 5,000 partners (the demo ecosystem plus DemoListings).
// Types several queries keystroke by keystroke, toggling facets on the way, and times each keystroke through
// MarketplaceSearch::search() as the pane calls it (matches, bm25 ranking, disjunctive facet counts, the first
// page with snippets). Then times a LIKE '%word%' scan over the same listings and partner names for the same
// keystrokes, in the same run, and prints both and their ratio.
// Usage: bench_marketplace [--workspace FILE] [--partners N] [--min N --max N] [--accounts N]
#include "demo/DemoEcosystem.h"
#include "demo/DemoListings.h"
#include "marketplace/MarketplaceSearch.h"
#include "marketplace/PartnerFit.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace ecotone;

namespace {
// CPU time of this thread: on a machine shared with builds, wall time measures the scheduler as much as the code.
double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

struct Keystroke
{
    MarketplaceQuery query;
    QString label;
};

// What a person does: type, toggle a facet, type on, clear, start the next query.
std::vector<Keystroke> script()
{
    struct Step
    {
        const char *text;
        const char *facet; // toggled once the text is complete ('' for none)
        const char *value;
    };
    const Step steps[] = {
        {"security assessment", "region", "DACH"},    {"data lakehouse", "cloud", "aws"},
        {"zero trust gateway", "type", "reseller"},   {"kubernetes platform", "language", "de"},
        {"migration factory", "tier", "Gold"},        {"customer 360 connector", "category", "CRM"},
        {"managed backup", "industry", "Healthcare"}, {"ai model studio", "kind", "product"},
    };
    std::vector<Keystroke> out;
    for (const Step &s : steps) {
        MarketplaceQuery q;
        const QString text = QString::fromUtf8(s.text);
        for (qsizetype i = 1; i <= text.size(); ++i) {
            q.text = text.left(i);
            out.push_back({q, q.text});
        }
        const auto facet = MarketplaceSearch::facetFromKey(QString::fromUtf8(s.facet));
        q.filters[int(*facet)] = {QString::fromUtf8(s.value)};
        out.push_back({q, q.text + QStringLiteral(" +") + QString::fromUtf8(s.facet)});
        q.sort = MarketplaceSort::Tier;
        out.push_back({q, q.text + QStringLiteral(" sort=tier")});
        for (qsizetype i = text.size() - 1; i >= text.size() - 3; --i) { // backspaces
            q.text = text.left(i);
            out.push_back({q, q.text + QStringLiteral(" (backspace)")});
        }
    }
    return out;
}

// The baseline: every word as LIKE '%word%' over the same columns (title, summary, description, partner name),
// published listings only, the match count and the first page by title.
double likeKeystroke(QSqlDatabase &db, const MarketplaceQuery &query, int *total, double *cpu)
{
    const QStringList words = MarketplaceSearch::words(query.text);
    QString where = QStringLiteral("l.state = 'published'");
    for (qsizetype i = 0; i < words.size(); ++i)
        where += QStringLiteral(" AND (l.title LIKE ? OR l.summary LIKE ? OR l.description LIKE ? OR o.name LIKE ?)");
    QElapsedTimer t;
    t.start();
    const double c0 = cpuMs();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT l.doc, l.title FROM listings l JOIN organizations o ON o.id = l.organization_id "
                             "WHERE %1")
                  .arg(where));
    int binds = 0;
    for (const QString &w : words)
        for (int k = 0; k < 4; ++k, ++binds)
            q.bindValue(binds, QString(QLatin1Char('%') + w + QLatin1Char('%')));
    int n = 0;
    if (q.exec())
        while (q.next())
            ++n;
    *total = n;
    *cpu = cpuMs() - c0;
    return double(t.nsecsElapsed()) / 1e6;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"),
                                          QStringLiteral("An existing workspace (created when missing)"),
                                          QStringLiteral("FILE"));
    const QCommandLineOption partnersOpt(QStringLiteral("partners"), QStringLiteral("Partners"), QStringLiteral("N"),
                                         QStringLiteral("5000"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Accounts"), QStringLiteral("N"),
                                         QStringLiteral("20000"));
    const QCommandLineOption minOpt(QStringLiteral("min"), QStringLiteral("Listings per partner, at least"),
                                    QStringLiteral("N"), QStringLiteral("15"));
    const QCommandLineOption maxOpt(QStringLiteral("max"), QStringLiteral("Listings per partner, at most"),
                                    QStringLiteral("N"), QStringLiteral("25"));
    const QCommandLineOption rounds(QStringLiteral("rounds"), QStringLiteral("Times to replay the typing script"),
                                    QStringLiteral("N"), QStringLiteral("3"));
    parser.addOptions({workspaceOpt, partnersOpt, accountsOpt, minOpt, maxOpt, rounds});
    parser.process(app);
    QTemporaryDir tmp;
    const QString path =
        parser.isSet(workspaceOpt) ? parser.value(workspaceOpt) : tmp.filePath(QStringLiteral("bench.ecotone"));
    if (!QFileInfo::exists(path)) {
        DemoOptions options;
        options.partners = parser.value(partnersOpt).toInt();
        options.accounts = parser.value(accountsOpt).toLongLong();
        QElapsedTimer t;
        t.start();
        auto demo = createDemoWorkspace(path, options);
        if (!demo) {
            std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(demo.error()));
            return 1;
        }
        auto ws = Workspace::open(path);
        if (!ws) {
            std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(ws.error()));
            return 1;
        }
        auto listings = addDemoListings(*ws.value(), 1, parser.value(minOpt).toInt(), parser.value(maxOpt).toInt());
        if (!listings) {
            std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(listings.error()));
            return 1;
        }
        std::printf("created %s: %d partners, %d listings (%d published, %d integrations, %d bundles) in %.1f s\n",
                    qPrintable(path), demo->partners, listings->listings, listings->published, listings->integrations,
                    listings->bundles, double(t.elapsed()) / 1000.0);
    }
    auto opened = Workspace::open(path);
    if (!opened) {
        std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(opened.error()));
        return 1;
    }
    Workspace &ws = *opened.value();
    MarketplaceSearch search(ws);
    QElapsedTimer t;
    t.start();
    if (Status s = search.refresh(); !s) {
        std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(s.error()));
        return 1;
    }
    std::printf("in-memory facet table loaded in %lld ms\n", t.elapsed());

    const std::vector<Keystroke> keys = script();
    std::vector<double> ours;
    std::vector<double> oursCpu;
    std::vector<double> shortPrefix; // first three keystrokes of a word
    std::vector<double> worst;
    int maxTotal = 0;
    for (int round = 0; round < parser.value(rounds).toInt(); ++round) {
        for (const Keystroke &k : keys) {
            QElapsedTimer kt;
            kt.start();
            const double c0 = cpuMs();
            auto r = search.search(k.query);
            const double ms = double(kt.nsecsElapsed()) / 1e6;
            const double cpu = cpuMs() - c0;
            oursCpu.push_back(cpu);
            if (!r) {
                std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(r.error()));
                return 1;
            }
            maxTotal = std::max(maxTotal, r->total);
            ours.push_back(ms);
            const QString last = k.query.text.section(QLatin1Char(' '), -1);
            if (!k.label.contains(QLatin1Char('+')) && last.size() <= 3 && !k.label.contains(QLatin1Char('(')))
                shortPrefix.push_back(cpu);
            if (round == 0 && cpu > 8)
                std::printf("  slow keystroke: \"%s\" %.1f ms (CPU %.1f ms), %d matches\n", qPrintable(k.label), ms,
                            cpu, r->total);
        }
    }
    std::vector<double> like;
    std::vector<double> likeCpu;
    for (const Keystroke &k : keys) {
        int total = 0;
        double cpu = 0;
        like.push_back(likeKeystroke(ws.db(), k.query, &total, &cpu));
        likeCpu.push_back(cpu);
    }
    const double p50 = percentile(ours, 0.5), p95 = percentile(ours, 0.95);
    const double l50 = percentile(like, 0.5), l95 = percentile(like, 0.95);
    std::printf("keystrokes: %zu (x%s rounds), largest match set %d\n", keys.size(), qPrintable(parser.value(rounds)),
                maxTotal);
    const double c50 = percentile(oursCpu, 0.5), c95 = percentile(oursCpu, 0.95);
    const double lc50 = percentile(likeCpu, 0.5), lc95 = percentile(likeCpu, 0.95);
    std::printf("search per keystroke, wall: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", p50, p95,
                *std::max_element(ours.begin(), ours.end()));
    std::printf("search per keystroke, CPU:  p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", c50, c95,
                *std::max_element(oursCpu.begin(), oursCpu.end()));
    std::printf("  1-3 character prefixes, CPU: p50 %.2f ms, p95 %.2f ms (%zu keystrokes)\n",
                percentile(shortPrefix, 0.5), percentile(shortPrefix, 0.95), shortPrefix.size());
    std::printf("LIKE '%%word%%' scan per keystroke, wall: p50 %.2f ms, p95 %.2f ms; CPU: p50 %.2f ms, p95 %.2f ms\n",
                l50, l95, lc50, lc95);
    std::printf("ratio LIKE / search: wall p50 %.1fx, p95 %.1fx; CPU p50 %.1fx, p95 %.1fx\n", l50 / p50, l95 / p95,
                lc50 / c50, lc95 / c95);

    // Partner fit: the first call builds the domain -> owners map (one pass over the customer accounts); later
    // calls for other partners reuse it.
    QSqlQuery p(ws.db());
    p.exec(QStringLiteral("SELECT id FROM organizations WHERE kind = 'partner' ORDER BY id LIMIT 5"));
    QStringList partners;
    while (p.next())
        partners << p.value(0).toString();
    PartnerFit fit(ws);
    std::vector<double> fitMs;
    std::vector<double> fitCpu;
    for (const QString &id : partners) {
        QElapsedTimer ft;
        ft.start();
        const double c0 = cpuMs();
        auto s = fit.suggest(id);
        if (!s) {
            std::fprintf(stderr, "bench_marketplace: %s\n", qPrintable(s.error()));
            return 1;
        }
        fitMs.push_back(double(ft.nsecsElapsed()) / 1e6);
        fitCpu.push_back(cpuMs() - c0);
    }
    QSqlQuery a(ws.db());
    a.exec(QStringLiteral("SELECT count(*) FROM accounts"));
    a.next();
    std::printf("partner fit (%lld accounts): first %.0f ms, CPU %.0f ms (builds the domain map), then %.0f ms, CPU "
                "%.0f ms per partner\n",
                a.value(0).toLongLong(), fitMs.empty() ? 0.0 : fitMs.front(), fitCpu.empty() ? 0.0 : fitCpu.front(),
                fitMs.size() > 1 ? percentile(std::vector<double>(fitMs.begin() + 1, fitMs.end()), 0.5) : 0.0,
                fitCpu.size() > 1 ? percentile(std::vector<double>(fitCpu.begin() + 1, fitCpu.end()), 0.5) : 0.0);
    return 0;
}
