#include "ImportAccountsDialog.h"

#include "mapping/CrmOpportunities.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
using Records = ImportAccountsDialog::Records;

QString settingsGroup(Records records)
{
    return records == Records::Opportunities ? QStringLiteral("imports/opportunityColumns")
                                             : QStringLiteral("imports/accountColumns");
}

QString fieldLabel(const QString &field, Records records)
{
    if (records == Records::Opportunities && field == QLatin1String("id"))
        return ImportAccountsDialog::tr("Opportunity ID");
    if (records == Records::Opportunities && field == QLatin1String("name"))
        return ImportAccountsDialog::tr("Opportunity name");
    static const std::pair<const char *, const char *> opportunityLabels[] = {
        {"account_id", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Account ID")},
        {"account_name", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Account name")},
        {"stage", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Stage")},
        {"amount", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Amount")},
        {"currency", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Currency")},
        {"close_date", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Close date")},
        {"owner", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Owner")},
        {"is_won", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Won (yes/no)")},
        {"is_closed", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Closed (yes/no)")},
        {"pipeline", QT_TRANSLATE_NOOP("ecotone::ui::ImportAccountsDialog", "Pipeline")},
    };
    for (const auto &[key, label] : opportunityLabels) {
        if (field == QLatin1String(key))
            return ImportAccountsDialog::tr(label);
    }
    if (field == QLatin1String("id"))
        return ImportAccountsDialog::tr("CRM ID");
    if (field == QLatin1String("name"))
        return ImportAccountsDialog::tr("Company name");
    if (field == QLatin1String("website"))
        return ImportAccountsDialog::tr("Website");
    if (field == QLatin1String("country"))
        return ImportAccountsDialog::tr("Country");
    return ImportAccountsDialog::tr("Type / lifecycle stage");
}

QString fieldHint(const QString &field)
{
    if (field == QLatin1String("id"))
        return ImportAccountsDialog::tr("Re-imports update accounts by this id instead of adding them again.");
    if (field == QLatin1String("status"))
        return ImportAccountsDialog::tr("Sorts accounts into customers, opportunities and prospects.");
    if (field == QLatin1String("account_id"))
        return ImportAccountsDialog::tr("Links each opportunity to the organization's account with this CRM id.");
    if (field == QLatin1String("stage"))
        return ImportAccountsDialog::tr("Closed Won / Closed Lost and the like decide whether a deal is open.");
    return {};
}
} // namespace

QStringList ImportAccountsDialog::fieldKeys(Records records)
{
    return records == Records::Opportunities ? crmopportunities::fieldKeys() : crmaccounts::fieldKeys();
}

ImportAccountsDialog::ImportAccountsDialog(Workspace &workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_file(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_organization(new QComboBox(this))
    , m_source(new QComboBox(this))
    , m_records(new QComboBox(this))
    , m_currencyLabel(new QLabel(tr("Default &currency:"), this))
    , m_currency(new QComboBox(this))
    , m_columnsBox(new QGroupBox(tr("Columns"), this))
    , m_columnsGrid(new QGridLayout(m_columnsBox))
    , m_format(new QLabel(this))
    , m_previewModel(new QStandardItemModel(this))
    , m_preview(new QTableView(this))
    , m_problem(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_details(new QPlainTextEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_importButton(m_buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole))
{
    setWindowTitle(tr("Import CRM Accounts"));
    setObjectName(QStringLiteral("importAccountsDialog"));

    m_file->setPlaceholderText(tr("A CSV export from Salesforce, HubSpot or any CRM"));
    m_file->setAccessibleName(tr("File to import"));
    m_browse->setAccessibleName(tr("Choose the file to import"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);

    m_organization->setEditable(true);
    m_organization->setInsertPolicy(QComboBox::NoInsert);
    m_organization->completer()->setFilterMode(Qt::MatchContains);
    m_organization->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_organization->setAccessibleName(tr("Organization whose accounts these are"));
    if (auto orgs = OrganizationRepository(m_workspace).all()) {
        for (const Organization &org : orgs.value()) {
            const QString label =
                org.kind == OrganizationKind::Vendor ? tr("%1 (vendor — our own CRM)").arg(org.name) : org.name;
            m_organization->addItem(label, org.id);
        }
    }

    m_source->addItem(tr("Detect from the columns"), QString());
    m_source->addItem(tr("Salesforce"), QStringLiteral("salesforce"));
    m_source->addItem(tr("HubSpot"), QStringLiteral("hubspot"));
    m_source->addItem(tr("Other CSV"), QStringLiteral("csv"));
    m_source->setAccessibleName(tr("CRM the file comes from"));

    m_records->setObjectName(QStringLiteral("records"));
    m_records->addItem(tr("Accounts (companies)"), int(Records::Accounts));
    m_records->addItem(tr("Opportunities (deals)"), int(Records::Opportunities));
    m_records->setAccessibleName(tr("Kind of records in the file"));
    m_records->setToolTip(tr("Detected from the columns; choose another if the guess is wrong."));

    // Only for amounts that name no currency themselves: no currency column, no symbol or code in the cell.
    m_currency->setObjectName(QStringLiteral("defaultCurrency"));
    m_currency->setAccessibleName(tr("Currency of amounts that name none"));
    m_currency->addItem(tr("— every amount names its currency —"), QString());
    for (const char *code : {"USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK",
                             "PLN", "INR", "BRL", "MXN", "SGD", "CNY", "KRW", "ZAR", "NZD", "HKD"})
        m_currency->addItem(QLatin1String(code), QLatin1String(code));
    m_currencyLabel->setBuddy(m_currency);
    setDefaultCurrency(QLocale::system().currencySymbol(QLocale::CurrencyIsoCode));

    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    form->addRow(tr("&Organization:"), m_organization);
    form->addRow(tr("&Records:"), m_records);
    form->addRow(tr("&Source:"), m_source);
    form->addRow(m_currencyLabel, m_currency);

    m_columnsGrid->setColumnStretch(1, 1);
    m_columnsGrid->setColumnStretch(3, 1);
    m_columnsGrid->setColumnStretch(5, 1);
    rebuildColumnBoxes();

    m_format->setForegroundRole(QPalette::PlaceholderText);
    m_format->setWordWrap(true);
    m_format->setAccessibleName(tr("File format"));

    m_preview->setModel(m_previewModel);
    m_preview->setAccessibleName(tr("Preview of the first rows"));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    m_preview->setWordWrap(false);
    m_preview->setAlternatingRowColors(true);
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 8);
    m_preview->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_preview->setMinimumHeight(180);
    m_preview->setFocusPolicy(Qt::NoFocus); // a read-only sample; scroll bars and the wheel still work

    m_problem->setWordWrap(true);
    m_problem->setAccessibleName(tr("Problems"));
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_problem->setPalette(problemPalette);

    m_progress->setAccessibleName(tr("Import progress"));
    m_progress->setTextVisible(true);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Import status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("Rows that could not be imported"));
    m_details->setMaximumHeight(140);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_progress->hide();
    m_details->hide();

    m_importButton->setDefault(true);
    m_importButton->setAccessibleName(tr("Import"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_columnsBox);
    layout->addWidget(m_format);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_details);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &ImportAccountsDialog::browse);
    connect(m_file, &QLineEdit::editingFinished, this, &ImportAccountsDialog::loadPreview);
    connect(m_organization, &QComboBox::currentIndexChanged, this, &ImportAccountsDialog::validate);
    connect(m_records, &QComboBox::activated, this, [this] { m_recordsChosen = true; });
    connect(m_records, &QComboBox::currentIndexChanged, this, [this] {
        rebuildColumnBoxes();
        applySuggestedMapping();
        validate();
    });
    connect(m_importButton, &QPushButton::clicked, this, &ImportAccountsDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportAccountsDialog::reject);

    resize(860, 620);
    loadPreview();
}

ImportAccountsDialog::~ImportAccountsDialog()
{
    // ~QDialog hides the window, which takes focus from the file field and would re-read the file into members
    // that are already gone.
    disconnect(m_file, nullptr, this, nullptr);
    if (m_worker) {
        m_cancel->store(true);
        m_worker->wait();
    }
}

// One combo per field of the current kind of record, three to a row.
void ImportAccountsDialog::rebuildColumnBoxes()
{
    const Records kind = records();
    setWindowTitle(kind == Records::Opportunities ? tr("Import CRM Opportunities") : tr("Import CRM Accounts"));
    m_currencyLabel->setVisible(kind == Records::Opportunities);
    m_currency->setVisible(kind == Records::Opportunities);
    while (QLayoutItem *item = m_columnsGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_columnBoxes.clear();
    int row = 0;
    for (const QString &field : fieldKeys(kind)) {
        auto *box = new QComboBox(m_columnsBox);
        box->setObjectName(QStringLiteral("column_") + field);
        box->setAccessibleName(tr("Column for %1").arg(fieldLabel(field, records())));
        box->setToolTip(fieldHint(field));
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(16);
        box->addItem(tr("— not imported —"), QString());
        if (m_csv) {
            for (const QString &header : std::as_const(m_csv->headers))
                box->addItem(header, header);
        }
        box->setEnabled(m_csv.has_value() && !m_worker);
        auto *label = new QLabel(fieldLabel(field, records()) + QLatin1Char(':'), m_columnsBox);
        label->setBuddy(box);
        m_columnsGrid->addWidget(label, row / 3, (row % 3) * 2);
        m_columnsGrid->addWidget(box, row / 3, (row % 3) * 2 + 1);
        m_columnBoxes.insert(field, box);
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            updateHeaders();
            validate();
        });
        ++row;
    }
}

// The columns detected for the current kind of record, overridden by the ones remembered for this layout.
void ImportAccountsDialog::applySuggestedMapping()
{
    if (!m_csv) {
        updateHeaders();
        return;
    }
    const bool deals = records() == Records::Opportunities;
    const QString detected = deals ? m_csv->detectedOpportunitySource : m_csv->detectedSource;
    const int source = m_source->findData(detected);
    m_source->setCurrentIndex(source < 0 ? 0 : source);
    QMap<QString, QString> mapping = deals ? m_csv->suggestedOpportunityColumns : m_csv->suggestedColumns;
    const QMap<QString, QString> remembered = rememberedMapping();
    for (auto it = remembered.cbegin(); it != remembered.cend(); ++it)
        mapping.insert(it.key(), it.value());
    applyMapping(mapping);
}

void ImportAccountsDialog::setRecords(Records kind)
{
    m_recordsChosen = true;
    m_records->setCurrentIndex(m_records->findData(int(kind)));
}

ImportAccountsDialog::Records ImportAccountsDialog::records() const
{
    return Records(m_records->currentData().toInt());
}

void ImportAccountsDialog::setDefaultCurrency(const QString &isoCode)
{
    int index = m_currency->findData(isoCode.toUpper());
    if (index < 0 && isoCode.size() == 3) {
        m_currency->addItem(isoCode.toUpper(), isoCode.toUpper());
        index = m_currency->count() - 1;
    }
    m_currency->setCurrentIndex(index < 0 ? 0 : index);
}

void ImportAccountsDialog::setFile(const QString &path)
{
    m_file->setText(QDir::toNativeSeparators(path));
    loadPreview();
}

void ImportAccountsDialog::setOrganization(const QString &organizationId)
{
    const int index = m_organization->findData(organizationId);
    if (index >= 0)
        m_organization->setCurrentIndex(index);
}

QString ImportAccountsDialog::organizationId() const
{
    // An edited text that names no organization selects none.
    const int index = m_organization->findText(m_organization->currentText(), Qt::MatchFixedString);
    return index < 0 ? QString() : m_organization->itemData(index).toString();
}

QMap<QString, QString> ImportAccountsDialog::columns() const
{
    QMap<QString, QString> mapping;
    for (auto it = m_columnBoxes.cbegin(); it != m_columnBoxes.cend(); ++it) {
        const QString header = it.value()->currentData().toString();
        if (!header.isEmpty())
            mapping.insert(it.key(), header);
    }
    return mapping;
}

void ImportAccountsDialog::setColumn(const QString &field, const QString &header)
{
    if (QComboBox *box = m_columnBoxes.value(field)) {
        const int index = box->findData(header);
        box->setCurrentIndex(index < 0 ? 0 : index);
    }
}

void ImportAccountsDialog::browse()
{
    QSettings settings;
    const QString start = m_file->text().isEmpty() ? settings.value(QStringLiteral("imports/lastDirectory")).toString()
                                                   : QFileInfo(m_file->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Import CRM Accounts"), start,
                                                      tr("CSV files (*.csv *.txt *.tsv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("imports/lastDirectory"), QFileInfo(path).absolutePath());
    setFile(path);
}

void ImportAccountsDialog::loadPreview()
{
    const QString path = QDir::fromNativeSeparators(m_file->text().trimmed());
    if (path == m_csvPath && (m_csv || !m_loadError.isEmpty()))
        return;
    m_csv.reset();
    m_csvPath = path;
    m_loadError.clear();
    m_details->hide();
    m_status->clear();
    if (!path.isEmpty()) {
        auto preview = csvpreview::read(path);
        if (preview)
            m_csv = preview.value();
        else
            m_loadError = preview.error();
    }
    fillPreviewModel();
    if (m_csv) {
        if (!m_recordsChosen) {
            // What was imported from this column layout before, else what the columns look like.
            const QString remembered =
                QSettings().value(QStringLiteral("imports/recordsByLayout/") + layoutKey()).toString();
            const bool deals =
                remembered.isEmpty() ? m_csv->looksLikeOpportunities : remembered == QLatin1String("opportunities");
            const QSignalBlocker blocker(m_records);
            m_records->setCurrentIndex(m_records->findData(int(deals ? Records::Opportunities : Records::Accounts)));
            rebuildColumnBoxes();
        }
        applySuggestedMapping();
        const QString detected =
            records() == Records::Opportunities ? m_csv->detectedOpportunitySource : m_csv->detectedSource;
        const QString delimiter = m_csv->delimiter == QLatin1Char('\t')  ? tr("tab-separated")
                                  : m_csv->delimiter == QLatin1Char(';') ? tr("semicolon-separated")
                                  : m_csv->delimiter == QLatin1Char('|') ? tr("pipe-separated")
                                                                         : tr("comma-separated");
        const QString kind = detected == QLatin1String("salesforce") ? tr("Salesforce export")
                             : detected == QLatin1String("hubspot")  ? tr("HubSpot export")
                                                                     : tr("CSV file");
        const QString shown = m_csv->rows.size() == 1
                                  ? tr("first row shown")
                                  : tr("first %1 rows shown").arg(QLocale().toString(m_csv->rows.size()));
        m_format->setText(tr("%1 · %2 · %3 · %4 columns · %5")
                              .arg(kind, m_csv->encoding, delimiter, QLocale().toString(m_csv->headers.size()), shown));
    } else {
        m_format->setText(path.isEmpty() ? tr("Choose a file to see its first rows here.") : QString());
    }
    validate();
}

void ImportAccountsDialog::fillPreviewModel()
{
    m_previewModel->clear();
    for (const auto &[field, box] : m_columnBoxes.asKeyValueRange()) {
        const QSignalBlocker blocker(box);
        box->clear();
        box->addItem(tr("— not imported —"), QString());
        if (m_csv) {
            for (const QString &header : std::as_const(m_csv->headers))
                box->addItem(header, header);
        }
        box->setEnabled(m_csv.has_value());
    }
    if (!m_csv)
        return;
    m_previewModel->setColumnCount(int(m_csv->headers.size()));
    for (const QStringList &cells : std::as_const(m_csv->rows)) {
        QList<QStandardItem *> items;
        for (qsizetype c = 0; c < m_csv->headers.size(); ++c) {
            auto *item = new QStandardItem(c < cells.size() ? cells.at(c).simplified() : QString());
            item->setToolTip(c < cells.size() ? cells.at(c) : QString());
            items << item;
        }
        m_previewModel->appendRow(items);
    }
    updateHeaders();
}

void ImportAccountsDialog::applyMapping(const QMap<QString, QString> &mapping)
{
    for (const QString &field : fieldKeys(records())) {
        QComboBox *box = m_columnBoxes.value(field);
        const QSignalBlocker blocker(box);
        const int index = box->findData(mapping.value(field));
        box->setCurrentIndex(index < 0 ? 0 : index);
    }
    updateHeaders();
}

// Mapped columns get their field's name under the header and a bold face; unmapped ones stay plain, so what will
// be imported is visible at a glance.
void ImportAccountsDialog::updateHeaders()
{
    if (!m_csv)
        return;
    const QMap<QString, QString> mapping = columns();
    QFont bold = m_preview->font();
    bold.setBold(true);
    for (qsizetype c = 0; c < m_csv->headers.size(); ++c) {
        const QString header = m_csv->headers.at(c);
        const QString field = mapping.key(header);
        // "Website → Website" says nothing twice: the arrow only names a field the header does not.
        const bool sameName =
            !field.isEmpty() && header.compare(fieldLabel(field, records()), Qt::CaseInsensitive) == 0;
        auto *item = new QStandardItem(
            field.isEmpty() || sameName ? header : header + QStringLiteral("\n→ ") + fieldLabel(field, records()));
        if (!field.isEmpty())
            item->setFont(bold);
        item->setToolTip(field.isEmpty() ? tr("Not imported") : tr("Imported as %1").arg(fieldLabel(field, records())));
        m_previewModel->setHorizontalHeaderItem(int(c), item);
    }
    m_preview->resizeColumnsToContents();
    for (int c = 0; c < m_previewModel->columnCount(); ++c)
        m_preview->setColumnWidth(c, std::min(m_preview->columnWidth(c), 260));
}

void ImportAccountsDialog::validate()
{
    QString problem;
    const QMap<QString, QString> mapping = columns();
    if (!m_csv) {
        problem = m_loadError;
    } else if (records() == Records::Opportunities && !mapping.contains(QStringLiteral("id"))) {
        problem = tr("Choose the column with each opportunity's CRM ID: a re-import updates opportunities by it.");
    } else if (records() == Records::Opportunities && !mapping.contains(QStringLiteral("name"))) {
        problem = tr("Choose the column with the opportunity name.");
    } else if (!mapping.contains(QStringLiteral("id"))) {
        problem = tr("Choose the column with each account's CRM ID: a re-import updates accounts by it.");
    } else if (records() == Records::Accounts && !mapping.contains(QStringLiteral("name")) &&
               !mapping.contains(QStringLiteral("website"))) {
        problem = tr("Choose the column with the company name or the website: accounts are matched by them.");
    } else if (organizationId().isEmpty()) {
        problem = tr("Choose the organization whose CRM this export comes from.");
    } else {
        QStringList twice;
        for (auto it = mapping.cbegin(); it != mapping.cend(); ++it) {
            if (mapping.keys(it.value()).size() > 1 && !twice.contains(it.value()))
                twice << it.value();
        }
        if (!twice.isEmpty())
            problem =
                tr("Each column can be imported as one field only: “%1”.").arg(twice.join(QStringLiteral("”, “")));
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_importButton->setEnabled(m_csv && problem.isEmpty() && !m_worker);
}

void ImportAccountsDialog::startImport()
{
    validate();
    if (!m_importButton->isEnabled())
        return;
    const Records kind = records();
    QString crmSource = m_source->currentData().toString();
    if (crmSource.isEmpty())
        crmSource = kind == Records::Opportunities ? m_csv->detectedOpportunitySource : m_csv->detectedSource;
    const QMap<QString, QString> mapping = columns();
    const QString defaultCurrency = m_currency->currentData().toString();
    const QString ownerId = organizationId();
    const QString path = m_csvPath;
    const QString workspacePath = m_workspace.path();

    m_cancel = std::make_shared<std::atomic_bool>(false);
    QPointer<ImportAccountsDialog> self(this);
    auto progress = [self, cancel = m_cancel](qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            qApp,
            [self, done, total] {
                if (self)
                    self->showProgress(done, total);
            },
            Qt::QueuedConnection);
        return !cancel->load();
    };
    // The import writes on a connection of its own; the window's connection keeps reading meanwhile (WAL).
    m_worker =
        QThread::create([self, kind, crmSource, mapping, defaultCurrency, ownerId, path, workspacePath, progress] {
            RunResult run;
            if (auto workspace = Workspace::open(workspacePath); !workspace) {
                run.error = workspace.error();
            } else if (kind == Records::Opportunities) {
                OpportunityImportOptions options;
                options.columns = mapping;
                options.crmSource = crmSource;
                options.defaultCurrency = defaultCurrency;
                options.progress = progress;
                auto report = importOpportunities(*workspace.value(), ownerId, path, options);
                if (report)
                    run.opportunities = report.value();
                else
                    run.error = report.error();
            } else {
                AccountImportOptions options;
                options.columns = mapping;
                options.crmSource = crmSource;
                options.progress = progress;
                auto report = importAccounts(*workspace.value(), ownerId, path, options);
                if (report)
                    run.accounts = report.value();
                else
                    run.error = report.error();
            }
            QMetaObject::invokeMethod(
                qApp,
                [self, run] {
                    if (self)
                        self->finishRun(run);
                },
                Qt::QueuedConnection);
        });
    connect(m_worker, &QThread::finished, m_worker, &QObject::deleteLater);
    m_clock.start();
    setRunning(true);
    m_status->setText(tr("Importing %1…").arg(QFileInfo(path).fileName()));
    m_worker->start();
}

void ImportAccountsDialog::cancelImport()
{
    if (!m_worker)
        return;
    m_cancel->store(true);
    m_status->setText(tr("Cancelling… nothing will be changed."));
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
}

void ImportAccountsDialog::reject()
{
    if (m_worker) {
        cancelImport();
        return;
    }
    QDialog::reject();
}

void ImportAccountsDialog::setRunning(bool running)
{
    for (QWidget *w :
         {static_cast<QWidget *>(m_file), static_cast<QWidget *>(m_browse), static_cast<QWidget *>(m_organization),
          static_cast<QWidget *>(m_source), static_cast<QWidget *>(m_records), static_cast<QWidget *>(m_currency)})
        w->setEnabled(!running);
    for (QComboBox *box : std::as_const(m_columnBoxes))
        box->setEnabled(!running && m_csv);
    m_progress->setVisible(running || m_progress->isVisible());
    if (running) {
        m_progress->setRange(0, 0);
        m_details->hide();
        m_details->clear();
    }
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("Cancel Import") : tr("Close"));
    validate();
}

void ImportAccountsDialog::showProgress(qint64 done, qint64 total)
{
    if (!m_worker || total <= 0)
        return;
    // Bytes read, in per mille so files past 2 GB fit an int.
    m_progress->setRange(0, 1000);
    m_progress->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
    const QLocale locale;
    m_progress->setFormat(tr("%1 of %2").arg(locale.formattedDataSize(done), locale.formattedDataSize(total)));
}

void ImportAccountsDialog::finishRun(const RunResult &result)
{
    m_worker = nullptr;
    const double seconds = m_clock.elapsed() / 1000.0;
    const bool cancelled = m_cancel && m_cancel->load();
    setRunning(false);
    const QLocale locale;
    if (result.error.isEmpty()) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
        m_progress->setFormat(tr("Done"));
        const QString took =
            seconds < 1 ? tr("in under a second") : tr("in %1 s").arg(locale.toString(seconds, 'f', 1));
        rememberMapping();
        if (records() == Records::Opportunities) {
            const OpportunityImportReport &r = result.opportunities;
            // Unlinked deals keep the export's account name; say how many, as they are missing from account views.
            const QString links =
                r.unlinked == 0
                    ? tr("all linked to an account")
                    : tr("%1 linked to an account, %2 not (no account of %3 with that id or name)")
                          .arg(locale.toString(r.linked), locale.toString(r.unlinked), m_organization->currentText());
            m_status->setText(tr("Imported opportunities into %1 %2: %3 new, %4 updated, %5 unchanged; %6.")
                                  .arg(m_organization->currentText(), took, locale.toString(r.inserted),
                                       locale.toString(r.updated), locale.toString(r.unchanged), links));
            Q_EMIT opportunitiesImported(organizationId(), r);
        } else {
            const AccountImportReport &r = result.accounts;
            m_status->setText(tr("Imported into %1 %2: %3 new, %4 updated, %5 unchanged.")
                                  .arg(m_organization->currentText(), took, locale.toString(r.inserted),
                                       locale.toString(r.updated), locale.toString(r.unchanged)));
            Q_EMIT imported(organizationId(), r);
        }
    } else if (cancelled) {
        m_progress->hide();
        m_status->setText(tr("Import cancelled: nothing was changed."));
    } else {
        m_progress->hide();
        // The first line says what happened; the rest lists the rows, one "file:line: column: reason" each.
        QStringList lines = result.error.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        m_status->setText(lines.isEmpty() ? tr("The import failed.") : lines.takeFirst());
        if (!lines.isEmpty()) {
            m_details->setPlainText(lines.join(QLatin1Char('\n')));
            m_details->show();
        }
    }
    Q_EMIT runFinished(result.error.isEmpty());
}

// One remembered mapping per column layout: the same CRM's exports share their headers, so the choice made for
// one file is offered again for the next.
QString ImportAccountsDialog::layoutKey() const
{
    if (!m_csv)
        return {};
    QStringList headers;
    for (const QString &h : std::as_const(m_csv->headers))
        headers << h.trimmed().toCaseFolded();
    return QString::fromLatin1(
        QCryptographicHash::hash(headers.join(QChar(0x1f)).toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
}

void ImportAccountsDialog::rememberMapping()
{
    QSettings settings;
    settings.setValue(QStringLiteral("imports/recordsByLayout/") + layoutKey(), records() == Records::Opportunities
                                                                                    ? QStringLiteral("opportunities")
                                                                                    : QStringLiteral("accounts"));
    settings.beginGroup(settingsGroup(records()));
    settings.beginGroup(layoutKey());
    settings.remove(QString());
    const QMap<QString, QString> mapping = columns();
    for (const QString &field : fieldKeys(records()))
        settings.setValue(field, mapping.value(field));
}

QMap<QString, QString> ImportAccountsDialog::rememberedMapping() const
{
    QMap<QString, QString> mapping;
    QSettings settings;
    settings.beginGroup(settingsGroup(records()));
    if (!settings.childGroups().contains(layoutKey()))
        return mapping;
    settings.beginGroup(layoutKey());
    for (const QString &field : fieldKeys(records())) {
        const QString header = settings.value(field).toString();
        if (header.isEmpty() || m_csv->headers.contains(header))
            mapping.insert(field, header);
    }
    return mapping;
}

} // namespace ecotone::ui
