#pragma once

#include "domain/Organization.h"
#include "store/Repositories.h"

#include <QUndoCommand>

#include <functional>

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

// Where partner commands report: after a change (with the partner to focus, empty when it went away) and on
// failure. Undo and redo go through the repositories, so they are journaled like any other edit.
struct PartnerCommandContext
{
    Workspace *workspace = nullptr;
    std::function<void(const QString &focusId)> changed;
    std::function<void(const QString &message)> failed;
};

class AddPartnerCommand : public QUndoCommand
{
public:
    AddPartnerCommand(PartnerCommandContext context, Organization org);
    void redo() override;
    void undo() override;
    const Organization &organization() const { return m_org; }
    bool succeeded() const { return m_ok; }

private:
    PartnerCommandContext m_ctx;
    Organization m_org;
    OrganizationSnapshot m_snapshot; // filled on undo; redo restores it so the id stays the same
    bool m_inserted = false;
    bool m_ok = false;
};

class EditPartnerCommand : public QUndoCommand
{
public:
    EditPartnerCommand(PartnerCommandContext context, Organization before, Organization after);
    void redo() override;
    void undo() override;
    bool succeeded() const { return m_ok; }

private:
    void apply(Organization org);

    PartnerCommandContext m_ctx;
    Organization m_before;
    Organization m_after;
    bool m_ok = false;
};

class DeletePartnerCommand : public QUndoCommand
{
public:
    DeletePartnerCommand(PartnerCommandContext context, const Organization &org);
    void redo() override;
    void undo() override;
    bool succeeded() const { return m_ok; }

private:
    PartnerCommandContext m_ctx;
    QString m_id;
    OrganizationSnapshot m_snapshot;
    bool m_ok = false;
};

} // namespace ecotone::ui
