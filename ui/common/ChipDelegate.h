#pragma once

#include <QStyledItemDelegate>

namespace ecotone::ui {

// Paints a cell's comma-separated values as rounded chips (partner types, tiers), with a colour per value
// that stays stable across runs and reads on light and dark palettes.
class ChipDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor chipColor(const QString &text);
};

} // namespace ecotone::ui
