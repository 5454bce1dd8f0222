// Identity and Dropout (inference): the output is the input (a view, no copy); Dropout's optional mask is all
// true.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_identity_kernel();
std::unique_ptr<Kernel> make_dropout_kernel();

}  // namespace lowbit::runtime
