#include "runtime/ops/conv_integer.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

using nn::Geometry3;

bool is_8bit(const Tensor* t) {
    return t && (t->type() == DataType::kUint8 || t->type() == DataType::kInt8);
}

class IntegerConvKernel : public Kernel {
  public:
    explicit IntegerConvKernel(bool qlinear) : qlinear_(qlinear) {}

    Status init(const KernelInit& init) override {
        attrs_ = nn::WindowAttrs::from_node(init.node);
        group_ = init.node.attr_int("group", 1);
        if (group_ < 1) return kernel_init_error(init, "group must be at least 1");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        // inputs by role
        const Tensor* x = ctx.input(0);
        const Tensor* w = ctx.input(qlinear_ ? 3 : 1);
        const Tensor* xzp = ctx.input(2);
        const Tensor* wzp = ctx.input(qlinear_ ? 5 : 3);
        if (!is_8bit(x) || !is_8bit(w)) return kernel_error(ctx, "x and w must be int8 or uint8");
        if (nn::present(xzp) && (xzp->type() != x->type() || xzp->numel() != 1))
            return kernel_error(ctx, "x_zero_point must be a scalar of x's type");
        if (nn::present(wzp) && wzp->type() != w->type())
            return kernel_error(ctx, "w_zero_point must have w's type");
        const int64_t rank = x->rank();
        if (rank < 3 || rank > 5)
            return kernel_error(ctx, "x must have rank 3, 4 or 5, got " + shape_string(x->shape()));
        if (w->rank() != rank) return kernel_error(ctx, "w must have the rank of x");
        const int64_t n_batch = x->dim(0), c_in = x->dim(1), m_out = w->dim(0), c_group = w->dim(1);
        if (c_group * group_ != c_in || m_out % group_ != 0)
            return kernel_error(ctx, "channels do not match");
        if (nn::present(wzp) && wzp->numel() != 1 && wzp->numel() != m_out)
            return kernel_error(ctx, "w_zero_point must be a scalar or have one value per output channel");
        const size_t sr = static_cast<size_t>(rank - 2);
        nn::WindowAttrs a = attrs_;
        std::vector<int64_t> wk(w->shape().begin() + 2, w->shape().end());
        if (a.kernel.empty()) a.kernel = wk;
        if (a.kernel != wk) return kernel_error(ctx, "kernel_shape does not match w");
        std::string err = a.check(sr, true);
        Geometry3 g;
        if (err.empty()) err = nn::resolve_window(nn::spatial_of(x->shape()), a, false, g);
        if (!err.empty()) return kernel_error(ctx, err);

        // integer operands with the zero points removed
        const int64_t ks = g.k_size(), k_rows = c_group * ks, in_size = g.in_size(), out_size = g.out_size();
        xs_.resize(static_cast<size_t>(x->numel()));
        nn::load_ints(*x, xs_.data());
        int32_t xz = 0;
        if (nn::present(xzp)) nn::load_ints(*xzp, &xz);
        if (xz != 0)
            for (auto& v : xs_)
                v -= xz;
        ws_.resize(static_cast<size_t>(w->numel()));
        nn::load_ints(*w, ws_.data());
        if (nn::present(wzp)) {
            std::vector<int32_t> z(static_cast<size_t>(wzp->numel()));
            nn::load_ints(*wzp, z.data());
            for (int64_t m = 0; m < m_out; ++m) {
                const int32_t zv = z[z.size() == 1 ? 0 : static_cast<size_t>(m)];
                for (int64_t i = 0; i < k_rows; ++i)
                    ws_[static_cast<size_t>(m * k_rows + i)] -= zv;
            }
        }
        const Shape out_shape = nn::window_output_shape(n_batch, m_out, g, sr);
        acc_.resize(static_cast<size_t>(shape_numel(out_shape)));
        col_.resize(static_cast<size_t>(k_rows * out_size));
        const int64_t m_group = m_out / group_;
        for (int64_t n = 0; n < n_batch; ++n)
            for (int64_t gi = 0; gi < group_; ++gi) {
                nn::im2col(xs_.data() + (n * c_in + gi * c_group) * in_size, c_group, g, col_.data(),
                           out_size);
                Eigen::Map<nn::MatI32> out(acc_.data() + (n * m_out + gi * m_group) * out_size, m_group,
                                           out_size);
                out.noalias() =
                    Eigen::Map<const nn::MatI32>(ws_.data() + gi * m_group * k_rows, m_group, k_rows) *
                    Eigen::Map<const nn::MatI32>(col_.data(), k_rows, out_size);
            }
        if (!qlinear_) {
            Tensor y = ctx.allocate(DataType::kInt32, out_shape);
            std::copy(acc_.begin(), acc_.end(), y.data<int32_t>());
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }
        return requantize(ctx, out_shape, m_out, out_size);
    }

  private:
    Status requantize(KernelContext& ctx, const Shape& out_shape, int64_t m_out, int64_t out_size) {
        const Tensor* xs = ctx.input(1);
        const Tensor* ws = ctx.input(4);
        const Tensor* ys = ctx.input(6);
        const Tensor* yzp = ctx.input(7);
        const Tensor* bias = nn::present(ctx.input(8)) ? ctx.input(8) : nullptr;
        if (!xs || !ws || !ys || xs->type() != DataType::kFloat || ws->type() != DataType::kFloat ||
            ys->type() != DataType::kFloat)
            return kernel_error(ctx, "x_scale, w_scale and y_scale must be float32");
        if (xs->numel() != 1 || ys->numel() != 1 || (ws->numel() != 1 && ws->numel() != m_out))
            return kernel_error(
                ctx, "x_scale and y_scale must be scalars, w_scale a scalar or per output channel");
        if (bias && (bias->type() != DataType::kInt32 || bias->numel() != m_out))
            return kernel_error(ctx, "B must be int32 with one value per output channel");
        DataType out_type = nn::present(yzp) ? yzp->type() : DataType::kUint8;
        if (out_type != DataType::kUint8 && out_type != DataType::kInt8)
            return kernel_error(ctx, "y_zero_point must be int8 or uint8");
        int32_t yz = 0;
        if (nn::present(yzp)) nn::load_ints(*yzp, &yz);
        int64_t lo = 0, hi = 0;
        nn::quant_range(out_type, lo, hi);
        std::vector<float> scale(static_cast<size_t>(m_out));
        for (int64_t m = 0; m < m_out; ++m)
            scale[static_cast<size_t>(m)] =
                xs->data<float>()[0] * ws->data<float>()[ws->numel() == 1 ? 0 : m] / ys->data<float>()[0];
        Tensor y = ctx.allocate(out_type, out_shape);
        const int64_t planes = shape_numel(out_shape) / std::max<int64_t>(1, out_size);
        q_.resize(acc_.size());
        for (int64_t p = 0; p < planes; ++p) {
            const int64_t m = p % m_out;
            const int32_t b = bias ? bias->data<int32_t>()[m] : 0;
            const float s = scale[static_cast<size_t>(m)];
            for (int64_t i = 0; i < out_size; ++i) {
                const size_t e = static_cast<size_t>(p * out_size + i);
                q_[e] = nn::quantize_value(static_cast<float>(acc_[e] + b) * s, yz, lo, hi);
            }
        }
        nn::store_ints(q_.data(), static_cast<int64_t>(q_.size()), y);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

    bool qlinear_ = false;
    nn::WindowAttrs attrs_;
    int64_t group_ = 1;
    std::vector<int32_t> xs_, ws_, col_, acc_, q_;
};

}  // namespace

std::unique_ptr<Kernel> make_conv_integer_kernel() {
    return std::make_unique<IntegerConvKernel>(false);
}
std::unique_ptr<Kernel> make_qlinear_conv_kernel() {
    return std::make_unique<IntegerConvKernel>(true);
}

}  // namespace lowbit::runtime
