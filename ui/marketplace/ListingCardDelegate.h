#pragma once

#include <QStyledItemDelegate>
#include <QTextLayout>

namespace ecotone::ui {

// Paints a marketplace result as a card (grid) or a row (list): logo or monogram, title and snippet with the
// search's matches in bold on a highlight (the U+0002/U+0003 marks are never drawn), partner and tier, badges for
// the listing kind, partner types and cloud marketplaces, and a star for favourites that toggles on click.
// Every card has the same size (uniform item sizes), set by the pane from the view's width.
class ListingCardDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    enum class Mode
    {
        Grid,
        List,
    };

    explicit ListingCardDelegate(QObject *parent = nullptr);

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    void setCardWidth(int width) { m_cardWidth = width; }
    // The card height for a font: title (two lines), partner, badges and a few lines of snippet.
    static int cardHeight(const QFont &font);
    static int rowHeight(const QFont &font);
    static constexpr int kMinCardWidth = 280;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    // The plain text of a marked string (the marks removed) and the ranges to emphasize.
    static QString stripMarks(const QString &marked, QList<QTextLayout::FormatRange> *ranges = nullptr,
                              const QTextCharFormat &format = {});
    // Draws marked text wrapped into rect, at most maxLines lines, "…" where cut; returns the height used.
    static int drawMarked(QPainter *painter, const QRect &rect, const QString &marked, const QFont &font,
                          const QColor &markBackground, int maxLines);
    static QColor markColor(bool dark);
    // The listing's logo, or a monogram of the partner's name on its colour, as a rounded square of size px.
    static QPixmap logoPixmap(const QPixmap &logo, const QString &name, int size, const QFont &font, qreal dpr);

Q_SIGNALS:
    void favouriteClicked(const QModelIndex &index);

private:
    QRect starRect(const QRect &itemRect) const;
    void paintGrid(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintList(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;

    Mode m_mode = Mode::Grid;
    int m_cardWidth = 300;
};

} // namespace ecotone::ui
