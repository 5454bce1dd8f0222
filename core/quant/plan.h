// The quantization plan: which layers run at which precision (and which rule decided it), and for every
// quantized tensor its spec and parameters. A plan is built from a prepared model, a calibration table
// (the observers' statistics) and settings; it is pure data, so the studio can rebuild it after a
// per-layer change without running the calibration data again.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/model.h"
#include "quant/calibration_table.h"
#include "quant/observer.h"
#include "quant/quant_spec.h"
#include "util/status.h"

namespace lowbit::quant {

struct PlacementRules;

// A per-layer override from the config or the studio. Later rules win.
struct LayerRule {
    enum class Match { kName, kGlob, kOpType };
    Match match = Match::kName;
    std::string pattern;
    std::optional<Precision> precision;
    std::optional<int> weight_bits;  // 2..16
    std::optional<int> act_bits;     // 8 or 16
    std::optional<Algorithm> algorithm;
    std::string origin;  // where the rule came from, for reports ("edge.yaml:7:5 sensitive_layers")
    bool matches(const ir::Node& node) const;
    bool operator==(const LayerRule&) const = default;
};

struct QuantSettings {
    int weight_bits = 8;
    int act_bits = 8;
    bool per_channel = true;             // weights
    bool symmetric_activations = false;  // activations are asymmetric by default
    Algorithm algorithm = Algorithm::kMinMax;
    AlgorithmParams params;
    WeightAlgorithm weight_algorithm = WeightAlgorithm::kMinMax;
    bool weight_only = false;                // quantize weights only; activations stay float
    std::string target = "onnxruntime-cpu";  // placement rules (quant/placement.h)
    std::vector<LayerRule> rules;
    Status validate() const;
};

// A compute layer (Conv, ConvTranspose, Gemm, MatMul) and how it runs.
struct LayerPlan {
    ir::NodeId node = ir::kNoNode;
    std::string name;
    std::string op_type;
    Precision precision = Precision::kInt;
    int weight_bits = 8;
    int act_bits = 8;
    Algorithm algorithm = Algorithm::kMinMax;
    std::string rule = "default";      // the rule that decided this layer
    std::vector<std::string> inputs;   // activation inputs (float, not constant)
    std::string weight;                // weight initializer, or "" (two-input MatMul)
    std::string bias;                  // bias initializer, or ""
    std::string output;                // the layer's result after an absorbed Relu/Clip
    std::vector<ir::NodeId> absorbed;  // the activation nodes it absorbs
};

// One quantized tensor.
struct TensorPlan {
    std::string name;
    QuantSpec spec;
    QuantParams params;
    float clip_lo = 0.0f, clip_hi = 0.0f;  // the range the algorithm chose (activations)
    std::string algorithm;                 // "kl", "mse", ... or "shared" / weight algorithm
    std::string shares;                    // shares the parameters of this tensor (data-movement ops)
};

struct QuantPlan {
    std::vector<LayerPlan> layers;  // in schedule order
    std::map<std::string, TensorPlan> activations;
    std::map<std::string, TensorPlan> weights;
    std::vector<std::string> notes;  // things the user should know (bias kept float, fallbacks)
    // Empirical bias correction (quant/bias_correction.h): layer name -> value added to each output
    // channel's bias when the QDQ model is built. Empty unless advanced.bias_correction ran.
    std::map<std::string, std::vector<float>> bias_corrections;
    // Weights rounded other than to nearest (quant/gptq.h): weight name -> its integers, in the
    // initializer's layout, on the grid of weights[name]. The QDQ exporter stores these instead.
    std::map<std::string, std::vector<int32_t>> rounded_weights;
    std::string target;  // whose placement rules made it (quant/placement.h); "" = the default

    const LayerPlan* layer(const std::string& name) const;
};

// The axis of a layer's weight (of `rank` dims) that holds its output channels: Conv 0, ConvTranspose 1,
// Gemm 0 or 1 by transB, MatMul the last. Per-channel scales and the studio's channel ranges use it.
int64_t weight_channel_axis(const ir::Node& layer, int64_t rank);

// The compute layers of a prepared model with their default settings (no rules, no parameters yet); where
// their results are quantized follows the target's placement rules (null: the default target).
std::vector<LayerPlan> find_layers(const ir::Model& model, const PlacementRules* placement = nullptr);

// find_layers with the settings applied: each quantizable layer's precision, bits, algorithm and deciding
// rule, as build_plan decides them, without a calibration table (what the studio shows while editing).
std::vector<LayerPlan> resolve_layers(const ir::Model& model, const QuantSettings& settings);

// Tensors worth observing during calibration: float values produced by compute (not shape) nodes and
// the graph's float inputs.
std::vector<std::string> observable_tensors(const ir::Model& model);

// Builds the plan. Fails when the table lacks statistics for a tensor the plan quantizes.
Result<QuantPlan> build_plan(const ir::Model& model, const CalibrationTable& table,
                             const QuantSettings& settings);

// The plan reduced to one layer (its inputs, weight and output), for isolated error.
QuantPlan restrict_to_layer(const QuantPlan& plan, const LayerPlan& layer);

// A model of one layer alone (its node, its initializers, its activation inputs as graph inputs), for
// isolated error and bias correction. With `absorbed`, the layer's absorbed activation follows and the
// output is layer.output; without, the output is the compute node's own result (the LayerPlan returned
// then absorbs nothing and names that result as its output). The LayerPlan's node ids are the new model's.
struct IsolatedLayer {
    ir::Model model;
    LayerPlan layer;
};
IsolatedLayer isolate_layer(const ir::Model& prepared, const LayerPlan& layer, bool absorbed);

}  // namespace lowbit::quant
