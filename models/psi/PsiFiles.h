#pragma once

#include "domain/Result.h"
#include "psi/Psi.h"

#include <QList>
#include <QString>

// Files of a PSI exchange (docs/psi.md, "File formats"). Compact binary, all integers big-endian:
//   header   8-byte magic ("EcoPSIq\n" request, "EcoPSIr\n" response, "EcoPSIs\n" state), u32 protocol version,
//            16-byte exchange id, u8 mode (0 intersection, 1 count)
//   request  u32 n, n points of 32 bytes
//   response 32-byte request digest, u32 n, n answered points, u32 m, m points
//   state    32-byte secret scalar, 32-byte request digest, u32 k, k keys, u32 n, n i32 slots, u32 r, r records
//            (id, name, key); strings are u32 byte length + UTF-8
// Nothing may follow the last field. Readers name the file and what is wrong with it; points are checked with
// isValidPoint() before they are used. The state file is created readable by its owner only (0600).
namespace ecotone::psi {

// One of A's CRM records behind a key, kept in the state so finish() can name the shared accounts.
struct AccountRecord
{
    QString id;
    QString name;
    QString key;
};

struct StateFile
{
    RequestState state;
    QList<AccountRecord> records;
};

QByteArray encodeRequest(const Request &request);
QByteArray encodeResponse(const Response &response);
QByteArray encodeState(const StateFile &state);
// fileName only names the source in error messages.
Result<Request> decodeRequest(const QByteArray &bytes, const QString &fileName);
Result<Response> decodeResponse(const QByteArray &bytes, const QString &fileName);
Result<StateFile> decodeState(const QByteArray &bytes, const QString &fileName);

Status writeRequest(const QString &path, const Request &request);
Status writeResponse(const QString &path, const Response &response);
Status writeState(const QString &path, const StateFile &state); // owner read/write only
Result<Request> readRequest(const QString &path);
Result<Response> readResponse(const QString &path);
Result<StateFile> readState(const QString &path);

} // namespace ecotone::psi
