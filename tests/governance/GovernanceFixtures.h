#pragma once

// Helpers shared by the governance tests.
#include "TestSupport.h"
#include "store/Repositories.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace ecotone::test {

inline QString addPartner(Workspace &ws, const QString &name)
{
    OrganizationRepository repo(ws);
    Organization org;
    org.kind = OrganizationKind::Partner;
    org.name = name;
    org.types = {PartnerType::Reseller};
    if (Status s = repo.insert(org); !s) {
        qWarning("addPartner: %s", qPrintable(s.error()));
        return {};
    }
    return org.id;
}

// The real attack: open the file with a plain SQLite connection, behind the app's back, drop the append-only
// triggers and run the statements. Returns the first error, empty on success.
inline QString tamper(const QString &path, const QStringList &statements)
{
    const QString name = QStringLiteral("tamper-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery q(db);
        QStringList all{QStringLiteral("DROP TRIGGER IF EXISTS consent_ledger_no_update"),
                        QStringLiteral("DROP TRIGGER IF EXISTS consent_ledger_no_delete")};
        all << statements;
        for (const QString &sql : all) {
            if (!q.exec(sql)) {
                error = sql + QStringLiteral(": ") + q.lastError().text();
                break;
            }
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

} // namespace ecotone::test
