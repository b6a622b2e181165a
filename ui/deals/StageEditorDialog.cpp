#include "StageEditorDialog.h"

#include "deals/DealRoomRepository.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace ecotone::ui {

namespace {
QString outcomeName(const QString &outcome)
{
    if (outcome == QLatin1String("won"))
        return StageEditorDialog::tr("Won");
    if (outcome == QLatin1String("lost"))
        return StageEditorDialog::tr("Lost");
    return StageEditorDialog::tr("Open");
}

// A stable key from the name ("Security Review" -> "security_review"), unique among the existing ones. Keys never
// change afterwards, so a rename keeps the rooms and the journal's references.
QString keyFor(const QString &name, const QList<DealStage> &existing)
{
    static const QRegularExpression notKey(QStringLiteral("[^a-z0-9]+"));
    QString base = name.normalized(QString::NormalizationForm_KD).toLower();
    base.replace(notKey, QStringLiteral("_"));
    while (base.startsWith(QLatin1Char('_')))
        base.remove(0, 1);
    while (base.endsWith(QLatin1Char('_')))
        base.chop(1);
    if (base.isEmpty() || !base.at(0).isLetter())
        base.prepend(QStringLiteral("stage_"));
    base.truncate(56);
    auto taken = [&](const QString &key) {
        return std::any_of(existing.cbegin(), existing.cend(), [&](const DealStage &s) { return s.id == key; });
    };
    QString key = base;
    for (int n = 2; taken(key); ++n)
        key = base + QLatin1Char('_') + QString::number(n);
    return key;
}
} // namespace

StageEditorDialog::StageEditorDialog(DealRoomRepository &rooms, const QString &authorId, QWidget *parent)
    : QDialog(parent)
    , m_rooms(rooms)
    , m_authorId(authorId)
{
    setWindowTitle(tr("Pipeline stages"));
    setAccessibleName(tr("Pipeline stages"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Stages in board order. Changes are saved at once. A room is open while its stage's "
                                "outcome is Open; Won and Lost stages close it."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *row = new QHBoxLayout;
    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(tr("Pipeline stages"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Stage"), tr("Outcome"), tr("Rooms")});
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_list->setColumnWidth(1, 90);
    m_list->setColumnWidth(2, 80);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &StageEditorDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &StageEditorDialog::askRename);
    row->addWidget(m_list, 1);

    auto *side = new QVBoxLayout;
    auto button = [&](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        side->addWidget(b);
        return b;
    };
    connect(button(tr("Add…"), tr("Add a stage after the selected one")), &QPushButton::clicked, this,
            &StageEditorDialog::askAdd);
    m_rename = button(tr("Rename…"), tr("Rename the selected stage"));
    connect(m_rename, &QPushButton::clicked, this, &StageEditorDialog::askRename);
    m_up = button(tr("Move up"), tr("Move the selected stage one place to the left on the board"));
    connect(m_up, &QPushButton::clicked, this, [this] { (void)moveStage(selectedId(), -1); });
    m_down = button(tr("Move down"), tr("Move the selected stage one place to the right on the board"));
    connect(m_down, &QPushButton::clicked, this, [this] { (void)moveStage(selectedId(), 1); });
    auto *outcomeLabel = new QLabel(tr("Outcome"), this);
    side->addWidget(outcomeLabel);
    m_outcome = new QComboBox(this);
    m_outcome->setAccessibleName(tr("Outcome of the selected stage"));
    for (const QString &o : {QStringLiteral("open"), QStringLiteral("won"), QStringLiteral("lost")})
        m_outcome->addItem(outcomeName(o), o);
    outcomeLabel->setBuddy(m_outcome);
    connect(m_outcome, &QComboBox::activated, this,
            [this](int i) { (void)setOutcome(selectedId(), m_outcome->itemData(i).toString()); });
    side->addWidget(m_outcome);
    side->addSpacing(12);
    m_remove = button(tr("Remove…"), tr("Remove the selected stage"));
    connect(m_remove, &QPushButton::clicked, this, &StageEditorDialog::askRemove);
    side->addStretch(1);
    row->addLayout(side);
    layout->addLayout(row, 1);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_error->setAccessibleName(tr("Pipeline error"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    resize(560, 400);
    refresh();
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
}

void StageEditorDialog::refresh()
{
    const QString current = selectedId();
    const QSignalBlocker block(m_list);
    m_list->clear();
    Result<QList<DealStage>> stages = m_rooms.stages();
    if (!stages) {
        m_error->setText(stages.error());
        m_error->show();
        return;
    }
    m_stages = stages.value();
    const QLocale locale;
    for (const DealStage &s : std::as_const(m_stages)) {
        const Result<qint64> rooms = m_rooms.stageRoomCount(s.id);
        auto *item = new QTreeWidgetItem(
            m_list, {s.name, outcomeName(s.outcome), rooms ? locale.toString(rooms.value()) : QStringLiteral("?")});
        item->setData(0, Qt::UserRole, s.id);
        item->setData(2, Qt::UserRole, rooms ? rooms.value() : qint64(-1));
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, tr("Key: %1").arg(s.id));
    }
    select(current);
    updateButtons();
}

QStringList StageEditorDialog::stageIds() const
{
    QStringList ids;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        ids << m_list->topLevelItem(i)->data(0, Qt::UserRole).toString();
    return ids;
}

bool StageEditorDialog::select(const QString &stageId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(0, Qt::UserRole).toString() == stageId) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            updateButtons();
            return true;
        }
    }
    return false;
}

QString StageEditorDialog::selectedId() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

QString StageEditorDialog::lastError() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void StageEditorDialog::updateButtons()
{
    const int row = m_list->currentItem() ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
    const int n = m_list->topLevelItemCount();
    m_rename->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row < n - 1);
    m_remove->setEnabled(row >= 0 && n > 1);
    m_outcome->setEnabled(row >= 0);
    if (row >= 0) {
        const QSignalBlocker block(m_outcome);
        m_outcome->setCurrentIndex(m_outcome->findData(m_stages.value(row).outcome));
    }
}

Status StageEditorDialog::done(const Status &status, const QString &selectAfter)
{
    m_error->setText(status ? QString() : status.error());
    m_error->setVisible(!status);
    refresh();
    if (!selectAfter.isEmpty())
        select(selectAfter);
    if (status)
        Q_EMIT pipelineChanged();
    return status;
}

Status StageEditorDialog::addStage(const QString &name, const QString &outcome)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return done(Error{tr("A stage needs a name.")}, {});
    for (const DealStage &s : std::as_const(m_stages))
        if (s.name.compare(trimmed, Qt::CaseInsensitive) == 0)
            return done(Error{tr("There is already a stage named “%1”.").arg(s.name)}, s.id);
    DealStage stage;
    stage.id = keyFor(trimmed, m_stages);
    stage.name = trimmed;
    stage.outcome = outcome;
    stage.position = m_stages.isEmpty() ? 1 : m_stages.last().position + 1;
    if (Status s = m_rooms.saveStage(stage); !s)
        return done(s, {});
    // Then into place: right after the selected stage (at the end when none is).
    QStringList order = stageIds();
    const qsizetype at = order.indexOf(selectedId());
    order.insert(at < 0 ? order.size() : at + 1, stage.id);
    return done(m_rooms.reorderStages(order), stage.id);
}

Status StageEditorDialog::renameStage(const QString &stageId, const QString &name)
{
    for (DealStage s : std::as_const(m_stages)) {
        if (s.id != stageId)
            continue;
        s.name = name.trimmed();
        return done(m_rooms.saveStage(s), stageId);
    }
    return done(Error{tr("\"%1\" is not a stage of the pipeline.").arg(stageId)}, {});
}

Status StageEditorDialog::moveStage(const QString &stageId, int step)
{
    QStringList order = stageIds();
    const qsizetype from = order.indexOf(stageId);
    const qsizetype to = from + step;
    if (from < 0 || to < 0 || to >= order.size())
        return done(Error{tr("The stage cannot move further.")}, stageId);
    order.move(from, to);
    return done(m_rooms.reorderStages(order), stageId);
}

Status StageEditorDialog::setOutcome(const QString &stageId, const QString &outcome)
{
    for (DealStage s : std::as_const(m_stages)) {
        if (s.id != stageId)
            continue;
        if (s.outcome == outcome)
            return {};
        s.outcome = outcome;
        return done(m_rooms.saveStage(s), stageId);
    }
    return done(Error{tr("\"%1\" is not a stage of the pipeline.").arg(stageId)}, {});
}

Status StageEditorDialog::removeStage(const QString &stageId, const QString &moveRoomsTo)
{
    const qsizetype row = stageIds().indexOf(stageId);
    const Status s = m_rooms.removeStage(stageId, moveRoomsTo, m_authorId, QStringLiteral("ecotone"));
    // Keep a neighbour selected, so repeated removals walk the list.
    const QStringList ids = stageIds();
    QString next = moveRoomsTo;
    if (next.isEmpty() && !ids.isEmpty())
        next = ids.value(row + 1 < ids.size() ? row + 1 : std::max<qsizetype>(0, row - 1));
    return done(s, s ? next : stageId);
}

void StageEditorDialog::askAdd()
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Add stage"), tr("Name of the new stage:"), QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty())
        (void)addStage(name);
}

void StageEditorDialog::askRename()
{
    const QString id = selectedId();
    QTreeWidgetItem *item = m_list->currentItem();
    if (id.isEmpty() || !item)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename stage"), tr("New name for “%1”:").arg(item->text(0)),
                                               QLineEdit::Normal, item->text(0), &ok);
    if (ok && !name.trimmed().isEmpty())
        (void)renameStage(id, name);
}

void StageEditorDialog::askRemove()
{
    const QString id = selectedId();
    QTreeWidgetItem *item = m_list->currentItem();
    if (id.isEmpty() || !item)
        return;
    const qint64 rooms = item->data(2, Qt::UserRole).toLongLong();
    if (rooms == 0) {
        if (QMessageBox::question(this, tr("Remove stage"), tr("Remove the stage “%1”?").arg(item->text(0))) ==
            QMessageBox::Yes)
            (void)removeStage(id);
        return;
    }
    // The rooms need a new stage first; the choice is explicit, never a silent default.
    QStringList names;
    QStringList ids;
    for (const DealStage &s : std::as_const(m_stages)) {
        if (s.id == id)
            continue;
        names << s.name;
        ids << s.id;
    }
    bool ok = false;
    const QString target = QInputDialog::getItem(
        this, tr("Remove stage"),
        tr("“%1” holds %n deal room(s). Move them to:", nullptr, int(std::min<qint64>(rooms, INT_MAX)))
            .arg(item->text(0)),
        names, 0, false, &ok);
    if (ok && names.contains(target))
        (void)removeStage(id, ids.at(names.indexOf(target)));
}

} // namespace ecotone::ui
