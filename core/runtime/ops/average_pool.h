// AveragePool: 1-D/2-D/3-D average pooling with strides, pads/auto_pad, ceil_mode, count_include_pad and
// (opset 19) dilations.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_average_pool_kernel();

}  // namespace lowbit::runtime
