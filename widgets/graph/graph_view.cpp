#include "graph/graph_view.h"

#include <QContextMenuEvent>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QSet>
#include <QWheelEvent>
#include <QtMath>
#include <algorithm>

#include "analysis/model_summary.h"
#include "graph/op_category.h"
#include "jobs/job_runner.h"

namespace lowbit::widgets {

namespace {

constexpr double kMinZoom = 0.02, kMaxZoom = 8.0;

QString shape_text(const ir::Graph& g, const std::string& value) {
    auto v = g.find_value_info(value);
    if (!v || !v->has_shape) return {};
    return QString::fromStdString(ir::format_dims(v->dims));
}

}  // namespace

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent), jobs_(new JobRunner(this)) {
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setBackgroundBrush(QColor(0xf2, 0xf3, 0xf5));
    setFrameShape(QFrame::NoFrame);
    status_ = new QLabel(viewport());
    status_->setAlignment(Qt::AlignCenter);
    status_->setStyleSheet(QStringLiteral("color: #606060; font-size: 13pt;"));
    status_->hide();
    connect(scene(), &QGraphicsScene::selectionChanged, this, [this] {
        if (!syncing_) emit selection_changed(selected_nodes());
    });
}

GraphView::~GraphView() {
    // deleting selected items makes the scene report a selection change: not ours to publish any more
    syncing_ = true;
    scene()->disconnect(this);
}

bool GraphView::layout_running() const {
    return jobs_->busy();
}

GraphView::Display GraphView::make_display(const ir::Graph& g, const GraphStyle& style) {
    Display d;
    d.nodes.reserve(static_cast<int>(g.node_count()));
    d.request.nodes.reserve(g.node_count());
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        NodeItem::Info info;
        info.id = id;
        info.op = QString::fromStdString(
            n.domain.empty() || n.domain == "ai.onnx" ? n.op_type : n.domain + "::" + n.op_type);
        info.name = n.name.empty() ? QStringLiteral("#%1").arg(id) : QString::fromStdString(n.name);
        info.shape = n.outputs.empty() ? QString() : shape_text(g, n.outputs[0]);
        if (n.outputs.size() > 1) info.shape += QStringLiteral(" …");
        info.header = category_color(op_category(QString::fromStdString(n.op_type)));
        QStringList tip{
            QStringLiteral("<b>%1</b> (%2)").arg(info.name.toHtmlEscaped(), info.op.toHtmlEscaped())};
        for (const auto& o : n.outputs)
            tip << QStringLiteral("%1 %2").arg(QString::fromStdString(o).toHtmlEscaped(), shape_text(g, o));
        info.tooltip = tip.join(QStringLiteral("<br>"));
        const QSizeF size = NodeItem::measure(info, style);
        d.request.nodes.push_back({id, size.width(), size.height()});
        d.nodes.push_back(std::move(info));
    }
    // one edge per (producer, consumer) pair, labelled with the first value's shape
    QSet<QPair<int, int>> seen;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        for (const auto& in : n.inputs) {
            if (in.empty()) continue;
            auto p = g.producer(in);
            if (!p || *p == id) continue;
            if (seen.contains({*p, id})) continue;
            seen.insert({*p, id});
            d.request.edges.push_back({*p, id});
            d.edge_labels.push_back(shape_text(g, in));
        }
    }
    return d;
}

void GraphView::set_model(std::shared_ptr<const ir::Model> model) {
    model_ = std::move(model);
    syncing_ = true;
    scene()->clear();
    syncing_ = false;
    nodes_.clear();
    edges_.clear();
    badges_.clear();
    fills_.clear();
    if (!model_) {
        status_->hide();
        // a job still running for an older model must not deliver: start a no-op job to supersede it
        jobs_->run<int>([](const CancelToken&) { return 0; }, [](int) {});
        return;
    }
    auto display = std::make_shared<Display>(make_display(model_->graph, style_));
    const int count = display->nodes.size();
    status_->setText(tr("Laying out %1 nodes…").arg(QLocale().toString(count)));
    status_->resize(viewport()->size());
    status_->show();
    emit layout_started(count);
    jobs_->run<LayoutResult>(
        [display](const CancelToken& cancel) { return layout_with_dot(display->request, &cancel); },
        [this, display](LayoutResult layout) {
            status_->hide();
            if (!layout.ok) {
                emit layout_failed(QString::fromStdString(layout.error));
                return;
            }
            build_scene(*display, layout);
        });
}

void GraphView::build_scene(const Display& d, const LayoutResult& layout) {
    last_layout_seconds_ = layout.seconds;
    syncing_ = true;
    QGraphicsScene* s = scene();
    s->clear();
    nodes_.clear();
    edges_.clear();
    s->setSceneRect(QRectF(-40, -40, layout.width + 80, layout.height + 80));
    for (int i = 0; i < d.nodes.size(); ++i) {
        const auto& ln = layout.nodes[static_cast<size_t>(i)];
        auto* item = new NodeItem(d.nodes[i], &style_);
        item->set_size(QSizeF(ln.width, ln.height));
        item->setPos(ln.centre.x, ln.centre.y);
        s->addItem(item);
        nodes_.insert(item->id(), item);
    }
    for (size_t i = 0; i < layout.edges.size(); ++i) {
        const auto& le = layout.edges[i];
        QPainterPath path;
        QPointF last;
        for (const auto& bz : le.beziers) {
            if (bz.empty()) continue;
            path.moveTo(bz[0].x, bz[0].y);
            for (size_t j = 1; j + 2 < bz.size(); j += 3)
                path.cubicTo(bz[j].x, bz[j].y, bz[j + 1].x, bz[j + 1].y, bz[j + 2].x, bz[j + 2].y);
            last = QPointF(bz.back().x, bz.back().y);
        }
        if (path.isEmpty()) continue;
        std::optional<QLineF> arrow;
        if (le.has_arrow) arrow = QLineF(last, QPointF(le.arrow_tip.x, le.arrow_tip.y));
        auto* edge = new EdgeItem(path, arrow, d.edge_labels.value(static_cast<int>(i)), &style_);
        edge->set_label_visible(edge_labels_);
        s->addItem(edge);
        edges_.append(edge);
    }
    for (auto it = badges_.cbegin(); it != badges_.cend(); ++it)
        if (auto* n = nodes_.value(it.key())) n->set_badge(it.value().first, it.value().second);
    for (auto it = fills_.cbegin(); it != fills_.cend(); ++it)
        if (auto* n = nodes_.value(it.key())) n->set_fill(it.value());
    syncing_ = false;
    // start at a readable zoom: fit, but no smaller than what shows text, at the top of the graph
    zoom_fit();
    if (zoom() < 0.6) {
        resetTransform();
        scale(0.8, 0.8);
        centerOn(layout.width / 2, 0);
        emit zoom_changed(zoom());
    }
    emit layout_finished(static_cast<int>(nodes_.size()), layout.seconds);
}

QVector<ir::NodeId> GraphView::selected_nodes() const {
    QVector<ir::NodeId> ids;
    for (QGraphicsItem* item : scene()->selectedItems())
        if (item->type() == NodeItem::Type) ids << static_cast<NodeItem*>(item)->id();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void GraphView::set_selected_nodes(const QVector<ir::NodeId>& ids) {
    syncing_ = true;
    scene()->clearSelection();
    for (ir::NodeId id : ids)
        if (auto* n = nodes_.value(id)) n->setSelected(true);
    syncing_ = false;
    if (ids.size() == 1)
        if (auto* n = nodes_.value(ids.first()))
            if (!mapToScene(viewport()->rect()).boundingRect().contains(n->sceneBoundingRect())) centerOn(n);
}

// ---- zoom and pan ----

double GraphView::zoom() const {
    return transform().m11();
}

void GraphView::scale_by(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    factor = target / zoom();
    scale(factor, factor);
    emit zoom_changed(zoom());
    emit view_changed();
}

void GraphView::zoom_in() {
    scale_by(1.25);
}
void GraphView::zoom_out() {
    scale_by(0.8);
}

void GraphView::zoom_fit() {
    if (scene()->items().isEmpty()) return;
    fitInView(scene()->itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt::KeepAspectRatio);
    if (zoom() > 1.0) {
        resetTransform();
        centerOn(scene()->itemsBoundingRect().center());
    }
    emit zoom_changed(zoom());
    emit view_changed();
}

void GraphView::zoom_reset() {
    const QPointF centre = mapToScene(viewport()->rect().center());
    resetTransform();
    centerOn(centre);
    emit zoom_changed(zoom());
    emit view_changed();
}

void GraphView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return QGraphicsView::wheelEvent(event);
    scale_by(std::pow(1.2, steps));  // AnchorUnderMouse keeps the point under the cursor
    event->accept();
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    status_->resize(viewport()->size());
    emit view_changed();
}

void GraphView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    emit view_changed();
}

void GraphView::contextMenuEvent(QContextMenuEvent* event) {
    QGraphicsItem* item = itemAt(event->pos());
    while (item && item->type() != NodeItem::Type)
        item = item->parentItem();
    if (!item) return QGraphicsView::contextMenuEvent(event);
    if (!item->isSelected()) {  // right-click on an unselected node selects it alone
        scene()->clearSelection();
        item->setSelected(true);
    }
    emit node_context_menu(selected_nodes(), event->globalPos());
    event->accept();
}

void GraphView::centre_on_node(ir::NodeId id) {
    if (auto* n = nodes_.value(id)) {
        if (zoom() < 0.6) {
            const double f = 0.8 / zoom();
            scale(f, f);
            emit zoom_changed(zoom());
        }
        centerOn(n);
        emit view_changed();
    }
}

std::optional<ir::NodeId> GraphView::find_next(const QString& text) {
    const QString needle = text.trimmed();
    if (needle.isEmpty() || !model_) return std::nullopt;
    const auto& order = model_->graph.order();
    const QVector<ir::NodeId> sel = selected_nodes();
    size_t start = 0;
    if (!sel.isEmpty()) {
        auto it = std::find(order.begin(), order.end(), sel.first());
        if (it != order.end()) start = static_cast<size_t>(it - order.begin()) + 1;
    }
    for (size_t k = 0; k < order.size(); ++k) {
        const ir::NodeId id = order[(start + k) % order.size()];
        NodeItem* n = nodes_.value(id);
        if (!n) continue;
        if (n->info().name.contains(needle, Qt::CaseInsensitive) ||
            n->info().op.compare(needle, Qt::CaseInsensitive) == 0) {
            scene()->clearSelection();  // emits selection_changed through the scene
            n->setSelected(true);
            centre_on_node(id);
            return id;
        }
    }
    return std::nullopt;
}

void GraphView::set_edge_labels_visible(bool visible) {
    edge_labels_ = visible;
    for (EdgeItem* e : edges_)
        e->set_label_visible(visible);
}

// ---- overlays ----

void GraphView::set_node_badge(ir::NodeId id, const QString& text, const QColor& color) {
    badges_.insert(id, {text, color});
    if (auto* n = nodes_.value(id)) n->set_badge(text, color);
}

void GraphView::clear_node_badges() {
    badges_.clear();
    for (NodeItem* n : std::as_const(nodes_))
        n->set_badge({}, {});
}

void GraphView::set_node_fill(ir::NodeId id, const QColor& color) {
    fills_.insert(id, color);
    if (auto* n = nodes_.value(id)) n->set_fill(color);
}

void GraphView::clear_node_fills() {
    fills_.clear();
    for (NodeItem* n : std::as_const(nodes_))
        n->set_fill(std::nullopt);
}

}  // namespace lowbit::widgets
