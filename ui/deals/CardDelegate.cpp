#include "CardDelegate.h"

#include "BoardColumnModel.h"
#include "common/ChipDelegate.h"
#include "common/Theme.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace ecotone::ui {

namespace {
constexpr int kMargin = 5;
constexpr int kPad = 8;
} // namespace

QSize CardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    // name, account, amount + date, chips row
    return {200, 2 * kMargin + 2 * kPad + 4 * fm.height() + 3 * 4 + 4};
}

void CardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = option.palette;
    const bool dark = theme::isDark();
    const bool selected = option.state & QStyle::State_Selected;
    const bool overdue = index.data(BoardColumnModel::OverdueTasksRole).toInt() > 0;
    const bool idle = index.data(BoardColumnModel::IdleRole).toBool();

    const QRectF card = QRectF(option.rect).adjusted(kMargin, kMargin / 2.0, -kMargin, -kMargin / 2.0);
    QPainterPath path;
    path.addRoundedRect(card, 6, 6);
    painter->fillPath(path, pal.color(QPalette::Base));
    QPen border(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2 : 1);
    painter->setPen(border);
    painter->drawPath(path);
    if (option.state & QStyle::State_HasFocus) {
        QPen focus(pal.color(QPalette::Highlight), 1, Qt::DashLine);
        painter->setPen(focus);
        painter->drawRoundedRect(card.adjusted(2, 2, -2, -2), 5, 5);
    }

    const QRect inner = card.toRect().adjusted(kPad, kPad, -kPad, -kPad);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics fm(option.font);
    const QFontMetrics bfm(bold);
    const int line = fm.height() + 4;
    int y = inner.top();

    // Right side of the first line: task badge, then the idle marker.
    const int open = index.data(BoardColumnModel::OpenTasksRole).toInt();
    const int late = index.data(BoardColumnModel::OverdueTasksRole).toInt();
    int right = inner.right();
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics sfm(small);
    painter->setFont(small);
    if (open > 0) {
        const QString badge = overdue ? tr("%1 late").arg(QLocale().toString(late)) : QLocale().toString(open);
        const int w = sfm.horizontalAdvance(badge) + 12;
        const QRect r(right - w, y + 1, w, sfm.height() + 2);
        const QColor fill =
            overdue ? QColor(0xc6, 0x28, 0x28) : (dark ? QColor(0x44, 0x4c, 0x56) : QColor(0xe2, 0xe6, 0xea));
        QPainterPath bp;
        bp.addRoundedRect(r, r.height() / 2.0, r.height() / 2.0);
        painter->fillPath(bp, fill);
        painter->setPen(overdue ? QColor(Qt::white) : pal.color(QPalette::Text));
        painter->drawText(r, Qt::AlignCenter, badge);
        right -= w + 4;
    }
    if (idle) {
        const QString mark = tr("idle");
        const int w = sfm.horizontalAdvance(mark) + 12;
        const QRect r(right - w, y + 1, w, sfm.height() + 2);
        const QColor amber = dark ? QColor(0xf0, 0xb4, 0x29) : QColor(0xa1, 0x62, 0x07);
        painter->setPen(QPen(amber, 1));
        painter->drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), r.height() / 2.0, r.height() / 2.0);
        painter->drawText(r, Qt::AlignCenter, mark);
        right -= w + 4;
    }

    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::Text));
    const QRect nameRect(inner.left(), y, right - inner.left(), line);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      bfm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, nameRect.width()));
    y += line;

    painter->setFont(option.font);
    QColor muted = pal.color(QPalette::Text);
    muted.setAlphaF(0.7);
    painter->setPen(muted);
    painter->drawText(
        QRect(inner.left(), y, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
        fm.elidedText(index.data(BoardColumnModel::AccountRole).toString(), Qt::ElideRight, inner.width()));
    y += line;

    painter->setPen(pal.color(QPalette::Text));
    const QString amount = index.data(BoardColumnModel::AmountTextRole).toString();
    painter->drawText(QRect(inner.left(), y, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter, amount);
    const QDate close = index.data(BoardColumnModel::CloseDateRole).toDate();
    if (close.isValid()) {
        painter->setPen(muted);
        painter->drawText(QRect(inner.left(), y, inner.width(), line), Qt::AlignRight | Qt::AlignVCenter,
                          QLocale().toString(close, QLocale::ShortFormat));
    }
    y += line;

    // Participant chips, sourcing first; what does not fit becomes "+n".
    painter->setFont(small);
    const QStringList chips = index.data(BoardColumnModel::ParticipantsRole).toStringList();
    int x = inner.left();
    const int h = sfm.height() + 2;
    for (int i = 0; i < chips.size(); ++i) {
        const QString more = QStringLiteral("+%1").arg(chips.size() - i);
        // Room for a "+n" after this chip unless it is the last one.
        const int reserve = i + 1 < chips.size() ? sfm.horizontalAdvance(more) + 6 : 0;
        const int room = inner.right() - x - reserve;
        QString label = sfm.elidedText(chips.at(i), Qt::ElideRight, 110);
        int w = sfm.horizontalAdvance(label) + 12;
        if (w > room) {
            if (i == 0 && room > 40) { // the first chip is elided rather than dropped
                label = sfm.elidedText(chips.at(i), Qt::ElideRight, room - 12);
                w = room;
            } else {
                painter->setPen(muted);
                painter->drawText(QRect(x, y, inner.right() - x, h), Qt::AlignLeft | Qt::AlignVCenter, more);
                break;
            }
        }
        const QColor base = ChipDelegate::chipColor(chips.at(i));
        QColor fill = base;
        fill.setAlphaF(dark ? 0.30 : 0.13);
        QPainterPath cp;
        cp.addRoundedRect(QRectF(x, y, w, h), h / 2.0, h / 2.0);
        painter->fillPath(cp, fill);
        painter->setPen(dark ? base.lighter(170) : base.darker(130));
        painter->drawText(QRect(x, y, w, h), Qt::AlignCenter, label);
        x += w + 4;
    }
    painter->restore();
}

} // namespace ecotone::ui
