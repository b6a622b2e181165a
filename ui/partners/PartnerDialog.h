#pragma once

#include "domain/Organization.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace ecotone::ui {

// Create or edit a partner. Validation uses the same rules the repository enforces, shown next to the form
// as the user types; OK stays disabled while the record could not be saved.
class PartnerDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PartnerDialog(const Organization &org, QWidget *parent = nullptr);

    Organization organization() const; // the edited record, website normalized
    QStringList problems() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *websiteEdit() const { return m_website; }

public Q_SLOTS:
    void accept() override;

private:
    void validate();
    QListWidget *checkList(const QStringList &items, const QStringList &checked, const QString &accessibleName);

    Organization m_original;
    QLineEdit *m_name;
    QMap<PartnerType, QCheckBox *> m_types;
    QComboBox *m_tier;
    QComboBox *m_status;
    QLineEdit *m_website;
    QLabel *m_domain;
    QListWidget *m_regions;
    QListWidget *m_industries;
    QLineEdit *m_capabilities;
    QPlainTextEdit *m_description;
    QDateEdit *m_joinDate;
    QLabel *m_problems;
    QDialogButtonBox *m_buttons;
};

} // namespace ecotone::ui
