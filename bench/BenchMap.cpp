// Account-mapping benchmark for docs/mapping.md and docs/BENCHMARKS.md.
//   1. Generates two paired CRM exports (ours: Salesforce API columns, theirs: HubSpot columns) of N records each
//      with ground truth and realistic noise: website forms, missing websites, legal forms, case, "The",
//      diacritics, small typos, country spellings, duplicates within a side, look-alike companies (same name,
//      other country, other domain).
//   2. Runs `ecotone map --ours --theirs --format json` end to end (parse, normalize, match, write JSON) as a child
//      process: wall time and peak RSS (wait4 rusage), then precision and recall against the ground truth.
//   3. With --pandas, runs bench/map_pandas.py (pandas + tldextract) on the same files, the same way.
// Usage: bench_map [--accounts N] [--seed S] [--dir DIR] [--binary ecotone] [--pandas] [--no-fuzzy]
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>

#include <cstdio>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

struct Country
{
    const char *code;
    const char *forms[3]; // ways a CRM spells it
    const char *tld;
    std::vector<const char *> legal;
};

const std::vector<Country> &countries()
{
    static const std::vector<Country> list = {
        {"us", {"US", "USA", "United States"}, ".com", {"Inc", "Inc.", "LLC", "L.L.C.", "Corp.", "Corporation", "Co."}},
        {"gb", {"GB", "UK", "United Kingdom"}, ".co.uk", {"Ltd", "Ltd.", "Limited", "PLC"}},
        {"de", {"DE", "Germany", "Deutschland"}, ".de", {"GmbH", "AG", "GmbH & Co. KG", "KG", "SE"}},
        {"fr", {"FR", "France", "FRA"}, ".fr", {"SA", "S.A.", "SAS", "SARL"}},
        {"nl", {"NL", "Netherlands", "Holland"}, ".nl", {"B.V.", "BV", "N.V."}},
        {"it", {"IT", "Italy", "Italia"}, ".it", {"S.p.A.", "SpA", "S.r.l.", "Srl"}},
        {"es", {"ES", "Spain", "España"}, ".es", {"S.L.", "SL", "S.A."}},
        {"se", {"SE", "Sweden", "Sverige"}, ".se", {"AB", "AB (publ)"}},
        {"jp", {"JP", "Japan", "JPN"}, ".co.jp", {"K.K.", "Co., Ltd.", "Kabushiki Kaisha"}},
        {"au", {"AU", "Australia", "AUS"}, ".com.au", {"Pty Ltd", "Pty. Ltd.", "Limited"}},
        {"br", {"BR", "Brazil", "Brasil"}, ".com.br", {"Ltda", "Ltda.", "S.A."}},
    };
    return list;
}

const char *const kIndustries[] = {"Systems",  "Analytics", "Labs",       "Logistics",  "Software",  "Networks",
                                   "Health",   "Foods",     "Energy",     "Capital",    "Media",     "Robotics",
                                   "Partners", "Solutions", "Industries", "Consulting", "Pharma",    "Retail",
                                   "Motors",   "Group",     "Holdings",   "Studio",     "Dynamics",  "Security",
                                   "Cloud",    "Data",      "Finance",    "Textiles",   "Aerospace", "Brands"};

struct Company
{
    QString name;   // canonical, title case, may carry diacritics
    QString plain;  // the same without diacritics
    QString domain; // registrable
    int country = 0;
};

QString title(const QString &w)
{
    return w.left(1).toUpper() + w.mid(1);
}

QString typo(const QString &s, QRandomGenerator &rng)
{
    if (s.size() < 6)
        return s;
    const qsizetype i = 2 + qsizetype(rng.bounded(quint32(s.size() - 3)));
    QString t = s;
    switch (rng.bounded(3)) {
    case 0: // swap two neighbours
        if (t.at(i).isLetter() && t.at(i + 1).isLetter())
            std::swap(t[i], t[i + 1]);
        break;
    case 1: // drop one letter
        if (t.at(i).isLetter())
            t.remove(i, 1);
        break;
    default: // double one letter
        if (t.at(i).isLetter())
            t.insert(i, t.at(i));
        break;
    }
    return t;
}

QByteArray csvField(const QString &s)
{
    QByteArray b = s.toUtf8();
    if (b.contains(',') || b.contains('"')) {
        b.replace("\"", "\"\"");
        return '"' + b + '"';
    }
    return b;
}

// One side's rendering of a company: the noise a CRM adds.
struct Rendered
{
    QString name, website, country;
};

Rendered render(const Company &c, QRandomGenerator &rng, bool typos)
{
    const Country &country = countries()[size_t(c.country)];
    Rendered r;
    QString name = rng.bounded(100) < 60 ? c.name : c.plain;
    if (typos && rng.bounded(100) < 4)
        name = typo(name, rng);
    if (rng.bounded(100) < 8)
        name = QStringLiteral("The ") + name;
    if (rng.bounded(100) < 55) {
        const char *legal = country.legal[rng.bounded(quint32(country.legal.size()))];
        name += (rng.bounded(100) < 40 ? QStringLiteral(", ") : QStringLiteral(" ")) + QString::fromUtf8(legal);
    }
    const quint32 caseRoll = rng.bounded(100);
    if (caseRoll < 8)
        name = name.toUpper();
    else if (caseRoll < 12)
        name = name.toLower();
    r.name = name;

    const quint32 w = rng.bounded(100);
    if (w < 12)
        r.website.clear();
    else if (w < 30)
        r.website = QStringLiteral("https://www.") + c.domain + QLatin1Char('/');
    else if (w < 45)
        r.website = QStringLiteral("http://") + c.domain;
    else if (w < 65)
        r.website = QStringLiteral("www.") + c.domain;
    else if (w < 75)
        r.website = c.domain.toUpper();
    else if (w < 82)
        r.website = QStringLiteral("https://shop.") + c.domain + QStringLiteral("/en/?utm_source=crm");
    else if (w < 86)
        r.website = c.domain + QLatin1Char('.');
    else
        r.website = c.domain;

    r.country = rng.bounded(100) < 5 ? QString() : QString::fromUtf8(country.forms[rng.bounded(3)]);
    return r;
}

// Runs a child with stdout to a file; wall time in seconds and peak RSS in MB from wait4.
struct ChildRun
{
    int status = -1;
    double seconds = 0;
    double peakMb = 0;
};

ChildRun runChild(const QStringList &argv, const QString &stdoutFile)
{
    std::vector<QByteArray> args;
    for (const QString &a : argv)
        args.push_back(a.toLocal8Bit());
    std::vector<char *> ptrs;
    for (QByteArray &a : args)
        ptrs.push_back(a.data());
    ptrs.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray out = stdoutFile.toLocal8Bit();
    posix_spawn_file_actions_addopen(&actions, 1, out.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    ChildRun run;
    if (posix_spawn(&pid, ptrs[0], &actions, nullptr, ptrs.data(), environ) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return run;
    }
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    struct rusage usage = {};
    wait4(pid, &status, 0, &usage);
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peakMb = double(usage.ru_maxrss) / 1024.0;
    return run;
}

struct Quality
{
    qint64 pairs = 0;
    qint64 correct = 0;
    qint64 found = 0; // overlapping companies with at least one correct pair
    qint64 overlap = 0;
    double precision() const { return pairs ? double(correct) / double(pairs) : 0; }
    double recall() const { return overlap ? double(found) / double(overlap) : 0; }
};

// Reads "ours":"O…","theirs":"T…" from each line of the matches (one match per line in both outputs).
Quality evaluate(const QString &jsonFile, const std::vector<int> &ourCompany, const std::vector<int> &theirCompany,
                 const QSet<int> &overlap)
{
    Quality q;
    q.overlap = overlap.size();
    QFile f(jsonFile);
    if (!f.open(QIODevice::ReadOnly))
        return q;
    QSet<int> found;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        const qsizetype o = line.indexOf("\"ours\":\"O");
        const qsizetype t = line.indexOf("\"theirs\":\"T");
        if (o < 0 || t < 0)
            continue;
        const int oi = line.mid(o + 9, line.indexOf('"', o + 9) - o - 9).toInt();
        const int ti = line.mid(t + 11, line.indexOf('"', t + 11) - t - 11).toInt();
        ++q.pairs;
        if (oi < int(ourCompany.size()) && ti < int(theirCompany.size()) &&
            ourCompany[size_t(oi)] == theirCompany[size_t(ti)]) {
            ++q.correct;
            found.insert(ourCompany[size_t(oi)]);
        }
    }
    q.found = found.size();
    return q;
}

void report(const char *label, const ChildRun &run, const Quality &q)
{
    std::printf("%-28s exit %d  wall %7.2f s  peak RSS %7.1f MB  pairs %lld  precision %.4f  recall %.4f\n", label,
                run.status, run.seconds, run.peakMb, q.pairs, q.precision(), q.recall());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("Records per side"),
                                         QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Random seed"), QStringLiteral("S"),
                                     QStringLiteral("1"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Where to write (default: a temp dir)"),
                                    QStringLiteral("DIR"));
    const QCommandLineOption binaryOpt(QStringLiteral("binary"), QStringLiteral("The ecotone executable"),
                                       QStringLiteral("FILE"), QStringLiteral(ECOTONE_BINARY));
    const QCommandLineOption pandasOpt(QStringLiteral("pandas"), QStringLiteral("Also time bench/map_pandas.py"));
    const QCommandLineOption noFuzzyOpt(QStringLiteral("no-fuzzy"), QStringLiteral("Also time ecotone --no-fuzzy"));
    parser.addOptions({accountsOpt, seedOpt, dirOpt, binaryOpt, pandasOpt, noFuzzyOpt});
    parser.process(app);
    const qint64 n = parser.value(accountsOpt).toLongLong();
    QRandomGenerator rng(parser.value(seedOpt).toUInt());
    QTemporaryDir tmp;
    const QString dir = parser.isSet(dirOpt) ? parser.value(dirOpt) : tmp.path();
    QDir().mkpath(dir);

    // Companies: each side holds ~97% distinct companies (the rest are duplicate records), 35% of them shared.
    QElapsedTimer timer;
    timer.start();
    const qint64 perSide = n * 97 / 100;
    const qint64 shared = perSide * 35 / 100;
    const qint64 universe = 2 * perSide - shared;
    std::vector<QString> words;
    {
        static const char *const syl[] = {"ka",  "lo",  "mi",  "ta",  "ren", "vo",  "zi",  "pa",   "sel", "dor",
                                          "ne",  "qu",  "tri", "bex", "ul",  "an",  "or",  "fi",   "gra", "mon",
                                          "sta", "vel", "ix",  "ru",  "ha",  "jo",  "lu",  "ster", "ven", "cor",
                                          "dy",  "pho", "net", "lar", "sen", "bri", "gol", "wex",  "yam", "zen"};
        const int s = int(std::size(syl));
        QSet<QString> seen;
        while (words.size() < 6000) {
            QString w;
            const int parts = 2 + int(rng.bounded(2));
            for (int p = 0; p < parts; ++p)
                w += QLatin1String(syl[rng.bounded(s)]);
            if (!seen.contains(w)) {
                seen.insert(w);
                words.push_back(w);
            }
        }
    }
    std::vector<Company> companies(static_cast<size_t>(universe));
    QSet<QString> usedNames;
    usedNames.reserve(universe);
    const int nCountries = int(countries().size());
    for (qint64 i = 0; i < universe; ++i) {
        Company &c = companies[size_t(i)];
        // Look-alikes: 4% copy an earlier company's name in another country, under another domain.
        if (i > 1000 && rng.bounded(100) < 4) {
            const Company &src = companies[size_t(rng.bounded(quint32(i)))];
            {
                int country = 1 + int(rng.bounded(nCountries - 1));
                if (country == src.country)
                    country = (country % (nCountries - 1)) + 1;
                c.name = src.name;
                c.plain = src.plain;
                c.country = country;
                const QString slug = src.domain.left(src.domain.indexOf(QLatin1Char('.')));
                c.domain = slug + QString::fromLatin1(countries()[size_t(country)].tld);
                if (c.domain == src.domain)
                    c.domain = slug + QStringLiteral("-") + QString::fromLatin1(countries()[size_t(country)].code) +
                               QStringLiteral(".com");
                continue;
            }
        }
        QString plain, slug;
        do {
            const QString &w1 = words[rng.bounded(quint32(words.size()))];
            plain = title(w1);
            slug = w1;
            if (rng.bounded(100) < 60) {
                const QString &w2 = words[rng.bounded(quint32(words.size()))];
                plain += QLatin1Char(' ') + title(w2);
                slug += w2;
            }
            const QString industry = QString::fromLatin1(kIndustries[rng.bounded(quint32(std::size(kIndustries)))]);
            plain += QLatin1Char(' ') + industry;
            slug += industry.toLower();
        } while (usedNames.contains(plain));
        usedNames.insert(plain);
        c.plain = plain;
        c.name = plain;
        if (rng.bounded(100) < 12) { // a diacritic that some CRMs keep and others lose
            const qsizetype v = plain.indexOf(QLatin1Char('e'));
            if (v > 0)
                c.name[v] = QChar(0xE9);
            const qsizetype o = plain.indexOf(QLatin1Char('o'));
            if (o > 0)
                c.name[o] = QChar(0xF6);
        }
        c.country = rng.bounded(100) < 45 ? 0 : int(rng.bounded(nCountries));
        c.domain = slug + QString::fromLatin1(rng.bounded(100) < 60 ? ".com" : countries()[size_t(c.country)].tld);
    }
    // Ours: companies [0, perSide); theirs: [perSide - shared, universe). Shuffled record order per side.
    QSet<int> overlap;
    for (qint64 i = perSide - shared; i < perSide; ++i)
        overlap.insert(int(i));
    std::vector<int> ourCompany, theirCompany;
    auto writeSide = [&](const QString &path, qint64 first, bool ours, std::vector<int> &companyOfRecord) {
        std::vector<int> ids;
        ids.reserve(size_t(n));
        for (qint64 i = 0; i < perSide; ++i)
            ids.push_back(int(first + i));
        while (qint64(ids.size()) < n) // duplicates
            ids.push_back(int(first + rng.bounded(quint32(perSide))));
        for (size_t i = ids.size() - 1; i > 0; --i)
            std::swap(ids[i], ids[rng.bounded(quint32(i + 1))]);
        companyOfRecord = ids;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        QByteArray buf;
        buf += ours ? "Id,Name,Website,BillingCountry,Type\r\n"
                    : "Record ID,Company name,Company Domain Name,Country/Region,Lifecycle Stage\r\n";
        static const char *const sfTypes[] = {"Customer - Direct", "Customer - Channel", "Prospect",
                                              "Prospect",          "Opportunity",        "Other"};
        static const char *const hsStages[] = {"customer", "customer",           "opportunity",
                                               "lead",     "salesqualifiedlead", "other"};
        for (size_t r = 0; r < ids.size(); ++r) {
            const Rendered rd = render(companies[size_t(ids[r])], rng, true);
            buf += ours ? 'O' : 'T';
            buf += QByteArray::number(qulonglong(r)) + ',' + csvField(rd.name) + ',' + csvField(rd.website) + ',' +
                   csvField(rd.country) + ',' + (ours ? sfTypes : hsStages)[rng.bounded(6)] + "\r\n";
            if (buf.size() > (1 << 20)) {
                f.write(buf);
                buf.clear();
            }
        }
        f.write(buf);
        return true;
    };
    const QString oursCsv = dir + QStringLiteral("/ours.csv"), theirsCsv = dir + QStringLiteral("/theirs.csv");
    if (!writeSide(oursCsv, 0, true, ourCompany) || !writeSide(theirsCsv, perSide - shared, false, theirCompany)) {
        std::fprintf(stderr, "cannot write to %s\n", qPrintable(dir));
        return 1;
    }
    std::printf("generated %lld + %lld records (%lld shared companies) in %s in %.1f s\n", n, n, shared,
                qPrintable(dir), double(timer.elapsed()) / 1000.0);
    std::fflush(stdout);

    const QString binary = parser.value(binaryOpt);
    const QString out = dir + QStringLiteral("/ecotone-map.json");
    const ChildRun ours =
        runChild({binary, QStringLiteral("map"), QStringLiteral("--ours"), oursCsv, QStringLiteral("--theirs"),
                  theirsCsv, QStringLiteral("--format"), QStringLiteral("json")},
                 out);
    report("ecotone map", ours, evaluate(out, ourCompany, theirCompany, overlap));
    std::fflush(stdout);
    if (parser.isSet(noFuzzyOpt)) {
        const QString outStrict = dir + QStringLiteral("/ecotone-map-nofuzzy.json");
        const ChildRun strict = runChild({binary, QStringLiteral("map"), QStringLiteral("--ours"), oursCsv,
                                          QStringLiteral("--theirs"), theirsCsv, QStringLiteral("--no-fuzzy")},
                                         outStrict);
        report("ecotone map --no-fuzzy", strict, evaluate(outStrict, ourCompany, theirCompany, overlap));
        std::fflush(stdout);
    }
    if (parser.isSet(pandasOpt)) {
        const QString outPandas = dir + QStringLiteral("/pandas-map.json");
        const ChildRun py =
            runChild({QStringLiteral("/usr/bin/python3"),
                      QStringLiteral(ECOTONE_SOURCE_DIR) + QStringLiteral("/bench/map_pandas.py"), oursCsv, theirsCsv},
                     outPandas);
        report("pandas + tldextract", py, evaluate(outPandas, ourCompany, theirCompany, overlap));
        if (py.seconds > 0 && ours.seconds > 0)
            std::printf("speed-up: %.1fx\n", py.seconds / ours.seconds);
    }
    return ours.status == 0 ? 0 : 1;
}
