// DequantizeLinear: y = (x - zero_point) * scale as float32, per tensor, per axis or (opset 21) per block;
// x is int8, uint8, int16, uint16, int32 (no zero point) or packed int4/uint4.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_dequantize_linear_kernel();

}  // namespace lowbit::runtime
