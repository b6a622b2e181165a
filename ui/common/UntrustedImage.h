#pragma once

#include <QByteArray>
#include <QImage>

namespace ecotone::ui {

// Decodes an image that came from data (a synced listing logo): the format is taken from the magic bytes and only
// PNG, JPEG and SVG are accepted (no auto-detection across every image plugin); raster images larger than
// kMaxPixels on a side are refused before anything is allocated; an SVG with external references (images, links
// to anything but its own #ids, DTDs, entities) is refused, since Qt's renderer would open files for them. The
// result fits maxSide (keeping its aspect); a null image when the bytes are refused or do not decode.
namespace untrusted {

inline constexpr int kMaxPixels = 4096;

QImage decode(const QByteArray &bytes, int maxSide);

} // namespace untrusted

} // namespace ecotone::ui
