#include "SharingAgreement.h"

#include <QCoreApplication>

namespace ecotone::sharing {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::SharingAgreement)
};
} // namespace

QString levelKey(SharingLevel level)
{
    switch (level) {
    case SharingLevel::Hidden:
        return QStringLiteral("hidden");
    case SharingLevel::Counts:
        return QStringLiteral("counts");
    case SharingLevel::Overlap:
        return QStringLiteral("overlap");
    case SharingLevel::Full:
        return QStringLiteral("full");
    }
    return QStringLiteral("hidden");
}

std::optional<SharingLevel> levelFromKey(const QString &key)
{
    for (SharingLevel l : {SharingLevel::Hidden, SharingLevel::Counts, SharingLevel::Overlap, SharingLevel::Full})
        if (levelKey(l) == key)
            return l;
    return std::nullopt;
}

QString levelName(SharingLevel level)
{
    switch (level) {
    case SharingLevel::Hidden:
        return Tr::tr("Hidden");
    case SharingLevel::Counts:
        return Tr::tr("Counts only");
    case SharingLevel::Overlap:
        return Tr::tr("Overlapping accounts only");
    case SharingLevel::Full:
        return Tr::tr("Full records");
    }
    return Tr::tr("Hidden");
}

QStringList shareableFields()
{
    return {QStringLiteral("name"),       QStringLiteral("website"),    QStringLiteral("domain"),
            QStringLiteral("country"),    QStringLiteral("industry"),   QStringLiteral("status"),
            QStringLiteral("crm_source"), QStringLiteral("external_id")};
}

bool isValidPopulation(const QString &population)
{
    if (population == QLatin1String("customer") || population == QLatin1String("opportunity") ||
        population == QLatin1String("prospect"))
        return true;
    return population.startsWith(QLatin1String("custom:")) && !population.mid(7).trimmed().isEmpty();
}

QStringList validate(const SharingAgreement &a)
{
    QStringList problems;
    if (a.partnerId.isEmpty())
        problems << Tr::tr("An agreement needs a partner.");
    if (!isValidPopulation(a.population))
        problems << Tr::tr("\"%1\" is not a population: use customer, opportunity, prospect or custom:NAME.")
                        .arg(a.population);
    const QStringList allowed = shareableFields();
    QStringList seen;
    for (const QString &f : a.fields) {
        if (!allowed.contains(f))
            problems << Tr::tr("\"%1\" is not an account field that can be shared (use %2).")
                            .arg(f, allowed.join(QStringLiteral(", ")));
        else if (seen.contains(f))
            problems << Tr::tr("The field \"%1\" is listed twice.").arg(f);
        seen << f;
    }
    if ((a.level == SharingLevel::Overlap || a.level == SharingLevel::Full) && a.fields.isEmpty())
        problems << Tr::tr("Sharing accounts needs at least one field to share.");
    if (a.expiresAt.isValid() && a.createdAt.isValid() && a.expiresAt <= a.createdAt)
        problems << Tr::tr("The expiry date must be after the agreement was made.");
    return problems;
}

QString timestamp(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTimestamp(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

SharingLevel effectiveLevel(const SharingAgreement &a, const QDateTime &now)
{
    if (!a.ourConsentAt.isValid() || !a.theirConsentAt.isValid())
        return SharingLevel::Hidden;
    if (a.revokedAt.isValid())
        return SharingLevel::Hidden;
    if (a.expiresAt.isValid() && now >= a.expiresAt)
        return SharingLevel::Hidden;
    return a.level;
}

VisibleCounts visibleCounts(SharingLevel level, const PopulationData &data)
{
    if (level == SharingLevel::Hidden)
        return {};
    qint64 overlapping = 0;
    for (const SharedRecord &r : data.records)
        if (data.overlappingIds.contains(r.id))
            ++overlapping;
    return {qint64(data.records.size()), overlapping};
}

QList<QMap<QString, QString>> visibleAccounts(SharingLevel level, const QStringList &fields, const PopulationData &data)
{
    QList<QMap<QString, QString>> out;
    if (level != SharingLevel::Overlap && level != SharingLevel::Full)
        return out;
    const QStringList allowed = shareableFields();
    for (const SharedRecord &r : data.records) {
        if (level == SharingLevel::Overlap && !data.overlappingIds.contains(r.id))
            continue;
        QMap<QString, QString> visible;
        for (const QString &f : fields)
            if (allowed.contains(f))
                visible.insert(f, r.fields.value(f));
        out << visible;
    }
    return out;
}

VisibleCounts visibleCounts(const SharingAgreement &agreement, const QDateTime &now, const PopulationData &data)
{
    return visibleCounts(effectiveLevel(agreement, now), data);
}

QList<QMap<QString, QString>> visibleAccounts(const SharingAgreement &agreement, const QDateTime &now,
                                              const PopulationData &data)
{
    return visibleAccounts(effectiveLevel(agreement, now), agreement.fields, data);
}

} // namespace ecotone::sharing
