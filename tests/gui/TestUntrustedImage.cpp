// Synced listing logos may be hostile: only PNG, JPEG and SVG by their magic bytes, no giant rasters, no SVG that
// reaches outside itself.
#include "common/UntrustedImage.h"
#include "marketplace/Listing.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QTest>

using namespace ecotone::ui;

namespace {

QByteArray encoded(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

QImage sample(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    return image;
}

} // namespace

class TestUntrustedImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pngJpegAndPlainSvgDecode();
    void otherFormatsAreRefused();
    void giantRasterIsRefusedBeforeDecoding();
    void svgReachingOutsideIsRefused();
};

void TestUntrustedImage::pngJpegAndPlainSvgDecode()
{
    const QImage png = untrusted::decode(encoded(sample(200, 100), "PNG"), 96);
    QCOMPARE(png.size(), QSize(96, 48));
    QVERIFY(!untrusted::decode(encoded(sample(40, 40), "JPEG"), 96).isNull());
    const QByteArray svg = R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32">
        <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
        <rect width="64" height="32" fill="url(#g)"/><use href="#g"/></svg>)svg";
    QCOMPARE(untrusted::decode(svg, 96).size(), QSize(64, 32));
}

void TestUntrustedImage::otherFormatsAreRefused()
{
    // Qt would decode these with format auto-detection; a logo is PNG, JPEG or SVG only.
    for (const char *format : {"BMP", "PPM", "XPM"}) {
        const QByteArray bytes = encoded(sample(10, 10), format);
        QVERIFY2(!bytes.isEmpty(), format);
        QVERIFY2(untrusted::decode(bytes, 96).isNull(), format);
        QVERIFY(ecotone::listing::logoFormat(bytes) == ecotone::listing::LogoFormat::None);
    }
    // PNG bytes that claim to be something else are not guessed at either.
    QVERIFY(untrusted::decode(QByteArray("GIF89a") + encoded(sample(4, 4), "PNG"), 96).isNull());
}

void TestUntrustedImage::giantRasterIsRefusedBeforeDecoding()
{
    // A PNG header announcing 100,000 x 100,000 pixels (40 GB decoded) with hardly any data.
    QByteArray png = encoded(sample(1, 1), "PNG");
    const auto put32 = [&](int at, quint32 v) {
        for (int i = 0; i < 4; ++i)
            png[at + i] = char((v >> (24 - 8 * i)) & 0xff);
    };
    put32(16, 100000); // IHDR width
    put32(20, 100000); // IHDR height
    QElapsedTimer timer;
    timer.start();
    QVERIFY(untrusted::decode(png, 96).isNull());
    QVERIFY(timer.elapsed() < 2000);
}

void TestUntrustedImage::svgReachingOutsideIsRefused()
{
    const QList<QByteArray> hostile{
        R"svg(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">)svg"
        R"svg(<image xlink:href="file:///dev/zero" width="10" height="10"/></svg>)svg",
        R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><use href="file:///etc/passwd#x"/></svg>)svg",
        R"svg(<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>)svg",
        R"svg(<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(file:///tmp/fifo#p)" width="5" height="5"/></svg>)svg",
    };
    for (const QByteArray &svg : hostile)
        QVERIFY2(untrusted::decode(svg, 96).isNull(), svg.constData());
}

QTEST_MAIN(TestUntrustedImage)
#include "TestUntrustedImage.moc"
