#include "sync/CredentialStore.h"

#include <QPointer>
#include <QTimer>

#include <atomic>

#include <qt6keychain/keychain.h>

namespace ecotone::ui {

QString CredentialStore::key(const QString &server, const QString &username)
{
    return username + QLatin1Char('@') + server;
}

// ---- system keychain

namespace {

// Set once any request got a real answer (found or not found): from then on the keychain exists in this process.
std::atomic_bool g_keychainReached{false};

CredentialReply replyFrom(const QKeychain::Job &job)
{
    CredentialReply reply;
    reply.outcome = KeychainCredentialStore::outcomeFor(int(job.error()), g_keychainReached.load());
    if (reply.outcome == CredentialReply::Outcome::Ok || reply.outcome == CredentialReply::Outcome::NotFound)
        g_keychainReached = true;
    if (reply.outcome != CredentialReply::Outcome::Ok)
        reply.error = job.errorString();
    return reply;
}

// Runs a job and hands its reply to done, unless the receiver is gone by then.
void run(QKeychain::Job *job, QObject *receiver, CredentialStore::Callback done,
         const std::function<void(CredentialReply &)> &fill = {})
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy in QSettings
    QPointer<QObject> guard(receiver);
    QObject::connect(job, &QKeychain::Job::finished, receiver, [guard, done, fill](QKeychain::Job *finished) {
        if (!guard)
            return;
        CredentialReply reply = replyFrom(*finished);
        if (reply.ok() && fill)
            fill(reply);
        done(reply);
    });
    job->start();
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(QObject *parent)
    : CredentialStore(parent)
{}

CredentialReply::Outcome KeychainCredentialStore::outcomeFor(int keychainError, bool reachedBefore)
{
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoError:
        return CredentialReply::Outcome::Ok;
    case QKeychain::EntryNotFound:
        return CredentialReply::Outcome::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return CredentialReply::Outcome::Unavailable;
    case QKeychain::AccessDeniedByUser:
        return CredentialReply::Outcome::Failed; // the user said no: not the same as having no keychain
    case QKeychain::OtherError:
    case QKeychain::AccessDenied:
    case QKeychain::CouldNotDeleteEntry:
        break;
    }
    // Without a session bus or Secret Service, QtKeychain answers "Unknown error" (OtherError) and says nothing
    // more in a language-independent way. A keychain that never answered once in this process is no keychain;
    // after it has, the same error is a real failure worth reporting.
    return reachedBefore ? CredentialReply::Outcome::Failed : CredentialReply::Outcome::Unavailable;
}

QString KeychainCredentialStore::serviceName()
{
    return QStringLiteral("Ecotone Sync");
}

void KeychainCredentialStore::read(const QString &server, const QString &username, QObject *receiver, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
    job->setKey(key(server, username));
    run(job, receiver, std::move(done), [job](CredentialReply &reply) { reply.password = job->textData(); });
}

void KeychainCredentialStore::write(const QString &server, const QString &username, const QString &password,
                                    QObject *receiver, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
    job->setKey(key(server, username));
    job->setTextData(password);
    run(job, receiver, std::move(done));
}

void KeychainCredentialStore::remove(const QString &server, const QString &username, QObject *receiver, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
    job->setKey(key(server, username));
    run(job, receiver, std::move(done));
}

// ---- memory

MemoryCredentialStore::MemoryCredentialStore(QObject *parent)
    : CredentialStore(parent)
{}

void MemoryCredentialStore::answer(QObject *receiver, Callback done, const CredentialReply &reply)
{
    QPointer<QObject> guard(receiver);
    QTimer::singleShot(0, receiver, [guard, done = std::move(done), reply] {
        if (guard)
            done(reply);
    });
}

void MemoryCredentialStore::read(const QString &server, const QString &username, QObject *receiver, Callback done)
{
    CredentialReply reply;
    if (!m_available) {
        reply.outcome = CredentialReply::Outcome::Unavailable;
        reply.error = QStringLiteral("No keychain in this test");
    } else if (m_entries.contains(key(server, username))) {
        reply.outcome = CredentialReply::Outcome::Ok;
        reply.password = m_entries.value(key(server, username));
    } else {
        reply.outcome = CredentialReply::Outcome::NotFound;
    }
    answer(receiver, std::move(done), reply);
}

void MemoryCredentialStore::write(const QString &server, const QString &username, const QString &password,
                                  QObject *receiver, Callback done)
{
    CredentialReply reply;
    if (!m_available) {
        reply.outcome = CredentialReply::Outcome::Unavailable;
        reply.error = QStringLiteral("No keychain in this test");
    } else {
        m_entries.insert(key(server, username), password);
        reply.outcome = CredentialReply::Outcome::Ok;
    }
    answer(receiver, std::move(done), reply);
}

void MemoryCredentialStore::remove(const QString &server, const QString &username, QObject *receiver, Callback done)
{
    CredentialReply reply;
    if (!m_available) {
        reply.outcome = CredentialReply::Outcome::Unavailable;
        reply.error = QStringLiteral("No keychain in this test");
    } else {
        reply.outcome =
            m_entries.remove(key(server, username)) ? CredentialReply::Outcome::Ok : CredentialReply::Outcome::NotFound;
    }
    answer(receiver, std::move(done), reply);
}

} // namespace ecotone::ui
