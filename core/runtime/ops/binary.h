// Element-wise operators with numpy broadcasting (as ncnn's BinaryOp, one kernel for the family):
// arithmetic (Add, Sub, Mul, Div, Pow, Mod, PRelu), variadic (Sum, Mean, Max, Min), comparisons (Equal, Less,
// Greater, LessOrEqual, GreaterOrEqual) and logic (And, Or, Xor). Adjacent dimensions that broadcast alike
// are merged, so the inner loop runs over long contiguous or constant stretches.
#pragma once

#include <string>

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_binary_kernel(const std::string& op_type);

#define LOWBIT_BINARY_FACTORY(op)                         \
    inline std::unique_ptr<Kernel> make_##op##_kernel() { \
        return make_binary_kernel(#op);                   \
    }
LOWBIT_BINARY_FACTORY(Add)
LOWBIT_BINARY_FACTORY(Sub)
LOWBIT_BINARY_FACTORY(Mul)
LOWBIT_BINARY_FACTORY(Div)
LOWBIT_BINARY_FACTORY(Pow)
LOWBIT_BINARY_FACTORY(Mod)
LOWBIT_BINARY_FACTORY(PRelu)
LOWBIT_BINARY_FACTORY(Sum)
LOWBIT_BINARY_FACTORY(Mean)
LOWBIT_BINARY_FACTORY(Max)
LOWBIT_BINARY_FACTORY(Min)
LOWBIT_BINARY_FACTORY(Equal)
LOWBIT_BINARY_FACTORY(Less)
LOWBIT_BINARY_FACTORY(Greater)
LOWBIT_BINARY_FACTORY(LessOrEqual)
LOWBIT_BINARY_FACTORY(GreaterOrEqual)
LOWBIT_BINARY_FACTORY(And)
LOWBIT_BINARY_FACTORY(Or)
LOWBIT_BINARY_FACTORY(Xor)
#undef LOWBIT_BINARY_FACTORY

// Broadcast-applies f(a, b) -> R over two tensors into `out` (already shaped to the broadcast shape).
// Exposed for Where and other kernels that need the same walk.
struct BroadcastWalk {
    std::vector<int64_t> dims;                  // merged output dims
    std::vector<std::vector<int64_t>> strides;  // per operand, merged
    static BroadcastWalk make(const Shape& out, const std::vector<const Shape*>& operands);
    // Calls body(offsets..., count) for each innermost run: offsets of each operand and of the output.
    template <typename Body>
    void for_each_run(Body&& body) const;
};

template <typename Body>
void BroadcastWalk::for_each_run(Body&& body) const {
    size_t rank = dims.size();
    size_t n_ops = strides.size();
    int64_t inner = rank ? dims[rank - 1] : 1;
    std::vector<int64_t> idx(rank, 0), off(n_ops, 0);
    int64_t out_off = 0;
    int64_t outer = 1;
    for (size_t k = 0; k + 1 < rank; ++k)
        outer *= dims[k];
    for (int64_t o = 0; o < outer; ++o) {
        body(off, out_off, inner);
        out_off += inner;
        // advance the outer index (all but the last dim)
        for (size_t k = rank - 1; k-- > 0;) {
            ++idx[k];
            for (size_t p = 0; p < n_ops; ++p)
                off[p] += strides[p][k];
            if (idx[k] < dims[k]) break;
            for (size_t p = 0; p < n_ops; ++p)
                off[p] -= strides[p][k] * dims[k];
            idx[k] = 0;
        }
    }
}

}  // namespace lowbit::runtime
