// The quantization workflow end to end, as the CLI and the studio run it:
//   prepare (passes) -> calibrate (or load a table) -> plan (settings + rules) -> QDQ model
//   -> per-layer error -> accuracy before/after (optional) -> report,
// and writing the three outputs together (model_qdq.onnx, calibration.json, report.json), atomically.
// Each stage is also callable alone; the studio re-plans from the stored table after a per-layer change.
#pragma once

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "analysis/evaluate.h"
#include "analysis/layer_error.h"
#include "analysis/model_summary.h"
#include "config/recipe.h"
#include "export/qdq_onnx.h"
#include "passes/passes.h"
#include "quant/calibrator.h"
#include "util/progress.h"

namespace lowbit::quant {

struct Prepared {
    ir::Model model;                       // after the passes
    std::vector<passes::PassReport> passes;
};
Result<Prepared> prepare(const ir::Model& original, const config::Recipe& recipe);

// Opens the recipe's calibration data checked against the model's input.
Result<std::unique_ptr<data::DataSource>> open_calibration_data(const ir::Model& model, const config::Recipe& recipe);

struct QuantizeJob {
    std::filesystem::path model_path;
    config::Recipe recipe;
    std::optional<std::filesystem::path> table;  // re-quantize from this table instead of calibrating
    ProgressFn progress;
    const CancelToken* cancel = nullptr;
};

struct AccuracyPair {
    analysis::Accuracy before, after;
};

struct QuantizeResult {
    ir::Model original;
    Prepared prepared;
    CalibrationTable table;
    QuantPlan plan;
    exporter::QdqResult qdq;
    std::vector<analysis::LayerError> errors;
    std::optional<AccuracyPair> accuracy;
    std::string data_description;
    std::vector<std::string> warnings;
    uint64_t size_before = 0, size_after = 0;  // serialized model bytes
};

// Runs the whole workflow in memory; writes nothing.
Result<QuantizeResult> run_quantize(const QuantizeJob& job);

nlohmann::json make_report(const QuantizeResult& result, const config::Recipe& recipe);

// Writes OUT/model_qdq.onnx, OUT/calibration.json and OUT/report.json: all or none.
Status write_outputs(const QuantizeResult& result, const config::Recipe& recipe, const std::filesystem::path& out_dir);

// Which of the three outputs to write (the studio's export dialog); the chosen ones appear together.
struct OutputSelection {
    bool model = true, table = true, report = true;
};
// The same, for a selection; returns the paths written.
Result<std::vector<std::filesystem::path>> write_outputs(const QuantizeResult& result, const config::Recipe& recipe,
                                                         const std::filesystem::path& out_dir,
                                                         const OutputSelection& selection);

// ---- the studio's stages: calibrate once, then re-plan from the stored table after every edit ----

// Calibrates the prepared model on the recipe's calibration data (all of run_quantize's statistics step).
struct Calibrated {
    Prepared prepared;
    CalibrationTable table;
    std::string data_description;
    std::vector<std::string> warnings;
    std::shared_ptr<data::DataSource> source;  // the opened calibration data, reused for the error analysis
};
Result<Calibrated> calibrate_model(const ir::Model& original, const std::string& model_name, const config::Recipe& recipe,
                                   ProgressFn progress = {}, const CancelToken* cancel = nullptr);

// Plan, QDQ model, sizes and per-layer error (recipe.error_samples of the calibration data) from a stored
// table: no calibration data is run except the few error samples (from `source` when given, else the
// recipe's data is opened). Accuracy is left to evaluate_accuracy.
Result<QuantizeResult> quantize_from_table(ir::Model original, const Prepared& prepared,
                                           const CalibrationTable& table, const config::Recipe& recipe,
                                           ProgressFn progress = {}, const CancelToken* cancel = nullptr,
                                           data::DataSource* source = nullptr);

// Top-1/top-5 before and after on the recipe's labelled evaluation data (evaluation.data / labels).
Result<AccuracyPair> evaluate_accuracy(const ir::Model& original, const ir::Model& quantized, const config::Recipe& recipe,
                                       ProgressFn progress = {}, const CancelToken* cancel = nullptr);

// Multiply-accumulates per precision label ("INT8", "INT4", "W8A16", "FP16", "FP32") of a plan's layers, from
// a model summary's per-layer costs (matched by layer name; unknown costs count as 0).
std::map<std::string, uint64_t> macs_by_precision(const analysis::ModelSummary& summary, const QuantPlan& plan);

}  // namespace lowbit::quant
