// GPTQ weight rounding (Frantar et al. 2022; the "gptq" of ONNX Runtime, NNCF and AMCT's LLM tool): instead
// of rounding each weight to its nearest grid point, a layer's weights are rounded one input column at a
// time and the rounding error of each column is pushed onto the columns not yet rounded, weighted by the
// inverse of H = X X^T, the second moment of the layer's input over the calibration data. That minimises
// ||W X - Q X||^2, the error of the layer's output, rather than ||W - Q||^2. The scales (per channel or per
// tensor, from the weight range algorithm) are kept; only which integer each weight gets changes. It
// matters at 4 bits, where nearest rounding leaves a large output error.
//
// H is accumulated from the float model's input to each layer (im2col columns for a Conv, per group),
// layers grouped so their H matrices fit a memory budget: one pass over the data per group. The integers
// go into the plan (QuantPlan::rounded_weights) and the QDQ exporter stores them.
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

// Which layers get GPTQ rounding (advanced.weight_rounding): nearest for all, GPTQ for all, or auto = GPTQ
// for the layers with weights of 4 bits or fewer, where nearest rounding leaves a large output error.
enum class WeightRounding { kAuto, kNearest, kGptq };
std::string_view name_of(WeightRounding mode);  // "auto", "nearest", "gptq"
// The plan's INT layers with a weight that `mode` sends to GPTQ.
std::set<std::string> gptq_layers(const QuantPlan& plan, WeightRounding mode);

struct GptqOptions : LayerPassOptions {
    double damp = 0.01;     // added to H's diagonal, as a fraction of its mean (GPTQ's percdamp)
    bool act_order = true;  // round the columns with the largest input energy first
    // A layer whose input vectors (samples x positions) number fewer than this times its input width keeps
    // nearest rounding: with too few, the rounding fits those samples and is worse on others.
    double min_columns = 2.0;
    size_t memory_budget = size_t{1} << 30;  // bytes of H matrices held at once (more layers: more passes)
    // Input vectors used per layer: about max_columns times its input width but at least min_vectors,
    // every k-th of each sample's; H costs width^2 per vector, so wide layers of big models stay
    // affordable. max_columns 0: all.
    double max_columns = 64.0;
    int64_t min_vectors = 8192;
};

struct GptqResult {
    std::map<std::string, std::vector<int32_t>>
        weights;                     // weight name -> integers in the initializer's layout
    std::vector<std::string> notes;  // layers left at nearest rounding, and why
};

// True when GPTQ can round `layer`'s weight: an INT layer with a quantized constant weight and one
// activation input, a 1-3-D Conv, a Gemm without transA, or a MatMul with a 2-D weight.
bool gptq_supports(const ir::Graph& graph, const QuantPlan& plan, const LayerPlan& layer);

// Rounds the weights of the plan's supported layers (or those in options.layers) with GPTQ, measuring H on
// `source` through the float model `prepared`.
Result<GptqResult> gptq_round_weights(const ir::Model& prepared, const QuantPlan& plan,
                                      data::DataSource& source, const GptqOptions& options);

// The GPTQ step on one weight matrix (rows: output channels, row-major rows x cols) with its input second
// moment H (cols x cols, row-major, symmetric): the integers, row-major. scale/zero_point per row.
// Exposed for tests against a direct evaluation of the objective.
Result<std::vector<int32_t>> gptq_round_matrix(const std::vector<float>& w, int64_t rows, int64_t cols,
                                               std::vector<double> h, const std::vector<float>& scale,
                                               const std::vector<int32_t>& zero_point, int64_t qmin,
                                               int64_t qmax, double damp, bool act_order);

}  // namespace lowbit::quant
