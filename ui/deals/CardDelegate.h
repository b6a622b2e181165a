#pragma once

#include <QStyledItemDelegate>

namespace ecotone::ui {

// Paints a board card: room name, account, amount and close date, participant chips, task badge and an idle
// marker. Colours come from the palette (and ChipDelegate's hues), so cards read in light and dark themes.
class CardDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace ecotone::ui
