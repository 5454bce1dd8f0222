// QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point), per tensor, per axis or (opset 21)
// per block. The output type is the zero point's, else output_dtype (opset 21), else uint8; int8, uint8,
// int16, uint16, int32 and packed int4/uint4.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_quantize_linear_kernel();

}  // namespace lowbit::runtime
