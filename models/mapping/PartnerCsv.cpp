#include "PartnerCsv.h"

#include "mapping/Csv.h"
#include "mapping/ImportProblems.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::PartnerCsv)
};

QStringList splitList(const QString &cell)
{
    QStringList out;
    for (const QString &part : cell.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

} // namespace

QStringList partnercsv::header()
{
    return {QStringLiteral("id"),         QStringLiteral("kind"),         QStringLiteral("name"),
            QStringLiteral("types"),      QStringLiteral("tier"),         QStringLiteral("regions"),
            QStringLiteral("industries"), QStringLiteral("capabilities"), QStringLiteral("website"),
            QStringLiteral("domain"),     QStringLiteral("description"),  QStringLiteral("status"),
            QStringLiteral("join_date")};
}

QStringList partnercsv::row(const Organization &o)
{
    const QString sep = QStringLiteral("; ");
    return {o.id,
            organization::kindKey(o.kind),
            o.name,
            partnertype::keys(o.types).join(sep),
            o.tier,
            o.regions.join(sep),
            o.industries.join(sep),
            o.capabilities.join(sep),
            o.website,
            o.domain,
            o.description,
            o.status,
            o.joinDate.isValid() ? o.joinDate.toString(Qt::ISODate) : QString()};
}

Result<qint64> partnercsv::exportTo(Workspace &workspace, const QString &path)
{
    OrganizationRepository repo(workspace);
    auto orgs = repo.all();
    if (!orgs)
        return Error{orgs.error()};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Tr::tr("Cannot write \"%1\": %2").arg(path, file.errorString())};
    file.write("\xEF\xBB\xBF"); // Excel reads UTF-8 only with the BOM
    CsvWriter writer(&file);
    writer.writeRow(header());
    qint64 rows = 0;
    for (const Organization &o : orgs.value()) {
        writer.writeRow(row(o));
        ++rows;
    }
    if (!file.commit())
        return Error{Tr::tr("Cannot write \"%1\": %2").arg(path, file.errorString())};
    return rows;
}

Result<PartnerImportReport> partnercsv::importFrom(Workspace &workspace, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot read \"%1\": %2").arg(path, file.errorString())};
    const QString source = QFileInfo(path).fileName();
    CsvReader reader(&file, source);

    QStringList head;
    if (!reader.next(head))
        return Error{reader.atError() ? reader.error() : Tr::tr("%1 is empty: expected a header row.").arg(source)};
    QHash<QString, int> col;
    for (int i = 0; i < head.size(); ++i)
        col.insert(head.at(i).trimmed().toLower().replace(QLatin1Char(' '), QLatin1Char('_')), i);
    if (!col.contains(QStringLiteral("name")))
        return Error{Tr::tr("%1, line 1: there is no \"name\" column. Expected columns: %2.")
                         .arg(source, header().join(QStringLiteral(", ")))};

    OrganizationRepository repo(workspace);
    auto existing = repo.all();
    if (!existing)
        return Error{existing.error()};
    QHash<QString, Organization> byId;
    QHash<QString, QString> idByName;
    bool hasVendor = false;
    for (const Organization &o : existing.value()) {
        byId.insert(o.id, o);
        idByName.insert(o.name.toCaseFolded(), o.id);
        hasVendor = hasVendor || o.kind == OrganizationKind::Vendor;
    }

    QStringList problems;
    QList<Organization> toInsert;
    QList<Organization> toUpdate;
    QStringList fields;
    while (reader.next(fields)) {
        const qint64 line = reader.recordLine();
        auto cell = [&](const char *name) {
            const int i = col.value(QLatin1String(name), -1);
            // Undo the writer's formula guard first: a guarded TAB or CR would not survive trimming.
            return i >= 0 && i < fields.size() ? CsvWriter::unguard(fields.at(i)).trimmed() : QString();
        };
        auto problem = [&](const QString &column, const QString &reason) {
            problems << QStringLiteral("%1:%2: %3: %4").arg(source).arg(line).arg(column, reason);
        };
        if (fields.size() != head.size()) {
            problem(Tr::tr("row"), Tr::tr("has %1 fields, the header has %2").arg(fields.size()).arg(head.size()));
            continue;
        }
        const QString id = cell("id");
        Organization org;
        const bool known = !id.isEmpty() && byId.contains(id);
        const QString nameKey = cell("name").toCaseFolded();
        if (known)
            org = byId.value(id);
        else if (!nameKey.isEmpty() && idByName.contains(nameKey))
            org = byId.value(idByName.value(nameKey));
        if (!known && !nameKey.isEmpty() && idByName.contains(nameKey) && idByName.value(nameKey).isEmpty())
            problem(QStringLiteral("name"), Tr::tr("\"%1\" appears in more than one row").arg(cell("name")));
        const bool isUpdate = !org.id.isEmpty();
        if (!isUpdate && !id.isEmpty() && IdGenerator::isValid(id))
            org.id = id;
        if (col.contains(QStringLiteral("kind")) && !cell("kind").isEmpty()) {
            const QString kind = cell("kind").toLower();
            if (kind != QLatin1String("vendor") && kind != QLatin1String("partner"))
                problem(QStringLiteral("kind"), Tr::tr("\"%1\" is neither vendor nor partner").arg(cell("kind")));
            else if (isUpdate && organization::kindFromKey(kind) != org.kind)
                problem(QStringLiteral("kind"), Tr::tr("cannot change between vendor and partner"));
            else if (!isUpdate && kind == QLatin1String("vendor") && hasVendor)
                problem(QStringLiteral("kind"), Tr::tr("a workspace has one vendor; import partners only"));
            else if (!isUpdate && kind == QLatin1String("vendor")) {
                // A workspace without a vendor takes it from the file, as when an export is imported anew.
                org.kind = OrganizationKind::Vendor;
                hasVendor = true;
            }
        }
        org.name = cell("name");
        if (col.contains(QStringLiteral("types"))) {
            org.types.clear();
            for (const QString &t : splitList(cell("types"))) {
                if (auto type = partnertype::fromKey(t)) {
                    if (!org.types.contains(*type))
                        org.types << *type;
                } else {
                    problem(QStringLiteral("types"), Tr::tr("unknown partner type \"%1\"").arg(t));
                }
            }
        }
        auto setText = [&](const char *name, QString &target) {
            if (col.contains(QLatin1String(name)))
                target = cell(name);
        };
        auto setList = [&](const char *name, QStringList &target) {
            if (col.contains(QLatin1String(name)))
                target = splitList(cell(name));
        };
        setText("tier", org.tier);
        setList("regions", org.regions);
        setList("industries", org.industries);
        setList("capabilities", org.capabilities);
        setText("website", org.website);
        setText("description", org.description);
        if (col.contains(QStringLiteral("status")))
            org.status = cell("status").isEmpty() ? QStringLiteral("active") : cell("status").toLower();
        if (col.contains(QStringLiteral("join_date"))) {
            const QString d = cell("join_date");
            org.joinDate = QDate::fromString(d, Qt::ISODate);
            if (!d.isEmpty() && !org.joinDate.isValid())
                problem(QStringLiteral("join_date"), Tr::tr("\"%1\" is not a date (YYYY-MM-DD)").arg(d));
        }
        Organization prepared = org;
        for (const QString &p : OrganizationRepository::prepare(prepared))
            problem(Tr::tr("record"), p);
        if (isUpdate)
            toUpdate << org;
        else {
            toInsert << org;
            if (!nameKey.isEmpty())
                idByName.insert(nameKey, QString()); // a second row with the same new name is a duplicate
        }
    }
    if (reader.atError())
        return Error{reader.error()};
    if (!problems.isEmpty())
        return Error{importRefusal(source, problems)};

    PartnerImportReport report;
    Transaction tx(workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    for (Organization &o : toInsert) {
        if (Status s = repo.insert(o); !s)
            return Error{s.error()};
        ++report.inserted;
    }
    for (Organization &o : toUpdate) {
        Organization before = byId.value(o.id);
        OrganizationRepository::prepare(before);
        Organization after = o;
        OrganizationRepository::prepare(after);
        if (before == after) {
            ++report.unchanged;
            continue;
        }
        if (Status s = repo.update(o); !s)
            return Error{s.error()};
        ++report.updated;
    }
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return report;
}

} // namespace ecotone
