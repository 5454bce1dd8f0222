// Element-wise unary operators (as ncnn's UnaryOp, one kernel for the family): activations (Relu,
// LeakyRelu, Elu, Selu, Celu, Sigmoid, HardSigmoid, HardSwish, Tanh, Softplus, Softsign, Gelu, Mish) and math
// (Erf, Sqrt, Exp, Log, Neg, Abs, Reciprocal, Floor, Ceil, Round, Sign, Sin, Cos, Not).
#pragma once

#include <string>

#include "runtime/kernel.h"

namespace lowbit::runtime {

// One factory per op type, all backed by the same kernel class.
std::unique_ptr<Kernel> make_unary_kernel(const std::string& op_type);

#define LOWBIT_UNARY_FACTORY(op)                          \
    inline std::unique_ptr<Kernel> make_##op##_kernel() { \
        return make_unary_kernel(#op);                    \
    }
LOWBIT_UNARY_FACTORY(Relu)
LOWBIT_UNARY_FACTORY(LeakyRelu)
LOWBIT_UNARY_FACTORY(Elu)
LOWBIT_UNARY_FACTORY(Selu)
LOWBIT_UNARY_FACTORY(Celu)
LOWBIT_UNARY_FACTORY(Sigmoid)
LOWBIT_UNARY_FACTORY(HardSigmoid)
LOWBIT_UNARY_FACTORY(HardSwish)
LOWBIT_UNARY_FACTORY(Tanh)
LOWBIT_UNARY_FACTORY(Softplus)
LOWBIT_UNARY_FACTORY(Softsign)
LOWBIT_UNARY_FACTORY(Gelu)
LOWBIT_UNARY_FACTORY(Mish)
LOWBIT_UNARY_FACTORY(ThresholdedRelu)
LOWBIT_UNARY_FACTORY(Erf)
LOWBIT_UNARY_FACTORY(Sqrt)
LOWBIT_UNARY_FACTORY(Exp)
LOWBIT_UNARY_FACTORY(Log)
LOWBIT_UNARY_FACTORY(Neg)
LOWBIT_UNARY_FACTORY(Abs)
LOWBIT_UNARY_FACTORY(Reciprocal)
LOWBIT_UNARY_FACTORY(Floor)
LOWBIT_UNARY_FACTORY(Ceil)
LOWBIT_UNARY_FACTORY(Round)
LOWBIT_UNARY_FACTORY(Sign)
LOWBIT_UNARY_FACTORY(Sin)
LOWBIT_UNARY_FACTORY(Cos)
LOWBIT_UNARY_FACTORY(Not)
#undef LOWBIT_UNARY_FACTORY

}  // namespace lowbit::runtime
