// Concat (joins along an axis) and Split (cuts along an axis: by `split` sizes from the attribute or input,
// num_outputs from opset 18, or equal parts).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_concat_kernel();
std::unique_ptr<Kernel> make_split_kernel();

}  // namespace lowbit::runtime
