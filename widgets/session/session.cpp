#include "session/session.h"

#include <QColor>
#include <QFileInfo>
#include <QUndoCommand>
#include <QUndoStack>
#include <algorithm>

namespace lowbit::widgets {

namespace {

// One undo step: the studio rules before and after an edit.
class RulesCommand : public QUndoCommand {
  public:
    RulesCommand(Session* session, std::vector<quant::LayerRule> before, std::vector<quant::LayerRule> after,
                 const QString& text)
        : QUndoCommand(text), session_(session), before_(std::move(before)), after_(std::move(after)) {}
    void undo() override { session_->replace_overrides(before_); }
    void redo() override { session_->replace_overrides(after_); }

  private:
    Session* session_;
    std::vector<quant::LayerRule> before_, after_;
};

}  // namespace

Session::Session(QObject* parent) : QObject(parent), undo_(new QUndoStack(this)) {
    connect(undo_, &QUndoStack::cleanChanged, this, [this] { emit dirty_changed(dirty()); });
}

void Session::set_model(std::shared_ptr<const ir::Model> model, QString file,
                        analysis::ModelSummary summary) {
    model_ = std::move(model);
    file_ = std::move(file);
    summary_ = std::move(summary);
    overrides_.clear();
    selection_.clear();
    undo_->clear();
    ++generation_;
    recipe_ = workflow::Recipe{};
    recipe_.model = file_.toStdString();
    defaults_ = recipe_.settings;
    project_file_.clear();
    data_dirty_ = false;
    calibration_.reset();
    result_.reset();
    accuracy_.reset();
    refresh_layers();
    emit model_changed();
    emit calibration_changed();
    emit results_changed();
    emit dirty_changed(false);
    emit overrides_changed();
    emit selection_changed(selection_, nullptr);
}

QString Session::title() const {
    return file_.isEmpty() ? QString() : QFileInfo(file_).completeBaseName();
}

const quant::LayerPlan* Session::layer_for_node(ir::NodeId id) const {
    for (const auto& l : layers_)
        if (l.node == id) return &l;
    return nullptr;
}

const quant::LayerPlan* Session::layer_named(const QString& name) const {
    const std::string n = name.toStdString();
    for (const auto& l : layers_)
        if (l.name == n) return &l;
    return nullptr;
}

const analysis::LayerCost* Session::cost_for_node(ir::NodeId id) const {
    for (const auto& c : summary_.layers)
        if (c.id == id) return &c;
    return nullptr;
}

quant::QuantSettings Session::settings() const {
    quant::QuantSettings s = defaults_;
    s.rules.insert(s.rules.end(), overrides_.begin(), overrides_.end());
    return s;
}

QString Session::rule_origin(const QString& layer) {
    return QStringLiteral("studio: ") + layer;
}

template <typename Edit>
void Session::edit(const QStringList& layers, const QString& text, Edit&& change) {
    if (layers.isEmpty() || !model_) return;
    std::vector<quant::LayerRule> after = overrides_;
    for (const QString& name : layers) {
        // one rule per layer: take the existing one out, change it, append it (so it is the latest)
        const std::string n = name.toStdString();
        quant::LayerRule rule;
        rule.match = quant::LayerRule::Match::kName;
        rule.pattern = n;
        rule.origin = rule_origin(name).toStdString();
        auto it = std::find_if(after.begin(), after.end(), [&](const quant::LayerRule& r) {
            return r.match == quant::LayerRule::Match::kName && r.pattern == n;
        });
        if (it != after.end()) {
            rule = *it;
            after.erase(it);
        }
        if (!change(rule)) continue;  // reset: the rule is dropped
        if (rule.precision || rule.weight_bits || rule.act_bits || rule.algorithm)
            after.push_back(std::move(rule));
    }
    if (after == overrides_) return;  // nothing changed: no empty undo step
    undo_->push(new RulesCommand(this, overrides_, std::move(after), text));
}

void Session::set_precision(const QStringList& layers, quant::Precision precision) {
    const QString what = precision == quant::Precision::kInt ? tr("Quantize %1 layer(s)").arg(layers.size())
                         : precision == quant::Precision::kFp16
                             ? tr("Keep %1 layer(s) in FP16").arg(layers.size())
                             : tr("Keep %1 layer(s) in FP32").arg(layers.size());
    edit(layers, what, [precision](quant::LayerRule& r) {
        r.precision = precision;
        return true;
    });
}

void Session::set_weight_bits(const QStringList& layers, int bits) {
    edit(layers, tr("Set weights of %1 layer(s) to %2 bits").arg(layers.size()).arg(bits),
         [bits](quant::LayerRule& r) {
             r.precision = quant::Precision::kInt;
             r.weight_bits = bits;
             return true;
         });
}

void Session::set_act_bits(const QStringList& layers, int bits) {
    edit(layers, tr("Set activations of %1 layer(s) to %2 bits").arg(layers.size()).arg(bits),
         [bits](quant::LayerRule& r) {
             r.precision = quant::Precision::kInt;
             r.act_bits = bits;
             return true;
         });
}

void Session::set_algorithm(const QStringList& layers, std::optional<quant::Algorithm> algorithm) {
    edit(layers, tr("Set calibration of %1 layer(s)").arg(layers.size()), [algorithm](quant::LayerRule& r) {
        r.algorithm = algorithm;
        return true;
    });
}

void Session::reset_overrides(const QStringList& layers) {
    edit(layers, tr("Reset %1 layer(s) to defaults").arg(layers.size()),
         [](quant::LayerRule&) { return false; });
}

void Session::replace_overrides(std::vector<quant::LayerRule> rules) {
    overrides_ = std::move(rules);
    refresh_layers();
    emit overrides_changed();
}

void Session::refresh_layers() {
    layers_ = model_ ? quant::resolve_layers(*model_, settings()) : std::vector<quant::LayerPlan>{};
}

void Session::set_selection(const QVector<ir::NodeId>& nodes, QObject* origin) {
    if (nodes == selection_) return;
    selection_ = nodes;
    emit selection_changed(selection_, origin);
}

QStringList Session::selected_layer_names() const {
    QStringList names;
    for (ir::NodeId id : selection_)
        if (const auto* l = layer_for_node(id)) names << QString::fromStdString(l->name);
    return names;
}

void Session::set_recipe(workflow::Recipe recipe) {
    // the trailing name rules are the studio's own kind of rule: make them editable overrides
    auto& rules = recipe.settings.rules;
    size_t first = rules.size();
    while (first > 0 && rules[first - 1].match == quant::LayerRule::Match::kName)
        --first;
    std::vector<quant::LayerRule> studio(rules.begin() + static_cast<std::ptrdiff_t>(first), rules.end());
    rules.erase(rules.begin() + static_cast<std::ptrdiff_t>(first), rules.end());
    for (auto& r : studio)
        r.origin = rule_origin(QString::fromStdString(r.pattern)).toStdString();
    recipe_ = std::move(recipe);
    if (recipe_.model.empty()) recipe_.model = file_.toStdString();
    defaults_ = recipe_.settings;
    overrides_ = std::move(studio);
    undo_->clear();
    data_dirty_ = false;
    calibration_.reset();
    result_.reset();
    accuracy_.reset();
    refresh_layers();
    emit overrides_changed();
    emit data_changed();
    emit calibration_changed();
    emit results_changed();
    emit dirty_changed(false);
}

workflow::Recipe Session::recipe() const {
    workflow::Recipe r = recipe_;
    r.settings = settings();
    if (!file_.isEmpty()) r.model = QFileInfo(file_).absoluteFilePath().toStdString();
    return r;
}

void Session::set_data(const data::SourceSpec& spec, int64_t num_samples, const workflow::EvalSpec& eval) {
    auto absolute = [](const std::filesystem::path& p) {
        return p.empty() || p.is_absolute() ? p : std::filesystem::absolute(p).lexically_normal();
    };
    recipe_.data = spec;
    recipe_.data.path = absolute(spec.path);
    recipe_.num_samples = num_samples;
    recipe_.eval = eval;
    recipe_.eval.data = absolute(eval.data);
    recipe_.eval.labels = absolute(eval.labels);
    data_dirty_ = true;
    if (calibration_) {
        calibration_.reset();
        emit calibration_changed();
    }
    emit data_changed();
    emit dirty_changed(true);
}

bool Session::dirty() const {
    return data_dirty_ || !undo_->isClean();
}

void Session::set_clean() {
    data_dirty_ = false;
    undo_->setClean();
    emit dirty_changed(false);
}

void Session::mark_dirty() {
    data_dirty_ = true;
    emit dirty_changed(true);
}

void Session::set_calibration(std::shared_ptr<const workflow::Calibrated> calibration) {
    calibration_ = std::move(calibration);
    emit calibration_changed();
}

void Session::set_result(std::shared_ptr<const workflow::QuantizeResult> result) {
    result_ = std::move(result);
    emit results_changed();
}

void Session::set_accuracy(std::optional<workflow::AccuracyPair> accuracy) {
    accuracy_ = std::move(accuracy);
    emit results_changed();
}

void Session::set_error_view(ErrorMetric metric, bool isolated) {
    if (metric == metric_ && isolated == isolated_) return;
    metric_ = metric;
    isolated_ = isolated;
    emit error_view_changed();
}

QHash<QString, double> Session::error_values() const {
    QHash<QString, double> values;
    if (!result_) return values;
    for (const auto& e : result_->errors) {
        const analysis::ErrorStats& s = isolated_ && e.isolated.count ? e.isolated : e.accumulated;
        if (!s.count) continue;
        const double v = metric_ == ErrorMetric::kSqnr     ? s.sqnr_db()
                         : metric_ == ErrorMetric::kCosine ? s.cosine()
                                                           : s.mse();
        values.insert(QString::fromStdString(e.layer), v);
    }
    return values;
}

QString Session::metric_label(ErrorMetric metric, bool isolated) {
    const QString m = metric == ErrorMetric::kSqnr     ? tr("SQNR (dB)")
                      : metric == ErrorMetric::kCosine ? tr("Cosine")
                                                       : tr("MSE");
    return isolated ? tr("%1, isolated").arg(m) : tr("%1, accumulated").arg(m);
}

QString precision_label(const quant::LayerPlan& layer) {
    switch (layer.precision) {
        case quant::Precision::kInt:
            return QStringLiteral("INT%1").arg(layer.weight_bits);
        case quant::Precision::kFp16:
            return QStringLiteral("FP16");
        case quant::Precision::kFp32:
            break;
    }
    return QStringLiteral("FP32");
}

QColor precision_color(const quant::LayerPlan& layer) {
    if (layer.precision == quant::Precision::kFp16) return QColor(0x2f, 0x6f, 0xd0);
    if (layer.precision == quant::Precision::kFp32) return QColor(0x6a, 0x6a, 0x6a);
    if (layer.weight_bits <= 4) return QColor(0xe0, 0x7b, 0x00);
    if (layer.weight_bits <= 8) return QColor(0x2e, 0x9d, 0x4c);
    return QColor(0x11, 0x8a, 0x8a);
}

}  // namespace lowbit::widgets
