// ColorLegend: a small gradient bar with a title and the values at its ends, for the graph's heatmap
// fills (e.g. per-layer quantization error). The colour for a value comes from color_at(), so the nodes
// and the legend always agree.
#pragma once

#include <QColor>
#include <QGradientStops>
#include <QWidget>

namespace lowbit::widgets {

class ColorLegend : public QWidget {
    Q_OBJECT
  public:
    explicit ColorLegend(QWidget* parent = nullptr);

    void set_title(const QString& title);
    void set_range(double lo, double hi, const QString& unit = {});
    void set_stops(const QGradientStops& stops);  // positions 0..1; default green -> yellow -> red
    QColor color_at(double value) const;          // value clamped to the range
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QString title_, unit_;
    double lo_ = 0, hi_ = 1;
    QGradientStops stops_;
};

}  // namespace lowbit::widgets
