// NonMaxSuppression: per batch and class, greedy selection by score with an IoU threshold
// (center_point_box 0: [y1,x1,y2,x2] corners in any order; 1: [xc,yc,w,h]).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_nms_kernel();

}  // namespace lowbit::runtime
