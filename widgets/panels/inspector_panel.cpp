#include "panels/inspector_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "analysis/model_summary.h"
#include "analysis/tensor_stats.h"
#include "quant/plan.h"
#include "session/session.h"

namespace lowbit::widgets {

namespace {

constexpr quant::Algorithm kAlgorithms[] = {quant::Algorithm::kMinMax, quant::Algorithm::kPercentile,
                                            quant::Algorithm::kKl, quant::Algorithm::kMse,
                                            quant::Algorithm::kIfmr};
constexpr int kMaxChannelsShown = 256;
constexpr size_t kMaxListShown = 16;

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}

QString number(double v) {
    return QString::number(v, 'g', 5);
}

template <typename T>
QString list_text(const std::vector<T>& values) {
    QStringList parts;
    for (size_t i = 0; i < values.size() && i < kMaxListShown; ++i) {
        if constexpr (std::is_same_v<T, std::string>)
            parts << QString::fromStdString(values[i]);
        else
            parts << QString::number(values[i]);
    }
    if (values.size() > kMaxListShown) parts << QStringLiteral("…");
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

QString attribute_text(const ir::Attribute& a) {
    switch (a.kind) {
        case ir::AttrKind::kFloat:
            return number(a.f);
        case ir::AttrKind::kInt:
            return QString::number(a.i);
        case ir::AttrKind::kString:
            return QString::fromStdString(a.s);
        case ir::AttrKind::kFloats:
            return list_text(a.floats);
        case ir::AttrKind::kInts:
            return list_text(a.ints);
        case ir::AttrKind::kStrings:
            return list_text(a.strings);
        case ir::AttrKind::kTensor:
            if (a.tensors.empty()) return {};
            return QStringLiteral("%1 %2").arg(qs(ir::name_of(a.tensors[0].type)),
                                               list_text(a.tensors[0].dims));
        case ir::AttrKind::kGraph:
        case ir::AttrKind::kGraphs:
            return QCoreApplication::translate("InspectorPanel", "subgraph");
        default:
            return QStringLiteral("…");
    }
}

}  // namespace

InspectorPanel::InspectorPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Inspector"), parent), ctx_(context) {
    setObjectName(QStringLiteral("InspectorPanel"));
    auto* body = new QWidget(this);
    title_ = new QLabel(body);
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    precision_ = new QGroupBox(tr("Precision"), body);
    keep_float_ = new QCheckBox(tr("Keep in float"), precision_);
    float_type_ = new QComboBox(precision_);
    float_type_->addItem(QStringLiteral("FP16"));
    float_type_->addItem(QStringLiteral("FP32"));
    weight_bits_ = new QComboBox(precision_);
    for (int b : {4, 8, 16})
        weight_bits_->addItem(tr("%1 bits").arg(b), b);
    act_bits_ = new QComboBox(precision_);
    for (int b : {8, 16})
        act_bits_->addItem(tr("%1 bits").arg(b), b);
    algorithm_ = new QComboBox(precision_);
    algorithm_->addItem(tr("Default"), -1);
    for (auto a : kAlgorithms)
        algorithm_->addItem(qs(quant::name_of(a)), static_cast<int>(a));
    rule_ = new QLabel(precision_);
    rule_->setWordWrap(true);
    rule_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    reset_ = new QPushButton(tr("Reset to defaults"), precision_);
    auto* float_row = new QHBoxLayout;
    float_row->addWidget(keep_float_);
    float_row->addWidget(float_type_);
    float_row->addStretch();
    auto* form = new QFormLayout(precision_);
    form->addRow(float_row);
    form->addRow(tr("Weights:"), weight_bits_);
    form->addRow(tr("Activations:"), act_bits_);
    form->addRow(tr("Calibration:"), algorithm_);
    form->addRow(rule_);
    form->addRow(reset_);

    details_ = new QTreeWidget(body);
    details_->setColumnCount(2);
    details_->setHeaderLabels({tr("Property"), tr("Value")});
    details_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    details_->header()->setStretchLastSection(true);
    details_->setTextElideMode(Qt::ElideMiddle);
    details_->setAlternatingRowColors(true);
    details_->setUniformRowHeights(true);

    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(title_);
    layout->addWidget(precision_);
    layout->addWidget(details_, 1);
    setWidget(body);

    // edits: every control applies to all selected layers, through the Session's undo stack
    connect(keep_float_, &QCheckBox::toggled, this, [this](bool on) {
        if (updating_) return;
        ctx_.session->set_precision(
            ctx_.session->selected_layer_names(),
            !on ? quant::Precision::kInt
                : (float_type_->currentIndex() == 0 ? quant::Precision::kFp16 : quant::Precision::kFp32));
    });
    connect(float_type_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (updating_ || !keep_float_->isChecked()) return;
        ctx_.session->set_precision(ctx_.session->selected_layer_names(),
                                    i == 0 ? quant::Precision::kFp16 : quant::Precision::kFp32);
    });
    connect(weight_bits_, &QComboBox::currentIndexChanged, this, [this] {
        if (!updating_)
            ctx_.session->set_weight_bits(ctx_.session->selected_layer_names(),
                                          weight_bits_->currentData().toInt());
    });
    connect(act_bits_, &QComboBox::currentIndexChanged, this, [this] {
        if (!updating_)
            ctx_.session->set_act_bits(ctx_.session->selected_layer_names(),
                                       act_bits_->currentData().toInt());
    });
    connect(algorithm_, &QComboBox::currentIndexChanged, this, [this] {
        if (updating_) return;
        const int v = algorithm_->currentData().toInt();
        ctx_.session->set_algorithm(
            ctx_.session->selected_layer_names(),
            v < 0 ? std::nullopt : std::optional<quant::Algorithm>(static_cast<quant::Algorithm>(v)));
    });
    connect(reset_, &QPushButton::clicked, this,
            [this] { ctx_.session->reset_overrides(ctx_.session->selected_layer_names()); });

    connect(ctx_.session, &Session::selection_changed, this, &InspectorPanel::refresh);
    connect(ctx_.session, &Session::model_changed, this, &InspectorPanel::refresh);
    connect(ctx_.session, &Session::overrides_changed, this, &InspectorPanel::refresh_controls);
    refresh();
}

QString InspectorPanel::heading() const {
    return title_->text();
}

void InspectorPanel::refresh() {
    const auto& sel = ctx_.session->selection();
    const ir::Model* m = ctx_.session->model();
    details_->clear();
    if (!m || sel.isEmpty() || !m->graph.has_node(sel.first())) {
        title_->setText(m ? tr("Select a node in the graph or the Layers table.") : tr("No model open"));
        precision_->hide();
        return;
    }
    const ir::Node& n = m->graph.node(sel.first());
    const QString name = n.name.empty() ? QStringLiteral("#%1").arg(n.id) : QString::fromStdString(n.name);
    if (sel.size() == 1)
        title_->setText(QStringLiteral("<b>%1</b><br>%2")
                            .arg(name.toHtmlEscaped(), QString::fromStdString(n.op_type).toHtmlEscaped()));
    else
        title_->setText(
            tr("<b>%1 nodes selected</b><br>showing %2; precision changes apply to all %3 selected layers")
                .arg(sel.size())
                .arg(name.toHtmlEscaped())
                .arg(ctx_.session->selected_layer_names().size()));
    fill_details(sel.first());
    // long value names must not push the values out of sight
    details_->resizeColumnToContents(0);
    details_->setColumnWidth(
        0, std::min(details_->columnWidth(0), std::max(120, details_->viewport()->width() / 2)));
    refresh_controls();
}

void InspectorPanel::refresh_controls() {
    const QStringList layers = ctx_.session->selected_layer_names();
    const quant::LayerPlan* l = layers.isEmpty() ? nullptr : ctx_.session->layer_named(layers.first());
    precision_->setVisible(l != nullptr);
    if (!l) return;
    updating_ = true;
    const bool is_float = l->precision != quant::Precision::kInt;
    keep_float_->setChecked(is_float);
    float_type_->setCurrentIndex(l->precision == quant::Precision::kFp32 ? 1 : 0);
    weight_bits_->setCurrentIndex(std::max(0, weight_bits_->findData(l->weight_bits)));
    act_bits_->setCurrentIndex(std::max(0, act_bits_->findData(l->act_bits)));
    int algo = -1;
    for (const auto& r : ctx_.session->overrides())
        if (r.pattern == l->name && r.algorithm) algo = static_cast<int>(*r.algorithm);
    algorithm_->setItemText(0,
                            tr("Default (%1)").arg(qs(quant::name_of(ctx_.session->defaults().algorithm))));
    algorithm_->setCurrentIndex(std::max(0, algorithm_->findData(algo)));
    weight_bits_->setEnabled(!is_float);
    act_bits_->setEnabled(!is_float);
    algorithm_->setEnabled(!is_float);
    rule_->setText(tr("Decided by: %1").arg(QString::fromStdString(l->rule)));
    updating_ = false;
}

void InspectorPanel::fill_details(int node_id) {
    const ir::Graph& g = ctx_.session->model()->graph;
    const ir::Node& n = g.node(node_id);
    QLocale locale;
    auto section = [this](const QString& label) {
        auto* item = new QTreeWidgetItem(details_, {label});
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
        item->setExpanded(true);
        return item;
    };
    auto value_line = [&](QTreeWidgetItem* parent, const std::string& value) {
        auto v = g.find_value_info(value);
        QString type = v && v->has_type ? qs(ir::name_of(v->elem_type)) : QString();
        QString shape = v && v->has_shape ? QString::fromStdString(ir::format_dims(v->dims)) : tr("unknown");
        if (const ir::Tensor* t = g.initializer(value)) {
            type = qs(ir::name_of(t->type));
            shape = list_text(t->dims) + tr(" (constant)");
        }
        new QTreeWidgetItem(
            parent, {QString::fromStdString(value), QStringLiteral("%1 %2").arg(type, shape).trimmed()});
    };

    auto* node = section(tr("Node"));
    new QTreeWidgetItem(node, {tr("Op type"), QString::fromStdString(n.op_type)});
    if (!n.domain.empty()) new QTreeWidgetItem(node, {tr("Domain"), QString::fromStdString(n.domain)});
    if (const analysis::LayerCost* c = ctx_.session->cost_for_node(node_id)) {
        new QTreeWidgetItem(node, {tr("Parameters"), locale.toString(static_cast<qulonglong>(c->params))});
        new QTreeWidgetItem(
            node,
            {tr("MACs"), c->macs_known ? locale.toString(static_cast<qulonglong>(c->macs)) : tr("unknown")});
    }
    if (!n.attributes.empty()) {
        auto* attrs = section(tr("Attributes"));
        auto sorted = n.attributes;
        std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (const auto& a : sorted)
            new QTreeWidgetItem(attrs, {QString::fromStdString(a.name), attribute_text(a)});
    }
    auto* ins = section(tr("Inputs"));
    for (const auto& in : n.inputs)
        if (!in.empty()) value_line(ins, in);
    auto* outs = section(tr("Outputs"));
    for (const auto& out : n.outputs)
        if (!out.empty()) value_line(outs, out);

    // weight statistics of the layer's weight initializer (input 1 of Conv/Gemm/MatMul)
    const quant::LayerPlan* l = ctx_.session->layer_for_node(node_id);
    const ir::Tensor* w = l && !l->weight.empty() ? g.initializer(l->weight) : nullptr;
    if (!w) return;
    auto stats =
        analysis::tensor_stats(*w, quant::weight_channel_axis(n, static_cast<int64_t>(w->dims.size())));
    if (!stats) return;
    auto* ws = section(tr("Weight statistics"));
    new QTreeWidgetItem(ws, {tr("Elements"), locale.toString(static_cast<qulonglong>(stats->count))});
    new QTreeWidgetItem(ws, {tr("Min"), number(stats->min)});
    new QTreeWidgetItem(ws, {tr("Max"), number(stats->max)});
    new QTreeWidgetItem(ws, {tr("Mean"), number(stats->mean)});
    new QTreeWidgetItem(ws, {tr("Std"), number(stats->stddev)});
    auto* ch = new QTreeWidgetItem(
        ws, {tr("Per-channel range"), tr("%1 output channels").arg(stats->channel_min.size())});
    for (size_t c = 0; c < stats->channel_min.size() && c < static_cast<size_t>(kMaxChannelsShown); ++c)
        new QTreeWidgetItem(
            ch,
            {tr("channel %1").arg(c),
             QStringLiteral("[%1, %2]").arg(number(stats->channel_min[c]), number(stats->channel_max[c]))});
    ch->setExpanded(false);
}

}  // namespace lowbit::widgets
