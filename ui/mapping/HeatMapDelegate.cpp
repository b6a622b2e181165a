#include "HeatMapDelegate.h"

#include "OverlapModels.h"
#include "common/Icons.h"

#include <QPainter>

namespace ecotone::ui::mapping {

namespace {
QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

double luminance(const QColor &c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}
} // namespace

QColor HeatMapDelegate::cellColor(const QPalette &palette, double intensity, bool empty)
{
    const QColor base = palette.color(QPalette::Base);
    if (empty)
        return base;
    // Even the smallest non-zero count gets a visible tint; the largest gets nearly the full accent.
    return mix(base, palette.color(QPalette::Highlight), 0.14 + 0.76 * std::clamp(intensity, 0.0, 1.0));
}

QColor HeatMapDelegate::textColor(const QColor &background, const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor other = luminance(text) > 0.5 ? QColor(0x10, 0x12, 0x14) : QColor(Qt::white);
    // Whichever of the theme's text colour and its opposite stands out more from the tint.
    return std::abs(luminance(text) - luminance(background)) >= std::abs(luminance(other) - luminance(background))
               ? text
               : other;
}

void HeatMapDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QPalette &pal = option.palette;
    const QRect r = option.rect.adjusted(2, 2, -2, -2);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool locked = index.data(OverlapMatrixModel::LockedRole).toBool();
    const bool selected = option.state & QStyle::State_Selected;
    QFont font = option.font;
    if (locked) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pal.color(QPalette::AlternateBase));
        painter->drawRoundedRect(r, 6, 6);
        painter->setBrush(QBrush(pal.color(QPalette::Mid), Qt::BDiagPattern));
        painter->drawRoundedRect(r, 6, 6);
        const QColor muted = pal.color(QPalette::PlaceholderText);
        const int iconSize = 16;
        const QString text = index.data(Qt::DisplayRole).toString();
        const QFontMetrics fm(font);
        const int width = iconSize + 6 + fm.horizontalAdvance(text);
        const int x = r.center().x() - width / 2;
        icon(QStringLiteral("lock"), muted).paint(painter, QRect(x, r.center().y() - iconSize / 2, iconSize, iconSize));
        // A plate behind the words keeps them readable over the hatching.
        const QRect textRect(x + iconSize + 6, r.top(), fm.horizontalAdvance(text), r.height());
        painter->setBrush(pal.color(QPalette::AlternateBase));
        painter->drawRect(
            textRect.adjusted(-2, r.height() / 2 - fm.height() / 2, 2, -(r.height() / 2 - fm.height() / 2)));
        painter->setPen(muted);
        painter->setFont(font);
        painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, text);
    } else {
        const qint64 links = index.data(OverlapMatrixModel::LinksRole).toLongLong();
        const QColor bg = cellColor(pal, index.data(OverlapMatrixModel::IntensityRole).toDouble(), links == 0);
        painter->setPen(links == 0 ? QPen(pal.color(QPalette::Midlight), 1) : Qt::NoPen);
        painter->setBrush(bg);
        painter->drawRoundedRect(r, 6, 6);
        font.setPointSizeF(font.pointSizeF() * 1.35);
        font.setWeight(links == 0 ? QFont::Normal : QFont::DemiBold);
        painter->setFont(font);
        painter->setPen(links == 0 ? pal.color(QPalette::PlaceholderText) : textColor(bg, pal));
        painter->drawText(r, Qt::AlignCenter, index.data(Qt::DisplayRole).toString());
    }
    if (selected || (option.state & QStyle::State_HasFocus)) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(pal.color(QPalette::Text), 2));
        painter->drawRoundedRect(r.adjusted(1, 1, -1, -1), 6, 6);
    }
    painter->restore();
}

QSize HeatMapDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index);
    const QFontMetrics fm(option.font);
    return {std::max(120, fm.horizontalAdvance(tr("Not shared")) + 48), fm.height() * 3};
}

} // namespace ecotone::ui::mapping
