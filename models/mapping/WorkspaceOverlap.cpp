#include "WorkspaceOverlap.h"

#include "governance/AgreementRepository.h"
#include "mapping/CompanyNames.h"
#include "mapping/Csv.h"
#include "mapping/Domains.h"
#include "store/Workspace.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QMutexLocker>
#include <QSaveFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace ecotone::overlap {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::overlap::OverlapSource)
};

constexpr qsizetype kFuzzyMinLength = 8; // as the matcher: shorter names never match fuzzily
constexpr int kPrefix = 8;
constexpr qsizetype kMaxEdits = 2;  // as the matcher
constexpr int kMaxPopulations = 64; // membership is a 64-bit mask per company

int statusRank(const QString &status)
{
    if (status == QLatin1String("customer"))
        return 3;
    if (status == QLatin1String("opportunity"))
        return 2;
    return status == QLatin1String("prospect") ? 1 : 0;
}

QString nameCountry(const CrmAccount &a)
{
    return a.normalizedName + QChar(0x1f) + a.countryKey;
}

// The matcher's fuzzy blocks: the first eight characters, and the first eight after leaving out one of them. Two
// records can only be fuzzy candidates when they share one of these keys, so indexing ours by them finds every
// candidate of a partner's record. The hash differs from the matcher's; a collision only adds a candidate.
int blockKeys(const QString &name, quint64 keys[kPrefix + 1])
{
    int count = 0;
    char16_t buffer[kPrefix];
    for (qsizetype skip = -1; skip < kPrefix && skip < name.size(); ++skip) {
        int taken = 0;
        for (qsizetype i = 0; i < name.size() && taken < kPrefix; ++i)
            if (i != skip)
                buffer[taken++] = name.at(i).unicode();
        const quint64 h = quint64(qHashBits(buffer, size_t(taken) * sizeof(char16_t), 0x9e3779b9u)) ^
                          (quint64(qHashBits(buffer, size_t(taken) * sizeof(char16_t), 0x85ebca6bu)) << 32);
        if (std::find(keys, keys + count, h) == keys + count)
            keys[count++] = h;
    }
    return count;
}

// The part of the (indexed) vendor side that matching against theirs can touch: every record sharing a domain,
// a normalized name or a fuzzy block key with one of theirs, closed under the grouping rules (same domain, same
// name and country) so that it holds whole companies and groups exactly as the full side does. Ascending, so the
// matcher sees the records in their original order (its grouping and tie-breaks depend on order).
std::vector<qsizetype> subsetFor(const SideAccounts &ours, const SideAccounts &theirs, bool allowDifferentDomains)
{
    std::vector<char> in(size_t(ours.keys.size()), 0);
    std::vector<qsizetype> queue;
    auto add = [&](qsizetype i) {
        if (!in[size_t(i)]) {
            in[size_t(i)] = 1;
            queue.push_back(i);
        }
    };
    auto addAll = [&](const QMultiHash<QString, qsizetype> &index, const QString &key) {
        for (auto it = index.constFind(key); it != index.constEnd() && it.key() == key; ++it)
            add(it.value());
    };
    quint64 keys[kPrefix + 1];
    for (const CrmAccount &t : theirs.keys) {
        if (!t.registrableDomain.isEmpty())
            addAll(ours.byDomain, t.registrableDomain);
        if (!t.normalizedName.isEmpty())
            addAll(ours.byName, t.normalizedName);
        if (t.normalizedName.size() < kFuzzyMinLength)
            continue;
        const int count = blockKeys(t.normalizedName, keys);
        for (int k = 0; k < count; ++k) {
            auto it =
                std::lower_bound(ours.blocks.begin(), ours.blocks.end(), std::pair<quint64, qsizetype>(keys[k], 0));
            for (; it != ours.blocks.end() && it->first == keys[k]; ++it) {
                // Only what the matcher's cheap fuzzy filters let through: lengths at most two apart, compatible
                // countries, and not both websites known (they would differ, or the domain rule had linked them).
                const CrmAccount &o = ours.keys.at(it->second);
                if (std::abs(o.normalizedName.size() - t.normalizedName.size()) > kMaxEdits)
                    continue;
                if (!o.countryKey.isEmpty() && !t.countryKey.isEmpty() && o.countryKey != t.countryKey)
                    continue;
                if (!allowDifferentDomains && !o.registrableDomain.isEmpty() && !t.registrableDomain.isEmpty())
                    continue;
                add(it->second);
            }
        }
    }
    for (size_t q = 0; q < queue.size(); ++q) {
        const CrmAccount &r = ours.keys.at(queue[q]);
        if (!r.registrableDomain.isEmpty())
            addAll(ours.byDomain, r.registrableDomain);
        if (!r.normalizedName.isEmpty())
            addAll(ours.byNameCountry, nameCountry(r));
    }
    std::sort(queue.begin(), queue.end());
    return queue;
}

// Per company, the populations it belongs to (bit per population).
std::vector<quint64> memberships(const SideAccounts &side, const QList<qsizetype> &records,
                                 const QList<qsizetype> &companyOf, qsizetype companies,
                                 const QList<Population> &populations)
{
    std::vector<int> rank(size_t(companies), 0);
    std::vector<quint64> bits(size_t(companies), 0);
    for (qsizetype i = 0; i < records.size(); ++i) {
        const qsizetype c = companyOf.at(i);
        const Account &a = side.accounts.at(records.at(i));
        rank[size_t(c)] = std::max(rank[size_t(c)], statusRank(side.keys.at(records.at(i)).status));
        for (qsizetype p = 0; p < populations.size() && p < kMaxPopulations; ++p)
            if (populations.at(p).filter && populations.at(p).filter->matches(a))
                bits[size_t(c)] |= quint64(1) << p;
    }
    for (qsizetype c = 0; c < companies; ++c) {
        const int r = rank[size_t(c)];
        if (r == 0)
            continue;
        const QString key =
            r == 3 ? QStringLiteral("customer") : (r == 2 ? QStringLiteral("opportunity") : QStringLiteral("prospect"));
        for (qsizetype p = 0; p < populations.size() && p < kMaxPopulations; ++p)
            if (!populations.at(p).filter && populations.at(p).key == key)
                bits[size_t(c)] |= quint64(1) << p;
    }
    return bits;
}
} // namespace

QList<Population> standardPopulations()
{
    return {{QStringLiteral("customer"), Tr::tr("Customers"), std::nullopt},
            {QStringLiteral("opportunity"), Tr::tr("Open Opportunities"), std::nullopt},
            {QStringLiteral("prospect"), Tr::tr("Prospects"), std::nullopt}};
}

QList<Population> populationsWith(const QList<CustomPopulation> &custom)
{
    QList<Population> out = standardPopulations();
    for (const CustomPopulation &c : custom)
        if (out.size() < kMaxPopulations)
            out << Population{c.key(), c.name, c.filter};
    return out;
}

Result<std::shared_ptr<const SideAccounts>> loadSide(QSqlDatabase &db, const QString &ownerId, bool withIndexes)
{
    auto side = std::make_shared<SideAccounts>();
    side->ownerId = ownerId;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, name, website, domain, country, industry, status, crm_source, external_id "
                             "FROM accounts WHERE owner_id = ? ORDER BY id"));
    q.addBindValue(ownerId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading accounts"));
    while (q.next()) {
        Account a;
        a.id = q.value(0).toString();
        a.ownerId = ownerId;
        a.name = q.value(1).toString();
        a.website = q.value(2).toString();
        a.domain = q.value(3).toString();
        a.country = q.value(4).toString();
        a.industry = q.value(5).toString();
        a.status = accountstatus::fromKey(q.value(6).toString()).value_or(AccountStatus::Prospect);
        a.crmSource = q.value(7).toString();
        a.externalId = q.value(8).toString();
        CrmAccount k;
        k.crmId = a.id;
        k.registrableDomain = !a.domain.isEmpty() ? a.domain.toLower() : domains::registrableDomain(a.website);
        k.status = q.value(6).toString();
        k.normalizedName = companynames::normalize(a.name);
        k.countryKey = companynames::countryKey(a.country);
        side->accounts << std::move(a);
        side->keys << std::move(k);
    }
    if (q.lastError().isValid())
        return sqlError(q, Tr::tr("Reading accounts"));
    // An account with an open deal in the imported opportunities is in Open Opportunities even when the CRM's
    // account type still says prospect; a customer stays a customer.
    QSqlQuery deals(db);
    deals.setForwardOnly(true);
    deals.prepare(QStringLiteral("SELECT DISTINCT account_id FROM opportunities WHERE owner_id = ? AND state = 'open' "
                                 "AND account_id IS NOT NULL"));
    deals.addBindValue(ownerId);
    if (!deals.exec())
        return sqlError(deals, Tr::tr("Reading opportunities"));
    QSet<QString> withOpenDeal;
    while (deals.next())
        withOpenDeal.insert(deals.value(0).toString());
    if (!withOpenDeal.isEmpty()) {
        for (qsizetype i = 0; i < side->accounts.size(); ++i) {
            Account &a = side->accounts[i];
            if (a.status != AccountStatus::Customer && withOpenDeal.contains(a.id)) {
                a.status = AccountStatus::Opportunity;
                side->keys[i].status = QStringLiteral("opportunity");
            }
        }
    }
    matching::Options grouping;
    grouping.fuzzy = false;
    side->companies = matching::match(side->keys, {}, grouping).ours.companies;
    if (withIndexes) {
        side->indexed = true;
        quint64 keys[kPrefix + 1];
        for (qsizetype i = 0; i < side->keys.size(); ++i) {
            const CrmAccount &k = side->keys.at(i);
            if (!k.registrableDomain.isEmpty())
                side->byDomain.insert(k.registrableDomain, i);
            if (k.normalizedName.isEmpty())
                continue;
            side->byName.insert(k.normalizedName, i);
            side->byNameCountry.insert(nameCountry(k), i);
            if (k.normalizedName.size() < kFuzzyMinLength)
                continue;
            const int count = blockKeys(k.normalizedName, keys);
            for (int b = 0; b < count; ++b)
                side->blocks.emplace_back(keys[b], i);
        }
        std::sort(side->blocks.begin(), side->blocks.end());
    }
    return std::shared_ptr<const SideAccounts>(std::move(side));
}

qsizetype Overlap::maxLinks() const
{
    qsizetype m = 0;
    for (const Cell &c : cells)
        m = std::max(m, c.links);
    return m;
}

Overlap compute(const std::shared_ptr<const SideAccounts> &ours, const std::shared_ptr<const SideAccounts> &theirs,
                const QList<Population> &populations, const matching::Options &options)
{
    Overlap out;
    out.ours = ours;
    out.theirs = theirs;
    out.partnerId = theirs->ownerId;
    out.populations = populations.mid(0, kMaxPopulations);
    const qsizetype p = out.populations.size();

    QList<qsizetype> ourRecords;
    QList<CrmAccount> ourKeys;
    if (ours->indexed) {
        const std::vector<qsizetype> subset = subsetFor(*ours, *theirs, options.allowNameWithDifferentDomains);
        ourRecords.reserve(qsizetype(subset.size()));
        ourKeys.reserve(qsizetype(subset.size()));
        for (qsizetype i : subset) {
            ourRecords << i;
            ourKeys << ours->keys.at(i);
        }
    } else {
        ourKeys = ours->keys;
        for (qsizetype i = 0; i < ours->keys.size(); ++i)
            ourRecords << i;
    }
    QList<qsizetype> theirRecords;
    for (qsizetype i = 0; i < theirs->keys.size(); ++i)
        theirRecords << i;

    const matching::Result result = matching::match(ourKeys, theirs->keys, options);
    const std::vector<quint64> ourBits =
        memberships(*ours, ourRecords, result.ours.companyOf, result.ours.companies, out.populations);
    const std::vector<quint64> theirBits =
        memberships(*theirs, theirRecords, result.theirs.companyOf, result.theirs.companies, out.populations);

    out.cells.resize(p * p);
    std::vector<QSet<qsizetype>> cellOurs(size_t(p * p)), cellTheirs(size_t(p * p)), cellTheirRecords(size_t(p * p));
    std::vector<char> theirMatched(size_t(result.theirs.companies), 0);
    // The matcher emits the pairs of one company link next to each other.
    qsizetype linkOurs = -1, linkTheirs = -1;
    for (const matching::Match &m : result.matches) {
        const qsizetype oc = result.ours.companyOf.at(m.ours);
        const qsizetype tc = result.theirs.companyOf.at(m.theirs);
        const bool newLink = oc != linkOurs || tc != linkTheirs;
        linkOurs = oc;
        linkTheirs = tc;
        theirMatched[size_t(tc)] = 1;
        const qsizetype index = out.pairs.size();
        out.pairs << Pair{ourRecords.at(m.ours), m.theirs, m.rule, m.score};
        for (qsizetype row = 0; row < p; ++row) {
            if (!(ourBits[size_t(oc)] & (quint64(1) << row)))
                continue;
            for (qsizetype col = 0; col < p; ++col) {
                if (!(theirBits[size_t(tc)] & (quint64(1) << col)))
                    continue;
                const size_t c = size_t(row * p + col);
                Cell &cell = out.cells[qsizetype(c)];
                cell.links += newLink ? 1 : 0;
                cell.pairs << index;
                cellOurs[c].insert(oc);
                cellTheirs[c].insert(tc);
                cellTheirRecords[c].insert(m.theirs);
            }
        }
    }
    for (qsizetype c = 0; c < p * p; ++c) {
        out.cells[c].oursCompanies = cellOurs[size_t(c)].size();
        out.cells[c].theirsCompanies = cellTheirs[size_t(c)].size();
        out.cells[c].theirsRecords = cellTheirRecords[size_t(c)].size();
    }

    out.theirsByPopulation.resize(p);
    std::vector<int> theirRank(size_t(result.theirs.companies), 0);
    for (qsizetype t = 0; t < theirs->keys.size(); ++t) {
        const qsizetype tc = result.theirs.companyOf.at(t);
        theirRank[size_t(tc)] = std::max(theirRank[size_t(tc)], statusRank(theirs->keys.at(t).status));
        for (qsizetype col = 0; col < p; ++col)
            if (theirBits[size_t(tc)] & (quint64(1) << col))
                out.theirsByPopulation[col] << t;
    }
    QSet<qsizetype> greenfieldCompanies;
    for (qsizetype t = 0; t < theirs->keys.size(); ++t) {
        const qsizetype tc = result.theirs.companyOf.at(t);
        if (theirRank[size_t(tc)] == 3 && !theirMatched[size_t(tc)]) {
            greenfieldCompanies.insert(tc);
            if (theirs->keys.at(t).status == QLatin1String("customer"))
                out.greenfield << t;
        }
    }
    out.greenfieldCompanies = greenfieldCompanies.size();

    out.oursSummary = {ours->keys.size(), ours->companies, result.ours.matchedCompanies};
    out.theirsSummary = {theirs->keys.size(), result.theirs.companies, result.theirs.matchedCompanies};
    return out;
}

OverlapSource::OverlapSource(QString path)
    : m_path(std::move(path))
{}

template <typename F> auto OverlapSource::withConnection(F &&work) -> decltype(work(std::declval<QSqlDatabase &>()))
{
    static QAtomicInt serial;
    const QString name = QStringLiteral("ecotone-overlap-%1").arg(serial.fetchAndAddRelaxed(1));
    using R = decltype(work(std::declval<QSqlDatabase &>()));
    R result = Error{QString()};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        result = db.open() ? work(db) : R(sqlError(db, Tr::tr("Opening the workspace for account mapping")));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

Result<QList<PartnerEntry>> OverlapSource::partners()
{
    return withConnection([](QSqlDatabase &db) -> Result<QList<PartnerEntry>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT o.id, o.name, (SELECT count(*) FROM accounts a WHERE a.owner_id = o.id) "
                                   "FROM organizations o WHERE o.kind = 'partner' ORDER BY o.name COLLATE NOCASE")))
            return sqlError(q, Tr::tr("Reading partners"));
        QList<PartnerEntry> out;
        while (q.next())
            out << PartnerEntry{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()};
        return out;
    });
}

Result<Overlap> OverlapSource::compute(const QString &partnerId, const QList<Population> &populations,
                                       const std::atomic_bool *cancel)
{
    auto cancelled = [cancel] { return cancel && cancel->load(); };
    return withConnection([&](QSqlDatabase &db) -> Result<Overlap> {
        std::shared_ptr<const SideAccounts> vendor;
        {
            QMutexLocker lock(&m_mutex);
            if (!m_vendor) {
                QSqlQuery q(db);
                if (!q.exec(QStringLiteral("SELECT id FROM organizations WHERE kind = 'vendor' LIMIT 1")))
                    return sqlError(q, Tr::tr("Reading the vendor"));
                if (!q.next())
                    return Error{Tr::tr("The workspace has no vendor organization.")};
                auto loaded = loadSide(db, q.value(0).toString(), true);
                if (!loaded)
                    return Error{loaded.error()};
                m_vendor = loaded.value();
            }
            vendor = m_vendor;
        }
        if (cancelled())
            return Error{QString()};
        auto partner = loadSide(db, partnerId, false);
        if (!partner)
            return Error{partner.error()};
        if (cancelled())
            return Error{QString()};
        return overlap::compute(vendor, partner.value(), populations);
    });
}

void OverlapSource::forgetVendor()
{
    QMutexLocker lock(&m_mutex);
    m_vendor.reset();
}

// ---- governance

Terms termsFor(const QList<SharingAgreement> &partnerAgreements, const QString &population, const QDateTime &now)
{
    Terms t;
    const auto it = std::find_if(partnerAgreements.begin(), partnerAgreements.end(),
                                 [&](const SharingAgreement &a) { return a.population == population; });
    if (it == partnerAgreements.end()) {
        t.why = Tr::tr("No sharing agreement for this population.");
        return t;
    }
    t.agreementId = it->id;
    t.stored = it->level;
    t.level = sharing::effectiveLevel(*it, now);
    if (t.level != SharingLevel::Hidden) {
        t.fields = it->fields;
        return t;
    }
    if (it->revokedAt.isValid())
        t.why = Tr::tr("The agreement was revoked.");
    else if (it->expiresAt.isValid() && now >= it->expiresAt)
        t.why = Tr::tr("The agreement has expired.");
    else if (!it->ourConsentAt.isValid() || !it->theirConsentAt.isValid())
        t.why = Tr::tr("The agreement waits for consent from both sides.");
    else
        t.why = Tr::tr("The agreement shares nothing (Hidden).");
    return t;
}

QMap<QString, QString> shareableValues(const Account &a)
{
    return {{QStringLiteral("name"), a.name},
            {QStringLiteral("website"), a.website},
            {QStringLiteral("domain"), a.domain},
            {QStringLiteral("country"), a.country},
            {QStringLiteral("industry"), a.industry},
            {QStringLiteral("status"), accountstatus::key(a.status)},
            {QStringLiteral("crm_source"), a.crmSource},
            {QStringLiteral("external_id"), a.externalId}};
}

DrillDown cellDrillDown(const Overlap &overlap, qsizetype row, qsizetype column, const Terms &terms)
{
    DrillDown d;
    d.partnerId = overlap.partnerId;
    d.ourPopulation = overlap.populations.at(row).key;
    d.theirPopulation = overlap.populations.at(column).key;
    d.terms = terms;
    d.allowed = terms.recordsVisible();
    if (!d.allowed)
        return d;
    // Only the records both sides have, whatever more the agreement allows: the policy engine filters the fields.
    PopulationData data;
    for (qsizetype k : overlap.cell(row, column).pairs) {
        const QString id = QString::number(k);
        data.records << SharedRecord{id, shareableValues(overlap.theirs->accounts.at(overlap.pairs.at(k).theirs))};
        data.overlappingIds.insert(id);
        d.pairs << k;
    }
    d.theirs = sharing::visibleAccounts(SharingLevel::Overlap, terms.fields, data);
    return d;
}

DrillDown greenfieldDrillDown(const Overlap &overlap, const Terms &customerTerms)
{
    DrillDown d;
    d.kind = DrillDown::Kind::Greenfield;
    d.partnerId = overlap.partnerId;
    d.theirPopulation = QStringLiteral("customer");
    d.terms = customerTerms;
    d.allowed = customerTerms.level == SharingLevel::Full;
    if (!d.allowed)
        return d;
    PopulationData data;
    for (qsizetype t : overlap.greenfield)
        data.records << SharedRecord{QString::number(t), shareableValues(overlap.theirs->accounts.at(t))};
    d.theirs = sharing::visibleAccounts(SharingLevel::Full, customerTerms.fields, data);
    return d;
}

QStringList csvHeader(const DrillDown &drill)
{
    QStringList header;
    if (drill.kind == DrillDown::Kind::Cell)
        header << QStringLiteral("our_name") << QStringLiteral("our_domain") << QStringLiteral("our_country")
               << QStringLiteral("our_status");
    for (const QString &f : drill.terms.fields)
        if (sharing::shareableFields().contains(f))
            header << QStringLiteral("their_") + f;
    if (drill.kind == DrillDown::Kind::Cell)
        header << QStringLiteral("rule") << QStringLiteral("score");
    return header;
}

QList<QStringList> csvRows(const Overlap &overlap, const DrillDown &drill)
{
    QList<QStringList> rows;
    if (!drill.allowed)
        return rows;
    for (qsizetype i = 0; i < drill.theirs.size(); ++i) {
        QStringList row;
        const Pair *pair = drill.kind == DrillDown::Kind::Cell ? &overlap.pairs.at(drill.pairs.at(i)) : nullptr;
        if (pair) {
            const Account &ours = overlap.ours->accounts.at(pair->ours);
            row << ours.name << ours.domain << ours.country << accountstatus::key(ours.status);
        }
        for (const QString &f : drill.terms.fields)
            if (sharing::shareableFields().contains(f))
                row << drill.theirs.at(i).value(f);
        if (pair)
            row << matching::ruleKey(pair->rule) << QString::number(pair->score, 'g', 4);
        rows << row;
    }
    return rows;
}

GovernedOverlap::GovernedOverlap(Workspace &workspace, QString actor)
    : m_workspace(workspace)
    , m_actor(std::move(actor))
{}

QString GovernedOverlap::defaultActor(const Workspace &workspace)
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? QStringLiteral("device:") + workspace.deviceId() : user;
}

Result<QList<SharingAgreement>> GovernedOverlap::agreements(const QString &partnerId)
{
    AgreementRepository repo(m_workspace, m_actor);
    return repo.forPartner(partnerId);
}

Result<Terms> GovernedOverlap::terms(const QString &partnerId, const QString &population)
{
    auto list = agreements(partnerId);
    if (!list)
        return Error{list.error()};
    return termsFor(list.value(), population, now());
}

Status GovernedOverlap::record(const QString &action, const DrillDown &drill, qint64 rows, const QString &file)
{
    QJsonObject detail{{QStringLiteral("partner_id"), drill.partnerId},
                       {QStringLiteral("their_population"), drill.theirPopulation},
                       {QStringLiteral("level"), sharing::levelKey(drill.terms.level)},
                       {QStringLiteral("fields"), QJsonArray::fromStringList(drill.terms.fields)},
                       {QStringLiteral("rows"), rows}};
    if (drill.kind == DrillDown::Kind::Greenfield)
        detail.insert(QStringLiteral("view"), QStringLiteral("greenfield"));
    else
        detail.insert(QStringLiteral("our_population"), drill.ourPopulation);
    if (!file.isEmpty())
        detail.insert(QStringLiteral("file"), QFileInfo(file).fileName());
    ConsentLedger ledger(m_workspace);
    if (m_clock)
        ledger.setClock(m_clock);
    return action == QLatin1String("export") ? ledger.recordExport(m_actor, drill.terms.agreementId, detail)
                                             : ledger.recordView(m_actor, drill.terms.agreementId, detail);
}

Result<DrillDown> GovernedOverlap::viewCell(const Overlap &overlap, qsizetype row, qsizetype column)
{
    if (row < 0 || column < 0 || row >= overlap.populations.size() || column >= overlap.populations.size())
        return Error{Tr::tr("No such cell in the overlap matrix.")};
    auto t = terms(overlap.partnerId, overlap.populations.at(column).key);
    if (!t)
        return Error{t.error()};
    DrillDown drill = cellDrillDown(overlap, row, column, t.value());
    if (drill.allowed)
        if (Status s = record(QStringLiteral("view"), drill, drill.theirs.size(), {}); !s)
            return Error{s.error()};
    return drill;
}

Result<DrillDown> GovernedOverlap::viewGreenfield(const Overlap &overlap)
{
    auto t = terms(overlap.partnerId, QStringLiteral("customer"));
    if (!t)
        return Error{t.error()};
    DrillDown drill = greenfieldDrillDown(overlap, t.value());
    if (drill.allowed)
        if (Status s = record(QStringLiteral("view"), drill, drill.theirs.size(), {}); !s)
            return Error{s.error()};
    return drill;
}

Result<qint64> GovernedOverlap::exportCsv(const Overlap &overlap, const DrillDown &shown, const QString &path)
{
    // The terms may have changed since the rows were shown: export what they allow now.
    DrillDown drill;
    if (shown.kind == DrillDown::Kind::Greenfield) {
        auto t = terms(overlap.partnerId, QStringLiteral("customer"));
        if (!t)
            return Error{t.error()};
        drill = greenfieldDrillDown(overlap, t.value());
    } else {
        const qsizetype row = std::find_if(overlap.populations.begin(), overlap.populations.end(),
                                           [&](const Population &p) { return p.key == shown.ourPopulation; }) -
                              overlap.populations.begin();
        const qsizetype column = std::find_if(overlap.populations.begin(), overlap.populations.end(),
                                              [&](const Population &p) { return p.key == shown.theirPopulation; }) -
                                 overlap.populations.begin();
        if (row >= overlap.populations.size() || column >= overlap.populations.size())
            return Error{Tr::tr("The population no longer exists.")};
        auto t = terms(overlap.partnerId, shown.theirPopulation);
        if (!t)
            return Error{t.error()};
        drill = cellDrillDown(overlap, row, column, t.value());
    }
    if (!drill.allowed)
        return Error{Tr::tr("The sharing agreement no longer allows these records to be exported. %1")
                         .arg(drill.terms.why)
                         .trimmed()};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Tr::tr("Cannot write “%1”: %2").arg(path, file.errorString())};
    CsvWriter writer(&file);
    writer.writeRow(csvHeader(drill));
    const QList<QStringList> rows = csvRows(overlap, drill);
    for (const QStringList &row : rows)
        writer.writeRow(row);
    // The ledger entry first: an export the ledger cannot record is not written.
    Transaction tx(m_workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    if (Status s = record(QStringLiteral("export"), drill, rows.size(), path); !s)
        return Error{s.error()};
    if (!file.commit())
        return Error{Tr::tr("Cannot write “%1”: %2").arg(path, file.errorString())};
    if (Status s = tx.commit(); !s)
        return Error{Tr::tr("The file was written but the consent ledger could not record it: %1").arg(s.error())};
    return qint64(rows.size());
}

} // namespace ecotone::overlap
