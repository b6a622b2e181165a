#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace ecotone {

enum class ListingKind
{
    Product,
    Service,
    Integration, // integrates_with names the other partners' listings it connects to
    Bundle,      // bundle_members names the listings (of several partners) it combines
};

enum class ListingState
{
    Draft,
    Published,
};

// One offering of an organization in the marketplace. Lists are kept as entered. description is a small
// Markdown subset (see listing::descriptionToHtml). logo is a PNG, JPEG or SVG of at most 256 KiB, or empty
// (the pane then draws a monogram).
struct Listing
{
    QString id;
    QString organizationId;
    ListingKind kind = ListingKind::Product;
    QString title;
    QString summary;
    QString description;
    QStringList categories;
    QStringList industries;
    QStringList regions;
    QStringList languages; // ISO 639-1 codes, e.g. "en", "de"
    QStringList clouds;    // aws | azure | gcp: cloud marketplaces where it can be bought
    QStringList certifications;
    QString pricingModel; // one of listing::pricingModels() or ''
    QString contact;
    QByteArray logo;
    QStringList integratesWith; // listing ids
    QStringList bundleMembers;  // listing ids
    ListingState state = ListingState::Draft;
    QDateTime createdAt;
    QDateTime updatedAt;

    bool operator==(const Listing &) const = default;
};

namespace listing {
inline constexpr qsizetype kMaxLogoBytes = 256 * 1024;
inline constexpr qsizetype kMaxTitle = 120;
inline constexpr qsizetype kMaxSummary = 300;
inline constexpr qsizetype kMaxDescription = 20000;

QString kindKey(ListingKind kind); // product | service | integration | bundle
std::optional<ListingKind> kindFromKey(const QString &key);
QStringList kindKeys();
QString kindName(ListingKind kind); // translated
QString stateKey(ListingState state);
std::optional<ListingState> stateFromKey(const QString &key);

QStringList cloudKeys(); // aws, azure, gcp
QString cloudName(const QString &key);
QStringList pricingModels(); // free, subscription, usage, one_time, quote
QStringList categories();    // suggested categories (others are allowed)

// Checks of the record on its own (the repository adds what needs the database). One sentence per problem.
QStringList validate(const Listing &listing);

// The description's Markdown subset as HTML for a QTextDocument / QLabel: paragraphs (blank line), "- " or "* "
// bullet lists, **bold**, *italic*, `code` and [text](https://...) links (http and https only). Everything else
// is shown as typed, HTML-escaped.
QString descriptionToHtml(const QString &markdown);

enum class LogoFormat
{
    None,
    Png,
    Jpeg,
    Svg,
};
// What a logo is, from its magic bytes: the one test used by validation, the editor, the decoder and the server.
LogoFormat logoFormat(const QByteArray &bytes);
// The same text without markup, for summaries and tooltips.
QString descriptionToPlainText(const QString &markdown);
} // namespace listing

} // namespace ecotone
