#include "graph/error_heatmap.h"

#include <algorithm>
#include <cmath>

#include "graph/color_legend.h"
#include "graph/graph_canvas.h"
#include "graph/graph_view.h"
#include "session/session.h"

namespace lowbit::widgets {

QGradientStops viridis_stops() {
    return {{0.000, QColor(0x44, 0x01, 0x54)}, {0.125, QColor(0x47, 0x2c, 0x7a)},
            {0.250, QColor(0x3b, 0x51, 0x8b)}, {0.375, QColor(0x2c, 0x71, 0x8e)},
            {0.500, QColor(0x21, 0x90, 0x8d)}, {0.625, QColor(0x27, 0xad, 0x81)},
            {0.750, QColor(0x5c, 0xc8, 0x63)}, {0.875, QColor(0xaa, 0xdc, 0x32)},
            {1.000, QColor(0xfd, 0xe7, 0x25)}};
}

ErrorHeatmap::ErrorHeatmap(Session* session, GraphCanvas* canvas, QObject* parent)
    : QObject(parent), session_(session), canvas_(canvas) {
    connect(session_, &Session::results_changed, this, &ErrorHeatmap::refresh);
    connect(session_, &Session::error_view_changed, this, &ErrorHeatmap::refresh);
    connect(session_, &Session::model_changed, this, &ErrorHeatmap::refresh);
}

void ErrorHeatmap::set_enabled(bool on) {
    enabled_ = on;
    refresh();
}

void ErrorHeatmap::refresh() {
    GraphView* view = canvas_->view();
    view->clear_node_fills();
    filled_ = 0;
    const QHash<QString, double> values = session_->error_values();
    if (!enabled_ || values.isEmpty()) {
        canvas_->set_legend_visible(false);
        return;
    }
    const Session::ErrorMetric metric = session_->error_metric();
    double lo = INFINITY, hi = -INFINITY;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (!(lo <= hi)) lo = hi = 0;
    // layers kept in FP32 measure 200 dB; do not let them squash the scale of the quantized ones
    if (metric == Session::ErrorMetric::kSqnr) hi = std::min(hi, std::max(lo + 1.0, 60.0));
    if (hi - lo < 1e-12)
        hi = lo + (metric == Session::ErrorMetric::kSqnr ? 1.0 : std::max(std::abs(lo) * 1e-3, 1e-12));

    ColorLegend* legend = canvas_->legend();
    QGradientStops stops = viridis_stops();
    if (!Session::higher_is_better(metric))  // MSE: low is good, so low is yellow
        for (auto& s : stops)
            s.first = 1.0 - s.first;
    std::sort(stops.begin(), stops.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    legend->set_stops(stops);
    legend->set_range(lo, hi, metric == Session::ErrorMetric::kSqnr ? QStringLiteral(" dB") : QString());
    legend->set_title(Session::metric_label(metric, session_->error_isolated()) + QStringLiteral(" · ") +
                      (Session::higher_is_better(metric) ? tr("higher is better") : tr("lower is better")));
    for (const auto& l : session_->layers()) {
        auto it = values.find(QString::fromStdString(l.name));
        if (it == values.end()) continue;
        view->set_node_fill(l.node, legend->color_at(it.value()));
        ++filled_;
    }
    canvas_->set_legend_visible(true);
}

}  // namespace lowbit::widgets
