#include "insights/NetworkView.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ecotone::ui {

namespace {
constexpr int kIdKey = 0;
constexpr double kArea = 1000.0; // layout square side
constexpr int kLabelled = 10;    // most central partners get a label
constexpr int kMaxEdges = 4000;

// A partner's name on a translucent plate, so it stays readable over links and nodes.
class LabelItem : public QGraphicsSimpleTextItem
{
public:
    LabelItem(const QString &text, const QColor &plate)
        : QGraphicsSimpleTextItem(text)
        , m_plate(plate)
    {
        m_plate.setAlphaF(0.8f);
    }
    QRectF boundingRect() const override { return QGraphicsSimpleTextItem::boundingRect().adjusted(-3, -1, 3, 1); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override
    {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_plate);
        painter->drawRoundedRect(boundingRect(), 3, 3);
        QGraphicsSimpleTextItem::paint(painter, option, widget);
    }

private:
    QColor m_plate;
};

// Every link of the network in one item, drawn in five opacity steps.
class EdgesItem : public QGraphicsItem
{
public:
    explicit EdgesItem(const QColor &color)
        : m_color(color)
    {}
    void add(const QLineF &line, double strength) // strength 0..1
    {
        const int step = std::clamp(int(strength * 5), 0, 4);
        m_lines[step].push_back(line);
        m_bounds = m_bounds.united(QRectF(line.p1(), line.p2()).normalized());
    }
    QRectF boundingRect() const override { return m_bounds.adjusted(-1, -1, 1, 1); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        for (int step = 0; step < 5; ++step) {
            QColor c = m_color;
            c.setAlphaF(float(0.06 + 0.1 * step));
            painter->setPen(QPen(c, 0)); // cosmetic: one pixel at any zoom
            painter->drawLines(m_lines[step].data(), int(m_lines[step].size()));
        }
    }

private:
    QColor m_color;
    std::vector<QLineF> m_lines[5];
    QRectF m_bounds;
};

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}
} // namespace

std::vector<QPointF> forceLayout(const insights::Graph &graph, int iterations)
{
    const int n = graph.nodeCount();
    const auto count = static_cast<size_t>(n);
    std::vector<QPointF> pos(count);
    if (n == 0)
        return pos;
    std::vector<bool> isolated(count);
    int connected = 0;
    for (int v = 0; v < n; ++v) {
        isolated[size_t(v)] = graph.offset(v + 1) == graph.offset(v);
        connected += isolated[size_t(v)] ? 0 : 1;
    }
    // Start on a circle (golden-angle spiral), so the result never depends on chance.
    for (int v = 0, i = 0; v < n; ++v) {
        if (isolated[size_t(v)])
            continue;
        const double r = kArea / 2 * std::sqrt((i + 0.5) / std::max(1, connected));
        const double a = i * std::numbers::pi * (3 - std::sqrt(5.0));
        pos[size_t(v)] = {r * std::cos(a), r * std::sin(a)};
        ++i;
    }
    const double k = std::sqrt(kArea * kArea / std::max(1, connected)); // ideal edge length
    std::vector<QPointF> disp(count);
    // Heavier links pull a little harder (log, so one busy pair does not collapse); computed once.
    struct Spring
    {
        int a;
        int b;
        double pull;
    };
    std::vector<Spring> springs;
    for (int v = 0; v < n; ++v)
        for (qint64 e = graph.offset(v); e < graph.offset(v + 1); ++e)
            if (graph.neighbor(e) > v)
                springs.push_back({v, graph.neighbor(e), 1 + std::log(std::max(1.0, graph.weight(e))) / 4});
    double temperature = kArea / 10;
    for (int it = 0; it < iterations && connected > 1; ++it) {
        std::fill(disp.begin(), disp.end(), QPointF());
        for (int v = 0; v < n; ++v) {
            if (isolated[size_t(v)])
                continue;
            for (int u = v + 1; u < n; ++u) {
                if (isolated[size_t(u)])
                    continue;
                QPointF d = pos[size_t(v)] - pos[size_t(u)];
                double dist = std::hypot(d.x(), d.y());
                if (dist < 0.01) {
                    d = QPointF(0.01 * ((v + u) % 2 ? 1 : -1), 0.01);
                    dist = 0.0142;
                }
                const QPointF f = d / dist * (k * k / dist);
                disp[size_t(v)] += f;
                disp[size_t(u)] -= f;
            }
        }
        for (const Spring &spring : springs) {
            const QPointF d = pos[size_t(spring.a)] - pos[size_t(spring.b)];
            const double dist = std::max(0.01, std::hypot(d.x(), d.y()));
            const QPointF f = d / dist * (dist * dist / k) * spring.pull;
            disp[size_t(spring.a)] -= f;
            disp[size_t(spring.b)] += f;
        }
        for (int v = 0; v < n; ++v) {
            if (isolated[size_t(v)])
                continue;
            const double len = std::hypot(disp[size_t(v)].x(), disp[size_t(v)].y());
            if (len > 0)
                pos[size_t(v)] += disp[size_t(v)] / len * std::min(len, temperature);
            // Gravity towards the centre keeps separate components on screen.
            pos[size_t(v)] *= 0.995;
        }
        temperature = std::max(1.0, temperature * 0.97);
    }
    // Isolated partners on a ring outside the rest.
    double radius = 0;
    for (int v = 0; v < n; ++v)
        if (!isolated[size_t(v)])
            radius = std::max(radius, std::hypot(pos[size_t(v)].x(), pos[size_t(v)].y()));
    radius = std::max(radius, kArea / 4) + k;
    const int lonely = n - connected;
    for (int v = 0, i = 0; v < n; ++v) {
        if (!isolated[size_t(v)])
            continue;
        const double a = 2 * std::numbers::pi * i++ / std::max(1, lonely);
        pos[size_t(v)] = {radius * std::cos(a), radius * std::sin(a)};
    }
    return pos;
}

NetworkView::NetworkView(QWidget *parent)
    : QGraphicsView(parent)
{
    setObjectName(QStringLiteral("networkView"));
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Partner network"));
    setToolTip(tr("Wheel to zoom, drag to move, click a partner to open it"));
}

void NetworkView::clearNetwork()
{
    scene()->clear();
    m_ids.clear();
    m_nodes.clear();
    m_highlighted.clear();
    m_network = {};
    m_measures = {};
    m_positions.clear();
}

void NetworkView::setNetwork(const insights::PartnerNetwork &network, const insights::NetworkMeasures &measures,
                             const std::vector<QPointF> &positions)
{
    m_network = network;
    m_measures = measures;
    m_positions = positions;
    m_userZoomed = false;
    build();
    fitAll();
    build(); // again at the fitted scale, so the screen-sized labels clear their nodes
}

void NetworkView::build()
{
    const insights::PartnerNetwork &network = m_network;
    const insights::NetworkMeasures &measures = m_measures;
    const std::vector<QPointF> &positions = m_positions;
    scene()->clear();
    m_ids.clear();
    m_nodes.clear();
    const insights::Graph &g = network.graph;
    const int n = g.nodeCount();
    if (n == 0 || positions.size() != size_t(n))
        return;
    double maxWeight = 1, maxDegree = 1, maxBetween = 0;
    for (int v = 0; v < n; ++v) {
        maxDegree = std::max(maxDegree, measures.weightedDegree.at(size_t(v)));
        maxBetween = std::max(maxBetween, measures.betweenness.at(size_t(v)));
        for (qint64 e = g.offset(v); e < g.offset(v + 1); ++e)
            maxWeight = std::max(maxWeight, g.weight(e));
    }
    // One item draws every link (tens of thousands of line items would take seconds to add and to paint), in a few
    // opacity steps by weight; on a dense program only the strongest links are drawn.
    std::vector<std::pair<double, QLineF>> edges;
    for (int v = 0; v < n; ++v)
        for (qint64 e = g.offset(v); e < g.offset(v + 1); ++e)
            if (g.neighbor(e) > v)
                edges.emplace_back(g.weight(e), QLineF(positions[size_t(v)], positions[size_t(g.neighbor(e))]));
    std::stable_sort(edges.begin(), edges.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    m_linksDrawn = int(std::min<size_t>(edges.size(), size_t(kMaxEdges)));
    m_linksTotal = int(edges.size());
    auto *links = new EdgesItem(palette().color(QPalette::Text));
    for (int i = 0; i < m_linksDrawn; ++i)
        links->add(edges[size_t(i)].second, std::sqrt(edges[size_t(i)].first / maxWeight));
    links->setZValue(0);
    scene()->addItem(links);
    const QColor cold = palette().color(QPalette::Highlight).lighter(150);
    const QColor hot(0xE0, 0x5A, 0x2B);
    QList<int> order(n);
    for (int v = 0; v < n; ++v)
        order[v] = v;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return measures.betweenness.at(size_t(a)) > measures.betweenness.at(size_t(b));
    });
    // Labels do not scale with the view: their offset from the node is in pixels at the current zoom.
    const double zoomHint = zoom();
    QSet<int> labelled(order.cbegin(), order.cbegin() + std::min<qsizetype>(kLabelled, order.size()));
    for (int v = 0; v < n; ++v) {
        const double r = 5 + 17 * std::sqrt(measures.weightedDegree.at(size_t(v)) / maxDegree);
        const double t = maxBetween > 0 ? std::sqrt(measures.betweenness.at(size_t(v)) / maxBetween) : 0;
        auto *node = scene()->addEllipse(QRectF(-r, -r, 2 * r, 2 * r), QPen(palette().color(QPalette::Base), 1.5),
                                         mix(cold, hot, t));
        node->setPos(positions[size_t(v)]);
        node->setZValue(2);
        node->setData(kIdKey, network.ids.at(v));
        node->setToolTip(tr("%1\nDegree %2 · betweenness %3")
                             .arg(network.names.value(v))
                             .arg(measures.degree.at(size_t(v)))
                             .arg(QLocale().toString(measures.betweenness.at(size_t(v)), 'f', 4)));
        node->setCursor(Qt::PointingHandCursor);
        m_nodes << node;
        m_ids << network.ids.at(v);
        if (labelled.contains(v) && measures.degree.at(size_t(v)) > 0) {
            auto *label = new LabelItem(network.names.value(v), palette().color(QPalette::Base));
            scene()->addItem(label);
            // Screen-sized whatever the zoom, beside the node.
            label->setFlag(QGraphicsItem::ItemIgnoresTransformations);
            label->setFont(font());
            label->setBrush(palette().color(QPalette::Text));
            label->setPos(positions[size_t(v)]);
            label->setTransform(QTransform::fromTranslate(r * zoomHint + 4, -label->boundingRect().height() / 2));
            label->setZValue(3);
            label->setAcceptedMouseButtons(Qt::NoButton);
        }
    }
    scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-40, -40, 40, 40));
    if (!m_highlighted.isEmpty())
        highlight(m_highlighted);
}

void NetworkView::fitAll()
{
    if (!scene()->items().isEmpty())
        fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
}

double NetworkView::zoom() const
{
    return transform().m11();
}

QPoint NetworkView::nodeViewportPos(const QString &partnerId) const
{
    const int i = int(m_ids.indexOf(partnerId));
    return i < 0 ? QPoint(-1, -1) : mapFromScene(m_nodes.at(i)->pos());
}

void NetworkView::highlight(const QString &partnerId)
{
    m_highlighted = partnerId;
    for (int i = 0; i < m_nodes.size(); ++i) {
        auto *node = static_cast<QGraphicsEllipseItem *>(m_nodes.at(i));
        const bool on = m_ids.at(i) == partnerId;
        node->setPen(on ? QPen(palette().color(QPalette::Text), 3) : QPen(palette().color(QPalette::Base), 1.5));
        node->setZValue(on ? 4 : 2);
        if (on)
            ensureVisible(node);
    }
}

void NetworkView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const double factor = std::pow(1.2, steps);
    const double next = zoom() * factor;
    if (next < 0.02 || next > 40)
        return;
    m_userZoomed = true;
    scale(factor, factor);
    event->accept();
}

void NetworkView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressedId.clear();
    if (event->button() == Qt::LeftButton)
        for (QGraphicsItem *item : items(m_pressPos))
            if (item->data(kIdKey).isValid()) {
                m_pressedId = item->data(kIdKey).toString();
                break;
            }
    QGraphicsView::mousePressEvent(event);
}

void NetworkView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    // A click, not the end of a drag.
    if (!m_pressedId.isEmpty() && (event->position().toPoint() - m_pressPos).manhattanLength() < 5) {
        const QString id = m_pressedId;
        m_pressedId.clear();
        highlight(id);
        Q_EMIT partnerClicked(id);
    }
}

void NetworkView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (!m_userZoomed)
        fitAll();
}

void NetworkView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

void NetworkView::restyle()
{
    setBackgroundBrush(palette().color(QPalette::Base));
    // Links, plates and outlines take their colours from the palette when drawn: build them again, same view.
    if (!m_ids.isEmpty()) {
        const QTransform t = transform();
        const QPointF centre = mapToScene(viewport()->rect().center());
        build();
        setTransform(t);
        centerOn(centre);
    }
}

} // namespace ecotone::ui
