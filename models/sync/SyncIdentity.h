#pragma once

#include <QString>
#include <QUrl>

namespace ecotone {
class Workspace;
}

namespace ecotone::sync::identity {

// A workspace file names its server and user, and may come from someone else (a shared file, a copy). Its sync
// identity is trusted only once this machine has synced this very file (its path and device id) as that user:
// until then the stored password is not used and automatic sync stays off (docs/sync.md, "Identities").
bool isBound(const Workspace &workspace, const QUrl &server, const QString &username);
// Records that the user chose to sync this file as (server, username) on this machine.
void bind(const Workspace &workspace, const QUrl &server, const QString &username);

} // namespace ecotone::sync::identity
