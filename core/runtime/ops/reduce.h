// Reductions over axes (attribute before opset 18 (13 for ReduceSum), input after; keepdims,
// noop_with_empty_axes): ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2,
// ReduceLogSum, ReduceLogSumExp, ReduceSumSquare; and ArgMax / ArgMin (keepdims, select_last_index).
#pragma once

#include <string>

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_reduce_kernel(const std::string& op_type);
std::unique_ptr<Kernel> make_argmax_kernel();
std::unique_ptr<Kernel> make_argmin_kernel();

#define LOWBIT_REDUCE_FACTORY(op)                         \
    inline std::unique_ptr<Kernel> make_##op##_kernel() { \
        return make_reduce_kernel(#op);                   \
    }
LOWBIT_REDUCE_FACTORY(ReduceMean)
LOWBIT_REDUCE_FACTORY(ReduceSum)
LOWBIT_REDUCE_FACTORY(ReduceMax)
LOWBIT_REDUCE_FACTORY(ReduceMin)
LOWBIT_REDUCE_FACTORY(ReduceProd)
LOWBIT_REDUCE_FACTORY(ReduceL1)
LOWBIT_REDUCE_FACTORY(ReduceL2)
LOWBIT_REDUCE_FACTORY(ReduceLogSum)
LOWBIT_REDUCE_FACTORY(ReduceLogSumExp)
LOWBIT_REDUCE_FACTORY(ReduceSumSquare)
#undef LOWBIT_REDUCE_FACTORY

}  // namespace lowbit::runtime
