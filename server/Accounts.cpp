#include "Accounts.h"

#include "Passwords.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>

namespace ecotone::server {

namespace {

// QSqlQuery binds a null QString as SQL NULL; NOT NULL text columns want ''.
QString text(const QString &value)
{
    return value.isNull() ? QString(QLatin1String("")) : value;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// What login_failures records for a user name: bounded, whatever length a client sends (a name that long is
// no user's, so only its hash is kept).
QString nameKey(const QString &normalizedName)
{
    if (normalizedName.size() <= 64)
        return normalizedName;
    return QLatin1Char('#') +
           QString::fromLatin1(
               QCryptographicHash::hash(normalizedName.toUtf8(), QCryptographicHash::Sha256).toHex().left(32));
}

// The address a failure counts against: an IPv4 address, or an IPv6 /64 (one subscriber's network, which can
// hand out addresses by the billion).
QString addressKey(const QString &clientAddress)
{
    QHostAddress address(clientAddress);
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    if (mapped)
        return QHostAddress(v4).toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        Q_IPV6ADDR bytes = address.toIPv6Address();
        for (int i = 8; i < 16; ++i)
            bytes[i] = 0;
        return QHostAddress(bytes).toString() + QStringLiteral("/64");
    }
    return clientAddress.left(64);
}

// Failures of one user name from one address (or /64): those slow down; other addresses are not affected, so a
// guesser cannot lock the right password out.
QString pairSubject(const QString &normalizedName, const QString &clientAddress)
{
    return QStringLiteral("pair:") + nameKey(normalizedName) + QLatin1Char('|') + addressKey(clientAddress);
}

const QString kUserColumns =
    QStringLiteral("id, organization_id, username, display_name, role, disabled, created_at, password_hash");

User userFromRow(const Row &row)
{
    User user;
    user.id = row.at(0).toString();
    user.organizationId = row.at(1).toString();
    user.username = row.at(2).toString();
    user.displayName = row.at(3).toString();
    user.role = roleFromName(row.at(4).toString()).value_or(Role::PartnerRep);
    user.disabled = row.at(5).toLongLong() != 0;
    user.createdAt = row.at(6).toLongLong();
    return user;
}

Organization organizationFromRow(const Row &row)
{
    return Organization{row.at(0).toString(), row.at(1).toString(), row.at(2).toString(), row.at(3).toLongLong()};
}

} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::VendorAdmin:
        return QStringLiteral("vendor_admin");
    case Role::ChannelManager:
        return QStringLiteral("channel_manager");
    case Role::PartnerAdmin:
        return QStringLiteral("partner_admin");
    case Role::PartnerRep:
        return QStringLiteral("partner_rep");
    }
    return {};
}

std::optional<Role> roleFromName(const QString &name)
{
    for (Role role : {Role::VendorAdmin, Role::ChannelManager, Role::PartnerAdmin, Role::PartnerRep}) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

bool isVendorRole(Role role)
{
    return role == Role::VendorAdmin || role == Role::ChannelManager;
}

Accounts::Accounts(ServerDatabase &db, AccountPolicy policy)
    : m_db(db)
    , m_policy(policy)
{}

QString Accounts::normalizedUsername(const QString &username)
{
    return username.trimmed().toLower();
}

QString Accounts::usernameProblem(const QString &normalized)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9._@+-]{2,63}$"));
    if (!pattern.match(normalized).hasMatch())
        return QStringLiteral("a user name has 3 to 64 characters: letters, digits and . _ @ + -, starting with a "
                              "letter or digit");
    return {};
}

QString Accounts::organizationNameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("an organization needs a name");
    if (name.size() > 200)
        return QStringLiteral("an organization name has at most 200 characters");
    return {};
}

QString Accounts::organizationIdProblem(const QString &id)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_:.\\-]{1,64}$"));
    if (!allowed.match(id).hasMatch())
        return QStringLiteral("an organization id is 1 to 64 letters, digits, _ - : or .");
    return {};
}

Result<Organization> Accounts::createOrganization(const QString &name, const QString &kind, const QString &id)
{
    if (const QString problem = organizationNameProblem(name); !problem.isEmpty())
        return Error{problem};
    if (!id.isEmpty()) {
        if (const QString problem = organizationIdProblem(id); !problem.isEmpty())
            return Error{problem};
    }
    if (kind != QLatin1String("vendor") && kind != QLatin1String("partner"))
        return Error{QStringLiteral("an organization is a vendor or a partner")};
    return inTransaction(m_db, [&]() -> Result<Organization> {
        if (kind == QLatin1String("vendor")) {
            const Result<Rows> vendors =
                m_db.select(QStringLiteral("SELECT name FROM organizations WHERE kind = 'vendor'"));
            if (!vendors)
                return Error{vendors.error()};
            if (!vendors->isEmpty())
                return Error{QStringLiteral("the server already has a vendor organization (%1)")
                                 .arg(vendors->first().first().toString())};
        }
        const Result<std::optional<Organization>> existing = organizationByName(name.trimmed());
        if (!existing)
            return Error{existing.error()};
        if (existing.value())
            return Error{QStringLiteral("an organization named \"%1\" already exists").arg(name.trimmed())};
        if (!id.isEmpty()) {
            const Result<std::optional<Organization>> taken = organizationById(id);
            if (!taken)
                return Error{taken.error()};
            if (taken.value())
                return Error{QStringLiteral("an organization with id \"%1\" already exists").arg(id)};
        }
        const Organization org{id.isEmpty() ? m_ids.next() : id, name.trimmed(), kind, nowMs()};
        const Result<int> r =
            m_db.exec(QStringLiteral("INSERT INTO organizations (id, name, kind, created_at) VALUES (?, ?, ?, ?)"),
                      {org.id, org.name, org.kind, org.createdAt});
        if (!r)
            return Error{r.error()};
        return org;
    });
}

Result<QList<Organization>> Accounts::organizations()
{
    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT id, name, kind, created_at FROM organizations ORDER BY name"));
    if (!rows)
        return Error{rows.error()};
    QList<Organization> out;
    for (const Row &row : rows.value())
        out.append(organizationFromRow(row));
    return out;
}

Result<std::optional<Organization>> Accounts::organizationById(const QString &id)
{
    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT id, name, kind, created_at FROM organizations WHERE id = ?"), {id});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<Organization>();
    return std::optional<Organization>(organizationFromRow(rows->first()));
}

Result<std::optional<Organization>> Accounts::organizationByName(const QString &name)
{
    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT id, name, kind, created_at FROM organizations WHERE name = ?"), {name});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<Organization>();
    return std::optional<Organization>(organizationFromRow(rows->first()));
}

Result<User> Accounts::createUser(const Organization &organization, const QString &username, const QString &displayName,
                                  Role role, const QString &password)
{
    const QString name = normalizedUsername(username);
    if (const QString problem = usernameProblem(name); !problem.isEmpty())
        return Error{problem};
    if (isVendorRole(role) != (organization.kind == QLatin1String("vendor")))
        return Error{QStringLiteral("the role %1 does not fit the %2 organization \"%3\"")
                         .arg(roleName(role), organization.kind, organization.name)};
    if (const QString problem = passwordProblem(password); !problem.isEmpty())
        return Error{problem};
    if (displayName.size() > 200)
        return Error{QStringLiteral("a display name has at most 200 characters")};
    const Result<QString> hash = hashPassword(password);
    if (!hash)
        return Error{hash.error()};
    return inTransaction(m_db, [&]() -> Result<User> {
        const Result<std::optional<User>> existing = userByName(name);
        if (!existing)
            return Error{existing.error()};
        if (existing.value())
            return Error{QStringLiteral("the user name \"%1\" is taken").arg(name)};
        User user;
        user.id = m_ids.next();
        user.organizationId = organization.id;
        user.username = name;
        user.displayName = text(displayName.trimmed());
        user.role = role;
        user.createdAt = nowMs();
        const Result<int> r = m_db.exec(
            QStringLiteral("INSERT INTO users (id, organization_id, username, display_name, role, password_hash,"
                           " disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)"),
            {user.id, user.organizationId, user.username, user.displayName, roleName(role), hash.value(),
             user.createdAt, user.createdAt});
        if (!r)
            return Error{r.error()};
        return user;
    });
}

Result<QList<User>> Accounts::users(const QString &organizationId)
{
    const Result<Rows> rows = m_db.select(QStringLiteral("SELECT ") + kUserColumns +
                                              QStringLiteral(" FROM users WHERE organization_id = ? ORDER BY username"),
                                          {organizationId});
    if (!rows)
        return Error{rows.error()};
    QList<User> out;
    for (const Row &row : rows.value())
        out.append(userFromRow(row));
    return out;
}

Result<std::optional<User>> Accounts::userById(const QString &id)
{
    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users WHERE id = ?"), {id});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<User>();
    return std::optional<User>(userFromRow(rows->first()));
}

Result<std::optional<User>> Accounts::userByName(const QString &username)
{
    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users WHERE username = ?"),
                    {normalizedUsername(username)});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<User>();
    return std::optional<User>(userFromRow(rows->first()));
}

Status Accounts::updateUser(const User &user, const std::optional<QString> &displayName,
                            const std::optional<Role> &role, const std::optional<bool> &disabled,
                            const std::optional<QString> &password)
{
    if (displayName && displayName->size() > 200)
        return Error{QStringLiteral("a display name has at most 200 characters")};
    if (password) {
        if (const QString problem = passwordProblem(*password); !problem.isEmpty())
            return Error{problem};
    }
    QString hash;
    if (password) {
        const Result<QString> h = hashPassword(*password);
        if (!h)
            return Error{h.error()};
        hash = h.value();
    }
    return inTransaction(m_db, [&]() -> Status {
        const qint64 now = nowMs();
        if (displayName) {
            if (Result<int> r = m_db.exec(QStringLiteral("UPDATE users SET display_name = ? WHERE id = ?"),
                                          {text(displayName->trimmed()), user.id});
                !r)
                return Error{r.error()};
        }
        if (role) {
            if (Result<int> r =
                    m_db.exec(QStringLiteral("UPDATE users SET role = ? WHERE id = ?"), {roleName(*role), user.id});
                !r)
                return Error{r.error()};
        }
        if (disabled) {
            if (Result<int> r = m_db.exec(QStringLiteral("UPDATE users SET disabled = ? WHERE id = ?"),
                                          {*disabled ? 1 : 0, user.id});
                !r)
                return Error{r.error()};
        }
        if (password) {
            if (Result<int> r = m_db.exec(
                    QStringLiteral("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?"),
                    {hash, now, user.id});
                !r)
                return Error{r.error()};
            // A reset also lifts the slow-down that brought the user to ask for it, from every address.
            if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM login_failures WHERE subject LIKE ? ESCAPE '!'"),
                                          {QString(QStringLiteral("pair:") +
                                                   QString(nameKey(user.username))
                                                       .replace(QLatin1Char('!'), QLatin1String("!!"))
                                                       .replace(QLatin1Char('%'), QLatin1String("!%"))
                                                       .replace(QLatin1Char('_'), QLatin1String("!_")) +
                                                   QStringLiteral("|%"))});
                !r)
                return Error{r.error()};
        }
        if ((role && *role != user.role) || (disabled && *disabled) || password)
            return endAllSessions(user.id);
        return Status::success();
    });
}

Status Accounts::setPassword(const QString &userId, const QString &password)
{
    const Result<std::optional<User>> user = userById(userId);
    if (!user)
        return Error{user.error()};
    if (!user.value())
        return Error{QStringLiteral("no such user")};
    return updateUser(*user.value(), std::nullopt, std::nullopt, std::nullopt, password);
}

Result<int> Accounts::recentFailures(const QString &subject, qint64 now, qint64 *oldest, qint64 *newest)
{
    const Result<Rows> rows = m_db.select(
        QStringLiteral("SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE subject = ? AND at > ?"),
        {subject, now - m_policy.failureWindowMs});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return 0;
    *oldest = rows->first().at(1).toLongLong();
    if (newest)
        *newest = rows->first().at(2).toLongLong();
    return rows->first().at(0).toInt();
}

LoginOutcome Accounts::login(const QString &username, const QString &password, const QString &clientAddress)
{
    LoginOutcome out;
    const QString name = normalizedUsername(username);
    const QString userSubject = pairSubject(name, clientAddress);
    const QString ipSubject = QStringLiteral("ip:") + addressKey(clientAddress);
    const qint64 now = nowMs();

    // The limits are checked before the password, so guessing cannot continue once one is reached, and the
    // failures live in the database, so every instance behind a load balancer sees the same count. Per user and
    // address the wait is 15 s at the limit and doubles with each failure past it (up to the window); per address there
    // is a hard limit for spraying many names.
    qint64 oldestUser = now;
    qint64 newestUser = now;
    qint64 oldestIp = now;
    const Result<int> userFailures = recentFailures(userSubject, now, &oldestUser, &newestUser);
    const Result<int> ipFailures = recentFailures(ipSubject, now, &oldestIp, nullptr);
    if (!userFailures || !ipFailures) {
        out.error = userFailures ? ipFailures.error() : userFailures.error();
        return out;
    }
    const int over = userFailures.value() - m_policy.maxFailuresPerUser;
    const qint64 wait = over < 0 ? 0 : std::min<qint64>(m_policy.failureWindowMs, qint64(15000) << std::min(over, 20));
    const bool userLimited = over >= 0 && now < newestUser + wait;
    const bool ipLimited = ipFailures.value() >= m_policy.maxFailuresPerIp;
    if (userLimited || ipLimited) {
        const qint64 until =
            std::max(userLimited ? newestUser + wait : 0, ipLimited ? oldestIp + m_policy.failureWindowMs : 0);
        out.kind = LoginOutcome::RateLimited;
        out.retryAfterSeconds = static_cast<int>(std::max<qint64>(1, (until - now + 999) / 1000));
        return out;
    }

    const Result<Rows> rows =
        m_db.select(QStringLiteral("SELECT id, password_hash, disabled FROM users WHERE username = ?"), {name});
    if (!rows) {
        out.error = rows.error();
        return out;
    }
    bool valid = false;
    QString userId;
    if (rows->isEmpty()) {
        verifyAgainstDummy(password);
    } else {
        const Row &row = rows->first();
        userId = row.at(0).toString();
        valid = verifyPassword(row.at(1).toString(), password) && row.at(2).toLongLong() == 0;
    }
    if (!valid) {
        const Status recorded = inTransaction(m_db, [&]() -> Status {
            // Every failure older than the window goes as new ones come, whoever they were for, so the table stays
            // as small as the window allows (subjects are bounded in length).
            if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM login_failures WHERE at <= ?"),
                                          {now - m_policy.failureWindowMs});
                !r)
                return Error{r.error()};
            for (const QString &subject : {userSubject, ipSubject}) {
                if (Result<int> r = m_db.exec(QStringLiteral("INSERT INTO login_failures (subject, at) VALUES (?, ?)"),
                                              {subject, now});
                    !r)
                    return Error{r.error()};
            }
            return Status::success();
        });
        if (!recorded) {
            out.error = recorded.error();
            return out;
        }
        out.kind = LoginOutcome::Invalid;
        return out;
    }
    const Result<Session> session = inTransaction(m_db, [&]() -> Result<Session> {
        if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM login_failures WHERE subject = ?"), {userSubject});
            !r)
            return Error{r.error()};
        return startSession(userId, randomId());
    });
    if (!session) {
        out.error = session.error();
        return out;
    }
    out.kind = LoginOutcome::Success;
    out.session = session.value();
    return out;
}

Result<Session> Accounts::startSession(const QString &userId, const QString &familyId)
{
    const qint64 now = nowMs();
    Session session;
    session.accessToken = randomToken(QLatin1String("eat_"));
    session.refreshToken = randomToken(QLatin1String("ert_"));
    session.expiresInSeconds = m_policy.accessTtlMs / 1000;
    // Expired tokens of this user are cleared here rather than by a timer: the server keeps no state. Spent
    // refresh tokens stay until they expire, as reuse detection needs them.
    if (Result<int> r =
            m_db.exec(QStringLiteral("DELETE FROM access_tokens WHERE user_id = ? AND expires_at <= ?"), {userId, now});
        !r)
        return Error{r.error()};
    if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM refresh_tokens WHERE user_id = ? AND expires_at <= ?"),
                                  {userId, now});
        !r)
        return Error{r.error()};
    if (Result<int> r =
            m_db.exec(QStringLiteral("INSERT INTO access_tokens (token_hash, family_id, user_id, expires_at)"
                                     " VALUES (?, ?, ?, ?)"),
                      {tokenHash(session.accessToken), familyId, userId, now + m_policy.accessTtlMs});
        !r)
        return Error{r.error()};
    if (Result<int> r =
            m_db.exec(QStringLiteral("INSERT INTO refresh_tokens (token_hash, family_id, user_id,"
                                     " created_at, expires_at) VALUES (?, ?, ?, ?, ?)"),
                      {tokenHash(session.refreshToken), familyId, userId, now, now + m_policy.refreshTtlMs});
        !r)
        return Error{r.error()};
    return session;
}

Status Accounts::revokeFamily(const QString &familyId)
{
    const qint64 now = nowMs();
    if (Result<int> r = m_db.exec(
            QStringLiteral("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL"),
            {now, familyId});
        !r)
        return Error{r.error()};
    if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM access_tokens WHERE family_id = ?"), {familyId}); !r)
        return Error{r.error()};
    return Status::success();
}

RefreshOutcome Accounts::refresh(const QString &refreshToken)
{
    RefreshOutcome out;
    const qint64 now = nowMs();
    const QString hash = tokenHash(refreshToken);
    bool reused = false;
    const Result<std::optional<Session>> result = inTransaction(m_db, [&]() -> Result<std::optional<Session>> {
        const Result<Rows> rows = m_db.select(
            QStringLiteral("SELECT r.family_id, r.user_id, r.expires_at, r.rotated_at, r.revoked_at, u.disabled"
                           " FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?"),
            {hash});
        if (!rows)
            return Error{rows.error()};
        if (rows->isEmpty())
            return std::optional<Session>();
        const Row &row = rows->first();
        const QString familyId = row.at(0).toString();
        const QString userId = row.at(1).toString();
        if (!row.at(4).isNull() || row.at(2).toLongLong() <= now || row.at(5).toLongLong() != 0)
            return std::optional<Session>();
        if (!row.at(3).isNull()) {
            // Presented twice: either the client or a thief holds a copy. Nobody keeps the session.
            reused = true;
            if (Status s = revokeFamily(familyId); !s)
                return Error{s.error()};
            return std::optional<Session>();
        }
        // The condition on rotated_at makes two instances racing on one token agree on a single winner.
        const Result<int> rotated = m_db.exec(
            QStringLiteral("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL"),
            {now, hash});
        if (!rotated)
            return Error{rotated.error()};
        if (rotated.value() != 1)
            return std::optional<Session>();
        // Only the newest access token of a session is valid.
        if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM access_tokens WHERE family_id = ?"), {familyId}); !r)
            return Error{r.error()};
        const Result<Session> session = startSession(userId, familyId);
        if (!session)
            return Error{session.error()};
        return std::optional<Session>(session.value());
    });
    if (!result) {
        out.error = result.error();
        return out;
    }
    if (reused) {
        out.kind = RefreshOutcome::Reused;
        return out;
    }
    if (!result.value()) {
        out.kind = RefreshOutcome::Invalid;
        return out;
    }
    out.kind = RefreshOutcome::Success;
    out.session = *result.value();
    return out;
}

Result<std::optional<Caller>> Accounts::authenticate(const QString &accessToken)
{
    // One round trip per authenticated request: the token, its user and the user's organization.
    const Result<Rows> rows = m_db.select(
        QStringLiteral("SELECT u.id, u.organization_id, u.username, u.display_name, u.role, u.disabled, u.created_at,"
                       " a.family_id, o.name, o.kind, o.created_at FROM access_tokens a"
                       " JOIN users u ON u.id = a.user_id JOIN organizations o ON o.id = u.organization_id"
                       " WHERE a.token_hash = ? AND a.expires_at > ?"),
        {tokenHash(accessToken), nowMs()});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<Caller>();
    const Row &row = rows->first();
    Caller caller{
        userFromRow(row), row.at(7).toString(),
        Organization{row.at(1).toString(), row.at(8).toString(), row.at(9).toString(), row.at(10).toLongLong()}};
    if (caller.user.disabled)
        return std::optional<Caller>();
    return std::optional<Caller>(caller);
}

Result<std::optional<Caller>> Accounts::callerFor(const QString &userId)
{
    const Result<Rows> rows = m_db.select(
        QStringLiteral("SELECT u.id, u.organization_id, u.username, u.display_name, u.role, u.disabled, u.created_at,"
                       " '', o.name, o.kind, o.created_at FROM users u"
                       " JOIN organizations o ON o.id = u.organization_id WHERE u.id = ?"),
        {userId});
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<Caller>();
    const Row &row = rows->first();
    Caller caller{
        userFromRow(row), QString(),
        Organization{row.at(1).toString(), row.at(8).toString(), row.at(9).toString(), row.at(10).toLongLong()}};
    if (caller.user.disabled)
        return std::optional<Caller>();
    return std::optional<Caller>(caller);
}

Status Accounts::endSession(const QString &familyId)
{
    return inTransaction(m_db, [&]() -> Status { return revokeFamily(familyId); });
}

Status Accounts::endAllSessions(const QString &userId)
{
    // Runs inside the caller's transaction (updateUser).
    const qint64 now = nowMs();
    if (Result<int> r = m_db.exec(
            QStringLiteral("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"),
            {now, userId});
        !r)
        return Error{r.error()};
    if (Result<int> r = m_db.exec(QStringLiteral("DELETE FROM access_tokens WHERE user_id = ?"), {userId}); !r)
        return Error{r.error()};
    return Status::success();
}

} // namespace ecotone::server
