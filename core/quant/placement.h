// Placement rules per deployment target: where quantization points go so that the target's runtime turns
// the QDQ groups into integer kernels. One row per target (ONNX Runtime's CPU provider today; TensorRT and
// Ascend are rows to add), read by build_plan and the simulator instead of choices hard-coded for one
// runtime. A rule is a predicate over the graph, usually a column of the op traits table (ir/op_traits.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "util/status.h"

namespace lowbit::quant {

struct PlacementRules {
    std::string_view target;  // the config's word (quantize.target)
    std::string_view description;
    // The op only moves or selects values: its output takes its input's parameters, and the runtime drops
    // the Q/DQ pair around it and runs it on integers.
    bool (*shares_input_params)(const ir::Graph& graph, const ir::Node& node) = nullptr;
    // The op has an integer kernel with output parameters of its own (a residual Add, a Concat, a pool),
    // used when all its activation inputs are quantized.
    bool (*own_integer_kernel)(const ir::Graph& graph, const ir::Node& node) = nullptr;
    // The activation is fused into the compute layer before it: the quantization point goes after it.
    bool (*absorbed_activation)(const ir::Graph& graph, const ir::Node& node) = nullptr;
    // Asymmetric activations are stored unsigned (U8S8 kernels), symmetric ones signed.
    bool unsigned_asymmetric_activations = true;
    // A layer kept in float must read the unquantized tensor: the runtime would quantize the weights of a
    // float Conv/Gemm that reads a DequantizeLinear itself.
    bool float_layers_read_float = true;
};

// Every target, the default first.
const std::vector<PlacementRules>& placement_targets();
// The rules of `target` ("" = the default), or an error naming the known targets.
Result<const PlacementRules*> placement_for(std::string_view target);

}  // namespace lowbit::quant
