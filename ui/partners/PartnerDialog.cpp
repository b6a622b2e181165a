#include "PartnerDialog.h"

#include "store/Repositories.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>

namespace ecotone::ui {

PartnerDialog::PartnerDialog(const Organization &org, QWidget *parent)
    : QDialog(parent)
    , m_original(org)
    , m_name(new QLineEdit(org.name, this))
    , m_tier(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_website(new QLineEdit(org.website, this))
    , m_domain(new QLabel(this))
    , m_capabilities(new QLineEdit(org.capabilities.join(QStringLiteral(", ")), this))
    , m_description(new QPlainTextEdit(org.description, this))
    , m_joinDate(new QDateEdit(this))
    , m_problems(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    const bool creating = org.id.isEmpty();
    const bool vendor = org.kind == OrganizationKind::Vendor;
    setWindowTitle(vendor     ? tr("Vendor Profile")
                   : creating ? tr("New Partner")
                              : tr("Edit Partner — %1").arg(org.name));
    setObjectName(QStringLiteral("partnerDialog"));

    m_name->setPlaceholderText(tr("Company name"));
    m_name->setAccessibleName(tr("Partner name"));
    m_name->setMaxLength(200);

    auto *typesBox = new QWidget(this);
    auto *typesGrid = new QGridLayout(typesBox);
    typesGrid->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (PartnerType t : partnertype::all()) {
        auto *box = new QCheckBox(partnertype::displayName(t), typesBox);
        box->setChecked(org.types.contains(t));
        box->setAccessibleName(tr("Partner type: %1").arg(partnertype::displayName(t)));
        typesGrid->addWidget(box, i / 3, i % 3);
        m_types.insert(t, box);
        connect(box, &QCheckBox::toggled, this, &PartnerDialog::validate);
        ++i;
    }
    typesBox->setAccessibleName(tr("Partner types"));

    m_tier->addItem(tr("No tier"), QString());
    for (const QString &tier : organization::tiers())
        m_tier->addItem(tier, tier);
    m_tier->setCurrentIndex(std::max(0, m_tier->findData(org.tier)));
    m_tier->setAccessibleName(tr("Tier"));

    for (const QString &status : organization::statuses())
        m_status->addItem(organization::statusDisplayName(status), status);
    m_status->setCurrentIndex(std::max(0, m_status->findData(org.status)));
    m_status->setAccessibleName(tr("Status"));

    m_website->setPlaceholderText(tr("e.g. www.example.com"));
    m_website->setAccessibleName(tr("Website"));
    m_domain->setForegroundRole(QPalette::PlaceholderText);
    m_domain->setAccessibleName(tr("Registrable domain"));

    m_regions = checkList(organization::regions(), org.regions, tr("Regions"));
    m_industries = checkList(organization::industries(), org.industries, tr("Industries"));

    m_capabilities->setPlaceholderText(tr("Comma-separated, e.g. Migration, Managed services"));
    m_capabilities->setAccessibleName(tr("Capabilities"));
    m_description->setAccessibleName(tr("Description"));
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(90);

    m_joinDate->setCalendarPopup(true);
    m_joinDate->setDate(org.joinDate.isValid() ? org.joinDate : QDate::currentDate());
    m_joinDate->setAccessibleName(tr("Join date"));

    m_problems->setWordWrap(true);
    m_problems->setAccessibleName(tr("Problems"));
    QPalette warn = m_problems->palette();
    warn.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_problems->setPalette(warn);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight);
    form->setVerticalSpacing(10);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Types:"), typesBox);
    // The vendor runs the program: it has no partner types or tier.
    form->setRowVisible(typesBox, !vendor);
    auto *tierStatus = new QHBoxLayout;
    tierStatus->addWidget(m_tier, 1);
    auto *statusLabel = new QLabel(tr("&Status:"), this);
    statusLabel->setBuddy(m_status);
    if (!vendor)
        tierStatus->addSpacing(12);
    tierStatus->addWidget(statusLabel);
    tierStatus->addWidget(m_status, 1);
    auto *tierLabel = new QLabel(tr("&Tier:"), this);
    tierLabel->setBuddy(m_tier);
    form->addRow(tierLabel, tierStatus);
    if (vendor) {
        tierLabel->setText(tr("&Status:"));
        tierLabel->setBuddy(m_status);
        m_tier->hide();
        statusLabel->hide();
    }
    form->addRow(tr("&Website:"), m_website);
    form->addRow(QString(), m_domain);
    auto *lists = new QHBoxLayout;
    auto *regionsCol = new QVBoxLayout;
    auto *regionsLabel = new QLabel(tr("&Regions"), this);
    regionsLabel->setBuddy(m_regions);
    regionsCol->addWidget(regionsLabel);
    regionsCol->addWidget(m_regions);
    auto *industriesCol = new QVBoxLayout;
    auto *industriesLabel = new QLabel(tr("&Industries"), this);
    industriesLabel->setBuddy(m_industries);
    industriesCol->addWidget(industriesLabel);
    industriesCol->addWidget(m_industries);
    lists->addLayout(regionsCol);
    lists->addLayout(industriesCol);
    auto *listsLabel = new QLabel(this);
    form->addRow(listsLabel, lists);
    form->addRow(tr("&Capabilities:"), m_capabilities);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Joined:"), m_joinDate);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 16);
    layout->addLayout(form);
    layout->addWidget(m_problems);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(creating && !vendor ? tr("Add Partner") : tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PartnerDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PartnerDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &PartnerDialog::validate);
    connect(m_website, &QLineEdit::textChanged, this, &PartnerDialog::validate);
    resize(640, sizeHint().height());
    validate();
}

QListWidget *PartnerDialog::checkList(const QStringList &items, const QStringList &checked, const QString &name)
{
    auto *list = new QListWidget(this);
    list->setAccessibleName(name);
    for (const QString &text : items) {
        auto *item = new QListWidgetItem(text, list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(checked.contains(text) ? Qt::Checked : Qt::Unchecked);
    }
    // Values not in the program's list (imported data) stay visible and checked rather than being dropped.
    for (const QString &text : checked) {
        if (!items.contains(text)) {
            auto *item = new QListWidgetItem(text, list);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            item->setCheckState(Qt::Checked);
        }
    }
    list->setMinimumHeight(150);
    list->setMaximumHeight(170);
    return list;
}

Organization PartnerDialog::organization() const
{
    Organization org = m_original;
    org.name = m_name->text().trimmed();
    org.types.clear();
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it)
        if (it.value()->isChecked())
            org.types << it.key();
    org.tier = m_tier->currentData().toString();
    org.status = m_status->currentData().toString();
    org.website = m_website->text().trimmed();
    // Keep the order the record had (it may rank regions), appending newly checked values in list order.
    auto checkedIn = [](QListWidget *list, const QStringList &previous) {
        QStringList checked;
        for (int r = 0; r < list->count(); ++r)
            if (list->item(r)->checkState() == Qt::Checked)
                checked << list->item(r)->text();
        QStringList out;
        for (const QString &p : previous)
            if (checked.contains(p))
                out << p;
        for (const QString &c : checked)
            if (!out.contains(c))
                out << c;
        return out;
    };
    org.regions = checkedIn(m_regions, m_original.regions);
    org.industries = checkedIn(m_industries, m_original.industries);
    org.capabilities.clear();
    for (const QString &c : m_capabilities->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!c.trimmed().isEmpty())
            org.capabilities << c.trimmed();
    org.description = m_description->toPlainText().trimmed();
    org.joinDate = m_joinDate->date();
    OrganizationRepository::prepare(org);
    return org;
}

QStringList PartnerDialog::problems() const
{
    Organization org = m_original;
    org.name = m_name->text();
    org.types.clear();
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it)
        if (it.value()->isChecked())
            org.types << it.key();
    org.website = m_website->text();
    return OrganizationRepository::prepare(org);
}

void PartnerDialog::validate()
{
    const QStringList problems = this->problems();
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!problems.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problems.isEmpty());
    const Organization org = organization();
    if (m_website->text().trimmed().isEmpty())
        m_domain->setText(tr("No website"));
    else if (org.website.isEmpty())
        m_domain->setText(tr("Not a valid address"));
    else
        m_domain->setText(tr("Saved as %1 · domain %2").arg(org.website, org.domain));
}

void PartnerDialog::accept()
{
    if (!problems().isEmpty()) {
        validate();
        m_name->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace ecotone::ui
