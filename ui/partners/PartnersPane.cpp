#include "PartnersPane.h"

#include "common/ChipDelegate.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "item/PartnerTableModel.h"
#include "partners/PartnerCommands.h"
#include "partners/PartnerDetailView.h"
#include "partners/PartnerDialog.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ecotone::ui {

PartnersPane::PartnersPane(Workspace *workspace, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_undo(undoStack)
    , m_model(new PartnerTableModel(workspace, this))
    , m_search(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_tier(new QComboBox(this))
    , m_region(new QComboBox(this))
    , m_clear(new QToolButton(this))
    , m_count(new QLabel(this))
    , m_tableStack(new QStackedWidget(this))
    , m_table(new QTableView(this))
    , m_noMatches(new EmptyState(QStringLiteral("search"), tr("No partners match"),
                                 tr("Try fewer words, or clear the filters to see every partner."), this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_detail(new PartnerDetailView(this))
{
    setObjectName(QStringLiteral("partnersPane"));
    setAccessibleName(tr("Partners"));

    // ---- header: title, count, primary action
    auto *title = new QLabel(tr("Partners"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_count->setAccessibleName(tr("Number of partners shown"));
    auto *add = new QPushButton(icon(QStringLiteral("add"), palette().color(QPalette::HighlightedText)),
                                tr("New Partner"), this);
    add->setObjectName(QStringLiteral("newPartnerButton"));
    add->setAccessibleName(tr("New partner"));
    add->setDefault(false);
    add->setAutoDefault(false);
    QPalette accent = add->palette();
    accent.setColor(QPalette::Button, palette().color(QPalette::Highlight));
    accent.setColor(QPalette::ButtonText, palette().color(QPalette::HighlightedText));
    add->setPalette(accent);
    add->setMinimumHeight(32);
    connect(add, &QPushButton::clicked, this, &PartnersPane::newPartner);

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(12);
    header->addWidget(m_count, 0, Qt::AlignBottom);
    header->addStretch(1);
    header->addWidget(add);

    // ---- filter bar
    m_search->setPlaceholderText(tr("Search partners by name, domain or capability"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_search->setAccessibleName(tr("Search partners"));
    m_search->setObjectName(QStringLiteral("partnerSearch"));
    m_search->setMinimumWidth(280);
    m_search->setMinimumHeight(30);

    m_type->addItem(tr("All types"), QString());
    for (PartnerType t : partnertype::all())
        m_type->addItem(partnertype::displayName(t), partnertype::key(t));
    m_type->setAccessibleName(tr("Filter by partner type"));
    m_tier->addItem(tr("All tiers"), QString());
    for (const QString &tier : organization::tiers())
        m_tier->addItem(tier, tier);
    m_tier->setAccessibleName(tr("Filter by tier"));
    m_region->addItem(tr("All regions"), QString());
    for (const QString &r : organization::regions())
        m_region->addItem(r, r);
    m_region->setAccessibleName(tr("Filter by region"));
    for (QComboBox *combo : {m_type, m_tier, m_region}) {
        combo->setMinimumHeight(30);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(combo, &QComboBox::currentIndexChanged, this, &PartnersPane::applyFilter);
    }
    m_clear->setIcon(icon(QStringLiteral("clear")));
    m_clear->setText(tr("Clear filters"));
    m_clear->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_clear->setAutoRaise(true);
    m_clear->setAccessibleName(tr("Clear filters"));
    connect(m_clear, &QToolButton::clicked, this, &PartnersPane::clearFilters);
    connect(m_search, &QLineEdit::textChanged, this, &PartnersPane::applyFilter);

    auto *filters = new QHBoxLayout;
    filters->setSpacing(8);
    filters->addWidget(m_search, 3);
    filters->addWidget(m_type);
    filters->addWidget(m_tier);
    filters->addWidget(m_region);
    filters->addWidget(m_clear);
    filters->addStretch(1);

    // ---- table
    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("partnerTable"));
    m_table->setAccessibleName(tr("Partner list"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PartnerTableModel::Name, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // Name and regions share the spare width; the rest are sized for their usual content. Status and Joined start
    // hidden (the profile shows both) so the table fits beside the profile on a 1280-pixel screen; the header's
    // context menu brings them back, and the header state is remembered.
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setMinimumSectionSize(60);
    columns->setSectionResizeMode(PartnerTableModel::Name, QHeaderView::Stretch);
    columns->setSectionResizeMode(PartnerTableModel::Regions, QHeaderView::Stretch);
    m_table->setColumnWidth(PartnerTableModel::Types, 170);
    m_table->setColumnWidth(PartnerTableModel::Tier, 90);
    m_table->setColumnWidth(PartnerTableModel::Status, 96);
    m_table->setColumnWidth(PartnerTableModel::Accounts, 82);
    m_table->setColumnWidth(PartnerTableModel::Joined, 100);
    m_table->setColumnHidden(PartnerTableModel::Status, true);
    m_table->setColumnHidden(PartnerTableModel::Joined, true);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        for (int c = PartnerTableModel::Types; c < PartnerTableModel::ColumnCount; ++c) {
            QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_table->isColumnHidden(c));
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_table->setColumnHidden(c, !on); });
        }
        menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
    });
    m_table->setFrameShape(QFrame::NoFrame);
    auto *chips = new ChipDelegate(m_table);
    m_table->setItemDelegateForColumn(PartnerTableModel::Types, chips);
    m_table->setItemDelegateForColumn(PartnerTableModel::Tier, chips);
    connect(m_table, &QTableView::doubleClicked, this, &PartnersPane::editSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PartnersPane::updateDetail);
    connect(m_model, &PartnerTableModel::totalMatchesChanged, this, &PartnersPane::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PartnersPane::updateCount);
    connect(m_model, &PartnerTableModel::errorOccurred, this, &PartnersPane::showError);

    auto *editShortcut = new QAction(this);
    editShortcut->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter), QKeySequence(Qt::Key_F2)});
    editShortcut->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(editShortcut);
    connect(editShortcut, &QAction::triggered, this, &PartnersPane::editSelected);
    auto *deleteShortcut = new QAction(this);
    deleteShortcut->setShortcut(QKeySequence::Delete);
    deleteShortcut->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(deleteShortcut);
    connect(deleteShortcut, &QAction::triggered, this, &PartnersPane::deleteSelected);

    if (auto *clearAction = m_noMatches->addAction(tr("Clear search and filters"), QStringLiteral("clear")))
        connect(qobject_cast<QPushButton *>(clearAction), &QPushButton::clicked, this, &PartnersPane::clearFilters);
    m_tableStack->addWidget(m_table);
    m_tableStack->addWidget(m_noMatches);

    connect(m_detail->editButton(), &QPushButton::clicked, this, &PartnersPane::editSelected);
    connect(m_detail->deleteButton(), &QPushButton::clicked, this, &PartnersPane::deleteSelected);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_tableStack);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setObjectName(QStringLiteral("partnersSplitter"));
    m_detail->setMinimumWidth(320);
    m_splitter->setSizes({760, 380});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 16, 20, 12);
    layout->setSpacing(12);
    layout->addLayout(header);
    layout->addLayout(filters);
    layout->addWidget(m_splitter, 1);

    setTabOrder(m_search, m_type);
    setTabOrder(m_type, m_tier);
    setTabOrder(m_tier, m_region);
    setTabOrder(m_region, m_clear);
    setTabOrder(m_clear, m_table);
    updateCount();
}

PartnersPane::~PartnersPane() = default;

QString PartnersPane::selectedId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() && m_table->selectionModel()->isRowSelected(current.row(), {})
               ? m_model->idAt(current.row())
               : QString();
}

void PartnersPane::selectPartner(const QString &id)
{
    int row = m_model->rowOf(id);
    // The partner may sit beyond the loaded pages: load more until it appears or the list ends.
    while (row < 0 && !id.isEmpty() && m_model->canFetchMore({})) {
        m_model->fetchMore({});
        row = m_model->rowOf(id);
    }
    if (row < 0) {
        m_table->clearSelection();
        updateDetail();
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    updateDetail();
}

void PartnersPane::applyFilter()
{
    const QString keep = selectedId();
    PartnerTableModel::Filter f;
    f.text = m_search->text().trimmed();
    f.type = m_type->currentData().toString();
    f.tier = m_tier->currentData().toString();
    f.region = m_region->currentData().toString();
    m_model->setFilter(f);
    m_clear->setEnabled(!(f == PartnerTableModel::Filter{}));
    const int row = m_model->rowOf(keep);
    if (row >= 0)
        m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateDetail();
}

void PartnersPane::clearFilters()
{
    const QSignalBlocker b1(m_search), b2(m_type), b3(m_tier), b4(m_region);
    m_search->clear();
    m_type->setCurrentIndex(0);
    m_tier->setCurrentIndex(0);
    m_region->setCurrentIndex(0);
    applyFilter();
}

void PartnersPane::updateCount()
{
    const QLocale locale;
    const qint64 shown = m_model->totalMatches();
    const bool filtered = !(m_model->filter() == PartnerTableModel::Filter{});
    m_count->setText(filtered ? (shown == 0   ? tr("No matches")
                                 : shown == 1 ? tr("1 match")
                                              : tr("%1 matches").arg(locale.toString(shown)))
                              : (shown == 1 ? tr("1 partner") : tr("%1 partners").arg(locale.toString(shown))));
    m_tableStack->setCurrentWidget(shown == 0 && filtered ? static_cast<QWidget *>(m_noMatches) : m_table);
    if (shown == 0 && !filtered) {
        m_noMatches->setTitle(tr("No partners yet"));
        m_noMatches->setText(tr("Add your first partner with New Partner, or import a CSV file from the File menu."));
        m_tableStack->setCurrentWidget(m_noMatches);
    } else {
        m_noMatches->setTitle(tr("No partners match"));
        m_noMatches->setText(tr("Try fewer words, or clear the filters to see every partner."));
    }
}

void PartnersPane::updateDetail()
{
    const QString id = selectedId();
    Q_EMIT selectionChanged(!id.isEmpty());
    if (id.isEmpty()) {
        m_detail->showNothing();
        return;
    }
    if (id == m_detail->partnerId())
        return; // a keystroke that keeps the selection need not re-read the profile
    OrganizationRepository orgs(*m_workspace);
    auto org = orgs.find(id);
    if (!org) {
        m_detail->showNothing();
        return;
    }
    PersonRepository people(*m_workspace);
    AccountRepository accounts(*m_workspace);
    auto list = people.forOrganization(id);
    auto count = accounts.countForOwner(id);
    m_detail->showPartner(org.value(), list ? list.value() : QList<Person>{}, count ? count.value() : 0);
}

void PartnersPane::afterChange(const QString &focusId)
{
    m_detail->forget(); // the shown profile may be out of date
    m_model->refresh();
    if (!focusId.isEmpty())
        selectPartner(focusId);
    else
        updateDetail();
    Q_EMIT dataChanged();
}

void PartnersPane::showError(const QString &message)
{
    QMessageBox::warning(this, tr("Partners"), message);
}

void PartnersPane::newPartner()
{
    Organization blank;
    blank.kind = OrganizationKind::Partner;
    blank.tier = QStringLiteral("Registered");
    blank.status = QStringLiteral("onboarding");
    blank.joinDate = QDate::currentDate();
    PartnerDialog dialog(blank, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    PartnerCommandContext ctx{m_workspace, [this](const QString &id) { afterChange(id); },
                              [this](const QString &msg) { showError(msg); }};
    m_undo->push(new AddPartnerCommand(ctx, dialog.organization()));
}

void PartnersPane::editSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    OrganizationRepository repo(*m_workspace);
    auto before = repo.find(id);
    if (!before) {
        showError(before.error());
        return;
    }
    PartnerDialog dialog(before.value(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Organization after = dialog.organization();
    if (after == before.value())
        return;
    PartnerCommandContext ctx{m_workspace, [this](const QString &focus) { afterChange(focus); },
                              [this](const QString &msg) { showError(msg); }};
    m_undo->push(new EditPartnerCommand(ctx, before.value(), after));
}

void PartnersPane::deleteSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    OrganizationRepository repo(*m_workspace);
    auto org = repo.find(id);
    if (!org)
        return;
    AccountRepository accounts(*m_workspace);
    const qint64 count = accounts.countForOwner(id).ok() ? accounts.countForOwner(id).value() : 0;
    QMessageBox box(QMessageBox::Question, tr("Delete Partner"),
                    tr("Delete “%1” with its people and %2 accounts?").arg(org->name, QLocale().toString(count)),
                    QMessageBox::Cancel, this);
    box.setInformativeText(tr("You can undo this with Edit ▸ Undo."));
    auto *del = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != del)
        return;
    const int row = m_table->currentIndex().row();
    PartnerCommandContext ctx{m_workspace,
                              [this, row](const QString &focus) {
                                  afterChange(focus);
                                  if (focus.isEmpty() && m_model->rowCount() > 0)
                                      selectPartner(m_model->idAt(std::min(row, m_model->rowCount() - 1)));
                              },
                              [this](const QString &msg) { showError(msg); }};
    m_undo->push(new DeletePartnerCommand(ctx, org.value()));
}

void PartnersPane::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void PartnersPane::reload()
{
    afterChange(selectedId());
}

} // namespace ecotone::ui
