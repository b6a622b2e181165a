#include "PartnerFit.h"

#include "domain/Organization.h"
#include "governance/AgreementRepository.h"
#include "mapping/CompanyNames.h"
#include "mapping/Domains.h"
#include "store/ChangeJournal.h"
#include "store/Statement.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QSqlQuery>

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::PartnerFit)
};

// Which partner types complement which: one sells or implements what the other builds or hosts.
bool complements(const QString &mine, const QString &theirs)
{
    static const QHash<QString, QStringList> pairs = {
        {QStringLiteral("reseller"),
         {QStringLiteral("technology"), QStringLiteral("isv"), QStringLiteral("hyperscaler"),
          QStringLiteral("referral")}},
        {QStringLiteral("systems_integrator"),
         {QStringLiteral("technology"), QStringLiteral("isv"), QStringLiteral("hyperscaler"),
          QStringLiteral("referral")}},
        {QStringLiteral("technology"),
         {QStringLiteral("reseller"), QStringLiteral("systems_integrator"), QStringLiteral("hyperscaler")}},
        {QStringLiteral("isv"),
         {QStringLiteral("reseller"), QStringLiteral("systems_integrator"), QStringLiteral("hyperscaler")}},
        {QStringLiteral("hyperscaler"),
         {QStringLiteral("technology"), QStringLiteral("isv"), QStringLiteral("reseller"),
          QStringLiteral("systems_integrator")}},
        {QStringLiteral("referral"), {QStringLiteral("reseller"), QStringLiteral("systems_integrator")}},
    };
    return pairs.value(mine).contains(theirs);
}

QString typeName(const QString &key)
{
    auto t = partnertype::fromKey(key);
    return t ? partnertype::displayName(*t) : key;
}

QString listed(const QStringList &items, int max = 3)
{
    QStringList shown = items.mid(0, max);
    QString out = shown.join(QStringLiteral(", "));
    if (items.size() > max)
        out += Tr::tr(" and %1 more").arg(items.size() - max);
    return out;
}
// Whose customer overlap may be counted: the vendor's own, and partners with a customer agreement in force.
Result<QSet<QString>> countablePartners(Workspace &workspace, const QDateTime &now)
{
    QSet<QString> countable;
    AgreementRepository agreements(workspace, QStringLiteral("partner fit"));
    auto all = agreements.all();
    if (!all)
        return Error{all.error()};
    for (const SharingAgreement &a : all.value())
        if (a.population == QLatin1String("customer") && sharing::effectiveLevel(a, now) >= SharingLevel::Counts)
            countable.insert(a.partnerId);
    return countable;
}
// Best score first; ties by name, then id, so the same workspace always gives the same list.
QList<FitSuggestion> bestFirst(QList<FitSuggestion> out, int limit)
{
    std::sort(out.begin(), out.end(), [](const FitSuggestion &a, const FitSuggestion &b) {
        if (a.score != b.score)
            return a.score > b.score;
        const int c = a.partnerName.compare(b.partnerName, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a.partnerId < b.partnerId;
    });
    if (limit >= 0 && out.size() > limit)
        out.resize(limit);
    return out;
}
} // namespace

struct PartnerFit::Data
{
    struct Org
    {
        QString id;
        QString name;
        QString tier;
        QStringList types;
        QStringList regions;
        QStringList capabilities;
        bool vendor = false;
        bool active = true;
    };
    struct ListingRef
    {
        int org;
        QString title;
        QStringList integratesWith;
    };
    std::vector<Org> orgs;
    QHash<QString, int> orgIndex;
    std::unordered_map<std::string, std::vector<int>> ownersByDomain; // customer domains -> owner orgs
    std::vector<std::vector<std::string>> domainsByOrg;
    QHash<QString, ListingRef> listings;
    bool hasDealRooms = false;
};

PartnerFit::PartnerFit(Workspace &workspace)
    : m_workspace(workspace)
{}

PartnerFit::~PartnerFit() = default;

void PartnerFit::reload()
{
    m_data.reset();
}

Status PartnerFit::load()
{
    auto data = std::make_unique<Data>();
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, name, tier, types, regions, capabilities, kind, status FROM organizations")))
        return sqlError(q, Tr::tr("Reading partners"));
    while (q.next()) {
        Data::Org o{q.value(0).toString(),
                    q.value(1).toString(),
                    q.value(2).toString(),
                    json::parseArray(q.value(3).toString()),
                    json::parseArray(q.value(4).toString()),
                    json::parseArray(q.value(5).toString()),
                    q.value(6).toString() == QLatin1String("vendor"),
                    q.value(7).toString() != QLatin1String("inactive")};
        data->orgIndex.insert(o.id, int(data->orgs.size()));
        data->orgs.push_back(std::move(o));
    }
    data->domainsByOrg.resize(data->orgs.size());

    // One pass over the customer accounts with the C API: a million rows through QSqlQuery cost several times more.
    sqlite3 *db = Statement::handle(m_workspace.db());
    sqlite3_stmt *stmt = nullptr;
    // A plain table scan: reading in owner order would go through the (owner_id, status) index and fetch
    // every row at random.
    const char *sql = "SELECT owner_id, domain FROM accounts NOT INDEXED WHERE status = 'customer' AND domain <> ''";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        return Error{Tr::tr("Reading accounts: %1").arg(message)};
    }
    std::unordered_map<std::string, int> ownerOf;
    for (size_t i = 0; i < data->orgs.size(); ++i)
        ownerOf.emplace(data->orgs[i].id.toStdString(), int(i));
    std::string key;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        key.assign(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)), size_t(sqlite3_column_bytes(stmt, 0)));
        const auto found = ownerOf.find(key);
        if (found == ownerOf.end())
            continue;
        const int owner = found->second;
        std::string domain(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1)),
                           size_t(sqlite3_column_bytes(stmt, 1)));
        std::vector<int> &owners = data->ownersByDomain[domain];
        if (std::find(owners.begin(), owners.end(), owner) == owners.end()) {
            owners.push_back(owner);
            data->domainsByOrg[size_t(owner)].push_back(std::move(domain));
        }
    }
    sqlite3_finalize(stmt);

    if (q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'listings'")) && q.next()) {
        if (!q.exec(QStringLiteral("SELECT id, organization_id, title, integrates_with FROM listings "
                                   "WHERE state = 'published'")))
            return sqlError(q, Tr::tr("Reading listings"));
        while (q.next()) {
            const int org = data->orgIndex.value(q.value(1).toString(), -1);
            if (org >= 0)
                data->listings.insert(q.value(0).toString(),
                                      {org, q.value(2).toString(), json::parseArray(q.value(3).toString())});
        }
    }
    data->hasDealRooms =
        q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'deal_room_participants'")) && q.next();
    m_data = std::move(data);
    return {};
}

Result<QList<FitSuggestion>> PartnerFit::suggest(const QString &organizationId, const FitOptions &options)
{
    if (!m_data)
        if (Status s = load(); !s)
            return Error{s.error()};
    const Data &d = *m_data;
    const int me = d.orgIndex.value(organizationId, -1);
    if (me < 0)
        return Error{Tr::tr("The organization %1 does not exist.").arg(organizationId)};
    const Data::Org &mine = d.orgs[size_t(me)];
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();

    auto counted = countablePartners(m_workspace, now);
    if (!counted)
        return Error{counted.error()};
    const QSet<QString> &countable = counted.value();
    auto mayCount = [&](int org) { return d.orgs[size_t(org)].vendor || countable.contains(d.orgs[size_t(org)].id); };

    std::vector<int> shared(d.orgs.size(), 0);
    for (const std::string &domain : d.domainsByOrg[size_t(me)]) {
        auto it = d.ownersByDomain.find(domain);
        if (it != d.ownersByDomain.end())
            for (int o : it->second)
                if (o != me)
                    ++shared[size_t(o)];
    }

    std::vector<int> rooms(d.orgs.size(), 0);
    if (d.hasDealRooms) {
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT b.organization_id, count(DISTINCT a.room_id) FROM deal_room_participants a "
                                 "JOIN deal_room_participants b ON b.room_id = a.room_id AND b.organization_id <> "
                                 "a.organization_id WHERE a.organization_id = ? GROUP BY b.organization_id"));
        q.addBindValue(organizationId);
        if (!q.exec())
            return sqlError(q, Tr::tr("Reading joint deal rooms"));
        while (q.next()) {
            const int o = d.orgIndex.value(q.value(0).toString(), -1);
            if (o >= 0)
                rooms[size_t(o)] = q.value(1).toInt();
        }
    }

    QHash<int, QStringList> integrations;
    for (auto it = d.listings.constBegin(); it != d.listings.constEnd(); ++it) {
        for (const QString &target : it->integratesWith) {
            auto t = d.listings.constFind(target);
            if (t == d.listings.constEnd() || t->org == it->org)
                continue;
            if (t->org == me)
                integrations[it->org] << Tr::tr("their %1 integrates with your %2").arg(it->title, t->title);
            else if (it->org == me)
                integrations[t->org] << Tr::tr("your %1 integrates with their %2").arg(it->title, t->title);
        }
    }

    const bool meCountable = mayCount(me);
    QList<FitSuggestion> out;
    for (int c = 0; c < int(d.orgs.size()); ++c) {
        const Data::Org &o = d.orgs[size_t(c)];
        if (c == me || o.vendor || !o.active)
            continue;
        FitSuggestion s;
        s.partnerId = o.id;
        s.partnerName = o.name;
        s.tier = o.tier;
        s.types = o.types;
        s.integrations = integrations.value(c);
        s.integrations.sort();
        s.integrations.removeDuplicates();
        s.jointDealRooms = rooms[size_t(c)];
        for (const QString &t : o.types)
            for (const QString &m : mine.types)
                if (complements(m, t) && !s.complementaryTypes.contains(t))
                    s.complementaryTypes << t;
        for (const QString &r : o.regions)
            (mine.regions.contains(r) ? s.sharedRegions : s.newRegions) << r;
        for (const QString &cap : o.capabilities)
            if (!mine.capabilities.contains(cap, Qt::CaseInsensitive))
                s.newCapabilities << cap;
        s.overlapShared = meCountable && mayCount(c);
        if (s.overlapShared)
            s.sharedCustomers = shared[size_t(c)];

        s.score += 4.0 * std::min<qsizetype>(s.integrations.size(), 3);
        if (s.sharedCustomers > 0)
            s.score += 0.5 * std::min(s.sharedCustomers, 20);
        s.score += 2.0 * std::min(s.jointDealRooms, 3);
        if (!s.complementaryTypes.isEmpty())
            s.score += 3.0;
        s.score += 1.0 * std::min<qsizetype>(s.newRegions.size(), 3);
        s.score += 0.5 * std::min<qsizetype>(s.sharedRegions.size(), 2);
        s.score += 0.5 * std::min<qsizetype>(s.newCapabilities.size(), 3);
        if (s.score <= 0)
            continue;

        if (!s.integrations.isEmpty())
            s.reasons << listed(s.integrations, 2);
        if (s.sharedCustomers > 0)
            s.reasons << (s.sharedCustomers == 1 ? Tr::tr("1 shared customer")
                                                 : Tr::tr("%1 shared customers").arg(s.sharedCustomers));
        if (s.jointDealRooms > 0)
            s.reasons << (s.jointDealRooms == 1 ? Tr::tr("1 past joint deal room")
                                                : Tr::tr("%1 past joint deal rooms").arg(s.jointDealRooms));
        if (!s.complementaryTypes.isEmpty()) {
            QStringList names;
            for (const QString &t : s.complementaryTypes)
                names << typeName(t);
            s.reasons << Tr::tr("%1 complementing your %2")
                             .arg(names.join(QStringLiteral(" / ")),
                                  mine.types.isEmpty() ? Tr::tr("business") : typeName(mine.types.first()));
        }
        if (!s.newRegions.isEmpty())
            s.reasons << Tr::tr("covers %1 where you are not present").arg(listed(s.newRegions));
        if (!s.sharedRegions.isEmpty())
            s.reasons << Tr::tr("also sells in %1").arg(listed(s.sharedRegions));
        if (!s.newCapabilities.isEmpty())
            s.reasons << Tr::tr("brings %1").arg(listed(s.newCapabilities));
        if (!s.overlapShared)
            s.reasons << Tr::tr("account overlap not shared");
        s.explanation = s.reasons.join(QStringLiteral(", "));
        out << s;
    }
    return bestFirst(std::move(out), options.limit);
}

Result<QList<FitSuggestion>> PartnerFit::suggestForAccount(const QString &accountId, const FitOptions &options)
{
    if (!m_data)
        if (Status s = load(); !s)
            return Error{s.error()};
    const Data &d = *m_data;
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT owner_id, name, domain, website, country, industry FROM accounts WHERE id = ?"));
    q.addBindValue(accountId);
    if (!q.exec())
        return sqlError(q, Tr::tr("Reading the account"));
    if (!q.next())
        return Error{Tr::tr("The account %1 does not exist.").arg(accountId)};
    const int owner = d.orgIndex.value(q.value(0).toString(), -1);
    const QString accountName = q.value(1).toString();
    const QString domain = !q.value(2).toString().isEmpty() ? q.value(2).toString().toLower()
                                                            : domains::registrableDomain(q.value(3).toString());
    const QString country = companynames::countryKey(q.value(4).toString()).toUpper(); // "de" -> "DE"
    const QString industry = q.value(5).toString();
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    auto counted = countablePartners(m_workspace, now);
    if (!counted)
        return Error{counted.error()};
    auto mayCount = [&](int org) {
        return org >= 0 && (d.orgs[size_t(org)].vendor || counted.value().contains(d.orgs[size_t(org)].id));
    };

    std::vector<bool> knows(d.orgs.size(), false);
    if (!domain.isEmpty() && mayCount(owner)) {
        if (auto it = d.ownersByDomain.find(domain.toStdString()); it != d.ownersByDomain.end())
            for (int o : it->second)
                knows[size_t(o)] = mayCount(o);
    }
    std::vector<int> rooms(d.orgs.size(), 0);
    if (d.hasDealRooms && (!domain.isEmpty() || !accountName.isEmpty())) {
        QSqlQuery r(m_workspace.db());
        r.prepare(QStringLiteral("SELECT p.organization_id, count(DISTINCT p.room_id) FROM deal_rooms dr "
                                 "JOIN deal_room_participants p ON p.room_id = dr.id WHERE dr.id IN ("
                                 "SELECT id FROM deal_rooms WHERE ? <> '' AND domain = ? UNION "
                                 "SELECT id FROM deal_rooms WHERE account_id = ?) GROUP BY p.organization_id"));
        r.addBindValue(domain);
        r.addBindValue(domain);
        r.addBindValue(accountId);
        if (!r.exec())
            return sqlError(r, Tr::tr("Reading the account's deal rooms"));
        while (r.next()) {
            const int o = d.orgIndex.value(r.value(0).toString(), -1);
            if (o >= 0)
                rooms[size_t(o)] = r.value(1).toInt();
        }
    }
    std::vector<int> listingsFor(d.orgs.size(), 0);
    if (!industry.isEmpty() && !d.listings.isEmpty()) {
        QSqlQuery l(m_workspace.db());
        l.prepare(QStringLiteral("SELECT l.organization_id, count(*) FROM listings l, json_each(l.industries) j "
                                 "WHERE l.state = 'published' AND j.value = ? GROUP BY l.organization_id"));
        l.addBindValue(industry);
        if (!l.exec())
            return sqlError(l, Tr::tr("Reading listings"));
        while (l.next()) {
            const int o = d.orgIndex.value(l.value(0).toString(), -1);
            if (o >= 0)
                listingsFor[size_t(o)] = l.value(1).toInt();
        }
    }
    QString region;
    const QHash<QString, QStringList> regions = organization::regionCountries();
    for (auto it = regions.cbegin(); it != regions.cend() && !country.isEmpty(); ++it)
        if (it.value().contains(country))
            region = it.key();

    QList<FitSuggestion> out;
    for (int c = 0; c < int(d.orgs.size()); ++c) {
        const Data::Org &o = d.orgs[size_t(c)];
        if (c == owner || o.vendor || !o.active)
            continue;
        FitSuggestion s;
        s.partnerId = o.id;
        s.partnerName = o.name;
        s.tier = o.tier;
        s.types = o.types;
        s.knowsAccount = knows[size_t(c)];
        s.accountDealRooms = rooms[size_t(c)];
        s.industryListings = listingsFor[size_t(c)];
        if (!region.isEmpty() && o.regions.contains(region))
            s.accountRegion = region;
        s.score += s.knowsAccount ? 6.0 : 0.0;
        s.score += 3.0 * std::min(s.accountDealRooms, 2);
        s.score += s.accountRegion.isEmpty() ? 0.0 : 2.0;
        s.score += 1.0 * std::min(s.industryListings, 3);
        if (s.score <= 0)
            continue;
        if (o.tier == QLatin1String("Platinum") || o.tier == QLatin1String("Gold"))
            s.score += 0.5;
        if (s.knowsAccount)
            s.reasons << Tr::tr("has %1 as a customer").arg(accountName);
        if (s.accountDealRooms > 0)
            s.reasons << (s.accountDealRooms == 1
                              ? Tr::tr("took part in 1 deal room for %1").arg(accountName)
                              : Tr::tr("took part in %1 deal rooms for %2").arg(s.accountDealRooms).arg(accountName));
        if (!s.accountRegion.isEmpty())
            s.reasons << Tr::tr("covers %1, where %2 is").arg(s.accountRegion, accountName);
        if (s.industryListings > 0)
            s.reasons << (s.industryListings == 1 ? Tr::tr("1 listing for %1").arg(industry)
                                                  : Tr::tr("%1 listings for %2").arg(s.industryListings).arg(industry));
        s.explanation = s.reasons.join(QStringLiteral(", "));
        out << s;
    }
    return bestFirst(std::move(out), options.limit);
}

} // namespace ecotone
