#pragma once

#include "insights/PartnerNetwork.h"

#include <QGraphicsView>
#include <QPointF>

#include <vector>

namespace ecotone::ui {

// Positions for the partner network from a force-directed layout (Fruchterman–Reingold): deterministic (nodes
// start on a circle, no randomness), O(n² · iterations), so it runs on a worker thread. Isolated nodes are put
// on an outer ring so they do not drift away.
std::vector<QPointF> forceLayout(const insights::Graph &graph, int iterations = 300);

// The partner network drawn from a layout: node area follows the weighted degree, colour the betweenness, edge
// opacity the link weight; the most central partners are labelled. The wheel zooms (under the mouse), a drag
// pans, a click on a node emits partnerClicked.
class NetworkView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit NetworkView(QWidget *parent = nullptr);
    void setNetwork(const insights::PartnerNetwork &network, const insights::NetworkMeasures &measures,
                    const std::vector<QPointF> &positions);
    void clearNetwork();
    int nodeCount() const { return int(m_ids.size()); }
    int linksDrawn() const { return m_linksDrawn; }
    int linksTotal() const { return m_linksTotal; }
    // The node's centre in viewport coordinates (tests click it); an invalid point when not found.
    QPoint nodeViewportPos(const QString &partnerId) const;
    void highlight(const QString &partnerId);
    void fitAll();
    double zoom() const;

Q_SIGNALS:
    void partnerClicked(const QString &partnerId);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void restyle();

    void build();

    // Kept to draw the graph again in the colours of a new palette.
    insights::PartnerNetwork m_network;
    insights::NetworkMeasures m_measures;
    std::vector<QPointF> m_positions;
    QStringList m_ids;
    QList<QGraphicsItem *> m_nodes;
    QString m_highlighted;
    QPoint m_pressPos;
    QString m_pressedId;
    bool m_userZoomed = false;
    int m_linksDrawn = 0;
    int m_linksTotal = 0;
};

} // namespace ecotone::ui
