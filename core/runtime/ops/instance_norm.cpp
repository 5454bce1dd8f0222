#include "runtime/ops/instance_norm.h"

#include <cmath>

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class InstanceNormKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        epsilon_ = init.node.attr_float("epsilon", 1e-5f);
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* scale = ctx.input(1);
        const Tensor* bias = ctx.input(2);
        if (!x || !scale || !bias) return kernel_error(ctx, "inputs input, scale and B are required");
        if (x->type() != DataType::kFloat || scale->type() != DataType::kFloat ||
            bias->type() != DataType::kFloat)
            return kernel_error(ctx, "only float32 is supported");
        if (x->rank() < 3)
            return kernel_error(ctx, "input must have rank >= 3, got " + shape_string(x->shape()));
        const int64_t n = x->dim(0), c = x->dim(1), s = x->numel() / std::max<int64_t>(1, n * c);
        if (scale->numel() != c || bias->numel() != c)
            return kernel_error(ctx, "scale and B must have " + std::to_string(c) + " values");
        Tensor y = ctx.allocate(DataType::kFloat, x->shape());
        const float* xd = x->data<float>();
        float* yd = y.data<float>();
        for (int64_t p = 0; p < n * c; ++p) {
            const float* xp = xd + p * s;
            float* yp = yd + p * s;
            double sum = 0.0;
            for (int64_t i = 0; i < s; ++i)
                sum += xp[i];
            const float mean = static_cast<float>(sum / static_cast<double>(s));
            double sq = 0.0;
            for (int64_t i = 0; i < s; ++i) {
                const double d = static_cast<double>(xp[i]) - mean;
                sq += d * d;
            }
            const float inv = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(s) + epsilon_));
            const float a = scale->data<float>()[p % c] * inv;
            const float b = bias->data<float>()[p % c] - mean * a;
            for (int64_t i = 0; i < s; ++i)
                yp[i] = xp[i] * a + b;
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    float epsilon_ = 1e-5f;
};

}  // namespace

std::unique_ptr<Kernel> make_instance_norm_kernel() {
    return std::make_unique<InstanceNormKernel>();
}

}  // namespace lowbit::runtime
