// BatchNormalization: y = scale * (x - mean) / sqrt(var + epsilon) + B per channel (per activation when an
// old opset sets spatial = 0). With training_mode (opset 14+) the batch statistics are used and the
// running mean / variance outputs are produced. Constant parameters are folded to y = x * a + b at init.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_batch_norm_kernel();

}  // namespace lowbit::runtime
