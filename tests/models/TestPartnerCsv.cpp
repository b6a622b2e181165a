#include "TestSupport.h"

#include "mapping/Csv.h"
#include "mapping/PartnerCsv.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QBuffer>
#include <QFile>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
struct Snapshot
{
    qint64 organizations, people, accounts, journal;
    QString contentHash;
    bool operator==(const Snapshot &) const = default;
};

char *toString(const Snapshot &s)
{
    return qstrdup(QStringLiteral("orgs %1, people %2, accounts %3, journal %4, content %5")
                       .arg(s.organizations)
                       .arg(s.people)
                       .arg(s.accounts)
                       .arg(s.journal)
                       .arg(s.contentHash)
                       .toUtf8()
                       .constData());
}

Snapshot snapshot(Workspace &ws)
{
    QSqlQuery q(ws.db());
    q.exec(QStringLiteral("SELECT group_concat(id || name || types || tier || regions || status || join_date || "
                          "description, '|') FROM (SELECT * FROM organizations ORDER BY id)"));
    q.next();
    return {rowCount(ws, QStringLiteral("organizations")), rowCount(ws, QStringLiteral("people")),
            rowCount(ws, QStringLiteral("accounts")), rowCount(ws, QStringLiteral("journal")),
            QString::number(qHash(q.value(0).toString()))};
}

Organization make(const QString &name, QList<PartnerType> types, const QString &tier, QStringList regions = {})
{
    Organization o;
    o.name = name;
    o.types = std::move(types);
    o.tier = tier;
    o.regions = std::move(regions);
    return o;
}

// A source workspace with a vendor and partners that use every column, including awkward text.
QList<Organization> fillSource(Workspace &ws)
{
    OrganizationRepository repo(ws);
    QList<Organization> orgs;

    Organization vendor;
    vendor.kind = OrganizationKind::Vendor;
    vendor.name = QStringLiteral("Helioform Software");
    vendor.website = QStringLiteral("https://www.helioform.com");
    vendor.regions = {QStringLiteral("DACH"), QStringLiteral("France")};
    vendor.industries = {QStringLiteral("Software")};
    vendor.joinDate = QDate(2012, 3, 1);
    orgs << vendor;

    Organization a = make(QStringLiteral("Acme Distribution"), {PartnerType::Reseller, PartnerType::Referral},
                          QStringLiteral("Gold"), {QStringLiteral("North America"), QStringLiteral("UK & Ireland")});
    a.industries = {QStringLiteral("Retail"), QStringLiteral("Financial Services")};
    a.capabilities = {QStringLiteral("Licensing"), QStringLiteral("Managed services")};
    a.website = QStringLiteral("acme-dist.co.uk");
    a.description = QStringLiteral("Reseller, \"value-added\"; ships\nacross two lines");
    a.status = QStringLiteral("onboarding");
    a.joinDate = QDate(2019, 11, 30);
    orgs << a;

    Organization b = make(QString::fromUtf8("Zürich Datenwerk AG"), {PartnerType::Technology}, QStringLiteral("Silver"),
                          {QStringLiteral("DACH")});
    b.website = QString::fromUtf8("https://www.bücher.de/shop/");
    b.capabilities = {QStringLiteral("Data connectors")};
    orgs << b;

    Organization c = make(QStringLiteral("Bare Minimum"), {PartnerType::Isv}, QString());
    c.status = QStringLiteral("inactive");
    orgs << c;

    // Cells a spreadsheet would run as formulas.
    Organization f = make(QStringLiteral("=cmd|' /C calc'!A0"), {PartnerType::SystemsIntegrator},
                          QStringLiteral("Platinum"), {QStringLiteral("Japan")});
    f.description = QStringLiteral("+1 (555) 0100 is the hotline");
    f.capabilities = {QStringLiteral("-minus first"), QStringLiteral("Training")};
    orgs << f;

    Organization g =
        make(QStringLiteral("@Mention Partners"), {PartnerType::Hyperscaler}, QStringLiteral("Registered"));
    g.description = QStringLiteral("=HYPERLINK(\"http://evil.example\")");
    orgs << g;

    for (Organization &o : orgs) {
        const Status s = repo.insert(o);
        if (!s)
            qWarning("%s", qPrintable(s.error()));
    }
    return orgs;
}

QHash<QString, Organization> byId(Workspace &ws)
{
    QHash<QString, Organization> out;
    OrganizationRepository repo(ws);
    const auto all = repo.all();
    for (const Organization &o : all.value())
        out.insert(o.id, o);
    return out;
}

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

bool writeText(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray csvRow(const QStringList &fields)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    CsvWriter(&buffer).writeRow(fields);
    return buffer.data();
}

// A full-width row for a new partner.
QStringList partnerRow(const QString &name, const QString &types = QStringLiteral("reseller"),
                       const QString &joinDate = QStringLiteral("2021-04-05"),
                       const QString &description = QStringLiteral("plain"))
{
    // id kind name types tier regions industries capabilities website domain description status join_date
    return {QString(),
            QStringLiteral("partner"),
            name,
            types,
            QStringLiteral("Gold"),
            QStringLiteral("DACH; Nordics"),
            QStringLiteral("Retail"),
            QStringLiteral("Migration"),
            QStringLiteral("www.example.com"),
            QString(),
            description,
            QStringLiteral("active"),
            joinDate};
}
} // namespace

class TestPartnerCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportImportRoundTrip();
    void reimportChangesNothing();
    void reimportWithoutIdsMatchesByName();
    void changedCellUpdatesOnlyThatField();
    void badRowFailsWholeImport_data();
    void badRowFailsWholeImport();
    void missingNameColumnIsRefused();
    void emptyAndUnreadableFiles();
    void minimalColumnsAndFriendlyValues();
    void formulaCellsAreGuarded();
};

void TestPartnerCsv::exportImportRoundTrip()
{
    TempDir dir;
    auto source = createWorkspace(dir.file(QStringLiteral("source.ecotone")));
    QVERIFY(source);
    const QList<Organization> orgs = fillSource(*source);
    QCOMPARE(rowCount(*source, QStringLiteral("organizations")), orgs.size());

    const QString file = dir.file(QStringLiteral("partners.csv"));
    auto exported = partnercsv::exportTo(*source, file);
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    QCOMPARE(exported.value(), qint64(orgs.size()));
    QVERIFY(readText(file).startsWith(QString::fromUtf8("\xEF\xBB\xBF") + partnercsv::header().join(QLatin1Char(','))));

    auto target = createWorkspace(dir.file(QStringLiteral("target.ecotone")));
    QVERIFY(target);
    auto report = partnercsv::importFrom(*target, file);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, int(orgs.size()));
    QCOMPARE(report->updated, 0);
    QCOMPARE(report->unchanged, 0);

    // Same ids, names, kinds, types, lists and every other column.
    const QHash<QString, Organization> want = byId(*source);
    const QHash<QString, Organization> got = byId(*target);
    QCOMPARE(got.size(), want.size());
    for (const Organization &o : want) {
        QVERIFY2(got.contains(o.id), qPrintable(o.name));
        QCOMPARE(got.value(o.id), o);
    }
    QCOMPARE(rowCount(*target, QStringLiteral("journal")), orgs.size());
}

void TestPartnerCsv::reimportChangesNothing()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    const QList<Organization> orgs = fillSource(*ws);
    const QString file = dir.file(QStringLiteral("partners.csv"));
    QVERIFY(partnercsv::exportTo(*ws, file).ok());
    const Snapshot before = snapshot(*ws);

    for (int round = 0; round < 2; ++round) {
        auto report = partnercsv::importFrom(*ws, file);
        QVERIFY2(report.ok(), qPrintable(report.error()));
        QCOMPARE(report->inserted, 0);
        QCOMPARE(report->updated, 0);
        QCOMPARE(report->unchanged, int(orgs.size()));
        QCOMPARE(snapshot(*ws), before);
    }
}

void TestPartnerCsv::reimportWithoutIdsMatchesByName()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    const QList<Organization> orgs = fillSource(*ws);
    const QString file = dir.file(QStringLiteral("partners.csv"));
    QVERIFY(partnercsv::exportTo(*ws, file).ok());

    // Blank the id column (a spreadsheet user deleted it) and change the names' case: rows still match by name.
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    CsvReader reader(&in, QStringLiteral("partners.csv"));
    QByteArray rewritten;
    QStringList fields;
    bool header = true;
    while (reader.next(fields)) {
        for (QString &f : fields)
            f = CsvWriter::unguard(f); // the values, as a spreadsheet shows them; the writer guards them again
        if (!header) {
            fields[0].clear();
            fields[2] = fields[2].toUpper();
        }
        header = false;
        rewritten += csvRow(fields);
    }
    in.close();
    const QString noIds = dir.file(QStringLiteral("no-ids.csv"));
    QVERIFY(writeText(noIds, rewritten));
    const Snapshot before = snapshot(*ws);

    auto report = partnercsv::importFrom(*ws, noIds);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 0);
    // Only the names' case changed: each row is an update of the same record, never a duplicate.
    QCOMPARE(report->updated, int(orgs.size()));
    QCOMPARE(report->unchanged, 0);
    const Snapshot after = snapshot(*ws);
    QCOMPARE(after.organizations, before.organizations);
}

void TestPartnerCsv::changedCellUpdatesOnlyThatField()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    const QList<Organization> orgs = fillSource(*ws);
    const QString file = dir.file(QStringLiteral("partners.csv"));
    QVERIFY(partnercsv::exportTo(*ws, file).ok());

    QString text = readText(file);
    QVERIFY(text.contains(QStringLiteral(",Bare Minimum,isv,,")));
    text.replace(QStringLiteral(",Bare Minimum,isv,,"), QStringLiteral(",Bare Minimum,isv,Silver,"));
    QVERIFY(writeText(file, text.toUtf8()));
    const qint64 journalBefore = rowCount(*ws, QStringLiteral("journal"));

    auto report = partnercsv::importFrom(*ws, file);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->updated, 1);
    QCOMPARE(report->unchanged, int(orgs.size()) - 1);
    QCOMPARE(rowCount(*ws, QStringLiteral("journal")), journalBefore + 1);
    QSqlQuery q(ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT op, field, value FROM journal ORDER BY seq DESC LIMIT 1")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("update"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("tier"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("\"Silver\""));
    OrganizationRepository repo(*ws);
    QCOMPARE(repo.findByName(QStringLiteral("bare minimum"))->tier, QStringLiteral("Silver"));
}

void TestPartnerCsv::badRowFailsWholeImport_data()
{
    QTest::addColumn<QStringList>("bad");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("reason");

    QStringList unknownType = partnerRow(QStringLiteral("Typo Partner"), QStringLiteral("reseller; wholesaler"));
    QTest::newRow("unknown type") << unknownType << QStringLiteral("types") << QStringLiteral("wholesaler");
    QTest::newRow("bad date") << partnerRow(QStringLiteral("Late Partner"), QStringLiteral("isv"),
                                            QStringLiteral("31/12/2020"))
                              << QStringLiteral("join_date") << QStringLiteral("31/12/2020");
    QTest::newRow("impossible date") << partnerRow(QStringLiteral("Leap Partner"), QStringLiteral("isv"),
                                                   QStringLiteral("2023-02-29"))
                                     << QStringLiteral("join_date") << QStringLiteral("2023-02-29");
    QTest::newRow("missing name") << partnerRow(QString()) << QStringLiteral("name")
                                  << QStringLiteral("A name is required");
    QStringList shortRow = partnerRow(QStringLiteral("Short Row"));
    shortRow.removeLast();
    QTest::newRow("too few fields") << shortRow << QStringLiteral("row") << QStringLiteral("12 fields");
    QStringList longRow = partnerRow(QStringLiteral("Long Row"));
    longRow << QStringLiteral("extra");
    QTest::newRow("too many fields") << longRow << QStringLiteral("row") << QStringLiteral("14 fields");
    QStringList tier = partnerRow(QStringLiteral("Tier Partner"));
    tier[4] = QStringLiteral("Diamond");
    QTest::newRow("unknown tier") << tier << QStringLiteral("tier") << QStringLiteral("Diamond");
    QStringList kind = partnerRow(QStringLiteral("Kind Partner"));
    kind[1] = QStringLiteral("supplier");
    QTest::newRow("unknown kind") << kind << QStringLiteral("kind") << QStringLiteral("supplier");
    QStringList vendor = partnerRow(QStringLiteral("Second Vendor"));
    vendor[1] = QStringLiteral("vendor");
    QTest::newRow("second vendor") << vendor << QStringLiteral("kind") << QStringLiteral("one vendor");
    QTest::newRow("duplicate of a new row")
        << partnerRow(QStringLiteral("good two")) << QStringLiteral("name") << QStringLiteral("more than one row");
    QStringList site = partnerRow(QStringLiteral("Site Partner"));
    site[8] = QStringLiteral("not a website");
    QTest::newRow("bad website") << site << QStringLiteral("website") << QStringLiteral("not a website");
}

void TestPartnerCsv::badRowFailsWholeImport()
{
    QFETCH(QStringList, bad);
    QFETCH(QString, column);
    QFETCH(QString, reason);

    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    fillSource(*ws);
    const Snapshot before = snapshot(*ws);

    // Good rows around the bad one; the second spans three lines and a blank line follows, so the
    // bad row starts on line 7.
    QByteArray bytes = csvRow(partnercsv::header());
    bytes += csvRow(partnerRow(QStringLiteral("Good One")));
    bytes += csvRow(partnerRow(QStringLiteral("Good Two"), QStringLiteral("isv"), QStringLiteral("2020-01-01"),
                               QStringLiteral("first line\nsecond line\nthird line")));
    bytes += "\r\n"; // a blank line is skipped but still counted
    bytes += csvRow(bad);
    bytes += csvRow(partnerRow(QStringLiteral("Good Three")));
    const QString file = dir.file(QStringLiteral("file.csv"));
    QVERIFY(writeText(file, bytes));

    auto report = partnercsv::importFrom(*ws, file);
    QVERIFY(!report.ok());
    const QString error = report.error();
    QVERIFY2(error.contains(QStringLiteral("nothing was changed")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("file.csv:7:")), qPrintable(error));
    QVERIFY2(error.contains(column, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    // Only the bad row is blamed.
    QCOMPARE(error.count(QStringLiteral("file.csv:")), 1);
    QCOMPARE(snapshot(*ws), before);
}

void TestPartnerCsv::missingNameColumnIsRefused()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    fillSource(*ws);
    const Snapshot before = snapshot(*ws);
    const QString file = dir.file(QStringLiteral("noname.csv"));
    QVERIFY(writeText(file, "company,types,tier\nAcme,reseller,Gold\n"));
    auto report = partnercsv::importFrom(*ws, file);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QStringLiteral("noname.csv")), qPrintable(report.error()));
    QVERIFY2(report.error().contains(QStringLiteral("no \"name\" column")), qPrintable(report.error()));
    QCOMPARE(snapshot(*ws), before);
}

void TestPartnerCsv::emptyAndUnreadableFiles()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    const Snapshot before = snapshot(*ws);

    const QString empty = dir.file(QStringLiteral("empty.csv"));
    QVERIFY(writeText(empty, QByteArray()));
    auto r1 = partnercsv::importFrom(*ws, empty);
    QVERIFY(!r1.ok());
    QVERIFY2(r1.error().contains(QStringLiteral("empty.csv")), qPrintable(r1.error()));

    auto r2 = partnercsv::importFrom(*ws, dir.file(QStringLiteral("missing.csv")));
    QVERIFY(!r2.ok());
    QVERIFY2(r2.error().contains(QStringLiteral("missing.csv")), qPrintable(r2.error()));

    const QString latin1 = dir.file(QStringLiteral("latin1.csv"));
    // UTF-8 first, then a Latin-1 byte: broken, not a legacy file (a pure Windows-1252 file would import).
    QVERIFY(writeText(latin1, "name,types\nZ\xC3\xBCrich AG,reseller\nM\xFCller GmbH,isv\n"));
    auto r3 = partnercsv::importFrom(*ws, latin1);
    QVERIFY(!r3.ok());
    QVERIFY2(r3.error().contains(QStringLiteral("latin1.csv")), qPrintable(r3.error()));
    QVERIFY2(r3.error().contains(QStringLiteral("line 3")), qPrintable(r3.error()));

    QCOMPARE(snapshot(*ws), before);
}

void TestPartnerCsv::minimalColumnsAndFriendlyValues()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("w.ecotone")));
    QVERIFY(ws);
    // Semicolon-separated, headers in another case and with spaces, display names and short forms for types.
    const QString file = dir.file(QStringLiteral("friendly.csv"));
    QVERIFY(writeText(file, "Name;Types;Join Date;Regions\n"
                            "Acme;Systems integrator, ignored|x;2020-02-02;DACH\n"));
    auto bad = partnercsv::importFrom(*ws, file);
    QVERIFY(!bad.ok()); // "Systems integrator, ignored|x" is one unknown type
    QVERIFY(writeText(file, "Name;Types;Join Date;Regions\n"
                            "Acme;\"Systems integrator, ISV\";2020-02-02;DACH\n"));
    bad = partnercsv::importFrom(*ws, file);
    QVERIFY(!bad.ok()); // lists are separated by ";" inside a cell, not ","
    QVERIFY(writeText(file, "Name;Types;Join Date;Regions\n"
                            "Acme;\"Systems integrator; ISV; tech\";2020-02-02;\"DACH; France\"\n"
                            "Globex;SI;;\n"));
    auto report = partnercsv::importFrom(*ws, file);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->inserted, 2);
    OrganizationRepository repo(*ws);
    const Organization acme = repo.findByName(QStringLiteral("Acme")).value();
    QCOMPARE(acme.types,
             (QList<PartnerType>{PartnerType::SystemsIntegrator, PartnerType::Isv, PartnerType::Technology}));
    QCOMPARE(acme.joinDate, QDate(2020, 2, 2));
    QCOMPARE(acme.regions, (QStringList{QStringLiteral("DACH"), QStringLiteral("France")}));
    QCOMPARE(acme.status, QStringLiteral("active"));
    QVERIFY(IdGenerator::isValid(acme.id));
    const Organization globex = repo.findByName(QStringLiteral("globex")).value();
    QCOMPARE(globex.types, QList<PartnerType>{PartnerType::SystemsIntegrator});
    QVERIFY(!globex.joinDate.isValid());
}

void TestPartnerCsv::formulaCellsAreGuarded()
{
    TempDir dir;
    auto source = createWorkspace(dir.file(QStringLiteral("source.ecotone")));
    QVERIFY(source);
    fillSource(*source);
    const QString file = dir.file(QStringLiteral("partners.csv"));
    QVERIFY(partnercsv::exportTo(*source, file).ok());

    // In the file, no cell starts with a formula character; the guarded ones carry an apostrophe.
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    CsvReader reader(&in, QStringLiteral("partners.csv"));
    QStringList fields;
    QStringList guarded;
    while (reader.next(fields)) {
        for (const QString &cell : fields) {
            QVERIFY2(cell.isEmpty() || !QStringLiteral("=+-@").contains(cell.front()), qPrintable(cell));
            if (cell.startsWith(QLatin1Char('\'')))
                guarded << cell;
        }
    }
    QVERIFY(!reader.atError());
    QVERIFY2(guarded.contains(QStringLiteral("'=cmd|' /C calc'!A0")), qPrintable(guarded.join(QLatin1Char('\n'))));
    QVERIFY(guarded.contains(QStringLiteral("'+1 (555) 0100 is the hotline")));
    QVERIFY(guarded.contains(QStringLiteral("'-minus first; Training")));
    QVERIFY(guarded.contains(QStringLiteral("'@Mention Partners")));
    QVERIFY(guarded.contains(QStringLiteral("'=HYPERLINK(\"http://evil.example\")")));

    // Imported back, the apostrophes are gone.
    auto target = createWorkspace(dir.file(QStringLiteral("target.ecotone")));
    QVERIFY(target);
    auto report = partnercsv::importFrom(*target, file);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    OrganizationRepository repo(*target);
    const Organization f = repo.findByName(QStringLiteral("=cmd|' /C calc'!A0")).value();
    QCOMPARE(f.description, QStringLiteral("+1 (555) 0100 is the hotline"));
    QCOMPARE(f.capabilities, (QStringList{QStringLiteral("-minus first"), QStringLiteral("Training")}));
    const Organization g = repo.findByName(QStringLiteral("@Mention Partners")).value();
    QCOMPARE(g.description, QStringLiteral("=HYPERLINK(\"http://evil.example\")"));

    // A name that merely starts with an apostrophe is left alone.
    OrganizationRepository srcRepo(*source);
    Organization quoted =
        make(QStringLiteral("'t Hooft Consulting"), {PartnerType::SystemsIntegrator}, QStringLiteral("Gold"));
    QVERIFY(srcRepo.insert(quoted).ok());
    QVERIFY(partnercsv::exportTo(*source, file).ok());
    QVERIFY(partnercsv::importFrom(*target, file).ok());
    QCOMPARE(repo.find(quoted.id)->name, QStringLiteral("'t Hooft Consulting"));
}

QTEST_GUILESS_MAIN(TestPartnerCsv)
#include "TestPartnerCsv.moc"
