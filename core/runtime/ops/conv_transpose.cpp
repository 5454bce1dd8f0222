#include "runtime/ops/conv_transpose.h"

#include <omp.h>

#include "runtime/fusion.h"
#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

using nn::Geometry3;

int64_t floor_div2(int64_t v) {
    return v >= 0 ? v / 2 : -((-v + 1) / 2);
}

// Scatters col (rows (m, kd, kh, kw), columns the input positions) into `m_count` output planes.
void col2im(const float* col, int64_t m_count, const Geometry3& g, float* y) {
    const int64_t ks = g.k_size(), in_size = g.in_size(), out_size = g.out_size();
    for (int64_t m = 0; m < m_count; ++m) {
        float* plane = y + m * out_size;
        for (int64_t i = 0; i < g.k[0]; ++i)
            for (int64_t j = 0; j < g.k[1]; ++j)
                for (int64_t l = 0; l < g.k[2]; ++l) {
                    const float* row = col + (m * ks + (i * g.k[1] + j) * g.k[2] + l) * in_size;
                    const int64_t w_base = l * g.d[2] - g.pb[2];
                    int64_t lo, hi;
                    nn::valid_range(w_base, g.s[2], g.out[2], g.in[2], lo, hi);
                    for (int64_t id = 0; id < g.in[0]; ++id) {
                        const int64_t od = id * g.s[0] - g.pb[0] + i * g.d[0];
                        if (od < 0 || od >= g.out[0]) continue;
                        for (int64_t ih = 0; ih < g.in[1]; ++ih) {
                            const int64_t oh = ih * g.s[1] - g.pb[1] + j * g.d[1];
                            if (oh < 0 || oh >= g.out[1]) continue;
                            float* dst = plane + (od * g.out[1] + oh) * g.out[2];
                            const float* src = row + (id * g.in[1] + ih) * g.in[2];
                            for (int64_t iw = lo; iw < hi; ++iw)
                                dst[iw * g.s[2] + w_base] += src[iw];
                        }
                    }
                }
    }
}

class ConvTransposeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        const ir::Node& n = init.node;
        attrs_ = nn::WindowAttrs::from_node(n);
        group_ = n.attr_int("group", 1);
        output_padding_ = n.attr_ints("output_padding");
        output_shape_ = n.attr_ints("output_shape");
        act_ = FusedActivation::from_node(n);
        if (group_ < 1) return kernel_init_error(init, "group must be at least 1");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* w = ctx.input(1);
        const Tensor* b = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        LOWBIT_RETURN_IF_ERROR(nn::check_conv_inputs(ctx, x, w, b));
        const int64_t rank = x->rank();
        const int64_t n_batch = x->dim(0), c_in = x->dim(1), m_group = w->dim(1), m_out = m_group * group_;
        if (w->dim(0) != c_in || c_in % group_ != 0)
            return kernel_error(ctx, "channels do not match: X " + shape_string(x->shape()) + ", W " +
                                         shape_string(w->shape()) + ", group " + std::to_string(group_));
        if (b && b->numel() != m_out)
            return kernel_error(ctx, "B must have " + std::to_string(m_out) + " values");
        const size_t sr = static_cast<size_t>(rank - 2);
        nn::WindowAttrs a = attrs_;
        std::vector<int64_t> wk(w->shape().begin() + 2, w->shape().end());
        if (a.kernel.empty()) a.kernel = wk;
        if (a.kernel != wk)
            return kernel_error(ctx, "kernel_shape does not match W " + shape_string(w->shape()));
        std::string err = a.check(sr, true);
        if (err.empty() && !output_padding_.empty() && output_padding_.size() != sr)
            err = "output_padding has the wrong length";
        std::vector<int64_t> oshape = output_shape_;
        if (oshape.size() == sr + 2) oshape.erase(oshape.begin(), oshape.begin() + 2);
        if (err.empty() && !oshape.empty() && oshape.size() != sr) err = "output_shape has the wrong length";
        if (!err.empty()) return kernel_error(ctx, err);

        // geometry: output size and (possibly negative) pads per spatial dim
        Geometry3 g;
        const size_t off = 3 - sr;
        for (size_t i = 0; i < sr; ++i) {
            const int64_t in = x->dim(static_cast<int64_t>(i) + 2), k = a.kernel[i];
            const int64_t s = a.strides.empty() ? 1 : a.strides[i],
                          d = a.dilations.empty() ? 1 : a.dilations[i];
            const int64_t op = output_padding_.empty() ? 0 : output_padding_[i];
            const int64_t full = s * (in - 1) + op + (k - 1) * d + 1;
            int64_t pb = 0, pe = 0, out = 0;
            const bool same = a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER";
            if (!oshape.empty() || same) {
                out = !oshape.empty() ? oshape[i] : in * s;
                const int64_t total = full - out;
                if (a.auto_pad == "SAME_UPPER") {
                    pb = floor_div2(total);
                    pe = total - pb;
                } else {
                    pe = floor_div2(total);
                    pb = total - pe;
                }
            } else {
                if (a.auto_pad != "VALID" && !a.pads.empty()) {
                    pb = a.pads[i];
                    pe = a.pads[i + sr];
                }
                out = full - pb - pe;
            }
            if (out <= 0) return kernel_error(ctx, "the output would be empty");
            g.in[off + i] = in;
            g.out[off + i] = out;
            g.k[off + i] = k;
            g.s[off + i] = s;
            g.d[off + i] = d;
            g.pb[off + i] = pb;
            g.pe[off + i] = pe;
        }

        Tensor y = ctx.allocate(DataType::kFloat, nn::window_output_shape(n_batch, m_out, g, sr));
        const float* xd = x->data<float>();
        const float* wd = w->data<float>();
        const float* bd = b ? b->data<float>() : nullptr;
        float* yd = y.data<float>();
        const int64_t c_group = c_in / group_, ks = g.k_size(), k_rows = m_group * ks;
        const int64_t in_size = g.in_size(), out_size = g.out_size();
        const int64_t tasks = n_batch * group_;
        const int threads = std::max(1, ctx.threads);
        const bool par = threads > 1 && tasks >= threads;
        const int64_t col_size = k_rows * in_size;
        const size_t need = static_cast<size_t>(col_size * (par ? threads : 1));
        Tensor scratch_t = ctx.allocate(DataType::kFloat, {static_cast<int64_t>(std::max<size_t>(need, 1))});
        float* const scratch_p = scratch_t.data<float>();
        auto task = [&](int64_t t, float* col) {
            const int64_t n = t / group_, gi = t % group_;
            nn::MapRM c(col, k_rows, in_size);
            c.noalias() = nn::CMapRM(wd + gi * c_group * k_rows, c_group, k_rows).transpose() *
                          nn::CMapRM(xd + (n * c_in + gi * c_group) * in_size, c_group, in_size);
            float* yg = yd + (n * m_out + gi * m_group) * out_size;
            for (int64_t m = 0; m < m_group; ++m)
                std::fill(yg + m * out_size, yg + (m + 1) * out_size, bd ? bd[gi * m_group + m] : 0.0f);
            col2im(col, m_group, g, yg);
            nn::apply_activation(act_, yg, m_group * out_size);
        };
        if (par) {
#pragma omp parallel for num_threads(threads) schedule(static)
            for (int64_t t = 0; t < tasks; ++t)
                task(t, scratch_p + omp_get_thread_num() * col_size);
        } else {
            for (int64_t t = 0; t < tasks; ++t)
                task(t, scratch_p);
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    nn::WindowAttrs attrs_;
    int64_t group_ = 1;
    std::vector<int64_t> output_padding_, output_shape_;
    FusedActivation act_;
};

}  // namespace

std::unique_ptr<Kernel> make_conv_transpose_kernel() {
    return std::make_unique<ConvTransposeKernel>();
}

}  // namespace lowbit::runtime
