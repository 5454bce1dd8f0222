// GraphOverview: a minimap of a GraphView's scene with the visible area outlined; clicking or dragging in
// it moves the main view there.
#pragma once

#include <QGraphicsView>

namespace lowbit::widgets {

class GraphView;

class GraphOverview : public QGraphicsView {
    Q_OBJECT
  public:
    explicit GraphOverview(GraphView* main, QWidget* parent = nullptr);
    void refit();

  protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

  private:
    void move_main_to(const QPoint& pos);
    GraphView* main_;
};

}  // namespace lowbit::widgets
