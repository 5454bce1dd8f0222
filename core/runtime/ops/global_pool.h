// GlobalAveragePool and GlobalMaxPool: the mean / max of each (image, channel) plane, output [N, C, 1, ...].
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_global_average_pool_kernel();
std::unique_ptr<Kernel> make_global_max_pool_kernel();

}  // namespace lowbit::runtime
