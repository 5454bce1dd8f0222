// Cast and CastLike between the numeric types, bool and float16/bfloat16 (saturating nothing: C casts
// as ONNX specifies for the types it defines; float to int truncates toward zero).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_cast_kernel();
std::unique_ptr<Kernel> make_cast_like_kernel();

// Converts `x` to `to` (helper for other kernels).
Status cast_tensor(const Tensor& x, DataType to, Tensor& y);

}  // namespace lowbit::runtime
