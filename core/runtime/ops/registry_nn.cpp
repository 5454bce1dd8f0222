// Kernels for convolution, matrix products, pooling, normalisation, resizing and quantized operators.
#include "runtime/ops/registry.h"

namespace lowbit::runtime {

void add_nn_kernels(std::vector<KernelEntry>& list) {
    list.insert(list.end(), {
    });
}

}  // namespace lowbit::runtime
