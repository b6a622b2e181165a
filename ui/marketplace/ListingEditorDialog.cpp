#include "ListingEditorDialog.h"

#include "common/UntrustedImage.h"

#include "domain/Organization.h"
#include "marketplace/ListingRepository.h"
#include "store/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QStringListModel>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString t = part.trimmed(); !t.isEmpty() && !out.contains(t, Qt::CaseInsensitive))
            out << t;
    return out;
}

QListWidget *checkList(const QStringList &items, const QStringList &checkedItems, QWidget *parent)
{
    auto *list = new QListWidget(parent);
    for (const QString &item : items) {
        auto *row = new QListWidgetItem(item, list);
        row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        row->setCheckState(checkedItems.contains(item) ? Qt::Checked : Qt::Unchecked);
    }
    // Values that are not in the program's list (imported data) stay, checked, rather than being dropped.
    for (const QString &item : checkedItems)
        if (!items.contains(item)) {
            auto *row = new QListWidgetItem(item, list);
            row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            row->setCheckState(Qt::Checked);
        }
    list->setMaximumHeight(120);
    return list;
}

QString pricingName(const QString &key)
{
    if (key == QLatin1String("free"))
        return ListingEditorDialog::tr("Free");
    if (key == QLatin1String("subscription"))
        return ListingEditorDialog::tr("Subscription");
    if (key == QLatin1String("usage"))
        return ListingEditorDialog::tr("Usage-based");
    if (key == QLatin1String("one_time"))
        return ListingEditorDialog::tr("One-time fee");
    if (key == QLatin1String("quote"))
        return ListingEditorDialog::tr("On quote");
    return key;
}
} // namespace

ListingEditorDialog::ListingEditorDialog(Workspace &workspace, const Listing &listing, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_original(listing)
    , m_kind(new QComboBox(this))
    , m_title(new QLineEdit(listing.title, this))
    , m_summary(new QLineEdit(listing.summary, this))
    , m_description(new QPlainTextEdit(listing.description, this))
    , m_categories(new QLineEdit(listing.categories.join(QStringLiteral(", ")), this))
    , m_industries(checkList(organization::industries(), listing.industries, this))
    , m_regions(checkList(organization::regions(), listing.regions, this))
    , m_languages(new QLineEdit(listing.languages.join(QStringLiteral(", ")), this))
    , m_certifications(new QLineEdit(listing.certifications.join(QStringLiteral(", ")), this))
    , m_pricing(new QComboBox(this))
    , m_contact(new QLineEdit(listing.contact, this))
    , m_logoPreview(new QLabel(this))
    , m_logo(listing.logo)
    , m_linkedLabel(new QLabel(this))
    , m_linkSearch(new QLineEdit(this))
    , m_linkMatches(new QStringListModel(this))
    , m_linked(new QListWidget(this))
    , m_published(new QCheckBox(tr("Published: shown in the marketplace (a draft is seen only here)"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("listingEditor"));
    setWindowTitle(listing.id.isEmpty() ? tr("New Listing") : tr("Edit Listing"));

    for (const QString &key : listing::kindKeys())
        m_kind->addItem(listing::kindName(*listing::kindFromKey(key)), key);
    m_kind->setCurrentIndex(m_kind->findData(listing::kindKey(listing.kind)));
    m_title->setMaxLength(int(listing::kMaxTitle));
    m_title->setPlaceholderText(tr("What it is, as buyers search for it"));
    m_summary->setMaxLength(int(listing::kMaxSummary));
    m_summary->setPlaceholderText(tr("One sentence for the card"));
    m_description->setPlaceholderText(tr("The full story. Blank lines separate paragraphs; \"- \" starts a bullet; "
                                         "**bold**, *italic* and [links](https://…) are shown as such."));
    m_description->setMinimumHeight(110);
    auto *categoryCompleter = new QCompleter(listing::categories(), this);
    categoryCompleter->setCaseSensitivity(Qt::CaseInsensitive);
    m_categories->setCompleter(categoryCompleter);
    m_categories->setPlaceholderText(
        tr("Comma-separated, e.g. %1").arg(listing::categories().mid(0, 2).join(QStringLiteral(", "))));
    m_languages->setPlaceholderText(tr("ISO codes, e.g. en, de, fr"));
    m_certifications->setPlaceholderText(tr("Comma-separated, e.g. ISO 27001, SOC 2"));
    m_pricing->addItem(tr("— not stated —"), QString());
    for (const QString &key : listing::pricingModels())
        m_pricing->addItem(pricingName(key), key);
    m_pricing->setCurrentIndex(std::max(0, m_pricing->findData(listing.pricingModel)));
    m_contact->setPlaceholderText(tr("E-mail or web address for enquiries"));

    auto *clouds = new QHBoxLayout;
    for (const QString &key : listing::cloudKeys()) {
        auto *box = new QCheckBox(listing::cloudName(key), this);
        box->setChecked(listing.clouds.contains(key));
        m_clouds.insert(key, box);
        clouds->addWidget(box);
    }
    clouds->addStretch(1);

    auto *logoRow = new QHBoxLayout;
    m_logoPreview->setFixedSize(48, 48);
    m_logoPreview->setFrameShape(QFrame::StyledPanel);
    m_logoPreview->setAlignment(Qt::AlignCenter);
    auto *chooseLogo = new QPushButton(tr("Choose…"), this);
    auto *clearLogo = new QPushButton(tr("Remove"), this);
    logoRow->addWidget(m_logoPreview);
    logoRow->addWidget(chooseLogo);
    logoRow->addWidget(clearLogo);
    logoRow->addStretch(1);
    connect(chooseLogo, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Choose a Logo"), QString(), tr("Images (*.png *.jpg *.jpeg *.svg)"));
        if (path.isEmpty())
            return;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_problem->setText(tr("Cannot read %1: %2").arg(path, f.errorString()));
            return;
        }
        // Read one byte past the limit: enough to refuse a large file without loading it whole.
        const QString problem = setLogo(f.read(listing::kMaxLogoBytes + 1));
        m_problem->setText(problem.isEmpty() ? QString() : tr("%1: %2").arg(path, problem));
    });
    connect(clearLogo, &QPushButton::clicked, this, [this] { setLogo({}); });
    setLogo(m_logo);

    // Integrations name the listings they connect to; bundles the listings they combine. Found by title.
    m_linkSearch->setPlaceholderText(tr("Type a listing's title to add it"));
    m_linkSearch->setClearButtonEnabled(true);
    auto *linkCompleter = new QCompleter(m_linkMatches, this);
    linkCompleter->setCaseSensitivity(Qt::CaseInsensitive);
    linkCompleter->setFilterMode(Qt::MatchContains);
    m_linkSearch->setCompleter(linkCompleter);
    connect(m_linkSearch, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (text.trimmed().size() < 2)
            return;
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT l.id, l.title, o.name FROM listings l JOIN organizations o ON o.id = "
                                 "l.organization_id WHERE l.title LIKE ? ESCAPE '\\' AND l.id <> ? ORDER BY l.title "
                                 "LIMIT 30"));
        QString pattern = text.trimmed();
        pattern.replace(QLatin1String("\\"), QLatin1String("\\\\"))
            .replace(QLatin1String("%"), QLatin1String("\\%"))
            .replace(QLatin1String("_"), QLatin1String("\\_"));
        q.addBindValue(QString(QLatin1Char('%') + pattern + QLatin1Char('%')));
        q.addBindValue(m_original.id);
        QStringList labels;
        m_linkIds.clear();
        if (q.exec())
            while (q.next()) {
                const QString match = tr("%1 (%2)").arg(q.value(1).toString(), q.value(2).toString());
                m_linkIds.insert(match, q.value(0).toString());
                labels << match;
            }
        m_linkMatches->setStringList(labels);
    });
    connect(linkCompleter, qOverload<const QString &>(&QCompleter::activated), this, [this](const QString &match) {
        addLinked(m_linkIds.value(match), match);
        QMetaObject::invokeMethod(m_linkSearch, &QLineEdit::clear, Qt::QueuedConnection);
    });
    m_linked->setMaximumHeight(90);
    auto *removeLinked = new QPushButton(tr("Remove"), this);
    connect(removeLinked, &QPushButton::clicked, this, [this] { delete m_linked->currentItem(); });
    const QStringList linked = listing.kind == ListingKind::Bundle ? listing.bundleMembers : listing.integratesWith;
    for (const QString &id : linked) {
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT title FROM listings WHERE id = ?"));
        q.addBindValue(id);
        addLinked(id, q.exec() && q.next() ? q.value(0).toString() : id);
    }
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] { updateLinkedLabel(); });

    m_published->setChecked(listing.state == ListingState::Published);
    m_problem->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("listingProblem"));
    QPalette bad = m_problem->palette();
    bad.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_problem->setPalette(bad);

    auto *form = new QFormLayout;
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("S&ummary:"), m_summary);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Categories:"), m_categories);
    auto *lists = new QGridLayout;
    lists->addWidget(new QLabel(tr("Industries"), this), 0, 0);
    lists->addWidget(new QLabel(tr("Regions"), this), 0, 1);
    lists->addWidget(m_industries, 1, 0);
    lists->addWidget(m_regions, 1, 1);
    form->addRow(tr("Markets:"), lists);
    form->addRow(tr("&Languages:"), m_languages);
    form->addRow(tr("Cloud marketplaces:"), clouds);
    form->addRow(tr("C&ertifications:"), m_certifications);
    form->addRow(tr("&Pricing:"), m_pricing);
    form->addRow(tr("C&ontact:"), m_contact);
    form->addRow(tr("Logo:"), logoRow);
    auto *linkedColumn = new QVBoxLayout;
    linkedColumn->addWidget(m_linkSearch);
    auto *linkedRow = new QHBoxLayout;
    linkedRow->addWidget(m_linked, 1);
    linkedRow->addWidget(removeLinked, 0, Qt::AlignTop);
    linkedColumn->addLayout(linkedRow);
    form->addRow(m_linkedLabel, linkedColumn);
    form->addRow(QString(), m_published);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!m_title->text().trimmed().isEmpty());
    connect(m_title, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(!text.trimmed().isEmpty());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] { save(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateLinkedLabel();
    resize(720, 820);
}

void ListingEditorDialog::updateLinkedLabel()
{
    const QString kind = m_kind->currentData().toString();
    const bool bundle = kind == listing::kindKey(ListingKind::Bundle);
    const bool integration = kind == listing::kindKey(ListingKind::Integration);
    m_linkedLabel->setText(bundle ? tr("Bundle of:") : tr("Integrates with:"));
    for (QWidget *w : {static_cast<QWidget *>(m_linkedLabel), static_cast<QWidget *>(m_linkSearch),
                       static_cast<QWidget *>(m_linked)})
        w->setEnabled(bundle || integration);
}

QStringList ListingEditorDialog::checked(const QListWidget *list) const
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            out << list->item(i)->text();
    return out;
}

void ListingEditorDialog::addLinked(const QString &listingId, const QString &label)
{
    if (listingId.isEmpty())
        return;
    for (int i = 0; i < m_linked->count(); ++i)
        if (m_linked->item(i)->data(Qt::UserRole).toString() == listingId)
            return;
    auto *item = new QListWidgetItem(label, m_linked);
    item->setData(Qt::UserRole, listingId);
}

QString ListingEditorDialog::setLogo(const QByteArray &bytes)
{
    if (bytes.size() > listing::kMaxLogoBytes)
        return tr("the logo is larger than %1 KiB").arg(listing::kMaxLogoBytes / 1024);
    if (!bytes.isEmpty()) {
        if (listing::logoFormat(bytes) == listing::LogoFormat::None)
            return tr("the logo must be a PNG, JPEG or SVG image");
        // The same decoder every reader of the listing will use: what is refused here would show nowhere.
        const QImage image = untrusted::decode(bytes, 44);
        if (image.isNull())
            return tr("the logo cannot be read (at most %1 pixels a side; an SVG may not refer to other files)")
                .arg(untrusted::kMaxPixels);
        m_logoPreview->setPixmap(QPixmap::fromImage(image));
    } else {
        m_logoPreview->setPixmap({});
        m_logoPreview->setText(tr("none"));
    }
    m_logo = bytes;
    return {};
}

Listing ListingEditorDialog::listing() const
{
    Listing l = m_original;
    l.kind = listing::kindFromKey(m_kind->currentData().toString()).value_or(ListingKind::Product);
    l.title = m_title->text().trimmed();
    l.summary = m_summary->text().trimmed();
    l.description = m_description->toPlainText().trimmed();
    l.categories = splitList(m_categories->text());
    l.industries = checked(m_industries);
    l.regions = checked(m_regions);
    l.languages.clear();
    for (const QString &code : splitList(m_languages->text()))
        l.languages << code.toLower();
    l.clouds.clear();
    for (auto it = m_clouds.cbegin(); it != m_clouds.cend(); ++it)
        if (it.value()->isChecked())
            l.clouds << it.key();
    l.certifications = splitList(m_certifications->text());
    l.pricingModel = m_pricing->currentData().toString();
    l.contact = m_contact->text().trimmed();
    l.logo = m_logo;
    QStringList linked;
    for (int i = 0; i < m_linked->count(); ++i)
        linked << m_linked->item(i)->data(Qt::UserRole).toString();
    l.integratesWith = l.kind == ListingKind::Integration ? linked : QStringList();
    l.bundleMembers = l.kind == ListingKind::Bundle ? linked : QStringList();
    l.state = m_published->isChecked() ? ListingState::Published : ListingState::Draft;
    return l;
}

QString ListingEditorDialog::save()
{
    Listing l = listing();
    QStringList problems = listing::validate(l);
    // Publishing needs what a card shows; say so before anything is written.
    if (l.state == ListingState::Published && (l.summary.isEmpty() || l.categories.isEmpty()))
        problems << tr("A published listing needs a summary and at least one category (or save it as a draft).");
    if (problems.isEmpty()) {
        ListingRepository repository(m_workspace);
        const ListingState wanted = l.state;
        Status s;
        if (l.id.isEmpty()) {
            s = repository.create(l);
        } else {
            l.state = m_original.state; // update() leaves the state alone; publish() moves it
            s = repository.update(l);
            if (s && wanted != m_original.state)
                s = wanted == ListingState::Published ? repository.publish(l.id) : repository.unpublish(l.id);
            l.state = wanted;
        }
        if (!s)
            problems << s.error();
    }
    const QString problem = problems.join(QLatin1Char('\n'));
    m_problem->setText(problem);
    if (problem.isEmpty()) {
        m_saved = l;
        accept();
    }
    return problem;
}

} // namespace ecotone::ui
