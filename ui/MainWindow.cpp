#include "MainWindow.h"

#include "common/EmptyState.h"
#include "common/Icons.h"
#include "common/Theme.h"
#include "deals/DealRoomsPane.h"
#include "demo/DemoEcosystem.h"
#include "imports/ImportAccountsDialog.h"
#include "insights/InsightsPane.h"
#include "item/PartnerTableModel.h"
#include "mapping/AccountMappingPane.h"
#include "mapping/PartnerCsv.h"
#include "marketplace/MarketplacePane.h"
#include "partners/PartnerCommands.h"
#include "partners/PartnerDialog.h"
#include "partners/PartnersPane.h"
#include "store/Repositories.h"
#include "store/Workspace.h"
#include "sync/CredentialStore.h"
#include "sync/SyncPane.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
constexpr int kMaxRecent = 8;
const char *kFileFilter = QT_TRANSLATE_NOOP("ecotone::ui::MainWindow", "Ecotone workspaces (*.ecotone);;All files (*)");
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_undo(new QUndoStack(this))
    , m_root(new QStackedWidget(this))
    , m_credentials(new KeychainCredentialStore(this))
    , m_statusWorkspace(new QLabel(this))
    , m_statusCounts(new QLabel(this))
    , m_statusSync(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Ecotone"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/app/ecotone.svg")));
    setCentralWidget(m_root);
    setMinimumSize(900, 560);
    // A first start fills most of a small screen and stays at a comfortable size on a large one.
    const QRect available = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableGeometry()
                                                             : QRect(0, 0, 1440, 900);
    resize(std::min(1320, available.width() * 92 / 100), std::min(820, available.height() * 90 / 100));

    buildWelcome();
    buildMenus();

    m_statusWorkspace->setAccessibleName(tr("Workspace"));
    m_statusCounts->setAccessibleName(tr("Record counts"));
    m_statusSync->setAccessibleName(tr("Sync state"));
    m_statusSync->setObjectName(QStringLiteral("statusSync"));
    m_statusSync->setCursor(Qt::PointingHandCursor);
    m_statusSync->installEventFilter(this); // a click opens the Sync pane
    m_statusWorkspace->setContentsMargins(8, 0, 16, 0);
    QFont strong = m_statusWorkspace->font();
    strong.setWeight(QFont::DemiBold);
    m_statusWorkspace->setFont(strong);
    m_statusSync->setContentsMargins(8, 0, 8, 0);
    statusBar()->addWidget(m_statusWorkspace);
    statusBar()->addWidget(m_statusCounts, 1);
    statusBar()->addPermanentWidget(m_statusSync);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    setWorkspaceActionsEnabled(false);
    updateStatus();
}

MainWindow::~MainWindow()
{
    for (const QPointer<QThread> &worker : std::as_const(m_countWorkers))
        if (worker)
            worker->wait();
    // Panes hold models over the workspace's connection: take them down before the workspace.
    delete m_workspaceView;
    m_workspaceView = nullptr;
    m_workspace.reset();
}

QList<MainWindow::PaneInfo> MainWindow::paneInfos() const
{
    return {
        {QStringLiteral("marketplace"), QStringLiteral("marketplace"), tr("Marketplace")},
        {QStringLiteral("partners"), QStringLiteral("partners"), tr("Partners")},
        {QStringLiteral("mapping"), QStringLiteral("mapping"), tr("Account Mapping")},
        {QStringLiteral("dealrooms"), QStringLiteral("dealrooms"), tr("Deal Rooms")},
        {QStringLiteral("referrals"), QStringLiteral("referrals"), tr("Referrals")},
        {QStringLiteral("insights"), QStringLiteral("insights"), tr("Insights")},
        {QStringLiteral("incentives"), QStringLiteral("incentives"), tr("Incentives")},
        {QStringLiteral("community"), QStringLiteral("community"), tr("Community")},
        {QStringLiteral("sync"), QStringLiteral("sync"), tr("Sync")},
    };
}

QStringList MainWindow::paneKeys() const
{
    QStringList keys;
    for (const PaneInfo &p : paneInfos())
        keys << p.key;
    return keys;
}

QString MainWindow::defaultDemoPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo.ecotone"));
}

QStringList MainWindow::recentWorkspaces()
{
    return QSettings().value(QStringLiteral("recentWorkspaces")).toStringList();
}

// ---- building

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction =
        file->addAction(icon(QStringLiteral("new")), tr("&New Workspace…"), this, &MainWindow::newWorkspace);
    newAction->setShortcut(QKeySequence::New);
    QAction *openAction =
        file->addAction(icon(QStringLiteral("open")), tr("&Open Workspace…"), this, &MainWindow::openWorkspaceDialog);
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::populateRecentMenu);
    file->addAction(icon(QStringLiteral("demo")), tr("Open the &Demo Ecosystem"), this, &MainWindow::openDemo);
    QAction *closeAction = file->addAction(tr("&Close Workspace"), this, &MainWindow::closeWorkspace);
    closeAction->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *importAction = file->addAction(icon(QStringLiteral("import")), tr("&Import Partners from CSV…"), this,
                                            &MainWindow::importPartners);
    QAction *exportAction = file->addAction(icon(QStringLiteral("export")), tr("&Export Partners to CSV…"), this,
                                            &MainWindow::exportPartners);
    QAction *importAccountsAction =
        file->addAction(icon(QStringLiteral("import")), tr("Import CRM &Accounts or Opportunities…"), this,
                        &MainWindow::importAccounts);
    importAccountsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    m_workspaceActions << closeAction << importAction << exportAction << importAccountsAction;

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction *find = edit->addAction(icon(QStringLiteral("search")), tr("&Find…"), this, [this] {
        // The marketplace has its own search; every other pane finds partners.
        if (m_marketplace && currentPaneKey() == QLatin1String("marketplace")) {
            m_marketplace->focusSearch();
            return;
        }
        showPane(QStringLiteral("partners"));
        if (m_partners)
            m_partners->focusSearch();
    });
    find->setShortcut(QKeySequence::Find);
    edit->addSeparator();
    QAction *newPartner = edit->addAction(icon(QStringLiteral("add")), tr("New &Partner…"), this, [this] {
        showPane(QStringLiteral("partners"));
        if (m_partners)
            m_partners->newPartner();
    });
    newPartner->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_editPartnerAction = edit->addAction(icon(QStringLiteral("edit")), tr("&Edit Partner…"), this, [this] {
        if (m_partners)
            m_partners->editSelected();
    });
    m_deletePartnerAction = edit->addAction(icon(QStringLiteral("delete")), tr("&Delete Partner…"), this, [this] {
        if (m_partners)
            m_partners->deleteSelected();
    });
    edit->addSeparator();
    QAction *vendor =
        edit->addAction(icon(QStringLiteral("building")), tr("&Vendor Profile…"), this, &MainWindow::editVendorProfile);
    m_workspaceActions << find << newPartner << vendor;

    QMenu *view = menuBar()->addMenu(tr("&View"));
    int n = 1;
    for (const PaneInfo &info : paneInfos()) {
        QAction *a = view->addAction(icon(info.icon), info.title, this, [this, key = info.key] { showPane(key); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + n++)));
        m_paneActions << a;
        m_workspaceActions << a;
    }
    view->addSeparator();
    QMenu *themeMenu = view->addMenu(tr("&Appearance"));
    auto *group = new QActionGroup(this);
    const QString currentTheme = QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString();
    const QStringList labels = {tr("Follow &System"), tr("&Light"), tr("&Dark")};
    for (int i = 0; i < theme::names().size(); ++i) {
        const QString name = theme::names().at(i);
        QAction *a = themeMenu->addAction(labels.at(i), this, [name] {
            theme::apply(name);
            QSettings().setValue(QStringLiteral("theme"), name);
        });
        a->setCheckable(true);
        a->setChecked(name == currentTheme);
        group->addAction(a);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Ecotone"), this, [this] {
        QMessageBox::about(
            this, tr("About Ecotone"),
            tr("<h3>Ecotone %1</h3>"
               "<p>Partner ecosystem orchestration: a directory and marketplace of partners, account "
               "mapping with consent-based sharing, co-sell deal rooms, referrals and attribution.</p>"
               "<p>Licensed under the Apache License 2.0.</p>"
               "<p>Built with Qt %2, running on Qt %3.</p>")
                .arg(QStringLiteral(ECOTONE_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
    });
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::buildWelcome()
{
    auto *welcome = new EmptyState(QStringLiteral("partners"), tr("Welcome to Ecotone"),
                                   tr("Ecotone keeps your partner ecosystem in one workspace file on this computer. "
                                      "Start with the demo ecosystem to look around, or create your own workspace."),
                                   m_root);
    welcome->setObjectName(QStringLiteral("welcomePage"));
    auto *demo = qobject_cast<QPushButton *>(welcome->addAction(tr("Open the Demo Ecosystem"), QStringLiteral("demo")));
    demo->setObjectName(QStringLiteral("openDemoButton"));
    demo->setDefault(true);
    connect(demo, &QPushButton::clicked, this, &MainWindow::openDemo);
    auto *create = qobject_cast<QPushButton *>(welcome->addAction(tr("New Workspace…"), QStringLiteral("new")));
    connect(create, &QPushButton::clicked, this, &MainWindow::newWorkspace);
    auto *open = qobject_cast<QPushButton *>(welcome->addAction(tr("Open Workspace…"), QStringLiteral("open")));
    connect(open, &QPushButton::clicked, this, &MainWindow::openWorkspaceDialog);
    welcome->setFootnote(
        tr("The demo holds about 250 synthetic partners and 20,000 accounts; every name in it is made up."));
    m_welcome = welcome;
    m_root->addWidget(m_welcome);
}

QWidget *MainWindow::buildUpcomingPane(const PaneInfo &info)
{
    struct Text
    {
        const char *text;
        QStringList points;
    };
    QHash<QString, Text> texts = {
        {QStringLiteral("incentives"),
         {QT_TR_NOOP("Programs that reward collaboration: commissions, rebates, SPIFFs, referral fees and market "
                     "development funds."),
          {tr("Rules by tier, product and period"), tr("MDF requests, claims and proof of performance")}}},
        {QStringLiteral("community"),
         {QT_TR_NOOP("Spaces where partners discuss, ask and answer, and build the trust that joint selling needs."),
          {tr("Spaces, threads and posts"), tr("Moderation by the partner program")}}},
    };
    const Text t = texts.value(info.key);
    auto *pane = new EmptyState(info.icon, info.title, tr(t.text), this);
    pane->setObjectName(info.key + QStringLiteral("Pane"));
    pane->setPoints(t.points);
    pane->setFootnote(tr("This part of Ecotone is not built yet; it will arrive in a later release."));
    return pane;
}

void MainWindow::buildSidebar()
{
    m_sidebar = new QListWidget(m_workspaceView);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Navigation"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setFixedWidth(212);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    for (const PaneInfo &info : paneInfos()) {
        auto *item = new QListWidgetItem(icon(info.icon), info.title, m_sidebar);
        item->setData(Qt::UserRole, info.key);
        item->setSizeHint(QSize(200, 38));
    }
    restyleSidebar();
}

void MainWindow::restyleSidebar()
{
    if (!m_sidebar)
        return;
    const QPalette pal = QApplication::palette();
    const QColor bg =
        theme::isDark() ? pal.color(QPalette::Window).darker(118) : pal.color(QPalette::Window).darker(104);
    QColor selected = pal.color(QPalette::Highlight);
    selected.setAlphaF(theme::isDark() ? 0.35 : 0.14);
    const QString sel = QStringLiteral("rgba(%1,%2,%3,%4)")
                            .arg(selected.red())
                            .arg(selected.green())
                            .arg(selected.blue())
                            .arg(selected.alphaF(), 0, 'f', 2);
    m_sidebar->setStyleSheet(
        QStringLiteral("QListWidget#sidebar { background: %1; padding: 8px 8px; outline: 0; }"
                       "QListWidget#sidebar::item { padding: 6px 10px; border-radius: 6px; "
                       "color: %2; margin: 1px 0; }"
                       "QListWidget#sidebar::item:selected { background: %3; color: %2; "
                       "font-weight: 600; }"
                       "QListWidget#sidebar::item:hover:!selected { background: %4; }")
            .arg(bg.name(), pal.color(QPalette::WindowText).name(), sel, pal.color(QPalette::Midlight).name()));
    if (m_sidebarWorkspace && m_sidebarWorkspace->parentWidget())
        m_sidebarWorkspace->parentWidget()->setStyleSheet(
            QStringLiteral("QWidget#sidebarColumn { background: %1; }").arg(bg.name()));
    for (int i = 0; i < m_sidebar->count(); ++i)
        m_sidebar->item(i)->setIcon(icon(paneInfos().at(i).icon));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyleSidebar();
    QMainWindow::changeEvent(event);
}

// ---- workspace lifecycle

Status MainWindow::openWorkspace(const QString &path)
{
    auto opened = Workspace::open(path);
    if (!opened)
        return Error{opened.error()};
    closeWorkspace();
    m_workspace = std::move(opened.value());

    m_workspaceView = new QWidget(m_root);
    m_workspaceView->setObjectName(QStringLiteral("workspaceView"));
    auto *layout = new QHBoxLayout(m_workspaceView);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *sidebarColumn = new QWidget(m_workspaceView);
    sidebarColumn->setObjectName(QStringLiteral("sidebarColumn"));
    sidebarColumn->setAttribute(Qt::WA_StyledBackground);
    auto *columnLayout = new QVBoxLayout(sidebarColumn);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->setSpacing(0);
    m_sidebarWorkspace = new QLabel(sidebarColumn);
    m_sidebarWorkspace->setContentsMargins(18, 16, 12, 8);
    m_sidebarWorkspace->setTextFormat(Qt::RichText);
    m_sidebarWorkspace->setText(tr("<span style=\"font-size:large; font-weight:600\">Ecotone</span><br>"
                                   "<span>%1</span>")
                                    .arg(m_workspace->displayName().toHtmlEscaped()));
    m_sidebarWorkspace->setAccessibleName(tr("Open workspace"));
    columnLayout->addWidget(m_sidebarWorkspace);
    buildSidebar();
    m_sidebar->setParent(sidebarColumn);
    columnLayout->addWidget(m_sidebar, 1);
    layout->addWidget(sidebarColumn);

    m_panes = new QStackedWidget(m_workspaceView);
    for (const PaneInfo &info : paneInfos()) {
        if (info.key == QLatin1String("partners")) {
            m_partners = new PartnersPane(m_workspace.get(), m_undo, m_panes);
            connect(m_partners, &PartnersPane::dataChanged, this, &MainWindow::updateStatus);
            connect(m_partners, &PartnersPane::selectionChanged, this, [this](bool has) {
                m_editPartnerAction->setEnabled(has);
                m_deletePartnerAction->setEnabled(has);
            });
            m_panes->addWidget(m_partners);
        } else if (info.key == QLatin1String("dealrooms")) {
            m_deals = new DealRoomsPane(*m_workspace, m_undo, m_panes);
            m_panes->addWidget(m_deals);
        } else if (info.key == QLatin1String("referrals") && m_deals) {
            // Referrals live in the deal rooms pane (a referral converts into a room); this entry opens that view.
            m_panes->addWidget(new QWidget(m_panes));
        } else if (info.key == QLatin1String("marketplace")) {
            m_marketplace = new MarketplacePane(*m_workspace, m_panes);
            m_panes->addWidget(m_marketplace);
        } else if (info.key == QLatin1String("insights")) {
            m_insights = new InsightsPane(*m_workspace, m_panes);
            m_panes->addWidget(m_insights);
        } else if (info.key == QLatin1String("mapping")) {
            m_mapping = new mapping::AccountMappingPane(m_workspace.get(), m_panes);
            m_panes->addWidget(m_mapping);
        } else if (info.key == QLatin1String("sync")) {
            m_sync = new SyncPane(*m_workspace, *m_credentials, m_panes);
            connect(m_sync, &SyncPane::stateChanged, this, &MainWindow::updateSyncStatus);
            connect(m_sync, &SyncPane::dataChanged, this, &MainWindow::syncChangedData);
            m_panes->addWidget(m_sync);
        } else {
            m_panes->addWidget(buildUpcomingPane(info));
        }
    }
    layout->addWidget(m_panes, 1);
    if (m_marketplace) {
        // Partner names, tiers and types show on every listing; an accepted co-sell opens a deal room.
        if (m_partners)
            connect(m_partners, &PartnersPane::dataChanged, m_marketplace, &MarketplacePane::reload);
        if (m_deals)
            connect(m_marketplace, &MarketplacePane::dealRoomOpened, m_deals, &DealRoomsPane::reload);
    }
    if (m_insights) {
        // Marks the figures stale (cheap while hidden): partner edits and room moves go through the undo stack.
        connect(m_undo, &QUndoStack::indexChanged, m_insights, &InsightsPane::reload);
        if (m_partners)
            connect(m_partners, &PartnersPane::dataChanged, m_insights, &InsightsPane::reload);
        if (m_marketplace)
            connect(m_marketplace, &MarketplacePane::dealRoomOpened, m_insights, &InsightsPane::reload);
        connect(m_insights, &InsightsPane::partnerActivated, this, [this](const QString &id) {
            showPane(QStringLiteral("partners"));
            m_partners->selectPartner(id);
        });
        connect(m_insights, &InsightsPane::reportExported, this,
                [this](const QString &, bool ok, const QString &message) {
                    if (ok)
                        statusBar()->showMessage(message, 8000);
                });
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        const QString key = paneKeys().value(row);
        if (m_deals && key == QLatin1String("referrals")) {
            m_deals->setView(DealRoomsPane::View::Referrals);
            m_panes->setCurrentWidget(m_deals);
            return;
        }
        if (m_deals && key == QLatin1String("dealrooms") && m_deals->view() == DealRoomsPane::View::Referrals)
            m_deals->setView(DealRoomsPane::View::Board);
        m_panes->setCurrentIndex(row);
    });
    m_root->addWidget(m_workspaceView);
    m_root->setCurrentWidget(m_workspaceView);
    restyleSidebar();

    QSettings settings;
    m_partners->splitter()->restoreState(settings.value(QStringLiteral("partners/splitter")).toByteArray());
    m_partners->table()->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("partners/header")).toByteArray());
    showPane(settings.value(QStringLiteral("window/pane"), QStringLiteral("partners")).toString());
    rememberRecent(m_workspace->path());
    settings.setValue(QStringLiteral("lastWorkspace"), m_workspace->path());
    setWindowTitle(tr("%1 — Ecotone").arg(m_workspace->displayName()));
    setWindowFilePath(m_workspace->path());
    setWorkspaceActionsEnabled(true);
    m_editPartnerAction->setEnabled(false);
    m_deletePartnerAction->setEnabled(false);
    updateStatus();
    if (!m_workspace->backupPath().isEmpty())
        statusBar()->showMessage(
            tr("Workspace upgraded; the previous version is kept at %1").arg(m_workspace->backupPath()), 15000);
    return {};
}

void MainWindow::closeWorkspace()
{
    if (!m_workspace)
        return;
    QSettings settings;
    savePaneState();
    m_undo->clear(); // commands refer to this workspace
    m_root->setCurrentWidget(m_welcome);
    delete m_workspaceView;
    m_workspaceView = nullptr;
    m_sidebar = nullptr;
    m_sidebarWorkspace = nullptr;
    m_panes = nullptr;
    m_partners = nullptr;
    m_mapping = nullptr;
    m_deals = nullptr;
    m_marketplace = nullptr;
    m_insights = nullptr;
    m_sync = nullptr;
    m_workspace.reset();
    setWindowTitle(tr("Ecotone"));
    setWindowFilePath(QString());
    setWorkspaceActionsEnabled(false);
    m_statusCounts->clear();
    updateStatus();
}

void MainWindow::savePaneState()
{
    if (!m_workspace)
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("window/pane"), currentPaneKey());
    if (m_partners) {
        settings.setValue(QStringLiteral("partners/splitter"), m_partners->splitter()->saveState());
        settings.setValue(QStringLiteral("partners/header"), m_partners->table()->horizontalHeader()->saveState());
    }
}

void MainWindow::setWorkspaceActionsEnabled(bool enabled)
{
    for (QAction *a : m_workspaceActions)
        a->setEnabled(enabled);
    if (m_editPartnerAction)
        m_editPartnerAction->setEnabled(enabled && m_partners && !m_partners->selectedId().isEmpty());
    if (m_deletePartnerAction)
        m_deletePartnerAction->setEnabled(enabled && m_partners && !m_partners->selectedId().isEmpty());
}

void MainWindow::showPane(const QString &key)
{
    if (!m_sidebar)
        return;
    const int index = std::max<int>(0, int(paneKeys().indexOf(key)));
    m_sidebar->setCurrentRow(index);
}

QString MainWindow::currentPaneKey() const
{
    if (!m_sidebar || m_sidebar->currentRow() < 0)
        return {};
    return paneKeys().value(m_sidebar->currentRow());
}

QWidget *MainWindow::pane(const QString &key) const
{
    if (!m_panes)
        return nullptr;
    if (m_deals && key == QLatin1String("referrals"))
        return m_deals;
    const qsizetype index = paneKeys().indexOf(key);
    return index < 0 ? nullptr : m_panes->widget(int(index));
}

void MainWindow::updateStatus()
{
    updateSyncStatus();
    if (!m_workspace) {
        m_statusWorkspace->setText(tr("No workspace open"));
        m_statusCounts->clear();
        return;
    }
    m_statusWorkspace->setText(m_workspace->displayName());
    m_statusWorkspace->setToolTip(m_workspace->path());
    // Counted off the GUI thread on a connection of its own; only the newest request's answer is shown.
    const quint64 generation = ++m_countGeneration;
    if (m_statusCounts->text().isEmpty())
        m_statusCounts->setText(tr("Counting records…"));
    QPointer<MainWindow> self(this);
    QThread *worker = QThread::create([self, generation, path = m_workspace->path()] {
        Result<WorkspaceCounts> counts = countRecordsInFile(path);
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, counts] {
                if (self)
                    self->showCounts(generation, counts);
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_countWorkers << worker;
    worker->start(QThread::LowPriority);
}

void MainWindow::showCounts(quint64 generation, const Result<WorkspaceCounts> &counts)
{
    if (generation != m_countGeneration || !m_workspace)
        return;
    if (!counts) {
        m_statusCounts->setText(counts.error());
        return;
    }
    const QLocale locale;
    m_statusCounts->setText(tr("%1 partners  ·  %2 people  ·  %3 accounts")
                                .arg(locale.toString(counts->partners), locale.toString(counts->people),
                                     locale.toString(counts->accounts)));
    Q_EMIT countsShown();
}

void MainWindow::setCredentialStore(CredentialStore *store)
{
    store->setParent(this);
    if (m_credentials != store && !m_sync)
        delete m_credentials; // an open Sync pane keeps using the old one until its workspace closes
    m_credentials = store;
}

void MainWindow::updateSyncStatus()
{
    if (!m_sync) {
        m_statusSync->setText(tr("Offline"));
        m_statusSync->setToolTip(m_workspace ? QString() : tr("No workspace open"));
        QFont font = m_statusSync->font();
        font.setWeight(QFont::Normal);
        m_statusSync->setFont(font);
        return;
    }
    m_statusSync->setText(m_sync->stateText());
    m_statusSync->setToolTip(m_sync->stateToolTip());
    // Conflicts wait for a person: they stand out from the other states.
    QFont font = m_statusSync->font();
    font.setWeight(m_sync->state() == SyncPane::State::Conflicts ? QFont::DemiBold : QFont::Normal);
    m_statusSync->setFont(font);
}

// After a sync brought changes: every pane reads its records again, as after an import.
void MainWindow::syncChangedData()
{
    m_undo->clear(); // the commands' before-images may no longer match the rows
    if (m_partners)
        m_partners->reload();
    if (m_mapping) {
        m_mapping->reloadPartners();
        m_mapping->accountsChanged();
        m_mapping->refreshTerms();
    }
    if (m_deals)
        m_deals->reload();
    if (m_marketplace) {
        m_marketplace->reload();
        m_marketplace->accountsChanged();
    }
    if (m_insights)
        m_insights->reload();
    updateStatus();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_statusSync && event->type() == QEvent::MouseButtonRelease && m_workspace) {
        showPane(QStringLiteral("sync"));
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

// ---- actions

void MainWindow::openInteractively(const QString &path)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const Status s = openWorkspace(path);
    QApplication::restoreOverrideCursor();
    if (!s)
        QMessageBox::warning(this, tr("Cannot Open Workspace"), s.error());
}

void MainWindow::newWorkspace()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString path = QFileDialog::getSaveFileName(this, tr("New Workspace"), QDir(dir).filePath(tr("Partners.ecotone")),
                                                tr(kFileFilter));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".ecotone");
    if (QFileInfo::exists(path) && !QFile::remove(path)) {
        QMessageBox::warning(this, tr("New Workspace"), tr("Cannot replace “%1”.").arg(path));
        return;
    }
    auto created = Workspace::create(path);
    if (!created) {
        QMessageBox::warning(this, tr("New Workspace"), created.error());
        return;
    }
    // A workspace starts with its vendor; the user names it later in the vendor profile.
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = tr("My Company");
    OrganizationRepository repo(*created.value());
    (void)repo.insert(vendor);
    created.value().reset();
    openInteractively(path);
    if (m_workspace && m_workspace->path() == QFileInfo(path).absoluteFilePath())
        editVendorProfile(); // a new workspace starts by naming the company that runs the program
}

void MainWindow::editVendorProfile()
{
    if (!m_workspace)
        return;
    OrganizationRepository repo(*m_workspace);
    auto id = repo.vendorId();
    auto before = id ? repo.find(id.value()) : Result<Organization>(Error{id.error()});
    if (!before) {
        QMessageBox::warning(this, tr("Vendor Profile"), before.error());
        return;
    }
    PartnerDialog dialog(before.value(), this);
    if (dialog.exec() != QDialog::Accepted || dialog.organization() == before.value())
        return;
    PartnerCommandContext ctx{
        m_workspace.get(), [this](const QString &) { updateStatus(); },
        [this](const QString &message) { QMessageBox::warning(this, tr("Vendor Profile"), message); }};
    m_undo->push(new EditPartnerCommand(ctx, before.value(), dialog.organization()));
}

void MainWindow::openWorkspaceDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QString(), tr(kFileFilter));
    if (!path.isEmpty())
        openInteractively(path);
}

void MainWindow::openDemo()
{
    const QString path = defaultDemoPath();
    if (!QFileInfo::exists(path)) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QProgressDialog progress(tr("Building the demo ecosystem…"), QString(), 0, 0, this);
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(0);
        progress.show();
        Result<DemoSummary> result = Error{QString()};
        DemoOptions demo;
        demo.dealRooms = 600;
        demo.listingsPerPartnerMin = 1;
        demo.listingsPerPartnerMax = 5;
        QThread *worker = QThread::create([&result, path, demo] { result = createDemoWorkspace(path, demo); });
        QEventLoop loop;
        connect(worker, &QThread::finished, &loop, &QEventLoop::quit);
        worker->start();
        loop.exec(QEventLoop::ExcludeUserInputEvents);
        worker->wait();
        delete worker;
        if (!result) {
            QMessageBox::warning(this, tr("Demo Ecosystem"), result.error());
            return;
        }
    }
    openInteractively(path);
}

void MainWindow::importPartners()
{
    if (!m_workspace)
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Partners"), QString(),
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto report = partnercsv::importFrom(*m_workspace, path);
    QApplication::restoreOverrideCursor();
    if (!report) {
        QMessageBox box(QMessageBox::Warning, tr("Import Partners"), tr("The file was not imported."), QMessageBox::Ok,
                        this);
        box.setInformativeText(tr("Nothing in the workspace was changed. Fix the rows below and import again."));
        box.setDetailedText(report.error());
        box.exec();
        return;
    }
    m_undo->clear(); // an import is not undoable; older steps could no longer be undone safely
    if (m_partners)
        m_partners->reload();
    if (m_marketplace)
        m_marketplace->reload();
    updateStatus();
    QMessageBox::information(this, tr("Import Partners"),
                             tr("%1 partners added, %2 updated, %3 unchanged.")
                                 .arg(report->inserted)
                                 .arg(report->updated)
                                 .arg(report->unchanged));
}

void MainWindow::importAccounts()
{
    if (!m_workspace)
        return;
    ImportAccountsDialog dialog(*m_workspace, this);
    if (m_partners && !m_partners->selectedId().isEmpty())
        dialog.setOrganization(m_partners->selectedId());
    auto refresh = [this] {
        // Partner deletes restore accounts and opportunities by id; an import in between would make undo unsafe.
        m_undo->clear();
        if (m_partners)
            m_partners->reload();
        if (m_mapping)
            m_mapping->accountsChanged(); // open opportunities move accounts between populations too
        if (m_marketplace)
            m_marketplace->accountsChanged(); // partner fit counts shared customers
        updateStatus();
    };
    connect(&dialog, &ImportAccountsDialog::imported, this, refresh);
    connect(&dialog, &ImportAccountsDialog::opportunitiesImported, this, refresh);
    dialog.exec();
}

void MainWindow::exportPartners()
{
    if (!m_workspace)
        return;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Partners"), QDir(dir).filePath(m_workspace->displayName() + QStringLiteral("-partners.csv")),
        tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    auto rows = partnercsv::exportTo(*m_workspace, path);
    if (!rows)
        QMessageBox::warning(this, tr("Export Partners"), rows.error());
    else
        statusBar()->showMessage(tr("Exported %1 organizations to %2").arg(rows.value()).arg(path), 8000);
}

void MainWindow::rememberRecent(const QString &path)
{
    QStringList recent = recentWorkspaces();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentWorkspaces"), recent);
}

void MainWindow::populateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentWorkspaces();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).completeBaseName(), this,
                                             [this, path] { openInteractively(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent workspaces"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [] { QSettings().remove(QStringLiteral("recentWorkspaces")); });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    savePaneState();
    event->accept();
}

} // namespace ecotone::ui
