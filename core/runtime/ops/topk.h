// TopK (largest/smallest k along an axis, sorted, ties by lower index) and CumSum (exclusive, reverse).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_topk_kernel();
std::unique_ptr<Kernel> make_cumsum_kernel();

}  // namespace lowbit::runtime
