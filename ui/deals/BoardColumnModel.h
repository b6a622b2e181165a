#pragma once

#include "deals/DealRoomRepository.h"

#include <QAbstractListModel>

namespace ecotone::ui {

// The cards of one board column (one pipeline stage). Dropping cards from another column does not change this
// model: it asks for the stage move through moveRequested, and the pane reloads the board once the undoable
// command has written it, so the columns always show what the database holds.
class BoardColumnModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1,
        AccountRole,
        AmountTextRole,
        CloseDateRole,
        ParticipantsRole, // QStringList
        OpenTasksRole,
        OverdueTasksRole,
        IdleRole,
        StageRole,
    };

    explicit BoardColumnModel(const DealStage &stage, QObject *parent = nullptr);

    static QString mimeType(); // room ids, one a line, then the source stage
    const DealStage &stage() const { return m_stage; }
    void setCards(const QList<BoardCard> &cards);
    // Same rooms, fuller data (participants and task counts loaded after the first paint): dataChanged, no reset,
    // so selection and scroll stay.
    void updateCards(const QList<BoardCard> &cards);
    const QList<BoardCard> &cards() const { return m_cards; }
    QModelIndex indexOfRoom(const QString &roomId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;
    // Refuse Qt's own row removal after a move drag: the reload after the command does that.
    bool removeRows(int, int, const QModelIndex & = {}) override { return false; }

Q_SIGNALS:
    void moveRequested(const QStringList &roomIds, const QString &fromStage, const QString &toStage);

private:
    DealStage m_stage;
    QList<BoardCard> m_cards;
};

// QLocale currency formatting of minor units; wholeUnits drops the cents (cards, column sums).
QString formatMoney(qint64 minor, const QString &currency, bool wholeUnits = false);

} // namespace ecotone::ui
