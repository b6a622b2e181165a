#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QString>

namespace ecotone::server {

// Argon2id (libsodium crypto_pwhash_str) at the "interactive" cost: about 64 MiB and a few tens of
// milliseconds per hash, so a stolen database is expensive to attack and a login stays quick.
Result<QString> hashPassword(const QString &password);
bool verifyPassword(const QString &hash, const QString &password);
// Burns the same time as a real verification, so an unknown user name is not revealed by the response time.
void verifyAgainstDummy(const QString &password);

// A random bearer secret with a readable prefix (`eat_` access, `ert_` refresh): 256 bits, base64url.
QString randomToken(QLatin1String prefix);
// Tokens are stored as their SHA-256, so a database leak does not leak live sessions.
QString tokenHash(const QString &token);
QString randomId(); // 128 random bits as hex, for families and server-made ids

// The password rules the API and the command line share: an empty QString when acceptable, else the reason.
QString passwordProblem(const QString &password);

} // namespace ecotone::server
