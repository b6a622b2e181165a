#pragma once

#include "domain/Organization.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedLayout;
class QTreeWidget;

namespace ecotone::ui {

class EmptyState;

// The right-hand profile of the selected partner: identity, program facts, people and account count.
class PartnerDetailView : public QWidget
{
    Q_OBJECT

public:
    explicit PartnerDetailView(QWidget *parent = nullptr);

    void showPartner(const Organization &org, const QList<Person> &people, qint64 accounts);
    void showNothing();
    QString partnerId() const { return m_id; }
    void forget() { m_id.clear(); } // the next showPartner() is needed even for the same partner
    QPushButton *editButton() const { return m_edit; }
    QPushButton *deleteButton() const { return m_delete; }

private:
    QString m_id;
    QStackedLayout *m_stack;
    EmptyState *m_empty;
    QLabel *m_name;
    QLabel *m_chips;
    QLabel *m_facts;
    QLabel *m_website;
    QLabel *m_description;
    QLabel *m_regions;
    QLabel *m_industries;
    QLabel *m_capabilities;
    QLabel *m_accounts;
    QLabel *m_peopleTitle;
    QTreeWidget *m_people;
    QPushButton *m_edit;
    QPushButton *m_delete;
};

} // namespace ecotone::ui
