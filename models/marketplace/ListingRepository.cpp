#include "ListingRepository.h"

#include "store/ChangeJournal.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ListingRepository)
};

std::vector<ColumnSpec> listingColumns()
{
    return {{"organization_id"},
            {"kind"},
            {"title"},
            {"summary"},
            {"description"},
            {"categories", true},
            {"industries", true},
            {"regions", true},
            {"languages", true},
            {"clouds", true},
            {"certifications", true},
            {"pricing_model"},
            {"contact"},
            {"integrates_with", true},
            {"bundle_members", true},
            {"state"},
            {"created_at"},
            {"updated_at"}};
}

QString stamp(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QStringList cleaned(const QStringList &list)
{
    QStringList out;
    for (const QString &v : list) {
        const QString t = v.trimmed();
        if (!t.isEmpty() && !out.contains(t))
            out << t;
    }
    return out;
}

void normalize(Listing &l)
{
    l.title = l.title.trimmed();
    l.summary = l.summary.trimmed();
    l.contact = l.contact.trimmed();
    l.pricingModel = l.pricingModel.trimmed().toLower();
    l.categories = cleaned(l.categories);
    l.industries = cleaned(l.industries);
    l.regions = cleaned(l.regions);
    l.languages = cleaned(l.languages);
    for (QString &c : l.clouds)
        c = c.trimmed().toLower();
    l.clouds = cleaned(l.clouds);
    l.certifications = cleaned(l.certifications);
    l.integratesWith = cleaned(l.integratesWith);
    l.bundleMembers = cleaned(l.bundleMembers);
}

QStringList toValues(const Listing &l)
{
    return {l.organizationId,
            listing::kindKey(l.kind),
            l.title,
            l.summary,
            l.description,
            json::array(l.categories),
            json::array(l.industries),
            json::array(l.regions),
            json::array(l.languages),
            json::array(l.clouds),
            json::array(l.certifications),
            l.pricingModel,
            l.contact,
            json::array(l.integratesWith),
            json::array(l.bundleMembers),
            listing::stateKey(l.state),
            stamp(l.createdAt),
            stamp(l.updatedAt)};
}

Listing fromValues(const QString &id, const QStringList &v)
{
    Listing l;
    l.id = id;
    l.organizationId = v.at(0);
    l.kind = listing::kindFromKey(v.at(1)).value_or(ListingKind::Product);
    l.title = v.at(2);
    l.summary = v.at(3);
    l.description = v.at(4);
    l.categories = json::parseArray(v.at(5));
    l.industries = json::parseArray(v.at(6));
    l.regions = json::parseArray(v.at(7));
    l.languages = json::parseArray(v.at(8));
    l.clouds = json::parseArray(v.at(9));
    l.certifications = json::parseArray(v.at(10));
    l.pricingModel = v.at(11);
    l.contact = v.at(12);
    l.integratesWith = json::parseArray(v.at(13));
    l.bundleMembers = json::parseArray(v.at(14));
    l.state = listing::stateFromKey(v.at(15)).value_or(ListingState::Draft);
    l.createdAt = QDateTime::fromString(v.at(16), Qt::ISODateWithMs);
    l.updatedAt = QDateTime::fromString(v.at(17), Qt::ISODateWithMs);
    return l;
}

Status notSaved(const QStringList &problems)
{
    return Error{Tr::tr("The listing was not saved: %1").arg(problems.join(QLatin1Char(' ')))};
}
} // namespace

ListingRepository::ListingRepository(Workspace &workspace)
    : m_workspace(workspace)
    , m_writer(workspace, QStringLiteral("listings"), listingColumns())
    , m_favourites(workspace, QStringLiteral("listing_favourites"), {{"listing_id"}, {"owner"}, {"created_at"}})
{}

ListingRepository::~ListingRepository() = default;

QDateTime ListingRepository::now() const
{
    return m_now ? m_now().toUTC() : QDateTime::currentDateTimeUtc();
}

// The rules that need the database: the owner exists, referenced listings exist, and a bundle spans partners.
QStringList ListingRepository::check(const Listing &l)
{
    QStringList problems = listing::validate(l);
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT 1 FROM organizations WHERE id = ?"));
    q.addBindValue(l.organizationId);
    if (!l.organizationId.isEmpty() && (!q.exec() || !q.next()))
        problems << Tr::tr("The organization %1 does not exist.").arg(l.organizationId);
    QSet<QString> memberOrgs{l.organizationId};
    q.prepare(QStringLiteral("SELECT organization_id FROM listings WHERE id = ?"));
    for (const QStringList *list : {&l.integratesWith, &l.bundleMembers}) {
        for (const QString &ref : *list) {
            q.bindValue(0, ref);
            if (!q.exec() || !q.next()) {
                problems << Tr::tr("The listing %1 it refers to does not exist.").arg(ref);
                continue;
            }
            if (list == &l.bundleMembers)
                memberOrgs.insert(q.value(0).toString());
        }
    }
    if (l.kind == ListingKind::Bundle && l.bundleMembers.size() >= 2 && memberOrgs.size() < 2)
        problems << Tr::tr("A bundle combines offerings of at least two organizations.");
    if (l.state == ListingState::Published) {
        if (l.summary.isEmpty())
            problems << Tr::tr("A published listing needs a summary.");
        if (l.categories.isEmpty())
            problems << Tr::tr("A published listing needs at least one category.");
    }
    return problems;
}

Status ListingRepository::writeLogo(const QString &id, const QByteArray &logo)
{
    // The writer binds text, so the image goes in by itself; the journal carries it as base64.
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("UPDATE listings SET logo = ? WHERE id = ?"));
    q.addBindValue(logo.isEmpty() ? QByteArray("") : logo);
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Saving the logo"));
    return m_workspace.journal().recordUpdate(QStringLiteral("listings"), id, QStringLiteral("logo"),
                                              json::string(QString::fromLatin1(logo.toBase64())));
}

Status ListingRepository::create(Listing &listing)
{
    normalize(listing);
    if (const QStringList problems = check(listing); !problems.isEmpty())
        return notSaved(problems);
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (listing.id.isEmpty())
        listing.id = m_workspace.ids().next();
    if (!listing.createdAt.isValid())
        listing.createdAt = now();
    listing.updatedAt = listing.createdAt;
    if (Status s = m_writer.insert(listing.id, toValues(listing)); !s)
        return s;
    if (!listing.logo.isEmpty())
        if (Status s = writeLogo(listing.id, listing.logo); !s)
            return s;
    return tx.commit();
}

Status ListingRepository::createMany(QList<Listing> &listings)
{
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    for (qsizetype i = 0; i < listings.size(); ++i)
        if (Status s = create(listings[i]); !s)
            return Error{Tr::tr("Listing %1 of %2 (\"%3\"): %4")
                             .arg(i + 1)
                             .arg(listings.size())
                             .arg(listings[i].title, s.error())};
    return tx.commit();
}

Status ListingRepository::update(Listing &listing)
{
    Result<Listing> before = find(listing.id);
    if (!before)
        return Error{before.error()};
    normalize(listing);
    listing.state = before->state;
    listing.createdAt = before->createdAt;
    if (const QStringList problems = check(listing); !problems.isEmpty())
        return notSaved(problems);
    listing.updatedAt = before->updatedAt;
    if (toValues(listing) == toValues(before.value()) && listing.logo == before->logo)
        return {};
    listing.updatedAt = now();
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    if (Status s = m_writer.update(listing.id, toValues(before.value()), toValues(listing)); !s)
        return s;
    if (listing.logo != before->logo)
        if (Status s = writeLogo(listing.id, listing.logo); !s)
            return s;
    return tx.commit();
}

Status ListingRepository::setState(const QString &id, ListingState state)
{
    Result<Listing> before = find(id);
    if (!before)
        return Error{before.error()};
    if (before->state == state)
        return {};
    Listing after = before.value();
    after.state = state;
    if (state == ListingState::Published)
        if (const QStringList problems = check(after); !problems.isEmpty())
            return Error{
                Tr::tr("The listing \"%1\" was not published: %2").arg(after.title, problems.join(QLatin1Char(' ')))};
    after.updatedAt = now();
    return m_writer.update(id, toValues(before.value()), toValues(after));
}

Status ListingRepository::publish(const QString &id)
{
    return setState(id, ListingState::Published);
}

Status ListingRepository::unpublish(const QString &id)
{
    return setState(id, ListingState::Draft);
}

Status ListingRepository::remove(const QString &id)
{
    Result<Listing> listing = find(id);
    if (!listing)
        return Error{listing.error()};
    QSqlQuery q(m_workspace.db());
    // A LIKE on the JSON text finds candidates; the parsed array decides.
    q.prepare(QStringLiteral("SELECT id, title, bundle_members FROM listings WHERE bundle_members LIKE ?"));
    q.addBindValue(QString(QStringLiteral("%\"") + id + QStringLiteral("\"%")));
    if (!q.exec())
        return sqlError(q, Tr::tr("Checking bundles"));
    while (q.next())
        if (json::parseArray(q.value(2).toString()).contains(id))
            return Error{Tr::tr("The listing \"%1\" is part of the bundle \"%2\"; remove it from the bundle first.")
                             .arg(listing->title, q.value(1).toString())};
    Transaction tx(m_workspace);
    if (!tx.status())
        return tx.status();
    q.prepare(QStringLiteral("SELECT id FROM listing_favourites WHERE listing_id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading favourites"));
    QStringList favourites;
    while (q.next())
        favourites << q.value(0).toString();
    for (const QString &f : favourites)
        if (Status s = m_favourites.remove(f); !s)
            return s;
    if (Status s = m_writer.remove(id); !s)
        return s;
    return tx.commit();
}

Result<Listing> ListingRepository::find(const QString &id)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT %1, logo FROM listings WHERE id = ?").arg(m_writer.selectList()));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading a listing"));
    if (!q.next())
        return Error{Tr::tr("The listing %1 does not exist.").arg(id)};
    Listing l = fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
    l.logo = q.value(int(m_writer.columns().size()) + 1).toByteArray();
    return l;
}

Result<QList<Listing>> ListingRepository::forOrganization(const QString &organizationId, bool includeDrafts)
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1, logo FROM listings WHERE organization_id = ? %2 ORDER BY created_at DESC, id")
                  .arg(m_writer.selectList(), includeDrafts ? QString() : QStringLiteral("AND state = 'published'")));
    q.addBindValue(organizationId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading listings"));
    QList<Listing> out;
    while (q.next()) {
        out << fromValues(q.value(0).toString(), m_writer.valuesFrom(q));
        out.last().logo = q.value(int(m_writer.columns().size()) + 1).toByteArray();
    }
    return out;
}

Result<bool> ListingRepository::isFavourite(const QString &listingId, const QString &owner)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT 1 FROM listing_favourites WHERE listing_id = ? AND owner = ?"));
    q.addBindValue(listingId);
    q.addBindValue(owner.isNull() ? QStringLiteral("") : owner);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading favourites"));
    return q.next();
}

Result<bool> ListingRepository::toggleFavourite(const QString &listingId, const QString &owner)
{
    const QString who = owner.isNull() ? QStringLiteral("") : owner;
    if (Result<Listing> l = find(listingId); !l)
        return Error{l.error()};
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT id FROM listing_favourites WHERE listing_id = ? AND owner = ?"));
    q.addBindValue(listingId);
    q.addBindValue(who);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading favourites"));
    if (q.next()) {
        if (Status s = m_favourites.remove(q.value(0).toString()); !s)
            return Error{s.error()};
        return false;
    }
    if (Status s = m_favourites.insert(m_workspace.ids().next(), {listingId, who, stamp(now())}); !s)
        return Error{s.error()};
    return true;
}

Result<QStringList> ListingRepository::favourites(const QString &owner)
{
    QSqlQuery q(m_workspace.db());
    q.prepare(
        QStringLiteral("SELECT listing_id FROM listing_favourites WHERE owner = ? ORDER BY created_at DESC, id DESC"));
    q.addBindValue(owner.isNull() ? QStringLiteral("") : owner);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading favourites"));
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

} // namespace ecotone
