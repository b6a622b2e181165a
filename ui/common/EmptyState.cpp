#include "EmptyState.h"

#include "common/Icons.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace ecotone::ui {

EmptyState::EmptyState(const QString &iconName, const QString &title, const QString &text, QWidget *parent)
    : QWidget(parent)
    , m_iconName(iconName)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(title, this))
    , m_text(new QLabel(text, this))
    , m_points(new QLabel(this))
    , m_footnote(new QLabel(this))
    , m_buttons(new QVBoxLayout)
{
    // Word-wrapped labels only get a sensible height from a layout of known width, so the column is fixed.
    auto *columnWidget = new QWidget(this);
    m_column = columnWidget;
    columnWidget->setFixedWidth(520);
    auto *column = new QVBoxLayout(columnWidget);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(12);
    m_icon->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    for (QLabel *label : {m_text, m_footnote}) {
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
    }
    m_points->setWordWrap(true);
    m_points->setContentsMargins(60, 0, 20, 0);
    m_points->setTextFormat(Qt::PlainText);
    m_points->hide();
    m_footnote->setForegroundRole(QPalette::PlaceholderText);
    m_footnote->hide();
    m_buttons->setSpacing(8);

    column->addWidget(m_icon);
    column->addWidget(m_title);
    column->addWidget(m_text);
    column->addWidget(m_points);
    column->addLayout(m_buttons);
    column->addWidget(m_footnote);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(32, 32, 32, 32);
    outer->addStretch(2);
    outer->addWidget(columnWidget, 0, Qt::AlignHCenter);
    outer->addStretch(3);
    setAccessibleName(title);
    refreshIcon();
}

void EmptyState::setTitle(const QString &title)
{
    m_title->setText(title);
    setAccessibleName(title);
}

void EmptyState::setText(const QString &text)
{
    m_text->setText(text);
}

void EmptyState::setPoints(const QStringList &points)
{
    // Plain text wraps to the label's width reliably; rich-text lists can be cut short in fixed-width columns.
    QStringList lines;
    for (const QString &p : points)
        lines << QStringLiteral("•  ") + p;
    m_points->setText(lines.join(QLatin1Char('\n')));
    m_points->setVisible(!points.isEmpty());
}

void EmptyState::setFootnote(const QString &text)
{
    m_footnote->setText(text);
    m_footnote->setVisible(!text.isEmpty());
}

QWidget *EmptyState::addAction(const QString &text, const QString &iconName)
{
    auto *button = new QPushButton(text, this);
    if (!iconName.isEmpty())
        button->setIcon(icon(iconName));
    button->setMinimumWidth(260);
    button->setMinimumHeight(34);
    if (m_buttons->count() > 0)
        m_buttons->addSpacing(8);
    m_buttons->addWidget(button, 0, Qt::AlignHCenter);
    return button;
}

void EmptyState::resizeEvent(QResizeEvent *event)
{
    // Up to 520 px wide, narrower in a side panel; always a fixed width so wrapped text gets its full height.
    m_column->setFixedWidth(std::clamp(event->size().width() - 48, 160, 520));
    QWidget::resizeEvent(event);
}

void EmptyState::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        refreshIcon();
    QWidget::changeEvent(event);
}

void EmptyState::refreshIcon()
{
    const QColor c = palette().color(QPalette::Highlight);
    m_icon->setPixmap(icon(m_iconName, c).pixmap(QSize(56, 56), devicePixelRatioF()));
}

} // namespace ecotone::ui
