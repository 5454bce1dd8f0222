// Channel balancing before calibration: per-tensor activation quantization wastes its grid when a few
// channels of a tensor are far larger than the rest (PP-OCRv4's backbone: channel maxima 8-17x apart).
// A channel's values are divided by s_c where they are made and its weights multiplied by s_c where they
// are read, which leaves the float model's function unchanged:
//   - depthwise Conv inputs: s_c = m_c / max(m) (full equalization), free because per-channel weight scales
//     absorb any s_c exactly (on by default, advanced.depthwise_equalization);
//   - other Conv/Gemm/MatMul inputs: SmoothQuant's s_c = m_c^a / w_c^(1-a), AMCT's DMQ balancer with
//     migration strength a (opt-in, advanced.dmq_balancer).
// Where they are made: a Mul by a constant (optionally followed by an Add of a constant), whose constants
// become per-channel, or a Conv (optionally followed by Relu), whose output channels are rescaled.
// The scales depend on the calibration data (per-channel absolute maxima), so they are stored in the
// calibration table and re-applied when re-quantizing from it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "data/source.h"
#include "ir/model.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::quant {

struct BalanceSite {
    std::string tensor;                 // the activation whose channels are balanced
    ir::NodeId consumer = ir::kNoNode;  // the layer reading it (Conv, Gemm, MatMul)
    bool depthwise = false;
    int64_t channels = 0;
    int axis = 1;  // channel axis of `tensor` (1 for Conv, last for Gemm/MatMul)
};

// Sites the model offers: depthwise Conv inputs when `depthwise`, other layer inputs when `others`.
std::vector<BalanceSite> find_balance_sites(const ir::Model& model, bool depthwise, bool others);

struct BalanceOptions {
    int64_t batch_size = 32;
    int threads = 0;
    ProgressFn progress;
    const CancelToken* cancel = nullptr;
};

// Per-channel absolute maxima of the sites' tensors over every sample of `source`.
Result<std::map<std::string, std::vector<float>>> channel_absmax(const ir::Model& model,
                                                                 const std::vector<BalanceSite>& sites,
                                                                 data::DataSource& source,
                                                                 const BalanceOptions& options);

// The scales s_c per site tensor from the maxima (see the header comment); `migration_strength` in [0, 1].
std::map<std::string, std::vector<float>> balance_scales(
    const ir::Model& model, const std::vector<BalanceSite>& sites,
    const std::map<std::string, std::vector<float>>& absmax, double migration_strength);

// Rewrites the model with the scales (new initializers; node and value names unchanged). Fails, changing
// nothing, when a scale's tensor is no longer a site or its length differs (a table from another model).
Result<std::vector<std::string>> apply_balance(ir::Model& model,
                                               const std::map<std::string, std::vector<float>>& scales);

}  // namespace lowbit::quant
