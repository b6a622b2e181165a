#pragma once

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace ecotone::ui {

// A centred message for a pane or list with nothing to show: icon, title, explanation, optional actions.
// Used for panes that later releases fill, and for "no matches" states. It never shows invented figures.
class EmptyState : public QWidget
{
    Q_OBJECT

public:
    EmptyState(const QString &iconName, const QString &title, const QString &text, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setText(const QString &text);
    void setPoints(const QStringList &points); // "what this will hold" bullets
    void setFootnote(const QString &text);
    QWidget *addAction(const QString &text, const QString &iconName = {}); // returns the button

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void refreshIcon();

    QString m_iconName;
    QWidget *m_column;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_text;
    QLabel *m_points;
    QLabel *m_footnote;
    QVBoxLayout *m_buttons;
};

} // namespace ecotone::ui
