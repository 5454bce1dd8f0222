#include "runtime/ops/transpose.h"

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class TransposeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        perm_ = init.node.attr_ints("perm");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        std::vector<int64_t> perm = perm_;
        if (perm.empty())
            for (int64_t k = x->rank() - 1; k >= 0; --k)
                perm.push_back(k);
        if (static_cast<int64_t>(perm.size()) != x->rank())
            return kernel_error(ctx, "perm does not match the input rank");
        auto in_strides = strides_of(x->shape());
        Shape out(perm.size());
        std::vector<int64_t> src_strides(perm.size());
        for (size_t k = 0; k < perm.size(); ++k) {
            auto axis = normalize_axis(perm[k], x->rank());
            if (!axis) return kernel_error(ctx, "perm has an axis out of range");
            out[k] = x->dim(*axis);
            src_strides[k] = in_strides[static_cast<size_t>(*axis)];
        }
        size_t elem = element_size(x->type());
        if (!elem) return kernel_error(ctx, "element type is not supported");
        Tensor y = ctx.allocate(x->type(), out);
        copy_strided(x->raw(), src_strides, 0, y.raw(), out, elem);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    std::vector<int64_t> perm_;
};

}  // namespace

std::unique_ptr<Kernel> make_transpose_kernel() {
    return std::make_unique<TransposeKernel>();
}

}  // namespace lowbit::runtime
