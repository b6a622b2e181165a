// "ecotone marketplace search|fit", "ecotone listings add|publish|unpublish|list", "ecotone demo listings".
#include "CliSupport.h"

#include "demo/DemoListings.h"
#include "marketplace/CollaborationRepository.h"
#include "marketplace/ListingRepository.h"
#include "marketplace/MarketplaceSearch.h"
#include "marketplace/PartnerFit.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Marketplace)
};

QCommandLineOption formatOption()
{
    return QCommandLineOption(QStringLiteral("format"), Tr::tr("json (default) or text."), QStringLiteral("F"),
                              QStringLiteral("json"));
}

bool checkFormat(const QCommandLineParser &parser, const QCommandLineOption &format, QString *error)
{
    const QString f = parser.value(format);
    if (f == QLatin1String("json") || f == QLatin1String("text"))
        return true;
    *error = Tr::tr("--format must be json or text, not \"%1\".").arg(f);
    return false;
}

bool parseCount(const QString &text, int min, int max, int *value)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max)
        return false;
    *value = v;
    return true;
}

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// ---- marketplace search

int marketplaceSearch(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption format = formatOption();
    QList<QCommandLineOption> facetOptions;
    for (int f = 0; f < kMarketplaceFacetCount; ++f)
        facetOptions << QCommandLineOption(MarketplaceSearch::facetKey(MarketplaceFacet(f)),
                                           Tr::tr("Only listings with this value (repeat for any of several)."),
                                           QStringLiteral("VALUE"));
    const QCommandLineOption sort(QStringLiteral("sort"), Tr::tr("relevance, name, newest or tier."),
                                  QStringLiteral("S"), QStringLiteral("relevance"));
    const QCommandLineOption limit(QStringLiteral("limit"), Tr::tr("Listings to print (0 to 1000)."),
                                   QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption offset(QStringLiteral("offset"), Tr::tr("Listings to skip."), QStringLiteral("N"),
                                    QStringLiteral("0"));
    QList<QCommandLineOption> options{workspace, format, sort, limit, offset};
    options << facetOptions;
    if (!parse(parser, arguments, options, &error) || !checkFormat(parser, format, &error))
        return failure(error, 2);
    MarketplaceQuery query;
    query.text = parser.positionalArguments().join(QLatin1Char(' '));
    for (int f = 0; f < kMarketplaceFacetCount; ++f)
        query.filters[f] = parser.values(facetOptions[f]);
    const auto sortKey = MarketplaceSearch::sortFromKey(parser.value(sort));
    if (!sortKey)
        return failure(Tr::tr("--sort must be relevance, name, newest or tier, not \"%1\".").arg(parser.value(sort)),
                       2);
    query.sort = *sortKey;
    if (!parseCount(parser.value(limit), 0, 1000, &query.limit))
        return failure(Tr::tr("--limit must be a whole number from 0 to 1000."), 2);
    if (!parseCount(parser.value(offset), 0, 10'000'000, &query.offset))
        return failure(Tr::tr("--offset must be a whole number of at least 0."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        MarketplaceSearch search(ws);
        QElapsedTimer timer;
        timer.start();
        auto result = search.search(query);
        if (!result)
            return failure(result.error());
        if (parser.value(format) == QLatin1String("text")) {
            out(Tr::tr("%n listing(s)\n", nullptr, result->total));
            for (const ListingHit &h : result->hits)
                out(QStringLiteral("%1  %2 (%3)\n").arg(h.id, h.title, h.partnerName));
            return 0;
        }
        QJsonArray hits;
        for (const ListingHit &h : result->hits)
            hits.append(QJsonObject{{QStringLiteral("id"), h.id},
                                    {QStringLiteral("kind"), listing::kindKey(h.kind)},
                                    {QStringLiteral("state"), listing::stateKey(h.state)},
                                    {QStringLiteral("title"), h.title},
                                    {QStringLiteral("titleHighlighted"), h.titleHighlighted},
                                    {QStringLiteral("summary"), h.summary},
                                    {QStringLiteral("snippet"), h.snippet},
                                    {QStringLiteral("partnerId"), h.partnerId},
                                    {QStringLiteral("partner"), h.partnerName},
                                    {QStringLiteral("partnerTier"), h.partnerTier},
                                    {QStringLiteral("partnerTypes"), array(h.partnerTypes)},
                                    {QStringLiteral("categories"), array(h.categories)},
                                    {QStringLiteral("clouds"), array(h.clouds)},
                                    {QStringLiteral("hasLogo"), h.hasLogo},
                                    {QStringLiteral("score"), h.score}});
        QJsonObject facets;
        for (int f = 0; f < kMarketplaceFacetCount; ++f) {
            QJsonArray values;
            for (const FacetCount &c : result->facets[f])
                values.append(QJsonObject{{QStringLiteral("value"), c.value},
                                          {QStringLiteral("count"), c.count},
                                          {QStringLiteral("selected"), c.selected}});
            facets.insert(MarketplaceSearch::facetKey(MarketplaceFacet(f)), values);
        }
        printJson({{QStringLiteral("workspace"), ws.path()},
                   {QStringLiteral("query"), query.text},
                   {QStringLiteral("words"), array(result->words)},
                   {QStringLiteral("sort"), MarketplaceSearch::sortKey(query.sort)},
                   {QStringLiteral("rankedByRelevance"), result->rankedByRelevance},
                   {QStringLiteral("total"), result->total},
                   {QStringLiteral("offset"), query.offset},
                   {QStringLiteral("count"), hits.size()},
                   {QStringLiteral("listings"), hits},
                   {QStringLiteral("facets"), facets},
                   {QStringLiteral("milliseconds"), double(timer.nsecsElapsed() / 10000) / 100.0}});
        return 0;
    });
}

// ---- marketplace fit

int marketplaceFit(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption format = formatOption();
    const QCommandLineOption partner(QStringLiteral("partner"), Tr::tr("The partner to find partners for: name or id."),
                                     QStringLiteral("ORG"));
    const QCommandLineOption limit(QStringLiteral("limit"), Tr::tr("Suggestions to print (1 to 1000)."),
                                   QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption account(QStringLiteral("account"),
                                     Tr::tr("Suggest partners for this account (its id) instead of a partner."),
                                     QStringLiteral("ID"));
    if (!parse(parser, arguments, {workspace, format, partner, account, limit}, &error) ||
        !checkFormat(parser, format, &error))
        return failure(error, 2);
    if (parser.value(partner).isEmpty() == parser.value(account).isEmpty())
        return failure(Tr::tr("Give either --partner or --account."), 2);
    FitOptions options;
    if (!parseCount(parser.value(limit), 1, 1000, &options.limit))
        return failure(Tr::tr("--limit must be a whole number from 1 to 1000."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        Organization subject;
        if (!parser.value(partner).isEmpty()) {
            auto org = findOrganization(ws, parser.value(partner));
            if (!org)
                return failure(org.error());
            subject = org.value();
        }
        PartnerFit fit(ws);
        QElapsedTimer timer;
        timer.start();
        auto suggestions = parser.value(account).isEmpty() ? fit.suggest(subject.id, options)
                                                           : fit.suggestForAccount(parser.value(account), options);
        if (!suggestions)
            return failure(suggestions.error());
        if (parser.value(format) == QLatin1String("text")) {
            for (const FitSuggestion &s : suggestions.value())
                out(QStringLiteral("%1: %2\n").arg(s.partnerName, s.explanation));
            return 0;
        }
        QJsonArray list;
        for (const FitSuggestion &s : suggestions.value())
            list.append(QJsonObject{
                {QStringLiteral("partnerId"), s.partnerId},
                {QStringLiteral("partner"), s.partnerName},
                {QStringLiteral("tier"), s.tier},
                {QStringLiteral("types"), array(s.types)},
                {QStringLiteral("score"), s.score},
                {QStringLiteral("explanation"), s.explanation},
                {QStringLiteral("reasons"), array(s.reasons)},
                {QStringLiteral("integrations"), array(s.integrations)},
                {QStringLiteral("sharedCustomers"), s.overlapShared ? QJsonValue(s.sharedCustomers) : QJsonValue()},
                {QStringLiteral("overlapShared"), s.overlapShared},
                {QStringLiteral("jointDealRooms"), s.jointDealRooms},
                {QStringLiteral("complementaryTypes"), array(s.complementaryTypes)},
                {QStringLiteral("newRegions"), array(s.newRegions)},
                {QStringLiteral("sharedRegions"), array(s.sharedRegions)},
                {QStringLiteral("newCapabilities"), array(s.newCapabilities)},
                {QStringLiteral("knowsAccount"), s.knowsAccount},
                {QStringLiteral("accountDealRooms"), s.accountDealRooms},
                {QStringLiteral("accountRegion"), s.accountRegion},
                {QStringLiteral("industryListings"), s.industryListings}});
        printJson({{QStringLiteral("workspace"), ws.path()},
                   {QStringLiteral("partnerId"), subject.id},
                   {QStringLiteral("accountId"), parser.value(account)},
                   {QStringLiteral("partner"), subject.name},
                   {QStringLiteral("count"), list.size()},
                   {QStringLiteral("suggestions"), list},
                   {QStringLiteral("milliseconds"), double(timer.nsecsElapsed() / 10000) / 100.0}});
        return 0;
    });
}

// ---- listings

QJsonObject listingJson(const Listing &l)
{
    return {{QStringLiteral("id"), l.id},
            {QStringLiteral("organizationId"), l.organizationId},
            {QStringLiteral("kind"), listing::kindKey(l.kind)},
            {QStringLiteral("state"), listing::stateKey(l.state)},
            {QStringLiteral("title"), l.title},
            {QStringLiteral("summary"), l.summary},
            {QStringLiteral("description"), l.description},
            {QStringLiteral("categories"), array(l.categories)},
            {QStringLiteral("industries"), array(l.industries)},
            {QStringLiteral("regions"), array(l.regions)},
            {QStringLiteral("languages"), array(l.languages)},
            {QStringLiteral("clouds"), array(l.clouds)},
            {QStringLiteral("certifications"), array(l.certifications)},
            {QStringLiteral("pricingModel"), l.pricingModel},
            {QStringLiteral("contact"), l.contact},
            {QStringLiteral("integratesWith"), array(l.integratesWith)},
            {QStringLiteral("bundleMembers"), array(l.bundleMembers)},
            {QStringLiteral("hasLogo"), !l.logo.isEmpty()},
            {QStringLiteral("createdAt"), l.createdAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("updatedAt"), l.updatedAt.toUTC().toString(Qt::ISODateWithMs)}};
}

int listingsAdd(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    auto opt = [](const char *name, const QString &help) {
        return QCommandLineOption(QString::fromLatin1(name), help, QStringLiteral("VALUE"));
    };
    const QCommandLineOption organization = opt("organization", Tr::tr("Whose listing: name or id."));
    const QCommandLineOption kind = opt("kind", Tr::tr("product, service, integration or bundle."));
    const QCommandLineOption title = opt("title", Tr::tr("Title."));
    const QCommandLineOption summary = opt("summary", Tr::tr("One-line summary."));
    const QCommandLineOption description = opt("description", Tr::tr("Description (Markdown subset)."));
    const QCommandLineOption category = opt("category", Tr::tr("Category (repeatable)."));
    const QCommandLineOption industry = opt("industry", Tr::tr("Industry (repeatable)."));
    const QCommandLineOption region = opt("region", Tr::tr("Region (repeatable)."));
    const QCommandLineOption language = opt("language", Tr::tr("Language code (repeatable)."));
    const QCommandLineOption cloud = opt("cloud", Tr::tr("aws, azure or gcp (repeatable)."));
    const QCommandLineOption certification = opt("certification", Tr::tr("Certification (repeatable)."));
    const QCommandLineOption pricing = opt("pricing", Tr::tr("free, subscription, usage, one_time or quote."));
    const QCommandLineOption contact = opt("contact", Tr::tr("Contact."));
    const QCommandLineOption integrates = opt("integrates-with", Tr::tr("Listing id (repeatable)."));
    const QCommandLineOption member = opt("member", Tr::tr("Bundle member listing id (repeatable)."));
    const QCommandLineOption publish(QStringLiteral("publish"), Tr::tr("Publish it at once."));
    if (!parse(parser, arguments,
               {workspace, organization, kind, title, summary, description, category, industry, region, language, cloud,
                certification, pricing, contact, integrates, member, publish},
               &error))
        return failure(error, 2);
    if (parser.value(organization).isEmpty())
        return failure(Tr::tr("--organization is required."), 2);
    Listing l;
    if (parser.isSet(kind)) {
        const auto k = listing::kindFromKey(parser.value(kind));
        if (!k)
            return failure(Tr::tr("--kind must be product, service, integration or bundle."), 2);
        l.kind = *k;
    }
    l.title = parser.value(title);
    l.summary = parser.value(summary);
    l.description = parser.value(description);
    l.categories = parser.values(category);
    l.industries = parser.values(industry);
    l.regions = parser.values(region);
    l.languages = parser.values(language);
    l.clouds = parser.values(cloud);
    l.certifications = parser.values(certification);
    l.pricingModel = parser.value(pricing);
    l.contact = parser.value(contact);
    l.integratesWith = parser.values(integrates);
    l.bundleMembers = parser.values(member);
    l.state = parser.isSet(publish) ? ListingState::Published : ListingState::Draft;
    return withWorkspace(parser, [&](Workspace &ws) {
        auto org = findOrganization(ws, parser.value(organization));
        if (!org)
            return failure(org.error());
        l.organizationId = org->id;
        ListingRepository repo(ws);
        if (Status s = repo.create(l); !s)
            return failure(s.error());
        out(l.id + QLatin1Char('\n'));
        return 0;
    });
}

int listingsState(const QStringList &arguments, bool publish)
{
    QCommandLineParser parser;
    QString error;
    if (!parse(parser, arguments, {workspaceOption()}, &error))
        return failure(error, 2);
    if (parser.positionalArguments().isEmpty())
        return failure(Tr::tr("Name at least one listing id."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        ListingRepository repo(ws);
        Transaction tx(ws);
        if (!tx.status())
            return failure(tx.status().error());
        for (const QString &id : parser.positionalArguments())
            if (Status s = publish ? repo.publish(id) : repo.unpublish(id); !s)
                return failure(s.error());
        if (Status s = tx.commit(); !s)
            return failure(s.error());
        return 0;
    });
}

int listingsList(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption organization(QStringLiteral("organization"), Tr::tr("Whose listings: name or id."),
                                          QStringLiteral("ORG"));
    if (!parse(parser, arguments, {workspaceOption(), organization}, &error))
        return failure(error, 2);
    return withOrganization(parser, organization, [&](Workspace &ws, const Organization &org) {
        ListingRepository repo(ws);
        auto listings = repo.forOrganization(org.id);
        if (!listings)
            return failure(listings.error());
        QJsonArray list;
        for (const Listing &l : listings.value())
            list.append(listingJson(l));
        printJson({{QStringLiteral("workspace"), ws.path()},
                   {QStringLiteral("organizationId"), org.id},
                   {QStringLiteral("count"), list.size()},
                   {QStringLiteral("listings"), list}});
        return 0;
    });
}

// ---- demo listings

int demoListings(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption min(QStringLiteral("per-partner-min"), Tr::tr("Listings per partner, at least."),
                                 QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption max(QStringLiteral("per-partner-max"), Tr::tr("Listings per partner, at most."),
                                 QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption seed(QStringLiteral("seed"), Tr::tr("Seed."), QStringLiteral("S"), QStringLiteral("1"));
    if (!parse(parser, arguments, {workspaceOption(), min, max, seed}, &error))
        return failure(error, 2);
    int lo = 0, hi = 0;
    bool seedOk = false;
    const quint64 s = parser.value(seed).toULongLong(&seedOk);
    if (!parseCount(parser.value(min), 0, 1000, &lo) || !parseCount(parser.value(max), 0, 1000, &hi) || !seedOk)
        return failure(Tr::tr("--per-partner-min, --per-partner-max and --seed must be whole numbers (0 to 1000 "
                              "listings)."),
                       2);
    return withWorkspace(parser, [&](Workspace &ws) {
        QElapsedTimer timer;
        timer.start();
        auto summary = addDemoListings(ws, s, lo, hi);
        if (!summary)
            return failure(summary.error());
        out(Tr::tr("Added %1 listings (%2 published, %3 integrations, %4 bundles) in %5 s\n")
                .arg(summary->listings)
                .arg(summary->published)
                .arg(summary->integrations)
                .arg(summary->bundles)
                .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
        return 0;
    });
}

// ---- collaboration requests

QJsonObject requestJson(const CollaborationRequest &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("kind"), collaboration::kindKey(r.kind)},
            {QStringLiteral("from"), r.fromOrg},
            {QStringLiteral("to"), r.toOrg},
            {QStringLiteral("listingId"), r.listingId},
            {QStringLiteral("accountName"), r.accountName},
            {QStringLiteral("accountWebsite"), r.accountWebsite},
            {QStringLiteral("message"), r.message},
            {QStringLiteral("status"), collaboration::statusKey(r.status)},
            {QStringLiteral("reason"), r.reason},
            {QStringLiteral("createdAt"), r.createdAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("answeredAt"),
             r.answeredAt.isValid() ? QJsonValue(r.answeredAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
            {QStringLiteral("resultId"), r.resultId}};
}

int marketplaceRequest(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    auto opt = [](const char *name, const QString &help) {
        return QCommandLineOption(QString::fromLatin1(name), help, QStringLiteral("VALUE"));
    };
    const QCommandLineOption from = opt("from", Tr::tr("Who asks: name or id."));
    const QCommandLineOption to = opt("to", Tr::tr("Who is asked: name or id."));
    const QCommandLineOption kind = opt("kind", Tr::tr("introduction, co_sell or referral."));
    const QCommandLineOption listingOpt = opt("listing", Tr::tr("The listing it starts from."));
    const QCommandLineOption account = opt("account", Tr::tr("The customer (co_sell, referral)."));
    const QCommandLineOption website = opt("website", Tr::tr("The customer's website."));
    const QCommandLineOption message = opt("message", Tr::tr("A note."));
    if (!parse(parser, arguments, {workspaceOption(), from, to, kind, listingOpt, account, website, message}, &error))
        return failure(error, 2);
    const auto k =
        collaboration::kindFromKey(parser.value(kind).isEmpty() ? QStringLiteral("introduction") : parser.value(kind));
    if (!k)
        return failure(Tr::tr("--kind must be introduction, co_sell or referral."), 2);
    if (parser.value(from).isEmpty() || parser.value(to).isEmpty())
        return failure(Tr::tr("--from and --to are required."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto a = findOrganization(ws, parser.value(from));
        auto b = findOrganization(ws, parser.value(to));
        if (!a || !b)
            return failure(!a ? a.error() : b.error());
        CollaborationRequest r;
        r.kind = *k;
        r.fromOrg = a->id;
        r.toOrg = b->id;
        r.listingId = parser.value(listingOpt);
        r.accountName = parser.value(account);
        r.accountWebsite = parser.value(website);
        r.message = parser.value(message);
        CollaborationRepository repo(ws);
        if (Status s = repo.send(r); !s)
            return failure(s.error());
        out(r.id + QLatin1Char('\n'));
        return 0;
    });
}

int marketplaceAnswer(const QStringList &arguments, bool accept)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption reason(QStringLiteral("reason"), Tr::tr("Why it is declined."), QStringLiteral("TEXT"));
    if (!parse(parser, arguments, {workspaceOption(), reason}, &error))
        return failure(error, 2);
    if (parser.positionalArguments().size() != 1)
        return failure(Tr::tr("Name one request id."), 2);
    if (!accept && parser.value(reason).trimmed().isEmpty())
        return failure(Tr::tr("--reason is required to decline."), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        CollaborationRepository repo(ws);
        const QString id = parser.positionalArguments().first();
        if (accept) {
            if (auto r = repo.accept(id, QStringLiteral("cli")); !r)
                return failure(r.error());
        } else if (Status s = repo.decline(id, parser.value(reason)); !s) {
            return failure(s.error());
        }
        auto r = repo.find(id);
        if (!r)
            return failure(r.error());
        printJson(requestJson(r.value()));
        return 0;
    });
}

int marketplaceRequests(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption organization(QStringLiteral("organization"), Tr::tr("Whose requests: name or id."),
                                          QStringLiteral("ORG"));
    if (!parse(parser, arguments, {workspaceOption(), organization}, &error))
        return failure(error, 2);
    return withOrganization(parser, organization, [&](Workspace &ws, const Organization &org) {
        CollaborationRepository repo(ws);
        auto incoming = repo.incoming(org.id);
        auto outgoing = repo.outgoing(org.id);
        if (!incoming || !outgoing)
            return failure(!incoming ? incoming.error() : outgoing.error());
        QJsonArray in, sent;
        for (const CollaborationRequest &r : incoming.value())
            in.append(requestJson(r));
        for (const CollaborationRequest &r : outgoing.value())
            sent.append(requestJson(r));
        printJson({{QStringLiteral("workspace"), ws.path()},
                   {QStringLiteral("organizationId"), org.id},
                   {QStringLiteral("incoming"), in},
                   {QStringLiteral("outgoing"), sent}});
        return 0;
    });
}

const CommandRegistration searchCommand(
    {QStringLiteral("marketplace"), QStringLiteral("search"),
     QStringLiteral("  marketplace search [QUERY...] --workspace W [--type T] [--kind K] [--category C]\n"
                    "      [--industry I] [--region R] [--language L] [--cloud aws|azure|gcp] [--tier T]\n"
                    "      [--sort relevance|name|newest|tier] [--limit N] [--offset N] [--format json|text]\n"
                    "                          Search published listings: ranked hits and facet counts.\n"),
     marketplaceSearch});
const CommandRegistration fitCommand(
    {QStringLiteral("marketplace"), QStringLiteral("fit"),
     QStringLiteral("  marketplace fit --workspace W --partner ORG|--account ID [--limit N] [--format json|text]\n"
                    "                          Suggest complementary partners, with the reasons.\n"),
     marketplaceFit});
const CommandRegistration requestCommand(
    {QStringLiteral("marketplace"), QStringLiteral("request"),
     QStringLiteral("  marketplace request --workspace W --from ORG --to ORG [--kind introduction|co_sell|referral]\n"
                    "      [--listing ID] [--account NAME] [--website URL] [--message TEXT]\n"
                    "                          Send a collaboration request; prints its id.\n"),
     marketplaceRequest});
const CommandRegistration
    acceptCommand({QStringLiteral("marketplace"), QStringLiteral("accept"),
                   QStringLiteral("  marketplace accept --workspace W ID\n"
                                  "                          Accept a request (a co_sell opens a deal room).\n"),
                   [](const QStringList &a) { return marketplaceAnswer(a, true); }});
const CommandRegistration declineCommand({QStringLiteral("marketplace"), QStringLiteral("decline"),
                                          QStringLiteral("  marketplace decline --workspace W ID --reason TEXT\n"
                                                         "                          Decline a request.\n"),
                                          [](const QStringList &a) { return marketplaceAnswer(a, false); }});
const CommandRegistration requestsCommand(
    {QStringLiteral("marketplace"), QStringLiteral("requests"),
     QStringLiteral("  marketplace requests --workspace W --organization ORG\n"
                    "                          An organization's incoming and outgoing requests as JSON.\n"),
     marketplaceRequests});
const CommandRegistration addCommand(
    {QStringLiteral("listings"), QStringLiteral("add"),
     QStringLiteral("  listings add --workspace W --organization ORG --title T [--kind K] [--summary S]\n"
                    "      [--category C]... [--region R]... [--cloud C]... [--publish] (more: docs/cli.md)\n"
                    "                          Add a listing (a draft unless --publish); prints its id.\n"),
     listingsAdd});
const CommandRegistration publishCommand({QStringLiteral("listings"), QStringLiteral("publish"),
                                          QStringLiteral("  listings publish --workspace W ID...\n"
                                                         "                          Publish listings.\n"),
                                          [](const QStringList &a) { return listingsState(a, true); }});
const CommandRegistration
    unpublishCommand({QStringLiteral("listings"), QStringLiteral("unpublish"),
                      QStringLiteral("  listings unpublish --workspace W ID...\n"
                                     "                          Turn listings back into drafts.\n"),
                      [](const QStringList &a) { return listingsState(a, false); }});
const CommandRegistration
    listCommand({QStringLiteral("listings"), QStringLiteral("list"),
                 QStringLiteral("  listings list --workspace W --organization ORG\n"
                                "                          Print an organization's listings (drafts too) as JSON.\n"),
                 listingsList});
const CommandRegistration
    demoCommand({QStringLiteral("demo"), QStringLiteral("listings"),
                 QStringLiteral("  demo listings --workspace W [--per-partner-min N] [--per-partner-max M] [--seed S]\n"
                                "                          Add synthetic marketplace listings for every partner.\n"),
                 demoListings});
} // namespace

} // namespace ecotone::cli
