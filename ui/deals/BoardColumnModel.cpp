#include "BoardColumnModel.h"

#include <QHash>
#include <QLocale>
#include <QMimeData>

#include <cmath>

namespace ecotone::ui {

QString formatMoney(qint64 minor, const QString &currency, bool wholeUnits)
{
    const int digits = wholeUnits ? 0 : deals::minorDigits(currency);
    const double value = double(minor) / std::pow(10.0, deals::minorDigits(currency));
    const QLocale locale;
    // The locale's own symbol for its currency ("$"), the ISO code for the others, kept apart from the digits.
    if (currency == locale.currencySymbol(QLocale::CurrencyIsoCode))
        return locale.toCurrencyString(value, locale.currencySymbol(), digits);
    QString text = locale.toCurrencyString(value, currency, digits);
    const QChar nbsp(0x00A0);
    if (text.startsWith(currency) && text.size() > currency.size() && !text.at(currency.size()).isSpace())
        text.insert(currency.size(), nbsp);
    else if (text.endsWith(currency) && text.size() > currency.size() &&
             !text.at(text.size() - currency.size() - 1).isSpace())
        text.insert(text.size() - currency.size(), nbsp);
    return text;
}

BoardColumnModel::BoardColumnModel(const DealStage &stage, QObject *parent)
    : QAbstractListModel(parent)
    , m_stage(stage)
{}

QString BoardColumnModel::mimeType()
{
    return QStringLiteral("application/x-ecotone-deal-rooms");
}

void BoardColumnModel::setCards(const QList<BoardCard> &cards)
{
    beginResetModel();
    m_cards = cards;
    endResetModel();
}

void BoardColumnModel::updateCards(const QList<BoardCard> &cards)
{
    QHash<QString, const BoardCard *> byId;
    for (const BoardCard &c : cards)
        byId.insert(c.roomId, &c);
    int first = -1, last = -1;
    for (int i = 0; i < m_cards.size(); ++i) {
        if (const BoardCard *c = byId.value(m_cards.at(i).roomId)) {
            m_cards[i] = *c;
            first = first < 0 ? i : first;
            last = i;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first), index(last));
}

QModelIndex BoardColumnModel::indexOfRoom(const QString &roomId) const
{
    for (int i = 0; i < m_cards.size(); ++i) {
        if (m_cards.at(i).roomId == roomId)
            return index(i);
    }
    return {};
}

int BoardColumnModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_cards.size());
}

QVariant BoardColumnModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BoardCard &c = m_cards.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return c.name;
    case Qt::AccessibleTextRole:
    case Qt::ToolTipRole: {
        QString text = tr("%1, %2, %3, closes %4")
                           .arg(c.name, c.accountName, formatMoney(c.amountMinor, c.currency),
                                QLocale().toString(c.closeDate, QLocale::ShortFormat));
        if (c.overdueTasks > 0)
            text += QLatin1Char(' ') + tr("(%n overdue task(s))", nullptr, c.overdueTasks);
        if (c.idle)
            text += QLatin1Char(' ') + tr("(idle)");
        return text;
    }
    case RoomIdRole:
        return c.roomId;
    case AccountRole:
        return c.accountName;
    case AmountTextRole:
        return formatMoney(c.amountMinor, c.currency, true);
    case CloseDateRole:
        return c.closeDate;
    case ParticipantsRole:
        return c.participants;
    case OpenTasksRole:
        return c.openTasks;
    case OverdueTasksRole:
        return c.overdueTasks;
    case IdleRole:
        return c.idle;
    case StageRole:
        return c.stage;
    default:
        return {};
    }
}

Qt::ItemFlags BoardColumnModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid())
        return f | Qt::ItemIsDragEnabled;
    return f | Qt::ItemIsDropEnabled;
}

QStringList BoardColumnModel::mimeTypes() const
{
    return {mimeType()};
}

QMimeData *BoardColumnModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList lines;
    for (const QModelIndex &i : indexes) {
        if (i.isValid() && i.model() == this)
            lines << m_cards.at(i.row()).roomId;
    }
    if (lines.isEmpty())
        return nullptr;
    lines << m_stage.id;
    auto *mime = new QMimeData;
    mime->setData(mimeType(), lines.join(QLatin1Char('\n')).toUtf8());
    return mime;
}

bool BoardColumnModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                       const QModelIndex &) const
{
    if (!data || action != Qt::MoveAction || !data->hasFormat(mimeType()))
        return false;
    const QStringList lines = QString::fromUtf8(data->data(mimeType())).split(QLatin1Char('\n'));
    return lines.size() >= 2 && lines.last() != m_stage.id;
}

bool BoardColumnModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                    const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    QStringList lines = QString::fromUtf8(data->data(mimeType())).split(QLatin1Char('\n'));
    const QString from = lines.takeLast();
    Q_EMIT moveRequested(lines, from, m_stage.id);
    // Returning false keeps the view from removing the source row itself; the reload shows the move.
    return false;
}

} // namespace ecotone::ui
