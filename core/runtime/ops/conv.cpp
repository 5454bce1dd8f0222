#include "runtime/ops/conv.h"

#include <omp.h>

#include "runtime/fusion.h"
#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

using nn::Geometry3;

// Output planes smaller than this many positions are batched across images into one GEMM.
constexpr int64_t kWideColumns = 512;

// Adds the bias and applies the fused activation to `rows` rows of `len` floats.
void finish_rows(float* y, int64_t rows, int64_t len, const float* bias, const FusedActivation& act) {
    for (int64_t m = 0; m < rows; ++m) {
        float* row = y + m * len;
        if (bias) {
            const float b = bias[m];
#pragma omp simd
            for (int64_t p = 0; p < len; ++p)
                row[p] += b;
        }
        nn::apply_activation(act, row, len);
    }
}

// One output plane of a depthwise 2-D convolution (the D dim of the geometry is 1). Per output row and
// kernel row, the columns whose taps are all inside the input run a branch-free vector loop.
void depthwise_plane(const float* __restrict x, const float* __restrict w, float bias, float* __restrict y,
                     const Geometry3& g) {
    const int64_t ih_n = g.in[1], iw_n = g.in[2], oh_n = g.out[1], ow_n = g.out[2];
    const int64_t kh_n = g.k[1], kw_n = g.k[2], sh = g.s[1], sw = g.s[2], dw = g.d[2];
    const int64_t base0 = -g.pb[2];
    // interior columns: every tap valid
    int64_t lo = 0, hi = ow_n;
    for (int64_t kw = 0; kw < kw_n; ++kw) {
        int64_t l, h;
        nn::valid_range(base0 + kw * dw, sw, iw_n, ow_n, l, h);
        lo = std::max(lo, l);
        hi = std::min(hi, h);
    }
    if (hi < lo) hi = lo;
    std::fill(y, y + oh_n * ow_n, bias);
    for (int64_t oh = 0; oh < oh_n; ++oh) {
        float* __restrict orow = y + oh * ow_n;
        for (int64_t kh = 0; kh < kh_n; ++kh) {
            const int64_t ih = oh * sh - g.pb[1] + kh * g.d[1];
            if (ih < 0 || ih >= ih_n) continue;
            const float* __restrict irow = x + ih * iw_n;
            const float* __restrict wk = w + kh * kw_n;
            auto edge = [&](int64_t ow) {
                float acc = orow[ow];
                for (int64_t kw = 0; kw < kw_n; ++kw) {
                    const int64_t iw = ow * sw + base0 + kw * dw;
                    if (iw >= 0 && iw < iw_n) acc += wk[kw] * irow[iw];
                }
                orow[ow] = acc;
            };
            for (int64_t ow = 0; ow < lo; ++ow)
                edge(ow);
            if (sw == 1 && kw_n == 3 && dw == 1) {
                const float w0 = wk[0], w1 = wk[1], w2 = wk[2];
                const float* src = irow + lo + base0;
                float* dst = orow + lo;
#pragma omp simd
                for (int64_t j = 0; j < hi - lo; ++j)
                    dst[j] += w0 * src[j] + w1 * src[j + 1] + w2 * src[j + 2];
            } else if (sw == 2 && kw_n == 3 && dw == 1) {
                const float w0 = wk[0], w1 = wk[1], w2 = wk[2];
                const float* src = irow + 2 * lo + base0;
                float* dst = orow + lo;
#pragma omp simd
                for (int64_t j = 0; j < hi - lo; ++j)
                    dst[j] += w0 * src[2 * j] + w1 * src[2 * j + 1] + w2 * src[2 * j + 2];
            } else {
                for (int64_t kw = 0; kw < kw_n; ++kw) {
                    const float wv = wk[kw];
                    const int64_t base = base0 + kw * dw;
#pragma omp simd
                    for (int64_t ow = lo; ow < hi; ++ow)
                        orow[ow] += wv * irow[ow * sw + base];
                }
            }
            for (int64_t ow = std::max(lo, hi); ow < ow_n; ++ow)
                edge(ow);
        }
    }
}

// Depthwise plane with equal strides: the input is copied into a zero-padded plane of pitch wp, and each
// tap is one long vector loop over the flattened output grid of the same pitch (the columns past the
// output width are computed and dropped), so small planes do not pay per-row overhead.
struct FlatLayout {
    int64_t wp = 0, q_n = 0, padded = 0;  // pitch, grid length, padded-plane floats (every read covered)
    explicit FlatLayout(const Geometry3& g) {
        wp = g.pb[2] + g.in[2] + g.pe[2];
        q_n = (g.out[1] - 1) * wp + g.out[2];
        const int64_t last_read = g.s[1] * (q_n - 1) + (g.k[1] - 1) * g.d[1] * wp + (g.k[2] - 1) * g.d[2];
        padded = std::max((g.pb[1] + g.in[1] + g.pe[1]) * wp, last_read + 1);
    }
    int64_t scratch() const { return q_n + padded; }
};

// Copies one input plane into the zero-padded layout.
void pad_plane(const float* __restrict x, const Geometry3& g, const FlatLayout& f, float* __restrict padded) {
    std::fill(padded, padded + f.padded, 0.0f);
    for (int64_t ih = 0; ih < g.in[1]; ++ih)
        std::copy(x + ih * g.in[2], x + (ih + 1) * g.in[2], padded + (ih + g.pb[1]) * f.wp + g.pb[2]);
}

// One output plane from a padded input plane; `acc` holds f.q_n floats.
void depthwise_plane_flat(const float* __restrict padded, const float* __restrict w, float bias,
                          float* __restrict y, const Geometry3& g, const FlatLayout& f,
                          float* __restrict acc) {
    const int64_t oh_n = g.out[1], ow_n = g.out[2], s = g.s[1], wp = f.wp;
    const int64_t q_n = f.q_n;
    std::fill(acc, acc + q_n, bias);
    for (int64_t kh = 0; kh < g.k[1]; ++kh)
        for (int64_t kw = 0; kw < g.k[2]; ++kw) {
            const float wv = w[kh * g.k[2] + kw];
            const float* __restrict src = padded + kh * g.d[1] * wp + kw * g.d[2];
            if (s == 1) {
#pragma omp simd
                for (int64_t q = 0; q < q_n; ++q)
                    acc[q] += wv * src[q];
            } else if (s == 2) {
#pragma omp simd
                for (int64_t q = 0; q < q_n; ++q)
                    acc[q] += wv * src[2 * q];
            } else {
                for (int64_t q = 0; q < q_n; ++q)
                    acc[q] += wv * src[s * q];
            }
        }
    for (int64_t oh = 0; oh < oh_n; ++oh)
        std::copy(acc + oh * wp, acc + oh * wp + ow_n, y + oh * ow_n);
}

class ConvKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        attrs_ = nn::WindowAttrs::from_node(init.node);
        group_ = init.node.attr_int("group", 1);
        act_ = FusedActivation::from_node(init.node);
        if (group_ < 1) return kernel_init_error(init, "group must be at least 1");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* w = ctx.input(1);
        const Tensor* b = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
        LOWBIT_RETURN_IF_ERROR(nn::check_conv_inputs(ctx, x, w, b));
        const int64_t rank = x->rank();
        const int64_t n_batch = x->dim(0), c_in = x->dim(1), m_out = w->dim(0), c_group = w->dim(1);
        if (c_group * group_ != c_in || m_out % group_ != 0)
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
        Geometry3 g;
        if (err.empty()) err = nn::resolve_window(nn::spatial_of(x->shape()), a, false, g);
        if (!err.empty()) return kernel_error(ctx, err);

        Tensor y = ctx.allocate(DataType::kFloat, nn::window_output_shape(n_batch, m_out, g, sr));
        const float* xd = x->data<float>();
        const float* wd = w->data<float>();
        const float* bd = b ? b->data<float>() : nullptr;
        float* yd = y.data<float>();
        const int64_t in_size = g.in_size(), out_size = g.out_size(), ks = g.k_size();
        const int threads = std::max(1, ctx.threads);

        if (group_ == c_in && c_group == 1 && g.k[0] == 1 && g.s[0] == 1 && g.pb[0] == 0 && g.pe[0] == 0) {
            // depthwise: one direct loop per output plane
            const int64_t mult = m_out / c_in, planes = n_batch * m_out;
            const bool par = threads > 1 && planes > 1 && planes * out_size * ks > 32768;
            const FlatLayout layout(g);
            if (g.s[1] == g.s[2]) {
                // pad each input plane once, then all `mult` output planes reading it
                const int64_t per_thread = layout.scratch(), in_planes = n_batch * c_in;
                const bool par_in = threads > 1 && in_planes > 1 && planes * out_size * ks > 32768;
                const size_t need = static_cast<size_t>(per_thread * (par_in ? threads : 1));
                if (scratch_.size() < need) scratch_.resize(need);
#pragma omp parallel for num_threads(threads) if (par_in) schedule(static)
                for (int64_t p = 0; p < in_planes; ++p) {
                    float* acc = scratch_.data() + (par_in ? omp_get_thread_num() : 0) * per_thread;
                    float* padded = acc + layout.q_n;
                    pad_plane(xd + p * in_size, g, layout, padded);
                    const int64_t ic = p % c_in;
                    for (int64_t j = 0; j < mult; ++j) {
                        const int64_t oc = ic * mult + j;
                        float* yp = yd + ((p / c_in) * m_out + oc) * out_size;
                        depthwise_plane_flat(padded, wd + oc * ks, bd ? bd[oc] : 0.0f, yp, g, layout, acc);
                        nn::apply_activation(act_, yp, out_size);
                    }
                }
                ctx.outputs[0] = std::move(y);
                return Status::ok();
            }
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
            for (int64_t p = 0; p < planes; ++p) {
                const int64_t n = p / m_out, oc = p % m_out, ic = oc / mult;
                float* yp = yd + p * out_size;
                depthwise_plane(xd + (n * c_in + ic) * in_size, wd + oc * ks, bd ? bd[oc] : 0.0f, yp, g);
                nn::apply_activation(act_, yp, out_size);
            }
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }

        const int64_t m_group = m_out / group_, k_rows = c_group * ks;
        const bool pointwise = nn::is_pointwise(g);
        if (group_ == 1 && out_size < kWideColumns && n_batch > 1) {
            // small planes: im2col of several images side by side, one wide GEMM, then per image the
            // bias and activation on the way to the [N, M, spatial] layout
            const int64_t per = std::min(n_batch, (kWideColumns + out_size - 1) / out_size);
            const int64_t blocks = (n_batch + per - 1) / per, cols = per * out_size;
            const bool par = threads > 1 && blocks >= threads;
            const int64_t scratch = (k_rows + m_out) * cols;
            const size_t need = static_cast<size_t>(scratch * (par ? threads : 1));
            if (scratch_.size() < need) scratch_.resize(need);
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
            for (int64_t blk = 0; blk < blocks; ++blk) {
                float* col = scratch_.data() + (par ? omp_get_thread_num() : 0) * scratch;
                float* prod = col + k_rows * cols;
                const int64_t n0 = blk * per, count = std::min(per, n_batch - n0), ld = count * out_size;
                for (int64_t i = 0; i < count; ++i) {
                    const float* xi = xd + (n0 + i) * c_in * in_size;
                    if (pointwise) {
                        for (int64_t r = 0; r < k_rows; ++r)
                            std::copy(xi + r * in_size, xi + (r + 1) * in_size, col + r * ld + i * out_size);
                    } else {
                        nn::im2col(xi, c_in, g, col + i * out_size, ld);
                    }
                }
                nn::MapRM(prod, m_out, ld).noalias() =
                    nn::CMapRM(wd, m_out, k_rows) * nn::CMapRM(col, k_rows, ld);
                for (int64_t i = 0; i < count; ++i)
                    for (int64_t m = 0; m < m_out; ++m) {
                        const float* __restrict src = prod + m * ld + i * out_size;
                        float* __restrict dst = yd + ((n0 + i) * m_out + m) * out_size;
                        const float bv = bd ? bd[m] : 0.0f;
#pragma omp simd
                        for (int64_t p = 0; p < out_size; ++p)
                            dst[p] = src[p] + bv;
                        nn::apply_activation(act_, dst, out_size);
                    }
            }
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }

        // general: im2col (skipped for 1x1) + GEMM per (image, group)
        const int64_t tasks = n_batch * group_;
        const bool par = threads > 1 && tasks >= threads;
        const int64_t col_size = pointwise ? 0 : k_rows * out_size;
        const size_t need = static_cast<size_t>(col_size * (par ? threads : 1));
        if (scratch_.size() < need) scratch_.resize(need);
        auto task = [&](int64_t t, float* col) {
            const int64_t n = t / group_, gi = t % group_;
            const float* xg = xd + (n * c_in + gi * c_group) * in_size;
            if (!pointwise) {
                nn::im2col(xg, c_group, g, col, out_size);
                xg = col;
            }
            float* yg = yd + (n * m_out + gi * m_group) * out_size;
            nn::MapRM out(yg, m_group, out_size);
            out.noalias() =
                nn::CMapRM(wd + gi * m_group * k_rows, m_group, k_rows) * nn::CMapRM(xg, k_rows, out_size);
            finish_rows(yg, m_group, out_size, bd ? bd + gi * m_group : nullptr, act_);
        };
        if (par) {
#pragma omp parallel for num_threads(threads) schedule(static)
            for (int64_t t = 0; t < tasks; ++t)
                task(t, scratch_.data() + omp_get_thread_num() * col_size);
        } else {
            for (int64_t t = 0; t < tasks; ++t)
                task(t, scratch_.data());
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    nn::WindowAttrs attrs_;
    int64_t group_ = 1;
    FusedActivation act_;
    std::vector<float> scratch_;
};

}  // namespace

std::unique_ptr<Kernel> make_conv_kernel() {
    return std::make_unique<ConvKernel>();
}

}  // namespace lowbit::runtime
