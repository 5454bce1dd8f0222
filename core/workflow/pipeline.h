// The quantization workflow end to end, as the CLI and the studio run it:
//   prepare (passes) -> calibrate (or a stored table or calibration) -> plan (settings + rules)
//   -> post-plan stages (workflow/stages.h) -> simulation (built once) -> per-layer error
//   -> accuracy before/after (optional) -> report,
// and writing the outputs together (the chosen format's files, calibration.json, report.json), atomically.
// Models are held as shared immutable values: a result, the studio's session and a stored calibration
// share the same weights instead of copying them.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "analysis/evaluate.h"
#include "analysis/layer_error.h"
#include "analysis/model_summary.h"
#include "passes/passes.h"
#include "quant/calibrator.h"
#include "quant/simulate.h"
#include "util/progress.h"
#include "workflow/recipe.h"

namespace lowbit::workflow {

struct Prepared {
    ir::Model model;  // after the passes (and, in a Calibrated, the channel balancing)
    std::vector<passes::PassReport> passes;
};
Result<Prepared> prepare(const ir::Model& original, const Recipe& recipe);

// Opens the recipe's calibration data checked against the model's input.
Result<std::unique_ptr<data::DataSource>> open_calibration_data(const ir::Model& model, const Recipe& recipe);

// The statistics a plan is made from: the prepared model and its calibration table, with the data they came
// from (kept open so later passes over the same data need not open it again).
struct Calibrated {
    std::shared_ptr<const Prepared> prepared;  // the float model the table belongs to, balanced as it says
    std::string digest;                        // quant::graph_digest of the prepared model before balancing
    quant::CalibrationTable table;
    std::string data_description;
    std::vector<std::string> warnings;         // the calibration data's
    std::shared_ptr<data::DataSource> source;  // null when made from a table file
};

// Calibrates the prepared model on the recipe's calibration data (channel balancing, then the observers).
Result<Calibrated> calibrate_model(const ir::Model& original, const std::string& model_name,
                                   const Recipe& recipe, ProgressFn progress = {},
                                   const CancelToken* cancel = nullptr);

// The same from a stored calibration.json: the model is prepared as the recipe says and the table checked
// against it (a table of another model, or of other preparation settings, is refused).
Result<Calibrated> load_calibration(const ir::Model& original, const std::filesystem::path& table_path,
                                    const Recipe& recipe);

struct QuantizeJob {
    std::filesystem::path model_path;        // loaded when `model` is not given
    std::shared_ptr<const ir::Model> model;  // the original model, already loaded (the studio)
    std::string model_name;                  // for the table; default: model_path's file name
    Recipe recipe;
    std::optional<std::filesystem::path> table;     // re-quantize from this table file instead of calibrating
    std::shared_ptr<const Calibrated> calibration;  // or from this calibration (the studio's stored one)
    bool evaluate = true;  // accuracy before/after when the recipe names labelled data
    ProgressFn progress;
    const CancelToken* cancel = nullptr;
};

struct AccuracyPair {
    analysis::Accuracy before, after;
};

// A warning and the step that gave it ("recipe", "calibration", a stage's name, "error", "plan",
// "simulation").
struct Warning {
    std::string stage;
    std::string text;
};

struct QuantizeResult {
    std::shared_ptr<const ir::Model> original;
    std::shared_ptr<const Calibrated> calibration;  // the prepared model and the table
    std::shared_ptr<const ir::Model> prepared;      // the float model the plan belongs to (the calibration's)
    std::vector<passes::PassReport> passes;         // the preparation's, then the balancing's
    quant::QuantPlan plan;
    std::shared_ptr<const quant::Simulation> simulation;  // the plan applied to `prepared`, built once
    std::vector<analysis::LayerError> errors;
    std::optional<AccuracyPair> accuracy;
    std::string data_description;
    std::vector<Warning> warnings;             // in the order they arose
    uint64_t size_before = 0, size_after = 0;  // serialized model bytes

    const quant::CalibrationTable& table() const { return calibration->table; }
    const ir::Model& simulated() const { return simulation->model; }
    std::vector<std::string> warning_texts() const;
};

// Runs the whole workflow in memory; writes nothing.
Result<QuantizeResult> run_quantize(const QuantizeJob& job);

nlohmann::json make_report(const QuantizeResult& result, const Recipe& recipe);

// Which outputs to write (the studio's export dialog, `lowbit export`); the chosen ones appear together.
struct OutputSelection {
    std::string format = "qdq";  // an exporter's name (export/exporter.h); empty: no model
    bool table = true, report = true;
};
// Writes the format's files, OUT/calibration.json and OUT/report.json: all or none. Returns the paths.
Result<std::vector<std::filesystem::path>> write_outputs(const QuantizeResult& result, const Recipe& recipe,
                                                         const std::filesystem::path& out_dir,
                                                         const OutputSelection& selection = {});

// Top-1/top-5 before and after on the recipe's labelled evaluation data (evaluation.data / labels).
Result<AccuracyPair> evaluate_accuracy(const ir::Model& original, const ir::Model& quantized,
                                       const Recipe& recipe, ProgressFn progress = {},
                                       const CancelToken* cancel = nullptr);

// Multiply-accumulates per precision label ("INT8", "INT4", "W8A16", "FP16", "FP32") of a plan's layers, from
// a model summary's per-layer costs (matched by layer name; unknown costs count as 0).
std::map<std::string, uint64_t> macs_by_precision(const analysis::ModelSummary& summary,
                                                  const quant::QuantPlan& plan);

}  // namespace lowbit::workflow
