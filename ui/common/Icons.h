#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace ecotone::ui {

// Line icons from resources/icons, drawn in the palette's text colour so they read in light and dark themes.
// The SVGs use "currentColor"; Qt SVG does not resolve it, so we substitute the colour before rendering.
QIcon icon(const QString &name, const QColor &color = {});

} // namespace ecotone::ui
