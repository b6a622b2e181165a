#include "DemoListings.h"

#include "marketplace/ListingRepository.h"
#include "store/ChangeJournal.h"
#include "store/Ids.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <random>
#include <vector>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::DemoListings)
};

// mt19937_64 output is fixed by the standard; the distributions are not, so draws are our own.
class Draw
{
public:
    explicit Draw(quint64 seed)
        : m_engine(seed)
    {}
    int below(int n) { return n <= 1 ? 0 : int(m_engine() % quint64(n)); }
    bool chance(double p) { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0) < p; }
    const QString &pick(const QStringList &list) { return list.at(below(int(list.size()))); }
    QStringList some(const QStringList &list, int min, int max)
    {
        QStringList out;
        const int n = std::min(int(list.size()), min + below(max - min + 1));
        while (out.size() < n) {
            const QString &v = pick(list);
            if (!out.contains(v))
                out << v;
        }
        return out;
    }

private:
    std::mt19937_64 m_engine;
};

QStringList split(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

struct Category
{
    const char *name;
    const char *products; // nouns for product names
    const char *services; // service names; %1 is the brand
    const char *words;    // vocabulary for descriptions
};

const Category kCategories[] = {
    {"Data & Analytics", "Lakehouse|Insight Hub|Pipeline|Warehouse Accelerator|Dashboards|Data Catalog|Metrics Layer",
     "Analytics Quick Start|Data Platform Assessment|BI Modernization|Data Governance Workshop",
     "lakehouse|warehouse|dashboards|metrics|ETL|streaming|catalog|lineage|reporting|forecasting|SQL|parquet"},
    {"Security", "Shield|Vault|Zero Trust Gateway|Threat Radar|Identity Bridge|Key Manager|SIEM Connector",
     "Security Assessment|Penetration Testing|SOC as a Service|Zero Trust Roadmap",
     "encryption|identity|threat|detection|compliance|audit|firewall|vulnerability|phishing|SSO|MFA|ransomware"},
    {"Migration", "Migration Factory|Lift Kit|Schema Converter|Replicator|Cutover Planner",
     "Cloud Migration|Datacenter Exit|Mainframe Modernization|Database Migration Service",
     "migration|cutover|replication|rehost|refactor|legacy|mainframe|downtime|wave|landing zone|assessment"},
    {"Managed Services", "Managed Ops|Care Plan|Service Desk|Backup Guard|Patch Pilot",
     "Managed Cloud Operations|24x7 Support|FinOps Service|Managed Backup",
     "monitoring|on-call|SLA|patching|backup|helpdesk|runbook|incident|cost|FinOps|uptime|ITIL"},
    {"AI/ML", "Model Studio|Copilot Kit|Vision API|Forecast Engine|Document AI|Feature Store",
     "AI Readiness Assessment|MLOps Implementation|GenAI Pilot|Data Science Sprint",
     "machine learning|models|inference|training|LLM|embeddings|vector|prediction|computer vision|NLP|MLOps"},
    {"DevOps", "Pipeline Runner|Release Console|Artifact Store|Test Grid|Infra Blueprints",
     "DevOps Transformation|Platform Engineering|CI/CD Implementation|Kubernetes Enablement",
     "CI/CD|kubernetes|containers|terraform|GitOps|pipelines|testing|observability|deployments|helm|SRE"},
    {"Networking", "Edge Mesh|SD-WAN Fabric|Traffic Lens|Secure Access Edge|Load Director",
     "Network Assessment|SD-WAN Rollout|Campus Refresh|Network Operations",
     "SD-WAN|latency|edge|routing|VPN|bandwidth|SASE|firewall|DNS|load balancing|5G|WiFi"},
    {"ERP", "Ledger Suite|Finance Connector|Procure Flow|Inventory Cloud|Payroll Bridge",
     "ERP Implementation|Finance Transformation|ERP Upgrade|Supply Chain Optimization",
     "ledger|invoicing|procurement|inventory|payroll|close|reconciliation|supply chain|orders|finance"},
    {"CRM", "Customer 360|Sales Cloud Connector|Service Console|Loyalty Engine|Quote Builder",
     "CRM Implementation|Sales Process Design|Customer Data Cleanup|Service Desk Rollout",
     "customers|pipeline|leads|opportunities|quotes|loyalty|campaigns|service|cases|segmentation|CPQ"},
    {"Collaboration", "Teamspace|Workroom|Meeting Notes|Intranet Kit|Whiteboard Live",
     "Workplace Modernization|Adoption Program|Intranet Build|Hybrid Work Workshop",
     "meetings|chat|documents|intranet|hybrid work|whiteboard|video|knowledge base|wiki|adoption"},
    {"Observability", "Trace View|Log Lake|Uptime Watch|Signal Hub", "Observability Quick Start|SRE Coaching",
     "tracing|logs|metrics|alerts|dashboards|SLO|OpenTelemetry|APM|incidents"},
    {"Storage", "Object Vault|File Fabric|Archive Tier|Snapshot Manager", "Storage Consolidation|Archive Migration",
     "object storage|files|archive|snapshots|tiering|replication|retention|immutability|S3"},
};

const char *const kSyllables[] = {"ar", "bel", "cor", "da",  "el",  "fen", "gar",  "hal", "is",  "jun",
                                  "ka", "lor", "mir", "nox", "or",  "pra", "quin", "ra",  "sol", "tav",
                                  "ul", "ven", "wyn", "xa",  "yor", "zel", "ne",   "ti",  "lu",  "mo"};

QString brand(Draw &d)
{
    QString s;
    const int n = 2 + d.below(2);
    for (int i = 0; i < n; ++i)
        s += QString::fromLatin1(kSyllables[d.below(int(std::size(kSyllables)))]);
    s[0] = s[0].toUpper();
    return s;
}

QString capitalized(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

QStringList languagesFor(const QStringList &regions, Draw &d)
{
    QStringList out{QStringLiteral("en")};
    for (const QString &r : regions) {
        if (r == QLatin1String("DACH"))
            out << QStringLiteral("de");
        else if (r == QLatin1String("France"))
            out << QStringLiteral("fr");
        else if (r == QLatin1String("Latin America"))
            out << (d.chance(0.5) ? QStringLiteral("es") : QStringLiteral("pt"));
        else if (r == QLatin1String("Benelux"))
            out << QStringLiteral("nl");
        else if (r == QLatin1String("Japan"))
            out << QStringLiteral("ja");
        else if (r == QLatin1String("Nordics"))
            out << QStringLiteral("sv");
    }
    out.removeDuplicates();
    return out;
}

struct Partner
{
    QString id;
    QString name;
    QStringList types;
    QStringList regions;
    QStringList industries;
};
} // namespace

Result<DemoListingSummary> addDemoListings(Workspace &ws, quint64 seed, int perPartnerMin, int perPartnerMax)
{
    if (perPartnerMin < 0 || perPartnerMax < perPartnerMin || perPartnerMax > 1000)
        return Error{Tr::tr("Listings per partner must be 0 to 1000, the minimum not above the maximum.")};
    std::vector<Partner> partners;
    {
        QSqlQuery q(ws.db());
        if (!q.exec(QStringLiteral(
                "SELECT id, name, types, regions, industries FROM organizations WHERE kind = 'partner' ORDER BY id")))
            return sqlError(q, Tr::tr("Reading partners"));
        while (q.next())
            partners.push_back({q.value(0).toString(), q.value(1).toString(), json::parseArray(q.value(2).toString()),
                                json::parseArray(q.value(3).toString()), json::parseArray(q.value(4).toString())});
    }
    Draw d(seed);
    // Listings already there (a second run on the same demo) shift the id stream, so ids never repeat.
    quint64 existing = 0;
    {
        QSqlQuery q(ws.db());
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM listings")) || !q.next())
            return sqlError(q, Tr::tr("Counting listings"));
        existing = q.value(0).toULongLong();
    }
    IdGenerator ids(seed ^ 0x4c495354ULL ^ (existing * 0x9E3779B97F4A7C15ULL),
                    QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
    const QDateTime base(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    const QStringList certifications = split("ISO 27001|SOC 2 Type II|HIPAA|FedRAMP Moderate|C5|TISAX|PCI DSS");
    const QStringList allRegions = split("North America|Latin America|UK & Ireland|DACH|France|Benelux|Nordics|ANZ");
    const QStringList allIndustries =
        split("Financial Services|Healthcare|Manufacturing|Retail|Public Sector|Education|Telecommunications");
    const QStringList pricing = listing::pricingModels();
    const QStringList openers =
        split("Built for teams that|Designed for companies that|Made for IT leaders who|For organizations that");
    const QStringList needs = split("need results in weeks|want fewer tools|run hybrid estates|grow across regions|"
                                    "must meet strict compliance|move to the cloud");

    ListingRepository repo(ws);
    DemoListingSummary summary;
    Transaction tx(ws);
    if (!tx.status())
        return Error{tx.status().error()};

    std::vector<QString> products; // product listing ids, for integrations and bundles
    std::vector<QString> productTitles;
    std::vector<int> productOwner;
    auto save = [&](Listing &l) -> Status {
        l.id = ids.next();
        l.createdAt = base.addSecs(-qint64(d.below(3 * 365 * 24 * 3600)));
        if (Status s = repo.create(l); !s)
            return s;
        ++summary.listings;
        if (l.state == ListingState::Published)
            ++summary.published;
        return {};
    };
    auto fill = [&](Listing &l, const Partner &p, const Category &c) {
        const QStringList vocabulary = split(c.words);
        const QString cat = QString::fromUtf8(c.name);
        l.organizationId = p.id;
        l.categories = {cat};
        if (d.chance(0.25))
            l.categories << QString::fromUtf8(kCategories[d.below(int(std::size(kCategories)))].name);
        l.categories.removeDuplicates();
        l.industries = p.industries.isEmpty() ? d.some(allIndustries, 1, 2) : d.some(p.industries, 1, 2);
        l.regions = p.regions.isEmpty() ? d.some(allRegions, 1, 3) : d.some(p.regions, 1, int(p.regions.size()));
        l.languages = languagesFor(l.regions, d);
        if (d.chance(0.6))
            l.clouds = d.some(listing::cloudKeys(), 1, 3);
        if (d.chance(0.4))
            l.certifications = d.some(certifications, 1, 2);
        l.pricingModel = d.pick(pricing);
        l.contact = QStringLiteral("marketplace@") + p.name.section(QLatin1Char(' '), 0, 0).toLower() +
                    QStringLiteral(".example");
        const QStringList w = d.some(vocabulary, 4, 6);
        l.summary = QStringLiteral("%1 %2: %3 and %4.").arg(d.pick(openers), d.pick(needs), w.value(0), w.value(1));
        l.description = QStringLiteral("**%1** by %2 covers %3, %4 and %5.\n\n- %6 for %7\n- Works in %8\n- %9 "
                                       "included\n\nSee [the documentation](https://docs.example/%10).")
                            .arg(l.title, p.name, w.value(0), w.value(1), w.value(2), capitalized(w.value(3)),
                                 l.industries.value(0), l.regions.join(QStringLiteral(", ")), capitalized(w.value(4)),
                                 QString::number(summary.listings));
        l.state = d.chance(0.9) ? ListingState::Published : ListingState::Draft;
    };

    // Products and services first; then integrations and bundles, which refer to other partners' products.
    std::vector<int> remaining(partners.size());
    for (size_t i = 0; i < partners.size(); ++i) {
        const Partner &p = partners[i];
        const int n = perPartnerMin + d.below(perPartnerMax - perPartnerMin + 1);
        const bool servicesFirst = p.types.contains(QStringLiteral("systems_integrator")) ||
                                   p.types.contains(QStringLiteral("reseller")) ||
                                   p.types.contains(QStringLiteral("referral"));
        const QString label = brand(d);
        int made = 0;
        for (; made < n; ++made) {
            if (made >= 2 && made >= n * 3 / 4)
                break; // the rest are integrations and bundles
            const Category &c = kCategories[d.below(int(std::size(kCategories)))];
            Listing l;
            const bool service = servicesFirst ? d.chance(0.7) : d.chance(0.2);
            if (service) {
                l.kind = ListingKind::Service;
                l.title = d.pick(split(c.services)) + QStringLiteral(" by ") + p.name;
            } else {
                l.kind = ListingKind::Product;
                l.title = (d.chance(0.5) ? label : brand(d)) + QLatin1Char(' ') + d.pick(split(c.products));
            }
            if (l.title.size() > listing::kMaxTitle)
                l.title = l.title.left(listing::kMaxTitle);
            fill(l, p, c);
            if (Status s = save(l); !s)
                return Error{s.error()};
            if (l.kind == ListingKind::Product && l.state == ListingState::Published) {
                products.push_back(l.id);
                productTitles.push_back(l.title);
                productOwner.push_back(int(i));
            }
        }
        remaining[i] = n - made;
    }
    for (size_t i = 0; i < partners.size(); ++i) {
        const Partner &p = partners[i];
        for (int k = 0; k < remaining[i]; ++k) {
            if (products.size() < 2)
                break;
            const Category &c = kCategories[d.below(int(std::size(kCategories)))];
            Listing l;
            const int a = d.below(int(products.size()));
            const bool bundle = k == 0 && d.chance(0.15);
            int b = d.below(int(products.size()));
            for (int tries = 0; tries < 8 && productOwner[size_t(b)] == productOwner[size_t(a)]; ++tries)
                b = d.below(int(products.size()));
            if (productOwner[size_t(a)] == int(i) || productOwner[size_t(b)] == productOwner[size_t(a)])
                continue;
            if (bundle) {
                l.kind = ListingKind::Bundle;
                l.bundleMembers = {products[size_t(a)], products[size_t(b)]};
                l.title = productTitles[size_t(a)] + QStringLiteral(" + ") + productTitles[size_t(b)] +
                          QStringLiteral(" Bundle");
            } else {
                l.kind = ListingKind::Integration;
                l.integratesWith = {products[size_t(a)]};
                l.title = p.name.section(QLatin1Char(' '), 0, 0) + QStringLiteral(" Connector for ") +
                          productTitles[size_t(a)];
            }
            if (l.title.size() > listing::kMaxTitle)
                l.title = l.title.left(listing::kMaxTitle).trimmed();
            fill(l, p, c);
            if (Status s = save(l); !s)
                return Error{s.error()};
            ++(bundle ? summary.bundles : summary.integrations);
        }
    }
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return summary;
}

} // namespace ecotone
