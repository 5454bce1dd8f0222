// QDQ ONNX: the quantization plan written as standard QuantizeLinear/DequantizeLinear pairs, the form
// ONNX Runtime and TensorRT turn into integer kernels. Weights are stored quantized (INT8, or INT4/INT16
// at opset 21) behind a DequantizeLinear; biases as INT32 with scale = input scale x weight scale; every
// quantized activation gets one Q/DQ pair after its producer, shared by all readers. FP16 layers are
// stored in half precision between Casts. A layer kept in float never sits between a DequantizeLinear
// and the rest of its QDQ group: FP32 Conv/ConvTranspose/Gemm read the unquantized tensor, because ONNX
// Runtime would otherwise quantize their float weights itself (its WeightBiasQuantization rule).
// The same model, run by our engine, is the simulation: one graph for simulating and for deploying.
#pragma once

#include "ir/model.h"
#include "quant/plan.h"
#include "util/status.h"

namespace lowbit::exporter {

struct QdqResult {
    ir::Model model;
    std::vector<std::string> notes;  // e.g. a bias kept in float because INT32 would overflow
};

Result<QdqResult> build_qdq_model(const ir::Model& prepared, const quant::QuantPlan& plan);

// Name of the value that carries tensor `name` after quantization in a QDQ model from build_qdq_model.
std::string dequantized_name(const std::string& name);

}  // namespace lowbit::exporter
