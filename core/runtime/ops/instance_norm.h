// InstanceNormalization: each (image, channel) plane normalised by its own mean and variance, then
// y = scale[c] * x_hat + B[c].
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_instance_norm_kernel();

}  // namespace lowbit::runtime
