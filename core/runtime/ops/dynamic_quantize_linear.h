// DynamicQuantizeLinear: uint8 quantization of a float tensor with a scale and zero point computed from its
// own range (always including 0): y, y_scale, y_zero_point.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_dynamic_quantize_linear_kernel();

}  // namespace lowbit::runtime
