#pragma once

#include <QString>

class QApplication;

namespace ecotone::ui {

// Light and dark palettes on the Fusion style, or the platform's own palette ("system").
namespace theme {
QStringList names(); // system, light, dark
void apply(const QString &name);
bool isDark(); // from the palette in force, whatever chose it
QString current();
} // namespace theme

} // namespace ecotone::ui
