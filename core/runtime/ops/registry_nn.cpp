// Kernels for convolution, matrix products, pooling, normalisation, resizing and quantized operators.
#include "runtime/ops/average_pool.h"
#include "runtime/ops/batch_norm.h"
#include "runtime/ops/conv.h"
#include "runtime/ops/conv_integer.h"
#include "runtime/ops/conv_transpose.h"
#include "runtime/ops/dequantize_linear.h"
#include "runtime/ops/dynamic_quantize_linear.h"
#include "runtime/ops/gemm.h"
#include "runtime/ops/global_pool.h"
#include "runtime/ops/instance_norm.h"
#include "runtime/ops/layer_norm.h"
#include "runtime/ops/matmul.h"
#include "runtime/ops/matmul_integer.h"
#include "runtime/ops/max_pool.h"
#include "runtime/ops/quantize_linear.h"
#include "runtime/ops/registry.h"
#include "runtime/ops/resize.h"

namespace lowbit::runtime {

void add_nn_kernels(std::vector<KernelEntry>& list) {
    list.insert(
        list.end(),
        {
            // convolution and matrix products
            {"", "Conv", 1, INT_MAX, &make_conv_kernel},
            {"", "ConvTranspose", 1, INT_MAX, &make_conv_transpose_kernel},
            {"", "Gemm", 1, INT_MAX, &make_gemm_kernel},
            {"", "MatMul", 1, INT_MAX, &make_matmul_kernel},
            // normalisation
            {"", "BatchNormalization", 1, INT_MAX, &make_batch_norm_kernel},
            {"", "LayerNormalization", 17, INT_MAX, &make_layer_norm_kernel},
            {"lowbit", "LayerNormalization", 0, INT_MAX, &make_layer_norm_kernel},  // fusion.h: kFusedDomain
            {"", "InstanceNormalization", 1, INT_MAX, &make_instance_norm_kernel},
            // pooling
            {"", "MaxPool", 1, INT_MAX, &make_max_pool_kernel},
            {"", "AveragePool", 1, INT_MAX, &make_average_pool_kernel},
            {"", "GlobalAveragePool", 1, INT_MAX, &make_global_average_pool_kernel},
            {"", "GlobalMaxPool", 1, INT_MAX, &make_global_max_pool_kernel},
            // resizing: Upsample 7-9 (10 deprecates it), Resize from 10
            {"", "Upsample", 7, 10, &make_upsample_kernel},
            {"", "Resize", 10, INT_MAX, &make_resize_kernel},
            // quantization
            {"", "QuantizeLinear", 10, INT_MAX, &make_quantize_linear_kernel},
            {"", "DequantizeLinear", 10, INT_MAX, &make_dequantize_linear_kernel},
            {"", "DynamicQuantizeLinear", 11, INT_MAX, &make_dynamic_quantize_linear_kernel},
            {"", "ConvInteger", 10, INT_MAX, &make_conv_integer_kernel},
            {"", "QLinearConv", 10, INT_MAX, &make_qlinear_conv_kernel},
            {"", "MatMulInteger", 10, INT_MAX, &make_matmul_integer_kernel},
            {"", "QLinearMatMul", 10, INT_MAX, &make_qlinear_matmul_kernel},
        });
}

}  // namespace lowbit::runtime
