#pragma once

#include "domain/Result.h"
#include "store/Repositories.h"

#include <QMainWindow>
#include <QPointer>
#include <QThread>

#include <memory>

class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QUndoStack;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

class EmptyState;
class PartnersPane;
class DealRoomsPane;
class MarketplacePane;
class InsightsPane;
class SyncPane;
class CredentialStore;
namespace mapping {
class AccountMappingPane;
}

// The application window: a sidebar of the product's panes, the pane stack, menus and status bar. Owns the
// open workspace; with none open it shows a welcome page that offers the demo ecosystem.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Status openWorkspace(const QString &path);
    void closeWorkspace();
    Workspace *workspace() const { return m_workspace.get(); }

    QStringList paneKeys() const;
    void showPane(const QString &key);
    QString currentPaneKey() const;
    QWidget *pane(const QString &key) const;
    PartnersPane *partnersPane() const { return m_partners; }
    QUndoStack *undoStack() const { return m_undo; }
    SyncPane *syncPane() const { return m_sync; }
    QLabel *syncStatusLabel() const { return m_statusSync; }
    // Where the Sync pane keeps the password (the system keychain unless a test gives its own); takes ownership.
    // Applies to workspaces opened afterwards.
    void setCredentialStore(CredentialStore *store);

    static QString defaultDemoPath();
    static QStringList recentWorkspaces();

public Q_SLOTS:
    void newWorkspace();
    void openWorkspaceDialog();
    void openDemo();
    void importPartners();
    void importAccounts();
    void exportPartners();
    void editVendorProfile();
    void updateStatus();

Q_SIGNALS:
    void countsShown(); // the status bar's record counts are up to date

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct PaneInfo
    {
        QString key;
        QString icon;
        QString title;
    };

    void buildMenus();
    void buildSidebar();
    void buildWelcome();
    QWidget *buildUpcomingPane(const PaneInfo &info);
    QList<PaneInfo> paneInfos() const;
    void rememberRecent(const QString &path);
    void populateRecentMenu();
    void openInteractively(const QString &path);
    void restyleSidebar();
    void setWorkspaceActionsEnabled(bool enabled);
    void savePaneState();
    void showCounts(quint64 generation, const Result<WorkspaceCounts> &counts);
    void updateSyncStatus();
    void syncChangedData();

    std::unique_ptr<Workspace> m_workspace;
    QUndoStack *m_undo;
    QStackedWidget *m_root; // welcome page | workspace view
    QWidget *m_welcome = nullptr;
    QWidget *m_workspaceView = nullptr;
    QListWidget *m_sidebar = nullptr;
    QLabel *m_sidebarWorkspace = nullptr;
    QStackedWidget *m_panes = nullptr;
    PartnersPane *m_partners = nullptr;
    mapping::AccountMappingPane *m_mapping = nullptr;
    DealRoomsPane *m_deals = nullptr;
    MarketplacePane *m_marketplace = nullptr;
    InsightsPane *m_insights = nullptr;
    SyncPane *m_sync = nullptr;
    CredentialStore *m_credentials;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_statusWorkspace;
    QLabel *m_statusCounts;
    QLabel *m_statusSync;
    QList<QAction *> m_workspaceActions;
    quint64 m_countGeneration = 0;
    QList<QPointer<QThread>> m_countWorkers;
    QList<QAction *> m_paneActions;
    QAction *m_editPartnerAction = nullptr;
    QAction *m_deletePartnerAction = nullptr;
};

} // namespace ecotone::ui
