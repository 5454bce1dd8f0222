#include "runtime/ops/gemm.h"

#include "runtime/fusion.h"
#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class GemmKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        const ir::Node& n = init.node;
        alpha_ = n.attr_float("alpha", 1.0f);
        beta_ = n.attr_float("beta", 1.0f);
        trans_a_ = n.attr_int("transA", 0) != 0;
        trans_b_ = n.attr_int("transB", 0) != 0;
        c_required_ = init.opset < 11;
        act_ = FusedActivation::from_node(n);
        const Tensor* b = init.constants.size() > 1 ? init.constants[1] : nullptr;
        if (b && b->type() == DataType::kFloat && b->rank() == 2) {
            // pre-pack: B as a dense K x N matrix
            const int64_t k = trans_b_ ? b->dim(1) : b->dim(0), cols = trans_b_ ? b->dim(0) : b->dim(1);
            packed_b_.resize(static_cast<size_t>(k * cols));
            nn::MapRM dst(packed_b_.data(), k, cols);
            if (trans_b_)
                dst = nn::CMapRM(b->data<float>(), cols, k).transpose();
            else
                dst = nn::CMapRM(b->data<float>(), k, cols);
            packed_k_ = k;
            packed_n_ = cols;
            packed_ = true;
        }
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* a = ctx.input(0);
        const Tensor* b = ctx.input(1);
        const Tensor* c = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        if (!a || !b) return kernel_error(ctx, "inputs A and B are required");
        if (!c && c_required_) return kernel_error(ctx, "input C is required before opset 11");
        if (a->type() != DataType::kFloat || b->type() != DataType::kFloat ||
            (c && c->type() != DataType::kFloat))
            return kernel_error(ctx, "only float32 is supported");
        if (a->rank() != 2 || b->rank() != 2)
            return kernel_error(ctx, "A and B must be 2-D, got " + shape_string(a->shape()) + " and " +
                                         shape_string(b->shape()));
        const int64_t m = trans_a_ ? a->dim(1) : a->dim(0), k = trans_a_ ? a->dim(0) : a->dim(1);
        const int64_t kb = trans_b_ ? b->dim(1) : b->dim(0), n = trans_b_ ? b->dim(0) : b->dim(1);
        if (k != kb)
            return kernel_error(ctx, "inner dimensions differ: A " + shape_string(a->shape()) + ", B " +
                                         shape_string(b->shape()));
        // C broadcast to [M, N] as a [cm, cn] matrix
        int64_t cm = 1, cn = 1;
        if (c) {
            if (c->rank() > 2) return kernel_error(ctx, "C must have rank 0, 1 or 2");
            if (c->rank() == 1) cn = c->dim(0);
            if (c->rank() == 2) cm = c->dim(0), cn = c->dim(1);
            if ((cm != 1 && cm != m) || (cn != 1 && cn != n))
                return kernel_error(ctx, "C " + shape_string(c->shape()) + " does not broadcast to [" +
                                             std::to_string(m) + "," + std::to_string(n) + "]");
        }
        Tensor y = ctx.allocate(DataType::kFloat, {m, n});
        float* yd = y.data<float>();
        if (packed_ && packed_k_ == k && packed_n_ == n)
            nn::gemm(trans_a_, false, m, n, k, alpha_, a->data<float>(), packed_b_.data(), yd);
        else
            nn::gemm(trans_a_, trans_b_, m, n, k, alpha_, a->data<float>(), b->data<float>(), yd);
        if (c && beta_ != 0.0f) {
            const float* cd = c->data<float>();
            const int64_t row_step = cm == 1 ? 0 : cn, col_step = cn == 1 ? 0 : 1;
            for (int64_t i = 0; i < m; ++i) {
                float* row = yd + i * n;
                const float* crow = cd + i * row_step;
                if (col_step == 1) {
                    for (int64_t j = 0; j < n; ++j)
                        row[j] += beta_ * crow[j];
                } else {
                    const float v = beta_ * crow[0];
                    for (int64_t j = 0; j < n; ++j)
                        row[j] += v;
                }
            }
        }
        nn::apply_activation(act_, yd, m * n);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    float alpha_ = 1.0f, beta_ = 1.0f;
    bool trans_a_ = false, trans_b_ = false, c_required_ = false;
    FusedActivation act_;
    bool packed_ = false;
    int64_t packed_k_ = 0, packed_n_ = 0;
    std::vector<float> packed_b_;
};

}  // namespace

std::unique_ptr<Kernel> make_gemm_kernel() {
    return std::make_unique<GemmKernel>();
}

}  // namespace lowbit::runtime
