// Gather (rows picked by indices along an axis), GatherElements (element-wise along an axis) and
// ScatterND (updates written at index tuples, with the reduction attribute).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_gather_kernel();
std::unique_ptr<Kernel> make_gather_elements_kernel();
std::unique_ptr<Kernel> make_scatter_nd_kernel();

}  // namespace lowbit::runtime
