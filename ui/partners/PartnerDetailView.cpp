#include "PartnerDetailView.h"

#include "common/ChipDelegate.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "common/Links.h"
#include "common/Theme.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedLayout>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
QLabel *valueLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse |
                                   Qt::LinksAccessibleByKeyboard);
    label->setAccessibleName(accessibleName);
    return label;
}

QString chipsHtml(const QStringList &values)
{
    QString html;
    const bool dark = theme::isDark();
    for (const QString &v : values) {
        const QColor base = ChipDelegate::chipColor(v);
        const QColor text = dark ? base.lighter(170) : base.darker(130);
        html += QStringLiteral("<span style=\"color:%1; font-weight:600\">●&nbsp;%2</span>&nbsp;&nbsp;&nbsp;")
                    .arg(text.name(), v.toHtmlEscaped());
    }
    return html;
}
} // namespace

PartnerDetailView::PartnerDetailView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_empty(new EmptyState(QStringLiteral("partners"), tr("No partner selected"),
                             tr("Select a partner in the list to see its profile, people and accounts."), this))
{
    setAccessibleName(tr("Partner details"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);

    m_name = new QLabel(content);
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.45);
    nameFont.setWeight(QFont::DemiBold);
    m_name->setFont(nameFont);
    m_name->setWordWrap(true);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setAccessibleName(tr("Partner name"));
    m_chips = valueLabel(content, tr("Partner types"));
    m_chips->setTextFormat(Qt::RichText);
    m_facts = valueLabel(content, tr("Tier, status and join date"));
    m_facts->setForegroundRole(QPalette::PlaceholderText);
    m_website = valueLabel(content, tr("Website"));
    m_website->setObjectName(QStringLiteral("partnerWebsite"));
    m_website->setTextFormat(Qt::RichText);
    links::openWebLinksOnly(m_website);
    m_description = valueLabel(content, tr("Description"));
    m_regions = valueLabel(content, tr("Regions"));
    m_industries = valueLabel(content, tr("Industries"));
    m_capabilities = valueLabel(content, tr("Capabilities"));
    m_accounts = valueLabel(content, tr("Accounts"));

    m_edit = new QPushButton(icon(QStringLiteral("edit")), tr("Edit…"), content);
    m_edit->setAccessibleName(tr("Edit partner"));
    m_delete = new QPushButton(icon(QStringLiteral("delete")), tr("Delete…"), content);
    m_delete->setAccessibleName(tr("Delete partner"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft);
    form->setVerticalSpacing(8);
    form->setHorizontalSpacing(16);
    form->addRow(tr("Website"), m_website);
    form->addRow(tr("Regions"), m_regions);
    form->addRow(tr("Industries"), m_industries);
    form->addRow(tr("Capabilities"), m_capabilities);
    form->addRow(tr("Accounts"), m_accounts);
    for (int r = 0; r < form->rowCount(); ++r) {
        if (auto *label = qobject_cast<QLabel *>(form->itemAt(r, QFormLayout::LabelRole)->widget()))
            label->setForegroundRole(QPalette::PlaceholderText);
    }

    m_peopleTitle = new QLabel(content);
    QFont sectionFont = m_peopleTitle->font();
    sectionFont.setWeight(QFont::DemiBold);
    m_peopleTitle->setFont(sectionFont);
    m_people = new QTreeWidget(content);
    m_people->setAccessibleName(tr("People"));
    m_people->setRootIsDecorated(false);
    m_people->setHeaderLabels({tr("Name"), tr("Role"), tr("Email")});
    m_people->header()->setStretchLastSection(true);
    m_people->setMinimumHeight(120);
    m_people->setAlternatingRowColors(true);

    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(20, 16, 20, 16);
    layout->setSpacing(10);
    layout->addWidget(m_name);
    layout->addWidget(m_chips);
    layout->addWidget(m_facts);
    layout->addLayout(buttons);
    layout->addSpacing(4);
    layout->addWidget(m_description);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(m_peopleTitle);
    layout->addWidget(m_people, 1);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(scroll);
    showNothing();
}

void PartnerDetailView::showNothing()
{
    m_id.clear();
    m_stack->setCurrentIndex(0);
}

void PartnerDetailView::showPartner(const Organization &org, const QList<Person> &people, qint64 accounts)
{
    m_id = org.id;
    const QLocale locale;
    m_name->setText(org.name);
    QStringList types;
    for (PartnerType t : org.types)
        types << partnertype::displayName(t);
    m_chips->setText(chipsHtml(types));
    QStringList facts;
    facts << (org.tier.isEmpty() ? tr("No tier") : tr("%1 tier").arg(org.tier));
    facts << organization::statusDisplayName(org.status);
    if (org.joinDate.isValid())
        facts << tr("Partner since %1").arg(locale.toString(org.joinDate, QStringLiteral("MMMM yyyy")));
    m_facts->setText(facts.join(QStringLiteral("  ·  ")));
    m_website->setText(
        org.website.isEmpty() ? tr("—") : links::html(org.website, org.domain.isEmpty() ? org.website : org.domain));
    m_description->setText(org.description);
    m_description->setVisible(!org.description.isEmpty());
    const QString none = tr("—");
    m_regions->setText(org.regions.isEmpty() ? none : org.regions.join(QStringLiteral(", ")));
    m_industries->setText(org.industries.isEmpty() ? none : org.industries.join(QStringLiteral(", ")));
    m_capabilities->setText(org.capabilities.isEmpty() ? none : org.capabilities.join(QStringLiteral(", ")));
    m_accounts->setText(accounts == 1 ? tr("1 account in its CRM")
                                      : tr("%1 accounts in its CRM").arg(locale.toString(accounts)));
    m_peopleTitle->setText(tr("People (%1)").arg(people.size()));
    m_people->clear();
    for (const Person &p : people) {
        auto *item = new QTreeWidgetItem(m_people, {p.name, p.role, p.email});
        item->setToolTip(2, p.email);
    }
    m_people->resizeColumnToContents(0);
    m_people->resizeColumnToContents(1);
    m_stack->setCurrentIndex(1);
}

} // namespace ecotone::ui
