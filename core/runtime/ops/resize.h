// Resize (opsets 10-19+) and Upsample (opsets 7-9): nearest, (multi)linear and cubic resampling of any
// axes, applied separably one axis at a time. Supports every coordinate_transformation_mode, nearest_mode,
// cubic_coeff_a, exclude_outside, extrapolation_value (tf_crop_and_resize with roi), scales or sizes, and
// from opset 18 axes, keep_aspect_ratio_policy and antialias. float32 data.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_resize_kernel();
std::unique_ptr<Kernel> make_upsample_kernel();

}  // namespace lowbit::runtime
