#pragma once

#include "sync/SyncEngine.h"

#include <QDateTime>
#include <QList>
#include <QUrl>
#include <QWidget>

#include <atomic>
#include <memory>

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QThread;
class QTimer;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

class CredentialStore;
class EmptyState;

// The Sync pane (docs/sync.md): the server and the user's sign-in, "Sync now" and automatic sync, progress and
// the last result, and the conflict inbox. Signing in and syncing run on worker threads, the sync on a Workspace
// of its own over the same file, so the window never waits for the network; what they report comes back as
// queued calls. The password lives in the credential store (the system keychain) or, when there is none, only in
// memory for this session.
class SyncPane : public QWidget
{
    Q_OBJECT

public:
    // What the status bar shows; Offline until a sync reached the server.
    enum class State
    {
        Offline,
        Online,
        Syncing,
        Conflicts,
    };

    SyncPane(Workspace &workspace, CredentialStore &credentials, QWidget *parent = nullptr);
    ~SyncPane() override;

    State state() const;
    QString stateText() const;    // "Online", "Syncing…", "2 conflicts"
    QString stateToolTip() const; // the server and the last sync
    bool isSignedIn() const { return !m_password.isEmpty(); }
    bool isSyncing() const { return m_syncWorker != nullptr; }
    bool isSigningIn() const { return m_signInWorker != nullptr; }
    bool keychainAvailable() const { return m_keychainAvailable; }
    qint64 conflictCount() const { return m_conflicts.size(); }
    QList<sync::Conflict> conflicts() const { return m_conflicts; }

    // Asks a running sync to stop at the next page; what was applied stays applied.
    void stop();

public Q_SLOTS:
    void signIn();
    void signOut();
    void syncNow(); // ignored while a sync runs or when signed out
    void reload();  // status and conflicts from the workspace

Q_SIGNALS:
    void stateChanged();
    void dataChanged(); // a sync or a resolution changed records: the other panes read them again
    void signInFinished(bool ok);
    void syncStarted();
    void syncFinished(bool ok);
    void credentialsLoaded(); // the keychain answered the first read

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Outcome
    {
        bool ok = false;
        bool unreachable = false; // no answer from the server at all
        int received = 0;         // pulled changes made on other devices
        QString error;
        sync::SyncReport report;
    };

    void buildUi();
    void loadSettings();
    void saveSettings();
    void updateControls();
    void updateAutomatic();
    void fitLabels();
    void signInDone(bool ok, bool unreachable, const QString &error, const QString &password);
    void progress(const QString &phase, qint64 done, qint64 total);
    void syncDone(const Outcome &outcome);
    void showConflicts();
    void showQuarantine();
    void showIdentityQuestion();
    void confirmIdentity();
    void readStoredPassword();
    void resolveSelected(sync::Resolution resolution);
    void editSelected();
    const sync::Conflict *selectedConflict() const;
    QString recordName(const QString &table, const QString &rowId) const;
    QString humanError(const QString &raw, bool unreachable) const;
    QUrl serverUrl() const;

    Workspace &m_workspace;
    CredentialStore &m_credentials;
    sync::SyncSettings m_settings;
    sync::SyncStatus m_status;
    QList<sync::Conflict> m_conflicts;
    QString m_password; // in memory only; empty when signed out
    bool m_keychainAvailable = true;
    bool m_reachable = false; // the last attempt reached the server
    QString m_lastError;      // of this session's last sync, in words
    QString m_lastReport;     // of this session's last good sync
    QThread *m_syncWorker = nullptr;
    QThread *m_signInWorker = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QTimer *m_autoTimer;

    QFormLayout *m_form = nullptr;
    QLineEdit *m_server = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_passwordEdit = nullptr;
    QPushButton *m_signIn = nullptr;
    QPushButton *m_signOut = nullptr;
    QLabel *m_account = nullptr;
    QLabel *m_signInError = nullptr;
    QLabel *m_keychainNote = nullptr;
    QPushButton *m_syncNow = nullptr;
    QCheckBox *m_automatic = nullptr;
    QSpinBox *m_interval = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_phase = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_pending = nullptr;
    QLabel *m_conflictTitle = nullptr;
    QStackedWidget *m_conflictStack = nullptr;
    EmptyState *m_noConflicts = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_quarantineHeading = nullptr;
    QLabel *m_identityNote = nullptr;
    QPushButton *m_confirmIdentity = nullptr;
    QLabel *m_quarantineTitle = nullptr;
    QTableWidget *m_quarantine = nullptr; // pulled rows this workspace could not store
    QPushButton *m_keepMine = nullptr;
    QPushButton *m_takeTheirs = nullptr;
    QPushButton *m_edit = nullptr;
};

} // namespace ecotone::ui
