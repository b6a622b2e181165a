#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolButton;
class QUndoStack;

namespace ecotone {
class PartnerTableModel;
class Workspace;
} // namespace ecotone

namespace ecotone::ui {

class EmptyState;
class PartnerDetailView;

// The Partners pane: search-as-you-type, filters, a lazily loaded sortable table and the selected partner's
// profile. Create, edit and delete go through the shared undo stack.
class PartnersPane : public QWidget
{
    Q_OBJECT

public:
    PartnersPane(Workspace *workspace, QUndoStack *undoStack, QWidget *parent = nullptr);
    ~PartnersPane() override;

    PartnerTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }
    QSplitter *splitter() const { return m_splitter; }
    PartnerDetailView *detail() const { return m_detail; }
    QString selectedId() const;
    void selectPartner(const QString &id);

public Q_SLOTS:
    void newPartner();
    void editSelected();
    void deleteSelected();
    void focusSearch();
    void reload(); // after changes made outside the pane (imports)

Q_SIGNALS:
    void dataChanged(); // counts in the status bar may have moved
    void selectionChanged(bool hasSelection);

private:
    void applyFilter();
    void clearFilters();
    void updateDetail();
    void updateCount();
    void afterChange(const QString &focusId);
    void showError(const QString &message);

    Workspace *m_workspace;
    QUndoStack *m_undo;
    PartnerTableModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_type;
    QComboBox *m_tier;
    QComboBox *m_region;
    QToolButton *m_clear;
    QLabel *m_count;
    QStackedWidget *m_tableStack;
    QTableView *m_table;
    EmptyState *m_noMatches;
    QSplitter *m_splitter;
    PartnerDetailView *m_detail;
};

} // namespace ecotone::ui
