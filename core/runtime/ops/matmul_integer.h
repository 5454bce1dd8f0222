// MatMulInteger and QLinearMatMul: numpy-style matrix products of 8-bit integers with exact int32
// accumulation of (a - a_zero_point) * (b - b_zero_point) (a per tensor or per row, b per tensor or per
// column). MatMulInteger returns the int32 sums; QLinearMatMul requantizes with a_scale * b_scale / y_scale
// (round half to even, saturated to y_zero_point's type).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_matmul_integer_kernel();
std::unique_ptr<Kernel> make_qlinear_matmul_kernel();

}  // namespace lowbit::runtime
