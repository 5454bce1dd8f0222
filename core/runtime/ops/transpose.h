// Transpose: permutes axes (default: reverses them); any fixed-size element type.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_transpose_kernel();

}  // namespace lowbit::runtime
