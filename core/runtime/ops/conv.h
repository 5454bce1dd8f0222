// Conv: 1-D/2-D/3-D convolution with groups, strides, dilations, pads/auto_pad and optional bias.
// Depthwise convolutions run a direct vector loop; convolutions with enough weights per output go to oneDNN
// (onednn.h); the rest are im2col (skipped for 1x1) + GEMM, or oneDNN's when it rejects a problem.
// Honours the activation the executor's fusion pass records on the node (fusion.h).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_conv_kernel();

}  // namespace lowbit::runtime
