#include "runtime/ops/dequantize_linear.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class DequantizeLinearKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        opset_ = init.opset;
        axis_ = init.node.attr_int("axis", 1);
        block_size_ = opset_ >= 21 ? init.node.attr_int("block_size", 0) : 0;
        if (block_size_ < 0) return kernel_init_error(init, "block_size must not be negative");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* scale = ctx.input(1);
        const Tensor* zp = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        if (!x || !scale) return kernel_error(ctx, "inputs x and x_scale are required");
        if (scale->type() != DataType::kFloat) return kernel_error(ctx, "x_scale must be float32");
        int64_t lo = 0, hi = 0;
        if (!nn::quant_range(x->type(), lo, hi))
            return kernel_error(ctx, "unsupported input type " + std::string(ir::name_of(x->type())));
        if (zp && zp->type() != x->type()) return kernel_error(ctx, "x_zero_point must have the type of x");
        nn::QuantParamLayout layout;
        std::string err = layout.resolve(x->shape(), *scale, opset_ < 13 ? 0 : axis_, block_size_);
        if (err.empty() && opset_ < 13 && layout.kind != nn::QuantParamLayout::kTensor)
            err = "x_scale must be a scalar before opset 13";
        if (err.empty() && zp && zp->shape() != scale->shape() && !(zp->numel() == 1 && scale->numel() == 1))
            err = "x_zero_point must have the shape of x_scale";
        if (!err.empty()) return kernel_error(ctx, err);
        const int64_t n = x->numel();
        zp_.resize(static_cast<size_t>(zp ? zp->numel() : 0));
        if (zp) nn::load_ints(*zp, zp_.data());
        std::vector<int32_t> q(
            static_cast<size_t>(n));  // per run: a member would hold the largest tensor for good
        nn::load_ints(*x, q.data());
        Tensor y = ctx.allocate(DataType::kFloat, x->shape());
        float* yd = y.data<float>();
        const float* sd = scale->data<float>();
        int64_t e = 0;
        for (int64_t o = 0; o < layout.outer; ++o)
            for (int64_t d = 0; d < layout.dim; ++d)
                for (int64_t i = 0; i < layout.inner; ++i, ++e) {
                    const int64_t k = layout.index(o, d, i);
                    const int64_t z = zp ? zp_[static_cast<size_t>(k)] : 0;
                    yd[e] = static_cast<float>(static_cast<int64_t>(q[static_cast<size_t>(e)]) - z) * sd[k];
                }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t opset_ = 0, axis_ = 1, block_size_ = 0;
    std::vector<int32_t> zp_;
};

}  // namespace

std::unique_ptr<Kernel> make_dequantize_linear_kernel() {
    return std::make_unique<DequantizeLinearKernel>();
}

}  // namespace lowbit::runtime
