#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace ecotone::ui {

// What a keychain request ended with. Unavailable means there is no keychain to ask (no Secret Service on a
// headless machine, for one): the pane then asks for the password each session and keeps it only in memory.
struct CredentialReply
{
    enum class Outcome
    {
        Ok,
        NotFound,
        Unavailable,
        Failed,
    };
    Outcome outcome = Outcome::Failed;
    QString password; // read() only
    QString error;    // for Unavailable and Failed, in the keychain's words
    bool ok() const { return outcome == Outcome::Ok; }
};

// Where the sync password lives: never in the workspace file or QSettings. Every call answers later, on the
// thread that made it, through the callback; a callback whose receiver died is not called.
class CredentialStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const CredentialReply &)>;

    explicit CredentialStore(QObject *parent = nullptr)
        : QObject(parent)
    {}

    virtual void read(const QString &server, const QString &username, QObject *receiver, Callback done) = 0;
    virtual void write(const QString &server, const QString &username, const QString &password, QObject *receiver,
                       Callback done) = 0;
    virtual void remove(const QString &server, const QString &username, QObject *receiver, Callback done) = 0;

    // The name of one entry: user@server, as the system keychain shows it.
    static QString key(const QString &server, const QString &username);
};

// The system keychain (Secret Service, KWallet, macOS Keychain, Windows Credential Manager) through QtKeychain.
// The insecure fallback (a plain-text QSettings file) stays off.
class KeychainCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    explicit KeychainCredentialStore(QObject *parent = nullptr);

    void read(const QString &server, const QString &username, QObject *receiver, Callback done) override;
    void write(const QString &server, const QString &username, const QString &password, QObject *receiver,
               Callback done) override;
    void remove(const QString &server, const QString &username, QObject *receiver, Callback done) override;

    static QString serviceName();

    // How a QtKeychain error code reads for the pane: reachedBefore says whether any earlier request in this
    // process got a real answer (found or not found) from the keychain.
    static CredentialReply::Outcome outcomeFor(int keychainError, bool reachedBefore);
};

// For tests: a hash in memory. Answers on the next turn of the event loop, like a real keychain; can pretend to
// have no keychain at all.
class MemoryCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    explicit MemoryCredentialStore(QObject *parent = nullptr);

    void read(const QString &server, const QString &username, QObject *receiver, Callback done) override;
    void write(const QString &server, const QString &username, const QString &password, QObject *receiver,
               Callback done) override;
    void remove(const QString &server, const QString &username, QObject *receiver, Callback done) override;

    void setAvailable(bool available) { m_available = available; }
    QHash<QString, QString> entries() const { return m_entries; }
    QString password(const QString &server, const QString &username) const
    {
        return m_entries.value(key(server, username));
    }

private:
    void answer(QObject *receiver, Callback done, const CredentialReply &reply);

    QHash<QString, QString> m_entries;
    bool m_available = true;
};

} // namespace ecotone::ui
