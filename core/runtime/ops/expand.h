// Expand (broadcast to a shape), Tile (repeat along each axis) and Range (start, limit, delta).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_expand_kernel();
std::unique_ptr<Kernel> make_tile_kernel();
std::unique_ptr<Kernel> make_range_kernel();

}  // namespace lowbit::runtime
