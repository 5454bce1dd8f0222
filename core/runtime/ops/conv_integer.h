// ConvInteger and QLinearConv: convolution of 8-bit integers with exact int32 accumulation of
// (x - x_zero_point) * (w - w_zero_point) (w per tensor or per output channel). ConvInteger returns the
// int32 sums; QLinearConv adds the int32 bias and requantizes with x_scale * w_scale / y_scale
// (round half to even, saturated to y_zero_point's type).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_conv_integer_kernel();
std::unique_ptr<Kernel> make_qlinear_conv_kernel();

}  // namespace lowbit::runtime
