// Scene items of the graph view: NodeItem (a box with op type, name and output shape, coloured by op
// category, with an optional precision badge and heatmap fill) and EdgeItem (the spline Graphviz computed,
// with an arrowhead and an optional tensor-shape label). Both skip detail when zoomed far out (level of
// detail), so a large model stays smooth. Coordinates are points, as the layout's.
#pragma once

#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QPainterPath>
#include <QPolygonF>
#include <optional>

#include "ir/graph.h"

namespace lowbit::widgets {

// Fonts and metrics shared by all items of one view.
struct GraphStyle {
    QFont op_font, text_font, small_font, badge_font;
    double pad = 6, max_text_width = 200, min_width = 88;
    GraphStyle();
    double line_height(const QFont& font) const;
};

class NodeItem : public QGraphicsItem {
  public:
    enum { Type = UserType + 1 };
    struct Info {
        ir::NodeId id = ir::kNoNode;
        QString op, name, shape, tooltip;
        QColor header;
    };

    NodeItem(Info info, const GraphStyle* style);
    // The box size this node needs with `style` (measured before layout; Graphviz uses it as is).
    static QSizeF measure(const Info& info, const GraphStyle& style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    ir::NodeId id() const { return info_.id; }
    const Info& info() const { return info_; }
    void set_size(QSizeF size);
    void set_badge(const QString& text, const QColor& color);  // empty text hides it
    QString badge() const { return badge_; }
    void set_fill(std::optional<QColor> fill);
    std::optional<QColor> fill() const { return fill_; }

  private:
    Info info_;
    const GraphStyle* style_;
    QSizeF size_;
    QString badge_;
    QColor badge_color_;
    std::optional<QColor> fill_;
    QString elided_name_;
};

class EdgeItem : public QGraphicsItem {
  public:
    enum { Type = UserType + 2 };
    EdgeItem(QPainterPath path, std::optional<QLineF> arrow, QString label, const GraphStyle* style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void set_label_visible(bool visible);
    const QPainterPath& path() const { return path_; }
    bool has_arrow() const { return !arrow_head_.isEmpty(); }

  private:
    QPainterPath path_;
    QPolygonF arrow_head_;
    QString label_;
    QRectF label_rect_;
    bool label_visible_ = false;
    const GraphStyle* style_;
    QRectF bounds_;
};

}  // namespace lowbit::widgets
