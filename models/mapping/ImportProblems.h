#pragma once

#include <QString>
#include <QStringList>

namespace ecotone {

// The message every all-or-nothing import gives when it refuses a file: what was refused, that nothing
// changed, and the first 50 problems ("file:line: column: reason"), then how many more there are.
QString importRefusal(const QString &file, const QStringList &problems);

} // namespace ecotone
