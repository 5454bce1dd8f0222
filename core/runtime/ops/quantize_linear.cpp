#include "runtime/ops/quantize_linear.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class QuantizeLinearKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        opset_ = init.opset;
        axis_ = init.node.attr_int("axis", 1);
        block_size_ = opset_ >= 21 ? init.node.attr_int("block_size", 0) : 0;
        output_dtype_ = opset_ >= 21 ? init.node.attr_int("output_dtype", 0) : 0;
        if (block_size_ < 0) return kernel_init_error(init, "block_size must not be negative");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* scale = ctx.input(1);
        const Tensor* zp = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        if (!x || !scale) return kernel_error(ctx, "inputs x and y_scale are required");
        if (scale->type() != DataType::kFloat) return kernel_error(ctx, "y_scale must be float32");
        if (x->type() != DataType::kFloat && x->type() != DataType::kInt32)
            return kernel_error(ctx, "x must be float32 or int32");
        DataType out_type = DataType::kUint8;
        if (zp)
            out_type = zp->type();
        else if (output_dtype_ != 0)
            out_type = static_cast<DataType>(output_dtype_);
        int64_t lo = 0, hi = 0;
        if (!nn::quant_range(out_type, lo, hi) || out_type == DataType::kInt32)
            return kernel_error(ctx, "unsupported output type " + std::string(ir::name_of(out_type)));
        nn::QuantParamLayout layout;
        std::string err = layout.resolve(x->shape(), *scale, opset_ < 13 ? 0 : axis_, block_size_);
        if (err.empty() && opset_ < 13 && layout.kind != nn::QuantParamLayout::kTensor)
            err = "y_scale must be a scalar before opset 13";
        if (err.empty() && zp && zp->shape() != scale->shape() && !(zp->numel() == 1 && scale->numel() == 1))
            err = "y_zero_point must have the shape of y_scale";
        if (!err.empty()) return kernel_error(ctx, err);
        const int64_t n = x->numel();
        zp_.resize(static_cast<size_t>(zp ? zp->numel() : 0));
        if (zp) nn::load_ints(*zp, zp_.data());
        // per-run buffers: members would hold the largest tensor ever seen for the executor's lifetime
        std::vector<float> xf(static_cast<size_t>(n));
        if (x->type() == DataType::kFloat)
            std::copy(x->data<float>(), x->data<float>() + n, xf.begin());
        else
            std::copy(x->data<int32_t>(), x->data<int32_t>() + n, xf.begin());
        std::vector<int32_t> q(static_cast<size_t>(n));
        const float* sd = scale->data<float>();
        int64_t e = 0;
        for (int64_t o = 0; o < layout.outer; ++o)
            for (int64_t d = 0; d < layout.dim; ++d)
                for (int64_t i = 0; i < layout.inner; ++i, ++e) {
                    const int64_t k = layout.index(o, d, i);
                    const int32_t z = zp ? zp_[static_cast<size_t>(k)] : 0;
                    q[static_cast<size_t>(e)] =
                        nn::quantize_value(xf[static_cast<size_t>(e)] / sd[k], z, lo, hi);
                }
        Tensor y = ctx.allocate(out_type, x->shape());
        nn::store_ints(q.data(), n, y);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t opset_ = 0, axis_ = 1, block_size_ = 0, output_dtype_ = 0;
    std::vector<int32_t> zp_;
};

}  // namespace

std::unique_ptr<Kernel> make_quantize_linear_kernel() {
    return std::make_unique<QuantizeLinearKernel>();
}

}  // namespace lowbit::runtime
