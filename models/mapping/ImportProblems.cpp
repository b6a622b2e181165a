#include "ImportProblems.h"

#include <QCoreApplication>

namespace ecotone {

QString importRefusal(const QString &file, const QStringList &problems)
{
    constexpr qsizetype kShown = 50;
    QString msg = QCoreApplication::translate("ecotone::Import",
                                              "%1 was not imported; nothing was changed. "
                                              "%n problem(s):",
                                              nullptr, int(problems.size()))
                      .arg(file);
    msg += QLatin1Char('\n') + problems.mid(0, kShown).join(QLatin1Char('\n'));
    if (problems.size() > kShown)
        msg += QLatin1Char('\n') +
               QCoreApplication::translate("ecotone::Import", "… and %1 more.").arg(problems.size() - kShown);
    return msg;
}

} // namespace ecotone
