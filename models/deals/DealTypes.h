#pragma once

#include "domain/Result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace ecotone {

// Co-sell records (docs/deals.md). Enums are stored by their key(), which never changes; timestamps are UTC and
// stored as ISO 8601 with milliseconds ("2026-11-25T20:52:28.123Z"), so text order is time order.

enum class ParticipantRole
{
    Sourcing,
    Fulfilling, // reseller of record
    Influencing,
    Technical,
    CloudMarketplace,
};

enum class EventKind
{
    Note,
    Call,
    Meeting,
    StageChange,
    ParticipantChange,
    System,
};

enum class RegistrationStatus
{
    Submitted,
    UnderReview,
    Approved,
    Rejected,
    Returned,
    Expired,
};

enum class ReferralStatus
{
    Sent,
    Accepted,
    Declined,
    Converted,
    Expired,
};

namespace deals {
QString key(ParticipantRole role);
QString key(EventKind kind);
QString key(RegistrationStatus status);
QString key(ReferralStatus status);
std::optional<ParticipantRole> roleFromKey(const QString &key);
std::optional<EventKind> eventKindFromKey(const QString &key);
std::optional<RegistrationStatus> registrationStatusFromKey(const QString &key);
std::optional<ReferralStatus> referralStatusFromKey(const QString &key);
QList<ParticipantRole> allRoles();
QList<RegistrationStatus> allRegistrationStatuses();
QList<ReferralStatus> allReferralStatuses();
QString displayName(RegistrationStatus status); // translated, e.g. "Under review"
QString displayName(ReferralStatus status);

// Registrations that still claim their account: a new claim by another partner on it is a channel conflict.
bool isActive(RegistrationStatus status);

// The state machines as explicit tables: every allowed (from, to) pair. Anything else is refused.
const QList<std::pair<RegistrationStatus, RegistrationStatus>> &registrationTransitions();
const QList<std::pair<ReferralStatus, ReferralStatus>> &referralTransitions();
// An error naming both states when the move is not in the table.
Status checkTransition(RegistrationStatus from, RegistrationStatus to);
Status checkTransition(ReferralStatus from, ReferralStatus to);

// Canonical product set: trimmed, case-folded, deduplicated, sorted.
QStringList productSet(const QStringList &products);

QString isoTime(const QDateTime &utc); // the stored form
QDateTime parseTime(const QString &iso);

// Money: "1250.5" with the currency's minor-unit exponent (2 for most, 0 for JPY/KRW/..., 3 for BHD/KWD/...).
Result<qint64> parseAmount(const QString &text, const QString &currency);
QString formatAmount(qint64 minor, const QString &currency); // "1250.50", no grouping: for JSON and CSV
int minorDigits(const QString &currency);
// "%text%" for LIKE ... ESCAPE '\\', with %, _ and \\ in text matched literally.
QString likePattern(const QString &text);
bool isCurrencyCode(const QString &currency); // three ASCII letters

inline constexpr qint64 kMaxDocumentBytes = 25 * 1024 * 1024; // matches the CHECK in deal_documents
inline constexpr int kDefaultProtectionDays = 90;
inline constexpr int kDefaultReferralSlaDays = 7;
} // namespace deals

struct DealStage
{
    QString id; // stable key, e.g. "technical_validation"
    QString name;
    int position = 0;
    QString outcome; // open | won | lost
};

// The account a room, registration or referral is about, as typed and as compared.
struct DealAccount
{
    QString accountId; // a row of accounts, or empty
    QString name;
    QString website; // normalized
    QString domain;  // registrable domain of website
    QString country; // companynames::countryKey
    QString nameKey; // companynames::normalize(name)

    // Normalizes website, domain, country and name key from what was typed.
    static DealAccount from(const QString &name, const QString &website, const QString &country,
                            const QString &accountId = {});
};

struct DealRoom
{
    QString id;
    DealAccount account;
    QString name;
    QString stage; // DealStage::id
    qint64 amountMinor = 0;
    QString currency;
    QDate closeDate;
    QStringList products;
    QString aceOpportunityId;
    QString aceReviewStatus; // AWS ACE review status as ACE spells it (e.g. "In Review")
    QString partnerCenterReferralId;
    QString registrationId; // the registration the room came from, if any
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastActivityAt;
};

struct RoomParticipant
{
    QString id;
    QString roomId;
    QString organizationId;
    QString organizationName; // filled by reads
    ParticipantRole role = ParticipantRole::Influencing;
    QDateTime addedAt;
};

struct RoomEvent
{
    QString id;
    QString roomId;
    EventKind kind = EventKind::Note;
    QString authorId; // person id, or empty for the system
    QString actor;    // who did it, as text (a person's name, "system", "cli")
    QDateTime at;
    QString text;
    QString detail = QStringLiteral("{}"); // JSON object
};

struct RoomTask
{
    QString id;
    QString roomId;
    QString title;
    QString ownerId; // person id
    QDate dueDate;
    QDateTime doneAt; // invalid while open
    QDateTime createdAt;
};

struct RoomDocument
{
    QString id;
    QString roomId;
    QString name;
    QString mime;
    qint64 size = 0;
    QString sha256;
    QString addedBy; // person id
    QDateTime addedAt;
};

struct Registration
{
    QString id;
    QString partnerId;
    QString partnerName; // filled by reads
    DealAccount account;
    qint64 amountMinor = 0;
    QString currency;
    QStringList products;
    QDate closeDate;
    RegistrationStatus status = RegistrationStatus::Submitted;
    QString reason; // of a rejection, return or expiry
    QDateTime submittedAt;
    QDateTime decidedAt;
    QDateTime approvedAt;
    QDateTime expiresAt;
    QString roomId; // once approved
    QDateTime updatedAt;
};

struct Referral
{
    enum class Fee
    {
        Flat,
        Percent,
    };
    QString id;
    QString fromOrgId;
    QString toOrgId;
    QString fromName; // filled by reads
    QString toName;
    DealAccount account;
    QString need;
    QString contact;
    qint64 expectedMinor = 0;
    QString currency;
    Fee fee = Fee::Flat;
    qint64 feeFlatMinor = 0;
    int feePercentBp = 0; // basis points: 1050 = 10.5 %
    ReferralStatus status = ReferralStatus::Sent;
    QString reason;
    QDateTime sentAt;
    QDateTime slaDueAt;
    QDateTime answeredAt;
    QString roomId; // once converted
    QDateTime updatedAt;
};

} // namespace ecotone
