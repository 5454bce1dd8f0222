#include "panels/histograms_panel.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "analysis/tensor_stats.h"
#include "quant/plan.h"
#include "session/session.h"

namespace lowbit::widgets {

namespace {

constexpr int kDisplayBins = 200;
constexpr int kMaxTicks = 64;
constexpr size_t kMaxChannels = 512;

QChart* make_chart() {
    auto* c = new QChart;
    c->setMargins(QMargins(4, 4, 4, 4));
    c->setBackgroundRoundness(0);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setAnimationOptions(QChart::NoAnimation);
    return c;
}

// A fresh chart in `view` (the old one deleted): cheaper and more reliable than emptying one in place,
// which can leave stale axis labels behind.
QChart* reset_chart(QChartView* view, const QString& title) {
    QChart* old = view->chart();
    auto* c = make_chart();
    c->setTitle(title);
    c->legend()->setVisible(false);  // the caption below the charts explains the marks
    view->setChart(c);
    delete old;
    return c;
}

QLineSeries* vertical(double x, double y0, double y1, const QString& name, const QPen& pen) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->append(x, y0);
    s->append(x, y1);
    s->setPen(pen);
    return s;
}

}  // namespace

HistogramsPanel::HistogramsPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Histograms"), parent), ctx_(context) {
    setObjectName(QStringLiteral("HistogramsPanel"));
    auto* body = new QWidget(this);
    title_ = new QLabel(body);
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    log_scale_ = new QCheckBox(tr("Logarithmic counts"), body);
    caption_ = new QLabel(body);
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::RichText);
    log_scale_->setChecked(true);
    act_chart_ = make_chart();
    weight_chart_ = make_chart();
    act_view_ = new QChartView(act_chart_, body);
    weight_view_ = new QChartView(weight_chart_, body);
    for (QChartView* v : {act_view_, weight_view_}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumHeight(180);
    }
    auto* split = new QSplitter(Qt::Vertical, body);
    split->addWidget(act_view_);
    split->addWidget(weight_view_);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(title_);
    layout->addWidget(log_scale_);
    layout->addWidget(split, 1);
    layout->addWidget(caption_);
    setWidget(body);

    // the scale only changes the activation chart
    connect(log_scale_, &QCheckBox::toggled, this, [this] {
        const QStringList layers = ctx_.session->selected_layer_names();
        if (!layers.isEmpty()) fill_activations(layers.first());
    });
    connect(ctx_.session, &Session::selection_changed, this, &HistogramsPanel::refresh);
    connect(ctx_.session, &Session::calibration_changed, this, &HistogramsPanel::refresh);
    connect(ctx_.session, &Session::results_changed, this, &HistogramsPanel::refresh);
    connect(ctx_.session, &Session::model_changed, this, &HistogramsPanel::refresh);
    refresh();
}

QString HistogramsPanel::heading() const {
    return title_->text();
}

int HistogramsPanel::activation_series() const {
    return static_cast<int>(act_chart_->series().size());
}

int HistogramsPanel::weight_series() const {
    return static_cast<int>(weight_chart_->series().size());
}

void HistogramsPanel::refresh() {
    const QStringList layers = ctx_.session->selected_layer_names();
    if (layers.isEmpty()) {
        title_->setText(tr("Select a compute layer to see its activation histogram and weight ranges."));
        act_chart_ = reset_chart(act_view_, tr("Activations"));
        weight_chart_ = reset_chart(weight_view_, tr("Weights per output channel"));
        caption_->clear();
        return;
    }
    const QString layer = layers.first();
    title_->setText(tr("<b>%1</b>").arg(layer.toHtmlEscaped()));
    fill_activations(layer);
    fill_weights(layer);
}

void HistogramsPanel::fill_activations(const QString& layer) {
    const workflow::Calibrated* cal = ctx_.session->calibration();
    const workflow::QuantizeResult* res = ctx_.session->result();
    const quant::CalibrationTable* table = res ? &res->table() : cal ? &cal->table : nullptr;
    if (!table) {
        act_chart_ = reset_chart(act_view_, tr("Activations: run Calibrate to collect them"));
        caption_->clear();
        return;
    }
    // the layer's output tensor in the prepared model (the plan's when quantized)
    const std::string name = layer.toStdString();
    std::string output;
    if (res) {
        if (const quant::LayerPlan* l = res->plan.layer(name)) output = l->output;
    } else if (cal) {
        for (const auto& l : quant::find_layers(cal->prepared->model))
            if (l.name == name) output = l.output;
    }
    auto it = table->tensors.find(output);
    if (output.empty() || it == table->tensors.end() || it->second.count() == 0) {
        act_chart_ = reset_chart(act_view_, tr("Activations: no statistics for this layer"));
        caption_->clear();
        return;
    }
    const quant::TensorObserver& obs = it->second;
    act_chart_ = reset_chart(act_view_, tr("Activations (FP32)"));
    QStringList caption;
    caption << tr("Output %1: %2 values in [%3, %4].")
                   .arg(QString::fromStdString(output).toHtmlEscaped(),
                        QLocale().toString(static_cast<qlonglong>(obs.count())))
                   .arg(obs.min(), 0, 'g', 4)
                   .arg(obs.max(), 0, 'g', 4);
    // the observer's bins gathered into at most kDisplayBins for drawing
    const auto& bins = obs.bins();
    const double lo = obs.hist_lo(), hi = obs.hist_hi();
    const int n = static_cast<int>(bins.size());
    const int group = std::max(1, (n + kDisplayBins - 1) / kDisplayBins);
    const double width = (hi - lo) / std::max(1, n);
    const bool log = log_scale_->isChecked();
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    double ymax = 0;
    for (int b = 0; b < n; b += group) {
        double sum = 0;
        for (int k = b; k < std::min(n, b + group); ++k)
            sum += bins[static_cast<size_t>(k)];
        const double y = log ? std::log10(1.0 + sum) : sum;
        ymax = std::max(ymax, y);
        const double x0 = lo + b * width, x1 = lo + std::min(n, b + group) * width;
        upper->append(x0, y);
        upper->append(x1, y);
        lower->append(x0, 0);
        lower->append(x1, 0);
    }
    if (ymax <= 0) ymax = 1;
    auto* hist = new QAreaSeries(upper, lower);
    hist->setName(tr("FP32 histogram"));
    hist->setColor(QColor(0x3b, 0x51, 0x8b));
    hist->setBorderColor(QColor(0x3b, 0x51, 0x8b));

    auto* ax = new QValueAxis;
    auto* ay = new QValueAxis;
    ax->setTitleText(tr("value"));
    ay->setTitleText(log ? tr("log₁₀(1 + count)") : tr("count"));
    ax->setLabelFormat(QStringLiteral("%.3g"));
    ay->setLabelFormat(QStringLiteral("%.3g"));
    double xlo = lo, xhi = hi;

    // the chosen clip range and the quantization grid, when the layer's activations are quantized
    const quant::TensorPlan* tp = nullptr;
    if (res) {
        auto a = res->plan.activations.find(output);
        if (a != res->plan.activations.end()) tp = &a->second;
    }
    QList<QAbstractSeries*> extra;
    if (tp && !tp->params.scale.empty() && tp->params.scale[0] > 0) {
        const double scale = tp->params.scale[0];
        const int zp = tp->params.zero_point.empty() ? 0 : tp->params.zero_point[0];
        const double g0 = (static_cast<double>(tp->spec.qmin()) - zp) * scale;
        const double g1 = (static_cast<double>(tp->spec.qmax()) - zp) * scale;
        auto* bu = new QLineSeries;
        auto* bl = new QLineSeries;
        bu->append(g0, ymax * 1.05);
        bu->append(g1, ymax * 1.05);
        bl->append(g0, 0);
        bl->append(g1, 0);
        auto* band = new QAreaSeries(bu, bl);
        caption << tr("<span style='background:#fdf3a0'>&nbsp;Band&nbsp;</span>: the INT%1 grid [%2, %3], "
                      "scale %4.")
                       .arg(tp->spec.bits)
                       .arg(g0, 0, 'g', 4)
                       .arg(g1, 0, 'g', 4)
                       .arg(scale, 0, 'g', 4);
        band->setColor(QColor(0xfd, 0xe7, 0x25, 60));
        band->setBorderColor(QColor(0xfd, 0xe7, 0x25, 0));
        extra << band;
        const int64_t levels = tp->spec.qmax() - tp->spec.qmin() + 1;
        const int64_t stride = std::max<int64_t>(1, (levels + kMaxTicks - 1) / kMaxTicks);
        auto* ticks = new QScatterSeries;
        caption
            << (stride == 1
                    ? tr("<span style='color:#440154'>■</span> ticks: every grid step.")
                    : tr("<span style='color:#440154'>■</span> ticks: every %1th grid step.").arg(stride));
        ticks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        ticks->setMarkerSize(5);
        ticks->setColor(QColor(0x44, 0x01, 0x54));
        ticks->setBorderColor(QColor(0x44, 0x01, 0x54));
        for (int64_t q = tp->spec.qmin(); q <= tp->spec.qmax(); q += stride)
            ticks->append((static_cast<double>(q) - zp) * scale, 0);
        extra << ticks;
        QPen clip(QColor(0xd9, 0x3b, 0x30), 2, Qt::DashLine);
        extra << vertical(tp->clip_lo, 0, ymax * 1.05, QString(), clip);
        extra << vertical(tp->clip_hi, 0, ymax * 1.05, QString(), clip);
        caption << tr("<span style='color:#d93b30'>┆</span> clip range chosen by %1: [%2, %3].")
                       .arg(QString::fromStdString(tp->algorithm))
                       .arg(tp->clip_lo, 0, 'g', 4)
                       .arg(tp->clip_hi, 0, 'g', 4);
        xlo = std::min({xlo, g0, static_cast<double>(tp->clip_lo)});
        xhi = std::max({xhi, g1, static_cast<double>(tp->clip_hi)});
    } else if (res) {
        caption << tr("This layer's output is kept in float.");
    }
    caption_->setText(caption.join(QStringLiteral("<br>")));
    const double pad = (xhi - xlo) * 0.02 + 1e-9;
    ax->setRange(xlo - pad, xhi + pad);
    ay->setRange(0, ymax * 1.1);
    act_chart_->addAxis(ax, Qt::AlignBottom);
    act_chart_->addAxis(ay, Qt::AlignLeft);
    for (QAbstractSeries* s : extra) {
        if (s == extra.first()) {  // the band goes under the histogram
            act_chart_->addSeries(s);
            s->attachAxis(ax);
            s->attachAxis(ay);
        }
    }
    act_chart_->addSeries(hist);
    hist->attachAxis(ax);
    hist->attachAxis(ay);
    for (QAbstractSeries* s : extra) {
        if (s == extra.first()) continue;
        act_chart_->addSeries(s);
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
}

void HistogramsPanel::fill_weights(const QString& layer) {
    // the weights the plan quantized (after BatchNorm folding) when quantized, else the model's
    const workflow::QuantizeResult* res = ctx_.session->result();
    const ir::Model* model = res ? res->prepared.get() : ctx_.session->model();
    const std::string name = layer.toStdString();
    const ir::Node* node = nullptr;
    std::string weight;
    if (res) {
        if (const quant::LayerPlan* l = res->plan.layer(name)) {
            weight = l->weight;
            node = &model->graph.node(l->node);
        }
    } else if (const quant::LayerPlan* l = ctx_.session->layer_named(layer)) {
        weight = l->weight;
        node = &model->graph.node(l->node);
    }
    const ir::Tensor* w = node && !weight.empty() ? model->graph.initializer(weight) : nullptr;
    auto stats = w ? analysis::tensor_stats(
                         *w, quant::weight_channel_axis(*node, static_cast<int64_t>(w->dims.size())))
                   : std::nullopt;
    if (!stats || stats->channel_min.empty()) {
        weight_chart_ = reset_chart(weight_view_, tr("Weights: this layer has no weight tensor"));
        return;
    }
    const size_t channels = std::min(stats->channel_min.size(), kMaxChannels);
    weight_chart_ =
        reset_chart(weight_view_, channels < stats->channel_min.size()
                                      ? tr("Weight range per output channel (first %1 of %2)")
                                            .arg(channels)
                                            .arg(stats->channel_min.size())
                                      : tr("Weight range per output channel (%1 channels)").arg(channels));
    auto* series = new QCandlestickSeries;
    series->setName(tr("min … max"));
    series->setIncreasingColor(QColor(0x21, 0x90, 0x8d));
    series->setDecreasingColor(QColor(0x21, 0x90, 0x8d));
    series->setBodyOutlineVisible(false);
    series->setCapsVisible(false);
    series->setMaximumColumnWidth(12);
    QStringList categories;
    double lo = 0, hi = 0;
    for (size_t c = 0; c < channels; ++c) {
        const double mn = stats->channel_min[c], mx = stats->channel_max[c];
        series->append(new QCandlestickSet(mn, mx, mn, mx, static_cast<qreal>(c)));
        categories << QString::number(c);
        lo = std::min(lo, mn);
        hi = std::max(hi, mx);
    }
    weight_chart_->addSeries(series);
    auto* ax = new QBarCategoryAxis;
    ax->setCategories(categories);
    ax->setTitleText(tr("output channel"));
    ax->setLabelsVisible(channels <= 16);
    ax->setGridLineVisible(false);
    auto* ay = new QValueAxis;
    ay->setTitleText(tr("weight"));
    ay->setLabelFormat(QStringLiteral("%.3g"));
    const double pad = (hi - lo) * 0.05 + 1e-9;
    ay->setRange(lo - pad, hi + pad);
    weight_chart_->addAxis(ax, Qt::AlignBottom);
    weight_chart_->addAxis(ay, Qt::AlignLeft);
    series->attachAxis(ax);
    series->attachAxis(ay);
}

}  // namespace lowbit::widgets
