#pragma once

#include <QDialog>
#include <QJsonValue>

class QLineEdit;

namespace ecotone::ui {

// Resolves a sync conflict with a typed value: shows both sides and starts from this computer's value.
class ConflictEditDialog : public QDialog
{
    Q_OBJECT

public:
    ConflictEditDialog(const QString &table, const QString &record, const QString &field, const QJsonValue &mine,
                       const QJsonValue &theirs, QWidget *parent = nullptr);

    // The typed text as the field's kind: a number or yes/no when both sides were, empty as null.
    QJsonValue value() const;
    QLineEdit *editor() const { return m_edit; }

    static QString text(const QJsonValue &value);

private:
    QJsonValue m_mine;
    QJsonValue m_theirs;
    QLineEdit *m_edit;
};

} // namespace ecotone::ui
