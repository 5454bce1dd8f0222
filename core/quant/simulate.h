// The simulator: a quantization plan applied to the prepared float model as standard QuantizeLinear/
// DequantizeLinear pairs, the fake-quantized model our engine runs to predict what a deployed model computes.
// Weights are stored quantized (INT8, or INT4/INT16 at opset 21) behind a DequantizeLinear; biases as INT32
// with scale = input scale x weight scale; every quantized activation gets one Q/DQ pair after its producer,
// shared by all readers. FP16 layers are stored in half precision between Casts. A layer kept in float never
// sits between a DequantizeLinear and the rest of its QDQ group: FP32 Conv/ConvTranspose/Gemm read the
// unquantized tensor, because ONNX Runtime would otherwise quantize their float weights itself.
//
// The form is also what ONNX Runtime and TensorRT turn into integer kernels, so the QDQ exporter
// (export/qdq_onnx) writes this model as it is; other exporters (the Ascend deploy model) build their own
// graph from the plan. A run builds the whole model's simulation once and shares it (per-layer error,
// accuracy, export); simulate_layer builds the one-layer models of the isolated error and bias correction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/model.h"
#include "quant/plan.h"
#include "util/status.h"

namespace lowbit::quant {

struct Simulation {
    ir::Model model;
    std::vector<std::string> notes;  // e.g. a bias kept in float because INT32 would overflow
};

Result<Simulation> simulate(const ir::Model& prepared, const QuantPlan& plan);

// One layer of the plan alone in a small model that reads the layer's float inputs, quantized as the plan
// says. with_activation: the absorbed Relu/Clip and the output's quantization point are included (the
// isolated error); otherwise the model ends at the layer's own float output (bias correction).
// with_bias_correction: the plan's correction for the layer is applied where the small model can take it.
struct LayerSimulation {
    ir::Model model;
    std::string output;  // the value that carries the layer's result
};
Result<LayerSimulation> simulate_layer(const ir::Model& prepared, const QuantPlan& plan,
                                       const LayerPlan& layer, bool with_activation,
                                       bool with_bias_correction);

// How many whole-model and one-layer simulations this process has built (tests: one whole model per run).
struct SimulationCounts {
    int64_t models = 0, layers = 0;
};
SimulationCounts simulation_counts();

// Name of the value that carries tensor `name` after quantization in a simulated model.
std::string dequantized_name(const std::string& name);

}  // namespace lowbit::quant
