#include "DemoEcosystem.h"

#include "demo/DemoDeals.h"
#include "demo/DemoListings.h"
#include "store/OpportunityRepository.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace ecotone {

namespace {

// Our own draws on top of mt19937_64 (whose output the standard fixes), so a seed gives the same
// ecosystem with every compiler; std::uniform_*_distribution is implementation-defined.
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_engine(seed)
    {}
    quint64 raw() { return m_engine(); }
    int below(int n) { return n <= 1 ? 0 : int(m_engine() % quint64(n)); }
    double unit() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template <typename T> const T &pick(const std::vector<T> &v) { return v[size_t(below(int(v.size())))]; }
    // Index from cumulative weights.
    int weighted(const std::vector<double> &cumulative)
    {
        const double x = unit() * cumulative.back();
        return int(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
    }

private:
    std::mt19937_64 m_engine;
};

std::vector<double> cumulative(std::initializer_list<double> weights)
{
    std::vector<double> out;
    double sum = 0;
    for (double w : weights)
        out.push_back(sum += w);
    return out;
}

using Words = std::vector<QString>;

Words words(const char *spaceSeparated)
{
    Words out;
    for (const QString &w : QString::fromUtf8(spaceSeparated).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.push_back(w);
    return out;
}

QString capitalized(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

QString slug(const QString &s)
{
    QString out;
    for (QChar c : s.normalized(QString::NormalizationForm_KD)) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            out += c.toLower();
        else if (c == QLatin1Char(' ') && !out.endsWith(QLatin1Char('-')))
            out += QLatin1Char('-');
    }
    return out;
}

struct Country
{
    const char *code;
    const char *tld;
    double weight;
    Words legalForms;
};

struct Company
{
    QString name;   // canonical, with legal form
    QString bare;   // without legal form
    QString domain; // canonical registrable domain
    int country;
    int industry;
};

const char *kHeads = "vel bri cor nor ast hal tam ser quin lum dor kes mar ori pal rav sol tor ven zen alt ber cal "
                     "dav eld fal gra hel isa jor kal lin mor nel ost pry riv sta tel ula var wil xan yor zel arc "
                     "bel cin dal";
const char *kMids = "a e i o u ar en or el an is on ir ul ev";
const char *kTails = "mora bridge quay vex ton field gate wick stone crest dale mont vale ford holm more line "
                     "point haven spire works forge loft light rock wood port bay mark scope vista";
const char *kCompanyWords = "Systems Industries Logistics Foods Health Energy Holdings Motors Pharma Retail Bank "
                            "Insurance Telecom Media Airlines Chemicals Textiles Foods Mining Steel Labs Analytics "
                            "Group Partners Digital Capital Robotics Solar Water Freight Clinics";

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Demo)
};

// Opportunities draw from a generator of their own, so adding them left every account of a seed as it was.
class OpportunityMaker
{
public:
    OpportunityMaker(quint64 seed, int year, Words firstNames, Words lastNames)
        : m_rng(seed * 0xD1B54A32D192ED03ull + 11)
        , m_year(year)
        , m_firstNames(std::move(firstNames))
        , m_lastNames(std::move(lastNames))
    {}

    // One open opportunity for an account in the opportunity population; a won or lost one for a quarter of
    // customers. Amounts 5,000 to 2,000,000 (log-uniform, whole hundreds) in the owner's currency.
    Status add(OpportunityRepository &repo, const Account &account, const QString &currency, qint64 *count)
    {
        const bool customer = account.status == AccountStatus::Customer;
        if (account.status == AccountStatus::Prospect || (customer && !m_rng.chance(0.25)))
            return {};
        const bool hubspot = account.crmSource == QLatin1String("hubspot");
        Opportunity o;
        o.ownerId = account.ownerId;
        o.accountId = account.id;
        o.accountExternalId = account.externalId;
        o.accountName = account.name;
        o.name = account.name + QStringLiteral(" - ") + m_rng.pick(m_kinds);
        const QDate jan1(m_year, 1, 1);
        if (customer) {
            o.state = m_rng.chance(0.7) ? QStringLiteral("won") : QStringLiteral("lost");
            const bool won = o.state == QLatin1String("won");
            o.stage = hubspot ? (won ? QStringLiteral("Closed won") : QStringLiteral("Closed lost"))
                              : (won ? QStringLiteral("Closed Won") : QStringLiteral("Closed Lost"));
            o.closeDate = jan1.addDays(m_rng.below(365 + 180) - 365); // last year to mid this year
        } else {
            o.stage = m_rng.pick(hubspot ? m_hubspotStages : m_salesforceStages);
            o.closeDate = jan1.addDays(m_rng.below(365 + 180)); // this year to mid next year
        }
        const double units = std::exp(std::log(5000.0) + m_rng.unit() * (std::log(2'000'000.0) - std::log(5000.0)));
        o.amountMinor = qint64(std::llround(units / 100.0)) * 100 * 100;
        o.currency = currency;
        o.crmOwner = m_rng.pick(m_firstNames) + QLatin1Char(' ') + m_rng.pick(m_lastNames);
        o.crmSource = account.crmSource;
        if (hubspot) {
            o.externalId = QString::number(10000000000ull + m_rng.raw() % 90000000000ull);
        } else {
            static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            o.externalId = QStringLiteral("006");
            for (int j = 0; j < 15; ++j)
                o.externalId += QLatin1Char(base62[m_rng.raw() % 62]);
        }
        if (Status s = repo.insert(o); !s)
            return s;
        ++*count;
        return {};
    }

private:
    Rng m_rng;
    int m_year;
    Words m_firstNames, m_lastNames;
    const Words m_kinds = {QStringLiteral("New business"),     QStringLiteral("Expansion"),
                           QStringLiteral("Renewal"),          QStringLiteral("Platform migration"),
                           QStringLiteral("Analytics add-on"), QStringLiteral("Pilot")};
    const Words m_salesforceStages = {QStringLiteral("Prospecting"),          QStringLiteral("Qualification"),
                                      QStringLiteral("Needs Analysis"),       QStringLiteral("Value Proposition"),
                                      QStringLiteral("Proposal/Price Quote"), QStringLiteral("Negotiation/Review")};
    const Words m_hubspotStages = {QStringLiteral("Appointment scheduled"), QStringLiteral("Qualified to buy"),
                                   QStringLiteral("Presentation scheduled"), QStringLiteral("Decision maker bought-in"),
                                   QStringLiteral("Contract sent")};
};

// The currency a partner's CRM reports in, by its first region.
QString regionCurrency(const QString &region)
{
    if (region == QLatin1String("UK & Ireland"))
        return QStringLiteral("GBP");
    static const QStringList euro = {QStringLiteral("DACH"), QStringLiteral("France"), QStringLiteral("Benelux"),
                                     QStringLiteral("Nordics"), QStringLiteral("Southern Europe")};
    return euro.contains(region) ? QStringLiteral("EUR") : QStringLiteral("USD");
}

} // namespace

Result<DemoSummary> createDemoWorkspace(const QString &path, const DemoOptions &options)
{
    if (options.partners < 1 || options.partners > 100000)
        return Error{Tr::tr("The number of partners must be between 1 and 100,000.")};
    if (options.accounts < 0 || options.accounts > 50'000'000)
        return Error{Tr::tr("The number of accounts must be between 0 and 50,000,000.")};
    if (QFileInfo::exists(path))
        return Error{Tr::tr("\"%1\" already exists; choose a new file name.").arg(path)};

    auto opened = Workspace::create(path);
    if (!opened)
        return Error{opened.error()};
    std::unique_ptr<Workspace> ws = std::move(opened.value());
    const qint64 epoch = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    ws->setIdGenerator(IdGenerator(options.seed, epoch));
    Rng rng(options.seed * 0x9E3779B97F4A7C15ull + 7);

    auto failed = [&](const QString &message) -> Result<DemoSummary> {
        ws.reset();
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        return Error{message};
    };

    const Words heads = words(kHeads), mids = words(kMids), tails = words(kTails), companyWords = words(kCompanyWords);
    const std::vector<Country> countries = {
        {"US", "com", 34, words("Inc. LLC Corp. Corporation Co.")},
        {"CA", "ca", 4, words("Inc. Ltd. Corp.")},
        {"BR", "com.br", 3, words("Ltda. S.A.")},
        {"MX", "com.mx", 2, words("S.A. S.A.P.I.")},
        {"GB", "co.uk", 9, words("Ltd Limited PLC")},
        {"IE", "ie", 1.5, words("Ltd Limited DAC")},
        {"DE", "de", 8, words("GmbH AG KG SE")},
        {"AT", "at", 1.5, words("GmbH AG")},
        {"CH", "ch", 2, words("AG SA GmbH")},
        {"FR", "fr", 5, words("SA SAS SARL")},
        {"NL", "nl", 3, words("B.V. N.V.")},
        {"BE", "be", 1.5, words("NV SA BV")},
        {"SE", "se", 2, words("AB")},
        {"NO", "no", 1, words("AS ASA")},
        {"DK", "dk", 1, words("A/S ApS")},
        {"FI", "fi", 1, words("Oy Oyj")},
        {"IT", "it", 3.5, words("S.p.A. S.r.l.")},
        {"ES", "es", 3, words("S.A. S.L.")},
        {"PT", "pt", 1, words("S.A. Lda.")},
        {"AE", "ae", 1, words("LLC FZE")},
        {"ZA", "co.za", 1, words("(Pty) Ltd")},
        {"IN", "co.in", 3, words("Pvt. Ltd. Limited")},
        {"JP", "co.jp", 4, words("K.K. Co., Ltd.")},
        {"SG", "com.sg", 1.5, words("Pte. Ltd.")},
        {"AU", "com.au", 3, words("Pty Ltd Limited")},
        {"NZ", "co.nz", 1, words("Limited Ltd")},
    };
    const QHash<QString, QStringList> regionCountries = organization::regionCountries();
    QHash<QString, int> countryIndex;
    std::vector<double> countryWeights;
    {
        double sum = 0;
        for (size_t i = 0; i < countries.size(); ++i) {
            countryIndex.insert(QLatin1String(countries[i].code), int(i));
            countryWeights.push_back(sum += countries[i].weight);
        }
    }
    const QStringList industries = organization::industries();
    const QStringList regions = organization::regions();

    // ---- the company pool, split by country; large companies come first in each country's list
    const qint64 poolSize = std::max<qint64>(200, options.accounts / 3);
    std::vector<Company> companies;
    companies.reserve(size_t(poolSize));
    std::vector<std::vector<int>> byCountry(countries.size());
    QSet<QString> usedNames;
    usedNames.reserve(qsizetype(poolSize));
    for (qint64 i = 0; i < poolSize; ++i) {
        Company c;
        c.country = rng.weighted(countryWeights);
        c.industry = rng.below(int(industries.size()));
        QString root;
        for (int attempt = 0;; ++attempt) {
            root = capitalized(rng.pick(heads) + (rng.chance(0.5) ? rng.pick(mids) : QString()) + rng.pick(tails));
            QString candidate = rng.chance(0.6) ? root + QLatin1Char(' ') + rng.pick(companyWords) : root;
            if (attempt > 8)
                candidate += QLatin1Char(' ') + QString::number(i);
            if (!usedNames.contains(candidate)) {
                usedNames.insert(candidate);
                root = candidate;
                break;
            }
        }
        const Country &country = countries[size_t(c.country)];
        c.bare = root;
        c.name = root + QLatin1Char(' ') + rng.pick(country.legalForms);
        c.domain = slug(root) + QLatin1Char('.') + QLatin1String(country.tld);
        byCountry[size_t(c.country)].push_back(int(companies.size()));
        companies.push_back(std::move(c));
    }

    const Words firstNames = words("Ava Liam Noah Emma Mia Lucas Sofia Elias Hana Kenji Aisha Omar Lena Jonas Clara "
                                   "Mateo Priya Arjun Yuki Sara Felix Nora Oscar Ines Marta Lars Freya Tomas Chloe "
                                   "Diego Amara Ravi Leila Hugo Elena Nils Zoe Ivan Maya Theo");
    const Words lastNames = words("Okafor Lindqvist Moreau Tanaka Novak Silva Fischer Rossi Kowalski Haddad Patel "
                                  "Larsen Dubois Ivanova Nakamura Costa Becker Quinn Varga Osei Herrera Meyer Sato "
                                  "Kaur Jensen Laurent Romano Brennan Wagner Santos Ahmed Keller Nguyen Andersen");
    const Words roles = words("Partner_Manager Alliance_Director Solutions_Architect Sales_Director "
                              "Marketing_Manager Chief_Executive Account_Executive Technical_Lead");

    DemoSummary summary;
    summary.companies = qint64(companies.size());
    OrganizationRepository orgRepo(*ws);
    PersonRepository personRepo(*ws);
    AccountRepository accountRepo(*ws);

    if (Status s = ws->begin(); !s)
        return failed(s.error());

    auto addPeople = [&](const Organization &org, int count) -> Status {
        QSet<QString> used;
        for (int i = 0; i < count; ++i) {
            Person p;
            p.organizationId = org.id;
            QString first, last;
            do {
                first = rng.pick(firstNames);
                last = rng.pick(lastNames);
            } while (used.contains(first + last) && used.size() < 100);
            used.insert(first + last);
            p.name = first + QLatin1Char(' ') + last;
            p.email = slug(first) + QLatin1Char('.') + slug(last) + QLatin1Char('@') + org.domain;
            p.role = QString(rng.pick(roles)).replace(QLatin1Char('_'), QLatin1Char(' '));
            if (Status s = personRepo.insert(p); !s)
                return s;
            ++summary.people;
        }
        return {};
    };

    // ---- the vendor
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Helioform Software");
    vendor.website = QStringLiteral("https://www.helioform.com");
    vendor.regions = regions;
    vendor.industries = {QStringLiteral("Software")};
    vendor.capabilities = {QStringLiteral("Data platform"), QStringLiteral("Analytics"), QStringLiteral("Integration")};
    vendor.description = Tr::tr("Vendor of the Helioform data platform; runs the partner program.");
    vendor.joinDate = QDate(2012, 3, 1);
    if (Status s = orgRepo.insert(vendor); !s)
        return failed(s.error());
    if (Status s = addPeople(vendor, 8); !s)
        return failed(s.error());

    // ---- partners
    struct TypeProfile
    {
        PartnerType type;
        Words suffixes;
        Words capabilities;
        double accountWeight;
    };
    const std::vector<TypeProfile> profiles = {
        {PartnerType::Reseller, words("Solutions Distribution Direct IT Networks Channel"),
         words("Licensing Renewals Procurement Managed_services Hardware_bundles Financing Support_desk"), 1.0},
        {PartnerType::Technology, words("Labs Technologies Software Data Security Cloud"),
         words("Data_connectors Identity Observability Security_analytics Workflow_automation Data_quality "
               "Reverse_ETL Embedded_analytics"),
         0.8},
        {PartnerType::Hyperscaler, words("Cloud Cloud_Platform Compute"),
         words("Cloud_marketplace Co-sell_program Committed_spend Infrastructure Private_offers"), 3.0},
        {PartnerType::SystemsIntegrator, words("Consulting Advisory Partners Digital Group"),
         words("Implementation Migration Data_strategy Change_management Custom_development Training"), 1.2},
        {PartnerType::Isv, words("Apps Software Platform Works"),
         words("Vertical_application Industry_templates OEM_embedding Marketplace_app"), 0.7},
        {PartnerType::Referral, words("Advisors Ventures Associates Connect"),
         words("Introductions Executive_network Industry_events Market_research"), 0.3},
    };
    const auto typeWeights = cumulative({35, 18, 0, 20, 12, 15}); // hyperscalers are placed by hand below
    const auto tierWeights = cumulative({40, 30, 20, 10});
    const QStringList tiers = organization::tiers();
    const int hyperscalers = options.partners >= 50 ? 3 : (options.partners >= 6 ? 1 : 0);

    struct PartnerInfo
    {
        QString id;
        double weight;
        std::vector<int> countries;
        QString source;
        QString currency;
    };
    std::vector<PartnerInfo> partners;
    partners.reserve(size_t(options.partners));
    QSet<QString> partnerNames;
    for (int i = 0; i < options.partners; ++i) {
        Organization org;
        int primary;
        if (i < hyperscalers)
            primary = 2;
        else if (i < hyperscalers + 5 && options.partners >= 6)
            primary = std::array{0, 1, 3, 4, 5}[size_t(i - hyperscalers)]; // every type is present
        else
            primary = rng.weighted(typeWeights);
        const TypeProfile &profile = profiles[size_t(primary)];
        org.types << profile.type;
        if (primary != 2 && rng.chance(0.2)) {
            const int second = rng.weighted(typeWeights);
            if (second != primary)
                org.types << profiles[size_t(second)].type;
        }
        QString name;
        for (int attempt = 0;; ++attempt) {
            const QString root = capitalized(rng.pick(heads) + rng.pick(tails));
            name = root + QLatin1Char(' ') +
                   QString(rng.pick(profile.suffixes)).replace(QLatin1Char('_'), QLatin1Char(' '));
            if (attempt > 6)
                name += QStringLiteral(" %1").arg(i);
            if (!partnerNames.contains(name))
                break;
        }
        partnerNames.insert(name);
        org.name = name;
        const int tier = primary == 2 ? 3 : rng.weighted(tierWeights);
        org.tier = tiers.at(tier);
        const int regionCount = primary == 2 ? int(regions.size()) : 1 + rng.below(3);
        QStringList chosen;
        if (primary == 2) {
            chosen = regions;
        } else {
            while (chosen.size() < regionCount) {
                // Weight regions roughly by market size: North America and the big European ones first.
                const QString r = regions.at(std::min(rng.below(int(regions.size())), rng.below(int(regions.size()))));
                if (!chosen.contains(r))
                    chosen << r;
            }
        }
        org.regions = chosen;
        const int industryCount = 1 + rng.below(3);
        while (org.industries.size() < industryCount) {
            const QString ind = industries.at(rng.below(int(industries.size())));
            if (!org.industries.contains(ind))
                org.industries << ind;
        }
        for (PartnerType t : org.types) {
            const TypeProfile &p = profiles[size_t(
                std::find_if(profiles.begin(), profiles.end(), [&](const TypeProfile &x) { return x.type == t; }) -
                profiles.begin())];
            const int n = 2 + rng.below(2);
            for (int k = 0; k < n; ++k) {
                const QString cap = QString(rng.pick(p.capabilities)).replace(QLatin1Char('_'), QLatin1Char(' '));
                if (!org.capabilities.contains(cap))
                    org.capabilities << cap;
            }
        }
        const QString tld =
            QLatin1String(countries[size_t(countryIndex.value(regionCountries.value(chosen.first()).first(), 0))].tld);
        org.website = (rng.chance(0.7) ? QStringLiteral("https://www.") : QStringLiteral("https://")) + slug(name) +
                      QLatin1Char('.') + tld;
        org.description =
            Tr::tr("%1 serving %2 in %3. Focus: %4.")
                .arg(partnertype::displayName(org.types.first()), org.industries.join(QStringLiteral(", ")).toLower(),
                     org.regions.join(QStringLiteral(", ")), org.capabilities.join(QStringLiteral(", ")));
        const double statusDraw = rng.unit();
        org.status = statusDraw < 0.85
                         ? QStringLiteral("active")
                         : (statusDraw < 0.95 ? QStringLiteral("onboarding") : QStringLiteral("inactive"));
        org.joinDate = QDate(2015, 1, 1).addDays(rng.below(365 * 11 + 300));
        if (Status s = orgRepo.insert(org); !s)
            return failed(s.error());
        if (Status s = addPeople(org, 1 + rng.below(4)); !s)
            return failed(s.error());

        PartnerInfo info;
        info.id = org.id;
        info.weight = profile.accountWeight * std::array{1.0, 1.6, 2.5, 4.0}[size_t(tier)];
        for (const QString &r : chosen)
            for (const QString &code : regionCountries.value(r))
                info.countries.push_back(countryIndex.value(code));
        const double src = rng.unit();
        info.source =
            src < 0.5 ? QStringLiteral("salesforce") : (src < 0.85 ? QStringLiteral("hubspot") : QStringLiteral("csv"));
        info.currency = regionCurrency(chosen.first());
        partners.push_back(std::move(info));
    }
    summary.partners = int(partners.size());
    if (Status s = ws->commit(); !s)
        return failed(s.error());

    // ---- accounts: the vendor holds ~15 %, partners share the rest by weight (tier and type)
    std::vector<qint64> quota(partners.size() + 1, 0);
    {
        double total = 0;
        for (const auto &p : partners)
            total += p.weight;
        const qint64 vendorShare = options.accounts * 15 / 100;
        quota[0] = vendorShare;
        qint64 assigned = vendorShare;
        for (size_t i = 0; i < partners.size(); ++i) {
            quota[i + 1] = qint64(double(options.accounts - vendorShare) * partners[i].weight / total);
            assigned += quota[i + 1];
        }
        for (size_t i = 1; assigned < options.accounts; i = i % partners.size() + 1, ++assigned)
            ++quota[i]; // hand out the rounding remainder
    }

    OpportunityRepository opportunityRepo(*ws);
    OpportunityMaker opportunities(options.seed, options.year > 0 ? options.year : QDate::currentDate().year(),
                                   firstNames, lastNames);
    const auto statusWeights = cumulative({30, 55, 15}); // customer, prospect, opportunity (AccountStatus order)
    constexpr double kSkew = 2.2;                        // popularity: a few companies sit in many CRMs
    constexpr qint64 kBatch = 20000;
    qint64 written = 0;
    qint64 inBatch = 0;
    if (Status s = ws->begin(); !s)
        return failed(s.error());
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (size_t owner = 0; owner < quota.size(); ++owner) {
        const bool isVendor = owner == 0;
        const QString ownerId = isVendor ? vendor.id : partners[owner - 1].id;
        const QString source = isVendor ? QStringLiteral("salesforce") : partners[owner - 1].source;
        const std::vector<int> *home = isVendor ? nullptr : &partners[owner - 1].countries;
        const QString currency = isVendor ? QStringLiteral("USD") : partners[owner - 1].currency;
        QSet<int> held;
        held.reserve(qsizetype(quota[owner]));
        for (qint64 k = 0; k < quota[owner]; ++k) {
            // 80 % of a partner's accounts are in its own regions; the vendor sells everywhere.
            int country = (home && !home->empty() && rng.chance(0.8)) ? (*home)[size_t(rng.below(int(home->size())))]
                                                                      : rng.weighted(countryWeights);
            const std::vector<int> &pool =
                byCountry[size_t(country)].empty() ? byCountry[0] : byCountry[size_t(country)];
            int company = -1;
            const bool duplicate = rng.chance(0.02); // CRMs hold a few duplicates; keep them
            for (int attempt = 0; attempt < 12; ++attempt) {
                const int candidate = pool[size_t(double(pool.size()) * std::pow(rng.unit(), kSkew))];
                if (duplicate || !held.contains(candidate) || attempt == 11) {
                    company = candidate;
                    break;
                }
            }
            held.insert(company);
            const Company &c = companies[size_t(company)];

            Account a;
            a.ownerId = ownerId;
            switch (rng.below(10)) {
            case 0:
                a.name = c.bare;
                break;
            case 1:
                a.name = c.name.toUpper();
                break;
            case 2:
                a.name = QStringLiteral("The ") + c.name;
                break;
            default:
                a.name = c.name;
            }
            const int site = rng.below(20);
            a.domain = c.domain;
            if (site == 0) {
                a.domain.clear(); // no website on record
            } else if (site < 8) {
                a.website = QStringLiteral("https://www.") + c.domain;
            } else if (site < 13) {
                a.website = c.domain;
            } else if (site < 16) {
                a.website = QStringLiteral("http://") + c.domain + QStringLiteral("/en/");
            } else if (site < 18) {
                a.website = QStringLiteral("https://shop.") + c.domain;
            } else {
                a.website = QStringLiteral("WWW.") + c.domain.toUpper();
            }
            a.country = QLatin1String(countries[size_t(c.country)].code);
            a.industry = industries.at(c.industry);
            a.status = AccountStatus(rng.weighted(statusWeights));
            a.crmSource = source;
            if (source == QLatin1String("hubspot")) {
                a.externalId = QString::number(1000000000ull + rng.raw() % 9000000000ull);
            } else {
                QString sfid = QStringLiteral("001");
                for (int j = 0; j < 15; ++j)
                    sfid += QLatin1Char(base62[rng.raw() % 62]);
                a.externalId = sfid;
            }
            if (Status s = accountRepo.insert(a); !s)
                return failed(s.error());
            if (Status s = opportunities.add(opportunityRepo, a, currency, &summary.opportunities); !s)
                return failed(s.error());
            ++written;
            if (++inBatch == kBatch) {
                inBatch = 0;
                if (Status s = ws->commit(); !s)
                    return failed(s.error());
                if (options.progress && !options.progress(written, options.accounts))
                    return failed(Tr::tr("Cancelled."));
                if (Status s = ws->begin(); !s)
                    return failed(s.error());
            }
        }
    }
    if (Status s = ws->commit(); !s)
        return failed(s.error());
    summary.accounts = written;
    if (options.progress)
        options.progress(written, options.accounts);
    if (options.dealRooms > 0) {
        DemoDealsOptions deals;
        deals.seed = options.seed;
        deals.rooms = options.dealRooms;
        deals.eventsPerRoom = options.eventsPerRoom;
        auto added = addDemoDeals(*ws, deals);
        if (!added)
            return failed(added.error());
        summary.dealRooms = added->rooms;
    }
    if (options.listingsPerPartnerMax > 0) {
        auto added = addDemoListings(*ws, options.seed, std::max(0, options.listingsPerPartnerMin),
                                     options.listingsPerPartnerMax);
        if (!added)
            return failed(added.error());
        summary.listings = added->listings;
    }
    (void)ws->exec(QStringLiteral("PRAGMA optimize"));
    (void)ws->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    return summary;
}

} // namespace ecotone
