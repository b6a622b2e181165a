#pragma once

#include "domain/Result.h"
#include "mapping/CrmAccounts.h"

#include <QDate>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ecotone {

// One opportunity (deal) row of a CRM export, with its money and date already checked and converted.
struct CrmOpportunity
{
    QString crmId;
    QString name;
    QString accountExternalId; // Salesforce AccountId, HubSpot (first) Associated Company ID
    QString accountName;
    QString stage; // as the CRM spells it
    QString state; // "open", "won" or "lost"
    std::optional<qint64> amountMinor;
    QString currency; // ISO 4217, empty when the row has no amount and no currency
    QDate closeDate;
    QString owner;
    QString pipeline;
    qint64 sourceLine = 0;
};

// How slash dates (3/4/2025) are read: decided once per file, see crmopportunities::read.
enum class DateOrder
{
    Undecided,
    MonthFirst,
    DayFirst,
};

struct CrmOpportunityReadOptions
{
    QString defaultCurrency; // ISO code for amounts that name none (no currency column, no symbol)
    // When set, each good row goes here instead of into CrmOpportunityFile::opportunities. Rows whose slash date
    // is ambiguous are held back until the file has shown its date order, so rows can arrive out of line order.
    std::function<void(CrmOpportunity &&)> sink;
    // Columns chosen by the user: field key (crmopportunities::fieldKeys) → header text. A field named here
    // overrides header detection; a header that is not in the file, or an unknown key, is an error.
    QMap<QString, QString> columns;
    // Called about every MiB and once at the end with the bytes read so far and the file's size. Returning false
    // stops the read, and read() returns an error saying it was cancelled.
    std::function<bool(qint64 bytesRead, qint64 bytesTotal)> progress;
};

struct CrmOpportunityFile
{
    QString file;
    QList<CrmOpportunity> opportunities;
    QStringList problems; // "file:line: column: reason" for every row that was skipped
    DateOrder dateOrder = DateOrder::Undecided;
    qint64 rows = 0; // good rows
};

namespace crmopportunities {

// "open", "won" or "lost" from a stage name (Closed Won, closedwon, Closed - Lost, …); Salesforce's IsWon and
// IsClosed flags win over the name when present (empty std::nullopt = column absent or empty).
QString stateFromStage(const QString &stage, std::optional<bool> isWon = std::nullopt,
                       std::optional<bool> isClosed = std::nullopt);

// Digits after the decimal point in a currency (ISO 4217 exponent): 2 for most, 0 for JPY, 3 for KWD, …
int currencyDigits(const QString &isoCode);

struct Money
{
    std::optional<qint64> minor; // empty text gives no amount
    QString currency;            // as resolved from the column, the text's symbol or code, or the default
};

// Parses an amount exactly into minor units of its currency, never through floating point. Accepts grouping
// with , . space ' and Indian lakh groups, decimal comma or point, a currency code or symbol before or after,
// a leading minus or parentheses. currencyColumn is the row's currency cell (empty when none); hasCurrencyColumn
// says whether the file has such a column ($ means USD only when it has not). On failure the error is the reason.
Result<Money> parseAmount(const QString &text, const QString &currencyColumn, bool hasCurrencyColumn,
                          const QString &defaultCurrency = {});

// The exact decimal text of minor units in a currency: 123456 EUR -> "1234.56", 1234 JPY -> "1234".
QString formatMinor(qint64 minor, const QString &isoCode);

// "month-first", "day-first" or "" (undecided): how JSON output names a DateOrder.
QString dateOrderKey(DateOrder order);

// Parses ISO (2025-03-31, with an optional time after it), YYYY/MM/DD, D.M.YYYY and slash dates; order says how
// to read A/B/YYYY. An empty text gives an invalid date without error.
Result<QDate> parseDate(const QString &text, DateOrder order);

// What a slash date says about the file's order: DayFirst when the first part is above 12, MonthFirst when the
// second is, Undecided when both could be months (or the text is not a slash date).
DateOrder dateOrderHint(const QString &text);

// The field keys of CrmOpportunityReadOptions::columns, in display order: id, name, account_id, account_name,
// stage, amount, currency, close_date, owner, is_won, is_closed, pipeline.
QStringList fieldKeys();

// Header detection as read() does it (Salesforce API names and labels, HubSpot deal labels), and which CRM the
// header looks like. Header fields are compared trimmed and case-insensitively.
CrmColumns detectColumns(const QStringList &header);

// Whether a header looks like an opportunity export rather than an account export: it has a stage, amount or
// close-date column and no account type or website column.
bool looksLikeOpportunities(const QStringList &header);

// Reads an opportunity export from Salesforce (API names or UI labels), HubSpot (deals), or any CSV with those
// headers; streams the file. A file that cannot be read or has no id or name column is an error; a bad row is
// skipped and reported in problems.
Result<CrmOpportunityFile> read(const QString &path, const CrmOpportunityReadOptions &options = {});

} // namespace crmopportunities

} // namespace ecotone
