#include "DealPages.h"

#include "BoardColumnModel.h"
#include "common/Icons.h"
#include "deals/Referrals.h"
#include "deals/RegistrationRepository.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace ecotone::ui {

namespace {
constexpr int kListLimit = 1000;
constexpr int kExpiringDays = 14;

QLabel *errorLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->hide();
    return l;
}

QString shortTime(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString shortDate(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime().date(), QLocale::ShortFormat) : QString();
}

// The filter row both pages share: text (reloads after a pause in typing), status with counts, partner.
struct FilterRow
{
    QLineEdit *search = nullptr;
    QComboBox *status = nullptr;
    QComboBox *partner = nullptr;
    QLabel *count = nullptr;
    QTimer *typing = nullptr;
};

FilterRow makeFilterRow(Workspace &workspace, QWidget *parent, QBoxLayout *into, const QString &placeholder,
                        const QString &partnerLabel, bool partnersOnly)
{
    FilterRow f;
    auto *row = new QHBoxLayout;
    f.search = new QLineEdit(parent);
    f.search->setPlaceholderText(placeholder);
    f.search->setAccessibleName(placeholder);
    f.search->setClearButtonEnabled(true);
    f.search->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    f.search->setMinimumWidth(160);
    row->addWidget(f.search, 1);
    f.status = new QComboBox(parent);
    f.status->setAccessibleName(QCoreApplication::translate("ecotone::ui::DealPages", "Status filter"));
    f.status->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    row->addWidget(f.status);
    f.partner = new QComboBox(parent);
    f.partner->setAccessibleName(partnerLabel);
    f.partner->addItem(QCoreApplication::translate("ecotone::ui::DealPages", "All partners"), QString());
    OrganizationRepository orgs(workspace);
    if (Result<QList<Organization>> all = orgs.all()) {
        for (const Organization &o : all.value())
            if (!partnersOnly || o.kind == OrganizationKind::Partner)
                f.partner->addItem(o.name, o.id);
    }
    f.partner->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    f.partner->setMinimumContentsLength(16);
    f.partner->setMaximumWidth(240);
    row->addWidget(f.partner);
    f.count = new QLabel(parent);
    f.count->setAccessibleName(QCoreApplication::translate("ecotone::ui::DealPages", "Rows shown"));
    row->addWidget(f.count);
    into->addLayout(row);
    f.typing = new QTimer(parent);
    f.typing->setSingleShot(true);
    f.typing->setInterval(250);
    QObject::connect(f.search, &QLineEdit::textChanged, f.typing, qOverload<>(&QTimer::start));
    return f;
}
// Refills the status picker's labels with counts ("Approved (12)"), keeping the choice; returns the total.
template <typename S>
qint64 fillStatusCounts(QComboBox *combo, const QList<S> &all, const QMap<S, qint64> &counts, const QString &allLabel)
{
    const int chosen = combo->currentIndex() < 0 ? -1 : combo->currentData().toInt();
    qint64 total = 0;
    for (qint64 n : counts)
        total += n;
    const QLocale locale;
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(QStringLiteral("%1 (%2)").arg(allLabel, locale.toString(total)), -1);
    for (S status : all)
        combo->addItem(QStringLiteral("%1 (%2)").arg(deals::displayName(status), locale.toString(counts.value(status))),
                       int(status));
    combo->setCurrentIndex(std::max(0, combo->findData(chosen)));
    return total;
}
} // namespace

// ---- Registrations

RegistrationsPage::RegistrationsPage(Workspace &workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_repo(std::make_unique<RegistrationRepository>(workspace))
{
    setAccessibleName(tr("Deal registrations"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    const FilterRow filters = makeFilterRow(workspace, this, layout, tr("Search account name or website"),
                                            tr("Registering partner filter"), true);
    m_search = filters.search;
    m_status = filters.status;
    m_partner = filters.partner;
    m_count = filters.count;
    m_typing = filters.typing;
    m_status->addItem(tr("All statuses"), -1);
    connect(m_typing, &QTimer::timeout, this, &RegistrationsPage::reload);
    connect(m_status, &QComboBox::currentIndexChanged, this, &RegistrationsPage::reload);
    connect(m_partner, &QComboBox::currentIndexChanged, this, &RegistrationsPage::reload);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_list = new QTreeWidget(split);
    m_list->setAccessibleName(tr("Registrations"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels(
        {tr("Account"), tr("Partner"), tr("Amount"), tr("Status"), tr("Conflicts"), tr("Submitted"), tr("Expires")});
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_list->setColumnWidth(1, 200);
    m_list->setColumnWidth(2, 120);
    m_list->setColumnWidth(3, 140);
    m_list->setColumnWidth(4, 80);
    m_list->setColumnWidth(5, 110);
    m_list->setColumnWidth(6, 110);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { updateDetail(); });

    auto *detailPage = new QWidget(split);
    auto *detail = new QVBoxLayout(detailPage);
    detail->setContentsMargins(0, 6, 0, 0);
    m_detail = new QLabel(detailPage);
    m_detail->setWordWrap(true);
    m_detail->setAccessibleName(tr("Selected registration"));
    detail->addWidget(m_detail);
    auto *buttons = new QHBoxLayout;
    const QList<std::pair<Action, QString>> actions = {{Action::Review, tr("Start review")},
                                                       {Action::Approve, tr("Approve")},
                                                       {Action::Reject, tr("Reject…")},
                                                       {Action::Return, tr("Return for changes…")},
                                                       {Action::Extend, tr("Extend…")}};
    for (const auto &[action, label] : actions) {
        auto *b = new QPushButton(label, detailPage);
        b->setAccessibleName(label);
        b->setEnabled(false);
        const Action a = action;
        connect(b, &QPushButton::clicked, this, [this, a] {
            QString reason;
            bool ok = true;
            if (a == Action::Reject || a == Action::Return)
                reason = QInputDialog::getText(this, tr("Reason"),
                                               a == Action::Reject ? tr("Why is it rejected?")
                                                                   : tr("What should the partner change?"),
                                               QLineEdit::Normal, QString(), &ok);
            else if (a == Action::Extend)
                reason = QString::number(
                    QInputDialog::getInt(this, tr("Extend protection"), tr("Days"), 30, 1, 365, 1, &ok));
            if (ok)
                (void)run(a, reason);
        });
        buttons->addWidget(b);
        m_buttons << b;
    }
    buttons->addStretch(1);
    detail->addLayout(buttons);
    m_error = errorLabel(detailPage);
    detail->addWidget(m_error);
    auto *conflictsTitle = new QLabel(tr("<b>Channel conflicts</b>"), detailPage);
    detail->addWidget(conflictsTitle);
    m_conflicts = new QLabel(detailPage);
    m_conflicts->setWordWrap(true);
    m_conflicts->setTextFormat(Qt::RichText);
    m_conflicts->setAccessibleName(tr("Channel conflicts with evidence"));
    m_conflicts->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    detail->addWidget(m_conflicts, 1);
    auto *expTitle = new QLabel(tr("<b>Protection ending within %n day(s)</b>", nullptr, kExpiringDays), detailPage);
    detail->addWidget(expTitle);
    m_expiring = new QListWidget(detailPage);
    m_expiring->setAccessibleName(tr("Registrations expiring within %n day(s)", nullptr, kExpiringDays));
    detail->addWidget(m_expiring, 1);
    split->addWidget(m_list);
    split->addWidget(detailPage);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split);
}

RegistrationsPage::~RegistrationsPage() = default;

void RegistrationsPage::setViewer(const QString &organizationId, bool decides)
{
    m_organizationId = organizationId;
    m_decides = decides;
    // A partner's person sees their own organization's registrations only: the partner filter shows it, fixed.
    const QSignalBlocker block(m_partner);
    m_partner->setCurrentIndex(decides ? 0 : std::max(0, m_partner->findData(organizationId)));
    m_partner->setEnabled(decides);
}

void RegistrationsPage::reload()
{
    const QString current = selectedId();
    m_list->clear();
    const QLocale locale;
    RegistrationRepository::Filter filter;
    filter.partnerId = m_decides ? m_partner->currentData().toString() : m_organizationId;
    filter.text = m_search->text();
    if (const int status = m_status->currentData().toInt(); m_status->currentIndex() > 0 && status >= 0)
        filter.status = RegistrationStatus(status);
    Result<QMap<RegistrationStatus, qint64>> counts = m_repo->statusCounts(filter);
    Result<QList<Registration>> regs = m_repo->list(filter, kListLimit);
    if (!regs || !counts) {
        m_error->setText(regs ? counts.error() : regs.error());
        m_error->show();
        return;
    }
    const qint64 total =
        fillStatusCounts(m_status, deals::allRegistrationStatuses(), counts.value(), tr("All statuses"));
    const qint64 matching = filter.status ? counts->value(*filter.status) : total;
    m_count->setText(regs->size() < matching
                         ? tr("newest %1 of %2").arg(locale.toString(regs->size()), locale.toString(matching))
                         : tr("%n registration(s)", nullptr, int(std::min<qint64>(matching, INT_MAX))));
    for (const Registration &r : regs.value()) {
        auto *item = new QTreeWidgetItem(m_list, {r.account.name, r.partnerName, formatMoney(r.amountMinor, r.currency),
                                                  deals::displayName(r.status), QString(), shortDate(r.submittedAt),
                                                  shortDate(r.expiresAt)});
        item->setData(0, Qt::UserRole, r.id);
        // A check is a few index lookups, so every active row gets its count.
        if (deals::isActive(r.status)) {
            if (Result<QList<Conflict>> cs = m_repo->conflicts().check(r.account, r.partnerId)) {
                int n = 0;
                for (const Conflict &c : cs.value())
                    n += c.recordId == r.id || (c.record == Conflict::Record::Room && c.recordId == r.roomId) ? 0 : 1;
                item->setText(4, locale.toString(n));
                if (n > 0)
                    item->setForeground(4, QColor(0xd3, 0x2f, 0x2f));
            }
        } else {
            item->setText(4, tr("–"));
        }
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_expiring->clear();
    if (Result<QList<Registration>> exp = m_repo->expiring(kExpiringDays)) {
        for (const Registration &r : exp.value()) {
            if (!m_decides && r.partnerId != m_organizationId)
                continue;
            m_expiring->addItem(
                tr("%1 (%2): protection ends %3").arg(r.account.name, r.partnerName, shortTime(r.expiresAt)));
        }
        if (m_expiring->count() == 0)
            m_expiring->addItem(tr("No approved registration expires within %n day(s).", nullptr, kExpiringDays));
    }
    if (!select(current) && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateDetail();
}

bool RegistrationsPage::select(const QString &registrationId)
{
    if (registrationId.isEmpty())
        return false;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(0, Qt::UserRole).toString() == registrationId) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    }
    return false;
}

QString RegistrationsPage::selectedId() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

QPushButton *RegistrationsPage::button(Action action) const
{
    return m_buttons.value(int(action));
}

QString RegistrationsPage::conflictText() const
{
    return m_conflicts->text();
}

void RegistrationsPage::updateDetail()
{
    for (QPushButton *b : std::as_const(m_buttons))
        b->setEnabled(false);
    const QString id = selectedId();
    if (id.isEmpty()) {
        m_detail->setText(tr("No registration selected."));
        m_conflicts->clear();
        return;
    }
    Result<Registration> found = m_repo->find(id);
    if (!found) {
        m_detail->setText(found.error());
        return;
    }
    const Registration &r = found.value();
    QString detail =
        tr("%1 registered %2 (%3) for %4 · %5")
            .arg(r.partnerName, r.account.name, r.account.website.isEmpty() ? r.account.country : r.account.website,
                 formatMoney(r.amountMinor, r.currency), deals::displayName(r.status));
    if (!r.reason.isEmpty())
        detail += QStringLiteral("\n") + tr("Reason: %1").arg(r.reason);
    m_detail->setText(detail);
    // Enabled only for the moves the state machine allows.
    auto allowed = [&](RegistrationStatus to) { return m_decides && deals::checkTransition(r.status, to).ok(); };
    button(Action::Review)->setEnabled(allowed(RegistrationStatus::UnderReview));
    button(Action::Approve)->setEnabled(allowed(RegistrationStatus::Approved));
    button(Action::Reject)->setEnabled(allowed(RegistrationStatus::Rejected));
    button(Action::Return)->setEnabled(allowed(RegistrationStatus::Returned));
    button(Action::Extend)->setEnabled(m_decides && r.status == RegistrationStatus::Approved);
    if (!m_decides) {
        for (QPushButton *b : std::as_const(m_buttons))
            b->setToolTip(tr("Only the vendor's admins decide on registrations."));
    }

    // The conflicts as they stand now, with the evidence for each.
    if (!deals::isActive(r.status)) {
        m_conflicts->setText(tr("Not checked: the registration is no longer active."));
    } else if (Result<QList<Conflict>> cs = m_repo->conflicts().check(r.account, r.partnerId)) {
        QStringList lines;
        for (const Conflict &c : cs.value()) {
            if (c.recordId == r.id || (c.record == Conflict::Record::Room && c.recordId == r.roomId))
                continue;
            lines << QStringLiteral("<li>") + c.describe().toHtmlEscaped() + QStringLiteral("</li>");
        }
        m_conflicts->setText(lines.isEmpty() ? tr("No channel conflict found.")
                                             : QStringLiteral("<ul style=\"margin-left:-20px\">") +
                                                   lines.join(QString()) + QStringLiteral("</ul>"));
    } else {
        m_conflicts->setText(cs.error().toHtmlEscaped());
    }
}

Status RegistrationsPage::run(Action action, const QString &reason)
{
    const QString id = selectedId();
    Status s;
    if (id.isEmpty()) {
        s = Error{tr("No registration selected.")};
    } else if (!button(action)->isEnabled()) {
        s = Error{tr("This action is not allowed for the registration's status.")};
    } else {
        switch (action) {
        case Action::Review:
            s = m_repo->startReview(id);
            break;
        case Action::Approve: {
            Result<DealRoom> room = m_repo->approve(id, QStringLiteral("ecotone"));
            if (!room)
                s = Error{room.error()};
            else
                Q_EMIT roomsChanged();
            break;
        }
        case Action::Reject:
            s = m_repo->reject(id, reason);
            break;
        case Action::Return:
            s = m_repo->returnForChanges(id, reason);
            break;
        case Action::Extend:
            s = m_repo->extend(id, reason.toInt());
            break;
        }
    }
    m_error->setText(s ? QString() : s.error());
    m_error->setVisible(!s);
    if (s)
        reload();
    return s;
}

// ---- Referrals

ReferralsPage::ReferralsPage(Workspace &workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_repo(std::make_unique<ReferralRepository>(workspace))
{
    setAccessibleName(tr("Referrals"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *top = new QHBoxLayout;
    auto *orgLabel = new QLabel(tr("Organization"), this);
    m_org = new QComboBox(this);
    m_org->setAccessibleName(tr("Organization whose referrals are shown"));
    orgLabel->setBuddy(m_org);
    OrganizationRepository orgs(workspace);
    if (Result<QList<Organization>> all = orgs.all()) {
        for (const Organization &o : all.value())
            m_org->addItem(o.name, o.id);
    }
    m_box = new QComboBox(this);
    m_box->setAccessibleName(tr("Inbox or outbox"));
    m_box->addItem(tr("Inbox (received)"), true);
    m_box->addItem(tr("Outbox (sent)"), false);
    top->addWidget(orgLabel);
    top->addWidget(m_org);
    top->addWidget(m_box);
    top->addStretch(1);
    const QList<std::pair<Action, QString>> actions = {
        {Action::Accept, tr("Accept")}, {Action::Decline, tr("Decline…")}, {Action::Convert, tr("Convert to room")}};
    for (const auto &[action, label] : actions) {
        auto *b = new QPushButton(label, this);
        b->setAccessibleName(label);
        b->setEnabled(false);
        const Action a = action;
        connect(b, &QPushButton::clicked, this, [this, a] {
            QString reason;
            bool ok = true;
            if (a == Action::Decline)
                reason = QInputDialog::getText(this, tr("Decline referral"), tr("Why is it declined?"),
                                               QLineEdit::Normal, QString(), &ok);
            if (ok)
                (void)run(a, reason);
        });
        top->addWidget(b);
        m_buttons << b;
    }
    layout->addLayout(top);
    const FilterRow filters = makeFilterRow(workspace, this, layout, tr("Search account, website or need"),
                                            tr("Partner on the other side filter"), false);
    m_search = filters.search;
    m_status = filters.status;
    m_partner = filters.partner;
    m_count = filters.count;
    m_typing = filters.typing;
    m_partner->setItemText(0, tr("All senders and receivers"));
    m_status->addItem(tr("All statuses"), -1);
    connect(m_typing, &QTimer::timeout, this, &ReferralsPage::reload);
    connect(m_status, &QComboBox::currentIndexChanged, this, &ReferralsPage::reload);
    connect(m_partner, &QComboBox::currentIndexChanged, this, &ReferralsPage::reload);
    m_error = errorLabel(this);
    layout->addWidget(m_error);
    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(tr("Referrals list"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels(
        {tr("Account"), tr("From"), tr("To"), tr("Need"), tr("Expected"), tr("Fee"), tr("Status"), tr("Answer due")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_list->setColumnWidth(0, 170);
    m_list->setColumnWidth(1, 150);
    m_list->setColumnWidth(2, 150);
    m_list->setColumnWidth(4, 110);
    m_list->setColumnWidth(5, 90);
    m_list->setColumnWidth(6, 90);
    m_list->setColumnWidth(7, 150);
    layout->addWidget(m_list, 1);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();
    layout->addWidget(m_empty, 1); // takes the list's place, so the filters stay under the top row
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { updateButtons(); });
    connect(m_org, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_box, &QComboBox::currentIndexChanged, this, [this] { reload(); });
}

ReferralsPage::~ReferralsPage() = default;

bool ReferralsPage::setOrganization(const QString &organizationId)
{
    const int i = m_org->findData(organizationId);
    if (i < 0)
        return false;
    m_org->setCurrentIndex(i);
    return true;
}

void ReferralsPage::setInbox(bool inbox)
{
    m_box->setCurrentIndex(inbox ? 0 : 1);
}

void ReferralsPage::reload()
{
    m_list->clear();
    const bool inbox = m_box->currentData().toBool();
    ReferralRepository::Filter filter;
    filter.box = inbox ? ReferralRepository::Box::Inbox : ReferralRepository::Box::Outbox;
    filter.organizationId = m_org->currentData().toString();
    filter.partnerId = m_partner->currentData().toString();
    filter.text = m_search->text();
    if (const int status = m_status->currentData().toInt(); m_status->currentIndex() > 0 && status >= 0)
        filter.status = ReferralStatus(status);
    Result<QMap<ReferralStatus, qint64>> counts = m_repo->statusCounts(filter);
    Result<QList<Referral>> refs = m_repo->list(filter, kListLimit);
    if (!refs || !counts) {
        m_error->setText(refs ? counts.error() : refs.error());
        m_error->show();
        return;
    }
    const QLocale locale;
    const qint64 total = fillStatusCounts(m_status, deals::allReferralStatuses(), counts.value(), tr("All statuses"));
    const qint64 matching = filter.status ? counts->value(*filter.status) : total;
    m_count->setText(refs->size() < matching
                         ? tr("newest %1 of %2").arg(locale.toString(refs->size()), locale.toString(matching))
                         : tr("%n referral(s)", nullptr, int(std::min<qint64>(matching, INT_MAX))));
    const bool filtered = filter.status || !filter.partnerId.isEmpty() || !filter.text.trimmed().isEmpty();
    const QDateTime now = m_repo->now();
    for (const Referral &r : refs.value()) {
        const QString fee =
            r.fee == Referral::Fee::Flat
                ? formatMoney(r.feeFlatMinor, r.currency)
                : locale.toString(r.feePercentBp / 100.0, 'f', r.feePercentBp % 100 ? 2 : 0) + QStringLiteral(" %");
        auto *item =
            new QTreeWidgetItem(m_list, {r.account.name, r.fromName, r.toName, r.need,
                                         formatMoney(r.expectedMinor, r.currency), fee, deals::displayName(r.status),
                                         r.status == ReferralStatus::Sent ? shortTime(r.slaDueAt) : QString()});
        item->setData(0, Qt::UserRole, r.id);
        item->setData(0, Qt::UserRole + 1, int(r.status));
        item->setTextAlignment(4, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(5, Qt::AlignRight | Qt::AlignVCenter);
        if (r.status == ReferralStatus::Sent && r.slaDueAt.isValid()) {
            // Past the SLA: red; within two days of it: amber.
            if (r.slaDueAt < now) {
                item->setForeground(7, QColor(0xd3, 0x2f, 0x2f));
                item->setToolTip(7, tr("The answer is overdue"));
                item->setText(7, tr("%1 (overdue)").arg(item->text(7)));
            } else if (r.slaDueAt < now.addDays(2)) {
                item->setForeground(7, QColor(0xc2, 0x78, 0x03));
                item->setToolTip(7, tr("Answer due within two days"));
                item->setText(7, tr("%1 (due soon)").arg(item->text(7)));
            }
        }
    }
    m_list->setVisible(m_list->topLevelItemCount() > 0);
    m_empty->setText(filtered ? tr("No referral matches the filters.")
                     : inbox  ? tr("%1 has received no referrals.").arg(m_org->currentText())
                              : tr("%1 has sent no referrals.").arg(m_org->currentText()));
    m_empty->setVisible(m_list->topLevelItemCount() == 0);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButtons();
}

bool ReferralsPage::select(const QString &referralId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(0, Qt::UserRole).toString() == referralId) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    }
    return false;
}

QPushButton *ReferralsPage::button(Action action) const
{
    return m_buttons.value(int(action));
}

void ReferralsPage::updateButtons()
{
    QTreeWidgetItem *item = m_list->currentItem();
    const bool inbox = m_box->currentData().toBool();
    for (QPushButton *b : std::as_const(m_buttons))
        b->setEnabled(false);
    if (!item)
        return;
    const auto status = ReferralStatus(item->data(0, Qt::UserRole + 1).toInt());
    // The receiver answers; converting is open to either side once accepted.
    button(Action::Accept)->setEnabled(inbox && deals::checkTransition(status, ReferralStatus::Accepted).ok());
    button(Action::Decline)->setEnabled(inbox && deals::checkTransition(status, ReferralStatus::Declined).ok());
    button(Action::Convert)->setEnabled(deals::checkTransition(status, ReferralStatus::Converted).ok());
}

Status ReferralsPage::run(Action action, const QString &reason)
{
    QTreeWidgetItem *item = m_list->currentItem();
    Status s;
    if (!item) {
        s = Error{tr("No referral selected.")};
    } else if (!button(action)->isEnabled()) {
        s = Error{tr("This action is not allowed for the referral's status.")};
    } else {
        const QString id = item->data(0, Qt::UserRole).toString();
        switch (action) {
        case Action::Accept:
            s = m_repo->accept(id);
            break;
        case Action::Decline:
            s = m_repo->decline(id, reason);
            break;
        case Action::Convert: {
            Result<DealRoom> room = m_repo->convert(id, QStringLiteral("ecotone"));
            if (!room)
                s = Error{room.error()};
            else
                Q_EMIT roomsChanged();
            break;
        }
        }
    }
    m_error->setText(s ? QString() : s.error());
    m_error->setVisible(!s);
    if (s) {
        const QString id = item->data(0, Qt::UserRole).toString();
        reload();
        select(id);
    }
    return s;
}

} // namespace ecotone::ui
