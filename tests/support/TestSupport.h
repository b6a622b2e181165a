#pragma once

#include "store/Workspace.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace ecotone::test {

// A temporary folder that holds workspace files for one test; removed with the object.
class TempDir
{
public:
    TempDir();
    QString path() const { return m_dir.path(); }
    QString file(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

// Creates a new, empty workspace in dir (fails the test through QVERIFY2 in the caller on error).
std::unique_ptr<Workspace> createWorkspace(const QString &path);

// Number of rows in a table (journal, accounts, ...), -1 on error.
qint64 rowCount(Workspace &workspace, const QString &table);

// SHA-256 of a file's bytes, to prove a refused file was not modified.
QByteArray fileHash(const QString &path);

// Runs statements on a file with a plain SQLite connection (no Ecotone checks), as another program or a hostile
// sender would; false (with a warning naming the statement) when one fails.
bool runPlainSqlite(const QString &path, const QStringList &statements);

// What a run of the real `ecotone` executable ($ECOTONE_BINARY) printed and returned; exitCode is -1 when it
// did not finish within two minutes and -2 when it crashed.
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs it headless: the display variables are removed, as the commands must not need one.
CliRun runEcotone(const QStringList &args);

// Where tests put screenshots and other artifacts: $ECOTONE_TEST_OUTPUT or the current directory.
QString outputDir();

} // namespace ecotone::test
