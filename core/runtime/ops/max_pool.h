// MaxPool: 1-D/2-D/3-D max pooling with strides, dilations, pads/auto_pad and ceil_mode, for float, double,
// int8 and uint8; the optional Indices output holds flat indices into X (row- or column-major per
// storage_order).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_max_pool_kernel();

}  // namespace lowbit::runtime
