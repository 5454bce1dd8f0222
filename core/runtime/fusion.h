// Inference-only fusions the executor applies to its private copy of the nodes (never to the user's IR):
// the decomposed LayerNorm (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add) and exact GELU
// (Div/Erf/Add/Mul/Mul) patterns replaced by single kernels,
// BatchNormalization folded into the preceding Conv/ConvTranspose when both have constant parameters, and a
// Relu, LeakyRelu or Clip with constant bounds absorbed by the preceding Conv/ConvTranspose/Gemm/MatMul
// through the internal attributes below, which those kernels honour.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/tensor.h"

namespace lowbit::runtime {

// Domain of the kernels fusion emits that the model's opset may lack (LayerNormalization before opset 17).
inline constexpr const char* kFusedDomain = "lowbit";

// Internal attributes set on a fused Conv/ConvTranspose/Gemm/MatMul node:
//   lowbit.activation        string: "Relu", "LeakyRelu" or "Clip"
//   lowbit.activation_params floats: LeakyRelu [alpha]; Clip [min, max]
inline constexpr const char* kFusedActivation = "lowbit.activation";
inline constexpr const char* kFusedActivationParams = "lowbit.activation_params";

struct FusionConstants {
    std::function<const Tensor*(const std::string&)> get;  // a constant value, or nullptr
    std::function<void(const std::string&, Tensor)> add;   // a new constant
};

// Rewrites `nodes` (topologically ordered) in place; values listed in `protected_values` (graph outputs)
// are never fused away. Returns how many nodes were removed.
size_t fuse_for_inference(std::vector<ir::Node>& nodes, const std::vector<std::string>& protected_values,
                          const FusionConstants& constants);

// Applies the activation recorded by the attributes above to `data` (n floats), in place.
struct FusedActivation {
    enum Kind { kNone, kRelu, kLeakyRelu, kClip } kind = kNone;
    float a = 0.0f, b = 0.0f;
    static FusedActivation from_node(const ir::Node& node);
    void apply(float* data, int64_t n) const;
};

}  // namespace lowbit::runtime
