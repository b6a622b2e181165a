#pragma once

#include "domain/Organization.h"
#include "marketplace/CollaborationRepository.h"
#include "marketplace/Listing.h"
#include "marketplace/PartnerFit.h"

#include <QDialog>
#include <QHash>
#include <QScrollArea>
#include <QWidget>

class QComboBox;
class QStringListModel;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QToolButton;
class QVBoxLayout;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

class EmptyState;

// Names of the workspace's organizations, read once per pane reload (the pages show names, the records hold ids).
struct OrgDirectory
{
    QList<Organization> all; // vendor first, then partners by name
    QHash<QString, int> byId;
    QString vendorId;

    const Organization *find(const QString &id) const;
    QString name(const QString &id) const;
};

// One listing in full: title, partner, kind, description, every facet, pricing, clouds, certifications, contact,
// the listings it integrates with or bundles, and the actions (favourite, compare, the three collaboration
// requests, partner fit). Rebuilt for each listing.
class ListingDetailPage : public QScrollArea
{
    Q_OBJECT

public:
    ListingDetailPage(Workspace &workspace, const OrgDirectory &orgs, QWidget *parent = nullptr);

    // Returns the error message ('' when shown).
    QString showListing(const QString &id);
    QString listingId() const { return m_listing.id; }
    const Listing &listing() const { return m_listing; }
    void setFavourite(bool favourite);
    void setCompared(bool compared, bool compareFull);
    // The organization the user acts as: requests go from it, and its own listings offer none.
    void setActingOrganization(const QString &id);

    QPushButton *favouriteButton() const { return m_favourite; }
    QPushButton *compareButton() const { return m_compare; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *requestButton(CollaborationKind kind) const;
    QLabel *titleLabel() const { return m_title; }

Q_SIGNALS:
    void backRequested();
    void favouriteToggled(const QString &listingId);
    void compareToggled(const QString &listingId);
    void collaborationRequested(ecotone::CollaborationKind kind, const QString &listingId);
    void fitRequested(const QString &organizationId);
    void listingActivated(const QString &listingId);
    void editRequested(const QString &listingId); // the acting organization's own listing

private:
    void updateActions();

    Workspace &m_workspace;
    const OrgDirectory &m_orgs;
    Listing m_listing;
    QString m_acting;
    QPushButton *m_edit = nullptr;
    bool m_isFavourite = false;
    bool m_compared = false;
    bool m_compareFull = false;
    QLabel *m_title = nullptr;
    QPushButton *m_favourite = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_intro = nullptr;
    QPushButton *m_coSell = nullptr;
    QPushButton *m_refer = nullptr;
    QLabel *m_ownNote = nullptr;
};

// Up to three listings side by side, one column each, a row per field; every column can be opened or removed.
class ComparePage : public QWidget
{
    Q_OBJECT

public:
    ComparePage(Workspace &workspace, const OrgDirectory &orgs, QWidget *parent = nullptr);
    void setListings(const QStringList &ids);
    int columnCount() const { return int(m_shown.size()); }

Q_SIGNALS:
    void removeRequested(const QString &listingId);
    void openRequested(const QString &listingId);
    void clearRequested();
    void browseRequested();

private:
    Workspace &m_workspace;
    const OrgDirectory &m_orgs;
    QList<Listing> m_shown;
    QScrollArea *m_scroll;
    EmptyState *m_empty;
    QPushButton *m_clear;
};

// Complementary partners for a chosen organization, each with the sentence that explains it and actions.
class FitPage : public QWidget
{
    Q_OBJECT

public:
    FitPage(Workspace &workspace, PartnerFit &fit, const OrgDirectory &orgs, QWidget *parent = nullptr);
    void reloadOrganizations();
    bool setOrganization(const QString &id);
    QString organizationId() const;
    void refresh();
    const QList<FitSuggestion> &suggestions() const { return m_suggestions; }
    QComboBox *organizationPicker() const { return m_org; }
    // Partners for one of the organization's accounts instead (empty: for the organization). The search field
    // completes the organization's account names.
    void setAccount(const QString &accountId, const QString &label = {});
    QString accountId() const { return m_accountId; }
    QLineEdit *accountSearch() const { return m_account; }

Q_SIGNALS:
    void introductionRequested(const QString &fromOrg, const QString &toOrg);
    void listingsRequested(const QString &organizationId, const QString &name);

protected:
    void showEvent(QShowEvent *event) override;

private:
    Workspace &m_workspace;
    PartnerFit &m_fit;
    const OrgDirectory &m_orgs;
    QList<FitSuggestion> m_suggestions;
    bool m_stale = true; // suggestions are computed when the page is shown (the first reads every customer account)
    QComboBox *m_org;
    QLineEdit *m_account;
    QStringListModel *m_accountMatches;
    QHash<QString, QString> m_accountIds; // completion text -> account id
    QString m_accountId;
    QString m_accountLabel;
    QLabel *m_status;
    QScrollArea *m_scroll;
};

// The acting organization's collaboration requests: received (to accept or decline) and sent. Accepting a
// co-sell opens a deal room (CollaborationRepository); accepting a referral records it as a referral
// (ReferralRepository, accepted) and links it, so it shows on the Referrals page.
class RequestsPage : public QWidget
{
    Q_OBJECT

public:
    RequestsPage(Workspace &workspace, CollaborationRepository &requests, const OrgDirectory &orgs,
                 QWidget *parent = nullptr);
    void setOrganization(const QString &id);
    void setShowSent(bool sent);
    void refresh();
    QTableWidget *table() const { return m_table; }
    int pendingCount() const { return m_pending; }
    // Answer the request (the buttons come here; the decline button asks for the reason first).
    QString accept(const QString &id);
    QString decline(const QString &id, const QString &reason);
    QString selectedId() const;

Q_SIGNALS:
    void changed(); // a request was answered
    void dealRoomOpened(const QString &roomId);
    void message(const QString &text, bool error);
    void listingActivated(const QString &listingId);

private:
    void updateButtons();

    Workspace &m_workspace;
    CollaborationRepository &m_requests;
    const OrgDirectory &m_orgs;
    QString m_org;
    bool m_sent = false;
    int m_pending = 0;
    QList<CollaborationRequest> m_rows;
    QToolButton *m_incomingButton;
    QToolButton *m_sentButton;
    QTableWidget *m_table;
    EmptyState *m_empty;
    QPushButton *m_accept;
    QPushButton *m_decline;
};

// Writes one collaboration request (introduction, co-sell proposal or referral) from the acting organization to a
// listing's or partner's organization. Stays open with the problem shown when the repository refuses it.
class CollaborationDialog : public QDialog
{
    Q_OBJECT

public:
    CollaborationDialog(CollaborationRepository &requests, CollaborationRequest draft, const QString &fromName,
                        const QString &toName, const QString &listingTitle, QWidget *parent = nullptr);

    void setKind(CollaborationKind kind);
    QLineEdit *accountField() const { return m_account; }
    QLineEdit *websiteField() const { return m_website; }
    QPlainTextEdit *messageField() const { return m_message; }
    QLabel *errorLabel() const { return m_error; }
    const CollaborationRequest &request() const { return m_request; } // with id once sent

    void accept() override;

private:
    void updateFields();

    CollaborationRepository &m_requests;
    CollaborationRequest m_request;
    QString m_toName;
    QComboBox *m_kind;
    QLabel *m_intro;
    QLineEdit *m_account;
    QLineEdit *m_website;
    QPlainTextEdit *m_message;
    QLabel *m_error;
};

QString collaborationKindName(CollaborationKind kind);

} // namespace ecotone::ui
