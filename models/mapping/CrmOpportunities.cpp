#include "CrmOpportunities.h"

#include "mapping/Csv.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::CrmOpportunities)
};

// Known headers per field, lower case, in order of preference: Salesforce API names, Salesforce UI and report
// labels, HubSpot deal export labels. "Account ID" is never an opportunity id, so the id list does not have it.
const QStringList kIdHeaders = {QStringLiteral("id"), QStringLiteral("opportunity id"), QStringLiteral("record id"),
                                QStringLiteral("deal id"), QStringLiteral("opportunity id (18)")};
const QStringList kNameHeaders = {QStringLiteral("name"), QStringLiteral("opportunity name"),
                                  QStringLiteral("deal name")};
const QStringList kAccountIdHeaders = {QStringLiteral("accountid"), QStringLiteral("account id"),
                                       QStringLiteral("associated company ids"),
                                       QStringLiteral("associated company id"), QStringLiteral("company id")};
const QStringList kAccountNameHeaders = {QStringLiteral("account.name"), QStringLiteral("account name"),
                                         QStringLiteral("associated company"), QStringLiteral("company name")};
const QStringList kStageHeaders = {QStringLiteral("stagename"), QStringLiteral("stage"), QStringLiteral("deal stage"),
                                   QStringLiteral("dealstage")};
const QStringList kAmountHeaders = {QStringLiteral("amount")};
const QStringList kCurrencyHeaders = {QStringLiteral("currencyisocode"), QStringLiteral("opportunity currency"),
                                      QStringLiteral("currency"), QStringLiteral("amount currency"),
                                      QStringLiteral("deal currency code")};
const QStringList kCloseDateHeaders = {QStringLiteral("closedate"), QStringLiteral("close date")};
const QStringList kOwnerHeaders = {QStringLiteral("owner.name"), QStringLiteral("opportunity owner"),
                                   QStringLiteral("deal owner"), QStringLiteral("ownerid")};
const QStringList kIsWonHeaders = {QStringLiteral("iswon"), QStringLiteral("won")};
const QStringList kIsClosedHeaders = {QStringLiteral("isclosed"), QStringLiteral("closed")};
const QStringList kPipelineHeaders = {QStringLiteral("pipeline")};

// Headers only one CRM's opportunity exports carry, for naming the source in the import dialog.
const QStringList kSalesforceHeaders = {
    QStringLiteral("stagename"),      QStringLiteral("opportunity name"), QStringLiteral("opportunity owner"),
    QStringLiteral("accountid"),      QStringLiteral("account name"),     QStringLiteral("closedate"),
    QStringLiteral("iswon"),          QStringLiteral("isclosed"),         QStringLiteral("opportunity id"),
    QStringLiteral("currencyisocode")};
const QStringList kHubSpotHeaders = {QStringLiteral("deal name"),
                                     QStringLiteral("deal stage"),
                                     QStringLiteral("dealstage"),
                                     QStringLiteral("deal owner"),
                                     QStringLiteral("record id"),
                                     QStringLiteral("associated company"),
                                     QStringLiteral("associated company ids"),
                                     QStringLiteral("deal currency code")};
const QStringList kWebsiteHeaders = {QStringLiteral("website"), QStringLiteral("website url"),
                                     QStringLiteral("company domain name"), QStringLiteral("domain")};

// The first candidate (in preference order) that the header has.
qsizetype findKnown(const QStringList &header, const QStringList &candidates)
{
    for (const QString &c : candidates)
        for (qsizetype i = 0; i < header.size(); ++i)
            if (header.at(i).trimmed().compare(c, Qt::CaseInsensitive) == 0)
                return i;
    return -1;
}

qsizetype countKnown(const QStringList &header, const QStringList &known)
{
    return std::count_if(header.cbegin(), header.cend(),
                         [&](const QString &h) { return known.contains(h.trimmed(), Qt::CaseInsensitive); });
}

bool isIsoCode(const QString &code)
{
    return code.size() == 3 && std::all_of(code.cbegin(), code.cend(),
                                           [](QChar c) { return c >= QLatin1Char('A') && c <= QLatin1Char('Z'); });
}

bool allDigits(QStringView s)
{
    return !s.isEmpty() &&
           std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); });
}

std::optional<bool> parseBool(const QString &text, bool *ok)
{
    const QString t = text.trimmed().toLower();
    *ok = true;
    if (t.isEmpty())
        return std::nullopt;
    if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no"))
        return false;
    *ok = false;
    return std::nullopt;
}

// What a currency marker in an amount says: an ISO code, or "$"/"¥" which name no one currency.
QString currencyMarker(const QString &marker, bool *ok)
{
    *ok = true;
    if (marker.isEmpty())
        return {};
    if (marker == QStringLiteral("€"))
        return QStringLiteral("EUR");
    if (marker == QStringLiteral("£"))
        return QStringLiteral("GBP");
    if (marker == QLatin1String("$") || marker == QStringLiteral("¥"))
        return marker;
    const QString upper = marker.toUpper();
    if (upper == QLatin1String("US$"))
        return QStringLiteral("USD");
    if (isIsoCode(upper))
        return upper;
    *ok = false;
    return {};
}

// Whole-number value of ASCII digits; the caller has bounded their count so it cannot overflow.
qint64 digitsValue(QStringView digits)
{
    qint64 v = 0;
    for (QChar c : digits)
        v = v * 10 + (c.unicode() - '0');
    return v;
}

// Checks thousands grouping: western (1,234,567) or Indian (12,34,567); the first group 1-3 digits.
bool validGrouping(const QList<QStringView> &groups)
{
    if (groups.size() < 2 || groups.first().isEmpty() || groups.first().size() > 3 || groups.last().size() != 3)
        return false;
    const qsizetype middle = groups.size() > 2 ? groups.at(1).size() : 3;
    if (middle != 2 && middle != 3)
        return false;
    for (qsizetype i = 1; i + 1 < groups.size(); ++i)
        if (groups.at(i).size() != middle)
            return false;
    return std::all_of(groups.cbegin(), groups.cend(), [](QStringView g) { return allDigits(g); });
}
} // namespace

QStringList crmopportunities::fieldKeys()
{
    return {QStringLiteral("id"),           QStringLiteral("name"),       QStringLiteral("account_id"),
            QStringLiteral("account_name"), QStringLiteral("stage"),      QStringLiteral("amount"),
            QStringLiteral("currency"),     QStringLiteral("close_date"), QStringLiteral("owner"),
            QStringLiteral("is_won"),       QStringLiteral("is_closed"),  QStringLiteral("pipeline")};
}

CrmColumns crmopportunities::detectColumns(const QStringList &header)
{
    const QStringList *known[] = {&kIdHeaders,    &kNameHeaders,   &kAccountIdHeaders, &kAccountNameHeaders,
                                  &kStageHeaders, &kAmountHeaders, &kCurrencyHeaders,  &kCloseDateHeaders,
                                  &kOwnerHeaders, &kIsWonHeaders,  &kIsClosedHeaders,  &kPipelineHeaders};
    const QStringList keys = fieldKeys();
    CrmColumns out;
    for (qsizetype k = 0; k < keys.size(); ++k) {
        if (const qsizetype i = findKnown(header, *known[k]); i >= 0)
            out.columns.insert(keys.at(k), header.at(i).trimmed());
    }
    const qsizetype salesforce = countKnown(header, kSalesforceHeaders);
    const qsizetype hubspot = countKnown(header, kHubSpotHeaders);
    if (salesforce > hubspot)
        out.source = QStringLiteral("salesforce");
    else if (hubspot > salesforce)
        out.source = QStringLiteral("hubspot");
    return out;
}

bool crmopportunities::looksLikeOpportunities(const QStringList &header)
{
    const bool dealColumns = findKnown(header, kStageHeaders) >= 0 || findKnown(header, kAmountHeaders) >= 0 ||
                             findKnown(header, kCloseDateHeaders) >= 0;
    // Opportunity exports carry a Type too (New Business, Renewal), so only a website says "accounts".
    return dealColumns && findKnown(header, kWebsiteHeaders) < 0;
}

QString crmopportunities::stateFromStage(const QString &stage, std::optional<bool> isWon, std::optional<bool> isClosed)
{
    if (isWon.value_or(false))
        return QStringLiteral("won");
    if (isClosed.has_value())
        return *isClosed ? QStringLiteral("lost") : QStringLiteral("open");
    // Letters only, so "Closed Won", "closedwon", "Closed - Won" and "CLOSED_WON" read the same.
    QString key;
    for (QChar c : stage)
        if (c.isLetter())
            key += c.toCaseFolded();
    if (key == QLatin1String("won") || key.startsWith(QLatin1String("closedwon")))
        return QStringLiteral("won");
    if (key == QLatin1String("lost") || key.startsWith(QLatin1String("closedlost")))
        return QStringLiteral("lost");
    return QStringLiteral("open");
}

int crmopportunities::currencyDigits(const QString &isoCode)
{
    static const QStringList zero = {QStringLiteral("BIF"), QStringLiteral("CLP"), QStringLiteral("DJF"),
                                     QStringLiteral("GNF"), QStringLiteral("ISK"), QStringLiteral("JPY"),
                                     QStringLiteral("KMF"), QStringLiteral("KRW"), QStringLiteral("PYG"),
                                     QStringLiteral("RWF"), QStringLiteral("UGX"), QStringLiteral("UYI"),
                                     QStringLiteral("VND"), QStringLiteral("VUV"), QStringLiteral("XAF"),
                                     QStringLiteral("XOF"), QStringLiteral("XPF")};
    static const QStringList three = {QStringLiteral("BHD"), QStringLiteral("IQD"), QStringLiteral("JOD"),
                                      QStringLiteral("KWD"), QStringLiteral("LYD"), QStringLiteral("OMR"),
                                      QStringLiteral("TND")};
    if (zero.contains(isoCode))
        return 0;
    if (three.contains(isoCode))
        return 3;
    if (isoCode == QLatin1String("CLF") || isoCode == QLatin1String("UYW"))
        return 4;
    return 2;
}

Result<crmopportunities::Money> crmopportunities::parseAmount(const QString &text, const QString &currencyColumn,
                                                              bool hasCurrencyColumn, const QString &defaultCurrency)
{
    Money money;
    const QString column = currencyColumn.trimmed().toUpper();
    if (!column.isEmpty() && !isIsoCode(column))
        return Error{Tr::tr("\"%1\" is not an ISO 4217 currency code").arg(currencyColumn.trimmed())};
    // Spaces of every width and apostrophes only ever group digits (1 234,56; 1'234.56).
    QString s;
    s.reserve(text.size());
    for (QChar c : text)
        if (!c.isSpace() && c != QLatin1Char('\'') && c != QChar(0x2019))
            s += c;
    if (s.isEmpty()) {
        money.currency = column;
        return money;
    }
    const auto invalid = [&] { return Error{Tr::tr("\"%1\" is not an amount").arg(text.trimmed())}; };
    bool negative = false;
    if (s.startsWith(QLatin1Char('(')) && s.endsWith(QLatin1Char(')'))) {
        negative = true;
        s = s.mid(1, s.size() - 2);
    }
    // [sign] [marker] [sign] digits-and-separators [marker]
    qsizetype i = 0;
    auto takeSign = [&] {
        if (i < s.size() && (s.at(i) == QLatin1Char('-') || s.at(i) == QLatin1Char('+') || s.at(i) == QChar(0x2212))) {
            negative = negative || s.at(i) != QLatin1Char('+');
            ++i;
            return true;
        }
        return false;
    };
    const bool signFirst = takeSign();
    const qsizetype prefixStart = i;
    while (i < s.size() && !s.at(i).isDigit() && s.at(i) != QLatin1Char('-') && s.at(i) != QLatin1Char('+'))
        ++i;
    const QString prefix = s.mid(prefixStart, i - prefixStart);
    if (!signFirst)
        takeSign();
    const qsizetype bodyStart = i;
    while (i < s.size() && (s.at(i).isDigit() || s.at(i) == QLatin1Char('.') || s.at(i) == QLatin1Char(',')))
        ++i;
    const QStringView body = QStringView(s).mid(bodyStart, i - bodyStart);
    const QString suffix = s.mid(i);
    if (body.isEmpty() || !body.front().isDigit() || (!prefix.isEmpty() && !suffix.isEmpty()))
        return invalid();
    if (!std::all_of(body.cbegin(), body.cend(), [](QChar c) { return c.unicode() < 128; }))
        return invalid(); // other scripts' digits
    bool markerOk = false;
    const QString marker = currencyMarker(prefix.isEmpty() ? suffix : prefix, &markerOk);
    if (!markerOk)
        return invalid();

    const bool markerIsCode = isIsoCode(marker);
    if (!column.isEmpty()) {
        if (markerIsCode && marker != column)
            return Error{Tr::tr("the amount is in %1 but the currency column says %2").arg(marker, column)};
        money.currency = column;
    } else if (markerIsCode) {
        money.currency = marker;
    } else if (marker == QLatin1String("$") && !hasCurrencyColumn) {
        money.currency = QStringLiteral("USD");
    } else {
        money.currency = defaultCurrency.trimmed().toUpper();
    }
    if (money.currency.isEmpty())
        return Error{Tr::tr("\"%1\" names no currency and the row has none; add a currency column or choose a "
                            "default currency (--currency)")
                         .arg(text.trimmed())};
    const int digits = currencyDigits(money.currency);

    // Which separator is the decimal one: the last when both occur; a lone one unless it is followed by exactly
    // three digits (then it groups thousands, "1,234" or "1.234" being 1234) in a currency with fewer decimals.
    const qsizetype lastDot = body.lastIndexOf(QLatin1Char('.'));
    const qsizetype lastComma = body.lastIndexOf(QLatin1Char(','));
    QChar decimal, grouping;
    if (lastDot >= 0 && lastComma >= 0) {
        decimal = lastDot > lastComma ? QLatin1Char('.') : QLatin1Char(',');
        grouping = lastDot > lastComma ? QLatin1Char(',') : QLatin1Char('.');
        if (body.count(decimal) != 1)
            return invalid();
    } else if (lastDot >= 0 || lastComma >= 0) {
        const QChar sep = lastDot >= 0 ? QLatin1Char('.') : QLatin1Char(',');
        const qsizetype at = std::max(lastDot, lastComma);
        const bool threeAfter = body.size() - at - 1 == 3;
        const bool leadingZero = at == 1 && body.front() == QLatin1Char('0');
        if (body.count(sep) > 1 || (threeAfter && digits != 3 && !leadingZero))
            grouping = sep;
        else
            decimal = sep;
    }
    const qsizetype decimalAt = decimal.isNull() ? -1 : body.lastIndexOf(decimal);
    const QStringView whole = decimalAt >= 0 ? body.left(decimalAt) : body;
    QStringView fraction = decimalAt >= 0 ? body.mid(decimalAt + 1) : QStringView();
    QString integerDigits;
    if (!grouping.isNull() && whole.contains(grouping)) {
        const QList<QStringView> groups = whole.split(grouping);
        if (!validGrouping(groups))
            return invalid();
        for (QStringView g : groups)
            integerDigits += g;
    } else {
        integerDigits = whole.toString();
    }
    if (!allDigits(integerDigits) || (decimalAt >= 0 && !fraction.isEmpty() && !allDigits(fraction)))
        return invalid();
    // More decimals than the currency has are accepted only when they are zeros: never round money silently.
    while (fraction.size() > digits && fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    if (fraction.size() > digits)
        return Error{
            Tr::tr("\"%1\" has more decimals than %2 has (%3)").arg(text.trimmed(), money.currency).arg(digits)};
    while (integerDigits.size() > 1 && integerDigits.startsWith(QLatin1Char('0')))
        integerDigits.remove(0, 1);
    if (integerDigits.size() + digits > 18)
        return Error{Tr::tr("\"%1\" is too large").arg(text.trimmed())};
    qint64 minor = digitsValue(integerDigits);
    for (int d = 0; d < digits; ++d)
        minor = minor * 10 + (d < fraction.size() ? fraction.at(d).unicode() - '0' : 0);
    money.minor = negative ? -minor : minor;
    return money;
}

QString crmopportunities::formatMinor(qint64 minor, const QString &isoCode)
{
    const int digits = currencyDigits(isoCode);
    QString text = QString::number(minor < 0 ? -(minor / 10) : minor / 10); // no overflow at the minimum
    text += QString::number(minor < 0 ? -(minor % 10) : minor % 10);
    if (text.size() > 1 && text.startsWith(QLatin1Char('0')))
        text.remove(0, 1);
    if (digits > 0) {
        if (text.size() <= digits)
            text = QString(digits + 1 - text.size(), QLatin1Char('0')) + text;
        text.insert(text.size() - digits, QLatin1Char('.'));
    }
    return minor < 0 ? QLatin1Char('-') + text : text;
}

QString crmopportunities::dateOrderKey(DateOrder order)
{
    switch (order) {
    case DateOrder::MonthFirst:
        return QStringLiteral("month-first");
    case DateOrder::DayFirst:
        return QStringLiteral("day-first");
    case DateOrder::Undecided:
        break;
    }
    return {};
}

DateOrder crmopportunities::dateOrderHint(const QString &text)
{
    const QStringList parts = text.trimmed().section(QLatin1Char(' '), 0, 0).split(QLatin1Char('/'));
    if (parts.size() != 3 || parts.at(0).size() > 2 || parts.at(1).size() > 2)
        return DateOrder::Undecided;
    const int a = parts.at(0).toInt();
    const int b = parts.at(1).toInt();
    if (a > 12 && b <= 12)
        return DateOrder::DayFirst;
    if (b > 12 && a <= 12)
        return DateOrder::MonthFirst;
    return DateOrder::Undecided;
}

Result<QDate> crmopportunities::parseDate(const QString &text, DateOrder order)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QDate();
    const auto invalid = [&] { return Error{Tr::tr("\"%1\" is not a date").arg(t)}; };
    // A time after the date (HubSpot "2025-03-31 14:02", ISO "2025-03-31T00:00:00Z") is dropped.
    qsizetype end = t.indexOf(QLatin1Char(' '));
    if (end < 0 && t.size() > 10 && t.at(10) == QLatin1Char('T'))
        end = 10;
    const QString date = end >= 0 ? t.left(end) : t;
    QChar sep;
    for (QChar c : date)
        if (c == QLatin1Char('-') || c == QLatin1Char('/') || c == QLatin1Char('.')) {
            sep = c;
            break;
        }
    if (sep.isNull())
        return invalid();
    const QStringList parts = date.split(sep);
    if (parts.size() != 3 ||
        !std::all_of(parts.cbegin(), parts.cend(), [](const QString &p) { return allDigits(p) && p.size() <= 4; }))
        return invalid();
    int year, month, day;
    if (parts.at(0).size() == 4) { // 2025-03-31, 2025/03/31, 2025.03.31
        year = parts.at(0).toInt();
        month = parts.at(1).toInt();
        day = parts.at(2).toInt();
    } else {
        if (parts.at(2).size() != 4 && parts.at(2).size() != 2)
            return invalid();
        year = parts.at(2).toInt() + (parts.at(2).size() == 2 ? 2000 : 0);
        const int a = parts.at(0).toInt();
        const int b = parts.at(1).toInt();
        bool dayFirst = sep == QLatin1Char('.'); // D.M.YYYY is European everywhere
        if (!dayFirst) {
            if (a > 12 && order == DateOrder::MonthFirst)
                return Error{Tr::tr("\"%1\" is day first, but this file's dates are month first (M/D/YYYY)").arg(t)};
            if (b > 12 && order == DateOrder::DayFirst)
                return Error{Tr::tr("\"%1\" is month first, but this file's dates are day first (D/M/YYYY)").arg(t)};
            dayFirst = a > 12 || (b <= 12 && order == DateOrder::DayFirst);
        }
        day = dayFirst ? a : b;
        month = dayFirst ? b : a;
    }
    const QDate d(year, month, day);
    if (!d.isValid())
        return invalid();
    return d;
}

Result<CrmOpportunityFile> crmopportunities::read(const QString &path, const CrmOpportunityReadOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    const QString source = QFileInfo(path).fileName();
    CsvReader reader(&file, path);

    CrmOpportunityFile result;
    result.file = path;
    QStringList header;
    if (!reader.next(header)) {
        if (reader.atError())
            return Error{reader.error()};
        return Error{Tr::tr("%1 is empty: an opportunity export needs a header row.").arg(path)};
    }
    for (QString &h : header)
        h = h.trimmed();
    // Detected columns, then the user's choices: a field chosen explicitly wins.
    QMap<QString, QString> chosen = detectColumns(header).columns;
    if (Status s = crmcolumns::choose(path, header, fieldKeys(), options.columns, chosen); !s)
        return Error{s.error()};
    auto column = [&](const char *key) -> qsizetype {
        const auto it = chosen.constFind(QLatin1String(key));
        return it == chosen.cend() ? -1 : crmcolumns::indexOf(header, it.value());
    };
    const qsizetype idCol = column("id");
    const qsizetype nameCol = column("name");
    if (idCol < 0)
        return Error{Tr::tr("%1: no opportunity id column (Id, Opportunity ID or Record ID); choose one.").arg(path)};
    if (nameCol < 0)
        return Error{
            Tr::tr("%1: no opportunity name column (Name, Opportunity Name or Deal Name); choose one.").arg(path)};
    const qsizetype accountIdCol = column("account_id");
    const qsizetype accountNameCol = column("account_name");
    const qsizetype stageCol = column("stage");
    const qsizetype amountCol = column("amount");
    const qsizetype currencyCol = column("currency");
    const qsizetype dateCol = column("close_date");
    const qsizetype ownerCol = column("owner");
    const qsizetype isWonCol = column("is_won");
    const qsizetype isClosedCol = column("is_closed");
    const qsizetype pipelineCol = column("pipeline");
    const qsizetype needed = std::max({idCol, nameCol, accountIdCol, accountNameCol, stageCol, amountCol, currencyCol,
                                       dateCol, ownerCol, isWonCol, isClosedCol, pipelineCol}) +
                             1;
    auto problem = [&](qint64 line, qsizetype col, const QString &reason) {
        result.problems << QStringLiteral("%1:%2: %3: %4")
                               .arg(source)
                               .arg(line)
                               .arg(col >= 0 && col < header.size() ? header.at(col) : QStringLiteral("row"), reason);
    };
    auto cell = [](const QStringList &fields, qsizetype col) {
        return col >= 0 ? fields.at(col).trimmed() : QString();
    };
    auto deliver = [&](CrmOpportunity &&o) {
        ++result.rows;
        if (options.sink)
            options.sink(std::move(o));
        else
            result.opportunities.append(std::move(o));
    };
    // Rows whose slash date could be read either way wait here until a row shows the file's order.
    QList<std::pair<CrmOpportunity, QString>> pending;
    bool heldBack = false;
    auto settle = [&](DateOrder order) {
        result.dateOrder = order;
        for (auto &[o, text] : pending) {
            auto date = parseDate(text, order);
            if (!date) {
                problem(o.sourceLine, dateCol, date.error());
                continue;
            }
            o.closeDate = date.value();
            deliver(std::move(o));
        }
        pending.clear();
    };

    // Progress goes by the bytes the reader has taken from the file, which it reads ahead in chunks.
    constexpr qint64 kProgressStep = 1 << 20;
    const qint64 total = file.size();
    qint64 nextProgress = kProgressStep;
    auto cancelled = [&] { return Error{Tr::tr("Reading %1 was cancelled.").arg(path)}; };

    QStringList fields;
    while (reader.next(fields)) {
        if (options.progress && file.pos() >= nextProgress) {
            nextProgress = file.pos() + kProgressStep;
            if (!options.progress(file.pos(), std::max(total, file.pos())))
                return cancelled();
        }
        const qint64 line = reader.recordLine();
        if (fields.size() == 1 && fields.first().trimmed().isEmpty())
            continue; // blank line
        if (fields.size() < needed) {
            problem(line, -1, Tr::tr("the row has %1 fields, the header has %2").arg(fields.size()).arg(header.size()));
            continue;
        }
        const qsizetype before = result.problems.size();
        CrmOpportunity o;
        o.sourceLine = line;
        o.crmId = cell(fields, idCol);
        o.name = cell(fields, nameCol);
        // HubSpot lists every associated company ("123;456"); the first is the primary one.
        o.accountExternalId = cell(fields, accountIdCol).section(QLatin1Char(';'), 0, 0).trimmed();
        o.accountName = cell(fields, accountNameCol);
        o.stage = cell(fields, stageCol);
        o.owner = cell(fields, ownerCol);
        o.pipeline = cell(fields, pipelineCol);
        if (o.crmId.isEmpty())
            problem(line, idCol, Tr::tr("the id is empty"));
        if (o.name.isEmpty())
            problem(line, nameCol, Tr::tr("the name is empty"));
        bool okWon = true, okClosed = true;
        const std::optional<bool> isWon = parseBool(cell(fields, isWonCol), &okWon);
        const std::optional<bool> isClosed = parseBool(cell(fields, isClosedCol), &okClosed);
        if (!okWon)
            problem(line, isWonCol, Tr::tr("\"%1\" is neither true nor false").arg(cell(fields, isWonCol)));
        if (!okClosed)
            problem(line, isClosedCol, Tr::tr("\"%1\" is neither true nor false").arg(cell(fields, isClosedCol)));
        o.state = stateFromStage(o.stage, isWon, isClosed);
        auto money =
            parseAmount(cell(fields, amountCol), cell(fields, currencyCol), currencyCol >= 0, options.defaultCurrency);
        if (money) {
            o.amountMinor = money->minor;
            o.currency = money->currency;
        } else {
            const bool currencyCell = currencyCol >= 0 && !isIsoCode(cell(fields, currencyCol).toUpper()) &&
                                      !cell(fields, currencyCol).isEmpty();
            problem(line, currencyCell ? currencyCol : amountCol, money.error());
        }
        const QString dateText = cell(fields, dateCol);
        if (result.dateOrder == DateOrder::Undecided) {
            if (const DateOrder hint = dateOrderHint(dateText); hint != DateOrder::Undecided)
                settle(hint);
        }
        const bool waits = result.dateOrder == DateOrder::Undecided && dateText.contains(QLatin1Char('/')) &&
                           dateText.section(QLatin1Char('/'), 0, 0).size() <= 2;
        if (!waits) {
            auto date = parseDate(dateText, result.dateOrder);
            if (date)
                o.closeDate = date.value();
            else
                problem(line, dateCol, date.error());
        }
        if (result.problems.size() != before)
            continue;
        heldBack = heldBack || waits;
        if (waits)
            pending.append({std::move(o), dateText});
        else
            deliver(std::move(o));
    }
    if (reader.atError())
        return Error{reader.error()};
    if (options.progress && !options.progress(file.pos(), std::max(total, file.pos())))
        return cancelled();
    // No date in the file shows its order: month first, as Salesforce and HubSpot write them in US English.
    if (!pending.isEmpty())
        settle(DateOrder::MonthFirst);
    if (heldBack && !options.sink)
        std::stable_sort(result.opportunities.begin(), result.opportunities.end(),
                         [](const CrmOpportunity &a, const CrmOpportunity &b) { return a.sourceLine < b.sourceLine; });
    // Held-back rows report late; list the problems in line order.
    const qsizetype prefix = source.size() + 1;
    auto lineOf = [prefix](const QString &p) {
        return QStringView(p).mid(prefix, p.indexOf(QLatin1Char(':'), prefix) - prefix).toLongLong();
    };
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [&](const QString &a, const QString &b) { return lineOf(a) < lineOf(b); });
    return result;
}

} // namespace ecotone
