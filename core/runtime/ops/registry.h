// The explicit list of operator kernels, keyed by domain, op type and opset range.
#pragma once

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernel.h"

namespace lowbit::runtime {

using KernelFactory = std::unique_ptr<Kernel> (*)();

struct KernelEntry {
    const char* domain;  // "" is ai.onnx
    const char* op_type;
    int64_t min_opset;  // the entry serves opsets [min_opset, max_opset]
    int64_t max_opset;
    KernelFactory create;
};

const std::vector<KernelEntry>& kernel_registry();

// The kernel for op_type at `opset` in `domain`, or nullptr.
const KernelEntry* find_kernel(const std::string& domain, const std::string& op_type, int64_t opset);

// Every registered op type (for docs and the conformance driver).
std::vector<std::string> registered_op_types();

}  // namespace lowbit::runtime
