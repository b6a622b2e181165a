#include "sync/SyncIdentity.h"

#include "store/Workspace.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSettings>

namespace ecotone::sync::identity {

namespace {

// One entry per file and device id: a copy (another path) or another file at the same path (another device id)
// is a new combination.
QString key(const Workspace &workspace)
{
    const QString canonical = QFileInfo(workspace.path()).canonicalFilePath();
    const QByteArray id = (canonical + QLatin1Char('\n') + workspace.deviceId()).toUtf8();
    return QStringLiteral("syncBindings/") +
           QString::fromLatin1(QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex().left(40));
}

QString value(const QUrl &server, const QString &username)
{
    return server.toString(QUrl::FullyEncoded) + QLatin1Char('\n') + username;
}

} // namespace

bool isBound(const Workspace &workspace, const QUrl &server, const QString &username)
{
    return QSettings().value(key(workspace)).toString() == value(server, username);
}

void bind(const Workspace &workspace, const QUrl &server, const QString &username)
{
    QSettings settings;
    settings.setValue(key(workspace), value(server, username));
    settings.sync();
}

} // namespace ecotone::sync::identity
