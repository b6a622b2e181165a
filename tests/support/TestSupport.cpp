#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

namespace ecotone::test {

TempDir::TempDir()
{
    m_dir.setAutoRemove(true);
}

std::unique_ptr<Workspace> createWorkspace(const QString &path)
{
    auto ws = Workspace::create(path);
    if (!ws) {
        qWarning("createWorkspace(%s): %s", qPrintable(path), qPrintable(ws.error()));
        return nullptr;
    }
    return std::move(ws.value());
}

qint64 rowCount(Workspace &workspace, const QString &table)
{
    QSqlQuery q(workspace.db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

CliRun runEcotone(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("ECOTONE_BINARY"), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QString outputDir()
{
    QString dir = qEnvironmentVariable("ECOTONE_TEST_OUTPUT");
    if (dir.isEmpty())
        dir = QDir::currentPath();
    QDir().mkpath(dir);
    return dir;
}

} // namespace ecotone::test
