// Softmax, LogSoftmax and Hardmax: over one axis from opset 13, over the flattened trailing axes before.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_softmax_kernel();
std::unique_ptr<Kernel> make_log_softmax_kernel();
std::unique_ptr<Kernel> make_hardmax_kernel();

}  // namespace lowbit::runtime
