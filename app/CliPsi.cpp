// "ecotone psi request|respond|finish": private set intersection of two account lists through files
// (docs/psi.md). The keys are derived from CRM exports here; the protocol lives in models/psi.
#include "CliSupport.h"

#include "mapping/CompanyNames.h"
#include "mapping/Csv.h"
#include "mapping/Domains.h"
#include "psi/Psi.h"
#include "psi/PsiFiles.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::psi)
};

struct Columns
{
    QString id, name, website, country;
};

struct Accounts
{
    QList<psi::AccountRecord> records; // rows with a usable key
    qint64 rows = 0;
    qint64 skipped = 0; // rows with neither a usable website nor a name
};

qsizetype findColumn(const QStringList &header, const QString &chosen, const QStringList &known)
{
    const QStringList wanted = chosen.isEmpty() ? known : QStringList{chosen};
    for (const QString &w : wanted)
        for (qsizetype i = 0; i < header.size(); ++i)
            if (header[i].trimmed().compare(w, Qt::CaseInsensitive) == 0)
                return i;
    return -1;
}

// The key two organizations compare: the registrable domain of the website, else the normalized name and
// country (companynames::normalize, the same normalizer `ecotone map` uses).
QString accountKey(const QString &name, const QString &website, const QString &country)
{
    const QString domain = domains::registrableDomain(website);
    if (!domain.isEmpty())
        return domain;
    const QString normalized = companynames::normalize(name);
    if (normalized.isEmpty())
        return {};
    return QStringLiteral("name:") + normalized + QLatin1Char('|') + companynames::countryKey(country);
}

Result<Accounts> readAccounts(const QString &path, const Columns &columns)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read \"%1\": %2").arg(path, file.errorString())};
    CsvReader reader(&file, path);
    QStringList header;
    if (!reader.next(header)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("\"%1\" is empty: an accounts CSV with a header row is needed.").arg(path)};
    }
    const qsizetype id = findColumn(header, columns.id,
                                    {QStringLiteral("Id"), QStringLiteral("Account ID"), QStringLiteral("Record ID")});
    const qsizetype name = findColumn(
        header, columns.name, {QStringLiteral("Name"), QStringLiteral("Account Name"), QStringLiteral("Company name")});
    const qsizetype website =
        findColumn(header, columns.website,
                   {QStringLiteral("Website"), QStringLiteral("Website URL"), QStringLiteral("Company Domain Name")});
    const qsizetype country = findColumn(header, columns.country,
                                         {QStringLiteral("BillingCountry"), QStringLiteral("Billing Country"),
                                          QStringLiteral("Country/Region"), QStringLiteral("Country")});
    for (const auto &[index, chosen, option] :
         {std::tuple{id, columns.id, "--id-column"}, std::tuple{name, columns.name, "--name-column"},
          std::tuple{website, columns.website, "--website-column"},
          std::tuple{country, columns.country, "--country-column"}})
        if (index < 0 && !chosen.isEmpty())
            return Error{
                Tr::tr("\"%1\" has no column \"%2\" (named by %3).").arg(path, chosen, QString::fromLatin1(option))};
    if (name < 0 && website < 0)
        return Error{Tr::tr("\"%1\" has neither a name nor a website column (Salesforce Name/Account Name/Website, "
                            "HubSpot Company name/Website URL/Company Domain Name); name them with --name-column "
                            "or --website-column.")
                         .arg(path)};

    Accounts out;
    QStringList fields;
    const auto cell = [&fields](qsizetype i) { return i >= 0 && i < fields.size() ? fields[i].trimmed() : QString(); };
    while (reader.next(fields)) {
        if (fields.size() == 1 && fields.first().isEmpty())
            continue; // blank line
        ++out.rows;
        psi::AccountRecord r;
        r.id = cell(id);
        r.name = cell(name);
        r.key = accountKey(r.name, cell(website), cell(country));
        if (r.key.isEmpty()) {
            ++out.skipped;
            continue;
        }
        if (r.id.isEmpty())
            r.id = QString::number(reader.recordLine());
        out.records << r;
    }
    if (reader.atError())
        return Error{reader.error()};
    return out;
}

QStringList keysOf(const QList<psi::AccountRecord> &records)
{
    QStringList keys;
    keys.reserve(records.size());
    for (const psi::AccountRecord &r : records)
        keys << r.key;
    return keys;
}

QList<QCommandLineOption> columnOptions()
{
    return {
        QCommandLineOption(QStringLiteral("id-column"), Tr::tr("Header of the CRM id column."), QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("name-column"), Tr::tr("Header of the company name column."),
                           QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("website-column"), Tr::tr("Header of the website column."),
                           QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("country-column"), Tr::tr("Header of the country column."),
                           QStringLiteral("NAME")),
    };
}

Columns columnsFrom(const QCommandLineParser &parser)
{
    return {parser.value(QStringLiteral("id-column")), parser.value(QStringLiteral("name-column")),
            parser.value(QStringLiteral("website-column")), parser.value(QStringLiteral("country-column"))};
}

QString required(const QCommandLineParser &parser, const char *option, QString *missing)
{
    const QString value = parser.value(QString::fromLatin1(option));
    if (value.isEmpty() && missing->isEmpty())
        *missing = Tr::tr("--%1 FILE is required.").arg(QString::fromLatin1(option));
    return value;
}

int psiRequest(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    QList<QCommandLineOption> options = columnOptions();
    options << QCommandLineOption(QStringLiteral("accounts"), Tr::tr("Our accounts CSV."), QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("out"), Tr::tr("Request file to send."), QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("state"), Tr::tr("Private state file to keep."),
                                  QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("count-only"), Tr::tr("Learn only the number of shared accounts."));
    if (!parse(parser, arguments, options, &error))
        return failure(error, 2);
    QString missing;
    const QString accountsPath = required(parser, "accounts", &missing);
    const QString outPath = required(parser, "out", &missing);
    const QString statePath = required(parser, "state", &missing);
    if (!missing.isEmpty())
        return failure(missing, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("psi request takes no positional arguments."), 2);
    if (QFileInfo(outPath).absoluteFilePath() == QFileInfo(statePath).absoluteFilePath())
        return failure(Tr::tr("--out and --state must be different files: the state is secret."), 2);
    // An existing state belongs to an exchange that is not finished yet: overwriting it would lose that exchange.
    if (QFileInfo::exists(statePath))
        return failure(Tr::tr("\"%1\" already exists: it holds the secret of an unfinished exchange. Finish that "
                              "exchange, delete the file, or choose another --state file.")
                           .arg(statePath));

    auto accounts = readAccounts(accountsPath, columnsFrom(parser));
    if (!accounts)
        return failure(accounts.error());
    if (accounts->records.isEmpty())
        return failure(Tr::tr("\"%1\" has no account with a website or a name.").arg(accountsPath));
    const psi::Mode mode = parser.isSet(QStringLiteral("count-only")) ? psi::Mode::CountOnly : psi::Mode::Intersection;
    auto made = psi::createRequest(keysOf(accounts->records), mode);
    if (!made)
        return failure(made.error());
    // Count-only: keep no names or ids in the state, only what finish() needs.
    const psi::StateFile state{made->state,
                               mode == psi::Mode::CountOnly ? QList<psi::AccountRecord>() : accounts->records};
    if (Status s = psi::writeState(statePath, state); !s)
        return failure(s.error());
    if (Status s = psi::writeRequest(outPath, made->request); !s) {
        QFile::remove(statePath);
        return failure(s.error());
    }
    out(Tr::tr("Exchange %1 (%2): %3 distinct keys from %4 rows (%5 rows without website or name skipped), sent as "
               "%6 padded elements in %7. Keep %8 private: it is needed once, by psi finish.\n")
            .arg(QString::fromLatin1(made->request.exchangeId.toHex()), psi::modeName(mode))
            .arg(made->state.keys.size())
            .arg(accounts->rows)
            .arg(accounts->skipped)
            .arg(made->request.elements.size())
            .arg(outPath, statePath));
    return 0;
}

int psiRespond(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    QList<QCommandLineOption> options = columnOptions();
    options << QCommandLineOption(QStringLiteral("accounts"), Tr::tr("Our accounts CSV."), QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("request"), Tr::tr("Request file received."), QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("out"), Tr::tr("Response file to send back."), QStringLiteral("FILE"))
            << QCommandLineOption(QStringLiteral("count-only"),
                                  Tr::tr("Answer only requests that ask for the number of shared accounts."));
    if (!parse(parser, arguments, options, &error))
        return failure(error, 2);
    QString missing;
    const QString accountsPath = required(parser, "accounts", &missing);
    const QString requestPath = required(parser, "request", &missing);
    const QString outPath = required(parser, "out", &missing);
    if (!missing.isEmpty())
        return failure(missing, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("psi respond takes no positional arguments."), 2);

    auto request = psi::readRequest(requestPath);
    if (!request)
        return failure(request.error());
    // The requester chooses the mode; the responder enforces what its agreement allows.
    if (parser.isSet(QStringLiteral("count-only")) && request->mode != psi::Mode::CountOnly)
        return failure(Tr::tr("\"%1\" asks which accounts we share, but --count-only allows only their number; ask "
                              "the requester for a count-only request (psi request --count-only).")
                           .arg(requestPath));
    auto accounts = readAccounts(accountsPath, columnsFrom(parser));
    if (!accounts)
        return failure(accounts.error());
    auto response = psi::respond(request.value(), keysOf(accounts->records));
    if (!response)
        return failure(Tr::tr("Cannot answer \"%1\": %2").arg(requestPath, response.error()));
    if (Status s = psi::writeResponse(outPath, response.value()); !s)
        return failure(s.error());
    out(Tr::tr("Answered exchange %1 (%2): %3 of the requester's elements, and our accounts as %4 padded elements, "
               "in %5. The requester learns %6; we learn nothing more than the request's padded size.\n")
            .arg(QString::fromLatin1(request->exchangeId.toHex()), psi::modeName(request->mode))
            .arg(response->answered.size())
            .arg(response->elements.size())
            .arg(outPath, request->mode == psi::Mode::CountOnly ? Tr::tr("only how many accounts we share")
                                                                : Tr::tr("which of its accounts we share")));
    return 0;
}

int psiFinish(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption stateOption(QStringLiteral("request-state"), Tr::tr("State file kept by psi request."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption responseOption(QStringLiteral("response"), Tr::tr("Response file received."),
                                            QStringLiteral("FILE"));
    const QCommandLineOption formatOption(QStringLiteral("format"), Tr::tr("text or json."), QStringLiteral("FORMAT"),
                                          QStringLiteral("text"));
    if (!parse(parser, arguments, {stateOption, responseOption, formatOption}, &error))
        return failure(error, 2);
    QString missing;
    const QString statePath = required(parser, "request-state", &missing);
    const QString responsePath = required(parser, "response", &missing);
    if (!missing.isEmpty())
        return failure(missing, 2);
    const QString format = parser.value(formatOption);
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return failure(Tr::tr("--format takes text or json."), 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("psi finish takes no positional arguments."), 2);

    if (!QFile::exists(statePath))
        return failure(Tr::tr("The request state \"%1\" does not exist. A state is deleted when its exchange is "
                              "finished, so each response can be used once; start a new exchange with psi request.")
                           .arg(statePath));
    auto state = psi::readState(statePath);
    if (!state)
        return failure(state.error());
    auto response = psi::readResponse(responsePath);
    if (!response)
        return failure(response.error());
    auto outcome = psi::finish(state.value().state, response.value());
    if (!outcome)
        return failure(Tr::tr("Refused \"%1\": %2").arg(responsePath, outcome.error()));
    // One-time keys: the secret goes with the state file.
    if (!QFile::remove(statePath))
        return failure(Tr::tr("Cannot delete the used request state \"%1\"; delete it by hand.").arg(statePath));

    const QString exchange = QString::fromLatin1(outcome->exchangeId.toHex());
    QJsonArray matches;
    QStringList lines;
    if (outcome->mode == psi::Mode::Intersection) {
        const QSet<QString> shared(outcome->keys.begin(), outcome->keys.end());
        for (const psi::AccountRecord &r : state->records) {
            if (!shared.contains(r.key))
                continue;
            matches.append(QJsonObject{
                {QStringLiteral("id"), r.id}, {QStringLiteral("name"), r.name}, {QStringLiteral("key"), r.key}});
            lines << r.id + QLatin1Char('\t') + r.name + QLatin1Char('\t') + r.key;
        }
    }
    if (format == QLatin1String("json")) {
        QJsonObject root{{QStringLiteral("exchange"), exchange},
                         {QStringLiteral("mode"), psi::modeName(outcome->mode)},
                         {QStringLiteral("count"), qint64(outcome->count)}};
        if (outcome->mode == psi::Mode::Intersection)
            root.insert(QStringLiteral("matches"), matches);
        out(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
    } else {
        out(Tr::tr("Exchange %1 (%2): %3 shared accounts.\n")
                .arg(exchange, psi::modeName(outcome->mode))
                .arg(outcome->count));
        for (const QString &line : lines)
            out(line + QLatin1Char('\n'));
    }
    return 0;
}

const CommandRegistration requestCommand{{
    QStringLiteral("psi"),
    QStringLiteral("request"),
    QStringLiteral("  psi request --accounts A.csv --out request.psi --state state.psikey [--count-only]\n"
                   "                          Start a private overlap (PSI) exchange: blinded keys to send,\n"
                   "                          a secret state to keep (docs/psi.md).\n"),
    psiRequest,
}};
const CommandRegistration respondCommand{{
    QStringLiteral("psi"),
    QStringLiteral("respond"),
    QStringLiteral("  psi respond --accounts B.csv --request request.psi --out response.psi [--count-only]\n"
                   "                          Answer a PSI request with our blinded keys (--count-only: refuse\n"
                   "                          requests for more than the number of shared accounts).\n"),
    psiRespond,
}};
const CommandRegistration finishCommand{{
    QStringLiteral("psi"),
    QStringLiteral("finish"),
    QStringLiteral("  psi finish --request-state state.psikey --response response.psi [--format json]\n"
                   "                          Shared accounts (or their number) from the response; the state\n"
                   "                          is then deleted.\n"),
    psiFinish,
}};
} // namespace

} // namespace ecotone::cli
