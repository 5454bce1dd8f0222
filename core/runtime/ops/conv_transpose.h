// ConvTranspose: 1-D/2-D/3-D transposed convolution with groups, strides, dilations, pads, output_padding,
// output_shape and auto_pad, computed as an Eigen GEMM (W^T * X) followed by col2im. Honours the activation
// the executor's fusion pass records on the node (fusion.h).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_conv_transpose_kernel();

}  // namespace lowbit::runtime
