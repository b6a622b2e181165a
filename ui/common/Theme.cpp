#include "Theme.h"

#include <QApplication>
#include <QLabel>
#include <QPainter>
#include <QPalette>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>

namespace ecotone::ui::theme {

namespace {
QString g_current = QStringLiteral("system");
QPalette g_systemPalette;
bool g_captured = false;

// Fusion outlines check boxes and radio buttons a shade darker than the window, which on a dark palette is
// black on near-black: a visible rim is drawn over them there.
class EcotoneStyle : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        const bool box = element == PE_IndicatorCheckBox || element == PE_IndicatorItemViewItemCheck;
        if ((!box && element != PE_IndicatorRadioButton) || option->palette.color(QPalette::Window).lightness() >= 128)
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        QColor rim = option->palette.color(QPalette::PlaceholderText);
        if (!(option->state & State_Enabled))
            rim.setAlpha(110);
        painter->setPen(QPen(rim, 1));
        painter->setBrush(Qt::NoBrush);
        const QRectF r = QRectF(option->rect).adjusted(1.5, 1.5, -1.5, -1.5);
        if (box)
            painter->drawRoundedRect(r, 2, 2);
        else
            painter->drawEllipse(r);
        painter->restore();
    }
};

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xf5, 0xf6, 0xf8), base(Qt::white), text(0x1f, 0x23, 0x28), accent(0x0f, 0x76, 0x6e);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x91, 0x99));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Mid, QColor(0xd0, 0xd4, 0xda));
    p.setColor(QPalette::Midlight, QColor(0xe4, 0xe7, 0xeb));
    p.setColor(QPalette::Dark, QColor(0xa0, 0xa6, 0xae));
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Shadow, QColor(0x60, 0x66, 0x6e));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0xa0, 0xa6, 0xae));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1e, 0x21, 0x26), base(0x16, 0x18, 0x1c), text(0xe6, 0xe8, 0xeb), accent(0x2d, 0xb3, 0xa4);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x1f, 0x24));
    p.setColor(QPalette::ToolTipBase, QColor(0x2a, 0x2e, 0x34));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x87, 0x90));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2a, 0x2e, 0x34));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, QColor(0x0b, 0x1a, 0x18));
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3f, 0x46));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x38, 0x3e));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x17));
    p.setColor(QPalette::Light, QColor(0x3f, 0x44, 0x4b));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6a, 0x70, 0x78));
    return p;
}
} // namespace

QStringList names()
{
    return {QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};
}

void apply(const QString &name)
{
    if (!g_captured) {
        g_systemPalette = QApplication::palette();
        g_captured = true;
    }
    g_current = names().contains(name) ? name : QStringLiteral("system");
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(new EcotoneStyle(fusion));
    if (g_current == QLatin1String("light"))
        QApplication::setPalette(lightPalette());
    else if (g_current == QLatin1String("dark"))
        QApplication::setPalette(darkPalette());
    else
        QApplication::setPalette(g_systemPalette.color(QPalette::Window).lightness() < 128 ? darkPalette()
                                                                                           : lightPalette());
}

bool isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QString current()
{
    return g_current;
}

QLabel *paneTitle(const QString &text, QWidget *parent)
{
    auto *title = new QLabel(text, parent);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setWeight(QFont::DemiBold);
    title->setFont(big);
    return title;
}

} // namespace ecotone::ui::theme
