#pragma once

#include <QStyledItemDelegate>

namespace ecotone::ui::mapping {

// Paints an overlap matrix cell: a tint of the palette's accent whose strength follows the count relative to the
// largest visible cell (so the heat reads the same in light and dark themes), the count in a colour that keeps
// contrast with that tint, and locked cells as a hatched cell with a lock and "Not shared".
class HeatMapDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor cellColor(const QPalette &palette, double intensity, bool empty);
    static QColor textColor(const QColor &background, const QPalette &palette);
};

} // namespace ecotone::ui::mapping
