#include "runtime/ops/identity.h"

#include <cstring>

namespace lowbit::runtime {

namespace {

class IdentityKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        ctx.outputs[0] = *x;
        return Status::ok();
    }
};

class DropoutKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        ctx.outputs[0] = *x;
        if (ctx.outputs.size() > 1 && !ctx.node.outputs[1].empty()) {
            Tensor mask = ctx.allocate(DataType::kBool, x->shape());
            std::memset(mask.raw(), 1, mask.bytes());
            ctx.outputs[1] = std::move(mask);
        }
        return Status::ok();
    }
};

}  // namespace

std::unique_ptr<Kernel> make_identity_kernel() {
    return std::make_unique<IdentityKernel>();
}
std::unique_ptr<Kernel> make_dropout_kernel() {
    return std::make_unique<DropoutKernel>();
}

}  // namespace lowbit::runtime
