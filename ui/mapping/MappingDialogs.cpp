#include "MappingDialogs.h"

#include "OverlapModels.h"
#include "governance/AgreementRepository.h"
#include "store/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace ecotone::ui::mapping {

namespace {
QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty() && !out.contains(t, Qt::CaseInsensitive))
            out << t;
    }
    return out;
}
} // namespace

// ---- PopulationDialog

PopulationDialog::PopulationDialog(const CustomPopulation &population, QWidget *parent)
    : QDialog(parent)
    , m_population(population)
    , m_name(new QLineEdit(population.name, this))
    , m_countries(new QLineEdit(population.filter.countries.join(QStringLiteral(", ")), this))
    , m_industries(new QLineEdit(population.filter.industries.join(QStringLiteral(", ")), this))
    , m_nameContains(new QLineEdit(population.filter.nameContains, this))
    , m_domainSuffix(new QLineEdit(population.filter.domainSuffix, this))
    , m_summary(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(population.id.isEmpty() ? tr("New Population") : tr("Edit Population"));
    setObjectName(QStringLiteral("populationDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A population is a saved filter of accounts. It becomes a row and a column of the "
                                "overlap matrix, on both sides, and can be shared by its own agreement."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_name->setAccessibleName(tr("Population name"));
    m_name->setPlaceholderText(tr("e.g. Enterprise DACH"));
    m_name->setMaxLength(80);
    form->addRow(tr("&Name:"), m_name);
    auto *statuses = new QHBoxLayout;
    const QList<AccountStatus> all{AccountStatus::Customer, AccountStatus::Opportunity, AccountStatus::Prospect};
    for (AccountStatus s : all) {
        auto *box = new QCheckBox(accountstatus::displayName(s), this);
        box->setProperty("key", accountstatus::key(s));
        box->setChecked(population.filter.statuses.contains(accountstatus::key(s)));
        box->setAccessibleName(tr("Status %1").arg(accountstatus::displayName(s)));
        statuses->addWidget(box);
        m_statuses << box;
        connect(box, &QCheckBox::toggled, this, &PopulationDialog::update);
    }
    statuses->addStretch();
    form->addRow(tr("Statuses:"), statuses);
    m_countries->setPlaceholderText(tr("any; e.g. DE, AT, CH"));
    m_countries->setAccessibleName(tr("Countries"));
    form->addRow(tr("&Countries:"), m_countries);
    m_industries->setPlaceholderText(tr("any; e.g. Financial Services"));
    m_industries->setAccessibleName(tr("Industries"));
    auto *completer = new QCompleter(organization::industries(), m_industries);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_industries->setCompleter(completer);
    form->addRow(tr("&Industries:"), m_industries);
    m_nameContains->setPlaceholderText(tr("any"));
    m_nameContains->setAccessibleName(tr("Name contains"));
    form->addRow(tr("Name &contains:"), m_nameContains);
    m_domainSuffix->setPlaceholderText(tr("any; e.g. .de or .co.uk"));
    m_domainSuffix->setAccessibleName(tr("Domain ends with"));
    form->addRow(tr("&Domain ends with:"), m_domainSuffix);
    layout->addLayout(form);
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *e : {m_name, m_countries, m_industries, m_nameContains, m_domainSuffix})
        connect(e, &QLineEdit::textChanged, this, &PopulationDialog::update);
    update();
    resize(520, sizeHint().height());
}

CustomPopulation PopulationDialog::population() const
{
    CustomPopulation p = m_population;
    p.name = m_name->text().trimmed();
    p.filter.statuses.clear();
    for (QCheckBox *box : m_statuses)
        if (box->isChecked())
            p.filter.statuses << box->property("key").toString();
    p.filter.countries = splitList(m_countries->text());
    for (QString &c : p.filter.countries)
        if (c.size() == 2)
            c = c.toUpper();
    p.filter.industries = splitList(m_industries->text());
    p.filter.nameContains = m_nameContains->text().trimmed();
    p.filter.domainSuffix =
        PopulationFilter::fromJson(QJsonObject{{QStringLiteral("domain_suffix"), m_domainSuffix->text()}}).domainSuffix;
    return p;
}

void PopulationDialog::update()
{
    const CustomPopulation p = population();
    m_summary->setText(tr("Accounts in it: %1").arg(p.filter.describe()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!p.name.isEmpty());
}

// ---- SharingDialog

SharingDialog::SharingDialog(Workspace *workspace, const QString &partnerId, const QString &partnerName,
                             const QList<overlap::Population> &populations, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_partnerId(partnerId)
    , m_actor(overlap::GovernedOverlap::defaultActor(*workspace))
    , m_consent(new QCheckBox(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("sharingDialog"));
    setWindowTitle(tr("Sharing with %1").arg(partnerName));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("What <b>%1</b> shares with you of its accounts, population by population. Counts "
                                "only shows the numbers; Overlapping accounts lists the accounts you both have; "
                                "Full also lists their customers you do not have (greenfield). Only the fields "
                                "chosen are shown.")
                                 .arg(partnerName.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    int gridRow = 0;
    for (const QString &title : {tr("Population"), tr("Level"), tr("Fields"), tr("State")}) {
        auto *h = new QLabel(QStringLiteral("<b>%1</b>").arg(title), this);
        grid->addWidget(h, 0, gridRow++);
    }
    for (const overlap::Population &p : populations) {
        Row row;
        row.population = p.key;
        const int r = int(m_rows.size()) + 1;
        grid->addWidget(new QLabel(p.label, this), r, 0);
        row.level = new QComboBox(this);
        row.level->setObjectName(QStringLiteral("level-") + p.key);
        row.level->setAccessibleName(tr("Sharing level for %1").arg(p.label));
        for (SharingLevel l : {SharingLevel::Hidden, SharingLevel::Counts, SharingLevel::Overlap, SharingLevel::Full})
            row.level->addItem(sharing::levelName(l), int(l));
        grid->addWidget(row.level, r, 1);
        row.fields = new QToolButton(this);
        row.fields->setPopupMode(QToolButton::InstantPopup);
        row.fields->setAccessibleName(tr("Shared fields for %1").arg(p.label));
        auto *menu = new QMenu(row.fields);
        for (const QString &f : sharing::shareableFields()) {
            QAction *a = menu->addAction(DrillDownModel::fieldTitle(f));
            a->setCheckable(true);
            a->setData(f);
        }
        row.fields->setMenu(menu);
        grid->addWidget(row.fields, r, 2);
        row.state = new QLabel(this);
        grid->addWidget(row.state, r, 3);
        row.revoke = new QPushButton(tr("Revoke"), this);
        row.revoke->setAccessibleName(tr("Revoke sharing of %1").arg(p.label));
        grid->addWidget(row.revoke, r, 4);
        m_rows << row;
    }
    grid->setColumnStretch(3, 1);
    layout->addLayout(grid);
    m_consent->setText(tr("Both sides have agreed to these terms (records our consent and %1's)").arg(partnerName));
    m_consent->setChecked(true);
    layout->addWidget(m_consent);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *note = new QLabel(tr("Every change and consent is written to the consent ledger. A revoke takes effect at "
                               "once: the data disappears from the matrix and the lists."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const Status s = save();
        if (s) {
            accept();
            return;
        }
        m_error->setText(s.error());
        m_error->show();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    load();
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        connect(m_rows[i].level, &QComboBox::currentIndexChanged, this, [this, i] {
            Row &row = m_rows[i];
            const auto level = SharingLevel(row.level->currentData().toInt());
            // Records need at least one field: start from the usual three.
            if ((level == SharingLevel::Overlap || level == SharingLevel::Full) && checkedFields(row).isEmpty())
                for (QAction *a : row.fields->menu()->actions())
                    a->setChecked(
                        QStringList{QStringLiteral("name"), QStringLiteral("domain"), QStringLiteral("country")}
                            .contains(a->data().toString()));
            refreshRow(row);
        });
        for (QAction *a : m_rows[i].fields->menu()->actions())
            connect(a, &QAction::toggled, this, [this, i] { refreshRow(m_rows[i]); });
        connect(m_rows[i].revoke, &QPushButton::clicked, this, [this, i] { revoke(m_rows[i]); });
    }
}

void SharingDialog::load()
{
    AgreementRepository repo(*m_workspace, m_actor);
    auto list = repo.forPartner(m_partnerId);
    for (Row &row : m_rows) {
        row.agreement.reset();
        if (list)
            for (const SharingAgreement &a : list.value())
                if (a.population == row.population)
                    row.agreement = a;
        const SharingLevel level = row.agreement ? row.agreement->level : SharingLevel::Hidden;
        const QSignalBlocker block(row.level);
        row.level->setCurrentIndex(row.level->findData(int(level)));
        for (QAction *a : row.fields->menu()->actions()) {
            const QSignalBlocker blockAction(a);
            a->setChecked(row.agreement && row.agreement->fields.contains(a->data().toString()));
        }
        refreshRow(row);
    }
}

QStringList SharingDialog::checkedFields(const Row &row) const
{
    QStringList out;
    for (QAction *a : row.fields->menu()->actions())
        if (a->isChecked())
            out << a->data().toString();
    return out;
}

QComboBox *SharingDialog::levelBox(const QString &population) const
{
    for (const Row &row : m_rows)
        if (row.population == population)
            return row.level;
    return nullptr;
}

void SharingDialog::refreshRow(Row &row)
{
    const auto level = SharingLevel(row.level->currentData().toInt());
    const bool records = level == SharingLevel::Overlap || level == SharingLevel::Full;
    const QStringList fields = checkedFields(row);
    QStringList titles;
    for (const QString &f : fields)
        titles << DrillDownModel::fieldTitle(f);
    row.fields->setEnabled(records);
    row.fields->setText(!records ? tr("—")
                                 : (titles.isEmpty() ? tr("Choose fields…") : titles.join(QStringLiteral(", "))));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString state;
    if (!row.agreement)
        state = tr("No agreement");
    else {
        const overlap::Terms terms = overlap::termsFor({*row.agreement}, row.population, now);
        state = terms.countsVisible() ? tr("In force: %1").arg(sharing::levelName(terms.level)) : terms.why;
    }
    row.state->setText(state);
    row.revoke->setEnabled(row.agreement && !row.agreement->revokedAt.isValid());
}

void SharingDialog::revoke(Row &row)
{
    if (!row.agreement)
        return;
    if (QMessageBox::question(
            this, tr("Revoke Sharing"),
            tr("Stop sharing this population now? The accounts disappear from every view at once.")) !=
        QMessageBox::Yes)
        return;
    AgreementRepository repo(*m_workspace, m_actor);
    if (Status s = repo.revoke(row.agreement->id); !s) {
        m_error->setText(s.error());
        m_error->show();
        return;
    }
    m_changed = true;
    load();
}

Status SharingDialog::save()
{
    AgreementRepository repo(*m_workspace, m_actor);
    for (Row &row : m_rows) {
        const auto level = SharingLevel(row.level->currentData().toInt());
        const bool records = level == SharingLevel::Overlap || level == SharingLevel::Full;
        const QStringList fields = records ? checkedFields(row) : QStringList();
        SharingAgreement a;
        if (row.agreement) {
            a = *row.agreement;
            // A revoked agreement stays revoked unless its terms are changed (which offers it anew).
            if (a.level == level && a.fields == fields && a.revokedAt.isValid())
                continue;
            if (a.level != level || a.fields != fields) {
                a.level = level;
                a.fields = fields;
                if (Status s = repo.change(a); !s)
                    return s;
                m_changed = true;
            }
        } else {
            if (level == SharingLevel::Hidden)
                continue;
            a.partnerId = m_partnerId;
            a.population = row.population;
            a.level = level;
            a.fields = fields;
            if (Status s = repo.create(a); !s)
                return s;
            m_changed = true;
        }
        if (!m_consent->isChecked() || level == SharingLevel::Hidden)
            continue;
        auto current = repo.find(a.id);
        if (!current)
            return Error{current.error()};
        if (current->revokedAt.isValid())
            continue;
        if (!current->ourConsentAt.isValid()) {
            if (Status s = repo.consent(a.id, AgreementRepository::Side::Ours); !s)
                return s;
            m_changed = true;
        }
        if (!current->theirConsentAt.isValid()) {
            if (Status s = repo.consent(a.id, AgreementRepository::Side::Theirs); !s)
                return s;
            m_changed = true;
        }
    }
    return {};
}

} // namespace ecotone::ui::mapping
