// The operator-kernel interface. One operator per file pair in ops/, each exposing a factory that
// ops/registry.cpp lists explicitly (no static self-registration, which a static link can drop).
//
// Life of a kernel: the planner creates one per node and calls init() once with the node, the opset and
// the inputs that are constant (initializers), so it can parse attributes and pre-pack weights. Then run()
// is called for every inference with the actual inputs; it allocates its outputs through ctx.allocate()
// (the executor's pooled allocator) or returns views of its inputs.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::runtime {

struct KernelInit {
    const ir::Node& node;
    int64_t opset = 0;  // the opset imported for the node's domain
    // One entry per node input: the constant value if the input is an initializer, else nullptr.
    std::vector<const Tensor*> constants;
};

struct KernelContext {
    const ir::Node& node;
    std::span<const Tensor* const> inputs;  // nullptr where an optional input is omitted
    std::vector<Tensor>& outputs;           // sized to node.outputs; the kernel fills each
    Allocator& allocator;
    int threads = 1;
    // Set by the executor for element-wise kernels (each output element computed from the inputs' elements
    // at the same position) when an input is read for the last time and nothing else refers to it: the
    // first allocation of that input's type and element count then writes into its storage.
    Tensor reuse = {};

    Tensor allocate(DataType type, Shape shape) {
        if (!reuse.empty()) {
            Tensor donor = std::move(reuse);
            reuse = Tensor();
            if (donor.type() == type && donor.numel() == shape_numel(shape))
                return donor.view(std::move(shape));
        }
        return allocator.allocate(type, std::move(shape));
    }
    // Input i, or nullptr when it is absent (omitted or beyond the node's inputs).
    const Tensor* input(size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
    size_t input_count() const { return inputs.size(); }
    // "node 'conv1' (Conv): " for error messages.
    std::string where() const { return node.label() + ": "; }
};

class Kernel {
  public:
    virtual ~Kernel() = default;
    virtual Status init(const KernelInit& init) {
        (void)init;
        return Status::ok();
    }
    virtual Status run(KernelContext& ctx) = 0;
};

// Errors kernels raise: "node 'x' (Conv): <message>".
inline Status kernel_error(const KernelContext& ctx, const std::string& message) {
    return invalid_input(ctx.where() + message);
}
inline Status kernel_init_error(const KernelInit& init, const std::string& message) {
    return invalid_input(init.node.label() + ": " + message);
}

}  // namespace lowbit::runtime
