// Kernels for element-wise math, activations, comparisons, shape manipulation, indexing and reductions.
#include "runtime/ops/identity.h"
#include "runtime/ops/registry.h"

namespace lowbit::runtime {

void add_tensor_kernels(std::vector<KernelEntry>& list) {
    list.insert(list.end(), {
        {"", "Identity", 1, INT_MAX, &make_identity_kernel},
        {"", "Dropout", 1, INT_MAX, &make_dropout_kernel},
    });
}

}  // namespace lowbit::runtime
