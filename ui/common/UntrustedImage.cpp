#include "common/UntrustedImage.h"
#include "marketplace/Listing.h"

#include <QBuffer>
#include <QImageReader>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>

namespace ecotone::ui::untrusted {

namespace {

QSize fit(QSize size, int maxSide)
{
    if (size.width() <= maxSide && size.height() <= maxSide)
        return size;
    return size.scaled(maxSide, maxSide, Qt::KeepAspectRatio);
}

QImage raster(const QByteArray &bytes, const char *format, int maxSide)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, format);
    reader.setAutoDetectImageFormat(false);
    reader.setDecideFormatFromContent(false);
    const QSize size = reader.size(); // from the header, before any pixel is decoded
    if (!size.isValid() || size.width() > kMaxPixels || size.height() > kMaxPixels)
        return {};
    reader.setScaledSize(fit(size, maxSide));
    return reader.read();
}

QImage vector(const QByteArray &bytes, int maxSide)
{
    // Anything that makes Qt's SVG renderer reach outside the document is refused outright.
    static const QRegularExpression external(
        QStringLiteral(R"((<image\b|<!DOCTYPE|<!ENTITY|href\s*=\s*["'](?!#)|url\(\s*["']?(?!#)))"),
        QRegularExpression::CaseInsensitiveOption);
    if (external.match(QString::fromUtf8(bytes)).hasMatch())
        return {};
    QSvgRenderer renderer(bytes);
    if (!renderer.isValid())
        return {};
    QSize size = renderer.defaultSize();
    if (!size.isValid() || size.isEmpty())
        size = QSize(maxSide, maxSide);
    QImage image(fit(size.expandedTo(QSize(1, 1)), maxSide).expandedTo(QSize(1, 1)),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    renderer.render(&painter);
    return image;
}

} // namespace

QImage decode(const QByteArray &bytes, int maxSide)
{
    switch (listing::logoFormat(bytes)) {
    case listing::LogoFormat::Png:
        return raster(bytes, "png", maxSide);
    case listing::LogoFormat::Jpeg:
        return raster(bytes, "jpeg", maxSide);
    case listing::LogoFormat::Svg:
        return vector(bytes, maxSide);
    case listing::LogoFormat::None:
        break;
    }
    return {};
}

} // namespace ecotone::ui::untrusted
