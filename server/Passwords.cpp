#include "Passwords.h"

#include <QCryptographicHash>

#include <sodium.h>

namespace ecotone::server {

namespace {

bool sodiumReady()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

} // namespace

Result<QString> hashPassword(const QString &password)
{
    if (!sodiumReady())
        return Error{QStringLiteral("libsodium failed to initialise")};
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), static_cast<unsigned long long>(utf8.size()),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Error{QStringLiteral("out of memory while hashing the password")};
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString &hash, const QString &password)
{
    if (!sodiumReady())
        return false;
    const QByteArray stored = hash.toLatin1();
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(stored.constData(), utf8.constData(),
                                    static_cast<unsigned long long>(utf8.size())) == 0;
}

void verifyAgainstDummy(const QString &password)
{
    static const QString dummy = hashPassword(QStringLiteral("not a password anyone has")).value();
    (void)verifyPassword(dummy, password);
}

QString randomToken(QLatin1String prefix)
{
    sodiumReady();
    QByteArray bytes(32, Qt::Uninitialized);
    randombytes_buf(bytes.data(), static_cast<size_t>(bytes.size()));
    return prefix + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString tokenHash(const QString &token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString randomId()
{
    sodiumReady();
    QByteArray bytes(16, Qt::Uninitialized);
    randombytes_buf(bytes.data(), static_cast<size_t>(bytes.size()));
    return QString::fromLatin1(bytes.toHex());
}

QString passwordProblem(const QString &password)
{
    if (password.size() < 10)
        return QStringLiteral("the password must have at least 10 characters");
    if (password.size() > 1024)
        return QStringLiteral("the password must have at most 1024 characters");
    return {};
}

} // namespace ecotone::server
