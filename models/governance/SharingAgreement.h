#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace ecotone {

// How much of one population of accounts a partner may see. Ordered from least to most.
enum class SharingLevel
{
    Hidden,  // nothing, not even counts
    Counts,  // how many records the population holds and how many overlap
    Overlap, // the records both sides have, with the chosen fields
    Full,    // every record of the population, with the chosen fields
};

// One agreement: what we share of one population with one partner. It is in force only while both sides have
// consented, it is not revoked and not expired (see sharing::effectiveLevel); otherwise it shares nothing.
// Timestamps are UTC; an invalid QDateTime means "not set".
struct SharingAgreement
{
    QString id;
    QString partnerId;
    QString population; // customer | opportunity | prospect | custom:<name>
    SharingLevel level = SharingLevel::Hidden;
    QStringList fields; // account fields shared at Overlap and Full
    QDateTime ourConsentAt;
    QDateTime theirConsentAt;
    QDateTime expiresAt; // invalid: no expiry
    QDateTime revokedAt; // invalid: not revoked
    QDateTime createdAt;

    bool operator==(const SharingAgreement &) const = default;
};

// One account record of the sharing side, as plain data: its key (for matching) and its field values.
struct SharedRecord
{
    QString id;
    QMap<QString, QString> fields;
};

// The matched overlap data of one population, computed elsewhere (mapping or PSI): the sharing side's records of
// the population and which of them the viewer also has.
struct PopulationData
{
    QList<SharedRecord> records;
    QSet<QString> overlappingIds;
};

// What a viewer may know of the counts. Both are -1 when the level hides them.
struct VisibleCounts
{
    qint64 records = -1;
    qint64 overlapping = -1;
    bool visible() const { return records >= 0; }
};

namespace sharing {
QString levelKey(SharingLevel level); // hidden | counts | overlap | full
std::optional<SharingLevel> levelFromKey(const QString &key);
QString levelName(SharingLevel level); // translated, for people

// The account fields an agreement may share (columns of the accounts table, without ids of our own).
QStringList shareableFields();
bool isValidPopulation(const QString &population);

// Problems that keep an agreement from being saved, one sentence each; empty when it is valid.
QStringList validate(const SharingAgreement &agreement);

// ISO 8601 UTC with milliseconds ("2026-11-25T19:43:11.123Z"), or '' for an invalid date; and back.
QString timestamp(const QDateTime &at);
QDateTime parseTimestamp(const QString &text);

// The level in force at `now`: Hidden unless both sides consented, it is not revoked and not yet expired.
SharingLevel effectiveLevel(const SharingAgreement &agreement, const QDateTime &now);

// Policy evaluation on plain data. Hidden: nothing. Counts: only the counts. Overlap: the counts and the
// overlapping records with only the chosen fields. Full: the counts and every record, chosen fields only.
// Records come back without their ids unless "external_id" is a chosen field.
VisibleCounts visibleCounts(SharingLevel level, const PopulationData &data);
QList<QMap<QString, QString>> visibleAccounts(SharingLevel level, const QStringList &fields,
                                              const PopulationData &data);
// The same for an agreement at a moment: evaluates effectiveLevel first.
VisibleCounts visibleCounts(const SharingAgreement &agreement, const QDateTime &now, const PopulationData &data);
QList<QMap<QString, QString>> visibleAccounts(const SharingAgreement &agreement, const QDateTime &now,
                                              const PopulationData &data);
} // namespace sharing

} // namespace ecotone
