#pragma once

#include "mapping/WorkspaceOverlap.h"

#include <QAbstractTableModel>

#include <memory>

namespace ecotone::ui::mapping {

// The overlap matrix as a table: rows are our populations, columns the partner's. A cell shows the number of matched
// company pairs when the partner's terms for that column show counts; otherwise it is locked and shows no number.
class OverlapMatrixModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role
    {
        LinksRole = Qt::UserRole + 1, // qint64; -1 when locked
        IntensityRole,                // 0..1: links relative to the largest visible cell
        LockedRole,                   // bool
        LevelRole,                    // int(SharingLevel) in force for the column
    };

    explicit OverlapMatrixModel(QObject *parent = nullptr);

    // terms: one per population (column), evaluated by the caller at the moment of showing.
    void setOverlap(std::shared_ptr<const overlap::Overlap> overlap, const QList<overlap::Terms> &terms);
    void setTerms(const QList<overlap::Terms> &terms); // same overlap, new terms (revoke, expiry, new agreement)
    void clear();
    const overlap::Overlap *overlap() const { return m_overlap.get(); }
    const overlap::Terms &termsFor(int column) const { return m_terms.at(column); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 visibleMax() const;

    std::shared_ptr<const overlap::Overlap> m_overlap;
    QList<overlap::Terms> m_terms;
};

// The rows of one drill-down as allowed: for a cell, our account, the partner's agreed fields, rule and score; for
// greenfield, the partner's agreed fields only. Sorted through a proxy (SortRole holds raw values).
class DrillDownModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit DrillDownModel(QObject *parent = nullptr);

    void setDrillDown(std::shared_ptr<const overlap::Overlap> overlap, const overlap::DrillDown &drill);
    void clear();
    bool isEmpty() const { return m_drill.theirs.isEmpty(); }
    const overlap::DrillDown &drillDown() const { return m_drill; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString fieldTitle(const QString &field); // translated column title of a shareable field

private:
    int ourColumns() const;
    QStringList theirFields() const;

    std::shared_ptr<const overlap::Overlap> m_overlap;
    overlap::DrillDown m_drill;
};

} // namespace ecotone::ui::mapping
