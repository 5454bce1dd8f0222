#include "graph/graph_overview.h"

#include <QMouseEvent>

#include "graph/graph_view.h"

namespace lowbit::widgets {

GraphOverview::GraphOverview(GraphView* main, QWidget* parent)
    : QGraphicsView(main->scene(), parent), main_(main) {
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHints({});
    setBackgroundBrush(QColor(255, 255, 255, 235));
    setFrameShape(QFrame::Box);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
    connect(main_, &GraphView::view_changed, viewport(), qOverload<>(&QWidget::update));
    connect(main_, &GraphView::layout_finished, this, &GraphOverview::refit);
}

void GraphOverview::refit() {
    const QRectF r = scene()->itemsBoundingRect();
    if (!r.isEmpty()) fitInView(r, Qt::KeepAspectRatio);
    viewport()->update();
}

void GraphOverview::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    refit();
}

void GraphOverview::wheelEvent(QWheelEvent* event) {
    event->ignore();
}

void GraphOverview::drawForeground(QPainter* p, const QRectF&) {
    const QPolygonF visible = main_->mapToScene(main_->viewport()->rect());
    p->setPen(QPen(QColor(0xff, 0x8c, 0x00), 0, Qt::SolidLine));
    p->setBrush(QColor(0xff, 0x8c, 0x00, 40));
    p->drawPolygon(visible);
}

void GraphOverview::move_main_to(const QPoint& pos) {
    main_->centerOn(mapToScene(pos));
    viewport()->update();
}

void GraphOverview::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) move_main_to(event->pos());
}

void GraphOverview::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) move_main_to(event->pos());
}

}  // namespace lowbit::widgets
