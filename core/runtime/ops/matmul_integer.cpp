#include "runtime/ops/matmul_integer.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

bool is_8bit(const Tensor* t) {
    return t && (t->type() == DataType::kUint8 || t->type() == DataType::kInt8);
}

// Loads an operand's values minus its zero point (scalar, or one per row of A / column of B).
std::string load_operand(const Tensor& t, const Tensor* zp, int64_t rows, int64_t cols, bool per_row,
                         std::vector<int32_t>& out) {
    out.resize(static_cast<size_t>(t.numel()));
    nn::load_ints(t, out.data());
    if (!nn::present(zp)) return "";
    if (zp->type() != t.type()) return "zero points must have the type of their operand";
    const int64_t per = per_row ? rows : cols;
    if (zp->numel() != 1 && zp->numel() != per)
        return "zero points must be scalars or one per row of A / column of B";
    std::vector<int32_t> z(static_cast<size_t>(zp->numel()));
    nn::load_ints(*zp, z.data());
    for (size_t i = 0; i < out.size(); ++i) {
        const int64_t e = static_cast<int64_t>(i) % (rows * cols);
        const int64_t at = z.size() == 1 ? 0 : (per_row ? e / cols : e % cols);
        out[i] -= z[static_cast<size_t>(at)];
    }
    return "";
}

class IntegerMatMulKernel : public Kernel {
  public:
    explicit IntegerMatMulKernel(bool qlinear) : qlinear_(qlinear) {}

    Status run(KernelContext& ctx) override {
        const Tensor* a = ctx.input(0);
        const Tensor* b = ctx.input(qlinear_ ? 3 : 1);
        const Tensor* azp = ctx.input(2);
        const Tensor* bzp = ctx.input(qlinear_ ? 5 : 3);
        if (!is_8bit(a) || !is_8bit(b)) return kernel_error(ctx, "A and B must be int8 or uint8");
        nn::MatMulPlan plan;
        std::string err = plan.resolve(a->shape(), b->shape());
        if (!err.empty())
            return kernel_error(ctx,
                                err + ": A " + shape_string(a->shape()) + ", B " + shape_string(b->shape()));
        const int64_t m = plan.m, k = plan.k, n = plan.n;
        err = load_operand(*a, azp, m, k, true, as_);
        if (err.empty()) err = load_operand(*b, bzp, k, n, false, bs_);
        if (!err.empty()) return kernel_error(ctx, err);
        acc_.resize(static_cast<size_t>(shape_numel(plan.out)));
        for (size_t i = 0; i < plan.a_index.size(); ++i) {
            Eigen::Map<nn::MatI32> out(acc_.data() + static_cast<int64_t>(i) * m * n, m, n);
            out.noalias() = Eigen::Map<const nn::MatI32>(as_.data() + plan.a_index[i] * m * k, m, k) *
                            Eigen::Map<const nn::MatI32>(bs_.data() + plan.b_index[i] * k * n, k, n);
        }
        if (!qlinear_) {
            Tensor y = ctx.allocate(DataType::kInt32, plan.out);
            std::copy(acc_.begin(), acc_.end(), y.data<int32_t>());
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }
        // requantize: scale per tensor, per row of A and / or per column of B
        const Tensor* sa = ctx.input(1);
        const Tensor* sb = ctx.input(4);
        const Tensor* sy = ctx.input(6);
        const Tensor* yzp = ctx.input(7);
        if (!sa || !sb || !sy || sa->type() != DataType::kFloat || sb->type() != DataType::kFloat ||
            sy->type() != DataType::kFloat)
            return kernel_error(ctx, "a_scale, b_scale and y_scale must be float32");
        if ((sa->numel() != 1 && sa->numel() != m) || (sb->numel() != 1 && sb->numel() != n) ||
            sy->numel() != 1)
            return kernel_error(ctx, "scales must be scalars, or one per row of A / column of B");
        const DataType out_type = nn::present(yzp) ? yzp->type() : DataType::kUint8;
        if (out_type != DataType::kUint8 && out_type != DataType::kInt8)
            return kernel_error(ctx, "y_zero_point must be int8 or uint8");
        int32_t yz = 0;
        if (nn::present(yzp)) nn::load_ints(*yzp, &yz);
        int64_t lo = 0, hi = 0;
        nn::quant_range(out_type, lo, hi);
        q_.resize(acc_.size());
        const float ys = sy->data<float>()[0];
        for (size_t e = 0; e < acc_.size(); ++e) {
            const int64_t r = static_cast<int64_t>(e) / n % m, c = static_cast<int64_t>(e) % n;
            const float s = sa->data<float>()[sa->numel() == 1 ? 0 : r] *
                            sb->data<float>()[sb->numel() == 1 ? 0 : c] / ys;
            q_[e] = nn::quantize_value(static_cast<float>(acc_[e]) * s, yz, lo, hi);
        }
        Tensor y = ctx.allocate(out_type, plan.out);
        nn::store_ints(q_.data(), static_cast<int64_t>(q_.size()), y);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool qlinear_ = false;
    std::vector<int32_t> as_, bs_, acc_, q_;
};

}  // namespace

std::unique_ptr<Kernel> make_matmul_integer_kernel() {
    return std::make_unique<IntegerMatMulKernel>(false);
}
std::unique_ptr<Kernel> make_qlinear_matmul_kernel() {
    return std::make_unique<IntegerMatMulKernel>(true);
}

}  // namespace lowbit::runtime
