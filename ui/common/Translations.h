#pragma once

class QCoreApplication;

namespace ecotone::ui {

// Installs Qt's own and Ecotone's translations for the system locale, over the English plural forms ("1 room",
// "2 rooms"), which every locale falls back to. Used by the app and by GUI tests, so screenshots read as shipped.
void installTranslators(QCoreApplication &app);

} // namespace ecotone::ui
