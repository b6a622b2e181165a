#include "ListingResultModel.h"

#include "common/UntrustedImage.h"

#include "domain/Organization.h"
#include "marketplace/ListingRepository.h"

#include <QImage>

namespace ecotone::ui {

namespace {
// Snippets may come from the description, whose Markdown marks (**, `, "- ") are not for a card.
void cleanSnippets(QList<ListingHit> &hits)
{
    for (ListingHit &h : hits)
        h.snippet = listing::descriptionToPlainText(h.snippet);
}
} // namespace

ListingResultModel::ListingResultModel(Workspace &workspace, MarketplaceSearch &search, QObject *parent)
    : QAbstractListModel(parent)
    , m_workspace(workspace)
    , m_search(search)
{}

QString ListingResultModel::setQuery(const MarketplaceQuery &query)
{
    MarketplaceQuery first = query;
    first.offset = 0;
    first.limit = kPageSize;
    Result<MarketplaceResult> r = m_search.search(first);
    if (!r)
        return r.error();
    cleanSnippets(r.value().hits);
    beginResetModel();
    m_query = first;
    m_result = std::move(r.value());
    m_busy = true;
    endResetModel();
    m_busy = false;
    return {};
}

bool ListingResultModel::refresh()
{
    MarketplaceQuery first = m_query;
    first.offset = 0;
    first.limit = kPageSize;
    Result<MarketplaceResult> r = m_search.search(first);
    if (!r)
        return false;
    bool same = r->total == m_result.total;
    for (int i = 0; same && i < r->hits.size(); ++i)
        same = i < m_result.hits.size() && r->hits.at(i).id == m_result.hits.at(i).id;
    if (same) {
        m_result.facets = r->facets;
        return false;
    }
    cleanSnippets(r.value().hits);
    beginResetModel();
    m_result = std::move(r.value());
    m_busy = true;
    endResetModel();
    m_busy = false;
    return true;
}

void ListingResultModel::setFavourites(const QSet<QString> &ids)
{
    m_favourites = ids;
    if (!m_result.hits.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {FavouriteRole});
}

void ListingResultModel::setCompared(const QStringList &ids)
{
    m_compared = ids;
    if (!m_result.hits.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {ComparedRole});
}

int ListingResultModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_result.hits.size(); ++i)
        if (m_result.hits.at(i).id == id)
            return i;
    return -1;
}

QString ListingResultModel::idAt(int row) const
{
    return row >= 0 && row < m_result.hits.size() ? m_result.hits.at(row).id : QString();
}

int ListingResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.hits.size());
}

QString ListingResultModel::cloudShortName(const QString &key)
{
    if (key == QLatin1String("aws"))
        return QStringLiteral("AWS");
    if (key == QLatin1String("azure"))
        return QStringLiteral("Azure");
    if (key == QLatin1String("gcp"))
        return QStringLiteral("Google Cloud");
    return key;
}

QVariant ListingResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ListingHit &h = m_result.hits.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return h.title;
    case Qt::ToolTipRole:
        return h.summary.isEmpty() ? h.title : h.title + QLatin1Char('\n') + h.summary;
    case Qt::AccessibleTextRole:
        return tr("%1 by %2").arg(h.title, h.partnerName);
    case IdRole:
        return h.id;
    case TitleMarkedRole:
        return h.titleHighlighted.isEmpty() ? h.title : h.titleHighlighted;
    case SnippetMarkedRole:
        return h.snippet.isEmpty() ? h.summary : h.snippet;
    case PartnerRole:
        return h.partnerName;
    case PartnerIdRole:
        return h.partnerId;
    case TierRole:
        return h.partnerTier;
    case KindRole:
        return listing::kindName(h.kind);
    case PartnerTypesRole: {
        QStringList names;
        for (const QString &t : h.partnerTypes)
            names << MarketplaceSearch::valueLabel(MarketplaceFacet::PartnerType, t);
        return names;
    }
    case CloudsRole: {
        QStringList names;
        for (const QString &c : h.clouds)
            names << cloudShortName(c);
        return names;
    }
    case CategoriesRole:
        return h.categories;
    case LogoRole: {
        if (!h.hasLogo)
            return QPixmap();
        auto it = m_logos.constFind(h.id);
        if (it == m_logos.constEnd()) {
            // Read once per listing, when its card is first painted; a logo that does not decode gets the monogram.
            QPixmap pm;
            ListingRepository repo(m_workspace);
            if (Result<Listing> l = repo.find(h.id)) {
                const QImage image = untrusted::decode(l->logo, 96); // synced: may be hostile
                if (!image.isNull())
                    pm = QPixmap::fromImage(image.scaled(96, 96, Qt::KeepAspectRatio, Qt::SmoothTransformation));
            }
            it = m_logos.insert(h.id, pm);
        }
        return it.value();
    }
    case FavouriteRole:
        return m_favourites.contains(h.id);
    case ComparedRole:
        return m_compared.contains(h.id);
    default:
        return {};
    }
}

bool ListingResultModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_busy && m_result.hits.size() < m_result.total;
}

void ListingResultModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    MarketplaceQuery next = m_query;
    next.offset = int(m_result.hits.size());
    next.limit = kPageSize;
    Result<MarketplaceResult> r = m_search.search(next);
    if (!r || r->hits.isEmpty()) {
        // The data changed under us (or the read failed): stop asking for more rather than loop.
        m_result.total = int(m_result.hits.size());
        return;
    }
    cleanSnippets(r.value().hits);
    m_busy = true;
    beginInsertRows({}, int(m_result.hits.size()), int(m_result.hits.size() + r->hits.size()) - 1);
    m_result.hits.append(r->hits);
    endInsertRows();
    m_busy = false;
}

} // namespace ecotone::ui
