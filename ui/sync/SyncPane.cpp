#include "sync/SyncPane.h"

#include "common/EmptyState.h"
#include "common/Icons.h"
#include "common/Theme.h"
#include "store/Workspace.h"
#include "sync/ConflictEditDialog.h"
#include "sync/CredentialStore.h"
#include "sync/HttpTransport.h"
#include "sync/SyncIdentity.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {

enum Column
{
    TableColumn,
    RecordColumn,
    FieldColumn,
    MineColumn,
    TheirsColumn,
    WhenColumn,
    KindColumn,
    ColumnCount,
};

// Notes whether any exchange got no answer at all, which is what "Offline" means in the status bar, and counts the
// pulled changes that came from other devices: the engine's report also counts this device's own changes coming
// back after a push, which change nothing here.
class WatchedTransport : public sync::SyncTransport
{
public:
    WatchedTransport(sync::SyncTransport &inner, QString deviceId)
        : m_inner(inner)
        , m_deviceId(std::move(deviceId))
    {}
    sync::TransportReply request(const QByteArray &method, const QString &path, const QJsonObject &body) override
    {
        sync::TransportReply reply = m_inner.request(method, path, body);
        if (reply.status == 0)
            m_unreachable = true;
        else if (reply.status == 200 && path.startsWith(QLatin1String("/api/v1/sync/pull")))
            countForeign(reply.body);
        return reply;
    }
    QString serverName() const override { return m_inner.serverName(); }
    bool unreachable() const { return m_unreachable; }
    int foreignChanges() const { return m_foreign; }

private:
    void countForeign(const QJsonObject &page)
    {
        for (const QJsonValue &value : page.value(QLatin1String("changes")).toArray()) {
            const QJsonObject change = value.toObject();
            bool foreign = change.value(QLatin1String("op")).toString() == QLatin1String("purge") ||
                           change.value(QLatin1String("device_id")).toString() != m_deviceId;
            const QJsonObject versions = change.value(QLatin1String("versions")).toObject();
            for (auto it = versions.begin(); !foreign && it != versions.end(); ++it)
                foreign = it.value().toArray().at(1).toString() != m_deviceId;
            if (foreign)
                ++m_foreign;
        }
    }

    sync::SyncTransport &m_inner;
    QString m_deviceId;
    bool m_unreachable = false;
    int m_foreign = 0;
};

// Network failures as Qt words them; an answer from the server never reads like these.
bool looksUnreachable(const QString &error)
{
    static const QRegularExpression pattern(
        QStringLiteral("cannot reach|connection refused|host .*not found|timed? ?out|network|unreachable|closed|"
                       "ssl|tls|could not connect|cannot connect|no route|unknown host|no answer"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(error).hasMatch();
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return SyncPane::tr("(empty)");
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? SyncPane::tr("yes") : SyncPane::tr("no");
    case QJsonValue::Double:
        return QLocale().toString(value.toDouble(), 'g', 15);
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString tableTitle(const QString &table)
{
    static const QHash<QString, const char *> titles = {
        {QStringLiteral("organizations"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Organization")},
        {QStringLiteral("people"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Person")},
        {QStringLiteral("accounts"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Account")},
        {QStringLiteral("opportunities"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Opportunity")},
        {QStringLiteral("custom_populations"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Population")},
        {QStringLiteral("sharing_agreements"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Sharing agreement")},
        {QStringLiteral("deal_stages"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal stage")},
        {QStringLiteral("deal_rooms"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal room")},
        {QStringLiteral("deal_room_participants"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Room participant")},
        {QStringLiteral("deal_room_people"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Room contact")},
        {QStringLiteral("deal_events"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal event")},
        {QStringLiteral("deal_tasks"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal task")},
        {QStringLiteral("deal_documents"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal document")},
        {QStringLiteral("deal_registrations"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Deal registration")},
        {QStringLiteral("deal_referrals"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Referral")},
        {QStringLiteral("listings"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Listing")},
        {QStringLiteral("listing_favourites"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Favourite")},
        {QStringLiteral("collaboration_requests"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Collaboration request")},
        {QStringLiteral("attribution_locks"), QT_TRANSLATE_NOOP("ecotone::ui::SyncPane", "Attribution lock")},
    };
    const char *title = titles.value(table);
    return title ? SyncPane::tr(title) : table;
}

// "annual_revenue" reads "Annual revenue".
QString fieldTitle(const QString &field)
{
    QString text = field;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

QString kindText(sync::Conflict::Kind kind)
{
    switch (kind) {
    case sync::Conflict::Kind::Edit:
        return SyncPane::tr("Both changed");
    case sync::Conflict::Kind::Deleted:
        return SyncPane::tr("Deleted elsewhere");
    case sync::Conflict::Kind::Refused:
        return SyncPane::tr("Refused by the server");
    }
    return {};
}

QString whenText(const QDateTime &when)
{
    if (!when.isValid())
        return SyncPane::tr("never");
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    if (local.date() == QDate::currentDate())
        return SyncPane::tr("today at %1").arg(locale.toString(local.time(), QLocale::ShortFormat));
    return locale.toString(local, QLocale::ShortFormat);
}

} // namespace

SyncPane::SyncPane(Workspace &workspace, CredentialStore &credentials, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_credentials(credentials)
    , m_autoTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("syncPane"));
    connect(m_autoTimer, &QTimer::timeout, this, &SyncPane::syncNow);
    buildUi();
    loadSettings();
    reload();
}

SyncPane::~SyncPane()
{
    // Both workers only post to this object; it stays whole until they are done. A sync stops at its next page.
    stop();
    if (m_syncWorker)
        m_syncWorker->wait();
    if (m_signInWorker)
        m_signInWorker->wait();
    delete m_syncWorker;
    delete m_signInWorker;
}

void SyncPane::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 20, 24, 16);
    outer->setSpacing(14);

    auto *header = new QVBoxLayout;
    header->setSpacing(4);
    header->addWidget(theme::paneTitle(tr("Sync"), this));
    auto *intro = new QLabel(tr("Share this workspace with your team and partners through Ecotone Server. You keep "
                                "working offline; changes travel at the next sync, and the server decides who sees "
                                "what."),
                             this);
    intro->setWordWrap(true);
    intro->setForegroundRole(QPalette::PlaceholderText);
    header->addWidget(intro);
    outer->addLayout(header);

    auto *top = new QHBoxLayout;
    top->setSpacing(16);

    // ---- account
    auto *accountBox = new QGroupBox(tr("Server and account"), this);
    auto *accountLayout = new QVBoxLayout(accountBox);
    auto *form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_server = new QLineEdit(accountBox);
    m_server->setObjectName(QStringLiteral("syncServer"));
    m_server->setPlaceholderText(tr("https://sync.example.com"));
    m_server->setAccessibleName(tr("Server address"));
    m_username = new QLineEdit(accountBox);
    m_username->setObjectName(QStringLiteral("syncUsername"));
    m_username->setAccessibleName(tr("User name"));
    m_passwordEdit = new QLineEdit(accountBox);
    m_passwordEdit->setObjectName(QStringLiteral("syncPassword"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setAccessibleName(tr("Password"));
    form->addRow(tr("Server &address:"), m_server);
    form->addRow(tr("&User name:"), m_username);
    form->addRow(tr("&Password:"), m_passwordEdit);
    accountLayout->addLayout(form);

    m_account = new QLabel(accountBox);
    m_account->setObjectName(QStringLiteral("syncAccount"));
    m_account->setWordWrap(true);
    m_account->setTextFormat(Qt::PlainText);
    accountLayout->addWidget(m_account);
    m_signInError = new QLabel(accountBox);
    m_signInError->setObjectName(QStringLiteral("syncSignInError"));
    m_signInError->setWordWrap(true);
    m_signInError->setTextFormat(Qt::PlainText);
    m_signInError->hide();
    accountLayout->addWidget(m_signInError);
    m_keychainNote = new QLabel(accountBox);
    m_keychainNote->setObjectName(QStringLiteral("syncKeychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setForegroundRole(QPalette::PlaceholderText);
    m_keychainNote->setText(tr("No system keychain is available, so Ecotone does not keep your password: you type "
                               "it each time you open this workspace."));
    m_keychainNote->hide();
    accountLayout->addWidget(m_keychainNote);
    // A file that names a server and user this machine never synced it as (a copy, a file from someone else):
    // its password is not used and nothing syncs until the user says so.
    m_identityNote = new QLabel(accountBox);
    m_identityNote->setObjectName(QStringLiteral("syncIdentityNote"));
    m_identityNote->setWordWrap(true);
    m_identityNote->setTextFormat(Qt::PlainText);
    m_identityNote->hide();
    accountLayout->addWidget(m_identityNote);

    auto *accountButtons = new QHBoxLayout;
    accountButtons->addStretch(1);
    m_signOut = new QPushButton(tr("Sign &Out"), accountBox);
    m_signOut->setObjectName(QStringLiteral("syncSignOut"));
    m_signIn = new QPushButton(tr("&Sign In"), accountBox);
    m_signIn->setObjectName(QStringLiteral("syncSignIn"));
    m_signIn->setDefault(true);
    m_confirmIdentity = new QPushButton(accountBox);
    m_confirmIdentity->setObjectName(QStringLiteral("syncConfirmIdentity"));
    m_confirmIdentity->hide();
    accountButtons->addWidget(m_confirmIdentity);
    accountButtons->addWidget(m_signOut);
    accountButtons->addWidget(m_signIn);
    accountLayout->addLayout(accountButtons);
    accountLayout->addStretch(1);
    connect(m_signIn, &QPushButton::clicked, this, &SyncPane::signIn);
    connect(m_confirmIdentity, &QPushButton::clicked, this, &SyncPane::confirmIdentity);
    connect(m_signOut, &QPushButton::clicked, this, &SyncPane::signOut);
    for (QLineEdit *edit : {m_server, m_username, m_passwordEdit}) {
        connect(edit, &QLineEdit::returnPressed, this, &SyncPane::signIn);
        connect(edit, &QLineEdit::textChanged, this, &SyncPane::updateControls);
    }
    top->addWidget(accountBox, 1);

    // ---- sync
    auto *syncBox = new QGroupBox(tr("Synchronization"), this);
    auto *syncLayout = new QVBoxLayout(syncBox);
    auto *syncRow = new QHBoxLayout;
    m_syncNow = new QPushButton(icon(QStringLiteral("sync")), tr("Sync &Now"), syncBox);
    m_syncNow->setObjectName(QStringLiteral("syncNow"));
    connect(m_syncNow, &QPushButton::clicked, this, &SyncPane::syncNow);
    syncRow->addWidget(m_syncNow);
    syncRow->addSpacing(12);
    m_automatic = new QCheckBox(tr("Sync &automatically every"), syncBox);
    m_automatic->setObjectName(QStringLiteral("syncAutomatic"));
    m_interval = new QSpinBox(syncBox);
    m_interval->setObjectName(QStringLiteral("syncInterval"));
    m_interval->setRange(1, 24 * 60);
    m_interval->setSuffix(tr(" min"));
    m_interval->setAccessibleName(tr("Minutes between automatic syncs"));
    syncRow->addWidget(m_automatic);
    syncRow->addWidget(m_interval);
    syncRow->addStretch(1);
    syncLayout->addLayout(syncRow);
    connect(m_automatic, &QCheckBox::toggled, this, [this] {
        saveSettings();
        updateAutomatic();
        updateControls();
    });
    connect(m_interval, &QSpinBox::valueChanged, this, [this] {
        saveSettings();
        updateAutomatic();
    });

    m_phase = new QLabel(syncBox);
    m_phase->setObjectName(QStringLiteral("syncPhase"));
    m_progress = new QProgressBar(syncBox);
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    syncLayout->addWidget(m_phase);
    syncLayout->addWidget(m_progress);
    m_result = new QLabel(syncBox);
    m_result->setObjectName(QStringLiteral("syncResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    syncLayout->addWidget(m_result);
    m_pending = new QLabel(syncBox);
    m_pending->setObjectName(QStringLiteral("syncPending"));
    m_pending->setForegroundRole(QPalette::PlaceholderText);
    syncLayout->addWidget(m_pending);
    syncLayout->addStretch(1);
    top->addWidget(syncBox, 1);
    outer->addLayout(top);

    // ---- conflict inbox
    auto *conflictHeader = new QHBoxLayout;
    m_conflictTitle = new QLabel(this);
    QFont strong = m_conflictTitle->font();
    strong.setPointSizeF(strong.pointSizeF() * 1.15);
    strong.setWeight(QFont::DemiBold);
    m_conflictTitle->setFont(strong);
    conflictHeader->addWidget(m_conflictTitle, 1);
    m_keepMine = new QPushButton(tr("Keep &Mine"), this);
    m_keepMine->setObjectName(QStringLiteral("conflictKeepMine"));
    m_keepMine->setToolTip(tr("Keep the value from this computer; it is sent at the next sync"));
    m_takeTheirs = new QPushButton(tr("Take &Theirs"), this);
    m_takeTheirs->setObjectName(QStringLiteral("conflictTakeTheirs"));
    m_takeTheirs->setToolTip(tr("Use the value from the server"));
    m_edit = new QPushButton(icon(QStringLiteral("edit")), tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("conflictEdit"));
    m_edit->setToolTip(tr("Type the value that should hold"));
    conflictHeader->addWidget(m_keepMine);
    conflictHeader->addWidget(m_takeTheirs);
    conflictHeader->addWidget(m_edit);
    outer->addLayout(conflictHeader);
    connect(m_keepMine, &QPushButton::clicked, this, [this] { resolveSelected(sync::Resolution::Mine); });
    connect(m_takeTheirs, &QPushButton::clicked, this, [this] { resolveSelected(sync::Resolution::Theirs); });
    connect(m_edit, &QPushButton::clicked, this, &SyncPane::editSelected);

    m_conflictStack = new QStackedWidget(this);
    m_noConflicts = new EmptyState(QStringLiteral("sync"), tr("No conflicts"),
                                   tr("When someone else changes a field you changed too, both values wait here for "
                                      "you to choose. Nothing is lost in the meantime."),
                                   m_conflictStack);
    m_noConflicts->setObjectName(QStringLiteral("conflictEmptyState"));
    m_table = new QTableWidget(0, ColumnCount, m_conflictStack);
    m_table->setObjectName(QStringLiteral("conflictTable"));
    m_table->setAccessibleName(tr("Conflict inbox"));
    m_table->setHorizontalHeaderLabels(
        {tr("Table"), tr("Record"), tr("Field"), tr("Mine"), tr("Theirs"), tr("When"), tr("Kind")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SyncPane::updateControls);
    connect(m_table, &QTableWidget::itemDoubleClicked, this, &SyncPane::editSelected);
    for (QLabel *label : {m_account, m_signInError, m_keychainNote, m_result})
        label->installEventFilter(this); // see fitLabels()
    m_conflictStack->addWidget(m_noConflicts);
    m_conflictStack->addWidget(m_table);
    outer->addWidget(m_conflictStack, 1);

    // ---- quarantine: shown only when the server sent rows this workspace could not store
    m_quarantineHeading = new QLabel(tr("Set aside"), this);
    m_quarantineHeading->setFont(strong);
    outer->addWidget(m_quarantineHeading);
    m_quarantineTitle = new QLabel(this);
    m_quarantineTitle->setObjectName(QStringLiteral("quarantineTitle"));
    m_quarantineTitle->setTextFormat(Qt::PlainText);
    m_quarantineTitle->setWordWrap(true);
    outer->addWidget(m_quarantineTitle);
    m_quarantine = new QTableWidget(0, 4, this);
    m_quarantine->setObjectName(QStringLiteral("quarantineTable"));
    m_quarantine->setAccessibleName(tr("Rows set aside"));
    m_quarantine->setHorizontalHeaderLabels({tr("Server #"), tr("Table"), tr("Record"), tr("Why it was set aside")});
    m_quarantine->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_quarantine->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_quarantine->setWordWrap(false);
    m_quarantine->verticalHeader()->hide();
    m_quarantine->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_quarantine->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_quarantine->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_quarantine->setMaximumHeight(180);
    outer->addWidget(m_quarantine);
    m_quarantineHeading->hide();
    m_quarantineTitle->hide();
    m_quarantine->hide();
}

// ---- settings and credentials

void SyncPane::loadSettings()
{
    auto loaded = sync::settings(m_workspace);
    if (loaded)
        m_settings = loaded.value();
    m_server->setText(m_settings.server.toString());
    m_username->setText(m_settings.username);
    {
        const QSignalBlocker a(m_automatic);
        const QSignalBlocker b(m_interval);
        m_automatic->setChecked(m_settings.automatic);
        m_interval->setValue(std::max(1, m_settings.intervalSeconds / 60));
    }
    if (m_settings.server.isEmpty() || m_settings.username.isEmpty()) {
        QTimer::singleShot(0, this, &SyncPane::credentialsLoaded);
        return;
    }
    if (!sync::identity::isBound(m_workspace, m_settings.server, m_settings.username)) {
        showIdentityQuestion();
        QTimer::singleShot(0, this, &SyncPane::credentialsLoaded);
        return;
    }
    readStoredPassword();
}

void SyncPane::showIdentityQuestion()
{
    const auto status = sync::status(m_workspace);
    const qint64 pending = status ? status->pending : 0;
    m_identityNote->setText(
        tr("This workspace names %1 as its server and %2 as its user, but this computer has not synced this file "
           "as %2 before: it may be a copy, or come from someone else. Nothing is sent until you choose. %Ln "
           "change(s) would be sent under your account.",
           "", int(pending))
            .arg(m_settings.server.host(), m_settings.username));
    m_confirmIdentity->setText(tr("Sync as %1").arg(m_settings.username));
    m_identityNote->show();
    m_confirmIdentity->show();
}

void SyncPane::confirmIdentity()
{
    sync::identity::bind(m_workspace, m_settings.server, m_settings.username);
    m_identityNote->hide();
    m_confirmIdentity->hide();
    readStoredPassword();
}

void SyncPane::readStoredPassword()
{
    m_credentials.read(m_settings.server.toString(), m_settings.username, this, [this](const CredentialReply &reply) {
        m_keychainAvailable = reply.outcome != CredentialReply::Outcome::Unavailable;
        if (reply.ok() && !reply.password.isEmpty())
            m_password = reply.password;
        else if (reply.outcome == CredentialReply::Outcome::Failed)
            qWarning("sync: cannot read the password from the keychain: %s", qPrintable(reply.error));
        updateControls();
        updateAutomatic();
        Q_EMIT stateChanged();
        Q_EMIT credentialsLoaded();
    });
}

void SyncPane::saveSettings()
{
    m_settings.automatic = m_automatic->isChecked();
    m_settings.intervalSeconds = m_interval->value() * 60;
    const Status saved = sync::saveSettings(m_workspace, m_settings);
    if (!saved)
        qWarning("sync: cannot save the settings: %s", qPrintable(saved.error()));
}

QUrl SyncPane::serverUrl() const
{
    QString text = m_server->text().trimmed();
    if (!text.isEmpty() && !text.contains(QLatin1String("://")))
        text.prepend(QStringLiteral("https://"));
    return QUrl(text, QUrl::StrictMode);
}

void SyncPane::signIn()
{
    if (isSigningIn() || isSignedIn())
        return;
    const QUrl server = serverUrl();
    const QString username = m_username->text().trimmed();
    const QString password = m_passwordEdit->text();
    QString problem;
    if (!server.isValid() || server.host().isEmpty() ||
        (server.scheme() != QLatin1String("https") && server.scheme() != QLatin1String("http")))
        problem = tr("Type the server's address, such as https://sync.example.com.");
    else if (!server.userInfo().isEmpty()) // it would be stored in the workspace and shown
        problem = tr("Leave the user name and password out of the server's address; type them in their own fields.");
    else if (username.isEmpty())
        problem = tr("Type your user name.");
    else if (password.isEmpty())
        problem = tr("Type your password.");
    if (!problem.isEmpty()) {
        m_signInError->setText(problem);
        m_signInError->show();
        return;
    }
    m_signInError->hide();
    m_account->setText(tr("Signing in…"));
    m_signInWorker = QThread::create([this, server, username, password] {
        sync::HttpTransport transport(server, username, password);
        transport.setTimeout(20000); // closing the window waits for this answer
        const Status status = transport.signIn();
        const bool unreachable = !status && looksUnreachable(status.error());
        QMetaObject::invokeMethod(
            this,
            [this, ok = status.ok(), unreachable, error = status.error(), password] {
                signInDone(ok, unreachable, error, password);
            },
            Qt::QueuedConnection);
    });
    m_signInWorker->setObjectName(QStringLiteral("sync sign-in"));
    m_signInWorker->start();
    updateControls();
}

void SyncPane::signInDone(bool ok, bool unreachable, const QString &error, const QString &password)
{
    if (m_signInWorker) {
        m_signInWorker->wait();
        delete m_signInWorker;
        m_signInWorker = nullptr;
    }
    if (!ok) {
        m_reachable = !unreachable;
        m_signInError->setText(humanError(error, unreachable));
        m_signInError->setToolTip(error);
        m_signInError->show();
        m_passwordEdit->selectAll();
        m_passwordEdit->setFocus();
        updateControls();
        Q_EMIT stateChanged();
        Q_EMIT signInFinished(false);
        return;
    }
    m_settings.server = serverUrl();
    m_settings.username = m_username->text().trimmed();
    saveSettings();
    // Typing the password is the user's choice to sync this file as this user.
    sync::identity::bind(m_workspace, m_settings.server, m_settings.username);
    m_identityNote->hide();
    m_confirmIdentity->hide();
    m_password = password;
    m_passwordEdit->clear();
    m_signInError->hide();
    m_credentials.write(m_settings.server.toString(), m_settings.username, password, this,
                        [this](const CredentialReply &reply) {
                            m_keychainAvailable = reply.outcome != CredentialReply::Outcome::Unavailable;
                            if (reply.outcome == CredentialReply::Outcome::Failed)
                                qWarning("sync: cannot store the password: %s", qPrintable(reply.error));
                            updateControls();
                        });
    updateControls();
    updateAutomatic();
    Q_EMIT stateChanged();
    Q_EMIT signInFinished(true);
    syncNow(); // a first sync right away shows the user that it works
}

void SyncPane::signOut()
{
    if (!isSignedIn())
        return;
    stop();
    m_credentials.remove(m_settings.server.toString(), m_settings.username, this, [](const CredentialReply &reply) {
        if (reply.outcome == CredentialReply::Outcome::Failed)
            qWarning("sync: cannot remove the password: %s", qPrintable(reply.error));
    });
    m_password.clear();
    m_reachable = false;
    m_lastError.clear();
    updateControls();
    updateAutomatic();
    Q_EMIT stateChanged();
}

// ---- sync

void SyncPane::stop()
{
    if (m_cancel)
        m_cancel->store(true);
}

void SyncPane::syncNow()
{
    if (isSyncing() || !isSignedIn())
        return;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_lastError.clear();
    m_phase->setText(tr("Connecting to %1…").arg(m_settings.server.host()));
    m_progress->setRange(0, 0);
    m_progress->show();
    const QString path = m_workspace.path();
    const QUrl server = m_settings.server;
    const QString username = m_settings.username;
    const QString password = m_password;
    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    m_syncWorker = QThread::create([this, path, server, username, password, cancel] {
        Outcome outcome;
        auto opened = Workspace::open(path); // a connection of this thread's own
        if (!opened) {
            outcome.error = opened.error();
        } else {
            sync::HttpTransport http(server, username, password);
            WatchedTransport transport(http, opened.value()->deviceId());
            sync::SyncEngine engine(*opened.value(), transport);
            QElapsedTimer lastPost;
            lastPost.start();
            auto report = engine.sync([this, cancel, &lastPost](const QString &phase, qint64 done, qint64 total) {
                // A few updates a second are enough for a progress bar; the last one of a phase always goes.
                if (lastPost.elapsed() >= 50 || (total > 0 && done >= total)) {
                    lastPost.restart();
                    QMetaObject::invokeMethod(
                        this, [this, phase, done, total] { progress(phase, done, total); }, Qt::QueuedConnection);
                }
                return !cancel->load();
            });
            outcome.ok = report.ok();
            outcome.unreachable = transport.unreachable();
            outcome.received = transport.foreignChanges();
            if (report)
                outcome.report = report.value();
            else
                outcome.error = report.error();
        }
        QMetaObject::invokeMethod(
            this, [this, outcome] { syncDone(outcome); }, Qt::QueuedConnection);
    });
    m_syncWorker->setObjectName(QStringLiteral("sync"));
    m_syncWorker->start();
    updateControls();
    Q_EMIT syncStarted();
    Q_EMIT stateChanged();
}

void SyncPane::progress(const QString &phase, qint64 done, qint64 total)
{
    if (!isSyncing())
        return;
    const QLocale locale;
    const bool pulling = phase == QLatin1String("pull");
    QString text = pulling ? tr("Receiving changes…") : tr("Sending changes…");
    if (total > 0) {
        if (!pulling)
            m_pending->setText(tr("%Ln change(s) on this computer not sent yet.", "", int(total - done)));
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
        text = pulling ? tr("Receiving changes: %1 of %2").arg(locale.toString(done), locale.toString(total))
                       : tr("Sending changes: %1 of %2").arg(locale.toString(done), locale.toString(total));
    } else {
        // The pull does not know how much is coming; it counts pages.
        m_progress->setRange(0, 0);
        if (done > 0)
            text = pulling ? tr("Receiving changes: page %1").arg(locale.toString(done))
                           : tr("Sending changes: %1 so far").arg(locale.toString(done));
    }
    m_phase->setText(text);
}

void SyncPane::syncDone(const Outcome &outcome)
{
    if (m_syncWorker) {
        m_syncWorker->wait();
        delete m_syncWorker;
        m_syncWorker = nullptr;
    }
    const bool stopped = m_cancel && m_cancel->load();
    m_cancel.reset();
    m_reachable = !outcome.unreachable;
    if (outcome.ok) {
        const sync::SyncReport &r = outcome.report;
        QStringList parts;
        parts << tr("%Ln change(s) received", "", outcome.received) << tr("%Ln change(s) sent", "", r.pushed);
        if (r.conflicts > 0)
            parts << tr("%n new conflict(s)", "", r.conflicts);
        if (r.rejected > 0)
            parts << tr("%Ln change(s) refused by the server", "", r.rejected);
        if (r.purged > 0)
            parts << tr("%Ln record(s) no longer shared with you", "", r.purged);
        m_lastReport = parts.join(QStringLiteral(" · "));
        m_lastError = stopped ? tr("Sync stopped; it goes on from here next time.") : QString();
        m_result->setToolTip(QString());
    } else {
        m_lastError = humanError(outcome.error, outcome.unreachable);
        m_result->setToolTip(outcome.error);
        if (!outcome.unreachable && outcome.error.contains(QLatin1String("HTTP 401"))) {
            // The kept password no longer works (changed on the server): ask for it again rather than retrying it
            // at every automatic sync.
            m_password.clear();
            m_signInError->setText(tr("The server did not accept the saved password. Type it again to sign in."));
            m_signInError->show();
            updateAutomatic();
        }
    }
    reload();
    updateControls();
    if (outcome.ok && (outcome.received > 0 || outcome.report.purged > 0))
        Q_EMIT dataChanged();
    Q_EMIT syncFinished(outcome.ok);
    Q_EMIT stateChanged();
}

QString SyncPane::humanError(const QString &raw, bool unreachable) const
{
    const QString host = serverUrl().host().isEmpty() ? m_settings.server.host() : serverUrl().host();
    if (unreachable && !raw.contains(QLatin1String("JSON")))
        return tr("Cannot reach the server %1. Check the address and the network connection; your changes stay on "
                  "this computer until the next sync.")
            .arg(host);
    const QString lower = raw.toLower();
    if (lower.contains(QLatin1String("json")))
        return tr("%1 answered, but it is not an Ecotone sync server. Check the address.").arg(host);
    if (lower.contains(QLatin1String("401")) || lower.contains(QLatin1String("invalid_credentials")) ||
        lower.contains(QLatin1String("unauthorized")) || lower.contains(QLatin1String("password")) ||
        lower.contains(QLatin1String("credentials")))
        return tr("The server did not accept this user name and password.");
    if (lower.contains(QLatin1String("disabled")))
        return tr("This user is disabled on the server. Ask your administrator.");
    if (lower.contains(QLatin1String("too many")) || lower.contains(QLatin1String("429")) ||
        lower.contains(QLatin1String("rate")))
        return tr("Too many sign-in attempts. Wait a minute and try again.");
    if (lower.contains(QLatin1String("clock")))
        return tr("This computer's clock is more than five minutes off. Set the date and time right and sync "
                  "again.");
    if (lower.contains(QLatin1String("403")) || lower.contains(QLatin1String("forbidden")))
        return tr("The server does not let this user sync this workspace.");
    return tr("Sync did not finish: %1").arg(raw);
}

// ---- state

void SyncPane::reload()
{
    auto status = sync::status(m_workspace);
    if (status)
        m_status = status.value();
    else
        qWarning("sync: cannot read the sync state: %s", qPrintable(status.error()));
    if (!m_reachable && m_status.lastSync.isValid() && m_status.lastError.isEmpty())
        m_reachable = true; // the last sync, in an earlier session, went well
    auto conflicts = sync::openConflicts(m_workspace);
    m_conflicts = conflicts ? conflicts.value() : QList<sync::Conflict>{};
    showConflicts();
    showQuarantine();
    updateControls();
    Q_EMIT stateChanged();
}

void SyncPane::showQuarantine()
{
    auto rows = sync::quarantinedRows(m_workspace);
    const QList<sync::QuarantinedRow> list = rows ? rows.value() : QList<sync::QuarantinedRow>{};
    m_quarantine->setRowCount(int(list.size()));
    for (int i = 0; i < int(list.size()); ++i) {
        const sync::QuarantinedRow &r = list.at(i);
        // Items of a view are plain text: a hostile row id or reason cannot turn into markup.
        const QStringList cells{QString::number(r.seq), r.table, r.rowId, r.reason};
        for (int column = 0; column < int(cells.size()); ++column)
            m_quarantine->setItem(i, column, new QTableWidgetItem(cells.at(column)));
    }
    m_quarantineTitle->setText(
        tr("%n row(s) from the server could not be stored in this workspace and were set aside; the rest of the "
           "sync went on. A later version of a row that fits replaces it here.",
           "", int(list.size())));
    m_quarantineHeading->setVisible(!list.isEmpty());
    m_quarantineTitle->setVisible(!list.isEmpty());
    m_quarantine->setVisible(!list.isEmpty());
}

SyncPane::State SyncPane::state() const
{
    if (isSyncing())
        return State::Syncing;
    if (!m_conflicts.isEmpty())
        return State::Conflicts;
    if (isSignedIn() && m_reachable && m_status.lastSync.isValid())
        return State::Online;
    return State::Offline;
}

QString SyncPane::stateText() const
{
    switch (state()) {
    case State::Offline:
        return tr("Offline");
    case State::Online:
        return tr("Online");
    case State::Syncing:
        return tr("Syncing…");
    case State::Conflicts:
        return tr("%n conflict(s)", "", int(m_conflicts.size()));
    }
    return {};
}

QString SyncPane::stateToolTip() const
{
    if (m_settings.server.isEmpty())
        return tr("Not signed in to a sync server: everything stays on this computer. Click to set up sync.");
    QStringList lines;
    lines << tr("Server: %1").arg(m_settings.server.toString());
    lines << tr("Last sync: %1").arg(whenText(m_status.lastSync));
    if (!isSignedIn())
        lines << tr("Signed out");
    if (!m_lastError.isEmpty())
        lines << m_lastError;
    lines << tr("Click to open Sync.");
    return lines.join(QLatin1Char('\n'));
}

void SyncPane::updateAutomatic()
{
    if (isSignedIn() && m_automatic->isChecked()) {
        const int ms = m_interval->value() * 60 * 1000;
        if (!m_autoTimer->isActive() || m_autoTimer->interval() != ms)
            m_autoTimer->start(ms);
    } else {
        m_autoTimer->stop();
    }
}

void SyncPane::updateControls()
{
    const bool signedIn = isSignedIn();
    const bool busy = isSigningIn();
    const bool syncing = isSyncing();
    for (QLineEdit *edit : {m_server, m_username})
        edit->setReadOnly(signedIn || busy);
    m_form->setRowVisible(m_passwordEdit, !signedIn);
    m_passwordEdit->setEnabled(!busy);
    m_signIn->setVisible(!signedIn);
    m_signIn->setEnabled(!busy && !m_server->text().trimmed().isEmpty() && !m_username->text().trimmed().isEmpty() &&
                         !m_passwordEdit->text().isEmpty());
    m_signOut->setVisible(signedIn);
    m_signOut->setEnabled(!syncing);
    if (busy)
        m_account->setText(tr("Signing in…"));
    else if (signedIn)
        m_account->setText(tr("Signed in as %1 on %2.").arg(m_settings.username, m_settings.server.host()));
    else if (!m_settings.username.isEmpty())
        m_account->setText(tr("Signed out. Type the password to sign in again."));
    else
        m_account->setText(tr("Sign in with the account your administrator created on Ecotone Server."));
    m_keychainNote->setVisible(!m_keychainAvailable);

    m_syncNow->setEnabled(signedIn && !syncing);
    m_syncNow->setToolTip(signedIn ? QString() : tr("Sign in first"));
    m_automatic->setEnabled(signedIn);
    m_interval->setEnabled(signedIn && m_automatic->isChecked());

    if (!syncing) {
        m_progress->hide();
        if (!signedIn)
            m_phase->setText(tr("Not signed in."));
        else if (m_automatic->isChecked())
            m_phase->setText(tr("Idle; the next automatic sync runs within %n minute(s).", "", m_interval->value()));
        else
            m_phase->setText(tr("Idle."));
    }
    QString result;
    if (!m_lastError.isEmpty()) {
        result = m_lastError;
        if (m_status.lastSync.isValid())
            result += QLatin1Char('\n') + tr("Last successful sync %1.").arg(whenText(m_status.lastSync));
    } else if (m_status.lastSync.isValid()) {
        result = m_lastReport.isEmpty() ? tr("Last sync %1.").arg(whenText(m_status.lastSync))
                                        : tr("Last sync %1: %2.").arg(whenText(m_status.lastSync), m_lastReport);
    } else if (!m_status.lastError.isEmpty()) {
        result = tr("The last sync did not finish: %1").arg(m_status.lastError);
    } else {
        result = tr("This workspace has never been synced.");
    }
    m_result->setText(result);
    QPalette pal = palette();
    if (!m_lastError.isEmpty())
        pal.setColor(QPalette::WindowText, theme::isDark() ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB3, 0x26, 0x1E));
    m_result->setPalette(pal);
    QPalette errorPal = palette();
    errorPal.setColor(QPalette::WindowText, theme::isDark() ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB3, 0x26, 0x1E));
    m_signInError->setPalette(errorPal);
    m_pending->setText(m_status.pending > 0
                           ? tr("%Ln change(s) on this computer not sent yet.", "", int(m_status.pending))
                           : tr("Every change on this computer has been sent."));

    const sync::Conflict *selected = selectedConflict();
    m_keepMine->setEnabled(selected && !syncing);
    m_takeTheirs->setEnabled(selected && !syncing);
    m_edit->setEnabled(selected && !syncing && selected->kind != sync::Conflict::Kind::Deleted);
    for (QPushButton *b : {m_keepMine, m_takeTheirs, m_edit})
        b->setVisible(!m_conflicts.isEmpty());
    QTimer::singleShot(0, this, &SyncPane::fitLabels); // once the layout has given the labels their widths
}

void SyncPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_table)
        QTimer::singleShot(0, this, &SyncPane::updateControls); // the error red follows the theme
}

void SyncPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload(); // edits made in other panes since: the pending count
}

void SyncPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitLabels();
}

bool SyncPane::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && qobject_cast<QLabel *>(watched))
        QTimer::singleShot(0, this, &SyncPane::fitLabels);
    return QWidget::eventFilter(watched, event);
}

// The boxes side by side do not get the height their wrapped labels need for the width they end up with (the
// nested layouts size them from the unwrapped hint), so each wrapped label asks for its height at its width.
void SyncPane::fitLabels()
{
    for (QLabel *label : {m_account, m_signInError, m_keychainNote, m_result}) {
        // Before the pane is first shown the labels have no width of their own yet: nothing to measure.
        if (!label->isVisible())
            continue;
        // QLabel::heightForWidth() never answers less than the minimum height, so that is taken away first.
        const int before = label->minimumHeight();
        label->setMinimumHeight(0);
        const int height = label->heightForWidth(label->width());
        label->setMinimumHeight(height > 0 ? height : before);
    }
}

// ---- conflicts

QString SyncPane::recordName(const QString &table, const QString &rowId) const
{
    // Table names come from the server: only look up tables this workspace has, by their exact name.
    static const QRegularExpression safe(QStringLiteral("^[a-z_]+$"));
    if (!safe.match(table).hasMatch())
        return rowId;
    QSqlQuery columns(m_workspace.db());
    if (!columns.exec(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table)))
        return rowId;
    QString column;
    while (columns.next()) {
        const QString name = columns.value(0).toString();
        if (name == QLatin1String("name") || (column.isEmpty() && name == QLatin1String("title")))
            column = name;
    }
    if (column.isEmpty())
        return rowId;
    QSqlQuery query(m_workspace.db());
    query.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?").arg(column, table));
    query.addBindValue(rowId);
    if (query.exec() && query.next() && !query.value(0).toString().isEmpty())
        return query.value(0).toString();
    return rowId;
}

void SyncPane::showConflicts()
{
    const qint64 selectedId = selectedConflict() ? selectedConflict()->id : 0;
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(int(m_conflicts.size()));
    int reselect = m_conflicts.isEmpty() ? -1 : 0;
    for (int row = 0; row < m_conflicts.size(); ++row) {
        const sync::Conflict &c = m_conflicts.at(row);
        const QString theirs = c.kind == sync::Conflict::Kind::Deleted ? tr("(deleted)") : valueText(c.theirs);
        const QStringList texts = {tableTitle(c.table),
                                   recordName(c.table, c.rowId),
                                   fieldTitle(c.field),
                                   valueText(c.mine),
                                   theirs,
                                   whenText(c.detectedAt),
                                   kindText(c.kind)};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(texts.at(column));
            item->setData(Qt::UserRole, c.id);
            item->setToolTip(texts.at(column));
            m_table->setItem(row, column, item);
        }
        m_table->item(row, RecordColumn)->setToolTip(c.rowId);
        if (!c.theirsDevice.isEmpty())
            m_table->item(row, TheirsColumn)->setToolTip(tr("%1\nfrom device %2").arg(theirs, c.theirsDevice));
        if (c.id == selectedId)
            reselect = row;
    }
    m_table->resizeColumnsToContents();
    for (int column : {MineColumn, TheirsColumn})
        m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), 280));
    if (reselect >= 0)
        m_table->selectRow(reselect);
    m_conflictStack->setCurrentWidget(m_conflicts.isEmpty() ? static_cast<QWidget *>(m_noConflicts) : m_table);
    m_conflictTitle->setText(m_conflicts.isEmpty()
                                 ? tr("Conflict inbox")
                                 : tr("Conflict inbox: %n conflict(s) to resolve", "", int(m_conflicts.size())));
}

const sync::Conflict *SyncPane::selectedConflict() const
{
    const QList<QTableWidgetItem *> items = m_table ? m_table->selectedItems() : QList<QTableWidgetItem *>{};
    if (items.isEmpty())
        return nullptr;
    const qint64 id = items.first()->data(Qt::UserRole).toLongLong();
    for (const sync::Conflict &c : m_conflicts)
        if (c.id == id)
            return &c;
    return nullptr;
}

void SyncPane::resolveSelected(sync::Resolution resolution)
{
    const sync::Conflict *c = selectedConflict();
    if (!c || isSyncing())
        return;
    const Status resolved = sync::resolve(m_workspace, c->id, resolution);
    if (!resolved) {
        QMessageBox::warning(this, tr("Resolve Conflict"), resolved.error());
        return;
    }
    reload();
    Q_EMIT dataChanged();
}

void SyncPane::editSelected()
{
    const sync::Conflict *selected = selectedConflict();
    if (!selected || isSyncing() || selected->kind == sync::Conflict::Kind::Deleted)
        return;
    const sync::Conflict c = *selected;
    ConflictEditDialog dialog(tableTitle(c.table), recordName(c.table, c.rowId), fieldTitle(c.field), c.mine, c.theirs,
                              this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Status resolved = sync::resolve(m_workspace, c.id, sync::Resolution::Edit, dialog.value());
    if (!resolved) {
        QMessageBox::warning(this, tr("Resolve Conflict"), resolved.error());
        return;
    }
    reload();
    Q_EMIT dataChanged();
}

} // namespace ecotone::ui
