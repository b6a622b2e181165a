#include "RoomView.h"

#include "BoardColumnModel.h"
#include "RoomExport.h"
#include "common/Icons.h"
#include "deals/DealRoomRepository.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeDatabase>
#include <QPushButton>
#include <QSqlQuery>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
QString kindIcon(EventKind kind)
{
    switch (kind) {
    case EventKind::Note:
        return QStringLiteral("deal-note");
    case EventKind::Call:
        return QStringLiteral("deal-call");
    case EventKind::Meeting:
        return QStringLiteral("deal-meeting");
    case EventKind::StageChange:
        return QStringLiteral("deal-stage");
    case EventKind::ParticipantChange:
        return QStringLiteral("deal-participant");
    case EventKind::System:
        return QStringLiteral("deal-system");
    }
    return {};
}
} // namespace

RoomView::RoomView(Workspace &workspace, DealRoomRepository &rooms, const QList<DealStage> &stages, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_rooms(rooms)
    , m_stages(stages)
{
    setAccessibleName(tr("Deal room"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    buildHeader();
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_error->setAccessibleName(tr("Room error"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    layout->addWidget(m_error);
    m_tabs = new QTabWidget(this);
    m_tabs->setAccessibleName(tr("Room sections"));
    m_tabs->addTab(buildTimeline(), tr("Timeline"));
    m_tabs->addTab(buildTasks(), tr("Tasks"));
    m_tabs->addTab(buildParticipants(), tr("Participants"));
    m_tabs->addTab(buildDocuments(), tr("Documents"));
    layout->addWidget(m_tabs, 1);
}

void RoomView::buildHeader()
{
    auto *top = new QHBoxLayout;
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setWordWrap(true);
    m_title->setAccessibleName(tr("Room name"));
    top->addWidget(m_title, 1);
    auto addButton = [&](const QString &text, const QString &iconName, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        if (!iconName.isEmpty()) {
            b->setIcon(icon(iconName));
            b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        }
        top->addWidget(b);
        return b;
    };
    connect(addButton(tr("CSV"), QStringLiteral("export"), tr("Export the room summary as CSV")), &QToolButton::clicked,
            this, [this] {
                const QString path =
                    QFileDialog::getSaveFileName(this, tr("Export room summary"), QString(), tr("CSV files (*.csv)"));
                if (!path.isEmpty())
                    report(exportCsv(path));
            });
    connect(addButton(tr("PDF"), QStringLiteral("export"), tr("Export the room summary as PDF")), &QToolButton::clicked,
            this, [this] {
                const QString path =
                    QFileDialog::getSaveFileName(this, tr("Export room summary"), QString(), tr("PDF files (*.pdf)"));
                if (!path.isEmpty())
                    report(exportPdf(path));
            });
    connect(addButton(QStringLiteral("✕"), QString(), tr("Close the room")), &QToolButton::clicked, this,
            &RoomView::closeRequested);
    static_cast<QVBoxLayout *>(layout())->addLayout(top);

    m_facts = new QLabel(this);
    m_facts->setWordWrap(true);
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setAccessibleName(tr("Room facts"));
    static_cast<QVBoxLayout *>(layout())->addWidget(m_facts);
    auto *stageRow = new QHBoxLayout;
    auto *stageLabel = new QLabel(tr("Stage"), this);
    m_stage = new QComboBox(this);
    m_stage->setAccessibleName(tr("Room stage"));
    stageLabel->setBuddy(m_stage);
    for (const DealStage &s : std::as_const(m_stages))
        m_stage->addItem(s.name, s.id);
    connect(m_stage, &QComboBox::activated, this,
            [this](int i) { Q_EMIT stageChangeRequested(m_roomId, m_stage->itemData(i).toString()); });
    stageRow->addWidget(stageLabel);
    stageRow->addWidget(m_stage);
    stageRow->addStretch(1);
    static_cast<QVBoxLayout *>(layout())->addLayout(stageRow);
    m_ids = new QLabel(this);
    m_ids->setWordWrap(true);
    m_ids->setAccessibleName(tr("Hyperscaler co-sell ids"));
    m_ids->setTextInteractionFlags(Qt::TextSelectableByMouse);
    static_cast<QVBoxLayout *>(layout())->addWidget(m_ids);
}

QWidget *RoomView::buildTimeline()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *add = new QHBoxLayout;
    m_eventKind = new QComboBox(page);
    m_eventKind->setAccessibleName(tr("Activity kind"));
    for (EventKind k : {EventKind::Note, EventKind::Call, EventKind::Meeting})
        m_eventKind->addItem(icon(kindIcon(k)), eventKindName(k), int(k));
    m_eventText = new QLineEdit(page);
    m_eventText->setPlaceholderText(tr("What happened?"));
    m_eventText->setAccessibleName(tr("Activity text"));
    auto *button = new QPushButton(tr("Add"), page);
    button->setAccessibleName(tr("Add activity"));
    auto submit = [this] {
        if (m_eventText->text().trimmed().isEmpty())
            return;
        const Status s = addNote(EventKind(m_eventKind->currentData().toInt()), m_eventText->text().trimmed());
        report(s);
        if (s)
            m_eventText->clear();
    };
    connect(button, &QPushButton::clicked, this, submit);
    connect(m_eventText, &QLineEdit::returnPressed, this, submit);
    add->addWidget(m_eventKind);
    add->addWidget(m_eventText, 1);
    add->addWidget(button);
    layout->addLayout(add);
    m_timeline = new QListWidget(page);
    m_timeline->setAccessibleName(tr("Timeline, newest first"));
    m_timeline->setWordWrap(true);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setIconSize(QSize(18, 18));
    layout->addWidget(m_timeline, 1);
    return page;
}

QWidget *RoomView::buildTasks()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *add = new QHBoxLayout;
    m_taskTitle = new QLineEdit(page);
    m_taskTitle->setPlaceholderText(tr("New task"));
    m_taskTitle->setAccessibleName(tr("New task title"));
    m_taskOwner = new QComboBox(page);
    m_taskOwner->setAccessibleName(tr("New task owner"));
    m_taskOwner->setMaximumWidth(180);
    m_taskDue = new QDateEdit(page);
    m_taskDue->setAccessibleName(tr("New task due date"));
    m_taskDue->setCalendarPopup(true);
    m_taskDue->setDate(QDate::currentDate().addDays(7));
    auto *button = new QPushButton(tr("Add task"), page);
    button->setAccessibleName(tr("Add task"));
    connect(button, &QPushButton::clicked, this, [this] {
        if (m_taskTitle->text().trimmed().isEmpty())
            return;
        const Status s =
            addTask(m_taskTitle->text().trimmed(), m_taskOwner->currentData().toString(), m_taskDue->date());
        report(s);
        if (s)
            m_taskTitle->clear();
    });
    add->addWidget(m_taskTitle, 1);
    add->addWidget(m_taskOwner);
    add->addWidget(m_taskDue);
    add->addWidget(button);
    layout->addLayout(add);
    m_tasks = new QTreeWidget(page);
    m_tasks->setAccessibleName(tr("Mutual action plan"));
    m_tasks->setRootIsDecorated(false);
    m_tasks->setHeaderLabels({tr("Task"), tr("Owner"), tr("Due")});
    m_tasks->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tasks->header()->setStretchLastSection(false);
    connect(m_tasks, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (column != 0)
            return;
        // Ticking completes, unticking reopens; both land in the timeline. Queued: the refresh rebuilds the list, and
        // the item whose box changed is still inside its setData() here.
        const QString id = item->data(0, Qt::UserRole).toString();
        const bool done = item->checkState(0) == Qt::Checked;
        QMetaObject::invokeMethod(
            this, [this, id, done] { report(setTaskDone(id, done)); }, Qt::QueuedConnection);
    });
    layout->addWidget(m_tasks, 1);
    return page;
}

QWidget *RoomView::buildParticipants()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_participants = new QTreeWidget(page);
    m_participants->setAccessibleName(tr("Participants and roles"));
    m_participants->setRootIsDecorated(false);
    m_participants->setHeaderLabels({tr("Organization"), tr("Role")});
    m_participants->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(m_participants, 2);
    auto *row = new QHBoxLayout;
    m_newOrg = new QComboBox(page);
    m_newOrg->setAccessibleName(tr("Organization to add"));
    m_newOrg->setMaximumWidth(220);
    OrganizationRepository orgs(m_workspace);
    if (Result<QList<Organization>> all = orgs.all()) {
        for (const Organization &o : all.value())
            m_newOrg->addItem(o.name, o.id);
    }
    m_newRole = new QComboBox(page);
    m_newRole->setAccessibleName(tr("Role of the organization to add"));
    for (ParticipantRole r : deals::allRoles())
        m_newRole->addItem(roleName(r), int(r));
    auto *addButton = new QPushButton(tr("Add"), page);
    addButton->setAccessibleName(tr("Add participant"));
    connect(addButton, &QPushButton::clicked, this, [this] {
        RoomParticipant p;
        p.roomId = m_roomId;
        p.organizationId = m_newOrg->currentData().toString();
        p.role = ParticipantRole(m_newRole->currentData().toInt());
        const Status s = m_rooms.addParticipant(p, true, m_viewerId);
        report(s);
        if (s) {
            refresh();
            Q_EMIT changed();
        }
    });
    auto *removeButton = new QPushButton(tr("Remove"), page);
    removeButton->setAccessibleName(tr("Remove the selected participant"));
    connect(removeButton, &QPushButton::clicked, this, [this] {
        QTreeWidgetItem *item = m_participants->currentItem();
        if (!item)
            return;
        const Status s = m_rooms.removeParticipant(item->data(0, Qt::UserRole).toString(), m_viewerId);
        report(s);
        if (s) {
            refresh();
            Q_EMIT changed();
        }
    });
    row->addWidget(m_newOrg, 1);
    row->addWidget(m_newRole);
    row->addWidget(addButton);
    row->addWidget(removeButton);
    layout->addLayout(row);
    auto *peopleLabel = new QLabel(tr("People with access"), page);
    layout->addWidget(peopleLabel);
    m_people = new QListWidget(page);
    m_people->setAccessibleName(tr("People with access"));
    layout->addWidget(m_people, 1);
    return page;
}

QWidget *RoomView::buildDocuments()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *row = new QHBoxLayout;
    auto *attachButton = new QPushButton(icon(QStringLiteral("deal-attach")), tr("Attach…"), page);
    attachButton->setAccessibleName(tr("Attach a document"));
    connect(attachButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Attach a document"));
        if (!path.isEmpty())
            report(attach(path));
    });
    auto *limit =
        new QLabel(tr("Up to %1 per document").arg(QLocale().formattedDataSize(deals::kMaxDocumentBytes)), page);
    row->addWidget(attachButton);
    row->addWidget(limit, 1);
    layout->addLayout(row);
    m_documents = new QListWidget(page);
    m_documents->setAccessibleName(tr("Documents"));
    layout->addWidget(m_documents, 1);
    return page;
}

void RoomView::setStages(const QList<DealStage> &stages)
{
    m_stages = stages;
    {
        const QSignalBlocker block(m_stage);
        m_stage->clear();
        for (const DealStage &s : std::as_const(m_stages))
            m_stage->addItem(s.name, s.id);
    }
    if (!m_roomId.isEmpty())
        refresh();
}

QString RoomView::personName(const QString &id)
{
    if (id.isEmpty())
        return {};
    if (auto it = m_names.constFind(id); it != m_names.cend())
        return it.value();
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT name FROM people WHERE id = ?"));
    q.addBindValue(id);
    const QString name = q.exec() && q.next() ? q.value(0).toString() : id;
    m_names.insert(id, name);
    return name;
}

QString RoomView::stageName(const QString &id) const
{
    for (const DealStage &s : m_stages) {
        if (s.id == id)
            return s.name;
    }
    return id;
}

void RoomView::setRoom(const QString &roomId, const QString &viewerId)
{
    m_roomId = roomId;
    m_viewerId = viewerId;
    m_error->hide();
    refresh();
}

void RoomView::refresh()
{
    if (m_roomId.isEmpty())
        return;
    Result<DealRoom> found = m_rooms.find(m_roomId);
    if (!found) {
        report(Status(Error{found.error()}));
        return;
    }
    const DealRoom &room = found.value();
    const QLocale locale;
    m_title->setText(room.name);
    QString facts = QStringLiteral("<b>%1</b>").arg(room.account.name.toHtmlEscaped());
    if (!room.account.website.isEmpty())
        facts += QStringLiteral(" · ") + room.account.website.toHtmlEscaped();
    facts +=
        QStringLiteral("<br>") +
        tr("%1 · closes %2")
            .arg(formatMoney(room.amountMinor, room.currency).toHtmlEscaped(),
                 room.closeDate.isValid() ? locale.toString(room.closeDate, QLocale::LongFormat) : tr("no close date"));
    m_facts->setText(facts);
    {
        const QSignalBlocker block(m_stage);
        m_stage->setCurrentIndex(m_stage->findData(room.stage));
    }
    QStringList ids;
    if (!room.aceOpportunityId.isEmpty())
        ids << tr("AWS ACE %1 (%2)")
                   .arg(room.aceOpportunityId,
                        room.aceReviewStatus.isEmpty() ? tr("no review status") : room.aceReviewStatus);
    if (!room.partnerCenterReferralId.isEmpty())
        ids << tr("Microsoft Partner Center %1").arg(room.partnerCenterReferralId);
    m_ids->setText(ids.isEmpty() ? tr("No hyperscaler co-sell ids") : ids.join(QStringLiteral(" · ")));

    // Timeline, newest first.
    m_timeline->clear();
    if (Result<QList<RoomEvent>> events = m_rooms.events(m_roomId, 500)) {
        for (const RoomEvent &e : events.value()) {
            QString text = e.text;
            if (e.kind == EventKind::StageChange && text.isEmpty())
                text = tr("Stage changed");
            const QString author = e.authorId.isEmpty() ? e.actor : personName(e.authorId);
            auto *item =
                new QListWidgetItem(icon(kindIcon(e.kind)),
                                    tr("%1\n%2 · %3 · %4")
                                        .arg(text, eventKindName(e.kind), author.isEmpty() ? tr("system") : author,
                                             locale.toString(e.at.toLocalTime(), QLocale::ShortFormat)),
                                    m_timeline);
            item->setData(Qt::UserRole, e.id);
        }
    } else {
        report(Status(Error{events.error()}));
    }

    // People (also the task owners to pick from).
    m_people->clear();
    m_taskOwner->clear();
    if (Result<QStringList> people = m_rooms.people(m_roomId)) {
        for (const QString &id : people.value()) {
            m_people->addItem(personName(id));
            m_taskOwner->addItem(personName(id), id);
        }
    }
    const int me = m_taskOwner->findData(m_viewerId);
    if (me >= 0)
        m_taskOwner->setCurrentIndex(me);

    // Tasks: open first by due date (the repository's order); overdue in red.
    {
        const QSignalBlocker block(m_tasks);
        m_tasks->clear();
        const QDate today = m_rooms.now().date();
        if (Result<QList<RoomTask>> tasks = m_rooms.tasks(m_roomId)) {
            for (const RoomTask &t : tasks.value()) {
                auto *item = new QTreeWidgetItem(
                    m_tasks, {t.title, personName(t.ownerId),
                              t.dueDate.isValid() ? locale.toString(t.dueDate, QLocale::ShortFormat) : QString()});
                item->setData(0, Qt::UserRole, t.id);
                const bool done = t.doneAt.isValid();
                item->setCheckState(0, done ? Qt::Checked : Qt::Unchecked);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setData(0, Qt::AccessibleDescriptionRole,
                              done ? tr("Done; untick to reopen") : tr("Open; tick when done"));
                if (!done && t.dueDate.isValid() && t.dueDate < today) {
                    for (int c = 0; c < 3; ++c)
                        item->setForeground(c, QColor(0xd3, 0x2f, 0x2f));
                    item->setToolTip(2, tr("Overdue"));
                    item->setData(2, Qt::AccessibleTextRole, tr("%1, overdue").arg(item->text(2)));
                }
                if (done) {
                    QFont f = item->font(0);
                    f.setStrikeOut(true);
                    item->setFont(0, f);
                }
            }
        }
        m_tasks->resizeColumnToContents(1);
        m_tasks->resizeColumnToContents(2);
    }

    m_participants->clear();
    if (Result<QList<RoomParticipant>> ps = m_rooms.participants(m_roomId)) {
        for (const RoomParticipant &p : ps.value()) {
            auto *item = new QTreeWidgetItem(m_participants, {p.organizationName, roleName(p.role)});
            item->setData(0, Qt::UserRole, p.id);
        }
    }

    m_documents->clear();
    if (Result<QList<RoomDocument>> docs = m_rooms.documents(m_roomId)) {
        for (const RoomDocument &d : docs.value())
            m_documents->addItem(tr("%1 (%2) · %3")
                                     .arg(d.name, locale.formattedDataSize(d.size),
                                          locale.toString(d.addedAt.toLocalTime(), QLocale::ShortFormat)));
    }
}

Status RoomView::addNote(EventKind kind, const QString &text)
{
    RoomEvent e;
    e.roomId = m_roomId;
    e.kind = kind;
    e.authorId = m_viewerId;
    e.actor = personName(m_viewerId);
    e.text = text;
    const Status s = m_rooms.addEvent(e);
    if (s) {
        refresh();
        Q_EMIT changed();
    }
    return s;
}

Status RoomView::addTask(const QString &title, const QString &ownerId, const QDate &due)
{
    RoomTask t;
    t.roomId = m_roomId;
    t.title = title;
    t.ownerId = ownerId;
    t.dueDate = due;
    const Status s = m_rooms.addTask(t);
    if (s) {
        refresh();
        Q_EMIT changed();
    }
    return s;
}

Status RoomView::setTaskDone(const QString &taskId, bool done)
{
    const QString actor = personName(m_viewerId);
    const Status s =
        done ? m_rooms.completeTask(taskId, m_viewerId, actor) : m_rooms.reopenTask(taskId, m_viewerId, actor);
    // Refresh on failure too, so the box shows what is stored.
    refresh();
    if (s)
        Q_EMIT changed();
    return s;
}

Status RoomView::attach(const QString &filePath)
{
    QFile file(filePath);
    const QFileInfo info(filePath);
    // Check the size before reading, so a huge file is refused without loading it.
    if (info.size() > deals::kMaxDocumentBytes)
        return Error{tr("“%1” is %2; documents can be at most %3.")
                         .arg(info.fileName(), QLocale().formattedDataSize(info.size()),
                              QLocale().formattedDataSize(deals::kMaxDocumentBytes))};
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("Cannot read %1: %2").arg(filePath, file.errorString())};
    RoomDocument doc;
    doc.roomId = m_roomId;
    doc.name = info.fileName();
    doc.mime = QMimeDatabase().mimeTypeForFile(info).name();
    doc.addedBy = m_viewerId;
    const Status s = m_rooms.addDocument(doc, file.readAll());
    if (s) {
        refresh();
        Q_EMIT changed();
    }
    return s;
}

Status RoomView::exportCsv(const QString &path)
{
    Result<RoomSummary> s = RoomSummary::load(m_rooms, m_roomId, m_names, m_stage->currentText());
    if (!s)
        return Error{s.error()};
    return exportRoomCsv(s.value(), path);
}

Status RoomView::exportPdf(const QString &path)
{
    Result<RoomSummary> s = RoomSummary::load(m_rooms, m_roomId, m_names, m_stage->currentText());
    if (!s)
        return Error{s.error()};
    return exportRoomPdf(s.value(), path);
}

void RoomView::report(const Status &status)
{
    m_lastError = status ? QString() : status.error();
    m_error->setText(m_lastError);
    m_error->setVisible(!m_lastError.isEmpty());
}

} // namespace ecotone::ui
