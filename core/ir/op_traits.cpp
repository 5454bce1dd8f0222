#include "ir/op_traits.h"

#include <algorithm>
#include <array>
#include <vector>

namespace lowbit::ir {

namespace {

bool default_domain(const Node& n) {
    return n.domain.empty() || n.domain == "ai.onnx";
}

// Dimensions as numbers: known values, symbols count as 1, unknown gives nullopt.
std::optional<std::vector<uint64_t>> concrete(const std::optional<ValueInfo>& v) {
    if (!v || !v->has_shape) return std::nullopt;
    std::vector<uint64_t> out;
    for (const auto& d : v->dims) {
        if (d.is_known())
            out.push_back(static_cast<uint64_t>(d.value));
        else if (d.is_symbolic())
            out.push_back(1);
        else
            return std::nullopt;
    }
    return out;
}

uint64_t product(const std::vector<uint64_t>& dims, size_t from = 0) {
    uint64_t p = 1;
    for (size_t k = from; k < dims.size(); ++k)
        p *= dims[k];
    return p;
}

std::optional<ValueInfo> value(const Graph& g, const Node& n, size_t input) {
    if (input >= n.inputs.size() || n.inputs[input].empty()) return std::nullopt;
    return g.find_value_info(n.inputs[input]);
}

std::optional<ValueInfo> output(const Graph& g, const Node& n) {
    if (n.outputs.empty()) return std::nullopt;
    return g.find_value_info(n.outputs[0]);
}

// step: the MAC formulas

// N * Cout * out_spatial * (Cin/group) * kernel
std::optional<uint64_t> conv_macs(const Graph& g, const Node& n) {
    const OpTraits* t = op_traits(n);
    auto out = concrete(output(g, n));
    auto w = concrete(value(g, n, static_cast<size_t>(t->weight_input)));
    if (!out || !w || w->size() < 2 || out->size() < 2) return std::nullopt;
    return product(*out) * (*w)[1] * product(*w, 2);
}

// N * Cin * in_spatial * (Cout/group) * kernel
std::optional<uint64_t> conv_transpose_macs(const Graph& g, const Node& n) {
    auto x = concrete(value(g, n, 0));
    auto w = concrete(value(g, n, 1));
    if (!x || !w || w->size() < 2 || x->size() < 2) return std::nullopt;
    return product(*x) * (*w)[1] * product(*w, 2);
}

std::optional<uint64_t> gemm_macs(const Graph& g, const Node& n) {
    auto out = concrete(output(g, n));
    auto a = concrete(value(g, n, 0));
    if (!out || !a || a->size() != 2 || out->size() != 2) return std::nullopt;
    uint64_t k = n.attr_int("transA", 0) ? (*a)[0] : (*a)[1];
    return product(*out) * k;
}

// every output element is a K-long dot product
std::optional<uint64_t> matmul_macs(const Graph& g, const Node& n) {
    auto out = concrete(output(g, n));
    auto a = concrete(value(g, n, 0));
    if (!out || !a || a->empty()) return std::nullopt;
    return product(*out) * a->back();
}

OpTraits compute(std::string_view op, int weight, int bias,
                 std::optional<uint64_t> (*macs)(const Graph&, const Node&), bool planned = true) {
    OpTraits t;
    t.op_type = op;
    t.compute = planned;
    t.weight_input = weight;
    t.bias_input = bias;
    t.macs = macs;
    return t;
}

OpTraits moving(std::string_view op) {
    OpTraits t;
    t.op_type = op;
    t.moves_values = true;
    return t;
}

OpTraits own_kernel(std::string_view op) {
    OpTraits t;
    t.op_type = op;
    t.own_integer_kernel = true;
    return t;
}

OpTraits flag(std::string_view op, bool absorbable, bool random) {
    OpTraits t;
    t.op_type = op;
    t.absorbable = absorbable;
    t.random = random;
    return t;
}

const std::vector<OpTraits>& table() {
    static const std::vector<OpTraits> rows = [] {
        std::vector<OpTraits> r = {
            // compute layers: weight input, bias input, MACs
            compute("Conv", 1, 2, conv_macs),
            compute("ConvTranspose", 1, 2, conv_transpose_macs),
            compute("Gemm", 1, 2, gemm_macs),
            compute("MatMul", 1, -1, matmul_macs),
            // their integer forms: MACs only (already quantized)
            compute("QLinearConv", 3, 8, conv_macs, false),
            compute("ConvInteger", 1, -1, conv_macs, false),
            compute("QLinearMatMul", 3, -1, matmul_macs, false),
            compute("MatMulInteger", 1, -1, matmul_macs, false),
            // ops that only move or select values (ONNX Runtime drops the Q/DQ pair around them)
            moving("MaxPool"),
            moving("Reshape"),
            moving("Flatten"),
            moving("Transpose"),
            moving("Squeeze"),
            moving("Unsqueeze"),
            moving("Slice"),
            moving("Gather"),
            moving("Split"),
            moving("Resize"),
            moving("DepthToSpace"),
            moving("SpaceToDepth"),
            moving("Expand"),
            moving("Tile"),
            // ops with integer kernels of their own (QLinearAdd, QLinearConcat, QLinearAveragePool, ...)
            own_kernel("Add"),
            own_kernel("Concat"),
            own_kernel("AveragePool"),
            own_kernel("GlobalAveragePool"),
            // activations a layer absorbs
            flag("Relu", true, false),
            flag("Clip", true, false),
            // random ops
            flag("RandomNormal", false, true),
            flag("RandomNormalLike", false, true),
            flag("RandomUniform", false, true),
            flag("RandomUniformLike", false, true),
            flag("Bernoulli", false, true),
            flag("Multinomial", false, true),
        };
        std::sort(r.begin(), r.end(),
                  [](const OpTraits& a, const OpTraits& b) { return a.op_type < b.op_type; });
        return r;
    }();
    return rows;
}

}  // namespace

const OpTraits* op_traits(std::string_view op_type) {
    const auto& rows = table();
    auto it = std::lower_bound(rows.begin(), rows.end(), op_type,
                               [](const OpTraits& t, std::string_view op) { return t.op_type < op; });
    return it != rows.end() && it->op_type == op_type ? &*it : nullptr;
}

const OpTraits* op_traits(const Node& node) {
    return default_domain(node) ? op_traits(node.op_type) : nullptr;
}

bool is_compute_op(const Node& node) {
    const OpTraits* t = op_traits(node);
    return t && t->compute;
}

bool has_bias_input(const Node& node) {
    const OpTraits* t = op_traits(node);
    return t && t->compute && t->bias_input >= 0;
}

bool moves_values(const Node& node) {
    const OpTraits* t = op_traits(node);
    return t && t->moves_values;
}

bool is_random_op(const Node& node) {
    const OpTraits* t = op_traits(node);
    return t && t->random;
}

std::optional<uint64_t> node_macs(const Graph& graph, const Node& node) {
    const OpTraits* t = op_traits(node);
    if (!t || !t->macs || node.outputs.empty()) return std::nullopt;
    return t->macs(graph, node);
}

}  // namespace lowbit::ir
