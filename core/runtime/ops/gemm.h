// Gemm: Y = alpha * op(A) * op(B) + beta * C with transA/transB and C broadcast to [M, N] (C is required
// before opset 11). A constant B is transposed once at init so every run is a plain Eigen product.
// Honours the activation the executor's fusion pass records on the node (fusion.h).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_gemm_kernel();

}  // namespace lowbit::runtime
