#pragma once

#include <QString>

class QApplication;
class QLabel;
class QWidget;

namespace ecotone::ui {

// Light and dark palettes on the Fusion style, or the platform's own palette ("system").
namespace theme {
QStringList names(); // system, light, dark
void apply(const QString &name);
bool isDark(); // from the palette in force, whatever chose it
QString current();
// A pane's heading: its name, one and a half times the body size, demi-bold.
QLabel *paneTitle(const QString &text, QWidget *parent);
} // namespace theme

} // namespace ecotone::ui
