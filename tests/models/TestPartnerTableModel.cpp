#include "TestSupport.h"

#include "item/PartnerTableModel.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSet>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

using Filter = PartnerTableModel::Filter;
Q_DECLARE_METATYPE(PartnerTableModel::Filter)

namespace {
constexpr int kGenerated = 450; // more than two pages
const int kPage = PartnerTableModel::kPageSize;

// Names with LIKE wildcards and their look-alikes, to prove the search takes '%', '_' and '\' literally.
const QStringList kSpecialNames{QStringLiteral("100% Cloud"),      QStringLiteral("1000 Clouds"),
                                QStringLiteral("Under_score Ltd"), QStringLiteral("UnderXscore Ltd"),
                                QStringLiteral("Back\\slash Co"),  QStringLiteral("Backslash Co"),
                                QStringLiteral("Fifty%Fifty"),     QStringLiteral("FiftyFifty")};

const QStringList kPrefixes{QStringLiteral("Alpha"), QStringLiteral("Beta"),    QStringLiteral("Gamma"),
                            QStringLiteral("Delta"), QStringLiteral("Epsilon"), QStringLiteral("Zeta"),
                            QStringLiteral("Eta"),   QStringLiteral("Theta"),   QStringLiteral("Iota"),
                            QStringLiteral("Kappa")};

int accountsFor(int i)
{
    return (i * 7) % 11;
}

bool buildFixture(Workspace &ws)
{
    OrganizationRepository orgs(ws);
    AccountRepository accounts(ws);
    Transaction tx(ws);
    const QList<PartnerType> types = partnertype::all();
    const QStringList tiers = organization::tiers();
    const QStringList regions = organization::regions();
    const QStringList statuses = organization::statuses();
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Alpha Vendor"); // matches "alpha" searches but is never a row
    if (!orgs.insert(vendor))
        return false;
    for (int i = 0; i < kGenerated + kSpecialNames.size(); ++i) {
        Organization o;
        const bool special = i >= kGenerated;
        const QString prefix = kPrefixes.at(i % kPrefixes.size());
        o.name =
            special
                ? kSpecialNames.at(i - kGenerated)
                : QStringLiteral("%1 %2").arg(i % 20 == 0 ? prefix.toLower() : prefix).arg(i, 3, 10, QLatin1Char('0'));
        o.types = {types.at(i % types.size())};
        if (i % 5 == 0)
            o.types << types.at((i + 2) % types.size());
        o.tier = tiers.at(i % tiers.size());
        o.regions = {regions.at(i % regions.size())};
        if (i % 3 == 0 && regions.at((i * 7 + 3) % regions.size()) != o.regions.first())
            o.regions << regions.at((i * 7 + 3) % regions.size());
        if (i % 4 == 0)
            o.capabilities = {QStringLiteral("Migration")};
        else if (i % 4 == 1)
            o.capabilities = {QStringLiteral("Security analytics"), QStringLiteral("Training")};
        o.website = QStringLiteral("www.%1-%2.com").arg(prefix.toLower()).arg(i);
        if (i % 9 == 0)
            o.description = QStringLiteral("Focus on healthcare");
        o.status = statuses.at(i % statuses.size());
        o.joinDate = QDate(2015, 1, 1).addDays(i * 5);
        if (Status s = orgs.insert(o); !s) {
            qWarning("%s", qPrintable(s.error()));
            return false;
        }
        QList<Account> list;
        for (int k = 0; k < accountsFor(i); ++k) {
            Account a;
            a.ownerId = o.id;
            a.name = QStringLiteral("Customer %1-%2").arg(i).arg(k);
            a.website = QStringLiteral("customer%1.example").arg(k);
            list << a;
        }
        if (Status s = accounts.insertMany(list); !s) {
            qWarning("%s", qPrintable(s.error()));
            return false;
        }
    }
    return tx.commit().ok();
}

// The filter's meaning, written independently of the model's SQL.
bool matches(const Organization &o, const Filter &f)
{
    if (o.kind != OrganizationKind::Partner)
        return false;
    for (const QString &word : f.text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const bool found = o.name.contains(word, Qt::CaseInsensitive) || o.domain.contains(word, Qt::CaseInsensitive) ||
                           o.capabilities.join(QLatin1Char('\n')).contains(word, Qt::CaseInsensitive) ||
                           o.description.contains(word, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    if (!f.type.isEmpty()) {
        const auto t = partnertype::fromKey(f.type);
        if (!t || !o.types.contains(*t))
            return false;
    }
    if (!f.tier.isEmpty() && o.tier != f.tier)
        return false;
    if (!f.region.isEmpty() && !o.regions.contains(f.region))
        return false;
    return true;
}

// The same count in SQL written another way: JSON lists through json_each, text through instr().
qint64 sqlCount(Workspace &ws, const Filter &f)
{
    QString sql = QStringLiteral("SELECT COUNT(*) FROM organizations o WHERE o.kind = 'partner'");
    QVariantList binds;
    for (const QString &word : f.text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        sql += QStringLiteral(" AND (instr(lower(o.name), lower(?)) OR instr(lower(o.domain), lower(?)) OR "
                              "instr(lower(o.description), lower(?)) OR EXISTS (SELECT 1 FROM "
                              "json_each(o.capabilities) c WHERE instr(lower(c.value), lower(?))))");
        binds << word << word << word << word;
    }
    if (!f.type.isEmpty()) {
        sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM json_each(o.types) t WHERE t.value = ?)");
        binds << f.type;
    }
    if (!f.tier.isEmpty()) {
        sql += QStringLiteral(" AND o.tier = ?");
        binds << f.tier;
    }
    if (!f.region.isEmpty()) {
        sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM json_each(o.regions) r WHERE r.value = ?)");
        binds << f.region;
    }
    QSqlQuery q(ws.db());
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next()) {
        qWarning("%s", qPrintable(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

void fetchAll(PartnerTableModel &model)
{
    int guard = 0;
    while (model.canFetchMore({}) && ++guard < 1000)
        model.fetchMore({});
}

QStringList column(const PartnerTableModel &model, int col, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.data(model.index(r, col), role).toString();
    return out;
}

Filter filter(const QString &text, const QString &type = {}, const QString &tier = {}, const QString &region = {})
{
    return Filter{text, type, tier, region};
}
} // namespace

class TestPartnerTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyWorkspace();
    void loadsLazilyInPages();
    void filters_data();
    void filters();
    void filterSignals();
    void wildcardsAreLiteral_data();
    void wildcardsAreLiteral();
    void sortByName_data();
    void sortByName();
    void sortByAccounts_data();
    void sortByAccounts();
    void sortByTierAndSignals();
    void refreshShowsChanges();
    void refreshKeepsLoadedRows();
    void displayData();

private:
    std::unique_ptr<PartnerTableModel> makeModel(bool watched = true);
    void watch(PartnerTableModel &model);
    void unwatch() { m_tester.reset(); }

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QSignalSpy> m_aboutToReset;
    std::unique_ptr<QSignalSpy> m_reset;
};

void TestPartnerTableModel::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("partners.ecotone")));
    QVERIFY(m_ws);
    if (QByteArray(QTest::currentTestFunction()) != "emptyWorkspace")
        QVERIFY(buildFixture(*m_ws));
}

void TestPartnerTableModel::cleanup()
{
    if (m_reset)
        QCOMPARE(m_reset->size(), m_aboutToReset->size());
    m_tester.reset();
    m_reset.reset();
    m_aboutToReset.reset();
    m_ws.reset();
    m_dir.reset();
}

// QAbstractItemModelTester checks the model on every signal it emits. Two things about Qt 6.4's tester shape
// how it is used here:
// - each check calls fetchMore() (up to twice), so page arithmetic is asserted before a tester is attached;
// - it calls fetchMore() from its modelReset slot before its own bookkeeping of the reset ends, so when rows
//   remain to be fetched after a reset it reports that page's insert as happening "during the reset". Resets
//   that leave rows to fetch therefore run between unwatch() and watch(): the tester comes back right after and
//   re-checks the whole model, and cleanup() checks that every reset began and ended.
std::unique_ptr<PartnerTableModel> TestPartnerTableModel::makeModel(bool watched)
{
    auto model = std::make_unique<PartnerTableModel>(m_ws.get());
    m_aboutToReset = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::modelAboutToBeReset);
    m_reset = std::make_unique<QSignalSpy>(model.get(), &QAbstractItemModel::modelReset);
    if (watched)
        watch(*model);
    return model;
}

void TestPartnerTableModel::watch(PartnerTableModel &model)
{
    QCOMPARE(m_reset->size(), m_aboutToReset->size());
    m_tester =
        std::make_unique<QAbstractItemModelTester>(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestPartnerTableModel::emptyWorkspace()
{
    auto model = makeModel();
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->columnCount(), int(PartnerTableModel::ColumnCount));
    QVERIFY(!model->canFetchMore({}));
    QCOMPARE(model->totalMatches(), 0);
    QCOMPARE(model->idAt(0), QString());
    QCOMPARE(model->rowOf(QStringLiteral("nope")), -1);
    model->fetchMore({});
    // Nothing left to fetch after these resets, so the tester watches them too.
    model->setFilter(filter(QStringLiteral("x")));
    model->sort(PartnerTableModel::Accounts, Qt::DescendingOrder);
    model->refresh();
    QCOMPARE(m_reset->size(), 3);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(model->lastError().isEmpty());
}

void TestPartnerTableModel::loadsLazilyInPages()
{
    const int partners = kGenerated + int(kSpecialNames.size());
    auto model = makeModel(false); // page arithmetic first, see makeModel()
    QCOMPARE(model->rowCount(), kPage);
    QVERIFY(model->canFetchMore({}));
    QCOMPARE(model->totalMatches(), qint64(partners));

    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    model->fetchMore({});
    QCOMPARE(model->rowCount(), 2 * kPage);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), kPage);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2 * kPage - 1);
    QVERIFY(model->canFetchMore({}));
    QCOMPARE(m_reset->size(), 0);

    // The tester checks the model as it is, then fetches the rest itself and checks that insert too.
    watch(*model);
    QCOMPARE(model->rowCount(), partners);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 2 * kPage);
    QCOMPARE(inserted.at(1).at(2).toInt(), partners - 1);
    QVERIFY(!model->canFetchMore({}));
    model->fetchMore({}); // nothing left: no signal
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(m_reset->size(), 0);
    QCOMPARE(model->totalMatches(), qint64(partners));

    // Pages join without gaps or repeats, in name order.
    QSet<QString> ids;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString id = model->data(model->index(r, 0), PartnerTableModel::IdRole).toString();
        QCOMPARE(model->idAt(r), id);
        QCOMPARE(model->rowOf(id), r);
        ids.insert(id);
    }
    QCOMPARE(ids.size(), partners);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("organizations")), partners + 1); // plus the vendor, never shown
    const QStringList names = column(*model, PartnerTableModel::Name);
    for (int r = 1; r < names.size(); ++r)
        QVERIFY2(names.at(r - 1).compare(names.at(r), Qt::CaseInsensitive) <= 0,
                 qPrintable(names.at(r - 1) + QStringLiteral(" > ") + names.at(r)));
}

void TestPartnerTableModel::filters_data()
{
    QTest::addColumn<Filter>("f");
    QTest::addColumn<bool>("some"); // whether the fixture has matches
    QTest::newRow("text in name") << filter(QStringLiteral("gamma")) << true;
    QTest::newRow("text, upper case") << filter(QStringLiteral("GAMMA")) << true;
    QTest::newRow("text in domain") << filter(QStringLiteral("kappa-1")) << true;
    QTest::newRow("text in capabilities") << filter(QStringLiteral("analytics")) << true;
    QTest::newRow("text in description") << filter(QStringLiteral("healthcare")) << true;
    QTest::newRow("two words, two fields") << filter(QStringLiteral("alpha  migration")) << true;
    QTest::newRow("number") << filter(QStringLiteral("04")) << true;
    QTest::newRow("no match") << filter(QStringLiteral("zzzz")) << false;
    QTest::newRow("type") << filter(QString(), QStringLiteral("hyperscaler")) << true;
    QTest::newRow("type with second types") << filter(QString(), QStringLiteral("isv")) << true;
    QTest::newRow("type systems integrator") << filter(QString(), QStringLiteral("systems_integrator")) << true;
    QTest::newRow("tier") << filter(QString(), QString(), QStringLiteral("Gold")) << true;
    QTest::newRow("region") << filter(QString(), QString(), QString(), QStringLiteral("Japan")) << true;
    QTest::newRow("region with ampersand")
        << filter(QString(), QString(), QString(), QStringLiteral("UK & Ireland")) << true;
    QTest::newRow("all four") << filter(QStringLiteral("a"), QStringLiteral("reseller"), QStringLiteral("Gold"),
                                        QStringLiteral("North America"))
                              << true;
    QTest::newRow("type and tier") << filter(QString(), QStringLiteral("technology"), QStringLiteral("Silver")) << true;
    QTest::newRow("unknown tier") << filter(QString(), QString(), QStringLiteral("Diamond")) << false;
    QTest::newRow("everything") << Filter{} << true;
}

void TestPartnerTableModel::filters()
{
    QFETCH(Filter, f);
    QFETCH(bool, some);
    auto model = makeModel();
    unwatch();
    model->setFilter(f);
    QCOMPARE(model->filter(), f);
    if (f != Filter{}) { // a new filter starts lazily again: at most one page until asked for more
        QCOMPARE(m_reset->size(), 1);
        QCOMPARE(model->rowCount(), int(std::min<qint64>(kPage, model->totalMatches())));
        QCOMPARE(model->canFetchMore({}), model->totalMatches() > kPage);
    }
    watch(*model);
    fetchAll(*model);
    QVERIFY(model->lastError().isEmpty());

    OrganizationRepository repo(*m_ws);
    AccountRepository accounts(*m_ws);
    QSet<QString> expected;
    const auto all = repo.all();
    QVERIFY(all.ok());
    for (const Organization &o : all.value())
        if (matches(o, f))
            expected.insert(o.id);

    QSet<QString> shown;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString id = model->idAt(r);
        const auto org = repo.find(id);
        QVERIFY2(org.ok(), qPrintable(org.error()));
        QVERIFY2(matches(org.value(), f), qPrintable(org->name));
        QCOMPARE(model->data(model->index(r, PartnerTableModel::Name)).toString(), org->name);
        QCOMPARE(model->data(model->index(r, PartnerTableModel::Tier)).toString(), org->tier);
        QCOMPARE(model->data(model->index(r, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong(),
                 accounts.countForOwner(id).value());
        shown.insert(id);
    }
    QCOMPARE(shown.size(), model->rowCount()); // no row twice
    QCOMPARE(!expected.isEmpty(), some);
    QCOMPARE(shown, expected);
    QCOMPARE(model->totalMatches(), qint64(expected.size()));
    QCOMPARE(model->totalMatches(), sqlCount(*m_ws, f));
}

void TestPartnerTableModel::filterSignals()
{
    auto model = makeModel();
    QSignalSpy total(model.get(), &PartnerTableModel::totalMatchesChanged);

    const Filter gold = filter(QString(), QString(), QStringLiteral("Gold"));
    unwatch();
    model->setFilter(gold);
    QCOMPARE(m_reset->size(), 1);
    QCOMPARE(total.size(), 1);
    const qint64 golds = total.last().at(0).toLongLong();
    QCOMPARE(golds, model->totalMatches());
    QVERIFY(golds > kPage / 2 && golds < kGenerated);
    watch(*model);

    model->setFilter(gold); // unchanged: no work, no signal
    QCOMPARE(m_reset->size(), 1);
    QCOMPARE(total.size(), 1);

    // A filter with fewer matches than a page loads everything at once (and the tester watches this reset).
    model->setFilter(filter(QStringLiteral("gamma"), QString(), QStringLiteral("Gold")));
    QCOMPARE(m_reset->size(), 2);
    QCOMPARE(total.size(), 2);
    QVERIFY(model->rowCount() > 0);
    QVERIFY(model->rowCount() < kPage);
    QCOMPARE(model->totalMatches(), qint64(model->rowCount()));
    QVERIFY(!model->canFetchMore({}));

    // Back to everything: the first page only.
    unwatch();
    model->setFilter({});
    QCOMPARE(m_reset->size(), 3);
    QCOMPARE(total.size(), 3);
    QCOMPARE(model->rowCount(), kPage);
    QVERIFY(model->canFetchMore({}));
    QCOMPARE(model->totalMatches(), qint64(kGenerated + kSpecialNames.size()));
    watch(*model);
}

void TestPartnerTableModel::wildcardsAreLiteral_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("percent alone") << QStringLiteral("%")
                                   << QStringList{QStringLiteral("100% Cloud"), QStringLiteral("Fifty%Fifty")};
    QTest::newRow("100%") << QStringLiteral("100%") << QStringList{QStringLiteral("100% Cloud")};
    QTest::newRow("underscore alone") << QStringLiteral("_") << QStringList{QStringLiteral("Under_score Ltd")};
    QTest::newRow("under_score") << QStringLiteral("under_score") << QStringList{QStringLiteral("Under_score Ltd")};
    QTest::newRow("backslash") << QStringLiteral("k\\s") << QStringList{QStringLiteral("Back\\slash Co")};
    QTest::newRow("fifty%fifty") << QStringLiteral("fifty%f") << QStringList{QStringLiteral("Fifty%Fifty")};
    QTest::newRow("JSON punctuation: comma") << QStringLiteral(",") << QStringList();
    QTest::newRow("JSON punctuation: bracket") << QStringLiteral("[") << QStringList();
    QTest::newRow("look-alike without wildcard")
        << QStringLiteral("1000") << QStringList{QStringLiteral("1000 Clouds")};
}

void TestPartnerTableModel::wildcardsAreLiteral()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    auto model = makeModel();
    unwatch();
    model->setFilter(filter(text));
    watch(*model);
    fetchAll(*model);
    QStringList shown = column(*model, PartnerTableModel::Name);
    shown.sort();
    names.sort();
    // Includes searches for JSON punctuation ("[", ","): they must not match the list syntax of capabilities.
    QCOMPARE(shown, names);
    QCOMPARE(model->totalMatches(), qint64(names.size()));
}

void TestPartnerTableModel::sortByName_data()
{
    QTest::addColumn<int>("order");
    QTest::newRow("ascending") << int(Qt::AscendingOrder);
    QTest::newRow("descending") << int(Qt::DescendingOrder);
}

void TestPartnerTableModel::sortByName()
{
    QFETCH(int, order);
    auto model = makeModel();
    unwatch();
    model->sort(PartnerTableModel::Accounts, Qt::AscendingOrder); // start from another order
    model->sort(PartnerTableModel::Name, Qt::SortOrder(order));
    QCOMPARE(m_reset->size(), 2);
    QCOMPARE(model->rowCount(), kPage);
    watch(*model);
    fetchAll(*model);

    OrganizationRepository repo(*m_ws);
    const auto all = repo.all();
    QStringList expected;
    for (const Organization &o : all.value())
        if (o.kind == OrganizationKind::Partner)
            expected << o.name;
    // Case-insensitive, as people expect ("alpha 000" sorts with "Alpha 010"); all names here are ASCII.
    std::sort(expected.begin(), expected.end(), [order](const QString &a, const QString &b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    QCOMPARE(column(*model, PartnerTableModel::Name), expected);
}

void TestPartnerTableModel::sortByAccounts_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("tier"); // also under a filter
    QTest::newRow("ascending") << int(Qt::AscendingOrder) << QString();
    QTest::newRow("descending") << int(Qt::DescendingOrder) << QString();
    QTest::newRow("descending, Silver only") << int(Qt::DescendingOrder) << QStringLiteral("Silver");
}

void TestPartnerTableModel::sortByAccounts()
{
    QFETCH(int, order);
    QFETCH(QString, tier);
    auto model = makeModel();
    unwatch();
    model->setFilter(filter(QString(), QString(), tier));
    model->sort(PartnerTableModel::Accounts, Qt::SortOrder(order));
    watch(*model);
    fetchAll(*model);
    AccountRepository accounts(*m_ws);
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(
        tier.isEmpty()
            ? QStringLiteral("SELECT COUNT(*) FROM organizations WHERE kind = 'partner'")
            : QStringLiteral("SELECT COUNT(*) FROM organizations WHERE kind = 'partner' AND tier = '%1'").arg(tier)));
    QVERIFY(q.next());
    QCOMPARE(model->rowCount(), q.value(0).toInt());
    QCOMPARE(model->totalMatches(), q.value(0).toLongLong());

    qint64 previous = order == Qt::AscendingOrder ? -1 : std::numeric_limits<qint64>::max();
    QString previousName;
    for (int r = 0; r < model->rowCount(); ++r) {
        const qint64 n =
            model->data(model->index(r, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong();
        QCOMPARE(n, accounts.countForOwner(model->idAt(r)).value());
        if (order == Qt::AscendingOrder)
            QVERIFY2(n >= previous, qPrintable(QStringLiteral("row %1: %2 after %3").arg(r).arg(n).arg(previous)));
        else
            QVERIFY2(n <= previous, qPrintable(QStringLiteral("row %1: %2 after %3").arg(r).arg(n).arg(previous)));
        // Equal counts are ordered by name.
        const QString name = model->data(model->index(r, PartnerTableModel::Name)).toString();
        if (n == previous)
            QVERIFY(previousName.compare(name, Qt::CaseInsensitive) <= 0);
        previous = n;
        previousName = name;
    }
    // Both ends of the range appear: 0 and 10 accounts.
    const qint64 first =
        model->data(model->index(0, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong();
    QCOMPARE(first, order == Qt::AscendingOrder ? 0 : 10);
}

void TestPartnerTableModel::sortByTierAndSignals()
{
    auto model = makeModel();
    model->sort(PartnerTableModel::Name, Qt::AscendingOrder); // already so: nothing happens
    QCOMPARE(m_reset->size(), 0);
    model->sort(-1, Qt::AscendingOrder);
    model->sort(PartnerTableModel::ColumnCount, Qt::AscendingOrder);
    QCOMPARE(m_reset->size(), 0);

    unwatch();
    model->sort(PartnerTableModel::Tier, Qt::DescendingOrder);
    QCOMPARE(m_reset->size(), 1);
    QCOMPARE(model->rowCount(), kPage);
    watch(*model);
    fetchAll(*model);
    const QStringList tiers = column(*model, PartnerTableModel::Tier);
    const QStringList rank = organization::tiers(); // lowest first
    QCOMPARE(tiers.size(), kGenerated + int(kSpecialNames.size()));
    for (int r = 1; r < tiers.size(); ++r)
        QVERIFY2(rank.indexOf(tiers.at(r - 1)) >= rank.indexOf(tiers.at(r)), qPrintable(tiers.at(r)));
    QCOMPARE(tiers.first(), QStringLiteral("Platinum"));
    QCOMPARE(tiers.last(), QStringLiteral("Registered"));
}

void TestPartnerTableModel::refreshShowsChanges()
{
    auto model = makeModel();
    QSignalSpy total(model.get(), &PartnerTableModel::totalMatchesChanged);
    const qint64 before = model->totalMatches();

    OrganizationRepository repo(*m_ws);
    Organization o;
    o.name = QStringLiteral("000 First Partner");
    o.types = {PartnerType::Referral};
    o.tier = QStringLiteral("Silver");
    o.regions = {QStringLiteral("ANZ")};
    QVERIFY(repo.insert(o).ok());
    QCOMPARE(model->rowOf(o.id), -1); // not before a refresh

    // Everything was loaded (the tester fetched it); refresh() reloads as many rows, so the new one pushes the
    // last row to the next page.
    QVERIFY(!model->canFetchMore({}));
    unwatch();
    model->refresh();
    QCOMPARE(m_reset->size(), 1);
    QCOMPARE(model->rowOf(o.id), 0);
    QCOMPARE(model->rowCount(), int(before));
    QVERIFY(model->canFetchMore({}));
    QCOMPARE(model->totalMatches(), before + 1);
    watch(*model);
    QCOMPARE(model->rowCount(), int(before) + 1);
    QCOMPARE(total.size(), 1);
    QCOMPARE(total.last().at(0).toLongLong(), before + 1);
    QCOMPARE(model->data(model->index(0, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong(), 0);

    // New accounts show in the count after a refresh.
    AccountRepository accounts(*m_ws);
    auto addAccounts = [&](int from, int to) {
        QList<Account> list;
        for (int i = from; i < to; ++i) {
            Account a;
            a.ownerId = o.id;
            a.name = QStringLiteral("New customer %1").arg(i);
            list << a;
        }
        return accounts.insertMany(list).ok();
    };
    QVERIFY(addAccounts(0, 3));
    model->refresh();
    QCOMPARE(model->data(model->index(0, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong(), 3);

    // ...also when sorted by accounts, which counts them all at once.
    unwatch();
    model->sort(PartnerTableModel::Accounts, Qt::DescendingOrder);
    watch(*model);
    fetchAll(*model);
    const int row = model->rowOf(o.id);
    QVERIFY(row >= 0);
    QCOMPARE(model->data(model->index(row, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong(),
             3);
    QVERIFY(addAccounts(3, 20));
    model->refresh();
    QCOMPARE(model->idAt(0), o.id); // 20 accounts: now the largest
    QCOMPARE(model->data(model->index(0, PartnerTableModel::Accounts), PartnerTableModel::SortKeyRole).toLongLong(),
             20);

    // A filter applies to new rows too, and a removed partner disappears.
    model->setFilter(filter(QStringLiteral("first")));
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(repo.remove(o.id).ok());
    model->refresh();
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->totalMatches(), 0);
    QVERIFY(model->lastError().isEmpty());
}

void TestPartnerTableModel::refreshKeepsLoadedRows()
{
    auto model = makeModel(false); // page arithmetic, see makeModel()
    model->fetchMore({});
    QCOMPARE(model->rowCount(), 2 * kPage);
    model->refresh();
    QCOMPARE(m_reset->size(), 1);
    QCOMPARE(model->rowCount(), 2 * kPage); // the view keeps its scroll position
    QVERIFY(model->canFetchMore({}));
    model->fetchMore({});
    QCOMPARE(model->rowCount(), kGenerated + int(kSpecialNames.size()));
    QVERIFY(!model->canFetchMore({}));
    watch(*model);
    model->refresh(); // everything loaded: the tester watches this reset
    QCOMPARE(model->rowCount(), kGenerated + int(kSpecialNames.size()));
}

void TestPartnerTableModel::displayData()
{
    auto model = makeModel();
    model->setFilter(filter(QStringLiteral("Alpha 010")));
    QCOMPARE(model->rowCount(), 1);
    OrganizationRepository repo(*m_ws);
    const Organization o = repo.find(model->idAt(0)).value();
    QCOMPARE(o.name, QStringLiteral("Alpha 010"));
    // i = 10: types isv and reseller (i % 5 == 0 adds a second), tier Gold (tiers[10 % 4]).
    auto cell = [&](int col, int role = Qt::DisplayRole) { return model->data(model->index(0, col), role); };
    QCOMPARE(o.types, (QList<PartnerType>{PartnerType::Isv, PartnerType::Reseller}));
    QCOMPARE(cell(PartnerTableModel::Types).toString(), partnertype::displayName(PartnerType::Isv) +
                                                            QStringLiteral(", ") +
                                                            partnertype::displayName(PartnerType::Reseller));
    QCOMPARE(cell(PartnerTableModel::Tier).toString(), QStringLiteral("Gold"));
    QCOMPARE(cell(PartnerTableModel::Regions).toString(), o.regions.join(QStringLiteral(", ")));
    QCOMPARE(cell(PartnerTableModel::Status).toString(), organization::statusDisplayName(o.status));
    QCOMPARE(cell(PartnerTableModel::Accounts).toString(), QLocale().toString(qint64(accountsFor(10))));
    QCOMPARE(cell(PartnerTableModel::Accounts, Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(cell(PartnerTableModel::Joined).toString(), QLocale().toString(o.joinDate, QLocale::ShortFormat));
    QCOMPARE(cell(PartnerTableModel::Name, Qt::ToolTipRole).toString(), o.name + QStringLiteral(" — ") + o.domain);
    QCOMPARE(cell(PartnerTableModel::Name, PartnerTableModel::IdRole).toString(), o.id);
    QVERIFY(!cell(PartnerTableModel::Name, Qt::DecorationRole).isValid());

    for (int c = 0; c < PartnerTableModel::ColumnCount; ++c)
        QVERIFY(!model->headerData(c, Qt::Horizontal).toString().isEmpty());
    QCOMPARE(model->headerData(PartnerTableModel::Name, Qt::Horizontal).toString(), QStringLiteral("Partner"));
}

QTEST_GUILESS_MAIN(TestPartnerTableModel)
#include "TestPartnerTableModel.moc"
