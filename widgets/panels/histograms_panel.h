// Histograms panel: for the selected layer, its FP32 activation histogram (the calibration table's
// observer of the layer's output: bins over [hist_lo, hist_hi]) with the clip thresholds the plan chose
// (clip_lo / clip_hi) as vertical lines, the quantization grid as a shaded band with tick marks at the
// scale steps, and the weight range of every output channel (min/max bars). Follows the Session's
// selection, calibration and result; says what is missing when there is nothing to draw.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QCheckBox;
class QChart;
class QChartView;
class QLabel;

namespace lowbit::widgets {

class HistogramsPanel : public QDockWidget {
    Q_OBJECT
  public:
    HistogramsPanel(const PanelContext& context, QWidget* parent = nullptr);

    QChart* activation_chart() const { return act_chart_; }
    QChart* weight_chart() const { return weight_chart_; }
    QString heading() const;
    // Number of data series drawn in each chart (for tests: 0 = empty).
    int activation_series() const;
    int weight_series() const;

  private:
    void refresh();
    void fill_activations(const QString& layer);
    void fill_weights(const QString& layer);

    PanelContext ctx_;
    QLabel* title_;
    QCheckBox* log_scale_;
    QLabel* caption_;
    QChart* act_chart_;
    QChart* weight_chart_;
    QChartView* act_view_;
    QChartView* weight_view_;
};

}  // namespace lowbit::widgets
