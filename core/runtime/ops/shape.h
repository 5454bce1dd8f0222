// Shape (the input's dims as int64, with start/end from opset 15), Size (element count), Constant (the
// value attribute in any of its forms) and ConstantOfShape (a filled tensor of a given shape).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_shape_kernel();
std::unique_ptr<Kernel> make_size_kernel();
std::unique_ptr<Kernel> make_constant_kernel();
std::unique_ptr<Kernel> make_constant_of_shape_kernel();

}  // namespace lowbit::runtime
