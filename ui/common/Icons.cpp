#include "Icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace ecotone::ui {

namespace {
QByteArray svgSource(const QString &name)
{
    static QHash<QString, QByteArray> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        QFile f(QStringLiteral(":/icons/%1.svg").arg(name));
        it = cache.insert(name, f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray());
    }
    return it.value();
}

// Renders at the requested size and device pixel ratio, with the disabled state drawn in the disabled colour.
class TintedSvgEngine : public QIconEngine
{
public:
    TintedSvgEngine(QString name, QColor color)
        : m_name(std::move(name))
        , m_color(color)
    {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QColor c = m_color.isValid() ? m_color : QApplication::palette().color(QPalette::WindowText);
        if (mode == QIcon::Disabled)
            c = QApplication::palette().color(QPalette::Disabled, QPalette::WindowText);
        else if (mode == QIcon::Selected)
            c = QApplication::palette().color(QPalette::HighlightedText);
        QByteArray svg = svgSource(m_name);
        svg.replace("currentColor", c.name().toLatin1());
        QSvgRenderer renderer(svg);
        renderer.render(painter, rect);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        const QString key = QStringLiteral("ecotone-icon:%1:%2:%3x%4:%5:%6")
                                .arg(m_name, m_color.name())
                                .arg(size.width())
                                .arg(size.height())
                                .arg(int(mode))
                                .arg(scale) +
                            QApplication::palette().color(QPalette::WindowText).name();
        QPixmap pm;
        if (QPixmapCache::find(key, &pm))
            return pm;
        pm = QPixmap(size * scale);
        pm.fill(Qt::transparent);
        {
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            paint(&p, QRect(QPoint(0, 0), size * scale), mode, state);
        }
        pm.setDevicePixelRatio(scale);
        QPixmapCache::insert(key, pm);
        return pm;
    }

    QIconEngine *clone() const override { return new TintedSvgEngine(m_name, m_color); }

private:
    QString m_name;
    QColor m_color;
};
} // namespace

QIcon icon(const QString &name, const QColor &color)
{
    return QIcon(new TintedSvgEngine(name, color));
}

} // namespace ecotone::ui
