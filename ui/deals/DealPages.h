#pragma once

#include "deals/DealTypes.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTimer;
class QPushButton;
class QTreeWidget;

namespace ecotone {
class Workspace;
class RegistrationRepository;
class ReferralRepository;
} // namespace ecotone

namespace ecotone::ui {

// Deal registrations for the vendor's review: list with status, the selected one's conflicts with their evidence,
// the actions its state allows (the others are disabled, from deals::registrationTransitions()), and the
// approvals whose protection ends within 14 days.
class RegistrationsPage : public QWidget
{
    Q_OBJECT

public:
    enum class Action
    {
        Review,
        Approve,
        Reject,
        Return,
        Extend,
    };

    explicit RegistrationsPage(Workspace &workspace, QWidget *parent = nullptr);
    ~RegistrationsPage() override;

    // Partners see their own organization's registrations and cannot decide; vendor admins see and decide all.
    void setViewer(const QString &organizationId, bool decides);
    void reload();
    bool select(const QString &registrationId);
    QString selectedId() const;
    QPushButton *button(Action action) const;
    // What the buttons do, without the reason dialogs (tests). reason: rejection/return reason or extension days.
    Status run(Action action, const QString &reason = {});
    QTreeWidget *list() const { return m_list; }
    QListWidget *expiringList() const { return m_expiring; }
    QString conflictText() const;
    // Filters (status with counts, partner, text in account name or website), applied in SQL.
    QLineEdit *searchField() const { return m_search; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *partnerFilter() const { return m_partner; }
    QLabel *countLabel() const { return m_count; }

Q_SIGNALS:
    void roomsChanged(); // an approval made a room

private:
    void updateDetail();

    Workspace &m_workspace;
    std::unique_ptr<RegistrationRepository> m_repo;
    QString m_organizationId;
    bool m_decides = true;
    QLineEdit *m_search = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_partner = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_typing = nullptr;
    QTreeWidget *m_list = nullptr;
    QLabel *m_detail = nullptr;
    QLabel *m_conflicts = nullptr;
    QLabel *m_error = nullptr;
    QList<QPushButton *> m_buttons;
    QListWidget *m_expiring = nullptr;
};

// Referrals between organizations: one organization's inbox or outbox, accept / decline (reason) / convert per
// deals::referralTransitions(), with referrals whose SLA is close or past highlighted.
class ReferralsPage : public QWidget
{
    Q_OBJECT

public:
    enum class Action
    {
        Accept,
        Decline,
        Convert,
    };

    explicit ReferralsPage(Workspace &workspace, QWidget *parent = nullptr);
    ~ReferralsPage() override;

    void reload();
    bool setOrganization(const QString &organizationId);
    void setInbox(bool inbox);
    bool select(const QString &referralId);
    QPushButton *button(Action action) const;
    Status run(Action action, const QString &reason = {});
    QTreeWidget *list() const { return m_list; }
    // Filters (status with counts, the partner on the other side, text in account, website or need), in SQL.
    QLineEdit *searchField() const { return m_search; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *partnerFilter() const { return m_partner; }
    QLabel *countLabel() const { return m_count; }

Q_SIGNALS:
    void roomsChanged();

private:
    void updateButtons();

    Workspace &m_workspace;
    std::unique_ptr<ReferralRepository> m_repo;
    QComboBox *m_org = nullptr;
    QComboBox *m_box = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_partner = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_typing = nullptr;
    QTreeWidget *m_list = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_empty = nullptr;
    QList<QPushButton *> m_buttons;
};

} // namespace ecotone::ui
