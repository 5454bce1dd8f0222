// GraphView: the model's graph on a QGraphicsScene. set_model() measures every node's box on the GUI
// thread, lays the graph out with Graphviz dot on a worker (JobRunner: a newer model drops a stale
// layout), then builds one NodeItem per graph node and one EdgeItem per producer->consumer link, drawn as
// the splines dot computed. Wheel zooms under the mouse, dragging pans, Find centres a node. Selection is
// reported as node ids; precision badges and heatmap fills are set by id and survive a re-layout.
#pragma once

#include <QColor>
#include <QGraphicsView>
#include <QHash>
#include <QVector>
#include <memory>
#include <optional>

#include "graph/graph_items.h"
#include "graph/graph_layout.h"
#include "ir/model.h"

class QLabel;

namespace lowbit::widgets {

class JobRunner;

class GraphView : public QGraphicsView {
    Q_OBJECT
  public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    // Shows `model` (laid out in the background); nullptr clears the view.
    void set_model(std::shared_ptr<const ir::Model> model);
    bool layout_running() const;
    int node_item_count() const { return static_cast<int>(nodes_.size()); }
    int edge_item_count() const { return static_cast<int>(edges_.size()); }
    NodeItem* node_item(ir::NodeId id) const { return nodes_.value(id, nullptr); }
    double last_layout_seconds() const { return last_layout_seconds_; }

    // ---- selection ----
    QVector<ir::NodeId> selected_nodes() const;
    void set_selected_nodes(const QVector<ir::NodeId>& nodes);  // does not emit selection_changed

    // ---- view ----
    void zoom_in();
    void zoom_out();
    void zoom_fit();
    void zoom_reset();  // 1:1
    double zoom() const;
    void centre_on_node(ir::NodeId id);
    // The next node after the current selection whose name contains `text` or whose op type equals it
    // (case-insensitive); it becomes the selection and is centred. nullopt if nothing matches.
    std::optional<ir::NodeId> find_next(const QString& text);
    void set_edge_labels_visible(bool visible);
    bool edge_labels_visible() const { return edge_labels_; }

    // ---- overlays: precision badges, heatmap fills ----
    void set_node_badge(ir::NodeId id, const QString& text, const QColor& color);
    void clear_node_badges();
    void set_node_fill(ir::NodeId id, const QColor& color);
    void clear_node_fills();
    std::optional<QColor> node_fill(ir::NodeId id) const {
        return fills_.contains(id) ? std::optional<QColor>(fills_.value(id)) : std::nullopt;
    }

    // Builds the layout request and item infos for a graph (public for the layout benchmark).
    struct Display {
        QVector<NodeItem::Info> nodes;
        LayoutRequest request;
        QVector<QString> edge_labels;  // one per request edge
    };
    static Display make_display(const ir::Graph& graph, const GraphStyle& style);

  signals:
    void layout_started(int nodes);
    void layout_finished(int nodes, double seconds);
    void layout_failed(const QString& message);
    void selection_changed(const QVector<ir::NodeId>& nodes);
    void node_context_menu(const QVector<ir::NodeId>& nodes, const QPoint& global_pos);
    void zoom_changed(double zoom);
    void view_changed();  // scrolled or zoomed (the overview follows)

  protected:
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

  private:
    void build_scene(const Display& display, const LayoutResult& layout);
    void scale_by(double factor);

    GraphStyle style_;
    JobRunner* jobs_;
    QLabel* status_;
    QHash<ir::NodeId, NodeItem*> nodes_;
    QList<EdgeItem*> edges_;
    QHash<ir::NodeId, QPair<QString, QColor>> badges_;
    QHash<ir::NodeId, QColor> fills_;
    bool edge_labels_ = false;
    bool syncing_ = false;
    double last_layout_seconds_ = 0;
    std::shared_ptr<const ir::Model> model_;
};

}  // namespace lowbit::widgets
