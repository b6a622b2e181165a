#include "MarketplacePages.h"

#include "ListingCardDelegate.h"
#include "common/ChipDelegate.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "common/Links.h"
#include "common/UntrustedImage.h"
#include "deals/Referrals.h"
#include "marketplace/ListingRepository.h"
#include "marketplace/MarketplaceSearch.h"
#include "store/Workspace.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStringListModel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

namespace ecotone::ui {

namespace {
QLabel *wrapped(const QString &text, QWidget *parent, bool selectable = true)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    if (selectable)
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    f.setWeight(QFont::DemiBold);
    label->setFont(f);
    label->setContentsMargins(0, 10, 0, 2);
    return label;
}

QLabel *mutedLabel(const QString &text, QWidget *parent)
{
    QLabel *label = wrapped(text, parent);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QString listOrDash(const QStringList &values)
{
    return values.isEmpty() ? QStringLiteral("—") : values.join(QStringLiteral(", "));
}

QStringList labels(MarketplaceFacet facet, const QStringList &values)
{
    QStringList out;
    for (const QString &v : values)
        out << MarketplaceSearch::valueLabel(facet, v);
    return out;
}

QString pricingName(const QString &key)
{
    if (key == QLatin1String("free"))
        return ListingDetailPage::tr("Free");
    if (key == QLatin1String("subscription"))
        return ListingDetailPage::tr("Subscription");
    if (key == QLatin1String("usage"))
        return ListingDetailPage::tr("Usage-based");
    if (key == QLatin1String("one_time"))
        return ListingDetailPage::tr("One-time fee");
    if (key == QLatin1String("quote"))
        return ListingDetailPage::tr("On request (quote)");
    return key.isEmpty() ? ListingDetailPage::tr("Not stated") : key;
}

QString typeNames(const Organization &org)
{
    QStringList names;
    for (PartnerType t : org.types)
        names << partnertype::displayName(t);
    return names.join(QStringLiteral(", "));
}

// A line of links to other listings ("Title (Partner)"), activated as "listing:<id>".
QLabel *listingLinks(Workspace &workspace, const OrgDirectory &orgs, const QStringList &ids, QWidget *parent)
{
    ListingRepository repo(workspace);
    QStringList links;
    for (const QString &id : ids) {
        Result<Listing> l = repo.find(id);
        if (!l)
            continue;
        links << QStringLiteral("<a href=\"listing:%1\">%2</a> <span>(%3)</span>")
                     .arg(id.toHtmlEscaped(), l->title.toHtmlEscaped(), orgs.name(l->organizationId).toHtmlEscaped());
    }
    auto *label = new QLabel(links.isEmpty() ? QStringLiteral("—") : links.join(QStringLiteral("<br>")), parent);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    return label;
}

QPixmap logoFor(const Listing &listing, const QString &partnerName, int size, const QWidget *widget)
{
    QPixmap logo;
    if (!listing.logo.isEmpty()) {
        const QImage image = untrusted::decode(listing.logo, 512); // synced: may be hostile
        if (!image.isNull())
            logo = QPixmap::fromImage(image);
    }
    return ListingCardDelegate::logoPixmap(logo, partnerName, size, widget->font(), widget->devicePixelRatioF());
}
} // namespace

QString collaborationKindName(CollaborationKind kind)
{
    switch (kind) {
    case CollaborationKind::Introduction:
        return ListingDetailPage::tr("Introduction");
    case CollaborationKind::CoSell:
        return ListingDetailPage::tr("Co-sell proposal");
    case CollaborationKind::Referral:
        return ListingDetailPage::tr("Customer referral");
    }
    return {};
}

const Organization *OrgDirectory::find(const QString &id) const
{
    auto it = byId.constFind(id);
    return it == byId.constEnd() ? nullptr : &all.at(it.value());
}

QString OrgDirectory::name(const QString &id) const
{
    const Organization *o = find(id);
    return o ? o->name : id;
}

// ---- detail

ListingDetailPage::ListingDetailPage(Workspace &workspace, const OrgDirectory &orgs, QWidget *parent)
    : QScrollArea(parent)
    , m_workspace(workspace)
    , m_orgs(orgs)
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Listing details"));
    setBackgroundRole(QPalette::Base);
}

QString ListingDetailPage::showListing(const QString &id)
{
    ListingRepository repo(m_workspace);
    Result<Listing> found = repo.find(id);
    if (!found)
        return found.error();
    m_listing = found.value();
    const Organization *org = m_orgs.find(m_listing.organizationId);
    const QString partner = org ? org->name : tr("Unknown partner");

    // One column of readable width, left-aligned, rebuilt per listing (a few dozen widgets).
    auto *page = new QWidget;
    page->setBackgroundRole(QPalette::Base);
    auto *outer = new QHBoxLayout(page);
    outer->setContentsMargins(28, 16, 28, 28);
    auto *column = new QWidget(page);
    column->setMaximumWidth(900);
    outer->addWidget(column, 1);
    outer->addStretch(0);
    auto *v = new QVBoxLayout(column);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(6);

    auto *back = new QPushButton(tr("← Back"), column);
    back->setFlat(true);
    back->setToolTip(tr("Back (Esc)"));
    back->setObjectName(QStringLiteral("detailBack"));
    connect(back, &QPushButton::clicked, this, &ListingDetailPage::backRequested);
    auto *backRow = new QHBoxLayout;
    backRow->addWidget(back);
    backRow->addStretch(1);
    v->addLayout(backRow);

    auto *header = new QHBoxLayout;
    header->setSpacing(16);
    auto *logo = new QLabel(column);
    logo->setPixmap(logoFor(m_listing, partner, 72, this));
    logo->setAlignment(Qt::AlignTop);
    logo->setAccessibleName(tr("Logo"));
    header->addWidget(logo, 0, Qt::AlignTop);
    auto *titles = new QVBoxLayout;
    titles->setSpacing(4);
    m_title = wrapped(m_listing.title, column);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.6);
    tf.setWeight(QFont::DemiBold);
    m_title->setFont(tf);
    titles->addWidget(m_title);
    QStringList by;
    by << tr("by %1").arg(partner);
    if (org && !org->tier.isEmpty())
        by << tr("%1 partner").arg(org->tier);
    if (org && !org->types.isEmpty())
        by << typeNames(*org);
    QLabel *byLabel = wrapped(by.join(QStringLiteral("  ·  ")), column);
    QFont bf = byLabel->font();
    bf.setPointSizeF(bf.pointSizeF() * 1.05);
    byLabel->setFont(bf);
    titles->addWidget(byLabel);
    QStringList meta;
    meta << listing::kindName(m_listing.kind);
    if (m_listing.state == ListingState::Draft)
        meta << tr("Draft (not published)");
    if (m_listing.updatedAt.isValid())
        meta << tr("Updated %1").arg(QLocale().toString(m_listing.updatedAt.date(), QLocale::ShortFormat));
    titles->addWidget(mutedLabel(meta.join(QStringLiteral("  ·  ")), column));
    header->addLayout(titles, 1);
    v->addLayout(header);
    v->addSpacing(8);

    auto *actions = new QHBoxLayout;
    actions->setSpacing(6);
    m_favourite = new QPushButton(column);
    m_favourite->setObjectName(QStringLiteral("favouriteButton"));
    m_favourite->setCheckable(true);
    connect(m_favourite, &QPushButton::clicked, this, [this] { Q_EMIT favouriteToggled(m_listing.id); });
    m_compare = new QPushButton(column);
    m_compare->setObjectName(QStringLiteral("compareButton"));
    connect(m_compare, &QPushButton::clicked, this, [this] { Q_EMIT compareToggled(m_listing.id); });
    m_intro = new QPushButton(icon(QStringLiteral("mail")), tr("Request an Introduction…"), column);
    m_intro->setObjectName(QStringLiteral("introButton"));
    m_coSell = new QPushButton(icon(QStringLiteral("dealrooms")), tr("Propose Co-sell…"), column);
    m_coSell->setObjectName(QStringLiteral("coSellButton"));
    m_refer = new QPushButton(icon(QStringLiteral("referrals")), tr("Refer a Customer…"), column);
    m_refer->setObjectName(QStringLiteral("referButton"));
    connect(m_intro, &QPushButton::clicked, this,
            [this] { Q_EMIT collaborationRequested(CollaborationKind::Introduction, m_listing.id); });
    connect(m_coSell, &QPushButton::clicked, this,
            [this] { Q_EMIT collaborationRequested(CollaborationKind::CoSell, m_listing.id); });
    connect(m_refer, &QPushButton::clicked, this,
            [this] { Q_EMIT collaborationRequested(CollaborationKind::Referral, m_listing.id); });
    auto *fit = new QPushButton(icon(QStringLiteral("partners")), tr("Partner Fit"), column);
    fit->setToolTip(tr("Partners that complement %1").arg(partner));
    connect(fit, &QPushButton::clicked, this, [this] { Q_EMIT fitRequested(m_listing.organizationId); });
    for (QPushButton *b : {m_favourite, m_compare})
        actions->addWidget(b);
    actions->addSpacing(12);
    for (QPushButton *b : {m_intro, m_coSell, m_refer, fit})
        actions->addWidget(b);
    m_edit = new QPushButton(tr("Edit Listing…"), column);
    m_edit->setObjectName(QStringLiteral("editListingButton"));
    connect(m_edit, &QPushButton::clicked, this, [this] { Q_EMIT editRequested(m_listing.id); });
    actions->addSpacing(12);
    actions->addWidget(m_edit);
    actions->addStretch(1);
    v->addLayout(actions);
    m_ownNote =
        mutedLabel(tr("This is a listing of the organization you act as; requests go to other organizations."), column);
    v->addWidget(m_ownNote);

    if (!m_listing.summary.isEmpty()) {
        QLabel *summary = wrapped(m_listing.summary, column);
        QFont sf = summary->font();
        sf.setPointSizeF(sf.pointSizeF() * 1.1);
        summary->setFont(sf);
        summary->setContentsMargins(0, 10, 0, 0);
        v->addWidget(summary);
    }
    if (!m_listing.description.isEmpty()) {
        v->addWidget(sectionTitle(tr("About"), column));
        auto *description = new QLabel(listing::descriptionToHtml(m_listing.description), column);
        description->setObjectName(QStringLiteral("detailDescription"));
        description->setTextFormat(Qt::RichText);
        description->setWordWrap(true);
        description->setTextInteractionFlags(Qt::TextBrowserInteraction);
        links::openWebLinksOnly(description);
        v->addWidget(description);
    }

    v->addWidget(sectionTitle(tr("Details"), column));
    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setHorizontalSpacing(24);
    form->setVerticalSpacing(6);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    auto row = [&](const QString &name, const QString &value) {
        QLabel *key = mutedLabel(name, column);
        key->setWordWrap(false);
        form->addRow(key, wrapped(value, column));
    };
    row(tr("Categories"), listOrDash(m_listing.categories));
    row(tr("Industries"), listOrDash(m_listing.industries));
    row(tr("Regions"), listOrDash(m_listing.regions));
    row(tr("Languages"), listOrDash(labels(MarketplaceFacet::Language, m_listing.languages)));
    row(tr("Pricing"), pricingName(m_listing.pricingModel));
    row(tr("Cloud marketplaces"), listOrDash(labels(MarketplaceFacet::Cloud, m_listing.clouds)));
    row(tr("Certifications"), listOrDash(m_listing.certifications));
    row(tr("Contact"), m_listing.contact.isEmpty() ? QStringLiteral("—") : m_listing.contact);
    if (org && !org->website.isEmpty()) {
        auto *site = new QLabel(links::html(org->website, org->website), column);
        site->setObjectName(QStringLiteral("detailWebsite"));
        site->setTextFormat(Qt::RichText);
        links::openWebLinksOnly(site);
        QLabel *key = mutedLabel(tr("Website"), column);
        key->setWordWrap(false);
        form->addRow(key, site);
    }
    v->addLayout(form);

    auto linkTo = [this](const QString &link) {
        if (link.startsWith(QLatin1String("listing:")))
            Q_EMIT listingActivated(link.mid(8));
    };
    if (!m_listing.integratesWith.isEmpty()) {
        v->addWidget(sectionTitle(tr("Integrates with"), column));
        QLabel *links = listingLinks(m_workspace, m_orgs, m_listing.integratesWith, column);
        connect(links, &QLabel::linkActivated, this, linkTo);
        v->addWidget(links);
    }
    if (!m_listing.bundleMembers.isEmpty()) {
        v->addWidget(sectionTitle(tr("In this bundle"), column));
        QLabel *links = listingLinks(m_workspace, m_orgs, m_listing.bundleMembers, column);
        connect(links, &QLabel::linkActivated, this, linkTo);
        v->addWidget(links);
        // The partners whose offerings the bundle combines, for an introduction to all of them.
        ListingRepository members(m_workspace);
        QStringList partners;
        for (const QString &mid : std::as_const(m_listing.bundleMembers))
            if (Result<Listing> l = members.find(mid); l && !partners.contains(m_orgs.name(l->organizationId)))
                partners << m_orgs.name(l->organizationId);
        v->addWidget(mutedLabel(tr("Bundle partners: %1").arg(listOrDash(partners)), column));
    }
    v->addStretch(1);

    QWidget *old = takeWidget();
    setWidget(page);
    if (old)
        old->deleteLater();
    updateActions();
    verticalScrollBar()->setValue(0);
    return {};
}

QPushButton *ListingDetailPage::requestButton(CollaborationKind kind) const
{
    switch (kind) {
    case CollaborationKind::Introduction:
        return m_intro;
    case CollaborationKind::CoSell:
        return m_coSell;
    case CollaborationKind::Referral:
        return m_refer;
    }
    return nullptr;
}

void ListingDetailPage::setFavourite(bool favourite)
{
    m_isFavourite = favourite;
    updateActions();
}

void ListingDetailPage::setCompared(bool compared, bool compareFull)
{
    m_compared = compared;
    m_compareFull = compareFull;
    updateActions();
}

void ListingDetailPage::setActingOrganization(const QString &id)
{
    m_acting = id;
    updateActions();
}

void ListingDetailPage::updateActions()
{
    if (!m_favourite)
        return;
    m_favourite->setChecked(m_isFavourite);
    m_favourite->setText(m_isFavourite ? tr("★ Favourite") : tr("☆ Add to Favourites"));
    m_favourite->setAccessibleName(m_isFavourite ? tr("Remove from favourites") : tr("Add to favourites"));
    m_compare->setText(m_compared ? tr("Remove from Compare") : tr("Add to Compare"));
    m_compare->setToolTip(!m_compared && m_compareFull ? tr("Three listings are compared already; remove one first.")
                                                       : QString());
    const bool own = !m_acting.isEmpty() && m_acting == m_listing.organizationId;
    for (QPushButton *b : {m_intro, m_coSell, m_refer})
        b->setEnabled(!own && !m_acting.isEmpty());
    m_ownNote->setVisible(own);
    m_edit->setVisible(own);
}

// ---- compare

ComparePage::ComparePage(Workspace &workspace, const OrgDirectory &orgs, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_orgs(orgs)
    , m_scroll(new QScrollArea(this))
    , m_empty(new EmptyState(QStringLiteral("marketplace"), tr("Nothing to compare yet"),
                             tr("Add up to three listings with “Add to Compare” on a listing's page or the "
                                "context menu of a card, then compare them here side by side."),
                             this))
    , m_clear(new QPushButton(tr("Clear Comparison"), this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(16, 8, 16, 0);
    auto *title = sectionTitle(tr("Compare listings"), this);
    bar->addWidget(title);
    bar->addStretch(1);
    bar->addWidget(m_clear);
    v->addLayout(bar);
    connect(m_clear, &QPushButton::clicked, this, &ComparePage::clearRequested);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setAccessibleName(tr("Compared listings"));
    v->addWidget(m_scroll, 1);
    v->addWidget(m_empty, 1);
    auto *browse = qobject_cast<QPushButton *>(m_empty->addAction(tr("Browse Listings"), QStringLiteral("search")));
    connect(browse, &QPushButton::clicked, this, &ComparePage::browseRequested);
    setListings({});
}

void ComparePage::setListings(const QStringList &ids)
{
    m_shown.clear();
    ListingRepository repo(m_workspace);
    for (const QString &id : ids)
        if (Result<Listing> l = repo.find(id))
            m_shown << l.value();
    m_empty->setVisible(m_shown.isEmpty());
    m_scroll->setVisible(!m_shown.isEmpty());
    m_clear->setVisible(!m_shown.isEmpty());
    if (m_shown.isEmpty())
        return;

    auto *page = new QWidget;
    auto *grid = new QGridLayout(page);
    grid->setContentsMargins(16, 8, 16, 16);
    grid->setHorizontalSpacing(20);
    grid->setVerticalSpacing(8);
    grid->setColumnMinimumWidth(0, 130);
    int r = 0;
    for (int c = 0; c < m_shown.size(); ++c) {
        const Listing &l = m_shown.at(c);
        auto *head = new QWidget(page);
        auto *hv = new QVBoxLayout(head);
        hv->setContentsMargins(0, 0, 0, 0);
        auto *top = new QHBoxLayout;
        auto *logo = new QLabel(head);
        logo->setPixmap(logoFor(l, m_orgs.name(l.organizationId), 40, this));
        top->addWidget(logo, 0, Qt::AlignTop);
        QLabel *title = wrapped(l.title, head);
        QFont f = title->font();
        f.setPointSizeF(f.pointSizeF() * 1.1);
        f.setWeight(QFont::DemiBold);
        title->setFont(f);
        top->addWidget(title, 1);
        hv->addLayout(top);
        auto *buttons = new QHBoxLayout;
        auto *open = new QPushButton(tr("Open"), head);
        auto *remove = new QPushButton(tr("Remove"), head);
        remove->setObjectName(QStringLiteral("compareRemove"));
        connect(open, &QPushButton::clicked, this, [this, id = l.id] { Q_EMIT openRequested(id); });
        connect(remove, &QPushButton::clicked, this, [this, id = l.id] { Q_EMIT removeRequested(id); });
        buttons->addWidget(open);
        buttons->addWidget(remove);
        buttons->addStretch(1);
        hv->addLayout(buttons);
        grid->addWidget(head, r, c + 1, Qt::AlignTop);
        grid->setColumnStretch(c + 1, 1);
    }
    ++r;
    bool anySame = false;
    auto addRow = [&](const QString &name, const std::function<QString(const Listing &)> &value) {
        auto *line = new QFrame(page);
        line->setFrameShape(QFrame::HLine);
        line->setForegroundRole(QPalette::Mid);
        grid->addWidget(line, r++, 0, 1, int(m_shown.size()) + 1);
        QLabel *key = mutedLabel(name, page);
        grid->addWidget(key, r, 0, Qt::AlignTop);
        QStringList values;
        for (const Listing &l : std::as_const(m_shown))
            values << value(l);
        // Where every listing says the same, the values step back so the differences stand out.
        const bool same = values.size() > 1 && values.count(values.first()) == values.size();
        anySame = anySame || same;
        for (int c = 0; c < values.size(); ++c) {
            QLabel *cell = wrapped(values.at(c), page);
            if (same)
                cell->setForegroundRole(QPalette::PlaceholderText);
            grid->addWidget(cell, r, c + 1, Qt::AlignTop);
        }
        ++r;
    };
    addRow(tr("Partner"), [this](const Listing &l) {
        const Organization *o = m_orgs.find(l.organizationId);
        return o ? (o->tier.isEmpty() ? o->name : tr("%1 (%2)").arg(o->name, o->tier)) : QString();
    });
    addRow(tr("Partner type"), [this](const Listing &l) {
        const Organization *o = m_orgs.find(l.organizationId);
        return o ? listOrDash({typeNames(*o)}) : QStringLiteral("—");
    });
    addRow(tr("Listing type"), [](const Listing &l) { return listing::kindName(l.kind); });
    addRow(tr("Summary"), [](const Listing &l) { return l.summary.isEmpty() ? QStringLiteral("—") : l.summary; });
    addRow(tr("Categories"), [](const Listing &l) { return listOrDash(l.categories); });
    addRow(tr("Industries"), [](const Listing &l) { return listOrDash(l.industries); });
    addRow(tr("Regions"), [](const Listing &l) { return listOrDash(l.regions); });
    addRow(tr("Languages"),
           [](const Listing &l) { return listOrDash(labels(MarketplaceFacet::Language, l.languages)); });
    addRow(tr("Pricing"), [](const Listing &l) { return pricingName(l.pricingModel); });
    addRow(tr("Cloud marketplaces"),
           [](const Listing &l) { return listOrDash(labels(MarketplaceFacet::Cloud, l.clouds)); });
    addRow(tr("Certifications"), [](const Listing &l) { return listOrDash(l.certifications); });
    addRow(tr("Integrates with"), [&repo](const Listing &l) {
        QStringList titles;
        for (const QString &id : l.integratesWith)
            if (Result<Listing> other = repo.find(id))
                titles << other->title;
        return listOrDash(titles);
    });
    addRow(tr("Contact"), [](const Listing &l) { return l.contact.isEmpty() ? QStringLiteral("—") : l.contact; });
    if (anySame) {
        QLabel *note = mutedLabel(tr("Rows where all listings agree are shown lighter."), page);
        note->setContentsMargins(0, 12, 0, 0);
        grid->addWidget(note, r++, 0, 1, int(m_shown.size()) + 1);
    }
    grid->setRowStretch(r, 1);
    // Empty columns keep one listing from stretching across the whole page.
    for (int c = int(m_shown.size()); c < 3; ++c)
        grid->setColumnStretch(c + 1, 1);
    QWidget *old = m_scroll->takeWidget();
    m_scroll->setWidget(page);
    if (old)
        old->deleteLater();
}

// ---- partner fit

FitPage::FitPage(Workspace &workspace, PartnerFit &fit, const OrgDirectory &orgs, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_fit(fit)
    , m_orgs(orgs)
    , m_org(new QComboBox(this))
    , m_account(new QLineEdit(this))
    , m_accountMatches(new QStringListModel(this))
    , m_status(new QLabel(this))
    , m_scroll(new QScrollArea(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(16, 10, 16, 4);
    auto *label = new QLabel(tr("Complementary partners for"), this);
    label->setBuddy(m_org);
    m_org->setAccessibleName(tr("Organization to suggest partners for"));
    m_org->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_org->setMinimumContentsLength(24);
    bar->addWidget(label);
    bar->addWidget(m_org);
    // Or for one of its accounts: who has it as a customer, worked its deals, covers its region or industry.
    auto *accountLabel = new QLabel(tr("account"), this);
    accountLabel->setBuddy(m_account);
    m_account->setObjectName(QStringLiteral("fitAccount"));
    m_account->setPlaceholderText(tr("Any (type an account name)"));
    m_account->setAccessibleName(tr("Account to suggest partners for"));
    m_account->setClearButtonEnabled(true);
    m_account->setMinimumWidth(220);
    auto *completer = new QCompleter(m_accountMatches, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_account->setCompleter(completer);
    bar->addSpacing(8);
    bar->addWidget(accountLabel);
    bar->addWidget(m_account);
    bar->addSpacing(12);
    connect(m_account, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (text.trimmed().isEmpty()) {
            setAccount({});
            return;
        }
        if (text.trimmed().size() < 2)
            return;
        // The organization's accounts whose name contains the text: a bounded list, never the whole CRM.
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT id, name, country FROM accounts WHERE owner_id = ? AND name LIKE ? "
                                 "ESCAPE '\\' ORDER BY name LIMIT 30"));
        QString pattern = text.trimmed();
        pattern.replace(QLatin1String("\\"), QLatin1String("\\\\"))
            .replace(QLatin1String("%"), QLatin1String("\\%"))
            .replace(QLatin1String("_"), QLatin1String("\\_"));
        q.addBindValue(organizationId());
        q.addBindValue(QString(QLatin1Char('%') + pattern + QLatin1Char('%')));
        QStringList labels;
        m_accountIds.clear();
        if (q.exec()) {
            while (q.next()) {
                const QString country = q.value(2).toString();
                const QString match =
                    country.isEmpty() ? q.value(1).toString() : tr("%1 (%2)").arg(q.value(1).toString(), country);
                m_accountIds.insert(match, q.value(0).toString());
                labels << match;
            }
        }
        m_accountMatches->setStringList(labels);
    });
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
            [this](const QString &chosen) { setAccount(m_accountIds.value(chosen), chosen); });
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setWordWrap(true);
    bar->addWidget(m_status, 1);
    v->addLayout(bar);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setAccessibleName(tr("Partner suggestions"));
    v->addWidget(m_scroll, 1);
    connect(m_org, &QComboBox::currentIndexChanged, this, [this] {
        m_accountId.clear(); // an account belongs to one organization
        m_account->clear();
        m_stale = true;
        if (isVisible())
            refresh();
    });
}

void FitPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void FitPage::reloadOrganizations()
{
    const QString current = organizationId();
    m_stale = true;
    QSignalBlocker block(m_org);
    m_org->clear();
    for (const Organization &o : m_orgs.all)
        m_org->addItem(o.kind == OrganizationKind::Vendor ? tr("%1 (vendor)").arg(o.name) : o.name, o.id);
    const int i = m_org->findData(current);
    m_org->setCurrentIndex(i >= 0 ? i : 0);
}

bool FitPage::setOrganization(const QString &id)
{
    const int i = m_org->findData(id);
    if (i < 0)
        return false;
    m_org->setCurrentIndex(i);
    return true;
}

void FitPage::setAccount(const QString &accountId, const QString &label)
{
    m_accountId = accountId;
    m_accountLabel = label;
    if (!label.isEmpty() && m_account->text() != label)
        m_account->setText(label);
    if (accountId.isEmpty() && label.isEmpty())
        m_account->clear();
    m_stale = true;
    if (isVisible())
        refresh();
}

QString FitPage::organizationId() const
{
    return m_org->currentData().toString();
}

void FitPage::refresh()
{
    m_stale = false;
    m_suggestions.clear();
    const QString id = organizationId();
    auto *page = new QWidget;
    auto *v = new QVBoxLayout(page);
    v->setContentsMargins(16, 8, 16, 16);
    v->setSpacing(10);
    if (!id.isEmpty()) {
        FitOptions options;
        options.limit = 12;
        const bool forAccount = !m_accountId.isEmpty();
        Result<QList<FitSuggestion>> r =
            forAccount ? m_fit.suggestForAccount(m_accountId, options) : m_fit.suggest(id, options);
        if (!r) {
            m_status->setText(r.error());
        } else {
            m_suggestions = r.value();
            m_status->setText(m_suggestions.isEmpty() ? QString()
                              : forAccount
                                  ? tr("Partners to bring into this account, best first: who has it as a customer "
                                       "(where sharing agreements allow), worked its deal rooms, covers its region "
                                       "or lists offerings for its industry.")
                                  : tr("Best first; each from integrations, shared customers (where sharing "
                                       "agreements allow), joint deal rooms, partner types, regions and "
                                       "capabilities."));
        }
    }
    if (m_suggestions.isEmpty() && !id.isEmpty() && !m_accountId.isEmpty()) {
        v->addWidget(new EmptyState(QStringLiteral("partners"), tr("No suggestions"),
                                    tr("No active partner has this account as a shared customer, worked its deal "
                                       "rooms, covers its region or lists offerings for its industry."),
                                    page));
    } else if (m_suggestions.isEmpty() && !id.isEmpty()) {
        auto *empty = new EmptyState(QStringLiteral("partners"), tr("No suggestions"),
                                     tr("No other active partner adds anything to %1 yet: no integrations, shared "
                                        "customers, joint deal rooms, complementary types, new regions or "
                                        "capabilities.")
                                         .arg(m_orgs.name(id)),
                                     page);
        v->addWidget(empty);
    }
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (const FitSuggestion &s : std::as_const(m_suggestions)) {
        auto *card = new QFrame(page);
        card->setObjectName(QStringLiteral("fitCard"));
        card->setMaximumWidth(1000);
        card->setFrameShape(QFrame::StyledPanel);
        card->setBackgroundRole(QPalette::Base);
        card->setAutoFillBackground(true);
        auto *cv = new QVBoxLayout(card);
        cv->setContentsMargins(14, 10, 14, 10);
        cv->setSpacing(4);
        auto *top = new QHBoxLayout;
        top->setSpacing(12);
        auto *logo = new QLabel(card);
        logo->setPixmap(ListingCardDelegate::logoPixmap({}, s.partnerName, 36, font(), devicePixelRatioF()));
        top->addWidget(logo, 0, Qt::AlignTop);
        auto *names = new QVBoxLayout;
        names->setSpacing(2);
        QLabel *name = wrapped(s.partnerName, card);
        QFont f = name->font();
        f.setWeight(QFont::DemiBold);
        f.setPointSizeF(f.pointSizeF() * 1.05);
        name->setFont(f);
        names->addWidget(name);
        QStringList meta;
        if (!s.tier.isEmpty())
            meta << s.tier;
        QStringList types;
        for (const QString &t : s.types)
            types << MarketplaceSearch::valueLabel(MarketplaceFacet::PartnerType, t);
        if (!types.isEmpty())
            meta << types.join(QStringLiteral(", "));
        names->addWidget(mutedLabel(meta.join(QStringLiteral("  ·  ")), card));
        top->addLayout(names, 1);
        auto *score = new QLabel(tr("Fit %1").arg(QLocale().toString(s.score, 'f', 1)), card);
        score->setToolTip(tr("The suggestion's score: the sum of the points of the facts below."));
        QColor accent = palette().color(QPalette::Highlight);
        score->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: 600; }")
                                 .arg((dark ? accent.lighter(120) : accent).name()));
        top->addWidget(score, 0, Qt::AlignTop);
        cv->addLayout(top);
        // The sentence starts with a fact ("your X integrates with ..."); as a paragraph it reads better capitalised.
        QString sentence = s.explanation;
        if (!sentence.isEmpty())
            sentence[0] = sentence.at(0).toUpper();
        QLabel *why = wrapped(sentence, card);
        why->setObjectName(QStringLiteral("fitExplanation"));
        why->setContentsMargins(48, 2, 0, 2);
        cv->addWidget(why);
        auto *buttons = new QHBoxLayout;
        buttons->setContentsMargins(48, 0, 0, 0);
        auto *listings = new QPushButton(tr("Their Listings"), card);
        auto *intro = new QPushButton(icon(QStringLiteral("mail")), tr("Request an Introduction…"), card);
        connect(listings, &QPushButton::clicked, this,
                [this, s] { Q_EMIT listingsRequested(s.partnerId, s.partnerName); });
        connect(intro, &QPushButton::clicked, this, [this, s, id] { Q_EMIT introductionRequested(id, s.partnerId); });
        buttons->addWidget(listings);
        buttons->addWidget(intro);
        buttons->addStretch(1);
        cv->addLayout(buttons);
        v->addWidget(card);
    }
    v->addStretch(1);
    QWidget *old = m_scroll->takeWidget();
    m_scroll->setWidget(page);
    if (old)
        old->deleteLater();
}

// ---- requests

RequestsPage::RequestsPage(Workspace &workspace, CollaborationRepository &requests, const OrgDirectory &orgs,
                           QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_requests(requests)
    , m_orgs(orgs)
    , m_incomingButton(new QToolButton(this))
    , m_sentButton(new QToolButton(this))
    , m_table(new QTableWidget(this))
    , m_empty(new EmptyState(QStringLiteral("mail"), tr("No requests"), QString(), this))
    , m_accept(new QPushButton(tr("Accept"), this))
    , m_decline(new QPushButton(tr("Decline…"), this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(12, 8, 12, 8);
    for (QToolButton *b : {m_incomingButton, m_sentButton}) {
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setAutoExclusive(true);
        bar->addWidget(b);
    }
    m_incomingButton->setText(tr("Received"));
    m_sentButton->setText(tr("Sent"));
    m_incomingButton->setChecked(true);
    connect(m_incomingButton, &QToolButton::clicked, this, [this] { setShowSent(false); });
    connect(m_sentButton, &QToolButton::clicked, this, [this] { setShowSent(true); });
    bar->addStretch(1);
    m_accept->setObjectName(QStringLiteral("acceptRequest"));
    m_decline->setObjectName(QStringLiteral("declineRequest"));
    bar->addWidget(m_accept);
    bar->addWidget(m_decline);
    v->addLayout(bar);

    m_table->setColumnCount(8);
    m_table->setHorizontalHeaderLabels(
        {tr("Request"), tr("From"), tr("To"), tr("Listing"), tr("Customer"), tr("Message"), tr("Status"), tr("Sent")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(5, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Collaboration requests"));
    v->addWidget(m_table, 1);
    v->addWidget(m_empty, 1);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RequestsPage::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < m_rows.size() && !m_rows.at(row).listingId.isEmpty())
            Q_EMIT listingActivated(m_rows.at(row).listingId);
    });
    connect(m_accept, &QPushButton::clicked, this, [this] {
        const QString error = accept(selectedId());
        Q_EMIT message(error.isEmpty() ? tr("Request accepted.") : error, !error.isEmpty());
    });
    connect(m_decline, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        bool ok = false;
        const QString reason = QInputDialog::getText(this, tr("Decline Request"),
                                                     tr("Why do you decline? The "
                                                        "requester sees the reason."),
                                                     QLineEdit::Normal, QString(), &ok);
        if (!ok)
            return;
        const QString error = decline(id, reason);
        Q_EMIT message(error.isEmpty() ? tr("Request declined.") : error, !error.isEmpty());
    });
    updateButtons();
}

void RequestsPage::setOrganization(const QString &id)
{
    m_org = id;
    refresh();
}

void RequestsPage::setShowSent(bool sent)
{
    m_sent = sent;
    m_sentButton->setChecked(sent);
    m_incomingButton->setChecked(!sent);
    refresh();
}

void RequestsPage::refresh()
{
    m_rows.clear();
    m_pending = 0;
    if (!m_org.isEmpty()) {
        if (Result<QList<CollaborationRequest>> in = m_requests.incoming(m_org)) {
            for (const CollaborationRequest &r : in.value())
                m_pending += r.status == CollaborationStatus::Sent;
            if (!m_sent)
                m_rows = in.value();
        }
        if (m_sent)
            if (Result<QList<CollaborationRequest>> out = m_requests.outgoing(m_org))
                m_rows = out.value();
    }
    m_incomingButton->setText(m_pending > 0 ? tr("Received (%1 open)").arg(m_pending) : tr("Received"));
    ListingRepository listings(m_workspace);
    QHash<QString, QString> titles;
    m_table->setRowCount(int(m_rows.size()));
    const QLocale locale;
    for (int i = 0; i < m_rows.size(); ++i) {
        const CollaborationRequest &r = m_rows.at(i);
        if (!r.listingId.isEmpty() && !titles.contains(r.listingId)) {
            Result<Listing> l = listings.find(r.listingId);
            titles.insert(r.listingId, l ? l->title : QString());
        }
        QString status;
        switch (r.status) {
        case CollaborationStatus::Sent:
            status = tr("Waiting for an answer");
            break;
        case CollaborationStatus::Accepted:
            status = r.kind == CollaborationKind::CoSell && !r.resultId.isEmpty() ? tr("Accepted — deal room opened")
                                                                                  : tr("Accepted");
            break;
        case CollaborationStatus::Declined:
            status = r.reason.isEmpty() ? tr("Declined") : tr("Declined: %1").arg(r.reason);
            break;
        }
        const QStringList cells = {collaborationKindName(r.kind),
                                   m_orgs.name(r.fromOrg),
                                   m_orgs.name(r.toOrg),
                                   titles.value(r.listingId),
                                   r.accountName,
                                   r.message.simplified(),
                                   status,
                                   locale.toString(r.createdAt.toLocalTime(), QLocale::ShortFormat)};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c == 5 && !r.message.isEmpty())
                item->setToolTip(r.message);
            if (c == 0)
                item->setData(Qt::UserRole, r.id);
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_table->columnCount(); ++c)
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 260));
    const bool empty = m_rows.isEmpty();
    m_table->setVisible(!empty);
    m_empty->setVisible(empty);
    m_empty->setTitle(m_sent ? tr("No requests sent") : tr("No requests received"));
    m_empty->setText(m_sent ? tr("Requests %1 sends from a listing or a partner-fit suggestion appear here with "
                                 "their answers.")
                                  .arg(m_orgs.name(m_org))
                            : tr("Introductions, co-sell proposals and referrals other partners send to %1 "
                                 "appear here to accept or decline.")
                                  .arg(m_orgs.name(m_org)));
    updateButtons();
}

QString RequestsPage::selectedId() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    if (items.isEmpty())
        return {};
    QTableWidgetItem *first = m_table->item(items.first()->row(), 0);
    return first ? first->data(Qt::UserRole).toString() : QString();
}

void RequestsPage::updateButtons()
{
    const QString id = selectedId();
    bool open = false;
    for (const CollaborationRequest &r : std::as_const(m_rows))
        if (r.id == id)
            open = r.status == CollaborationStatus::Sent && r.toOrg == m_org;
    m_accept->setVisible(!m_sent);
    m_decline->setVisible(!m_sent);
    m_accept->setEnabled(open);
    m_decline->setEnabled(open);
}

QString RequestsPage::accept(const QString &id)
{
    Result<CollaborationRequest> found = m_requests.find(id);
    if (!found)
        return found.error();
    Result<CollaborationRequest> done = m_requests.accept(id);
    if (!done)
        return done.error();
    if (done->kind == CollaborationKind::Referral && done->resultId.isEmpty()) {
        // Recorded as an accepted referral too, so it is tracked (SLA, conversion) on the Referrals page.
        ReferralRepository referrals(m_workspace);
        Referral r;
        r.fromOrgId = done->fromOrg;
        r.toOrgId = done->toOrg;
        r.account.name = done->accountName;
        r.account.website = done->accountWebsite;
        r.need = done->message;
        if (Status s = referrals.send(r); !s)
            return s.error();
        if (Status s = referrals.accept(r.id); !s)
            return s.error();
        if (Status s = m_requests.setResult(id, r.id); !s)
            return s.error();
    }
    if (done->kind == CollaborationKind::CoSell && !done->resultId.isEmpty())
        Q_EMIT dealRoomOpened(done->resultId);
    refresh();
    Q_EMIT changed();
    return {};
}

QString RequestsPage::decline(const QString &id, const QString &reason)
{
    if (Status s = m_requests.decline(id, reason); !s)
        return s.error();
    refresh();
    Q_EMIT changed();
    return {};
}

// ---- dialog

CollaborationDialog::CollaborationDialog(CollaborationRepository &requests, CollaborationRequest draft,
                                         const QString &fromName, const QString &toName, const QString &listingTitle,
                                         QWidget *parent)
    : QDialog(parent)
    , m_requests(requests)
    , m_request(std::move(draft))
    , m_toName(toName)
    , m_kind(new QComboBox(this))
    , m_intro(new QLabel(this))
    , m_account(new QLineEdit(this))
    , m_website(new QLineEdit(this))
    , m_message(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("collaborationDialog"));
    setMinimumWidth(460);
    auto *v = new QVBoxLayout(this);
    m_intro->setWordWrap(true);
    v->addWidget(m_intro);
    auto *form = new QFormLayout;
    form->addRow(tr("From"), new QLabel(fromName, this));
    form->addRow(tr("To"), new QLabel(toName, this));
    if (!listingTitle.isEmpty())
        form->addRow(tr("About"), new QLabel(listingTitle, this));
    for (CollaborationKind k :
         {CollaborationKind::Introduction, CollaborationKind::CoSell, CollaborationKind::Referral})
        m_kind->addItem(collaborationKindName(k), int(k));
    m_kind->setAccessibleName(tr("Kind of request"));
    form->addRow(tr("&Request"), m_kind);
    m_account->setPlaceholderText(tr("Customer or prospect name"));
    m_account->setAccessibleName(tr("Customer"));
    form->addRow(tr("&Customer"), m_account);
    m_website->setPlaceholderText(tr("https://… (optional)"));
    m_website->setAccessibleName(tr("Customer website"));
    form->addRow(tr("&Website"), m_website);
    m_message->setPlaceholderText(tr("What you have in mind, in a few sentences"));
    m_message->setAccessibleName(tr("Message"));
    m_message->setFixedHeight(m_message->fontMetrics().lineSpacing() * 5 + 12);
    form->addRow(tr("&Message"), m_message);
    v->addLayout(form);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    v->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Send Request"));
    connect(buttons, &QDialogButtonBox::accepted, this, &CollaborationDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &CollaborationDialog::reject);
    v->addWidget(buttons);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &CollaborationDialog::updateFields);
    // A problem shown stays only until the user changes something.
    connect(m_account, &QLineEdit::textEdited, m_error, &QLabel::hide);
    connect(m_website, &QLineEdit::textEdited, m_error, &QLabel::hide);
    connect(m_kind, &QComboBox::currentIndexChanged, m_error, &QLabel::hide);
    setKind(m_request.kind);
    updateFields();
}

void CollaborationDialog::setKind(CollaborationKind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

void CollaborationDialog::updateFields()
{
    m_request.kind = CollaborationKind(m_kind->currentData().toInt());
    const bool customer = m_request.kind != CollaborationKind::Introduction;
    m_account->setEnabled(customer);
    m_website->setEnabled(customer);
    switch (m_request.kind) {
    case CollaborationKind::Introduction:
        setWindowTitle(tr("Request an Introduction"));
        m_intro->setText(tr("Ask %1 for a conversation. They accept or decline.").arg(m_toName));
        break;
    case CollaborationKind::CoSell:
        setWindowTitle(tr("Propose Co-sell"));
        m_intro->setText(tr("Propose to work a customer together with %1. When they accept, a deal room opens "
                            "with both of you in it.")
                             .arg(m_toName));
        break;
    case CollaborationKind::Referral:
        setWindowTitle(tr("Refer a Customer"));
        m_intro->setText(
            tr("Hand a customer's need to %1. When they accept, it is tracked as a referral.").arg(m_toName));
        break;
    }
}

void CollaborationDialog::accept()
{
    CollaborationRequest r = m_request;
    r.id.clear();
    const bool customer = r.kind != CollaborationKind::Introduction;
    r.accountName = customer ? m_account->text().trimmed() : QString();
    r.accountWebsite = customer ? m_website->text().trimmed() : QString();
    r.message = m_message->toPlainText().trimmed();
    if (customer && r.accountName.isEmpty()) {
        m_error->setText(tr("Name the customer this is about."));
        m_error->show();
        m_account->setFocus();
        return;
    }
    if (Status s = m_requests.send(r); !s) {
        m_error->setText(s.error());
        m_error->show();
        return;
    }
    m_request = r;
    QDialog::accept();
}

} // namespace ecotone::ui
