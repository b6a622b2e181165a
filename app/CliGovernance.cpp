// "ecotone ledger ...": checks of the consent ledger (docs/governance.md).
#include "CliSupport.h"

#include "governance/ConsentLedger.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace ecotone::cli {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli)
};

QString problemKey(LedgerVerification::Problem problem)
{
    switch (problem) {
    case LedgerVerification::Problem::None:
        return QStringLiteral("none");
    case LedgerVerification::Problem::Edited:
        return QStringLiteral("edited");
    case LedgerVerification::Problem::Reordered:
        return QStringLiteral("reordered");
    case LedgerVerification::Problem::Missing:
        return QStringLiteral("missing");
    }
    return QStringLiteral("none");
}

void printJson(const QJsonObject &o)
{
    out(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

bool parseFormat(const QCommandLineParser &parser, const QCommandLineOption &format, bool *json, QString *error)
{
    const QString f = parser.value(format);
    if (f != QLatin1String("json") && f != QLatin1String("text")) {
        *error = Tr::tr("--format must be text or json, not \"%1\".").arg(f);
        return false;
    }
    *json = f == QLatin1String("json");
    return true;
}

int verify(Workspace &ws, bool json, const QString &expectedHead)
{
    ConsentLedger ledger(ws);
    auto result = ledger.verify();
    if (!result)
        return failure(result.error());
    const LedgerVerification &v = result.value();
    if (!v.intact()) {
        if (json)
            printJson({{QStringLiteral("entries"), v.entries},
                       {QStringLiteral("intact"), false},
                       {QStringLiteral("firstBadSeq"), v.firstBadSeq},
                       {QStringLiteral("problem"), problemKey(v.problem)},
                       {QStringLiteral("reason"), v.reason}});
        return failure(Tr::tr("the consent ledger of %1 is broken at entry %2: %3.")
                           .arg(ws.path())
                           .arg(v.firstBadSeq)
                           .arg(v.reason));
    }
    if (!expectedHead.isEmpty() && expectedHead != v.headHash) {
        // The head exported earlier must still be in the chain; if it is not, newer entries were cut off or the
        // chain was rewritten.
        auto entries = ledger.entries();
        if (!entries)
            return failure(entries.error());
        bool found = expectedHead == QString::fromLatin1(ConsentLedger::kGenesisHash);
        for (const LedgerEntry &e : entries.value())
            found = found || e.hash == expectedHead;
        if (!found) {
            if (json)
                printJson({{QStringLiteral("entries"), v.entries},
                           {QStringLiteral("intact"), false},
                           {QStringLiteral("problem"), QStringLiteral("head")},
                           {QStringLiteral("reason"), Tr::tr("the expected head hash is not in the ledger")}});
            return failure(Tr::tr("the consent ledger of %1 no longer contains the head %2: its newest entries were "
                                  "removed or the chain was rewritten.")
                               .arg(ws.path(), expectedHead));
        }
    }
    if (json)
        printJson({{QStringLiteral("entries"), v.entries}, {QStringLiteral("intact"), true}});
    else
        out(Tr::tr("%n entries, chain intact\n", nullptr, int(v.entries)));
    return 0;
}

int ledgerVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("text or json."), QStringLiteral("F"),
                                    QStringLiteral("text"));
    const QCommandLineOption head(QStringLiteral("expect-head"), Tr::tr("A head hash printed earlier."),
                                  QStringLiteral("HASH"));
    if (!parse(parser, arguments, {workspace, format, head}, &error))
        return failure(error, 2);
    bool json = false;
    if (!parseFormat(parser, format, &json, &error))
        return failure(error, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("ledger verify takes no arguments besides its options."), 2);
    const QString expected = parser.value(head).trimmed().toLower();
    return withWorkspace(parser, [&](Workspace &ws) { return verify(ws, json, expected); });
}

int ledgerHead(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("text or json."), QStringLiteral("F"),
                                    QStringLiteral("text"));
    if (!parse(parser, arguments, {workspace, format}, &error))
        return failure(error, 2);
    bool json = false;
    if (!parseFormat(parser, format, &json, &error))
        return failure(error, 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        ConsentLedger ledger(ws);
        auto result = ledger.verify();
        if (!result)
            return failure(result.error());
        if (!result->intact())
            return failure(Tr::tr("the consent ledger of %1 is broken at entry %2: %3.")
                               .arg(ws.path())
                               .arg(result->firstBadSeq)
                               .arg(result->reason));
        if (json)
            printJson({{QStringLiteral("entries"), result->entries}, {QStringLiteral("head"), result->headHash}});
        else
            out(result->headHash + QLatin1Char('\n'));
        return 0;
    });
}

const CommandRegistration verifyCommand(
    {QStringLiteral("ledger"), QStringLiteral("verify"),
     QStringLiteral("  ledger verify --workspace W [--format text|json] [--expect-head HASH]\n"
                    "                          Check the consent ledger's hash chain; exit 1 naming the first\n"
                    "                          edited, reordered or deleted entry.\n"),
     ledgerVerify});
const CommandRegistration headCommand({QStringLiteral("ledger"), QStringLiteral("head"),
                                       QStringLiteral("  ledger head --workspace W [--format text|json]\n"
                                                      "                          Print the hash of the newest "
                                                      "ledger entry, to keep for a later verify.\n"),
                                       ledgerHead});
} // namespace

} // namespace ecotone::cli
