// Einsum for one or two operands, explicit or implicit output, ellipsis; computed as a sum over the
// product of every label's range (fine for the small equations models use around attention).
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_einsum_kernel();

}  // namespace lowbit::runtime
