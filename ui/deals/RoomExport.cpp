#include "RoomExport.h"

#include "BoardColumnModel.h"
#include "deals/DealRoomRepository.h"
#include "mapping/Csv.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace ecotone::ui {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ui::RoomExport)
};

} // namespace

QString roleName(ParticipantRole role)
{
    switch (role) {
    case ParticipantRole::Sourcing:
        return Tr::tr("Sourcing");
    case ParticipantRole::Fulfilling:
        return Tr::tr("Fulfilling (reseller of record)");
    case ParticipantRole::Influencing:
        return Tr::tr("Influencing");
    case ParticipantRole::Technical:
        return Tr::tr("Technical");
    case ParticipantRole::CloudMarketplace:
        return Tr::tr("Cloud marketplace");
    }
    return {};
}

QString eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Note:
        return Tr::tr("Note");
    case EventKind::Call:
        return Tr::tr("Call");
    case EventKind::Meeting:
        return Tr::tr("Meeting");
    case EventKind::StageChange:
        return Tr::tr("Stage change");
    case EventKind::ParticipantChange:
        return Tr::tr("Participant change");
    case EventKind::System:
        return Tr::tr("System");
    }
    return {};
}

Result<RoomSummary> RoomSummary::load(DealRoomRepository &rooms, const QString &roomId,
                                      const QHash<QString, QString> &personNames, const QString &stageName)
{
    RoomSummary s;
    Result<DealRoom> room = rooms.find(roomId);
    if (!room)
        return Error{room.error()};
    s.room = room.value();
    s.stageName = stageName;
    Result<QList<RoomParticipant>> participants = rooms.participants(roomId);
    if (!participants)
        return Error{participants.error()};
    s.participants = participants.value();
    Result<QStringList> people = rooms.people(roomId);
    if (!people)
        return Error{people.error()};
    for (const QString &id : people.value())
        s.people << personNames.value(id, id);
    Result<QList<RoomTask>> tasks = rooms.tasks(roomId);
    if (!tasks)
        return Error{tasks.error()};
    s.tasks = tasks.value();
    Result<QList<RoomEvent>> events = rooms.events(roomId);
    if (!events)
        return Error{events.error()};
    s.events = events.value();
    s.personNames = personNames;
    return s;
}

Status exportRoomCsv(const RoomSummary &s, const QString &path)
{
    const QLocale c = QLocale::c();
    QString out;
    out += CsvWriter::line({Tr::tr("Room"), s.room.name});
    out += CsvWriter::line({Tr::tr("Account"), s.room.account.name});
    out += CsvWriter::line({Tr::tr("Stage"), s.stageName});
    out +=
        CsvWriter::line({Tr::tr("Amount"), deals::formatAmount(s.room.amountMinor, s.room.currency), s.room.currency});
    out += CsvWriter::line({Tr::tr("Close date"), s.room.closeDate.toString(Qt::ISODate)});
    out += QStringLiteral("\r\n") + CsvWriter::line({Tr::tr("Participant"), Tr::tr("Role")});
    for (const RoomParticipant &p : s.participants)
        out += CsvWriter::line({p.organizationName, roleName(p.role)});
    out += QStringLiteral("\r\n") + CsvWriter::line({Tr::tr("Task"), Tr::tr("Owner"), Tr::tr("Due"), Tr::tr("Done")});
    for (const RoomTask &t : s.tasks)
        out += CsvWriter::line({t.title, s.personNames.value(t.ownerId, t.ownerId), t.dueDate.toString(Qt::ISODate),
                                t.doneAt.isValid() ? deals::isoTime(t.doneAt) : QString()});
    out += QStringLiteral("\r\n") + CsvWriter::line({Tr::tr("Time"), Tr::tr("Kind"), Tr::tr("Author"), Tr::tr("Text")});
    for (const RoomEvent &e : s.events)
        out += CsvWriter::line({deals::isoTime(e.at), deals::key(e.kind),
                                e.authorId.isEmpty() ? e.actor : s.personNames.value(e.authorId, e.actor), e.text});
    Q_UNUSED(c);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Tr::tr("Cannot write %1: %2").arg(path, file.errorString())};
    file.write(QByteArray("\xEF\xBB\xBF") + out.toUtf8()); // BOM: spreadsheet apps then read UTF-8
    if (!file.commit())
        return Error{Tr::tr("Cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

Status exportRoomPdf(const RoomSummary &s, const QString &path)
{
    const QLocale locale;
    auto esc = [](const QString &t) -> QString { return t.toHtmlEscaped(); };
    QString html = QStringLiteral("<h1>%1</h1><p><b>%2</b> · %3 · %4 · %5</p>")
                       .arg(esc(s.room.name), esc(s.room.account.name), esc(s.stageName),
                            esc(formatMoney(s.room.amountMinor, s.room.currency)),
                            esc(Tr::tr("closes %1").arg(locale.toString(s.room.closeDate, QLocale::LongFormat))));
    html += QStringLiteral("<h2>%1</h2><table border=1 cellspacing=0 cellpadding=3 width=100%>")
                .arg(Tr::tr("Participants"));
    for (const RoomParticipant &p : s.participants)
        html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(esc(p.organizationName), esc(roleName(p.role)));
    html += QStringLiteral("</table><p>%1: %2</p>").arg(Tr::tr("People"), esc(s.people.join(QStringLiteral(", "))));
    html += QStringLiteral("<h2>%1</h2><table border=1 cellspacing=0 cellpadding=3 width=100%>").arg(Tr::tr("Tasks"));
    html += QStringLiteral("<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                .arg(Tr::tr("Task"), Tr::tr("Owner"), Tr::tr("Due"), Tr::tr("Done"));
    for (const RoomTask &t : s.tasks)
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                    .arg(esc(t.title), esc(s.personNames.value(t.ownerId)),
                         esc(locale.toString(t.dueDate, QLocale::ShortFormat)),
                         t.doneAt.isValid() ? esc(locale.toString(t.doneAt.toLocalTime(), QLocale::ShortFormat))
                                            : QString());
    html += QStringLiteral("</table><h2>%1</h2>").arg(Tr::tr("Timeline"));
    for (const RoomEvent &e : s.events)
        html += QStringLiteral("<p><b>%1</b> · %2 · %3<br>%4</p>")
                    .arg(esc(eventKindName(e.kind)), esc(locale.toString(e.at.toLocalTime(), QLocale::ShortFormat)),
                         esc(e.authorId.isEmpty() ? e.actor : s.personNames.value(e.authorId, e.actor)), esc(e.text));
    QFile probe(path);
    if (!probe.open(QIODevice::WriteOnly))
        return Error{Tr::tr("Cannot write %1: %2").arg(path, probe.errorString())};
    probe.close();
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(150);
    writer.setTitle(s.room.name);
    QTextDocument doc;
    doc.setHtml(html);
    doc.print(&writer);
    if (QFile(path).size() == 0)
        return Error{Tr::tr("Writing the PDF %1 failed.").arg(path)};
    return {};
}

} // namespace ecotone::ui
