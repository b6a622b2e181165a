#pragma once

#include "marketplace/Listing.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QStringListModel;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

// Creates or edits one organization's listing: every field of a Listing, the logo from a file, the listings an
// integration connects to or a bundle combines (found by title), and Published or Draft. Saving validates the
// record (listing::validate and the repository's own checks) and writes it, journaled; a problem is shown and
// nothing is written.
class ListingEditorDialog : public QDialog
{
    Q_OBJECT

public:
    // A new listing of organizationId when listing.id is empty, otherwise an edit of that listing.
    ListingEditorDialog(Workspace &workspace, const Listing &listing, QWidget *parent = nullptr);

    // What the fields say now, as a record (id, organization, logo and linked listings included).
    Listing listing() const;
    // Validates and writes; on success the dialog is accepted and saved() gives the stored record. Returns the
    // problem otherwise ('' on success).
    QString save();
    const Listing &saved() const { return m_saved; }
    // Sets the logo from image bytes (what "Choose…" does with a file); returns the problem or ''.
    QString setLogo(const QByteArray &bytes);
    // Adds a listing by id to the integrations or bundle list (what choosing a search result does).
    void addLinked(const QString &listingId, const QString &label);

    QLineEdit *titleField() const { return m_title; }
    QLineEdit *summaryField() const { return m_summary; }
    QPlainTextEdit *descriptionField() const { return m_description; }
    QComboBox *kindBox() const { return m_kind; }
    QCheckBox *publishedBox() const { return m_published; }
    QListWidget *regionsList() const { return m_regions; }
    QListWidget *industriesList() const { return m_industries; }
    QLabel *problemLabel() const { return m_problem; }

private:
    void updateLinkedLabel();
    QStringList checked(const QListWidget *list) const;

    Workspace &m_workspace;
    Listing m_original;
    Listing m_saved;
    QComboBox *m_kind;
    QLineEdit *m_title;
    QLineEdit *m_summary;
    QPlainTextEdit *m_description;
    QLineEdit *m_categories;
    QListWidget *m_industries;
    QListWidget *m_regions;
    QLineEdit *m_languages;
    QMap<QString, QCheckBox *> m_clouds;
    QLineEdit *m_certifications;
    QComboBox *m_pricing;
    QLineEdit *m_contact;
    QLabel *m_logoPreview;
    QByteArray m_logo;
    QLabel *m_linkedLabel;
    QLineEdit *m_linkSearch;
    QStringListModel *m_linkMatches;
    QMap<QString, QString> m_linkIds; // completion text -> listing id
    QListWidget *m_linked;
    QCheckBox *m_published;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace ecotone::ui
