#include "quant/placement.h"

#include "ir/op_traits.h"

namespace lowbit::quant {

namespace {

bool moves_values(const ir::Graph&, const ir::Node& n) {
    return ir::moves_values(n);
}

// A residual Add or a Concat (two activations or more; an Add of a constant is a float elementwise op), or a
// pool.
bool joins_or_pools(const ir::Graph& g, const ir::Node& n) {
    const ir::OpTraits* t = ir::op_traits(n);
    if (!t || !t->own_integer_kernel) return false;
    if (n.op_type != "Add" && n.op_type != "Concat") return true;
    int activations = 0;
    for (const auto& in : n.inputs)
        activations += !in.empty() && !g.initializer(in);
    return activations >= 2;
}

// Relu, or Clip with constant (or absent) bounds.
bool relu_or_constant_clip(const ir::Graph& g, const ir::Node& n) {
    const ir::OpTraits* t = ir::op_traits(n);
    if (!t || !t->absorbable) return false;
    if (n.op_type != "Clip") return true;
    for (size_t i = 1; i < n.inputs.size(); ++i)
        if (!n.inputs[i].empty() && !g.initializer(n.inputs[i])) return false;
    return true;
}

PlacementRules onnxruntime_cpu() {
    PlacementRules r;
    r.target = "onnxruntime-cpu";
    r.description = "ONNX Runtime, CPU execution provider (QDQ fusion into QLinear* / integer kernels)";
    r.shares_input_params = moves_values;
    r.own_integer_kernel = joins_or_pools;
    r.absorbed_activation = relu_or_constant_clip;
    // ONNX Runtime fuses U8S8 QDQ groups everywhere (QLinearAdd, NHWC max pool); with int8 activations it
    // left the ResNet's residual blocks in float
    r.unsigned_asymmetric_activations = true;
    r.float_layers_read_float = true;  // its WeightBiasQuantization rule quantizes float weights behind a DQ
    return r;
}

}  // namespace

const std::vector<PlacementRules>& placement_targets() {
    static const std::vector<PlacementRules> rows = {onnxruntime_cpu()};
    return rows;
}

Result<const PlacementRules*> placement_for(std::string_view target) {
    const auto& rows = placement_targets();
    if (target.empty()) return &rows.front();
    std::string known;
    for (const auto& r : rows) {
        if (r.target == target) return &r;
        known += (known.empty() ? "" : ", ") + std::string(r.target);
    }
    return invalid_input("unknown target '" + std::string(target) + "' (targets: " + known + ")");
}

}  // namespace lowbit::quant
