#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace ecotone::ui {

void installTranslators(QCoreApplication &app)
{
    // Installed first, searched last: any locale without its own plural forms falls back to English ones.
    auto *plurals = new QTranslator(&app);
    if (plurals->load(QStringLiteral(":/i18n/ecotone_en.qm")))
        QCoreApplication::installTranslator(plurals);
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("ecotone"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

} // namespace ecotone::ui
