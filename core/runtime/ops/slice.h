// Slice: starts/ends/axes/steps from attributes (opset < 10) or inputs, negative steps and clamping as ONNX.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_slice_kernel();

}  // namespace lowbit::runtime
