#include "runtime/ops/global_pool.h"

#include <algorithm>

namespace lowbit::runtime {

namespace {

template <bool kMax>
class GlobalPoolKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input X is required");
        if (x->type() != DataType::kFloat) return kernel_error(ctx, "only float32 is supported");
        if (x->rank() < 2) return kernel_error(ctx, "X must have rank >= 2, got " + shape_string(x->shape()));
        Shape out = x->shape();
        for (size_t d = 2; d < out.size(); ++d)
            out[d] = 1;
        const int64_t planes = x->dim(0) * x->dim(1), s = planes ? x->numel() / planes : 0;
        Tensor y = ctx.allocate(DataType::kFloat, out);
        const float* xd = x->data<float>();
        float* yd = y.data<float>();
        for (int64_t p = 0; p < planes; ++p) {
            const float* xp = xd + p * s;
            if (kMax) {
                yd[p] = s ? *std::max_element(xp, xp + s) : 0.0f;
            } else {
                float sum = 0.0f;
                for (int64_t i = 0; i < s; ++i)
                    sum += xp[i];
                yd[p] = s ? sum / static_cast<float>(s) : 0.0f;
            }
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

}  // namespace

std::unique_ptr<Kernel> make_global_average_pool_kernel() {
    return std::make_unique<GlobalPoolKernel<false>>();
}
std::unique_ptr<Kernel> make_global_max_pool_kernel() {
    return std::make_unique<GlobalPoolKernel<true>>();
}

}  // namespace lowbit::runtime
