// What the passes, the planner, the simulator and the summary need to know about an operator, in one
// table instead of op lists scattered through the code: which ops are compute layers and where their weight
// and bias are, which only move values (their output shares the input's quantization), which have integer
// kernels of their own, which activations a layer absorbs, which are random, and how many multiply-
// accumulates a node costs. Default-domain ops only; a new op is one row in op_traits.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ir/graph.h"

namespace lowbit::ir {

struct OpTraits {
    std::string_view op_type;
    bool compute = false;  // a layer with weights that quantization plans (Conv, ConvTranspose, Gemm, MatMul)
    int weight_input = -1;  // the input holding the weight (compute ops and their integer forms)
    int bias_input = -1;    // the input holding the bias, where the op has one (Conv, ConvTranspose, Gemm)
    bool moves_values = false;  // only moves or selects values: output shares the input's quantization
    bool own_integer_kernel =
        false;                // has an integer kernel with its own output parameters (QLinearAdd, ...)
    bool absorbable = false;  // an activation fused into the layer before it (Relu, Clip)
    bool random = false;      // nondeterministic: never folded or precomputed
    // Multiply-accumulates of a node from the graph's value infos; null: the op has no MAC formula.
    std::optional<uint64_t> (*macs)(const Graph& graph, const Node& node) = nullptr;
};

// The row for a node's op (default domain), or null when the table has none.
const OpTraits* op_traits(const Node& node);
const OpTraits* op_traits(std::string_view op_type);

// Shorthands for the questions asked most.
bool is_compute_op(const Node& node);   // compute layer that quantization plans
bool has_bias_input(const Node& node);  // Conv, ConvTranspose, Gemm: a bias a pass can create or change
bool moves_values(const Node& node);
bool is_random_op(const Node& node);

// MACs of one node; nullopt if the op has no formula or a shape it needs is unknown. Symbolic dims count
// as 1.
std::optional<uint64_t> node_macs(const Graph& graph, const Node& node);

}  // namespace lowbit::ir
