// A workspace file may come from someone else. Whatever schema objects it carries beyond what Ecotone's migrations
// create (a trigger on the journal, a view, a table, a changed trigger) are refused before anything writes to the
// file, so none of them ever runs as the person who opens it; the file is left exactly as it was.
#include "TestSupport.h"
#include "store/Workspace.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {

// One planted object: the statement and the name the refusal must mention.
struct Plant
{
    QStringList sql;
    QString name;
};

Plant plantFor(QRandomGenerator &random, int n)
{
    static const QStringList tables{QStringLiteral("journal"),       QStringLiteral("meta"),
                                    QStringLiteral("accounts"),      QStringLiteral("organizations"),
                                    QStringLiteral("sync_state"),    QStringLiteral("deal_registrations"),
                                    QStringLiteral("sync_conflicts")};
    static const QStringList events{QStringLiteral("AFTER INSERT"), QStringLiteral("BEFORE INSERT"),
                                    QStringLiteral("AFTER UPDATE"), QStringLiteral("AFTER DELETE")};
    const QString table = tables.at(int(random.bounded(int(tables.size()))));
    const QString name = QStringLiteral("planted_%1").arg(n);
    switch (random.bounded(5)) {
    case 0: // a trigger that would journal a change under the opener's device
        return {{QStringLiteral("CREATE TRIGGER %1 %2 ON %3 BEGIN UPDATE deal_registrations SET status = 'approved'; "
                                "END")
                     .arg(name, events.at(int(random.bounded(int(events.size())))), table)},
                name};
    case 1:
        return {{QStringLiteral("CREATE VIEW %1 AS SELECT * FROM %2").arg(name, table)}, name};
    case 2:
        return {{QStringLiteral("CREATE TABLE %1 (x TEXT)").arg(name)}, name};
    case 3:
        return {{QStringLiteral("CREATE INDEX %1 ON journal (seq, hlc)").arg(name)}, name};
    default: // an object Ecotone makes, replaced by one that does more
        return {{QStringLiteral("DROP TRIGGER organization_search_insert"),
                 QStringLiteral("CREATE TRIGGER organization_search_insert AFTER INSERT ON organizations BEGIN DELETE "
                                "FROM accounts; END")},
                QStringLiteral("organization_search_insert")};
    }
}

} // namespace

class TestWorkspaceHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainWorkspaceOpens();
    void plantedObjectsAreRefused();
};

void TestWorkspaceHostile::plainWorkspaceOpens()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("plain.ecotone"));
    QVERIFY(createWorkspace(path));
#ifdef Q_OS_UNIX
    // Only the owner may read it, nor its write-ahead log.
    for (const QString &file : {path, QString(path + QStringLiteral("-wal"))}) {
        if (!QFileInfo::exists(file))
            continue;
        const QFileDevice::Permissions p = QFileInfo(file).permissions();
        QVERIFY2(!(p & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                        QFileDevice::WriteOther)),
                 qPrintable(file));
    }
#endif
    auto again = Workspace::open(path);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    // Defensive mode is on: the schema cannot be written through writable_schema.
    QSqlQuery q(again.value()->db());
    QVERIFY(q.exec(QStringLiteral("PRAGMA writable_schema = ON")));
    QVERIFY(!q.exec(QStringLiteral("UPDATE sqlite_master SET sql = '' WHERE name = 'accounts'")));
}

void TestWorkspaceHostile::plantedObjectsAreRefused()
{
    const int runs =
        qEnvironmentVariableIntValue("ECOTONE_FUZZ_RUNS") > 0 ? qEnvironmentVariableIntValue("ECOTONE_FUZZ_RUNS") : 60;
    TempDir dir;
    const QString pristine = dir.file(QStringLiteral("pristine.ecotone"));
    QVERIFY(createWorkspace(pristine));
    for (int seed = 1; seed <= runs; ++seed) {
        QRandomGenerator random{quint32(seed)};
        const QString path = dir.file(QStringLiteral("hostile-%1.ecotone").arg(seed));
        QVERIFY(QFile::copy(pristine, path));
        QStringList statements;
        QStringList names;
        const int plants = 1 + int(random.bounded(3));
        for (int n = 0; n < plants; ++n) {
            const Plant p = plantFor(random, n);
            if (names.contains(p.name))
                continue;
            statements << p.sql;
            names << p.name;
        }
        QVERIFY2(runPlainSqlite(path, statements), qPrintable(QStringLiteral("seed %1").arg(seed)));
        const QByteArray before = fileHash(path);
        auto opened = Workspace::open(path);
        QVERIFY2(!opened.ok(), qPrintable(QStringLiteral("seed %1 opened: %2").arg(seed).arg(statements.join(u'\n'))));
        bool named = false;
        for (const QString &name : names)
            named = named || opened.error().contains(name);
        QVERIFY2(named, qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(opened.error())));
        QVERIFY2(opened.error().contains(path), qPrintable(opened.error()));
        QCOMPARE(fileHash(path), before); // nothing ran, nothing was written
    }
}

QTEST_GUILESS_MAIN(TestWorkspaceHostile)
#include "TestWorkspaceHostile.moc"
