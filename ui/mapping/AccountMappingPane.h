#pragma once

#include "mapping/WorkspaceOverlap.h"

#include <QPointer>
#include <QThread>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {
class EmptyState;
}

namespace ecotone::ui::mapping {

class DrillDownModel;
class OverlapMatrixModel;

// The Account Mapping pane: pick a partner, see the overlap matrix of our populations and theirs as a heat map,
// drill down into a cell or into greenfield as far as that partner's sharing terms allow, export what is shown.
//
// The overlap is computed on a worker thread with a connection of its own (OverlapSource keeps the vendor side
// loaded between partners); a newer request cancels the older, whose answer is dropped. The terms are read again
// whenever shared data is shown and every few seconds, so a revoke or an expiry empties the views at once. Every
// drill-down shown and every export is written to the consent ledger.
class AccountMappingPane : public QWidget
{
    Q_OBJECT

public:
    AccountMappingPane(Workspace *workspace, QWidget *parent = nullptr);
    ~AccountMappingPane() override;

    void reloadPartners();
    // After accounts changed elsewhere (an import): drops the cached vendor side and computes the overlap again.
    void accountsChanged();
    bool selectPartner(const QString &id);
    QString currentPartnerId() const;
    bool isBusy() const { return m_busyCount > 0; }
    void showCell(int row, int column);
    void showGreenfield();
    Status exportTo(const QString &path); // what the drill-down shows, as allowed now
    void refreshTerms();                  // re-reads the agreements (after a change made elsewhere)

    QComboBox *partnerBox() const { return m_partnerBox; }
    QTableView *matrixView() const { return m_matrixView; }
    QTableView *drillView() const { return m_drillView; }
    OverlapMatrixModel *matrixModel() const { return m_matrix; }
    DrillDownModel *drillModel() const { return m_drill; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *drillTitle() const { return m_drillTitle; }
    QPushButton *greenfieldButton() const { return m_greenfieldButton; }
    QPushButton *exportButton() const { return m_exportButton; }
    QPushButton *sharingButton() const { return m_sharingButton; }

Q_SIGNALS:
    void partnersLoaded();
    void overlapShown();   // the matrix shows the current partner
    void drillDownShown(); // the drill-down area was updated
    void agreementsChanged();

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void restyleBanner();
    void partnerChosen();
    void compute();
    void showPartners(quint64 generation, const Result<QList<overlap::PartnerEntry>> &partners);
    void showOverlap(quint64 generation, std::shared_ptr<const overlap::Overlap> result, const QString &error);
    QList<overlap::Terms> currentTerms();
    void updateSummary();
    void updateBanner();
    void clearDrillDown(const QString &title, const QString &explanation);
    void setBusy(bool busy);
    void openSharing();
    void rebuildPopulationMenu();
    void editPopulation(const QString &id);
    void deletePopulation(const QString &id);
    void exportInteractively();
    QString partnerName() const;
    template <typename Work> void runInBackground(Work &&work);

    Workspace *m_workspace;
    std::shared_ptr<overlap::OverlapSource> m_source;
    std::unique_ptr<overlap::GovernedOverlap> m_governed;
    std::shared_ptr<const overlap::Overlap> m_overlap;
    QList<overlap::PartnerEntry> m_partners;
    QList<overlap::Population> m_populations;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_generation = 0;
    quint64 m_partnerGeneration = 0;
    int m_busyCount = 0;
    bool m_loadedOnce = false;
    QList<QPointer<QThread>> m_workers;
    int m_drillRow = -1;
    int m_drillColumn = -1;
    bool m_drillGreenfield = false;

    QStackedWidget *m_stack;
    EmptyState *m_noPartners;
    EmptyState *m_noAccounts;
    QWidget *m_content;
    QComboBox *m_partnerBox;
    QProgressBar *m_busy;
    QLabel *m_busyLabel;
    QToolButton *m_populationsButton;
    QPushButton *m_sharingButton;
    QLabel *m_banner;
    QLabel *m_summary;
    QLabel *m_axes;
    QTableView *m_matrixView;
    OverlapMatrixModel *m_matrix;
    QLabel *m_drillTitle;
    QLabel *m_drillNote;
    QPushButton *m_greenfieldButton;
    QPushButton *m_exportButton;
    QTableView *m_drillView;
    DrillDownModel *m_drill;
    QSortFilterProxyModel *m_drillProxy;
    QTimer *m_termsTimer;
};

} // namespace ecotone::ui::mapping
