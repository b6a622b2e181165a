#include "DealTypes.h"

#include "mapping/CompanyNames.h"
#include "mapping/Domains.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Deals)
};

template <typename E, size_t N> std::optional<E> fromKeys(const QString &key, const std::array<E, N> &all)
{
    for (E e : all)
        if (deals::key(e) == key)
            return e;
    return std::nullopt;
}

constexpr std::array kRoles{ParticipantRole::Sourcing, ParticipantRole::Fulfilling, ParticipantRole::Influencing,
                            ParticipantRole::Technical, ParticipantRole::CloudMarketplace};
constexpr std::array kKinds{
    EventKind::Note,  EventKind::Call, EventKind::Meeting, EventKind::StageChange, EventKind::ParticipantChange,
    EventKind::System};
constexpr std::array kRegistrationStatuses{RegistrationStatus::Submitted, RegistrationStatus::UnderReview,
                                           RegistrationStatus::Approved,  RegistrationStatus::Rejected,
                                           RegistrationStatus::Returned,  RegistrationStatus::Expired};
constexpr std::array kReferralStatuses{ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::Declined,
                                       ReferralStatus::Converted, ReferralStatus::Expired};
} // namespace

namespace deals {

QString key(ParticipantRole role)
{
    switch (role) {
    case ParticipantRole::Sourcing:
        return QStringLiteral("sourcing");
    case ParticipantRole::Fulfilling:
        return QStringLiteral("fulfilling");
    case ParticipantRole::Influencing:
        return QStringLiteral("influencing");
    case ParticipantRole::Technical:
        return QStringLiteral("technical");
    case ParticipantRole::CloudMarketplace:
        return QStringLiteral("cloud_marketplace");
    }
    return {};
}

QString key(EventKind kind)
{
    switch (kind) {
    case EventKind::Note:
        return QStringLiteral("note");
    case EventKind::Call:
        return QStringLiteral("call");
    case EventKind::Meeting:
        return QStringLiteral("meeting");
    case EventKind::StageChange:
        return QStringLiteral("stage_change");
    case EventKind::ParticipantChange:
        return QStringLiteral("participant_change");
    case EventKind::System:
        return QStringLiteral("system");
    }
    return {};
}

QString key(RegistrationStatus status)
{
    switch (status) {
    case RegistrationStatus::Submitted:
        return QStringLiteral("submitted");
    case RegistrationStatus::UnderReview:
        return QStringLiteral("under_review");
    case RegistrationStatus::Approved:
        return QStringLiteral("approved");
    case RegistrationStatus::Rejected:
        return QStringLiteral("rejected");
    case RegistrationStatus::Returned:
        return QStringLiteral("returned");
    case RegistrationStatus::Expired:
        return QStringLiteral("expired");
    }
    return {};
}

QString key(ReferralStatus status)
{
    switch (status) {
    case ReferralStatus::Sent:
        return QStringLiteral("sent");
    case ReferralStatus::Accepted:
        return QStringLiteral("accepted");
    case ReferralStatus::Declined:
        return QStringLiteral("declined");
    case ReferralStatus::Converted:
        return QStringLiteral("converted");
    case ReferralStatus::Expired:
        return QStringLiteral("expired");
    }
    return {};
}

std::optional<ParticipantRole> roleFromKey(const QString &k)
{
    return fromKeys(k, kRoles);
}
std::optional<EventKind> eventKindFromKey(const QString &k)
{
    return fromKeys(k, kKinds);
}
std::optional<RegistrationStatus> registrationStatusFromKey(const QString &k)
{
    return fromKeys(k, kRegistrationStatuses);
}
std::optional<ReferralStatus> referralStatusFromKey(const QString &k)
{
    return fromKeys(k, kReferralStatuses);
}

QList<ParticipantRole> allRoles()
{
    return {kRoles.begin(), kRoles.end()};
}
QList<RegistrationStatus> allRegistrationStatuses()
{
    return {kRegistrationStatuses.begin(), kRegistrationStatuses.end()};
}
QList<ReferralStatus> allReferralStatuses()
{
    return {kReferralStatuses.begin(), kReferralStatuses.end()};
}

QString displayName(RegistrationStatus status)
{
    switch (status) {
    case RegistrationStatus::Submitted:
        return Tr::tr("Submitted");
    case RegistrationStatus::UnderReview:
        return Tr::tr("Under review");
    case RegistrationStatus::Approved:
        return Tr::tr("Approved");
    case RegistrationStatus::Rejected:
        return Tr::tr("Rejected");
    case RegistrationStatus::Returned:
        return Tr::tr("Returned for changes");
    case RegistrationStatus::Expired:
        return Tr::tr("Expired");
    }
    return {};
}

QString displayName(ReferralStatus status)
{
    switch (status) {
    case ReferralStatus::Sent:
        return Tr::tr("Sent");
    case ReferralStatus::Accepted:
        return Tr::tr("Accepted");
    case ReferralStatus::Declined:
        return Tr::tr("Declined");
    case ReferralStatus::Converted:
        return Tr::tr("Converted");
    case ReferralStatus::Expired:
        return Tr::tr("Expired");
    }
    return {};
}

bool isActive(RegistrationStatus status)
{
    return status == RegistrationStatus::Submitted || status == RegistrationStatus::UnderReview ||
           status == RegistrationStatus::Approved || status == RegistrationStatus::Returned;
}

const QList<std::pair<RegistrationStatus, RegistrationStatus>> &registrationTransitions()
{
    using S = RegistrationStatus;
    static const QList<std::pair<S, S>> table{
        {S::Submitted, S::UnderReview}, {S::UnderReview, S::Approved}, {S::UnderReview, S::Rejected},
        {S::UnderReview, S::Returned},  {S::Returned, S::Submitted},   {S::Approved, S::Expired},
    };
    return table;
}

const QList<std::pair<ReferralStatus, ReferralStatus>> &referralTransitions()
{
    using S = ReferralStatus;
    static const QList<std::pair<S, S>> table{
        {S::Sent, S::Accepted},
        {S::Sent, S::Declined},
        {S::Sent, S::Expired},
        {S::Accepted, S::Converted},
    };
    return table;
}

Status checkTransition(RegistrationStatus from, RegistrationStatus to)
{
    if (registrationTransitions().contains(std::pair{from, to}))
        return {};
    return Error{Tr::tr("A registration cannot move from %1 to %2.").arg(displayName(from), displayName(to))};
}

Status checkTransition(ReferralStatus from, ReferralStatus to)
{
    if (referralTransitions().contains(std::pair{from, to}))
        return {};
    return Error{Tr::tr("A referral cannot move from %1 to %2.").arg(displayName(from), displayName(to))};
}

QStringList productSet(const QStringList &products)
{
    QStringList out;
    for (const QString &p : products) {
        const QString k = p.simplified().toCaseFolded();
        if (!k.isEmpty() && !out.contains(k))
            out << k;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QString isoTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTime(const QString &iso)
{
    if (iso.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    return t.toUTC();
}

bool isCurrencyCode(const QString &currency)
{
    if (currency.size() != 3)
        return false;
    return std::all_of(currency.begin(), currency.end(), [](QChar c) { return c.unicode() < 128 && c.isLetter(); });
}

int minorDigits(const QString &currency)
{
    static const QStringList zero{QStringLiteral("JPY"), QStringLiteral("KRW"), QStringLiteral("VND"),
                                  QStringLiteral("CLP"), QStringLiteral("ISK"), QStringLiteral("UGX")};
    static const QStringList three{QStringLiteral("BHD"), QStringLiteral("KWD"), QStringLiteral("OMR"),
                                   QStringLiteral("JOD"), QStringLiteral("TND"), QStringLiteral("IQD")};
    const QString c = currency.toUpper();
    if (zero.contains(c))
        return 0;
    if (three.contains(c))
        return 3;
    return 2;
}

Result<qint64> parseAmount(const QString &text, const QString &currency)
{
    const QString t = text.trimmed();
    const int digits = minorDigits(currency);
    const qsizetype dot = t.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? t : t.left(dot);
    QString fraction = dot < 0 ? QString() : t.mid(dot + 1);
    auto allDigits = [](const QString &s) {
        return std::all_of(s.begin(), s.end(), [](QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); });
    };
    if (whole.isEmpty() || !allDigits(whole) || !allDigits(fraction) || whole.size() > 15 ||
        (dot >= 0 && fraction.isEmpty()))
        return Error{Tr::tr("\"%1\" is not an amount (write it like 125000 or 125000.50).").arg(text)};
    if (fraction.size() > digits)
        return Error{Tr::tr("\"%1\" has more decimals than %2 allows (%3).").arg(text, currency.toUpper()).arg(digits)};
    while (fraction.size() < digits)
        fraction += QLatin1Char('0');
    qint64 value = whole.toLongLong();
    for (int i = 0; i < digits; ++i)
        value *= 10;
    return value + (fraction.isEmpty() ? 0 : fraction.toLongLong());
}

QString formatAmount(qint64 minor, const QString &currency)
{
    const int digits = minorDigits(currency);
    if (digits == 0)
        return QString::number(minor);
    qint64 scale = 1;
    for (int i = 0; i < digits; ++i)
        scale *= 10;
    return QString::number(minor / scale) + QLatin1Char('.') +
           QStringLiteral("%1").arg(minor % scale, digits, 10, QLatin1Char('0'));
}

QString likePattern(const QString &text)
{
    QString t = text.trimmed();
    t.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    t.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    t.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + t + QLatin1Char('%');
}

} // namespace deals

DealAccount DealAccount::from(const QString &name, const QString &website, const QString &country,
                              const QString &accountId)
{
    DealAccount a;
    a.accountId = accountId;
    a.name = name.trimmed();
    a.website = domains::normalizeWebsite(website.trimmed());
    a.domain = a.website.isEmpty() ? QString() : domains::registrableDomain(a.website);
    if (a.domain.isEmpty() && !a.website.isEmpty())
        a.domain = domains::hostOf(a.website);
    a.country = companynames::countryKey(country.trimmed());
    a.nameKey = companynames::normalize(a.name);
    return a;
}

} // namespace ecotone
