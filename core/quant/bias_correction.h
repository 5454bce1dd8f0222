// Bias correction (NNCF's fast bias correction, AIMET's empirical one without the whole-model pass):
// rounding a layer's weights and clipping and rounding its input shift the mean of its output channels.
// Over the calibration data, each layer is run alone, quantized, on the float model's input to it; the
// shift per output channel, the mean of y_float - y_quantized over the positions the layer's absorbed
// Relu/Clip passes (where it cuts, a shift changes nothing downstream), is added to the layer's bias.
// Each layer removes the shift it makes itself, so the corrections compose: a layer downstream gets
// inputs whose means are already right. (Correcting each layer for the whole upstream error at once
// over-corrects: every layer also fixes what the layers before it fix.) One pass over the data. The
// corrections live in the plan (QuantPlan::bias_corrections) and the QDQ exporter adds them to the bias
// it stores, so the prepared float model stays the reference for the per-layer error.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "data/source.h"
#include "ir/model.h"
#include "quant/layer_pass.h"
#include "quant/plan.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::quant {

// Where a layer's bias can take a correction: Conv/ConvTranspose/Gemm (their bias input, created when
// missing; Gemm's scaled by 1/beta) and MatMul followed by an Add of a constant vector. Returns the
// channel axis of the layer's output (1, or -1 for the last), or nullopt when the layer cannot be corrected.
std::optional<int> bias_correction_axis(const ir::Graph& graph, const LayerPlan& layer);

// For a MatMul layer: the Add (the MatMul's only reader) that adds a constant vector to it, and which of the
// Add's inputs is that constant.
struct BiasAdd {
    ir::NodeId node = ir::kNoNode;
    size_t slot = 0;  // which input of the Add is the constant
};
std::optional<BiasAdd> matmul_bias_add(const ir::Graph& graph, const LayerPlan& layer);

// Which layers get bias correction (advanced.bias_correction): none, all, or auto = the layers with weights
// of 4 bits or fewer, where rounding shifts the channel means most.
enum class BiasCorrectionMode { kOff, kAuto, kOn };
std::string_view name_of(BiasCorrectionMode mode);  // "false", "auto", "true"
// The plan's INT layers with a weight that `mode` corrects.
std::set<std::string> bias_correction_layers(const QuantPlan& plan, BiasCorrectionMode mode);

struct BiasCorrectionOptions : LayerPassOptions {
    // bytes of layer values held per batch: the batch is made smaller when batch_size samples would hold
    // more (a model with large activations and many layers); 0: no limit
    size_t memory_budget = size_t{256} << 20;
};

// The corrections (layer name -> one value per output channel) for the plan's INT layers with a quantized
// weight and one activation input, measured on `source`. Any corrections `plan` holds are not used.
Result<std::map<std::string, std::vector<float>>> estimate_bias_corrections(
    const ir::Model& prepared, const QuantPlan& plan, data::DataSource& source,
    const BiasCorrectionOptions& options);

}  // namespace lowbit::quant
