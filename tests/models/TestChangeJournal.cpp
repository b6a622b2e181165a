#include "TestSupport.h"

#include "store/ChangeJournal.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
struct Entry
{
    qint64 seq = 0;
    qint64 hlc = 0;
    QString deviceId;
    QString table;
    QString rowId;
    QString op;
    QString field;
    QVariant value; // null for tombstones
};

QList<Entry> journalAfter(Workspace &ws, qint64 seq)
{
    QList<Entry> out;
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT seq, hlc, device_id, table_name, row_id, op, field, value FROM journal "
                             "WHERE seq > ? ORDER BY seq"));
    q.addBindValue(seq);
    if (!q.exec())
        return out;
    while (q.next())
        out << Entry{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                     q.value(4).toString(),   q.value(5).toString(),   q.value(6).toString(), q.value(7)};
    return out;
}

qint64 lastSeq(Workspace &ws)
{
    QSqlQuery q(ws.db());
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM journal")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QJsonValue parseJson(const QVariant &value)
{
    // Wrapped in an array so that scalars (a JSON string) parse too.
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + value.toString().toUtf8() + QByteArray("]"), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

QJsonArray jsonArray(const QStringList &values)
{
    return QJsonArray::fromStringList(values);
}

Organization samplePartner(const QString &name = QStringLiteral("Northwind Traders"))
{
    Organization o;
    o.name = name;
    o.types = {PartnerType::Reseller, PartnerType::SystemsIntegrator};
    o.tier = QStringLiteral("Gold");
    o.regions = {QStringLiteral("DACH"), QStringLiteral("Nordics")};
    o.industries = {QStringLiteral("Retail")};
    o.capabilities = {QStringLiteral("Migration"), QStringLiteral("Training \"on site\"")};
    o.website = QStringLiteral("WWW.Northwind.co.uk/about/");
    o.description = QStringLiteral("Line one\nline two\twith a tab and a \\ backslash");
    o.status = QStringLiteral("onboarding");
    o.joinDate = QDate(2024, 5, 1);
    return o;
}

Account sampleAccount(const QString &ownerId, const QString &name = QStringLiteral("Contoso GmbH"))
{
    Account a;
    a.ownerId = ownerId;
    a.name = name;
    a.website = QStringLiteral("https://shop.contoso.de");
    a.country = QStringLiteral("DE");
    a.industry = QStringLiteral("Manufacturing");
    a.status = AccountStatus::Opportunity;
    a.crmSource = QStringLiteral("hubspot");
    a.externalId = QStringLiteral("1234567890");
    return a;
}

// Checks what every entry must satisfy: the workspace's device id and strictly increasing timestamps.
void verifyOrdering(Workspace &ws)
{
    const QList<Entry> all = journalAfter(ws, 0);
    for (qsizetype i = 0; i < all.size(); ++i) {
        QCOMPARE(all.at(i).deviceId, ws.deviceId());
        if (i > 0)
            QVERIFY2(
                all.at(i).hlc > all.at(i - 1).hlc,
                qPrintable(QStringLiteral("entry %1 hlc %2 <= %3").arg(i).arg(all.at(i).hlc).arg(all.at(i - 1).hlc)));
    }
}

struct Counts
{
    qint64 organizations, people, accounts, journal;
    bool operator==(const Counts &) const = default;
};

Counts counts(Workspace &ws)
{
    return {rowCount(ws, QStringLiteral("organizations")), rowCount(ws, QStringLiteral("people")),
            rowCount(ws, QStringLiteral("accounts")), rowCount(ws, QStringLiteral("journal"))};
}

char *toString(const Counts &c)
{
    return qstrdup(QStringLiteral("orgs %1, people %2, accounts %3, journal %4")
                       .arg(c.organizations)
                       .arg(c.people)
                       .arg(c.accounts)
                       .arg(c.journal)
                       .toUtf8()
                       .constData());
}
} // namespace

class TestChangeJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void organizationInsertIsOneWholeRowEntry();
    void personAndAccountInsert();
    void updateJournalsOnlyChangedFields();
    void updateWithoutChangeWritesNothing();
    void personAndAccountUpdate();
    void deleteIsTombstone();
    void foreignKeyViolationWritesNothing_data();
    void foreignKeyViolationWritesNothing();
    void journalFailureTakesTheRowBack_data();
    void journalFailureTakesTheRowBack();
    void invalidOrganizationIsRejected_data();
    void invalidOrganizationIsRejected();
    void removeTakesPeopleAndAccountsAndRestoreBringsThemBack();
    void vendorCannotBeRemoved();
    void insertManyIsAllOrNothing();
    void appendStringEscapes_data();
    void appendStringEscapes();
    void arrayAndObjectWriterProduceJson();
    void parseArrayIsTolerant_data();
    void parseArrayIsTolerant();

private:
    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
};

void TestChangeJournal::init()
{
    m_dir = std::make_unique<TempDir>();
    m_ws = createWorkspace(m_dir->file(QStringLiteral("journal.ecotone")));
    QVERIFY(m_ws);
}

void TestChangeJournal::cleanup()
{
    if (m_ws)
        verifyOrdering(*m_ws);
    m_ws.reset();
    m_dir.reset();
}

void TestChangeJournal::organizationInsertIsOneWholeRowEntry()
{
    OrganizationRepository repo(*m_ws);
    Organization org = samplePartner();
    QVERIFY(org.id.isEmpty());
    const Status s = repo.insert(org);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QVERIFY(IdGenerator::isValid(org.id));
    // insert() normalizes in place.
    QCOMPARE(org.website, QStringLiteral("https://www.northwind.co.uk/about"));
    QCOMPARE(org.domain, QStringLiteral("northwind.co.uk"));

    const QList<Entry> entries = journalAfter(*m_ws, 0);
    QCOMPARE(entries.size(), 1);
    const Entry &e = entries.first();
    QCOMPARE(e.table, QStringLiteral("organizations"));
    QCOMPARE(e.rowId, org.id);
    QCOMPARE(e.op, QStringLiteral("insert"));
    QCOMPARE(e.field, QStringLiteral("*"));
    QCOMPARE(e.deviceId, m_ws->deviceId());
    QCOMPARE(e.hlc, m_ws->journal().lastHlc());

    const QJsonValue v = parseJson(e.value);
    QVERIFY2(v.isObject(), qPrintable(e.value.toString()));
    const QJsonObject row = v.toObject();
    QCOMPARE(row.value(QStringLiteral("kind")).toString(), QStringLiteral("partner"));
    QCOMPARE(row.value(QStringLiteral("name")).toString(), org.name);
    QCOMPARE(row.value(QStringLiteral("types")).toArray(),
             jsonArray({QStringLiteral("reseller"), QStringLiteral("systems_integrator")}));
    QCOMPARE(row.value(QStringLiteral("tier")).toString(), QStringLiteral("Gold"));
    QCOMPARE(row.value(QStringLiteral("regions")).toArray(), jsonArray(org.regions));
    QCOMPARE(row.value(QStringLiteral("industries")).toArray(), jsonArray(org.industries));
    QCOMPARE(row.value(QStringLiteral("capabilities")).toArray(), jsonArray(org.capabilities));
    QCOMPARE(row.value(QStringLiteral("website")).toString(), org.website);
    QCOMPARE(row.value(QStringLiteral("domain")).toString(), org.domain);
    QCOMPARE(row.value(QStringLiteral("description")).toString(), org.description);
    QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("onboarding"));
    QCOMPARE(row.value(QStringLiteral("join_date")).toString(), QStringLiteral("2024-05-01"));
    QCOMPARE(row.size(), 12); // every column except the id, which is the entry's row_id

    // The row itself reads back equal.
    auto found = repo.find(org.id);
    QVERIFY2(found.ok(), qPrintable(found.error()));
    QCOMPARE(found.value(), org);
}

void TestChangeJournal::personAndAccountInsert()
{
    OrganizationRepository orgs(*m_ws);
    Organization org = samplePartner();
    QVERIFY(orgs.insert(org).ok());
    const qint64 seq = lastSeq(*m_ws);

    PersonRepository people(*m_ws);
    Person p{QString(), org.id, QStringLiteral("  Ada Lovelace "), QStringLiteral("ada@northwind.co.uk"),
             QStringLiteral("Alliance Director")};
    QVERIFY(people.insert(p).ok());
    QCOMPARE(p.name, QStringLiteral("Ada Lovelace"));

    AccountRepository accounts(*m_ws);
    Account a = sampleAccount(org.id);
    const Status s = accounts.insert(a);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(a.domain, QStringLiteral("contoso.de"));

    const QList<Entry> entries = journalAfter(*m_ws, seq);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).table, QStringLiteral("people"));
    QCOMPARE(entries.at(0).rowId, p.id);
    QCOMPARE(entries.at(0).op, QStringLiteral("insert"));
    QCOMPARE(entries.at(0).field, QStringLiteral("*"));
    const QJsonObject person = parseJson(entries.at(0).value).toObject();
    QCOMPARE(person.value(QStringLiteral("organization_id")).toString(), org.id);
    QCOMPARE(person.value(QStringLiteral("name")).toString(), QStringLiteral("Ada Lovelace"));
    QCOMPARE(person.value(QStringLiteral("email")).toString(), p.email);
    QCOMPARE(person.value(QStringLiteral("role")).toString(), p.role);
    QCOMPARE(person.size(), 4);

    QCOMPARE(entries.at(1).table, QStringLiteral("accounts"));
    QCOMPARE(entries.at(1).rowId, a.id);
    QCOMPARE(entries.at(1).op, QStringLiteral("insert"));
    const QJsonObject account = parseJson(entries.at(1).value).toObject();
    QCOMPARE(account.value(QStringLiteral("owner_id")).toString(), org.id);
    QCOMPARE(account.value(QStringLiteral("name")).toString(), a.name);
    QCOMPARE(account.value(QStringLiteral("website")).toString(), a.website);
    QCOMPARE(account.value(QStringLiteral("domain")).toString(), QStringLiteral("contoso.de"));
    QCOMPARE(account.value(QStringLiteral("country")).toString(), QStringLiteral("DE"));
    QCOMPARE(account.value(QStringLiteral("industry")).toString(), a.industry);
    QCOMPARE(account.value(QStringLiteral("status")).toString(), QStringLiteral("opportunity"));
    QCOMPARE(account.value(QStringLiteral("crm_source")).toString(), QStringLiteral("hubspot"));
    QCOMPARE(account.value(QStringLiteral("external_id")).toString(), QStringLiteral("1234567890"));
    QCOMPARE(account.size(), 9);

    auto found = accounts.find(a.id);
    QVERIFY(found.ok());
    QCOMPARE(found.value(), a);
    auto listed = people.forOrganization(org.id);
    QVERIFY(listed.ok());
    QCOMPARE(listed.value(), QList<Person>{p});
}

void TestChangeJournal::updateJournalsOnlyChangedFields()
{
    OrganizationRepository repo(*m_ws);
    Organization org = samplePartner();
    QVERIFY(repo.insert(org).ok());
    const qint64 seq = lastSeq(*m_ws);

    org.name = QStringLiteral("Northwind \"Traders\" Ltd");
    org.regions = {QStringLiteral("DACH")};
    org.capabilities.clear(); // an emptied list must still journal valid JSON
    const Status s = repo.update(org);
    QVERIFY2(s.ok(), qPrintable(s.error()));

    const QList<Entry> entries = journalAfter(*m_ws, seq);
    QCOMPARE(entries.size(), 3);
    QStringList fields;
    for (const Entry &e : entries) {
        QCOMPARE(e.table, QStringLiteral("organizations"));
        QCOMPARE(e.rowId, org.id);
        QCOMPARE(e.op, QStringLiteral("update"));
        fields << e.field;
    }
    QCOMPARE(fields, (QStringList{QStringLiteral("name"), QStringLiteral("regions"), QStringLiteral("capabilities")}));
    QCOMPARE(parseJson(entries.at(0).value), QJsonValue(QStringLiteral("Northwind \"Traders\" Ltd")));
    QCOMPARE(parseJson(entries.at(1).value), QJsonValue(jsonArray({QStringLiteral("DACH")})));
    QCOMPARE(parseJson(entries.at(2).value), QJsonValue(QJsonArray()));

    auto found = repo.find(org.id);
    QVERIFY(found.ok());
    QCOMPARE(found.value(), org);

    // A website typed differently but normalizing to the same address is no change.
    const qint64 seq2 = lastSeq(*m_ws);
    org.website = QStringLiteral("https://www.northwind.co.uk/about");
    QVERIFY(repo.update(org).ok());
    QCOMPARE(journalAfter(*m_ws, seq2).size(), 0);

    // A new website changes both the website and the derived domain.
    org.website = QStringLiteral("northwind-traders.com");
    QVERIFY(repo.update(org).ok());
    const QList<Entry> site = journalAfter(*m_ws, seq2);
    QCOMPARE(site.size(), 2);
    QCOMPARE(site.at(0).field, QStringLiteral("website"));
    QCOMPARE(parseJson(site.at(0).value), QJsonValue(QStringLiteral("https://northwind-traders.com")));
    QCOMPARE(site.at(1).field, QStringLiteral("domain"));
    QCOMPARE(parseJson(site.at(1).value), QJsonValue(QStringLiteral("northwind-traders.com")));
}

void TestChangeJournal::updateWithoutChangeWritesNothing()
{
    OrganizationRepository repo(*m_ws);
    Organization org = samplePartner();
    QVERIFY(repo.insert(org).ok());
    const Counts before = counts(*m_ws);

    Organization same = org;
    QVERIFY(repo.update(same).ok());
    QCOMPARE(counts(*m_ws), before);

    // Leading and trailing blanks are trimmed before comparing.
    same.name = QStringLiteral("  ") + org.name + QStringLiteral(" ");
    QVERIFY(repo.update(same).ok());
    QCOMPARE(counts(*m_ws), before);

    // Updating a record that does not exist fails and writes nothing.
    Organization ghost = samplePartner(QStringLiteral("Ghost"));
    ghost.id = m_ws->ids().next();
    const Status s = repo.update(ghost);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(ghost.id), qPrintable(s.error()));
    QCOMPARE(counts(*m_ws), before);

    // A partner cannot turn into the vendor.
    Organization vendor = org;
    vendor.kind = OrganizationKind::Vendor;
    QVERIFY(!repo.update(vendor).ok());
    QCOMPARE(counts(*m_ws), before);
}

void TestChangeJournal::personAndAccountUpdate()
{
    OrganizationRepository orgs(*m_ws);
    Organization org = samplePartner();
    QVERIFY(orgs.insert(org).ok());
    PersonRepository people(*m_ws);
    Person p{QString(), org.id, QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.com"),
             QStringLiteral("CTO")};
    QVERIFY(people.insert(p).ok());
    AccountRepository accounts(*m_ws);
    Account a = sampleAccount(org.id);
    QVERIFY(accounts.insert(a).ok());
    const qint64 seq = lastSeq(*m_ws);

    p.email = QStringLiteral("ada@analytical.engine");
    QVERIFY(people.update(p).ok());
    QVERIFY(people.update(p).ok()); // unchanged the second time
    a.status = AccountStatus::Customer;
    QVERIFY(accounts.update(a).ok());
    QVERIFY(accounts.update(a).ok());

    const QList<Entry> entries = journalAfter(*m_ws, seq);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).table, QStringLiteral("people"));
    QCOMPARE(entries.at(0).rowId, p.id);
    QCOMPARE(entries.at(0).field, QStringLiteral("email"));
    QCOMPARE(parseJson(entries.at(0).value), QJsonValue(QStringLiteral("ada@analytical.engine")));
    QCOMPARE(entries.at(1).table, QStringLiteral("accounts"));
    QCOMPARE(entries.at(1).rowId, a.id);
    QCOMPARE(entries.at(1).op, QStringLiteral("update"));
    QCOMPARE(entries.at(1).field, QStringLiteral("status"));
    QCOMPARE(parseJson(entries.at(1).value), QJsonValue(QStringLiteral("customer")));

    // An invalid email is refused without a trace.
    const Counts before = counts(*m_ws);
    Person bad = p;
    bad.email = QStringLiteral("not an email");
    const Status s = people.update(bad);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("not an email")), qPrintable(s.error()));
    QCOMPARE(counts(*m_ws), before);
}

void TestChangeJournal::deleteIsTombstone()
{
    OrganizationRepository orgs(*m_ws);
    Organization org = samplePartner();
    QVERIFY(orgs.insert(org).ok());
    PersonRepository people(*m_ws);
    Person p{QString(), org.id, QStringLiteral("Ada"), QString(), QString()};
    QVERIFY(people.insert(p).ok());
    AccountRepository accounts(*m_ws);
    Account a = sampleAccount(org.id);
    QVERIFY(accounts.insert(a).ok());
    const qint64 seq = lastSeq(*m_ws);

    QVERIFY(people.remove(p.id).ok());
    QVERIFY(accounts.remove(a.id).ok());
    const QList<Entry> entries = journalAfter(*m_ws, seq);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).table, QStringLiteral("people"));
    QCOMPARE(entries.at(0).rowId, p.id);
    QCOMPARE(entries.at(1).table, QStringLiteral("accounts"));
    QCOMPARE(entries.at(1).rowId, a.id);
    for (const Entry &e : entries) {
        QCOMPARE(e.op, QStringLiteral("delete"));
        QCOMPARE(e.field, QString());
        QVERIFY(e.value.isNull());
    }
    QCOMPARE(rowCount(*m_ws, QStringLiteral("people")), 0);
    QCOMPARE(rowCount(*m_ws, QStringLiteral("accounts")), 0);

    // Removing again fails: the record is gone, and no second tombstone appears.
    const Counts before = counts(*m_ws);
    const Status again = accounts.remove(a.id);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(a.id), qPrintable(again.error()));
    QCOMPARE(counts(*m_ws), before);
}

void TestChangeJournal::foreignKeyViolationWritesNothing_data()
{
    QTest::addColumn<bool>("outerTransaction");
    QTest::addColumn<QString>("table");
    QTest::newRow("account, own transaction") << false << QStringLiteral("accounts");
    QTest::newRow("account, inside outer transaction") << true << QStringLiteral("accounts");
    QTest::newRow("person, own transaction") << false << QStringLiteral("people");
    QTest::newRow("person, inside outer transaction") << true << QStringLiteral("people");
}

void TestChangeJournal::foreignKeyViolationWritesNothing()
{
    QFETCH(bool, outerTransaction);
    QFETCH(QString, table);
    const Counts before = counts(*m_ws);
    const QString missingOwner = m_ws->ids().next();

    Organization org = samplePartner();
    if (outerTransaction) {
        QVERIFY(m_ws->begin().ok());
        // Work done earlier in the same transaction must survive the failed write.
        OrganizationRepository orgs(*m_ws);
        QVERIFY(orgs.insert(org).ok());
    }
    Status s;
    QString badId;
    if (table == QLatin1String("accounts")) {
        AccountRepository accounts(*m_ws);
        Account a = sampleAccount(missingOwner);
        s = accounts.insert(a);
        badId = a.id;
    } else {
        PersonRepository people(*m_ws);
        Person p{QString(), missingOwner, QStringLiteral("Nobody"), QString(), QString()};
        s = people.insert(p);
        badId = p.id;
    }
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("FOREIGN KEY"), Qt::CaseInsensitive), qPrintable(s.error()));
    QVERIFY2(s.error().contains(table), qPrintable(s.error()));
    QCOMPARE(m_ws->transactionDepth(), outerTransaction ? 1 : 0);
    if (outerTransaction)
        QVERIFY(m_ws->commit().ok());

    Counts expected = before;
    if (outerTransaction) {
        expected.organizations += 1;
        expected.journal += 1;
    }
    QCOMPARE(counts(*m_ws), expected);
    QSqlQuery q(m_ws->db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM journal WHERE row_id = ?"));
    q.addBindValue(badId);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    if (outerTransaction) {
        const QList<Entry> entries = journalAfter(*m_ws, 0);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().rowId, org.id);
    }
}

void TestChangeJournal::journalFailureTakesTheRowBack_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<bool>("outerTransaction");
    for (const char *op : {"insert", "update", "remove"}) {
        QTest::addRow("%s, own transaction", op) << QString::fromLatin1(op) << false;
        QTest::addRow("%s, inside outer transaction", op) << QString::fromLatin1(op) << true;
    }
}

void TestChangeJournal::journalFailureTakesTheRowBack()
{
    QFETCH(QString, operation);
    QFETCH(bool, outerTransaction);
    OrganizationRepository repo(*m_ws);
    Organization existing = samplePartner(QStringLiteral("Existing"));
    QVERIFY(repo.insert(existing).ok());
    // From here on the journal refuses every entry.
    QVERIFY(m_ws->exec(QStringLiteral("CREATE TRIGGER journal_full BEFORE INSERT ON journal "
                                      "BEGIN SELECT RAISE(ABORT, 'journal is full'); END"))
                .ok());
    const Counts before = counts(*m_ws);

    if (outerTransaction)
        QVERIFY(m_ws->begin().ok());
    Status s;
    Organization fresh = samplePartner(QStringLiteral("Fresh"));
    Organization changed = existing;
    changed.name = QStringLiteral("Renamed");
    if (operation == QLatin1String("insert"))
        s = repo.insert(fresh);
    else if (operation == QLatin1String("update"))
        s = repo.update(changed);
    else if (auto removed = repo.remove(existing.id); !removed.ok())
        s = Error{removed.error()};
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("journal is full")), qPrintable(s.error()));
    if (outerTransaction) {
        QCOMPARE(m_ws->transactionDepth(), 1);
        QVERIFY(m_ws->commit().ok());
    }
    QCOMPARE(m_ws->transactionDepth(), 0);
    QCOMPARE(counts(*m_ws), before);
    auto found = repo.find(existing.id);
    QVERIFY(found.ok());
    QCOMPARE(found->name, existing.name);
    QVERIFY(!repo.findByName(QStringLiteral("Fresh")).ok());
}

void TestChangeJournal::invalidOrganizationIsRejected_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("noTypes");
    QTest::addColumn<QString>("tier");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("website");
    QTest::addColumn<QStringList>("expected");

    const QString ok = QStringLiteral("Valid Name");
    const QString gold = QStringLiteral("Gold");
    const QString active = QStringLiteral("active");
    QTest::newRow("empty name, no types")
        << QString() << true << gold << active << QString()
        << QStringList{QStringLiteral("A name is required"), QStringLiteral("at least one partner type")};
    QTest::newRow("blank name") << QStringLiteral("   ") << false << gold << active << QString()
                                << QStringList{QStringLiteral("A name is required")};
    QTest::newRow("name too long") << QString(201, QLatin1Char('n')) << false << gold << active << QString()
                                   << QStringList{QStringLiteral("longer than 200")};
    QTest::newRow("unknown tier") << ok << false << QStringLiteral("Diamond") << active << QString()
                                  << QStringList{QStringLiteral("Unknown tier \"Diamond\"")};
    QTest::newRow("unknown status") << ok << false << gold << QStringLiteral("asleep") << QString()
                                    << QStringList{QStringLiteral("Unknown status \"asleep\"")};
    QTest::newRow("bad website") << ok << false << gold << active << QStringLiteral("not a url")
                                 << QStringList{QStringLiteral("\"not a url\" is not a valid address")};
}

void TestChangeJournal::invalidOrganizationIsRejected()
{
    QFETCH(QString, name);
    QFETCH(bool, noTypes);
    QFETCH(QString, tier);
    QFETCH(QString, status);
    QFETCH(QString, website);
    QFETCH(QStringList, expected);

    OrganizationRepository repo(*m_ws);
    Organization good = samplePartner(QStringLiteral("Good One"));
    QVERIFY(repo.insert(good).ok());
    const Counts before = counts(*m_ws);

    Organization org;
    org.name = name;
    if (!noTypes)
        org.types = {PartnerType::Technology};
    org.tier = tier;
    org.status = status;
    org.website = website;
    const Status s = repo.insert(org);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("not saved")), qPrintable(s.error()));
    for (const QString &part : expected)
        QVERIFY2(s.error().contains(part), qPrintable(s.error()));
    QCOMPARE(counts(*m_ws), before);

    // The same problems stop an update of an existing record, which stays as it was.
    Organization edited = good;
    edited.name = name;
    if (noTypes)
        edited.types.clear();
    edited.tier = tier;
    edited.status = status;
    edited.website = website;
    QVERIFY(!repo.update(edited).ok());
    QCOMPARE(counts(*m_ws), before);
    QCOMPARE(repo.find(good.id).value(), good);
}

void TestChangeJournal::removeTakesPeopleAndAccountsAndRestoreBringsThemBack()
{
    OrganizationRepository orgs(*m_ws);
    PersonRepository people(*m_ws);
    AccountRepository accounts(*m_ws);
    Organization keep = samplePartner(QStringLiteral("Keep"));
    QVERIFY(orgs.insert(keep).ok());
    Organization org = samplePartner(QStringLiteral("Doomed"));
    QVERIFY(orgs.insert(org).ok());
    QList<Person> staff;
    for (const char *name : {"Bea", "Al", "Cy"}) {
        Person p{QString(), org.id, QString::fromLatin1(name), QString(), QStringLiteral("Sales")};
        QVERIFY(people.insert(p).ok());
        staff << p;
    }
    Person other{QString(), keep.id, QStringLiteral("Other"), QString(), QString()};
    QVERIFY(people.insert(other).ok());
    QList<Account> held;
    for (int i = 0; i < 5; ++i) {
        Account a = sampleAccount(org.id, QStringLiteral("Account %1").arg(i));
        QVERIFY(accounts.insert(a).ok());
        held << a;
    }
    Account otherAccount = sampleAccount(keep.id);
    QVERIFY(accounts.insert(otherAccount).ok());
    const Counts full = counts(*m_ws);
    const qint64 seq = lastSeq(*m_ws);

    auto snapshot = orgs.remove(org.id);
    QVERIFY2(snapshot.ok(), qPrintable(snapshot.error()));
    QCOMPARE(snapshot->organization, org);
    QCOMPARE(snapshot->people.size(), 3);
    QCOMPARE(snapshot->accounts.size(), 5);

    // One tombstone per removed row, the organization last (after what referred to it).
    const QList<Entry> tombstones = journalAfter(*m_ws, seq);
    QCOMPARE(tombstones.size(), 3 + 5 + 1);
    QSet<QString> personIds, accountIds;
    for (const Person &p : staff)
        personIds.insert(p.id);
    for (const Account &a : held)
        accountIds.insert(a.id);
    QSet<QString> tombPeople, tombAccounts;
    for (const Entry &e : tombstones) {
        QCOMPARE(e.op, QStringLiteral("delete"));
        QVERIFY(e.value.isNull());
        if (e.table == QLatin1String("people"))
            tombPeople.insert(e.rowId);
        else if (e.table == QLatin1String("accounts"))
            tombAccounts.insert(e.rowId);
    }
    QCOMPARE(tombPeople, personIds);
    QCOMPARE(tombAccounts, accountIds);
    QCOMPARE(tombstones.last().table, QStringLiteral("organizations"));
    QCOMPARE(tombstones.last().rowId, org.id);

    QCOMPARE(counts(*m_ws).organizations, full.organizations - 1);
    QCOMPARE(counts(*m_ws).people, full.people - 3);
    QCOMPARE(counts(*m_ws).accounts, full.accounts - 5);
    QVERIFY(!orgs.find(org.id).ok());
    QCOMPARE(people.forOrganization(keep.id).value(), QList<Person>{other});
    QCOMPARE(accounts.forOwner(keep.id).value(), QList<Account>{otherAccount});

    // Undo: everything comes back with the same ids and content, journaled as inserts.
    const qint64 seq2 = lastSeq(*m_ws);
    const Status restored = orgs.restore(snapshot.value());
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QCOMPARE(orgs.find(org.id).value(), org);
    QList<Person> expectedPeople = staff;
    std::sort(expectedPeople.begin(), expectedPeople.end(),
              [](const Person &a, const Person &b) { return a.name < b.name; });
    QCOMPARE(people.forOrganization(org.id).value(), expectedPeople);
    QCOMPARE(accounts.forOwner(org.id).value(), held); // ordered by id, which is creation order
    const Counts after = counts(*m_ws);
    QCOMPARE(after.organizations, full.organizations);
    QCOMPARE(after.people, full.people);
    QCOMPARE(after.accounts, full.accounts);
    const QList<Entry> inserts = journalAfter(*m_ws, seq2);
    QCOMPARE(inserts.size(), 1 + 3 + 5);
    QCOMPARE(inserts.first().table, QStringLiteral("organizations"));
    for (const Entry &e : inserts) {
        QCOMPARE(e.op, QStringLiteral("insert"));
        QVERIFY(parseJson(e.value).isObject());
    }

    // Restoring twice fails as a whole: the ids are taken.
    const Counts beforeTwice = counts(*m_ws);
    QVERIFY(!orgs.restore(snapshot.value()).ok());
    QCOMPARE(counts(*m_ws), beforeTwice);

    // Removing something that does not exist writes nothing.
    QVERIFY(!orgs.remove(m_ws->ids().next()).ok());
    QCOMPARE(counts(*m_ws), beforeTwice);
}

void TestChangeJournal::vendorCannotBeRemoved()
{
    OrganizationRepository orgs(*m_ws);
    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Helioform Software");
    vendor.website = QStringLiteral("helioform.com");
    const Status s = orgs.insert(vendor); // the vendor needs no partner type
    QVERIFY2(s.ok(), qPrintable(s.error()));
    PersonRepository people(*m_ws);
    Person p{QString(), vendor.id, QStringLiteral("Vera"), QString(), QString()};
    QVERIFY(people.insert(p).ok());
    QCOMPARE(orgs.vendorId().value(), vendor.id);
    const Counts before = counts(*m_ws);

    auto removed = orgs.remove(vendor.id);
    QVERIFY(!removed.ok());
    QVERIFY2(removed.error().contains(QStringLiteral("vendor")), qPrintable(removed.error()));
    QCOMPARE(counts(*m_ws), before);
    QCOMPARE(orgs.find(vendor.id).value(), vendor);
}

void TestChangeJournal::insertManyIsAllOrNothing()
{
    OrganizationRepository orgs(*m_ws);
    Organization org = samplePartner();
    QVERIFY(orgs.insert(org).ok());
    AccountRepository accounts(*m_ws);
    const Counts before = counts(*m_ws);

    QList<Account> batch;
    for (int i = 0; i < 10; ++i)
        batch << sampleAccount(org.id, QStringLiteral("Batch %1").arg(i));
    batch[7].name = QStringLiteral("  ");
    const Status s = accounts.insertMany(batch);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("8 of 10")), qPrintable(s.error()));
    QCOMPARE(counts(*m_ws), before);

    batch[7].name = QStringLiteral("Batch 7");
    QVERIFY(accounts.insertMany(batch).ok());
    QCOMPARE(accounts.countForOwner(org.id).value(), 10);
    QCOMPARE(counts(*m_ws).journal, before.journal + 10);
}

void TestChangeJournal::appendStringEscapes_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("empty") << QString();
    QTest::newRow("plain") << QStringLiteral("Northwind Traders");
    QTest::newRow("quotes") << QStringLiteral("say \"hi\"");
    QTest::newRow("only a quote") << QStringLiteral("\"");
    QTest::newRow("backslashes") << QStringLiteral("C:\\temp\\new \\\\ share");
    QTest::newRow("escaped quote lookalike") << QStringLiteral("\\\"");
    QTest::newRow("newline, cr, tab") << QStringLiteral("a\nb\r\nc\td");
    QTest::newRow("control chars") << QString::fromUtf16(u"\u0001\u0002\u0008\u000b\u000c\u001b\u001f end");
    QTest::newRow("nul") << QString::fromUtf16(u"before\u0000after", 12);
    QTest::newRow("del and latin-1") << QString::fromUtf16(u"\u007f caf\u00e9 \u00a0");
    QTest::newRow("non-BMP") << QString::fromUtf16(u"rocket \U0001F680 and \u4e2d\u6587");
    QTest::newRow("line separators") << QString::fromUtf16(u"a\u2028b\u2029c");
    QTest::newRow("escape first") << QStringLiteral("\n starts with a newline");
    QTest::newRow("JSON-looking") << QStringLiteral("{\"key\": [1, 2]}");
}

void TestChangeJournal::appendStringEscapes()
{
    QFETCH(QString, value);
    QString out = QStringLiteral("prefix:");
    json::appendString(out, value);
    QVERIFY(out.startsWith(QStringLiteral("prefix:\"")));
    QVERIFY(out.endsWith(QLatin1Char('"')));
    const QString encoded = out.mid(7);
    QCOMPARE(json::string(value), encoded);

    // No raw control character may remain in the output.
    for (QChar c : encoded)
        QVERIFY2(c.unicode() >= 0x20, qPrintable(encoded));

    const QJsonValue parsed = parseJson(encoded);
    QVERIFY2(parsed.isString(), qPrintable(encoded));
    QCOMPARE(parsed.toString(), value);
}

void TestChangeJournal::arrayAndObjectWriterProduceJson()
{
    const QStringList values{QStringLiteral("a\"b"), QStringLiteral("c\\d"), QString(), QStringLiteral("e\nf")};
    const QString array = json::array(values);
    QCOMPARE(parseJson(array), QJsonValue(QJsonArray::fromStringList(values)));
    QCOMPARE(json::array({}), QStringLiteral("[]"));
    QCOMPARE(json::parseArray(array), values);

    json::ObjectWriter writer;
    writer.add("name", QStringLiteral("Quote \" and \\"));
    writer.addRaw("list", array);
    writer.add("empty", QString());
    const QString object = writer.finish();
    const QJsonValue parsed = parseJson(object);
    QVERIFY2(parsed.isObject(), qPrintable(object));
    const QJsonObject o = parsed.toObject();
    QCOMPARE(o.size(), 3);
    QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("Quote \" and \\"));
    QCOMPARE(o.value(QStringLiteral("list")).toArray(), QJsonArray::fromStringList(values));
    QCOMPARE(o.value(QStringLiteral("empty")).toString(), QString());
    // Insertion order is kept in the text.
    QVERIFY(object.indexOf(QStringLiteral("\"name\"")) < object.indexOf(QStringLiteral("\"list\"")));

    json::ObjectWriter empty;
    QCOMPARE(empty.finish(), QStringLiteral("{}"));
}

void TestChangeJournal::parseArrayIsTolerant_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("empty text") << QString() << QStringList();
    QTest::newRow("empty array") << QStringLiteral("[]") << QStringList();
    QTest::newRow("strings") << QStringLiteral("[\"a\",\"b c\"]")
                             << QStringList{QStringLiteral("a"), QStringLiteral("b c")};
    QTest::newRow("mixed") << QStringLiteral("[1, \"x\", null, {\"a\":1}, \"y\"]")
                           << QStringList{QStringLiteral("x"), QStringLiteral("y")};
    QTest::newRow("object") << QStringLiteral("{\"a\":\"b\"}") << QStringList();
    QTest::newRow("garbage") << QStringLiteral("not json") << QStringList();
    QTest::newRow("unterminated") << QStringLiteral("[\"a\"") << QStringList();
    QTest::newRow("escapes") << QStringLiteral("[\"\\u00e9\\n\"]") << QStringList{QString::fromUtf16(u"\u00e9\n")};
}

void TestChangeJournal::parseArrayIsTolerant()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(json::parseArray(text), expected);
}

QTEST_GUILESS_MAIN(TestChangeJournal)
#include "TestChangeJournal.moc"
