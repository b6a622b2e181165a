#include "ChipDelegate.h"

#include "common/Theme.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace ecotone::ui {

QColor ChipDelegate::chipColor(const QString &text)
{
    // Tiers get their conventional metals; everything else a hue from a fixed, readable set.
    static const QHash<QString, QColor> fixed = {
        {QStringLiteral("Platinum"), QColor(0x5b, 0x6b, 0x8c)},
        {QStringLiteral("Gold"), QColor(0xb7, 0x8a, 0x1e)},
        {QStringLiteral("Silver"), QColor(0x7d, 0x86, 0x90)},
        {QStringLiteral("Registered"), QColor(0x4f, 0x8a, 0x6d)},
    };
    if (auto it = fixed.find(text); it != fixed.end())
        return it.value();
    static const QColor hues[] = {QColor(0x0f, 0x76, 0x6e), QColor(0x25, 0x63, 0xeb), QColor(0x7c, 0x3a, 0xed),
                                  QColor(0xc2, 0x41, 0x0c), QColor(0xbe, 0x18, 0x5d), QColor(0x4d, 0x7c, 0x0f)};
    // FNV-1a: the same value gets the same colour in every run (qHash is seeded per process).
    quint32 h = 2166136261u;
    for (QChar c : text)
        h = (h ^ c.unicode()) * 16777619u;
    return hues[h % (sizeof(hues) / sizeof(hues[0]))];
}

void ChipDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QStringList chips = opt.text.split(QStringLiteral(", "), Qt::SkipEmptyParts);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont font = opt.font;
    font.setPointSizeF(font.pointSizeF() * 0.88);
    painter->setFont(font);
    const QFontMetrics fm(font);
    const bool dark = theme::isDark();
    const int h = fm.height() + 4;
    int x = opt.rect.left() + 6;
    const int y = opt.rect.center().y() - h / 2;
    for (const QString &chip : chips) {
        const int w = fm.horizontalAdvance(chip) + 14;
        if (x + w > opt.rect.right() - 4) {
            painter->setPen(opt.palette.color(QPalette::Text));
            painter->drawText(QRect(x, y, 20, h), Qt::AlignVCenter, QStringLiteral("…"));
            break;
        }
        const QColor base = chipColor(chip);
        QColor fill = base;
        fill.setAlphaF(dark ? 0.30 : 0.13);
        QColor text = dark ? base.lighter(170) : base.darker(130);
        if (opt.state & QStyle::State_Selected) {
            fill = opt.palette.color(QPalette::HighlightedText);
            fill.setAlphaF(0.22);
            text = opt.palette.color(QPalette::HighlightedText);
        }
        QPainterPath path;
        path.addRoundedRect(QRectF(x, y, w, h), h / 2.0, h / 2.0);
        painter->fillPath(path, fill);
        painter->setPen(text);
        painter->drawText(QRect(x, y, w, h), Qt::AlignCenter, chip);
        x += w + 5;
    }
    painter->restore();
}

QSize ChipDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    const QStringList chips = index.data().toString().split(QStringLiteral(", "), Qt::SkipEmptyParts);
    int w = 12;
    for (const QString &c : chips)
        w += fm.horizontalAdvance(c) * 88 / 100 + 19;
    return QSize(w, std::max(s.height(), fm.height() + 12));
}

} // namespace ecotone::ui
