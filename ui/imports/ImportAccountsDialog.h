#pragma once

#include "mapping/AccountImport.h"
#include "mapping/CsvPreview.h"
#include "mapping/OpportunityImport.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QMap>
#include <QPointer>

#include <atomic>
#include <memory>

class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QThread;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

// Imports one organization's CRM export of accounts or of opportunities: pick the file and the organization, check
// the preview of the first rows, map columns (detected for Salesforce and HubSpot exports, chosen by hand for any
// other CSV and remembered per column layout and kind of record), then import on a worker thread with progress and
// cancel. The import is all or nothing: a cancel or a bad row leaves the workspace as it was, and the problems are
// listed by file and line.
class ImportAccountsDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Records
    {
        Accounts,
        Opportunities,
    };

    // The field keys of CrmReadOptions::columns (accounts) or CrmOpportunityReadOptions::columns, in the order the
    // dialog shows them.
    static QStringList fieldKeys(Records records = Records::Accounts);

    explicit ImportAccountsDialog(Workspace &workspace, QWidget *parent = nullptr);
    ~ImportAccountsDialog() override;

    void setFile(const QString &path);
    void setOrganization(const QString &organizationId);
    QString organizationId() const;
    // Accounts or opportunities; detected from the file's columns until the user picks one.
    void setRecords(Records records);
    Records records() const;
    // ISO code for opportunity amounts that name no currency; empty: every amount must name one.
    void setDefaultCurrency(const QString &isoCode);
    QMap<QString, QString> columns() const; // field key -> header, only mapped fields
    void setColumn(const QString &field, const QString &header);
    bool isRunning() const { return m_worker != nullptr; }

    // Starts the import (what the Import button does) and cancels it (what Cancel does while it runs).
    void startImport();
    void cancelImport();

Q_SIGNALS:
    // After a successful import, so views over the workspace can refresh.
    void imported(const QString &organizationId, const ecotone::AccountImportReport &report);
    void opportunitiesImported(const QString &organizationId, const ecotone::OpportunityImportReport &report);
    // After every run, successful, failed or cancelled.
    void runFinished(bool ok);

protected:
    void reject() override;

private:
    struct RunResult
    {
        QString error; // empty on success
        AccountImportReport accounts;
        OpportunityImportReport opportunities;
    };

    void browse();
    void rebuildColumnBoxes();
    void applySuggestedMapping();
    void loadPreview();
    void fillPreviewModel();
    void applyMapping(const QMap<QString, QString> &mapping);
    void updateHeaders();
    void validate();
    void setRunning(bool running);
    void showProgress(qint64 done, qint64 total);
    void finishRun(const RunResult &result);
    QString layoutKey() const;
    void rememberMapping();
    QMap<QString, QString> rememberedMapping() const;

    Workspace &m_workspace;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QComboBox *m_organization;
    QComboBox *m_source;
    QComboBox *m_records;
    QLabel *m_currencyLabel;
    QComboBox *m_currency;
    QGroupBox *m_columnsBox;
    QGridLayout *m_columnsGrid;
    QLabel *m_format;
    QMap<QString, QComboBox *> m_columnBoxes;
    QStandardItemModel *m_previewModel;
    QTableView *m_preview;
    QLabel *m_problem;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPlainTextEdit *m_details;
    QDialogButtonBox *m_buttons;
    QPushButton *m_importButton;

    QString m_csvPath;
    QString m_loadError;
    std::optional<CsvPreview> m_csv;
    QThread *m_worker = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QElapsedTimer m_clock;
    bool m_closeWhenStopped = false;
    bool m_recordsChosen = false; // by the user or setRecords: the file's columns no longer decide
};

} // namespace ecotone::ui
