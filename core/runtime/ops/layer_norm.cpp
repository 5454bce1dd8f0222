#include "runtime/ops/layer_norm.h"

#include <cmath>

#include "runtime/ops/nn_util.h"
#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

// `t` broadcast to `shape` as a dense vector (t's rank must not exceed shape's); false when incompatible.
bool expand_to(const Tensor& t, const Shape& shape, std::vector<float>& out) {
    if (t.rank() > static_cast<int64_t>(shape.size())) return false;
    auto b = broadcast_shapes(t.shape(), shape);
    if (!b || *b != shape) return false;
    const int64_t count = shape_numel(shape);
    out.resize(static_cast<size_t>(count));
    if (t.numel() == count) {
        std::copy(t.data<float>(), t.data<float>() + count, out.begin());
        return true;
    }
    const auto strides = broadcast_strides(t.shape(), shape);
    const auto own = strides_of(shape);
    for (int64_t i = 0; i < count; ++i) {
        int64_t off = 0;
        for (size_t d = 0; d < shape.size(); ++d)
            off += (i / own[d]) % shape[d] * strides[d];
        out[static_cast<size_t>(i)] = t.data<float>()[off];
    }
    return true;
}

class LayerNormKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", -1);
        epsilon_ = init.node.attr_float("epsilon", 1e-5f);
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* scale = ctx.input(1);
        const Tensor* bias = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        if (!x || !scale) return kernel_error(ctx, "inputs X and Scale are required");
        if (x->type() != DataType::kFloat || scale->type() != DataType::kFloat ||
            (bias && bias->type() != DataType::kFloat))
            return kernel_error(ctx, "only float32 is supported");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis)
            return kernel_error(
                ctx, "axis " + std::to_string(axis_) + " is out of range for " + shape_string(x->shape()));
        const Shape norm_shape(x->shape().begin() + *axis, x->shape().end());
        const int64_t cols = shape_numel(norm_shape), rows = cols ? x->numel() / cols : 0;
        if (!expand_to(*scale, norm_shape, scale_))
            return kernel_error(ctx, "Scale " + shape_string(scale->shape()) + " does not broadcast to " +
                                         shape_string(norm_shape));
        if (bias && !expand_to(*bias, norm_shape, bias_))
            return kernel_error(ctx, "B " + shape_string(bias->shape()) + " does not broadcast to " +
                                         shape_string(norm_shape));
        Tensor y = ctx.allocate(DataType::kFloat, x->shape());
        Shape stat_shape = x->shape();
        for (size_t d = static_cast<size_t>(*axis); d < stat_shape.size(); ++d)
            stat_shape[d] = 1;
        const bool want_mean = ctx.outputs.size() > 1 && !ctx.node.outputs[1].empty();
        const bool want_inv = ctx.outputs.size() > 2 && !ctx.node.outputs[2].empty();
        Tensor mean_t = want_mean ? ctx.allocate(DataType::kFloat, stat_shape) : Tensor();
        Tensor inv_t = want_inv ? ctx.allocate(DataType::kFloat, stat_shape) : Tensor();
        const float* xd = x->data<float>();
        float* yd = y.data<float>();
        for (int64_t r = 0; r < rows; ++r) {
            const float* xr = xd + r * cols;
            float* yr = yd + r * cols;
            float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
            for (int64_t i = 0; i < cols; ++i)
                sum += xr[i];
            const float mean = sum / static_cast<float>(cols);
            float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
            for (int64_t i = 0; i < cols; ++i) {
                const float d = xr[i] - mean;
                sq += d * d;
            }
            const float inv = 1.0f / std::sqrt(sq / static_cast<float>(cols) + epsilon_);
            const float* __restrict sc = scale_.data();
            const float* __restrict bs = bias ? bias_.data() : nullptr;
            if (bs) {
#pragma omp simd
                for (int64_t i = 0; i < cols; ++i)
                    yr[i] = (xr[i] - mean) * inv * sc[i] + bs[i];
            } else {
#pragma omp simd
                for (int64_t i = 0; i < cols; ++i)
                    yr[i] = (xr[i] - mean) * inv * sc[i];
            }
            if (want_mean) mean_t.data<float>()[r] = mean;
            if (want_inv) inv_t.data<float>()[r] = inv;
        }
        ctx.outputs[0] = std::move(y);
        if (want_mean) ctx.outputs[1] = std::move(mean_t);
        if (want_inv) ctx.outputs[2] = std::move(inv_t);
        return Status::ok();
    }

  private:
    int64_t axis_ = -1;
    float epsilon_ = 1e-5f;
    std::vector<float> scale_, bias_;
};

}  // namespace

std::unique_ptr<Kernel> make_layer_norm_kernel() {
    return std::make_unique<LayerNormKernel>();
}

}  // namespace lowbit::runtime
