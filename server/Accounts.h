#pragma once

#include "ServerDatabase.h"
#include "domain/Result.h"
#include "store/Ids.h"

#include <QList>
#include <QString>

#include <optional>

namespace ecotone::server {

enum class Role
{
    VendorAdmin,
    ChannelManager,
    PartnerAdmin,
    PartnerRep,
};

QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);
// Vendor roles live in the (one) vendor organization, partner roles in partner organizations.
bool isVendorRole(Role role);

struct Organization
{
    QString id;
    QString name;
    QString kind; // vendor or partner
    qint64 createdAt = 0;
};

struct User
{
    QString id;
    QString organizationId;
    QString username;
    QString displayName;
    Role role = Role::PartnerRep;
    bool disabled = false;
    qint64 createdAt = 0;
};

// Who is calling: the user behind a valid access token, and the login session (refresh family) it belongs to.
struct Caller
{
    User user;
    QString familyId;
    Organization organization; // the user's, read with the token in one query
};

struct Session
{
    QString accessToken;
    QString refreshToken;
    qint64 expiresInSeconds = 0;
};

struct AccountPolicy
{
    qint64 accessTtlMs = 15 * 60 * 1000;
    qint64 refreshTtlMs = 30LL * 24 * 3600 * 1000;
    int maxFailuresPerUser = 5; // per user and address within failureWindowMs; past it each wait doubles
    int maxFailuresPerIp = 50;  // within failureWindowMs
    qint64 failureWindowMs = 15 * 60 * 1000;
};

struct LoginOutcome
{
    enum Kind
    {
        Success,
        Invalid,     // wrong user name or password, or a disabled account: one answer for all
        RateLimited, // too many recent failures for this user or address
        Failed,      // the database failed
    } kind = Failed;
    Session session;
    int retryAfterSeconds = 0;
    QString error;
};

struct RefreshOutcome
{
    enum Kind
    {
        Success,
        Invalid, // unknown, expired or revoked
        Reused,  // a rotated token came back: the family is now revoked
        Failed,
    } kind = Failed;
    Session session;
    QString error;
};

// Organizations, users and sessions, on the server database. Used by the HTTP API and `ecotone-server user`.
// Times come from the wall clock; every secret is stored hashed.
class Accounts
{
public:
    Accounts(ServerDatabase &db, AccountPolicy policy = {});

    static QString normalizedUsername(const QString &username);
    static QString usernameProblem(const QString &normalized);
    static QString organizationNameProblem(const QString &name);

    static QString organizationIdProblem(const QString &id);

    // id: the workspace's organization row id (docs/sync.md, "Identities"); empty for a new random one.
    Result<Organization> createOrganization(const QString &name, const QString &kind, const QString &id = {});
    Result<QList<Organization>> organizations();
    Result<std::optional<Organization>> organizationById(const QString &id);
    Result<std::optional<Organization>> organizationByName(const QString &name);

    // Refuses a role that does not fit the organization's kind, a taken user name and a weak password.
    Result<User> createUser(const Organization &organization, const QString &username, const QString &displayName,
                            Role role, const QString &password);
    Result<QList<User>> users(const QString &organizationId);
    Result<std::optional<User>> userById(const QString &id);
    Result<std::optional<User>> userByName(const QString &username);
    // Changes what is given; a new password, a new role or disabling ends every session of the user.
    Status updateUser(const User &user, const std::optional<QString> &displayName, const std::optional<Role> &role,
                      const std::optional<bool> &disabled, const std::optional<QString> &password);
    Status setPassword(const QString &userId, const QString &password);

    LoginOutcome login(const QString &username, const QString &password, const QString &clientAddress);
    RefreshOutcome refresh(const QString &refreshToken);
    Result<std::optional<Caller>> authenticate(const QString &accessToken);
    // The caller a request of this user would have, without a token (tests, in-process sync); empty for an
    // unknown or disabled user.
    Result<std::optional<Caller>> callerFor(const QString &userId);
    Status endSession(const QString &familyId);
    Status endAllSessions(const QString &userId);

    const AccountPolicy &policy() const { return m_policy; }

private:
    Result<Session> startSession(const QString &userId, const QString &familyId);
    Status revokeFamily(const QString &familyId);
    Result<int> recentFailures(const QString &subject, qint64 now, qint64 *oldest, qint64 *newest);

    ServerDatabase &m_db;
    AccountPolicy m_policy;
    IdGenerator m_ids;
};

} // namespace ecotone::server
