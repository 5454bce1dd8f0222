// Shape-only operators that return a view of their input (no copy): Reshape, Flatten, Squeeze, Unsqueeze.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_reshape_kernel();
std::unique_ptr<Kernel> make_flatten_kernel();
std::unique_ptr<Kernel> make_squeeze_kernel();
std::unique_ptr<Kernel> make_unsqueeze_kernel();

}  // namespace lowbit::runtime
