// "ecotone deals ...", "ecotone referrals ..." and "ecotone demo deals": co-sell from the command line
// (docs/deals.md, docs/cli.md).
#include "CliSupport.h"

#include "deals/DealRoomRepository.h"
#include "deals/Referrals.h"
#include "deals/RegistrationRepository.h"
#include "demo/DemoDeals.h"
#include "mapping/Csv.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

#include <cmath>
#include <optional>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Deals)
};

// ---- shared helpers

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(deals::isoTime(t)) : QJsonValue();
}

QJsonValue dateJson(const QDate &d)
{
    return d.isValid() ? QJsonValue(d.toString(Qt::ISODate)) : QJsonValue();
}

QJsonArray stringArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

QJsonObject accountJson(const DealAccount &a)
{
    return {{QStringLiteral("name"), a.name},
            {QStringLiteral("website"), a.website},
            {QStringLiteral("domain"), a.domain},
            {QStringLiteral("country"), a.country},
            {QStringLiteral("accountId"), a.accountId.isEmpty() ? QJsonValue() : QJsonValue(a.accountId)}};
}

QJsonObject moneyJson(qint64 minor, const QString &currency)
{
    return {{QStringLiteral("amount"), deals::formatAmount(minor, currency)},
            {QStringLiteral("amountMinor"), minor},
            {QStringLiteral("currency"), currency}};
}

QJsonObject conflictJson(const Conflict &c)
{
    return {{QStringLiteral("record"), c.recordKey()},
            {QStringLiteral("id"), c.recordId},
            {QStringLiteral("rule"), c.ruleKey()},
            {QStringLiteral("accountName"), c.accountName},
            {QStringLiteral("status"), c.status},
            {QStringLiteral("partnerId"), c.partnerId.isEmpty() ? QJsonValue() : QJsonValue(c.partnerId)},
            {QStringLiteral("partner"), c.partnerName},
            {QStringLiteral("ours"), c.ours},
            {QStringLiteral("theirs"), c.theirs},
            {QStringLiteral("oursInput"), c.oursInput},
            {QStringLiteral("theirsInput"), c.theirsInput},
            {QStringLiteral("evidence"), c.describe()}};
}

QJsonArray conflictsJson(const QList<Conflict> &conflicts)
{
    QJsonArray a;
    for (const Conflict &c : conflicts)
        a.append(conflictJson(c));
    return a;
}

QJsonObject registrationJson(const Registration &r)
{
    QJsonObject o{{QStringLiteral("id"), r.id},
                  {QStringLiteral("partnerId"), r.partnerId},
                  {QStringLiteral("partner"), r.partnerName},
                  {QStringLiteral("account"), accountJson(r.account)},
                  {QStringLiteral("products"), stringArray(r.products)},
                  {QStringLiteral("closeDate"), dateJson(r.closeDate)},
                  {QStringLiteral("status"), deals::key(r.status)},
                  {QStringLiteral("reason"), r.reason},
                  {QStringLiteral("submittedAt"), timeJson(r.submittedAt)},
                  {QStringLiteral("decidedAt"), timeJson(r.decidedAt)},
                  {QStringLiteral("approvedAt"), timeJson(r.approvedAt)},
                  {QStringLiteral("expiresAt"), timeJson(r.expiresAt)},
                  {QStringLiteral("roomId"), r.roomId.isEmpty() ? QJsonValue() : QJsonValue(r.roomId)}};
    const QJsonObject money = moneyJson(r.amountMinor, r.currency);
    for (auto it = money.begin(); it != money.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject roomJson(const DealRoom &r, const QJsonArray &participants)
{
    QJsonObject o{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("name"), r.name},
        {QStringLiteral("stage"), r.stage},
        {QStringLiteral("account"), accountJson(r.account)},
        {QStringLiteral("closeDate"), dateJson(r.closeDate)},
        {QStringLiteral("products"), stringArray(r.products)},
        {QStringLiteral("participants"), participants},
        {QStringLiteral("aceOpportunityId"), r.aceOpportunityId},
        {QStringLiteral("aceReviewStatus"), r.aceReviewStatus},
        {QStringLiteral("partnerCenterReferralId"), r.partnerCenterReferralId},
        {QStringLiteral("registrationId"), r.registrationId.isEmpty() ? QJsonValue() : QJsonValue(r.registrationId)},
        {QStringLiteral("createdAt"), timeJson(r.createdAt)},
        {QStringLiteral("lastActivityAt"), timeJson(r.lastActivityAt)}};
    const QJsonObject money = moneyJson(r.amountMinor, r.currency);
    for (auto it = money.begin(); it != money.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject referralJson(const Referral &r)
{
    QJsonObject fee{
        {QStringLiteral("kind"), r.fee == Referral::Fee::Flat ? QStringLiteral("flat") : QStringLiteral("percent")}};
    if (r.fee == Referral::Fee::Flat)
        fee.insert(QStringLiteral("amount"), deals::formatAmount(r.feeFlatMinor, r.currency));
    else
        fee.insert(QStringLiteral("percent"), double(r.feePercentBp) / 100.0);
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("fromId"), r.fromOrgId},
            {QStringLiteral("from"), r.fromName},
            {QStringLiteral("toId"), r.toOrgId},
            {QStringLiteral("to"), r.toName},
            {QStringLiteral("account"), accountJson(r.account)},
            {QStringLiteral("need"), r.need},
            {QStringLiteral("contact"), r.contact},
            {QStringLiteral("expected"), moneyJson(r.expectedMinor, r.currency)},
            {QStringLiteral("fee"), fee},
            {QStringLiteral("status"), deals::key(r.status)},
            {QStringLiteral("reason"), r.reason},
            {QStringLiteral("sentAt"), timeJson(r.sentAt)},
            {QStringLiteral("slaDueAt"), timeJson(r.slaDueAt)},
            {QStringLiteral("answeredAt"), timeJson(r.answeredAt)},
            {QStringLiteral("roomId"), r.roomId.isEmpty() ? QJsonValue() : QJsonValue(r.roomId)}};
}

Result<QString> organizationId(Workspace &ws, const QString &text)
{
    auto org = findOrganization(ws, text);
    if (!org)
        return Error{org.error()};
    return org->id;
}

// The person behind --as EMAIL, with their organization.
struct AsPerson
{
    QString id;
    QString organizationId;
};

Result<AsPerson> personByEmail(Workspace &ws, const QString &email)
{
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT id, organization_id FROM people WHERE email = ? COLLATE NOCASE ORDER BY id "
                             "LIMIT 1"));
    q.addBindValue(email.trimmed());
    if (!q.exec() || !q.next())
        return Error{Tr::tr("No person has the email address \"%1\".").arg(email)};
    return AsPerson{q.value(0).toString(), q.value(1).toString()};
}

// Parses --workspace, --format json|text and the command's own options; false with a usage error.
bool start(QCommandLineParser &parser, const QStringList &arguments, const QList<QCommandLineOption> &options,
           bool *json, QString *error)
{
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("json or text."), QStringLiteral("F"),
                                    QStringLiteral("json"));
    if (!parse(parser, arguments, QList<QCommandLineOption>{workspaceOption(), format} + options, error))
        return false;
    const QString f = parser.value(format);
    if (f != QLatin1String("json") && f != QLatin1String("text")) {
        *error = Tr::tr("--format must be json or text, not \"%1\".").arg(f);
        return false;
    }
    *json = f == QLatin1String("json");
    return true;
}

QCommandLineOption valueOption(const char *name, const QString &help, const char *valueName = "VALUE")
{
    return QCommandLineOption(QLatin1String(name), help, QLatin1String(valueName));
}

// ---- registration from named fields (command-line options or CSV columns)

// One registration as typed: field names are the CSV column names.
struct Fields
{
    QHash<QString, QString> values;
    QString value(const char *name) const { return values.value(QLatin1String(name)).trimmed(); }
};

struct FieldError
{
    QString column;
    QString reason;
};

std::optional<FieldError> toRegistration(Workspace &ws, const Fields &f, Registration &r)
{
    if (f.value("partner").isEmpty())
        return FieldError{QStringLiteral("partner"), Tr::tr("the registering partner is required")};
    auto partner = organizationId(ws, f.value("partner"));
    if (!partner)
        return FieldError{QStringLiteral("partner"), partner.error()};
    if (f.value("account").isEmpty())
        return FieldError{QStringLiteral("account"), Tr::tr("the account name is required")};
    const QString currency = f.value("currency").toUpper();
    if (!deals::isCurrencyCode(currency))
        return FieldError{QStringLiteral("currency"),
                          Tr::tr("\"%1\" is not an ISO 4217 currency code").arg(f.value("currency"))};
    auto amount = deals::parseAmount(f.value("amount"), currency);
    if (!amount)
        return FieldError{QStringLiteral("amount"), amount.error()};
    QDate close;
    if (!f.value("close_date").isEmpty()) {
        close = QDate::fromString(f.value("close_date"), Qt::ISODate);
        if (!close.isValid())
            return FieldError{QStringLiteral("close_date"),
                              Tr::tr("\"%1\" is not a date (YYYY-MM-DD)").arg(f.value("close_date"))};
    }
    const QString website = f.value("website");
    r = Registration();
    r.partnerId = partner.value();
    r.account = DealAccount::from(f.value("account"), website, f.value("country"));
    if (!website.isEmpty() && r.account.website.isEmpty())
        return FieldError{QStringLiteral("website"), Tr::tr("\"%1\" is not a valid address").arg(website)};
    r.amountMinor = amount.value();
    r.currency = currency;
    r.closeDate = close;
    for (const QString &p : f.value("products").split(QRegularExpression(QStringLiteral("[,;]"))))
        if (!p.trimmed().isEmpty())
            r.products << p.trimmed();
    return std::nullopt;
}

void printSubmission(const SubmissionResult &s, bool json)
{
    if (json) {
        printJson({{QStringLiteral("registration"), registrationJson(s.registration)},
                   {QStringLiteral("conflict"), !s.conflicts.isEmpty()},
                   {QStringLiteral("conflicts"), conflictsJson(s.conflicts)}});
        return;
    }
    out(Tr::tr("Registration %1 for %2 by %3: %4\n")
            .arg(s.registration.id, s.registration.account.name, s.registration.partnerName,
                 deals::displayName(s.registration.status)));
    for (const Conflict &c : s.conflicts)
        out(Tr::tr("  Channel conflict: %1\n").arg(c.describe()));
}

// ---- deals register

int dealsRegister(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QList<QCommandLineOption> options{
        valueOption("partner", Tr::tr("Registering partner: name or id."), "ORG"),
        valueOption("account", Tr::tr("Account (company) name."), "NAME"),
        valueOption("website", Tr::tr("Account website."), "URL"),
        valueOption("country", Tr::tr("Account country."), "COUNTRY"),
        valueOption("amount", Tr::tr("Expected value, e.g. 125000.50."), "A"),
        valueOption("currency", Tr::tr("ISO 4217 code."), "C"),
        valueOption("close-date", Tr::tr("Expected close date, YYYY-MM-DD."), "D"),
        valueOption("products", Tr::tr("Products, comma separated."), "P1,P2"),
    };
    bool json = true;
    if (!start(parser, arguments, options, &json, &error))
        return failure(error, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("deals register takes no arguments besides its options."), 2);
    Fields f;
    for (const char *name : {"partner", "account", "website", "country", "amount", "currency", "products"})
        f.values.insert(QLatin1String(name), parser.value(QLatin1String(name)));
    f.values.insert(QStringLiteral("close_date"), parser.value(QStringLiteral("close-date")));
    return withWorkspace(parser, [&](Workspace &ws) {
        Registration r;
        if (auto bad = toRegistration(ws, f, r))
            return failure(QStringLiteral("--%1: %2")
                               .arg(QString(bad->column).replace(QLatin1Char('_'), QLatin1Char('-')), bad->reason),
                           2);
        RegistrationRepository regs(ws);
        auto result = regs.submit(r);
        if (!result)
            return failure(result.error());
        printSubmission(result.value(), json);
        return 0;
    });
}

// ---- deals register-bulk

int dealsRegisterBulk(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    bool json = true;
    if (!start(parser, arguments, {}, &json, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("deals register-bulk takes one FILE argument."), 2);
    const QString path = positional.first();
    return withWorkspace(parser, [&](Workspace &ws) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return failure(Tr::tr("Cannot read %1: %2").arg(path, file.errorString()));
        CsvReader reader(&file, path);
        QStringList header;
        if (!reader.next(header))
            return failure(reader.atError() ? reader.error() : Tr::tr("%1 is empty.").arg(path));
        const QStringList known{QStringLiteral("partner"),    QStringLiteral("account"), QStringLiteral("website"),
                                QStringLiteral("country"),    QStringLiteral("amount"),  QStringLiteral("currency"),
                                QStringLiteral("close_date"), QStringLiteral("products")};
        for (QString &h : header) {
            h = h.trimmed().toLower();
            if (!known.contains(h))
                return failure(Tr::tr("%1:%2: %3: unknown column (known: %4)")
                                   .arg(path)
                                   .arg(reader.recordLine())
                                   .arg(h, known.join(QStringLiteral(", "))));
        }
        for (const char *required : {"partner", "account", "amount", "currency"})
            if (!header.contains(QLatin1String(required)))
                return failure(Tr::tr("%1:%2: %3: required column missing")
                                   .arg(path)
                                   .arg(reader.recordLine())
                                   .arg(QLatin1String(required)));
        RegistrationRepository regs(ws);
        QJsonArray rows;
        int submitted = 0, failed = 0, withConflicts = 0;
        QStringList fields;
        while (reader.next(fields)) {
            const qint64 line = reader.recordLine();
            if (fields.size() == 1 && fields.first().trimmed().isEmpty())
                continue; // blank line
            QJsonObject row{{QStringLiteral("line"), line}};
            Fields f;
            for (qsizetype i = 0; i < header.size(); ++i)
                f.values.insert(header.at(i), fields.value(i));
            Registration r;
            QString problem;
            if (fields.size() != header.size()) {
                problem = QStringLiteral("%1:%2: %3: ").arg(path).arg(line).arg(header.value(fields.size() - 1)) +
                          Tr::tr("%1 fields where the header has %2").arg(fields.size()).arg(header.size());
            } else if (auto bad = toRegistration(ws, f, r)) {
                problem = QStringLiteral("%1:%2: %3: %4").arg(path).arg(line).arg(bad->column, bad->reason);
            } else if (auto result = regs.submit(r); !result) {
                problem = QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(result.error());
            } else {
                ++submitted;
                withConflicts += result->conflicts.isEmpty() ? 0 : 1;
                row.insert(QStringLiteral("ok"), true);
                row.insert(QStringLiteral("registration"), registrationJson(result->registration));
                row.insert(QStringLiteral("conflict"), !result->conflicts.isEmpty());
                row.insert(QStringLiteral("conflicts"), conflictsJson(result->conflicts));
                if (!json)
                    printSubmission(result.value(), false);
            }
            if (!problem.isEmpty()) {
                ++failed;
                row.insert(QStringLiteral("ok"), false);
                row.insert(QStringLiteral("error"), problem);
                failure(problem, 1);
            }
            rows.append(row);
        }
        if (reader.atError())
            return failure(reader.error());
        if (json)
            printJson({{QStringLiteral("file"), path},
                       {QStringLiteral("submitted"), submitted},
                       {QStringLiteral("failed"), failed},
                       {QStringLiteral("withConflicts"), withConflicts},
                       {QStringLiteral("rows"), rows}});
        else
            out(Tr::tr("%1: %2 submitted (%3 with conflicts), %4 failed\n")
                    .arg(path)
                    .arg(submitted)
                    .arg(withConflicts)
                    .arg(failed));
        return failed == 0 ? 0 : 1;
    });
}

// ---- deals list

int dealsList(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption as = valueOption("as", Tr::tr("Only what this person may see."), "EMAIL");
    const QCommandLineOption limit = valueOption("limit", Tr::tr("At most N rooms and N registrations."), "N");
    bool json = true;
    if (!start(parser, arguments, {as, limit}, &json, &error))
        return failure(error, 2);
    int max = -1;
    if (parser.isSet(limit)) {
        bool ok = false;
        max = parser.value(limit).toInt(&ok);
        if (!ok || max < 0)
            return failure(Tr::tr("--limit takes a whole number."), 2);
    }
    return withWorkspace(parser, [&](Workspace &ws) {
        DealRoomRepository rooms(ws);
        RegistrationRepository regs(ws);
        DealViewer viewer = DealViewer::everyone();
        QString partnerFilter;
        if (parser.isSet(as)) {
            auto person = personByEmail(ws, parser.value(as));
            if (!person)
                return failure(person.error());
            auto v = rooms.viewerFor(person->id);
            if (!v)
                return failure(v.error());
            viewer = v.value();
            // A partner's people see their own organization's registrations; vendor admins see all.
            if (!viewer.seesAll)
                partnerFilter = person->organizationId;
        }
        auto list = rooms.list(viewer, max);
        if (!list)
            return failure(list.error());
        QList<Registration> registrations;
        if (viewer.seesAll || !partnerFilter.isEmpty()) {
            auto r = regs.list(partnerFilter, max);
            if (!r)
                return failure(r.error());
            registrations = r.value();
        }
        if (!json) {
            for (const DealRoom &r : list.value())
                out(QStringLiteral("room %1\t%2\t%3\t%4 %5\n")
                        .arg(r.id, r.name, r.stage, deals::formatAmount(r.amountMinor, r.currency), r.currency));
            for (const Registration &r : std::as_const(registrations))
                out(QStringLiteral("registration %1\t%2\t%3\t%4\n")
                        .arg(r.id, r.account.name, r.partnerName, deals::key(r.status)));
            return 0;
        }
        QHash<QString, QJsonArray> participants;
        QSqlQuery q(ws.db());
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT pa.room_id, pa.organization_id, o.name, pa.role FROM deal_room_participants "
                                   "pa JOIN organizations o ON o.id = pa.organization_id ORDER BY pa.room_id, "
                                   "pa.added_at, pa.id")))
            return failure(Tr::tr("Reading deal room participants failed."));
        while (q.next())
            participants[q.value(0).toString()].append(
                QJsonObject{{QStringLiteral("organizationId"), q.value(1).toString()},
                            {QStringLiteral("organization"), q.value(2).toString()},
                            {QStringLiteral("role"), q.value(3).toString()}});
        QJsonArray roomArray, regArray;
        for (const DealRoom &r : list.value())
            roomArray.append(roomJson(r, participants.value(r.id)));
        for (const Registration &r : std::as_const(registrations))
            regArray.append(registrationJson(r));
        QJsonObject root{{QStringLiteral("workspace"), ws.path()},
                         {QStringLiteral("rooms"), roomArray},
                         {QStringLiteral("registrations"), regArray}};
        if (parser.isSet(as))
            root.insert(QStringLiteral("as"), parser.value(as));
        printJson(root);
        return 0;
    });
}

// ---- deals review|approve|reject|return|extend|resubmit|expire|expiring

int dealsDecide(const QStringList &arguments, const QString &verb)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption reason = valueOption("reason", Tr::tr("Why (required to reject)."), "TEXT");
    const QCommandLineOption days = valueOption("days", Tr::tr("Days to extend, or the protection period."), "N");
    bool json = true;
    if (!start(parser, arguments, {reason, days}, &json, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("deals %1 takes one registration ID.").arg(verb), 2);
    int dayCount = 0;
    if (parser.isSet(days)) {
        bool ok = false;
        dayCount = parser.value(days).toInt(&ok);
        if (!ok || dayCount <= 0)
            return failure(Tr::tr("--days takes a positive whole number."), 2);
    } else if (verb == QLatin1String("extend")) {
        return failure(Tr::tr("deals extend needs --days N."), 2);
    }
    const QString id = positional.first();
    return withWorkspace(parser, [&](Workspace &ws) {
        RegistrationRepository regs(ws);
        QJsonObject root;
        if (verb == QLatin1String("review")) {
            if (Status s = regs.startReview(id); !s)
                return failure(s.error());
        } else if (verb == QLatin1String("approve")) {
            if (dayCount > 0)
                regs.setProtectionDays(dayCount);
            auto room = regs.approve(id, QStringLiteral("cli"));
            if (!room)
                return failure(room.error());
            root.insert(QStringLiteral("room"), roomJson(room.value(), {}));
        } else if (verb == QLatin1String("reject")) {
            if (Status s = regs.reject(id, parser.value(reason)); !s)
                return failure(s.error());
        } else if (verb == QLatin1String("return")) {
            if (Status s = regs.returnForChanges(id, parser.value(reason)); !s)
                return failure(s.error());
        } else if (verb == QLatin1String("extend")) {
            if (Status s = regs.extend(id, dayCount); !s)
                return failure(s.error());
        } else if (verb == QLatin1String("resubmit")) {
            auto r = regs.find(id);
            if (!r)
                return failure(r.error());
            auto result = regs.resubmit(r.value());
            if (!result)
                return failure(result.error());
            root.insert(QStringLiteral("conflict"), !result->conflicts.isEmpty());
            root.insert(QStringLiteral("conflicts"), conflictsJson(result->conflicts));
        }
        auto r = regs.find(id);
        if (!r)
            return failure(r.error());
        root.insert(QStringLiteral("registration"), registrationJson(r.value()));
        if (json)
            printJson(root);
        else
            out(Tr::tr("Registration %1: %2\n").arg(id, deals::displayName(r->status)));
        return 0;
    });
}

int dealsExpire(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption at = valueOption("now", Tr::tr("Apply expiries as of this ISO time."), "TIME");
    bool json = true;
    if (!start(parser, arguments, {at}, &json, &error))
        return failure(error, 2);
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (parser.isSet(at)) {
        now = deals::parseTime(parser.value(at));
        if (!now.isValid())
            return failure(Tr::tr("--now takes an ISO 8601 time such as 2026-05-01T00:00:00Z."), 2);
    }
    return withWorkspace(parser, [&](Workspace &ws) {
        auto report = expireDue(ws, now);
        if (!report)
            return failure(report.error());
        if (json)
            printJson({{QStringLiteral("registrationsExpired"), report->registrations},
                       {QStringLiteral("referralsExpired"), report->referrals}});
        else
            out(Tr::tr("%1 registrations and %2 referrals expired\n")
                    .arg(report->registrations)
                    .arg(report->referrals));
        return 0;
    });
}

int dealsExpiring(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption within = QCommandLineOption(QStringLiteral("within"), Tr::tr("Days ahead."),
                                                         QStringLiteral("DAYS"), QStringLiteral("14"));
    bool json = true;
    if (!start(parser, arguments, {within}, &json, &error))
        return failure(error, 2);
    bool ok = false;
    const int days = parser.value(within).toInt(&ok);
    if (!ok || days < 0)
        return failure(Tr::tr("--within takes a whole number of days."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        RegistrationRepository regs(ws);
        auto list = regs.expiring(days);
        if (!list)
            return failure(list.error());
        QJsonArray a;
        for (const Registration &r : list.value()) {
            a.append(registrationJson(r));
            if (!json)
                out(QStringLiteral("%1\t%2\t%3\t%4\n")
                        .arg(r.id, r.account.name, r.partnerName, deals::isoTime(r.expiresAt)));
        }
        if (json)
            printJson({{QStringLiteral("within"), days}, {QStringLiteral("registrations"), a}});
        return 0;
    });
}

// ---- referrals

int referralsSend(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QList<QCommandLineOption> options{
        valueOption("from", Tr::tr("Referring organization: name or id."), "ORG"),
        valueOption("to", Tr::tr("Receiving organization: name or id."), "ORG"),
        valueOption("account", Tr::tr("Account (company) name."), "NAME"),
        valueOption("website", Tr::tr("Account website."), "URL"),
        valueOption("country", Tr::tr("Account country."), "COUNTRY"),
        valueOption("need", Tr::tr("What the customer needs."), "TEXT"),
        valueOption("contact", Tr::tr("Who to talk to."), "TEXT"),
        valueOption("expected", Tr::tr("Expected value."), "A"),
        valueOption("currency", Tr::tr("ISO 4217 code."), "C"),
        valueOption("fee-flat", Tr::tr("Flat referral fee."), "A"),
        valueOption("fee-percent", Tr::tr("Referral fee in percent."), "P"),
        valueOption("sla-days", Tr::tr("Days the receiver has to answer (default 7)."), "N"),
    };
    bool json = true;
    if (!start(parser, arguments, options, &json, &error))
        return failure(error, 2);
    const bool flat = parser.isSet(QStringLiteral("fee-flat"));
    const bool percent = parser.isSet(QStringLiteral("fee-percent"));
    if (flat == percent)
        return failure(Tr::tr("Give the fee as either --fee-flat A or --fee-percent P."), 2);
    const QString currency = parser.value(QStringLiteral("currency")).trimmed().toUpper();
    Referral r;
    r.currency = currency;
    for (const auto &[option, target] :
         {std::pair{"expected", &r.expectedMinor}, std::pair{"fee-flat", &r.feeFlatMinor}}) {
        if (!parser.isSet(QLatin1String(option)))
            continue;
        auto amount = deals::parseAmount(parser.value(QLatin1String(option)), currency);
        if (!amount)
            return failure(QStringLiteral("--%1: %2").arg(QLatin1String(option), amount.error()), 2);
        *target = amount.value();
    }
    if (percent) {
        r.fee = Referral::Fee::Percent;
        bool ok = false;
        const double p = parser.value(QStringLiteral("fee-percent")).toDouble(&ok);
        if (!ok || p <= 0 || p > 100)
            return failure(Tr::tr("--fee-percent takes a number above 0 and at most 100."), 2);
        r.feePercentBp = int(std::lround(p * 100));
    }
    int sla = deals::kDefaultReferralSlaDays;
    if (parser.isSet(QStringLiteral("sla-days"))) {
        bool ok = false;
        sla = parser.value(QStringLiteral("sla-days")).toInt(&ok);
        if (!ok || sla <= 0)
            return failure(Tr::tr("--sla-days takes a positive whole number."), 2);
    }
    return withWorkspace(parser, [&](Workspace &ws) {
        auto from = organizationId(ws, parser.value(QStringLiteral("from")));
        if (!from)
            return failure(QStringLiteral("--from: ") + from.error(), 2);
        auto to = organizationId(ws, parser.value(QStringLiteral("to")));
        if (!to)
            return failure(QStringLiteral("--to: ") + to.error(), 2);
        r.fromOrgId = from.value();
        r.toOrgId = to.value();
        r.account = DealAccount::from(parser.value(QStringLiteral("account")), parser.value(QStringLiteral("website")),
                                      parser.value(QStringLiteral("country")));
        r.need = parser.value(QStringLiteral("need"));
        r.contact = parser.value(QStringLiteral("contact"));
        ReferralRepository refs(ws);
        refs.setSlaDays(sla);
        if (Status s = refs.send(r); !s)
            return failure(s.error());
        auto stored = refs.find(r.id);
        if (!stored)
            return failure(stored.error());
        if (json)
            printJson({{QStringLiteral("referral"), referralJson(stored.value())}});
        else
            out(Tr::tr("Referral %1 sent to %2, answer due %3\n")
                    .arg(r.id, stored->toName, deals::isoTime(stored->slaDueAt)));
        return 0;
    });
}

int referralsAnswer(const QStringList &arguments, const QString &verb)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption reason = valueOption("reason", Tr::tr("Why (required to decline)."), "TEXT");
    bool json = true;
    if (!start(parser, arguments, {reason}, &json, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("referrals %1 takes one referral ID.").arg(verb), 2);
    const QString id = positional.first();
    return withWorkspace(parser, [&](Workspace &ws) {
        ReferralRepository refs(ws);
        QJsonObject root;
        if (verb == QLatin1String("accept")) {
            if (Status s = refs.accept(id); !s)
                return failure(s.error());
        } else if (verb == QLatin1String("decline")) {
            if (Status s = refs.decline(id, parser.value(reason)); !s)
                return failure(s.error());
        } else {
            auto room = refs.convert(id, QStringLiteral("cli"));
            if (!room)
                return failure(room.error());
            root.insert(QStringLiteral("room"), roomJson(room.value(), {}));
        }
        auto r = refs.find(id);
        if (!r)
            return failure(r.error());
        root.insert(QStringLiteral("referral"), referralJson(r.value()));
        if (json)
            printJson(root);
        else
            out(Tr::tr("Referral %1: %2\n").arg(id, deals::displayName(r->status)));
        return 0;
    });
}

int referralsList(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption organization = valueOption("organization", Tr::tr("Whose inbox or outbox."), "ORG");
    const QCommandLineOption box(QStringLiteral("box"), Tr::tr("inbox, outbox or all."), QStringLiteral("BOX"),
                                 QStringLiteral("all"));
    const QCommandLineOption as =
        valueOption("as", Tr::tr("Only what this person's organization sent or received."), "EMAIL");
    bool json = true;
    if (!start(parser, arguments, {organization, box, as}, &json, &error))
        return failure(error, 2);
    const QString boxName = parser.value(box);
    if (boxName != QLatin1String("all") && boxName != QLatin1String("inbox") && boxName != QLatin1String("outbox"))
        return failure(Tr::tr("--box must be inbox, outbox or all."), 2);
    if (boxName != QLatin1String("all") && !parser.isSet(organization) && !parser.isSet(as))
        return failure(Tr::tr("--box %1 needs --organization ORG or --as EMAIL.").arg(boxName), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        QString org;
        bool seesAll = true;
        if (parser.isSet(as)) {
            auto person = personByEmail(ws, parser.value(as));
            if (!person)
                return failure(person.error());
            DealRoomRepository rooms(ws);
            auto viewer = rooms.viewerFor(person->id);
            if (!viewer)
                return failure(viewer.error());
            seesAll = viewer->seesAll;
            org = person->organizationId;
        }
        if (parser.isSet(organization)) {
            auto id = organizationId(ws, parser.value(organization));
            if (!id)
                return failure(id.error());
            if (!seesAll && id.value() != org)
                return failure(Tr::tr("%1 may only list their own organization's referrals.").arg(parser.value(as)));
            org = id.value();
        }
        ReferralRepository refs(ws);
        QList<Referral> list;
        auto add = [&](ReferralRepository::Box b) -> Status {
            auto part = refs.list(b, org);
            if (!part)
                return Error{part.error()};
            list << part.value();
            return {};
        };
        Status s;
        if (boxName == QLatin1String("inbox"))
            s = add(ReferralRepository::Box::Inbox);
        else if (boxName == QLatin1String("outbox"))
            s = add(ReferralRepository::Box::Outbox);
        else if (org.isEmpty() || (seesAll && !parser.isSet(organization)))
            s = add(ReferralRepository::Box::All);
        else if ((s = add(ReferralRepository::Box::Inbox)))
            s = add(ReferralRepository::Box::Outbox);
        if (!s)
            return failure(s.error());
        QJsonArray a;
        for (const Referral &r : std::as_const(list)) {
            a.append(referralJson(r));
            if (!json)
                out(QStringLiteral("%1\t%2 -> %3\t%4\t%5\n")
                        .arg(r.id, r.fromName, r.toName, r.account.name, deals::key(r.status)));
        }
        if (json)
            printJson({{QStringLiteral("referrals"), a}});
        return 0;
    });
}

// ---- demo deals

int demoDeals(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption rooms(QStringLiteral("rooms"), Tr::tr("Number of deal rooms."), QStringLiteral("N"),
                                   QStringLiteral("2000"));
    const QCommandLineOption events(QStringLiteral("events-per-room"), Tr::tr("Timeline events per room."),
                                    QStringLiteral("M"), QStringLiteral("10"));
    const QCommandLineOption seed(QStringLiteral("seed"), Tr::tr("Random seed."), QStringLiteral("S"),
                                  QStringLiteral("1"));
    if (!parse(parser, arguments, {workspaceOption(), rooms, events, seed}, &error))
        return failure(error, 2);
    DemoDealsOptions options;
    bool ok1 = false, ok2 = false, ok3 = false;
    options.rooms = parser.value(rooms).toInt(&ok1);
    options.eventsPerRoom = parser.value(events).toInt(&ok2);
    options.seed = parser.value(seed).toULongLong(&ok3);
    if (!ok1 || !ok2 || !ok3 || options.rooms < 0 || options.eventsPerRoom < 0)
        return failure(Tr::tr("--rooms, --events-per-room and --seed take whole numbers."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        QElapsedTimer timer;
        timer.start();
        auto summary = addDemoDeals(ws, options);
        if (!summary)
            return failure(summary.error());
        out(Tr::tr("Added %1 deal rooms, %2 participants, %3 timeline events, %4 tasks (%5 overdue), %6 "
                   "registrations and %7 referrals to %8 in %9 s\n")
                .arg(summary->rooms)
                .arg(summary->participants)
                .arg(summary->events)
                .arg(summary->tasks)
                .arg(summary->overdueTasks)
                .arg(summary->registrations)
                .arg(summary->referrals)
                .arg(ws.path())
                .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
        return 0;
    });
}

const CommandRegistration registerCommand(
    {QStringLiteral("deals"), QStringLiteral("register"),
     QStringLiteral("  deals register --workspace W --partner ORG --account NAME [--website URL] [--country C]\n"
                    "      --amount A --currency C [--close-date D] [--products P1,P2] [--format json|text]\n"
                    "                          Register a deal for a partner; prints it with any channel\n"
                    "                          conflicts (exit 0 with conflicts too).\n"),
     dealsRegister});
const CommandRegistration
    bulkCommand({QStringLiteral("deals"), QStringLiteral("register-bulk"),
                 QStringLiteral("  deals register-bulk --workspace W FILE.csv [--format json|text]\n"
                                "                          Register one deal per CSV row, with a result per row.\n"),
                 dealsRegisterBulk});
const CommandRegistration listCommand(
    {QStringLiteral("deals"), QStringLiteral("list"),
     QStringLiteral("  deals list --workspace W [--as EMAIL] [--limit N] [--format json|text]\n"
                    "                          Deal rooms and registrations (with --as: what that person sees).\n"),
     dealsList});
const CommandRegistration
    reviewCommand({QStringLiteral("deals"), QStringLiteral("review"),
                   QStringLiteral("  deals review|approve|reject|return|resubmit|extend "
                                  "--workspace W ID [--reason TEXT] [--days N]\n"
                                  "                          Move a registration through its "
                                  "states (see docs/deals.md).\n"),
                   [](const QStringList &a) { return dealsDecide(a, QStringLiteral("review")); }});
const CommandRegistration
    approveCommand({QStringLiteral("deals"), QStringLiteral("approve"), QString(),
                    [](const QStringList &a) { return dealsDecide(a, QStringLiteral("approve")); }});
const CommandRegistration
    rejectCommand({QStringLiteral("deals"), QStringLiteral("reject"), QString(),
                   [](const QStringList &a) { return dealsDecide(a, QStringLiteral("reject")); }});
const CommandRegistration
    returnCommand({QStringLiteral("deals"), QStringLiteral("return"), QString(),
                   [](const QStringList &a) { return dealsDecide(a, QStringLiteral("return")); }});
const CommandRegistration
    resubmitCommand({QStringLiteral("deals"), QStringLiteral("resubmit"), QString(),
                     [](const QStringList &a) { return dealsDecide(a, QStringLiteral("resubmit")); }});
const CommandRegistration
    extendCommand({QStringLiteral("deals"), QStringLiteral("extend"), QString(),
                   [](const QStringList &a) { return dealsDecide(a, QStringLiteral("extend")); }});
const CommandRegistration expireCommand(
    {QStringLiteral("deals"), QStringLiteral("expire"),
     QStringLiteral("  deals expire --workspace W [--now TIME]\n"
                    "                          Expire approved registrations past their protection and referrals\n"
                    "                          past their SLA.\n"),
     dealsExpire});
const CommandRegistration expiringCommand(
    {QStringLiteral("deals"), QStringLiteral("expiring"),
     QStringLiteral("  deals expiring --workspace W [--within DAYS]\n"
                    "                          Approved registrations whose protection ends within DAYS (14).\n"),
     dealsExpiring});
const CommandRegistration sendCommand(
    {QStringLiteral("referrals"), QStringLiteral("send"),
     QStringLiteral("  referrals send --workspace W --from ORG --to ORG --account NAME [--website URL]\n"
                    "      [--country C] [--need TEXT] [--contact TEXT] [--expected A --currency C]\n"
                    "      (--fee-flat A | --fee-percent P) [--sla-days N]\n"
                    "                          Refer an account to another organization.\n"
                    "  referrals accept|decline|convert --workspace W ID [--reason TEXT]\n"
                    "                          Answer a referral; convert makes a deal room with both partners.\n"),
     referralsSend});
const CommandRegistration
    acceptCommand({QStringLiteral("referrals"), QStringLiteral("accept"), QString(),
                   [](const QStringList &a) { return referralsAnswer(a, QStringLiteral("accept")); }});
const CommandRegistration
    declineCommand({QStringLiteral("referrals"), QStringLiteral("decline"), QString(),
                    [](const QStringList &a) { return referralsAnswer(a, QStringLiteral("decline")); }});
const CommandRegistration
    convertCommand({QStringLiteral("referrals"), QStringLiteral("convert"), QString(),
                    [](const QStringList &a) { return referralsAnswer(a, QStringLiteral("convert")); }});
const CommandRegistration referralsListCommand(
    {QStringLiteral("referrals"), QStringLiteral("list"),
     QStringLiteral("  referrals list --workspace W [--organization ORG] [--box inbox|outbox|all] [--as EMAIL]\n"
                    "                          Referrals, all or one organization's inbox and outbox.\n"),
     referralsList});
const CommandRegistration demoDealsCommand(
    {QStringLiteral("demo"), QStringLiteral("deals"),
     QStringLiteral("  demo deals --workspace W [--rooms N] [--events-per-room M] [--seed S]\n"
                    "                          Add synthetic deal rooms, registrations and referrals to a demo\n"
                    "                          workspace (defaults: 2000 rooms, 10 events each).\n"),
     demoDeals});
} // namespace

} // namespace ecotone::cli
