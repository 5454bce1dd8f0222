// MatMul with numpy semantics: 1-D operands promoted (and the added dim removed), batch dims broadcast.
// When B is 2-D (a weight) all of A's rows go through one Eigen product; a constant B is copied to a dense
// float buffer at init. Honours the activation the executor's fusion pass records on the node (fusion.h).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_matmul_kernel();

}  // namespace lowbit::runtime
