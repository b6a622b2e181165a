#pragma once

// The real server's sync logic (server/Sync.h) in the test process, over a SQLite server database: a vendor
// organization with a vendor_admin and a partner organization (kPartner) with a partner_admin, whose requests the
// DirectTransport handlers answer.

#include "SyncTestSupport.h"

#include "Accounts.h"
#include "ServerDatabase.h"
#include "Sync.h"

#include <QFile>

namespace ecotone::test {

inline const QString kServicePartner = QStringLiteral("00000000-0000-7000-8000-0000000000p1");

class ServiceServer
{
public:
    // Copies a prepared server database (made once per process: password hashing is slow by design) to path.
    static std::unique_ptr<ServiceServer> create(const QString &path, const QString &vendorId)
    {
        static QString templatePath;
        static QString userId;
        static QString partnerUserId;
        static QTemporaryDir templateDir;
        if (templatePath.isEmpty()) {
            const QString file = templateDir.filePath(QStringLiteral("template.sqlite"));
            auto db = server::ServerDatabase::open(QStringLiteral("sqlite:") + file);
            if (!db) {
                qWarning("server database: %s", qPrintable(db.error()));
                return nullptr;
            }
            server::Accounts accounts(*db.value());
            auto org = accounts.createOrganization(QStringLiteral("Vendor"), QStringLiteral("vendor"), vendorId);
            if (!org) {
                qWarning("server org: %s", qPrintable(org.error()));
                return nullptr;
            }
            auto user = accounts.createUser(org.value(), QStringLiteral("admin"), QString(), server::Role::VendorAdmin,
                                            QStringLiteral("correct horse battery staple"));
            if (!user) {
                qWarning("server user: %s", qPrintable(user.error()));
                return nullptr;
            }
            auto partner =
                accounts.createOrganization(QStringLiteral("Partner"), QStringLiteral("partner"), kServicePartner);
            if (!partner) {
                qWarning("server partner: %s", qPrintable(partner.error()));
                return nullptr;
            }
            auto partnerUser =
                accounts.createUser(partner.value(), QStringLiteral("padmin"), QString(), server::Role::PartnerAdmin,
                                    QStringLiteral("correct horse battery staple"));
            if (!partnerUser) {
                qWarning("server partner user: %s", qPrintable(partnerUser.error()));
                return nullptr;
            }
            userId = user->id;
            partnerUserId = partnerUser->id;
            templatePath = file;
        }
        QFile::remove(path);
        if (!QFile::copy(templatePath, path))
            return nullptr;
        auto db = server::ServerDatabase::open(QStringLiteral("sqlite:") + path);
        if (!db)
            return nullptr;
        std::unique_ptr<ServiceServer> s(new ServiceServer);
        s->m_db = std::move(db.value());
        s->m_service = std::make_unique<server::SyncService>(*s->m_db);
        server::Accounts accounts(*s->m_db);
        auto caller = accounts.callerFor(userId);
        if (!caller || !caller.value())
            return nullptr;
        s->m_caller = *caller.value();
        auto partnerCaller = accounts.callerFor(partnerUserId);
        if (!partnerCaller || !partnerCaller.value())
            return nullptr;
        s->m_partner = *partnerCaller.value();
        return s;
    }

    // The vendor_admin's requests, or the partner_admin's.
    DirectTransport::Handler handler(bool asPartner = false)
    {
        return [this, asPartner](const QByteArray &method, const QString &path,
                                 const QJsonObject &body) -> TransportReply {
            std::variant<QJsonObject, server::ApiError> answer;
            if (method == "POST" && path == QLatin1String("/api/v1/sync/push")) {
                answer = m_service->push(asPartner ? m_partner : m_caller, body);
            } else if (method == "GET" && path.startsWith(QLatin1String("/api/v1/sync/pull?"))) {
                const QUrlQuery query(path.mid(path.indexOf(QLatin1Char('?')) + 1));
                answer = m_service->pull(asPartner ? m_partner : m_caller,
                                         query.queryItemValue(QStringLiteral("since")).toLongLong(),
                                         query.queryItemValue(QStringLiteral("limit")).toInt());
            } else if (method == "GET" && path == QLatin1String("/api/v1/me")) {
                const server::Caller &who = asPartner ? m_partner : m_caller;
                answer = QJsonObject{
                    {QStringLiteral("organization"), QJsonObject{{QStringLiteral("id"), who.organization.id}}}};
            } else {
                return {404, {}, {}};
            }
            if (auto *error = std::get_if<server::ApiError>(&answer))
                return {
                    error->status,
                    QJsonObject{{QStringLiteral("error"), error->code}, {QStringLiteral("message"), error->message}},
                    {}};
            return {200, std::get<QJsonObject>(answer), {}};
        };
    }

    server::ServerDatabase &db() { return *m_db; }

private:
    ServiceServer() = default;
    std::unique_ptr<server::ServerDatabase> m_db;
    std::unique_ptr<server::SyncService> m_service;
    server::Caller m_caller;
    server::Caller m_partner;
};

} // namespace ecotone::test
