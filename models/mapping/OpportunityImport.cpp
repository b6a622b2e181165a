#include "OpportunityImport.h"

#include "mapping/CompanyNames.h"
#include "mapping/ImportProblems.h"
#include "store/OpportunityRepository.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QSqlQuery>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::OpportunityImport)
};

// The owner's accounts as linking needs them: by CRM id, and by normalized name (built only when a row needs it,
// as normalizing a large CRM's names costs more than the rest of a small import).
class AccountIndex
{
public:
    Status load(Workspace &workspace, const QString &ownerId)
    {
        QSqlQuery q(workspace.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id, external_id, name FROM accounts WHERE owner_id = ?"));
        q.addBindValue(ownerId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading accounts"));
        while (q.next()) {
            const QString id = q.value(0).toString();
            if (const QString external = q.value(1).toString(); !external.isEmpty())
                m_byExternalId.insert(external, id);
            m_names.append({id, q.value(2).toString()});
        }
        return {};
    }

    QString find(const QString &externalId, const QString &name)
    {
        if (!externalId.isEmpty()) {
            if (auto it = m_byExternalId.constFind(externalId); it != m_byExternalId.cend())
                return it.value();
        }
        if (name.isEmpty() || m_noNames)
            return {};
        // Deals repeat their account's name; normalizing it once per name, not per deal, halves a large import.
        if (auto seen = m_byRawName.constFind(name); seen != m_byRawName.cend())
            return seen.value();
        if (!m_nameIndexBuilt) {
            for (const auto &[id, accountName] : std::as_const(m_names)) {
                const QString key = companynames::normalize(accountName);
                if (key.isEmpty())
                    continue;
                auto it = m_byName.find(key);
                if (it == m_byName.end())
                    m_byName.insert(key, id);
                else
                    it.value().clear(); // two accounts share the name: link neither
            }
            m_names.clear();
            m_nameIndexBuilt = true;
            m_noNames = m_byName.isEmpty();
            if (m_noNames)
                return {};
        }
        const QString id = m_byName.value(companynames::normalize(name));
        m_byRawName.insert(name, id);
        return id;
    }

private:
    QHash<QString, QString> m_byExternalId;
    QHash<QString, QString> m_byName;    // normalized name -> id, or empty when ambiguous
    QHash<QString, QString> m_byRawName; // the export's name -> what it linked to
    QList<std::pair<QString, QString>> m_names;
    bool m_nameIndexBuilt = false;
    bool m_noNames = false;
};
} // namespace

Result<OpportunityImportReport> importOpportunities(Workspace &workspace, const QString &ownerId, const QString &path,
                                                    const OpportunityImportOptions &options)
{
    if (auto owner = OrganizationRepository(workspace).find(ownerId); !owner)
        return Error{owner.error()};
    const QString name = QFileInfo(path).fileName();
    OpportunityRepository repository(workspace);
    auto existing = repository.byExternalId(ownerId);
    if (!existing)
        return Error{existing.error()};
    const QHash<QString, Opportunity> &byExternalId = existing.value();
    AccountIndex accounts;
    if (Status s = accounts.load(workspace, ownerId); !s)
        return Error{s.error()};

    OpportunityImportReport report;
    QStringList problems;
    QString writeError;
    QHash<QString, qint64> firstLine; // an id twice in one file is a mistake to show, not a silent overwrite
    Status began = workspace.begin();
    if (!began)
        return Error{began.error()};

    CrmOpportunityReadOptions readOptions;
    readOptions.defaultCurrency = options.defaultCurrency;
    readOptions.columns = options.columns;
    readOptions.progress = options.progress;
    readOptions.sink = [&](CrmOpportunity &&row) {
        auto seen = firstLine.constFind(row.crmId);
        if (seen != firstLine.cend()) {
            problems << QStringLiteral("%1:%2: id: %3")
                            .arg(name)
                            .arg(row.sourceLine)
                            .arg(Tr::tr("\"%1\" is also on line %2").arg(row.crmId).arg(seen.value()));
            return;
        }
        firstLine.insert(row.crmId, row.sourceLine);
        if (!problems.isEmpty() || !writeError.isEmpty())
            return; // keep reading to report every problem; nothing more is written
        Opportunity o;
        const auto known = byExternalId.constFind(row.crmId);
        if (known != byExternalId.cend())
            o = known.value();
        o.ownerId = ownerId;
        o.accountId = accounts.find(row.accountExternalId, row.accountName);
        o.accountExternalId = row.accountExternalId;
        o.accountName = row.accountName;
        o.name = row.name;
        o.stage = row.stage;
        o.state = row.state;
        o.amountMinor = row.amountMinor;
        o.currency = row.currency;
        o.closeDate = row.closeDate;
        o.crmOwner = row.owner;
        if (!options.crmSource.isEmpty())
            o.crmSource = options.crmSource;
        else if (o.crmSource.isEmpty())
            o.crmSource = QStringLiteral("csv");
        o.externalId = row.crmId;
        ++(o.accountId.isEmpty() ? report.unlinked : report.linked);
        Status s;
        if (known == byExternalId.cend()) {
            s = repository.insert(o);
            ++report.inserted;
        } else if (o == known.value()) {
            ++report.unchanged;
            return;
        } else {
            s = repository.update(known.value(), o);
            ++report.updated;
        }
        if (!s)
            writeError = Tr::tr("%1:%2: %3 Nothing was changed.").arg(name).arg(row.sourceLine).arg(s.error());
    };
    auto file = crmopportunities::read(path, readOptions);
    auto fail = [&](const QString &message) -> Result<OpportunityImportReport> {
        workspace.rollback();
        return Error{message};
    };
    if (!file)
        return fail(file.error());
    problems = file->problems + problems;
    if (!problems.isEmpty())
        return fail(importRefusal(name, problems));
    if (!writeError.isEmpty())
        return fail(writeError);
    if (file->rows == 0)
        return fail(Tr::tr("%1 has a header but no opportunity rows; nothing was imported.").arg(name));
    if (Status s = workspace.commit(); !s)
        return Error{s.error()};
    report.dateOrder = file->dateOrder;
    return report;
}

} // namespace ecotone
