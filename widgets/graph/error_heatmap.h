// ErrorHeatmap: the per-layer quantization error on the graph. Each compute layer with a measured error
// gets a node fill on the viridis colour map (perceptually uniform, readable in grey and by colour-blind
// viewers); yellow is the better end whatever the metric, and the canvas legend shows the metric and its
// range. It follows the Session: the last result, and the metric (SQNR / cosine / MSE, isolated or
// accumulated) chosen there. Hidden while there is no result or when switched off.
#pragma once

#include <QGradientStops>
#include <QObject>

namespace lowbit::widgets {

class GraphCanvas;
class Session;

// Viridis, sampled at nine stops (matplotlib's values).
QGradientStops viridis_stops();

class ErrorHeatmap : public QObject {
    Q_OBJECT
  public:
    ErrorHeatmap(Session* session, GraphCanvas* canvas, QObject* parent = nullptr);

    void set_enabled(bool on);
    bool enabled() const { return enabled_; }
    int filled_nodes() const { return filled_; }
    void refresh();

  private:
    Session* session_;
    GraphCanvas* canvas_;
    bool enabled_ = true;
    int filled_ = 0;
};

}  // namespace lowbit::widgets
