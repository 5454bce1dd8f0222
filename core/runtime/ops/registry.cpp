#include "runtime/ops/registry.h"

#include <algorithm>
#include <set>

namespace lowbit::runtime {

// The lists themselves, one per operator family, each naming every kernel explicitly.
void add_tensor_kernels(
    std::vector<KernelEntry>& list);  // registry_tensor.cpp: element-wise, shape, reduce, ...
void add_nn_kernels(
    std::vector<KernelEntry>& list);  // registry_nn.cpp: conv, gemm, pooling, norms, quantized

const std::vector<KernelEntry>& kernel_registry() {
    static const std::vector<KernelEntry> entries = [] {
        std::vector<KernelEntry> list;
        add_tensor_kernels(list);
        add_nn_kernels(list);
        return list;
    }();
    return entries;
}

const KernelEntry* find_kernel(const std::string& domain, const std::string& op_type, int64_t opset) {
    for (const auto& e : kernel_registry())
        if (domain == e.domain && op_type == e.op_type && opset >= e.min_opset && opset <= e.max_opset)
            return &e;
    return nullptr;
}

std::vector<std::string> registered_op_types() {
    std::set<std::string> names;
    for (const auto& e : kernel_registry())
        names.insert(std::string(e.domain).empty() ? e.op_type : std::string(e.domain) + "::" + e.op_type);
    return {names.begin(), names.end()};
}

}  // namespace lowbit::runtime
