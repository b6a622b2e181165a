#include "sync/ConflictEditDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ecotone::ui {

ConflictEditDialog::ConflictEditDialog(const QString &table, const QString &record, const QString &field,
                                       const QJsonValue &mine, const QJsonValue &theirs, QWidget *parent)
    : QDialog(parent)
    , m_mine(mine)
    , m_theirs(theirs)
    , m_edit(new QLineEdit(text(mine), this))
{
    setObjectName(QStringLiteral("conflictEditDialog"));
    setWindowTitle(tr("Resolve Conflict"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("%1 “%2”, field %3").arg(table, record, field), this);
    heading->setTextFormat(Qt::PlainText);
    heading->setWordWrap(true);
    QFont strong = heading->font();
    strong.setWeight(QFont::DemiBold);
    heading->setFont(strong);
    layout->addWidget(heading);

    auto *form = new QFormLayout;
    auto *mineLabel = new QLabel(text(mine), this);
    auto *theirsLabel = new QLabel(text(theirs), this);
    for (QLabel *label : {mineLabel, theirsLabel}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    form->addRow(tr("Mine:"), mineLabel);
    form->addRow(tr("Theirs:"), theirsLabel);
    m_edit->setObjectName(QStringLiteral("conflictValue"));
    m_edit->setMinimumWidth(360);
    m_edit->selectAll();
    form->addRow(tr("&New value:"), m_edit);
    layout->addLayout(form);
    auto *note = new QLabel(tr("The new value is saved as your edit and sent at the next sync."), this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Use This Value"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString ConflictEditDialog::text(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QJsonValue ConflictEditDialog::value() const
{
    const QString typed = m_edit->text();
    auto isA = [this](QJsonValue::Type type) { return m_mine.type() == type || m_theirs.type() == type; };
    auto neither = [this](QJsonValue::Type type) {
        return (m_mine.type() == type || m_mine.isNull()) && (m_theirs.type() == type || m_theirs.isNull());
    };
    if (typed.trimmed().isEmpty() && !isA(QJsonValue::String))
        return QJsonValue(QJsonValue::Null);
    // Numbers and flags stay numbers and flags when the field holds nothing else.
    if (isA(QJsonValue::Double) && neither(QJsonValue::Double)) {
        bool ok = false;
        const double number = typed.trimmed().toDouble(&ok);
        if (ok)
            return number;
    }
    if (isA(QJsonValue::Bool) && neither(QJsonValue::Bool)) {
        const QString t = typed.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("false"))
            return t == QLatin1String("true");
    }
    return typed;
}

} // namespace ecotone::ui
