#include "AccountMappingPane.h"

#include "HeatMapDelegate.h"
#include "MappingDialogs.h"
#include "OverlapModels.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "common/Theme.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace ecotone::ui::mapping {

namespace {
constexpr int kTermsRefreshMs = 5000; // expiries take effect within this
}

AccountMappingPane::AccountMappingPane(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_source(std::make_shared<overlap::OverlapSource>(workspace->path()))
    , m_governed(
          std::make_unique<overlap::GovernedOverlap>(*workspace, overlap::GovernedOverlap::defaultActor(*workspace)))
    , m_stack(new QStackedWidget(this))
    , m_matrix(new OverlapMatrixModel(this))
    , m_drill(new DrillDownModel(this))
    , m_drillProxy(new QSortFilterProxyModel(this))
    , m_termsTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("accountMappingPane"));
    buildUi();
    m_termsTimer->setInterval(kTermsRefreshMs);
    connect(m_termsTimer, &QTimer::timeout, this, &AccountMappingPane::refreshTerms);
}

AccountMappingPane::~AccountMappingPane()
{
    if (m_cancel)
        m_cancel->store(true);
    for (const QPointer<QThread> &worker : std::as_const(m_workers))
        if (worker)
            worker->wait();
}

void AccountMappingPane::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(20, 16, 20, 12);
    outer->setSpacing(10);

    outer->addWidget(theme::paneTitle(tr("Account Mapping"), this));

    auto *bar = new QHBoxLayout;
    auto *partnerLabel = new QLabel(tr("&Partner:"), this);
    m_partnerBox = new QComboBox(this);
    m_partnerBox->setObjectName(QStringLiteral("partnerBox"));
    m_partnerBox->setAccessibleName(tr("Partner"));
    m_partnerBox->setEditable(true);
    m_partnerBox->setInsertPolicy(QComboBox::NoInsert);
    m_partnerBox->setMinimumWidth(320);
    m_partnerBox->setMaxVisibleItems(20);
    m_partnerBox->lineEdit()->setPlaceholderText(tr("Type to find a partner"));
    m_partnerBox->completer()->setFilterMode(Qt::MatchContains);
    m_partnerBox->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_partnerBox->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    partnerLabel->setBuddy(m_partnerBox);
    bar->addWidget(partnerLabel);
    bar->addWidget(m_partnerBox);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(90);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_busy->setAccessibleName(tr("Computing the overlap"));
    m_busyLabel = new QLabel(tr("Matching accounts…"), this);
    m_busyLabel->setForegroundRole(QPalette::PlaceholderText);
    // Keeps its place when hidden, so the bar does not jump while computing.
    for (QWidget *w : {static_cast<QWidget *>(m_busy), static_cast<QWidget *>(m_busyLabel)}) {
        QSizePolicy sp = w->sizePolicy();
        sp.setRetainSizeWhenHidden(true);
        w->setSizePolicy(sp);
        w->hide();
    }
    bar->addWidget(m_busy);
    bar->addWidget(m_busyLabel);
    bar->addStretch();
    m_populationsButton = new QToolButton(this);
    m_populationsButton->setText(tr("Populations"));
    m_populationsButton->setIcon(icon(QStringLiteral("filter")));
    m_populationsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_populationsButton->setPopupMode(QToolButton::InstantPopup);
    m_populationsButton->setAccessibleName(tr("Custom populations"));
    m_populationsButton->setMenu(new QMenu(m_populationsButton));
    bar->addWidget(m_populationsButton);
    m_sharingButton = new QPushButton(icon(QStringLiteral("share")), tr("Sharing…"), this);
    m_sharingButton->setObjectName(QStringLiteral("sharingButton"));
    m_sharingButton->setAccessibleName(tr("Sharing terms of this partner"));
    m_sharingButton->setToolTip(tr("What this partner shares with you, population by population"));
    bar->addWidget(m_sharingButton);
    outer->addLayout(bar);
    outer->addWidget(m_stack, 1);

    m_noPartners = new EmptyState(QStringLiteral("partners"), tr("No partners yet"),
                                  tr("Account mapping compares your accounts with a partner's. Add partners in the "
                                     "Partners pane, then import their CRM accounts."),
                                  m_stack);
    m_noAccounts = new EmptyState(QStringLiteral("import"), tr("No accounts for this partner"), QString(), m_stack);
    m_noAccounts->setFootnote(tr("Import a CRM export with: ecotone accounts import --workspace FILE "
                                 "--organization PARTNER export.csv"));

    m_content = new QWidget(m_stack);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 0, 0);
    content->setSpacing(8);
    m_banner = new QLabel(m_content);
    m_banner->setObjectName(QStringLiteral("sharingBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    restyleBanner();
    connect(m_banner, &QLabel::linkActivated, this, &AccountMappingPane::openSharing);
    content->addWidget(m_banner);
    m_summary = new QLabel(m_content);
    m_summary->setObjectName(QStringLiteral("mappingSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAccessibleName(tr("Records and companies on each side"));
    content->addWidget(m_summary);

    auto *matrixBox = new QWidget(m_content);
    auto *matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    m_axes = new QLabel(matrixBox);
    m_axes->setForegroundRole(QPalette::PlaceholderText);
    matrixLayout->addWidget(m_axes);
    m_matrixView = new QTableView(matrixBox);
    m_matrixView->setObjectName(QStringLiteral("overlapMatrix"));
    m_matrixView->setAccessibleName(tr("Overlap matrix"));
    m_matrixView->setModel(m_matrix);
    m_matrixView->setItemDelegate(new HeatMapDelegate(m_matrixView));
    m_matrixView->setShowGrid(false);
    m_matrixView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matrixView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrixView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_matrixView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_matrixView->verticalHeader()->setDefaultSectionSize(HeatMapDelegate(nullptr).sizeHint({}, {}).height());
    m_matrixView->setCornerButtonEnabled(false);
    m_matrixView->setFrameShape(QFrame::NoFrame);
    matrixLayout->addWidget(m_matrixView);
    connect(m_matrixView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    showCell(current.row(), current.column());
            });

    auto *drillBox = new QWidget(m_content);
    auto *drillLayout = new QVBoxLayout(drillBox);
    drillLayout->setContentsMargins(0, 4, 0, 0);
    auto *drillBar = new QHBoxLayout;
    m_drillTitle = new QLabel(drillBox);
    m_drillTitle->setObjectName(QStringLiteral("drillTitle"));
    QFont strong = m_drillTitle->font();
    strong.setWeight(QFont::DemiBold);
    m_drillTitle->setFont(strong);
    drillBar->addWidget(m_drillTitle, 1);
    m_greenfieldButton = new QPushButton(tr("Greenfield"), drillBox);
    m_greenfieldButton->setObjectName(QStringLiteral("greenfieldButton"));
    m_greenfieldButton->setAccessibleName(tr("Show greenfield: their customers we do not have"));
    drillBar->addWidget(m_greenfieldButton);
    m_exportButton = new QPushButton(icon(QStringLiteral("export")), tr("Export CSV…"), drillBox);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setAccessibleName(tr("Export the listed accounts to CSV"));
    drillBar->addWidget(m_exportButton);
    drillLayout->addLayout(drillBar);
    m_drillNote = new QLabel(drillBox);
    m_drillNote->setWordWrap(true);
    m_drillNote->setForegroundRole(QPalette::PlaceholderText);
    drillLayout->addWidget(m_drillNote);
    m_drillView = new QTableView(drillBox);
    m_drillView->setObjectName(QStringLiteral("drillDown"));
    m_drillView->setAccessibleName(tr("Accounts in the selected cell"));
    m_drillProxy->setSourceModel(m_drill);
    m_drillProxy->setSortRole(DrillDownModel::SortRole);
    m_drillProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_drillView->setModel(m_drillProxy);
    m_drillView->setSortingEnabled(true);
    m_drillView->setAlternatingRowColors(true);
    m_drillView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_drillView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_drillView->verticalHeader()->hide();
    m_drillView->horizontalHeader()->setStretchLastSection(true);
    m_drillView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    drillLayout->addWidget(m_drillView, 1);
    drillLayout->addStretch(0);
    // The matrix is as tall as its rows; the drill-down takes the rest.
    content->addWidget(matrixBox);
    content->addWidget(drillBox, 1);

    m_stack->addWidget(m_content);
    m_stack->addWidget(m_noPartners);
    m_stack->addWidget(m_noAccounts);

    connect(m_partnerBox, &QComboBox::activated, this, &AccountMappingPane::partnerChosen);
    connect(m_sharingButton, &QPushButton::clicked, this, &AccountMappingPane::openSharing);
    connect(m_greenfieldButton, &QPushButton::clicked, this, &AccountMappingPane::showGreenfield);
    connect(m_exportButton, &QPushButton::clicked, this, &AccountMappingPane::exportInteractively);
    clearDrillDown(tr("Select a cell"), tr("Click a cell of the matrix to list the accounts behind it."));
    m_banner->hide();
    m_sharingButton->setEnabled(false);
    rebuildPopulationMenu();
}

void AccountMappingPane::restyleBanner()
{
    // Explicit colours, set again when the theme changes: palette() in a style sheet is resolved only once.
    m_banner->setStyleSheet(
        QStringLiteral("QLabel#sharingBanner { background: %1; border: 1px solid %2; "
                       "border-radius: 6px; padding: 8px 12px; }")
            .arg(palette().color(QPalette::AlternateBase).name(), palette().color(QPalette::Mid).name()));
}

void AccountMappingPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyleBanner();
    QWidget::changeEvent(event);
}

void AccountMappingPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loadedOnce) {
        m_loadedOnce = true;
        reloadPartners();
    } else {
        refreshTerms();
    }
    m_termsTimer->start();
}

template <typename Work> void AccountMappingPane::runInBackground(Work &&work)
{
    QThread *worker = QThread::create(std::forward<Work>(work));
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_workers.removeAll(nullptr);
    m_workers << worker;
    worker->start();
}

void AccountMappingPane::setBusy(bool busy)
{
    m_busyCount = std::max(0, m_busyCount + (busy ? 1 : -1));
    m_busy->setVisible(m_busyCount > 0);
    m_busyLabel->setVisible(m_busyCount > 0);
}

void AccountMappingPane::reloadPartners()
{
    const quint64 generation = ++m_partnerGeneration;
    setBusy(true);
    m_busyLabel->setText(tr("Reading partners…"));
    QPointer<AccountMappingPane> self(this);
    runInBackground([self, generation, source = m_source] {
        Result<QList<overlap::PartnerEntry>> partners = source->partners();
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, partners] {
                if (self)
                    self->showPartners(generation, partners);
            },
            Qt::QueuedConnection);
    });
}

void AccountMappingPane::accountsChanged()
{
    m_source->forgetVendor();
    reloadPartners();
}

void AccountMappingPane::showPartners(quint64 generation, const Result<QList<overlap::PartnerEntry>> &partners)
{
    setBusy(false);
    if (generation != m_partnerGeneration)
        return;
    if (!partners) {
        m_noPartners->setTitle(tr("Cannot read the partners"));
        m_noPartners->setText(partners.error());
        m_stack->setCurrentWidget(m_noPartners);
        return;
    }
    const QString previous = currentPartnerId();
    m_partners = partners.value();
    {
        const QSignalBlocker block(m_partnerBox);
        m_partnerBox->clear();
        for (const overlap::PartnerEntry &p : std::as_const(m_partners))
            m_partnerBox->addItem(p.accounts == 0 ? tr("%1 (no accounts)").arg(p.name) : p.name, p.id);
    }
    Q_EMIT partnersLoaded();
    if (m_partners.isEmpty()) {
        m_stack->setCurrentWidget(m_noPartners);
        m_sharingButton->setEnabled(false);
        return;
    }
    int index = previous.isEmpty() ? -1 : m_partnerBox->findData(previous);
    if (index < 0) // start on a partner with accounts, so the first view shows something
        for (int i = 0; i < m_partners.size() && index < 0; ++i)
            if (m_partners.at(i).accounts > 0)
                index = i;
    m_partnerBox->setCurrentIndex(std::max(0, index));
    partnerChosen();
}

bool AccountMappingPane::selectPartner(const QString &id)
{
    const int index = m_partnerBox->findData(id);
    if (index < 0)
        return false;
    m_partnerBox->setCurrentIndex(index);
    partnerChosen();
    return true;
}

QString AccountMappingPane::currentPartnerId() const
{
    return m_partnerBox->currentData().toString();
}

QString AccountMappingPane::partnerName() const
{
    const QString id = currentPartnerId();
    for (const overlap::PartnerEntry &p : m_partners)
        if (p.id == id)
            return p.name;
    return {};
}

void AccountMappingPane::partnerChosen()
{
    if (currentPartnerId().isEmpty())
        return;
    m_sharingButton->setEnabled(true);
    compute();
}

void AccountMappingPane::compute()
{
    const QString partnerId = currentPartnerId();
    if (partnerId.isEmpty())
        return;
    // The older request is dropped: cancelled if it has not started matching, ignored when it answers.
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = ++m_generation;
    PopulationRepository repo(*m_workspace);
    auto custom = repo.all();
    m_populations = overlap::populationsWith(custom ? custom.value() : QList<CustomPopulation>());
    setBusy(true);
    m_busyLabel->setText(tr("Matching accounts…"));
    QPointer<AccountMappingPane> self(this);
    runInBackground([self, generation, partnerId, populations = m_populations, source = m_source, cancel = m_cancel] {
        Result<overlap::Overlap> result = source->compute(partnerId, populations, cancel.get());
        std::shared_ptr<const overlap::Overlap> shared;
        QString error;
        if (result)
            shared = std::make_shared<const overlap::Overlap>(std::move(result).value());
        else
            error = result.error();
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, shared, error] {
                if (self)
                    self->showOverlap(generation, shared, error);
            },
            Qt::QueuedConnection);
    });
}

QList<overlap::Terms> AccountMappingPane::currentTerms()
{
    QList<overlap::Terms> terms;
    if (!m_overlap)
        return terms;
    auto agreements = m_governed->agreements(m_overlap->partnerId);
    const QDateTime now = m_governed->now();
    for (const overlap::Population &p : m_overlap->populations)
        terms << overlap::termsFor(agreements ? agreements.value() : QList<SharingAgreement>(), p.key, now);
    return terms;
}

void AccountMappingPane::showOverlap(quint64 generation, std::shared_ptr<const overlap::Overlap> result,
                                     const QString &error)
{
    setBusy(false);
    if (generation != m_generation)
        return; // a stale answer: the user has moved on
    if (!result) {
        m_overlap.reset();
        m_matrix->clear();
        m_noAccounts->setTitle(tr("Cannot compute the overlap"));
        m_noAccounts->setText(error);
        m_stack->setCurrentWidget(m_noAccounts);
        return;
    }
    m_overlap = std::move(result);
    if (m_overlap->theirsSummary.records == 0) {
        m_matrix->clear();
        m_noAccounts->setTitle(tr("No accounts for %1").arg(partnerName()));
        m_noAccounts->setText(tr("This workspace holds no CRM accounts of %1, so there is nothing to compare with "
                                 "your %2 accounts yet.")
                                  .arg(partnerName(), QLocale().toString(qlonglong(m_overlap->oursSummary.records))));
        m_stack->setCurrentWidget(m_noAccounts);
        Q_EMIT overlapShown();
        return;
    }
    m_stack->setCurrentWidget(m_content);
    m_matrix->setOverlap(m_overlap, currentTerms());
    // As tall as its rows (up to eight; more scroll), so the drill-down gets the rest of the pane.
    const int rows = std::min(8, m_matrix->rowCount());
    m_matrixView->setFixedHeight(m_matrixView->horizontalHeader()->sizeHint().height() +
                                 rows * m_matrixView->verticalHeader()->defaultSectionSize() +
                                 2 * m_matrixView->frameWidth() + 2);
    m_axes->setText(
        tr("Rows: our populations  ·  Columns: %1's populations  ·  Each cell: matched companies").arg(partnerName()));
    m_drillRow = m_drillColumn = -1;
    m_drillGreenfield = false;
    clearDrillDown(tr("Select a cell"), tr("Click a cell of the matrix to list the accounts behind it."));
    updateSummary();
    updateBanner();
    Q_EMIT overlapShown();
}

void AccountMappingPane::refreshTerms()
{
    if (!m_overlap || m_stack->currentWidget() != m_content)
        return;
    const QList<overlap::Terms> terms = currentTerms();
    m_matrix->setTerms(terms);
    updateSummary();
    updateBanner();
    // Shared data that is no longer allowed leaves the view at once.
    const overlap::DrillDown &shown = m_drill->drillDown();
    if (m_drill->isEmpty())
        return;
    const qsizetype column = m_drillGreenfield ? 0 : m_drillColumn;
    const bool stillAllowed =
        column >= 0 && column < terms.size() &&
        (m_drillGreenfield ? terms.at(column).level == SharingLevel::Full : terms.at(column).recordsVisible()) &&
        terms.at(column).fields == shown.terms.fields;
    if (!stillAllowed) {
        if (m_drillGreenfield)
            showGreenfield();
        else
            showCell(m_drillRow, m_drillColumn);
    }
}

void AccountMappingPane::updateSummary()
{
    if (!m_overlap)
        return;
    const QLocale l;
    const overlap::SideSummary &o = m_overlap->oursSummary;
    const overlap::SideSummary &t = m_overlap->theirsSummary;
    // Their totals, and how many companies matched at all, are counts of their data: shown only when every
    // standard population shares counts.
    bool theirCounts = true;
    for (int c = 0; c < 3 && c < m_matrix->columnCount(); ++c)
        theirCounts = theirCounts && m_matrix->termsFor(c).countsVisible();
    auto side = [&](const QString &who, const overlap::SideSummary &s) -> QString {
        QString line = tr("<b>%1</b>: %2 records → %3 companies (%4 duplicates grouped)")
                           .arg(who.toHtmlEscaped(), l.toString(qlonglong(s.records)),
                                l.toString(qlonglong(s.companies)), l.toString(qlonglong(s.duplicateRecords())));
        if (theirCounts)
            line += tr(", %1 matched").arg(l.toString(qlonglong(s.matchedCompanies)));
        return line;
    };
    QString text = side(tr("Ours"), o) + QStringLiteral("<br>");
    text += theirCounts ? side(partnerName(), t)
                        : tr("<b>%1</b>: totals not shared (they need Counts or more for every population)")
                              .arg(partnerName().toHtmlEscaped());
    m_summary->setText(text);
    m_summary->setToolTip(tr("Why the two sides' counts differ: each side counts its own CRM records, and a company "
                             "can sit in a CRM more than once. Records with the same domain, or the same name and "
                             "country, are grouped into one company before matching; the matrix counts matched "
                             "companies, not records."));
    const overlap::Terms customerTerms = m_matrix->columnCount() > 0 ? m_matrix->termsFor(0) : overlap::Terms{};
    const bool greenfield = customerTerms.level == SharingLevel::Full;
    m_greenfieldButton->setEnabled(greenfield);
    m_greenfieldButton->setText(
        greenfield ? tr("Greenfield: %n companies", nullptr, int(m_overlap->greenfieldCompanies)) : tr("Greenfield"));
    m_greenfieldButton->setToolTip(
        greenfield ? tr("Their customers that are not in your CRM")
                   : tr("Greenfield needs %1 to share its Customers at the Full level.").arg(partnerName()));
}

void AccountMappingPane::updateBanner()
{
    bool anything = false;
    for (int c = 0; c < m_matrix->columnCount(); ++c)
        anything = anything || m_matrix->termsFor(c).countsVisible();
    if (anything) {
        m_banner->hide();
        return;
    }
    m_banner->setText(tr("<b>%1 shares nothing with you yet.</b> The matrix stays locked until there is a sharing "
                         "agreement that both sides have consented to. <a href=\"sharing\">Set up sharing…</a>")
                          .arg(partnerName().toHtmlEscaped()));
    m_banner->show();
}

void AccountMappingPane::clearDrillDown(const QString &title, const QString &explanation)
{
    m_drill->clear();
    m_drillView->hide(); // an empty table says less than the explanation above it
    m_drillTitle->setText(title);
    m_drillNote->setText(explanation);
    m_drillNote->setVisible(!explanation.isEmpty());
    m_exportButton->setEnabled(false);
}

void AccountMappingPane::showCell(int row, int column)
{
    if (!m_overlap || row < 0 || column < 0 || row >= m_matrix->rowCount() || column >= m_matrix->columnCount())
        return;
    m_drillRow = row;
    m_drillColumn = column;
    m_drillGreenfield = false;
    m_matrix->setTerms(currentTerms()); // evaluated now, not when the matrix was drawn
    const overlap::Population &ours = m_overlap->populations.at(row);
    const overlap::Population &theirs = m_overlap->populations.at(column);
    const QString title = tr("Our %1 × their %2").arg(ours.label, theirs.label);
    auto shown = m_governed->viewCell(*m_overlap, row, column);
    if (!shown) {
        clearDrillDown(title, shown.error());
        Q_EMIT drillDownShown();
        return;
    }
    const overlap::Terms &terms = shown->terms;
    if (!terms.countsVisible()) {
        clearDrillDown(title + QStringLiteral(" — ") + tr("not shared"),
                       tr("%1 does not share its %2 with you: %3 Use Sharing… to set the terms.")
                           .arg(partnerName(), theirs.label, terms.why));
    } else if (!shown->allowed) {
        clearDrillDown(title + QStringLiteral(" — ") +
                           tr("%n matched companies", nullptr, int(m_overlap->cell(row, column).links)),
                       tr("Counts only: %1 shares how many of its %2 you have in common, not which. Listing them "
                          "needs the Overlapping accounts level.")
                           .arg(partnerName(), theirs.label));
    } else {
        m_drill->setDrillDown(m_overlap, shown.value());
        m_drillView->show();
        m_drillView->resizeColumnsToContents();
        m_drillTitle->setText(title + QStringLiteral(" — ") +
                              tr("%n record pairs", nullptr, int(shown->theirs.size())));
        m_drillNote->setText(tr("Shared at %1; their fields: %2. This view is recorded in the consent ledger.")
                                 .arg(sharing::levelName(terms.level), terms.fields.join(QStringLiteral(", "))));
        m_drillNote->show();
        m_exportButton->setEnabled(!shown->theirs.isEmpty());
    }
    Q_EMIT drillDownShown();
}

void AccountMappingPane::showGreenfield()
{
    if (!m_overlap)
        return;
    m_matrix->setTerms(currentTerms());
    m_drillGreenfield = true;
    m_matrixView->clearSelection();
    auto shown = m_governed->viewGreenfield(*m_overlap);
    const QString title = tr("Greenfield: %1's customers you do not have").arg(partnerName());
    if (!shown) {
        clearDrillDown(title, shown.error());
    } else if (!shown->allowed) {
        clearDrillDown(title, tr("Greenfield needs %1 to share its Customers at the Full level. %2")
                                  .arg(partnerName(), shown->terms.why));
    } else {
        m_drill->setDrillDown(m_overlap, shown.value());
        m_drillView->show();
        m_drillView->resizeColumnsToContents();
        m_drillTitle->setText(title + QStringLiteral(" — ") +
                              tr("%1 records in %n companies", nullptr, int(m_overlap->greenfieldCompanies))
                                  .arg(QLocale().toString(qlonglong(shown->theirs.size()))));
        m_drillNote->setText(tr("Their customers that match none of your accounts, with the fields they share: %1. "
                                "This view is recorded in the consent ledger.")
                                 .arg(shown->terms.fields.join(QStringLiteral(", "))));
        m_drillNote->show();
        m_exportButton->setEnabled(!shown->theirs.isEmpty());
    }
    Q_EMIT drillDownShown();
}

Status AccountMappingPane::exportTo(const QString &path)
{
    if (!m_overlap || m_drill->isEmpty())
        return Error{tr("There is nothing to export: select a cell whose accounts are shared.")};
    auto rows = m_governed->exportCsv(*m_overlap, m_drill->drillDown(), path);
    if (!rows) {
        refreshTerms(); // the terms may have changed: show what is allowed now
        return Error{rows.error()};
    }
    m_drillNote->setText(tr("Exported %n rows to %1 (recorded in the consent ledger).", nullptr, int(rows.value()))
                             .arg(QDir::toNativeSeparators(path)));
    return {};
}

void AccountMappingPane::exportInteractively()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString name = partnerName() + QStringLiteral("-overlap.csv");
    name.replace(QLatin1Char('/'), QLatin1Char('-'));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export CSV"), QDir(dir).filePath(name), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (Status s = exportTo(path); !s)
        QMessageBox::warning(this, tr("Export CSV"), tr("The accounts were not exported.\n\n%1").arg(s.error()));
}

void AccountMappingPane::openSharing()
{
    if (currentPartnerId().isEmpty())
        return;
    const QList<overlap::Population> populations =
        m_populations.isEmpty() ? overlap::standardPopulations() : m_populations;
    SharingDialog dialog(m_workspace, currentPartnerId(), partnerName(), populations, this);
    dialog.exec();
    if (dialog.changed()) {
        refreshTerms();
        Q_EMIT agreementsChanged();
    }
}

void AccountMappingPane::rebuildPopulationMenu()
{
    QMenu *menu = m_populationsButton->menu();
    menu->clear();
    menu->addAction(icon(QStringLiteral("add")), tr("New Population…"), this, [this] { editPopulation({}); });
    PopulationRepository repo(*m_workspace);
    auto all = repo.all();
    if (!all || all->isEmpty())
        return;
    menu->addSeparator();
    for (const CustomPopulation &p : all.value()) {
        QMenu *sub = menu->addMenu(p.name);
        sub->setToolTip(p.filter.describe());
        sub->addAction(icon(QStringLiteral("edit")), tr("Edit…"), this, [this, id = p.id] { editPopulation(id); });
        sub->addAction(icon(QStringLiteral("delete")), tr("Delete…"), this,
                       [this, id = p.id] { deletePopulation(id); });
    }
}

void AccountMappingPane::editPopulation(const QString &id)
{
    PopulationRepository repo(*m_workspace);
    CustomPopulation population;
    if (!id.isEmpty()) {
        auto found = repo.find(id);
        if (!found) {
            QMessageBox::warning(this, tr("Populations"), found.error());
            return;
        }
        population = found.value();
    }
    PopulationDialog dialog(population, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    CustomPopulation edited = dialog.population();
    const Status s = id.isEmpty() ? repo.create(edited) : repo.update(edited);
    if (!s) {
        QMessageBox::warning(this, tr("Populations"), s.error());
        return;
    }
    rebuildPopulationMenu();
    compute();
}

void AccountMappingPane::deletePopulation(const QString &id)
{
    PopulationRepository repo(*m_workspace);
    auto found = repo.find(id);
    if (!found)
        return;
    if (QMessageBox::question(
            this, tr("Delete Population"),
            tr("Delete the population “%1”? Sharing agreements for it stop applying.").arg(found->name)) !=
        QMessageBox::Yes)
        return;
    if (Status s = repo.remove(id); !s) {
        QMessageBox::warning(this, tr("Populations"), s.error());
        return;
    }
    rebuildPopulationMenu();
    compute();
}

} // namespace ecotone::ui::mapping
