// The recipe: everything a quantization run needs, read from a YAML config (the schema AMCT-style tools
// use, sections quantize / calibration / advanced, plus Lowbit's own keys) or built by the studio.
// The studio's project file is the same schema with `model` and the data source filled in.
// Errors carry file:line:column; keys that are accepted but not implemented yet produce warnings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "data/source.h"
#include "quant/bias_correction.h"
#include "quant/gptq.h"
#include "quant/plan.h"
#include "util/status.h"

namespace lowbit::workflow {

struct EvalSpec {
    std::filesystem::path data;  // images (IDX/.npy) for accuracy before and after
    std::filesystem::path labels;
    int64_t num_samples = 0;  // 0 = all
};

struct Recipe {
    std::filesystem::path model;    // optional (project files)
    std::string method = "static";  // static | mixed_precision | weight_only
    quant::QuantSettings settings;
    quant::Precision sensitive_precision = quant::Precision::kFp16;
    // calibration
    int64_t num_samples = 512;
    int64_t batch_size = 32;
    int num_bins = 2048;
    data::SourceSpec data;  // calibration data (path may come from --calib)
    // analysis and evaluation
    int64_t error_samples = 64;  // samples for per-layer error; 0 = skip the analysis
    EvalSpec eval;
    // advanced
    bool fold_batchnorm = true;          // advanced.enable_layer_fusion
    bool depthwise_equalization = true;  // advanced.depthwise_equalization (quant/balance.h)
    bool dmq_balancer = false;           // advanced.dmq_balancer: SmoothQuant-style balancing of other layers
    double migration_strength = 0.5;     // advanced.dmq_balancer.migration_strength
    quant::BiasCorrectionMode bias_correction = quant::BiasCorrectionMode::kAuto;  // advanced.bias_correction
    quant::WeightRounding weight_rounding = quant::WeightRounding::kAuto;          // advanced.weight_rounding
    int threads = 0;
    std::vector<std::string> warnings;
};

// Reads a YAML config; `text_name` names it in messages, relative paths resolve against `base_dir`.
// `overrides` are "section.key=value" assignments from the command line (value in YAML syntax, e.g.
// "calibration.algorithm=kl", "quantize.sensitive_layers=[conv1]"); they replace the file's values.
Result<Recipe> parse_recipe(const std::string& yaml_text, const std::string& text_name,
                            const std::filesystem::path& base_dir,
                            const std::vector<std::string>& overrides = {});
Result<Recipe> load_recipe(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

// The recipe as YAML in the same schema (a project file): every setting written explicitly, rules as
// `quantize.rules` entries in order. Paths are written relative to `base_dir` when they lie under it
// (so a project can move with its files), absolute otherwise; parse_recipe(recipe_to_yaml(r)) == r.
std::string recipe_to_yaml(const Recipe& recipe, const std::filesystem::path& base_dir = {});

}  // namespace lowbit::workflow
