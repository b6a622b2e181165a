#pragma once

#include "mapping/PopulationRepository.h"
#include "mapping/WorkspaceOverlap.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QToolButton;
class QPushButton;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui::mapping {

// Defines a custom population: a name and a filter (statuses, countries, industries, name contains, domain suffix).
class PopulationDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PopulationDialog(const CustomPopulation &population, QWidget *parent = nullptr);
    CustomPopulation population() const;
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *countriesEdit() const { return m_countries; }

private:
    void update();

    CustomPopulation m_population;
    QLineEdit *m_name;
    QList<QCheckBox *> m_statuses;
    QLineEdit *m_countries;
    QLineEdit *m_industries;
    QLineEdit *m_nameContains;
    QLineEdit *m_domainSuffix;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

// The terms under which one partner shares each population of its accounts with us, one row per population: level,
// fields, whether it is in force, and a revoke. Saving writes through AgreementRepository (journaled, with ledger
// entries); new or changed terms are in force only once both sides consent, which the dialog records on request.
class SharingDialog : public QDialog
{
    Q_OBJECT

public:
    SharingDialog(Workspace *workspace, const QString &partnerId, const QString &partnerName,
                  const QList<overlap::Population> &populations, QWidget *parent = nullptr);

    QComboBox *levelBox(const QString &population) const;
    QCheckBox *consentBox() const { return m_consent; }
    bool changed() const { return m_changed; } // something was written (saved or revoked)

    // Writes the rows; returns the first error (earlier rows stay written: each is its own transaction).
    Status save();

private:
    struct Row
    {
        QString population;
        std::optional<SharingAgreement> agreement;
        QComboBox *level = nullptr;
        QToolButton *fields = nullptr;
        QLabel *state = nullptr;
        QPushButton *revoke = nullptr;
    };
    void load();
    void refreshRow(Row &row);
    QStringList checkedFields(const Row &row) const;
    void revoke(Row &row);

    Workspace *m_workspace;
    QString m_partnerId;
    QString m_actor;
    QList<Row> m_rows;
    QCheckBox *m_consent;
    QLabel *m_error;
    bool m_changed = false;
};

} // namespace ecotone::ui::mapping
