#include "PartnerCommands.h"

#include <QCoreApplication>

namespace ecotone::ui {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ui::PartnerCommands)
};

void report(const PartnerCommandContext &ctx, const QString &message)
{
    if (ctx.failed)
        ctx.failed(message);
}

void changed(const PartnerCommandContext &ctx, const QString &focus)
{
    if (ctx.changed)
        ctx.changed(focus);
}
} // namespace

AddPartnerCommand::AddPartnerCommand(PartnerCommandContext context, Organization org)
    : m_ctx(std::move(context))
    , m_org(std::move(org))
{
    setText(Tr::tr("Add partner “%1”").arg(m_org.name));
}

void AddPartnerCommand::redo()
{
    OrganizationRepository repo(*m_ctx.workspace);
    Status s = m_inserted ? repo.restore(m_snapshot) : repo.insert(m_org);
    m_ok = s.ok();
    if (!m_ok) {
        setObsolete(true);
        report(m_ctx, s.error());
        return;
    }
    m_inserted = true;
    changed(m_ctx, m_org.id);
}

void AddPartnerCommand::undo()
{
    OrganizationRepository repo(*m_ctx.workspace);
    auto snapshot = repo.remove(m_org.id);
    if (!snapshot) {
        report(m_ctx, snapshot.error());
        return;
    }
    m_snapshot = snapshot.value();
    changed(m_ctx, QString());
}

EditPartnerCommand::EditPartnerCommand(PartnerCommandContext context, Organization before, Organization after)
    : m_ctx(std::move(context))
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    setText(Tr::tr("Edit partner “%1”").arg(m_after.name));
}

void EditPartnerCommand::apply(Organization org)
{
    OrganizationRepository repo(*m_ctx.workspace);
    Status s = repo.update(org);
    m_ok = s.ok();
    if (!m_ok) {
        setObsolete(true);
        report(m_ctx, s.error());
        return;
    }
    changed(m_ctx, org.id);
}

void EditPartnerCommand::redo()
{
    apply(m_after);
}

void EditPartnerCommand::undo()
{
    apply(m_before);
}

DeletePartnerCommand::DeletePartnerCommand(PartnerCommandContext context, const Organization &org)
    : m_ctx(std::move(context))
    , m_id(org.id)
{
    setText(Tr::tr("Delete partner “%1”").arg(org.name));
}

void DeletePartnerCommand::redo()
{
    OrganizationRepository repo(*m_ctx.workspace);
    auto snapshot = repo.remove(m_id);
    m_ok = snapshot.ok();
    if (!m_ok) {
        setObsolete(true);
        report(m_ctx, snapshot.error());
        return;
    }
    m_snapshot = snapshot.value();
    changed(m_ctx, QString());
}

void DeletePartnerCommand::undo()
{
    OrganizationRepository repo(*m_ctx.workspace);
    if (Status s = repo.restore(m_snapshot); !s) {
        report(m_ctx, s.error());
        return;
    }
    changed(m_ctx, m_id);
}

} // namespace ecotone::ui
