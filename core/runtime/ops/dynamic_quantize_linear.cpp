#include "runtime/ops/dynamic_quantize_linear.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class DynamicQuantizeLinearKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input x is required");
        if (x->type() != DataType::kFloat) return kernel_error(ctx, "only float32 is supported");
        const int64_t n = x->numel();
        const float* xd = x->data<float>();
        float lo = 0.0f, hi = 0.0f;
        for (int64_t i = 0; i < n; ++i) {
            lo = std::min(lo, xd[i]);
            hi = std::max(hi, xd[i]);
        }
        // scale over [min(0, x), max(0, x)]; a zero range keeps scale 1 (nothing to divide by)
        float scale = (hi - lo) / 255.0f;
        if (scale == 0.0f) scale = 1.0f;
        const float zp_f = std::nearbyint((0.0f - lo) / scale);
        const int32_t zp = static_cast<int32_t>(std::min(std::max(zp_f, 0.0f), 255.0f));
        Tensor y = ctx.allocate(DataType::kUint8, x->shape());
        uint8_t* yd = y.data<uint8_t>();
        for (int64_t i = 0; i < n; ++i)
            yd[i] = static_cast<uint8_t>(nn::quantize_value(xd[i] / scale, zp, 0, 255));
        Tensor ts = ctx.allocate(DataType::kFloat, {});
        ts.data<float>()[0] = scale;
        Tensor tz = ctx.allocate(DataType::kUint8, {});
        tz.data<uint8_t>()[0] = static_cast<uint8_t>(zp);
        ctx.outputs[0] = std::move(y);
        if (ctx.outputs.size() > 1) ctx.outputs[1] = std::move(ts);
        if (ctx.outputs.size() > 2) ctx.outputs[2] = std::move(tz);
        return Status::ok();
    }
};

}  // namespace

std::unique_ptr<Kernel> make_dynamic_quantize_linear_kernel() {
    return std::make_unique<DynamicQuantizeLinearKernel>();
}

}  // namespace lowbit::runtime
