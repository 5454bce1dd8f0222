// Where (select by a bool condition, with broadcasting) and Clip (bounds from attributes before opset 11,
// from optional inputs after; any numeric type).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_where_kernel();
std::unique_ptr<Kernel> make_clip_kernel();

}  // namespace lowbit::runtime
