// Session: the studio's editing state for one open model. It holds the model, its summary, the compute
// layers (quant::find_layers), global quantization defaults and the user's per-layer overrides as
// quant::LayerRule entries (one name rule per edited layer, origin "studio: <name>"), plus the node
// selection shared by the graph, the Layers table and the Inspector. Every override change is a
// QUndoStack command, so it can be undone and redone; the Session signals after each change.
// It also holds the project: the recipe the runs use (calibration data, evaluation data, global settings;
// the studio's rules are added on save), the project file, whether it has unsaved changes, and the run
// results: the stored calibration (prepared model + table, so a per-layer edit re-plans without running
// the data again), the last quantization result and accuracy, and which error metric the views show.
#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/model_summary.h"
#include "ir/model.h"
#include "quant/plan.h"
#include "workflow/pipeline.h"
#include "workflow/recipe.h"

class QUndoStack;

namespace lowbit::widgets {

class Session : public QObject {
    Q_OBJECT
  public:
    explicit Session(QObject* parent = nullptr);

    // Replaces the model (or clears it with nullptr); drops overrides, selection and undo history.
    void set_model(std::shared_ptr<const ir::Model> model, QString file = {},
                   analysis::ModelSummary summary = {});
    const ir::Model* model() const { return model_.get(); }
    std::shared_ptr<const ir::Model> shared_model() const { return model_; }
    QString file() const { return file_; }
    QString title() const;  // the file's base name, or empty
    const analysis::ModelSummary& summary() const { return summary_; }

    // Compute layers with the current settings applied (precision, bits, algorithm, deciding rule).
    const std::vector<quant::LayerPlan>& layers() const { return layers_; }
    const quant::LayerPlan* layer_for_node(ir::NodeId id) const;
    const quant::LayerPlan* layer_named(const QString& name) const;
    const analysis::LayerCost* cost_for_node(ir::NodeId id) const;

    // ---- quantization settings ----
    const quant::QuantSettings& defaults() const { return defaults_; }
    const std::vector<quant::LayerRule>& overrides() const { return overrides_; }
    // The defaults with the base rules, then the studio's rules (later rules win).
    quant::QuantSettings settings() const;

    // Undoable edits on the named layers; each is one undo step. `algorithm` nullopt means "default".
    void set_precision(const QStringList& layers, quant::Precision precision);
    void set_weight_bits(const QStringList& layers, int bits);  // also makes the layer integer
    void set_act_bits(const QStringList& layers, int bits);     // also makes the layer integer
    void set_algorithm(const QStringList& layers, std::optional<quant::Algorithm> algorithm);
    void reset_overrides(const QStringList& layers);
    // Replaces all studio rules at once (the undo command's own entry point).
    void replace_overrides(std::vector<quant::LayerRule> rules);
    QUndoStack* undo_stack() const { return undo_; }

    // ---- selection (node ids of the model's graph) ----
    void set_selection(const QVector<ir::NodeId>& nodes, QObject* origin = nullptr);
    const QVector<ir::NodeId>& selection() const { return selection_; }
    QStringList selected_layer_names() const;  // the selected nodes that are compute layers

    static QString rule_origin(const QString& layer);

    // ---- project ----
    // Replaces the recipe (after opening a project): global settings, base rules, data. The trailing
    // name rules become the studio's editable overrides. Not undoable; leaves the project clean.
    void set_recipe(workflow::Recipe recipe);
    // The recipe to run or save: the base recipe with the current settings (studio rules included).
    workflow::Recipe recipe() const;
    // Calibration and evaluation data (the data dialog); drops a stored calibration made on other data.
    void set_data(const data::SourceSpec& spec, int64_t num_samples, const workflow::EvalSpec& eval);
    QString project_file() const { return project_file_; }
    void set_project_file(const QString& file) { project_file_ = file; }
    bool dirty() const;
    void set_clean();                                   // after a save
    void mark_dirty();                                  // e.g. after restoring a recovery file
    quint64 generation() const { return generation_; }  // changes with every set_model

    // ---- results ----
    void set_calibration(std::shared_ptr<const workflow::Calibrated> calibration);
    const workflow::Calibrated* calibration() const { return calibration_.get(); }
    std::shared_ptr<const workflow::Calibrated> shared_calibration() const { return calibration_; }
    void set_result(std::shared_ptr<const workflow::QuantizeResult> result);
    const workflow::QuantizeResult* result() const { return result_.get(); }
    std::shared_ptr<const workflow::QuantizeResult> shared_result() const { return result_; }
    void set_accuracy(std::optional<workflow::AccuracyPair> accuracy);
    const std::optional<workflow::AccuracyPair>& accuracy() const { return accuracy_; }

    enum class ErrorMetric { kSqnr, kCosine, kMse };
    void set_error_view(ErrorMetric metric, bool isolated);
    ErrorMetric error_metric() const { return metric_; }
    bool error_isolated() const { return isolated_; }
    // The shown metric of every layer with an error, by layer name.
    QHash<QString, double> error_values() const;
    static bool higher_is_better(ErrorMetric metric) { return metric != ErrorMetric::kMse; }
    static QString metric_label(ErrorMetric metric, bool isolated);

  signals:
    void dirty_changed(bool dirty);
    void data_changed();
    void calibration_changed();
    void results_changed();
    void error_view_changed();
    void model_changed();
    void overrides_changed();
    // `origin` is the object that changed it (so it can skip its own echo), or nullptr.
    void selection_changed(const QVector<ir::NodeId>& nodes, QObject* origin);

  private:
    template <typename Edit>
    void edit(const QStringList& layers, const QString& text, Edit&& change);
    void refresh_layers();

    std::shared_ptr<const ir::Model> model_;
    QString file_;
    analysis::ModelSummary summary_;
    quant::QuantSettings defaults_;
    std::vector<quant::LayerRule> overrides_;
    std::vector<quant::LayerPlan> layers_;
    QVector<ir::NodeId> selection_;
    QUndoStack* undo_;
    workflow::Recipe recipe_;
    QString project_file_;
    bool data_dirty_ = false;
    quint64 generation_ = 0;
    std::shared_ptr<const workflow::Calibrated> calibration_;
    std::shared_ptr<const workflow::QuantizeResult> result_;
    std::optional<workflow::AccuracyPair> accuracy_;
    ErrorMetric metric_ = ErrorMetric::kSqnr;
    bool isolated_ = false;
};

// "INT8", "INT4", "FP16", "FP32": how a layer's precision is shown (badge, table).
QString precision_label(const quant::LayerPlan& layer);
QColor precision_color(const quant::LayerPlan& layer);

}  // namespace lowbit::widgets
