// Pad (constant, reflect, edge, wrap; pads from the attribute before opset 11 or inputs, axes from 18)
// and DepthToSpace / SpaceToDepth (DCR and CRD modes).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_pad_kernel();
std::unique_ptr<Kernel> make_depth_to_space_kernel();
std::unique_ptr<Kernel> make_space_to_depth_kernel();

}  // namespace lowbit::runtime
