#include "ListingCardDelegate.h"

#include "ListingResultModel.h"
#include "common/ChipDelegate.h"
#include "common/Theme.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

namespace ecotone::ui {

namespace {
constexpr int kMargin = 5; // between the cell and the card's border
constexpr int kPad = 12;   // inside the card
constexpr int kLogo = 40;
constexpr int kListLogo = 34;
constexpr QChar kOpen(0x02);
constexpr QChar kClose(0x03);

struct Chip
{
    QString text;
    QColor color;        // invalid: a neutral outlined badge
    bool accent = false; // filled with the highlight colour (the "comparing" mark)
};

QFont smallFont(const QFont &font)
{
    QFont f = font;
    f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}

QFont titleFont(const QFont &font)
{
    QFont f = font;
    f.setPointSizeF(f.pointSizeF() * 1.08);
    f.setWeight(QFont::DemiBold);
    return f;
}

// The first letters of the first two words: "Lake Connector" -> "LC".
QString monogram(const QString &text)
{
    QString letters;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &w : words) {
        if (!w.isEmpty() && w.at(0).isLetterOrNumber())
            letters += w.at(0).toUpper();
        if (letters.size() == 2)
            break;
    }
    return letters.isEmpty() ? QStringLiteral("?") : letters;
}

void drawLogo(QPainter *p, const QRect &r, const QPixmap &logo, const QString &name, const QFont &font, bool dark)
{
    QPainterPath path;
    path.addRoundedRect(QRectF(r), 8, 8);
    if (!logo.isNull()) {
        p->save();
        p->setClipPath(path);
        p->fillPath(path, Qt::white);
        const QPixmap scaled =
            logo.scaled(r.size() * p->device()->devicePixelRatioF(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        QSizeF s = QSizeF(scaled.size()) / p->device()->devicePixelRatioF();
        p->drawPixmap(
            QRectF(r.center().x() - s.width() / 2 + 0.5, r.center().y() - s.height() / 2 + 0.5, s.width(), s.height()),
            scaled, QRectF(scaled.rect()));
        p->restore();
        return;
    }
    const QColor base = ChipDelegate::chipColor(name);
    QColor fill = base;
    fill.setAlphaF(dark ? 0.35 : 0.16);
    p->fillPath(path, fill);
    QFont f = font;
    f.setWeight(QFont::Bold);
    f.setPixelSize(std::max(10, r.height() * 2 / 5));
    p->setFont(f);
    p->setPen(dark ? base.lighter(170) : base.darker(125));
    p->drawText(r, Qt::AlignCenter, monogram(name));
}

void drawStar(QPainter *p, const QRect &r, bool filled, const QColor &outline)
{
    QPainterPath star;
    const QPointF c = QRectF(r).center();
    const double outer = r.width() / 2.0, inner = outer * 0.45;
    for (int i = 0; i < 10; ++i) {
        const double a = -M_PI / 2 + i * M_PI / 5;
        const double rad = i % 2 ? inner : outer;
        const QPointF pt(c.x() + rad * std::cos(a), c.y() + rad * std::sin(a));
        if (i == 0)
            star.moveTo(pt);
        else
            star.lineTo(pt);
    }
    star.closeSubpath();
    const QColor amber(0xe8, 0xa3, 0x17);
    if (filled) {
        p->fillPath(star, amber);
        p->setPen(QPen(amber.darker(115), 1));
    } else {
        p->setPen(QPen(outline, 1.2));
    }
    p->drawPath(star);
}

// Draws badges from x to the right; what does not fit becomes "+n". Returns the x after the last one.
int drawChips(QPainter *p, const QList<Chip> &chips, int x, int y, int right, const QFont &font, const QPalette &pal,
              bool dark)
{
    const QFontMetrics fm(font);
    const int h = fm.height() + 4;
    p->setFont(font);
    QColor muted = pal.color(QPalette::Text);
    muted.setAlphaF(0.65);
    for (int i = 0; i < chips.size(); ++i) {
        const Chip &chip = chips.at(i);
        const QString more = QStringLiteral("+%1").arg(chips.size() - i);
        const int reserve = i + 1 < chips.size() ? fm.horizontalAdvance(more) + 8 : 0;
        QString label = fm.elidedText(chip.text, Qt::ElideRight, 140);
        int w = fm.horizontalAdvance(label) + 14;
        if (x + w > right - reserve) {
            if (i == 0 && right - reserve - x > 50) { // the first badge is elided rather than dropped
                w = right - reserve - x;
                label = fm.elidedText(chip.text, Qt::ElideRight, w - 14);
            } else {
                p->setPen(muted);
                p->drawText(QRect(x, y, right - x, h), Qt::AlignLeft | Qt::AlignVCenter, more);
                return right;
            }
        }
        const QRectF box(x, y, w, h);
        QPainterPath path;
        path.addRoundedRect(box, h / 2.0, h / 2.0);
        if (chip.accent) {
            p->fillPath(path, pal.color(QPalette::Highlight));
            p->setPen(pal.color(QPalette::HighlightedText));
        } else if (chip.color.isValid()) {
            QColor fill = chip.color;
            fill.setAlphaF(dark ? 0.30 : 0.13);
            p->fillPath(path, fill);
            p->setPen(dark ? chip.color.lighter(170) : chip.color.darker(130));
        } else {
            p->setPen(QPen(pal.color(QPalette::Mid), 1));
            p->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), h / 2.0, h / 2.0);
            p->setPen(pal.color(QPalette::Text));
        }
        p->drawText(box.toRect(), Qt::AlignCenter, label);
        x += w + 5;
    }
    return x;
}

QList<Chip> chipsFor(const QModelIndex &index)
{
    QList<Chip> chips;
    if (index.data(ListingResultModel::ComparedRole).toBool())
        chips << Chip{ListingCardDelegate::tr("Comparing"), {}, true};
    chips << Chip{index.data(ListingResultModel::KindRole).toString(), {}, false};
    const QStringList types = index.data(ListingResultModel::PartnerTypesRole).toStringList();
    for (const QString &t : types)
        chips << Chip{t, ChipDelegate::chipColor(t), false};
    const QStringList clouds = index.data(ListingResultModel::CloudsRole).toStringList();
    for (const QString &c : clouds)
        chips << Chip{c, {}, false};
    return chips;
}

QString partnerLine(const QModelIndex &index)
{
    const QString partner = index.data(ListingResultModel::PartnerRole).toString();
    const QString tier = index.data(ListingResultModel::TierRole).toString();
    return tier.isEmpty() ? partner : ListingCardDelegate::tr("%1 · %2").arg(partner, tier);
}
} // namespace

ListingCardDelegate::ListingCardDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

QPixmap ListingCardDelegate::logoPixmap(const QPixmap &logo, const QString &name, int size, const QFont &font,
                                        qreal dpr)
{
    QPixmap pm(QSize(size, size) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    drawLogo(&p, QRect(0, 0, size, size), logo, name, font, theme::isDark());
    return pm;
}

QColor ListingCardDelegate::markColor(bool dark)
{
    return dark ? QColor(0x8a, 0x6d, 0x1c) : QColor(0xff, 0xe8, 0x99);
}

int ListingCardDelegate::cardHeight(const QFont &font)
{
    const QFontMetrics tfm(titleFont(font)), fm(font), sfm(smallFont(font));
    // title (2 lines), partner, gap, badges, gap, snippet (3 lines)
    return 2 * kMargin + 2 * kPad + 2 * tfm.height() + fm.height() + 10 + sfm.height() + 4 + 8 + 3 * fm.height();
}

int ListingCardDelegate::rowHeight(const QFont &font)
{
    const QFontMetrics tfm(titleFont(font)), fm(font);
    return std::max(kListLogo, tfm.height() + 4 + fm.height()) + 2 * 10;
}

QSize ListingCardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    if (m_mode == Mode::List)
        return {400, rowHeight(option.font)};
    return {m_cardWidth, cardHeight(option.font)};
}

QString ListingCardDelegate::stripMarks(const QString &marked, QList<QTextLayout::FormatRange> *ranges,
                                        const QTextCharFormat &format)
{
    QString plain;
    plain.reserve(marked.size());
    int start = -1;
    for (QChar c : marked) {
        if (c == kOpen) {
            start = int(plain.size());
        } else if (c == kClose) {
            if (ranges && start >= 0 && plain.size() > start)
                ranges->append({start, int(plain.size()) - start, format});
            start = -1;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t')) {
            plain += QLatin1Char(' ');
        } else {
            plain += c;
        }
    }
    if (ranges && start >= 0 && plain.size() > start) // an unclosed mark runs to the end
        ranges->append({start, int(plain.size()) - start, format});
    return plain;
}

int ListingCardDelegate::drawMarked(QPainter *painter, const QRect &rect, const QString &marked, const QFont &font,
                                    const QColor &markBackground, int maxLines)
{
    if (maxLines <= 0 || rect.width() <= 0)
        return 0;
    QTextCharFormat mark;
    mark.setFontWeight(QFont::Bold);
    mark.setBackground(markBackground);
    QList<QTextLayout::FormatRange> ranges;
    const QString plain = stripMarks(marked, &ranges, mark);
    QTextLayout layout(plain, font, painter->device());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.setFormats(ranges);
    const QFontMetrics fm(font);
    const QString ellipsis(QChar(0x2026));
    const int ellipsisWidth = fm.horizontalAdvance(ellipsis);
    // First at full width; only when the text needs more than maxLines is the last line shortened for "…".
    QList<QTextLine> lines;
    bool more = false;
    qreal y = 0;
    for (int pass = 0; pass < 2; ++pass) {
        lines.clear();
        more = false;
        y = 0;
        layout.beginLayout();
        for (;;) {
            QTextLine line = layout.createLine();
            if (!line.isValid())
                break;
            if (lines.size() == maxLines) {
                line.setLineWidth(rect.width());
                more = true;
                break;
            }
            line.setLineWidth(pass == 1 && lines.size() == maxLines - 1 ? rect.width() - ellipsisWidth : rect.width());
            line.setPosition(QPointF(0, y));
            y += line.height();
            lines << line;
        }
        layout.endLayout();
        if (!more)
            break;
    }
    for (const QTextLine &line : std::as_const(lines))
        line.draw(painter, rect.topLeft());
    if (more && !lines.isEmpty()) {
        const QTextLine &last = lines.last();
        const QRectF r(rect.left() + last.naturalTextWidth(), rect.top() + last.y(), ellipsisWidth + 2, last.height());
        painter->setFont(font);
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, ellipsis);
    }
    return int(std::ceil(y));
}

QRect ListingCardDelegate::starRect(const QRect &itemRect) const
{
    const int s = 18;
    if (m_mode == Mode::List)
        return QRect(itemRect.right() - kPad - s, itemRect.center().y() - s / 2, s, s);
    return QRect(itemRect.right() - kMargin - kPad - s + 4, itemRect.top() + kMargin + kPad - 2, s, s);
}

bool ListingCardDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                      const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton && starRect(option.rect).adjusted(-4, -4, 4, 4).contains(mouse->pos())) {
            Q_EMIT favouriteClicked(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

void ListingCardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_mode == Mode::Grid)
        paintGrid(painter, option, index);
    else
        paintList(painter, option, index);
    painter->restore();
}

void ListingCardDelegate::paintGrid(QPainter *painter, const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const QPalette &pal = option.palette;
    const bool dark = theme::isDark();
    const bool selected = option.state & QStyle::State_Selected;
    const bool hover = option.state & QStyle::State_MouseOver;
    const bool favourite = index.data(ListingResultModel::FavouriteRole).toBool();

    const QRectF card = QRectF(option.rect).adjusted(kMargin + 0.5, kMargin + 0.5, -kMargin - 0.5, -kMargin - 0.5);
    QPainterPath path;
    path.addRoundedRect(card, 8, 8);
    painter->fillPath(path, pal.color(QPalette::Base));
    QColor border = selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid);
    if (hover && !selected)
        border = pal.color(QPalette::Dark);
    painter->setPen(QPen(border, selected ? 2 : 1));
    painter->drawPath(path);
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
        painter->drawRoundedRect(card.adjusted(3, 3, -3, -3), 6, 6);
    }

    const QRect inner = card.toRect().adjusted(kPad, kPad, -kPad, -kPad);
    const QFont tfont = titleFont(option.font);
    const QFont sfont = smallFont(option.font);
    const QFontMetrics tfm(tfont), fm(option.font), sfm(sfont);
    const QColor text = pal.color(QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.68);

    const QRect logo(inner.left(), inner.top(), kLogo, kLogo);
    drawLogo(painter, logo, index.data(ListingResultModel::LogoRole).value<QPixmap>(),
             index.data(ListingResultModel::PartnerRole).toString(), option.font, dark);

    const QRect star = starRect(option.rect);
    if (favourite || hover)
        drawStar(painter, star, favourite, muted);

    const int textLeft = logo.right() + 11;
    const int textRight = star.left() - 6;
    int y = inner.top() - 1;
    painter->setPen(text);
    y += drawMarked(painter, QRect(textLeft, y, textRight - textLeft, 2 * tfm.height()),
                    index.data(ListingResultModel::TitleMarkedRole).toString(), tfont, markColor(dark), 2);
    painter->setFont(option.font);
    painter->setPen(muted);
    painter->drawText(QRect(textLeft, y, inner.right() - textLeft, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(partnerLine(index), Qt::ElideRight, inner.right() - textLeft));
    y += fm.height();
    y = std::max(y, logo.bottom() + 1) + 10;

    drawChips(painter, chipsFor(index), inner.left(), y, inner.right(), sfont, pal, dark);
    y += sfm.height() + 4 + 8;

    const int lines = std::max(0, (inner.bottom() + 1 - y) / fm.height());
    painter->setPen(text);
    drawMarked(painter, QRect(inner.left(), y, inner.width(), lines * fm.height()),
               index.data(ListingResultModel::SnippetMarkedRole).toString(), option.font, markColor(dark), lines);
}

void ListingCardDelegate::paintList(QPainter *painter, const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const QPalette &pal = option.palette;
    const bool dark = theme::isDark();
    const bool selected = option.state & QStyle::State_Selected;
    const bool favourite = index.data(ListingResultModel::FavouriteRole).toBool();
    const QRect r = option.rect;
    if (selected) {
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlphaF(dark ? 0.30 : 0.12);
        painter->fillRect(r, fill);
    } else if (option.state & QStyle::State_MouseOver) {
        painter->fillRect(r, pal.color(QPalette::AlternateBase));
    }
    painter->setPen(QPen(pal.color(QPalette::Midlight), 1));
    painter->drawLine(QPointF(r.left(), r.bottom() + 0.5), QPointF(r.right(), r.bottom() + 0.5));
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
        painter->drawRect(QRectF(r).adjusted(1.5, 1.5, -1.5, -1.5));
    }

    const QFont tfont = titleFont(option.font);
    const QFont sfont = smallFont(option.font);
    const QFontMetrics tfm(tfont), fm(option.font), sfm(sfont);
    const QColor text = pal.color(QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.68);

    const QRect logo(r.left() + kPad, r.center().y() - kListLogo / 2, kListLogo, kListLogo);
    drawLogo(painter, logo, index.data(ListingResultModel::LogoRole).value<QPixmap>(),
             index.data(ListingResultModel::PartnerRole).toString(), option.font, dark);
    const QRect star = starRect(r);
    if (favourite || (option.state & QStyle::State_MouseOver))
        drawStar(painter, star, favourite, muted);

    // Badges on the right take at most a third of the row.
    const int chipsWidth = std::min(320, r.width() / 3);
    const int chipsLeft = star.left() - 10 - chipsWidth;
    const int textLeft = logo.right() + 12;
    const int textWidth = std::max(40, chipsLeft - 12 - textLeft);
    const int top = r.center().y() - (tfm.height() + 4 + fm.height()) / 2;

    // Title, then the partner in the rest of the first line.
    const QString marked = index.data(ListingResultModel::TitleMarkedRole).toString();
    const int titleWidth = std::min(textWidth, tfm.horizontalAdvance(stripMarks(marked)) + 4);
    painter->setPen(text);
    drawMarked(painter, QRect(textLeft, top, titleWidth, tfm.height()), marked, tfont, markColor(dark), 1);
    const int partnerLeft = textLeft + titleWidth + 10;
    if (textLeft + textWidth - partnerLeft > 40) {
        painter->setFont(option.font);
        painter->setPen(muted);
        painter->drawText(QRect(partnerLeft, top, textLeft + textWidth - partnerLeft, tfm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(partnerLine(index), Qt::ElideRight, textLeft + textWidth - partnerLeft));
    }
    painter->setPen(muted);
    drawMarked(painter, QRect(textLeft, top + tfm.height() + 4, textWidth, fm.height()),
               index.data(ListingResultModel::SnippetMarkedRole).toString(), option.font, markColor(dark), 1);

    const int chipY = r.center().y() - (sfm.height() + 4) / 2;
    drawChips(painter, chipsFor(index), chipsLeft, chipY, chipsLeft + chipsWidth, sfont, pal, dark);
}

} // namespace ecotone::ui
