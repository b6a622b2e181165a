#pragma once

#include <QString>

class QLabel;

namespace ecotone::ui {

// Links that come from data (a partner's website, a listing's description) may be hostile: only http and https
// with a host become clickable; anything else (file:, javascript:, a custom scheme) is shown as text.
namespace links {

bool isWebLink(const QString &url);
// Rich text for a label: a link to url showing text when url is a web link, else text alone; both escaped.
QString html(const QString &url, const QString &text);
// Lets the label's links open in the browser, but only web links, checked again when clicked.
void openWebLinksOnly(QLabel *label);

} // namespace links

} // namespace ecotone::ui
