// Account mapping from the command line: "ecotone accounts inspect" and "ecotone map".
#include "CliSupport.h"

#include "mapping/CrmAccounts.h"
#include "mapping/Matcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <optional>
#include <thread>

namespace ecotone::cli {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Mapping)
};

// JSON written straight to stdout in large blocks: a million matches as QJsonDocument would take seconds and
// several times the memory.
class JsonOut
{
public:
    JsonOut() { m_buffer.reserve(kFlushAt + 4096); }
    ~JsonOut() { flush(); }
    JsonOut &raw(const char *text)
    {
        m_buffer.append(text);
        return maybeFlush();
    }
    JsonOut &number(qint64 n)
    {
        m_buffer.append(QByteArray::number(n));
        return maybeFlush();
    }
    JsonOut &number(double d)
    {
        m_buffer.append(QByteArray::number(d, 'g', 6));
        return maybeFlush();
    }
    JsonOut &string(const QString &s)
    {
        m_buffer.append('"');
        const QByteArray utf8 = s.toUtf8();
        bool plain = true;
        for (const char ch : utf8) {
            const auto c = static_cast<unsigned char>(ch);
            if (c < 0x20 || c == '"' || c == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            m_buffer.append(utf8);
            m_buffer.append('"');
            return maybeFlush();
        }
        for (const char ch : utf8) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                m_buffer.append('\\').append(char(c));
            } else if (c < 0x20) {
                switch (c) {
                case '\n':
                    m_buffer.append("\\n");
                    break;
                case '\r':
                    m_buffer.append("\\r");
                    break;
                case '\t':
                    m_buffer.append("\\t");
                    break;
                default: {
                    char esc[8];
                    std::snprintf(esc, sizeof esc, "\\u%04x", unsigned(c));
                    m_buffer.append(esc);
                }
                }
            } else {
                m_buffer.append(char(c));
            }
        }
        m_buffer.append('"');
        return maybeFlush();
    }
    JsonOut &key(const char *name)
    {
        m_buffer.append('"').append(name).append("\":");
        return *this;
    }
    JsonOut &strings(const QStringList &list)
    {
        m_buffer.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_buffer.append(',');
            string(list.at(i));
        }
        m_buffer.append(']');
        return maybeFlush();
    }
    void flush()
    {
        if (!m_buffer.isEmpty())
            std::fwrite(m_buffer.constData(), 1, size_t(m_buffer.size()), stdout);
        m_buffer.clear();
        std::fflush(stdout);
    }

private:
    static constexpr qsizetype kFlushAt = 1 << 20;
    JsonOut &maybeFlush()
    {
        if (m_buffer.size() >= kFlushAt) {
            std::fwrite(m_buffer.constData(), 1, size_t(m_buffer.size()), stdout);
            m_buffer.clear();
        }
        return *this;
    }
    QByteArray m_buffer;
};

bool checkFormat(const QCommandLineParser &parser, const QCommandLineOption &format, int *exitCode)
{
    const QString fmt = parser.value(format);
    if (fmt != QLatin1String("json")) {
        *exitCode = failure(Tr::tr("--format must be json, not \"%1\".").arg(fmt), 2);
        return false;
    }
    return true;
}

int accountsInspect(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption idColumn(QStringLiteral("id-column"), Tr::tr("Header of the id column."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("Output format (json)."), QStringLiteral("F"),
                                    QStringLiteral("json"));
    if (!parse(parser, arguments, {idColumn, format}, &error))
        return failure(error, 2);
    int code = 0;
    if (!checkFormat(parser, format, &code))
        return code;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("accounts inspect takes one FILE argument."), 2);
    CrmReadOptions options;
    options.idColumn = parser.value(idColumn);
    auto file = crmaccounts::read(positional.first(), options);
    if (!file)
        return failure(file.error());

    JsonOut json;
    json.raw("{").key("file").string(file->file).raw(",\n").key("rows").raw("[");
    bool first = true;
    for (const CrmAccount &a : file->accounts) {
        json.raw(first ? "\n{" : ",\n{");
        first = false;
        json.key("line").number(a.sourceLine).raw(",").key("id").string(a.crmId).raw(",");
        json.key("name").string(a.name).raw(",").key("normalizedName").string(a.normalizedName).raw(",");
        json.key("website").string(a.website).raw(",").key("domain").string(a.registrableDomain).raw(",");
        json.key("country").string(a.country).raw(",").key("countryKey").string(a.countryKey).raw(",");
        json.key("status").string(a.status).raw("}");
    }
    json.raw("],\n").key("problems").strings(file->problems).raw("}\n");
    return 0;
}

int map(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption oursOption(QStringLiteral("ours"), Tr::tr("Our account export."), QStringLiteral("FILE"));
    const QCommandLineOption theirsOption(QStringLiteral("theirs"), Tr::tr("The partner's account export."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption idColumn(QStringLiteral("id-column"), Tr::tr("Header of the id column."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption noFuzzy(QStringLiteral("no-fuzzy"), Tr::tr("Match by domain and exact name only."));
    const QCommandLineOption allowDomains(QStringLiteral("allow-name-with-different-domains"),
                                          Tr::tr("Match names even when both websites are known and differ."));
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("Output format (json)."), QStringLiteral("F"),
                                    QStringLiteral("json"));
    if (!parse(parser, arguments, {oursOption, theirsOption, idColumn, noFuzzy, allowDomains, format}, &error))
        return failure(error, 2);
    int code = 0;
    if (!checkFormat(parser, format, &code))
        return code;
    if (!parser.isSet(oursOption) || !parser.isSet(theirsOption))
        return failure(Tr::tr("map needs --ours FILE and --theirs FILE."), 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("map takes no other arguments (\"%1\").").arg(parser.positionalArguments().first()), 2);
    CrmReadOptions readOptions;
    readOptions.idColumn = parser.value(idColumn);
    readOptions.compact = true; // the output names records by id only

    // ECOTONE_TIMING=1 prints the time of each phase to stderr (for the benchmark write-up).
    const bool timing = qEnvironmentVariableIsSet("ECOTONE_TIMING");
    QElapsedTimer clock;
    clock.start();
    auto phase = [&](const char *name) {
        if (timing)
            std::fprintf(stderr, "%s: %.2f s\n", name, double(clock.nsecsElapsed()) / 1e9);
    };
    // The two files are independent: read them on two threads.
    std::optional<Result<CrmAccountFile>> theirs;
    std::thread theirReader([&] { theirs.emplace(crmaccounts::read(parser.value(theirsOption), readOptions)); });
    auto ours = crmaccounts::read(parser.value(oursOption), readOptions);
    theirReader.join();
    if (!ours)
        return failure(ours.error());
    if (!theirs->ok())
        return failure(theirs->error());
    // An export with a header and no usable row is almost always the wrong file; say so rather than map nothing.
    for (const Result<CrmAccountFile> *side : {&ours, &*theirs}) {
        if (side->value().accounts.isEmpty())
            return failure(
                side->value().problems.isEmpty()
                    ? Tr::tr("%1 has a header but no account rows.").arg(side->value().file)
                    : Tr::tr("%1 has no usable account row:\n%2")
                          .arg(side->value().file, side->value().problems.mid(0, 20).join(QLatin1Char('\n'))));
    }
    // The process ends when this command returns: the two million records and the result are deliberately not
    // freed one string at a time (half a second at a million rows a side); the system takes the memory back.
    const CrmAccountFile &ourFile = *new CrmAccountFile(std::move(ours).value());
    const CrmAccountFile &theirFile = *new CrmAccountFile(std::move(*theirs).value());

    matching::Options options;
    options.fuzzy = !parser.isSet(noFuzzy);
    options.allowNameWithDifferentDomains = parser.isSet(allowDomains);
    phase("read");
    const matching::Result &result =
        *new matching::Result(matching::match(ourFile.accounts, theirFile.accounts, options));
    phase("match");

    JsonOut json;
    json.raw("{").key("matches").raw("[");
    static const char *const ruleText[] = {"\"domain\"", "\"name\"", "\"fuzzy\""};
    bool first = true;
    for (const matching::Match &m : result.matches) {
        json.raw(first ? "\n{" : ",\n{");
        first = false;
        json.key("ours").string(ourFile.accounts.at(m.ours).crmId).raw(",");
        json.key("theirs").string(theirFile.accounts.at(m.theirs).crmId).raw(",");
        json.key("rule").raw(ruleText[int(m.rule)]).raw(",").key("score").number(m.score).raw("}");
    }
    json.raw("],\n").key("matrix").raw("{").key("populations").strings(matching::populations()).raw(",");
    json.key("cells").raw("[");
    first = true;
    for (const matching::Cell &c : result.cells) {
        json.raw(first ? "\n{" : ",\n{");
        first = false;
        json.key("ours").string(c.ours).raw(",").key("theirs").string(c.theirs).raw(",");
        json.key("links").number(qint64(c.links)).raw(",");
        json.key("oursCompanies").number(qint64(c.oursCompanies)).raw(",");
        json.key("theirsCompanies").number(qint64(c.theirsCompanies)).raw("}");
    }
    json.raw("],\n").key("greenfield").number(qint64(result.greenfield)).raw(",");
    json.key("greenfieldRecords").number(qint64(result.greenfieldRecords)).raw("},\n");
    json.key("rules").raw("{").key("domain").number(qint64(result.links[0])).raw(",");
    json.key("name").number(qint64(result.links[1])).raw(",");
    json.key("fuzzy").number(qint64(result.links[2])).raw("},\n");
    auto side = [&](const char *name, const CrmAccountFile &file, const matching::Side &s) {
        json.key(name).raw("{").key("file").string(file.file).raw(",");
        json.key("records").number(qint64(s.records)).raw(",").key("companies").number(qint64(s.companies)).raw(",");
        json.key("duplicateRecords").number(qint64(s.records - s.companies)).raw(",");
        json.key("matchedCompanies").number(qint64(s.matchedCompanies)).raw(",");
        json.key("problems").strings(file.problems).raw("}");
    };
    side("ours", ourFile, result.ours);
    json.raw(",\n");
    side("theirs", theirFile, result.theirs);
    json.raw("}\n");
    json.flush();
    phase("write");
    return 0;
}

const CommandRegistration inspectCommand({QStringLiteral("accounts"), QStringLiteral("inspect"),
                                          QStringLiteral("  accounts inspect FILE [--id-column NAME] [--format json]\n"
                                                         "                          Show how each row of a CRM "
                                                         "account export is read: id,\n"
                                                         "                          normalized name, registrable "
                                                         "domain, status.\n"),
                                          accountsInspect});
const CommandRegistration
    mapCommand({QStringLiteral("map"), QString(),
                QStringLiteral("  map --ours A.csv --theirs B.csv [--id-column NAME] [--no-fuzzy]\n"
                               "      [--allow-name-with-different-domains] [--format json]\n"
                               "                          Match two CRM account exports: matches with rule and score,\n"
                               "                          overlap matrix, greenfield, record and company counts.\n"),
                map});
} // namespace

} // namespace ecotone::cli
