#include "runtime/ops/conv.h"

#include <omp.h>

#include <cstring>

#include "runtime/fusion.h"
#include "runtime/ops/nn_util.h"
#include "runtime/ops/onednn.h"

namespace lowbit::runtime {

namespace {

using nn::Geometry3;

// Output planes smaller than this many positions are batched across images into one GEMM.
constexpr int64_t kWideColumns = 512;
// Convolutions with at least this many weights per output (C/group x kernel size) go to oneDNN; below it
// reordering X and Y to and from oneDNN's blocked layout costs more than its faster kernels save.
constexpr int64_t kOnednnMinDepth = 32;
// Depthwise convolutions with output planes up to this many positions go to oneDNN in its channel-blocked
// layout (one input channel per output): there every vector holds 16 (or 8) channels of one position, while
// the row kernel below wastes lanes on narrow rows. On larger planes the two are close and the reorders tip
// the balance back to the row kernel.
constexpr int64_t kOnednnMaxDepthwisePlane = 1024;

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

// Eight floats in one AVX register (GCC/Clang vector extension); loads and stores are unaligned.
using Vec8 = float __attribute__((vector_size(32)));
inline Vec8 load8(const float* p) {
    Vec8 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store8(float* p, Vec8 v) {
    std::memcpy(p, &v, sizeof v);
}

inline Vec8 activate(const FusedActivation& act, Vec8 v) {
    switch (act.kind) {
        case FusedActivation::kNone:
            return v;
        case FusedActivation::kRelu:
            return v > 0.0f ? v : Vec8{};
        case FusedActivation::kLeakyRelu:
            return v >= 0.0f ? v : v * act.a;
        case FusedActivation::kClip:
            v = v < act.a ? Vec8{} + act.a : v;  // as std::min(std::max(v, a), b), NaN passing through
            return act.b < v ? Vec8{} + act.b : v;
    }
    return v;
}

// Depthwise 2-D convolution (the D dim of the geometry is 1) in vectors of 8 outputs along a row. Each input
// plane is copied into a zero-bordered scratch plane whose rows are split into `stride` phases (padded
// column c goes to phase c % sw at c / sw), so every tap of every output vector is one contiguous load.
// The borders are zeroed once per scratch buffer; copying a plane only writes its interior.
class DepthwiseRows {
  public:
    explicit DepthwiseRows(const Geometry3& g) : g_(g) {
        const int64_t ow_r = (g.out[2] + 7) / 8 * 8;
        len_ = ow_r + (g.k[2] - 1) * g.d[2] / g.s[2];
        rows_ = g.out[1] > 0 ? (g.out[1] - 1) * g.s[1] + (g.k[1] - 1) * g.d[1] + 1 : 0;
        for (int64_t ph = 0; ph < g.s[2]; ++ph) {
            // padded column ph + sw * i holds input column ph + sw * i - pad
            int64_t lo = 0, hi = 0;
            nn::valid_range(ph - g.pb[2], g.s[2], g.in[2], len_, lo, hi);
            lo_.push_back(lo);
            hi_.push_back(hi);
        }
        for (int64_t kw = 0; kw < g.k[2]; ++kw) {
            const int64_t c = kw * g.d[2];
            tap_.push_back((c % g.s[2]) * len_ + c / g.s[2]);
        }
    }
    // 8 floats of slack past the last row, which load_plane's vector copy may spill into
    int64_t scratch_floats() const { return rows_ * g_.s[2] * len_ + 8; }
    void clear(float* scratch) const { std::fill(scratch, scratch + scratch_floats(), 0.0f); }

    // Copies one input plane into the interior of `scratch`.
    void load_plane(const float* __restrict x, float* __restrict scratch) const {
        const int64_t sw = g_.s[2], iw = g_.in[2], pl = g_.pb[2], plane = g_.in[1] * iw;
        for (int64_t r = 0; r < rows_; ++r) {
            const int64_t ih = r - g_.pb[1];
            if (ih < 0 || ih >= g_.in[1]) continue;
            const float* __restrict src = x + ih * iw;
            if (sw == 1 && ih * iw + iw + 7 <= plane) {
                // whole vectors, reading up to 7 floats into the next input row; what lands past the row's
                // interior is zeroed again at once (the next row's interior is copied after it)
                float* __restrict dst = scratch + r * len_;
                const int64_t hi = hi_[0];
                for (int64_t i = lo_[0]; i < hi; i += 8)
                    store8(dst + i, load8(src + i - pl));
                store8(dst + hi, Vec8{});
                continue;
            }
            for (int64_t ph = 0; ph < sw; ++ph) {
                float* __restrict dst = scratch + (r * sw + ph) * len_;
                const int64_t hi = hi_[static_cast<size_t>(ph)];
                for (int64_t i = lo_[static_cast<size_t>(ph)]; i < hi; ++i)
                    dst[i] = src[ph + sw * i - pl];
            }
        }
    }

    // One output plane from a loaded scratch plane and the plane's kh x kw weights.
    void compute_plane(const float* __restrict scratch, const float* __restrict w, float bias,
                       const FusedActivation& act, float* __restrict y) const {
        const int64_t oh_n = g_.out[1], ow_n = g_.out[2], kh_n = g_.k[1], kw_n = g_.k[2];
        const int64_t row_step = g_.s[1] * g_.s[2] * len_, kh_step = g_.d[1] * g_.s[2] * len_;
        const int64_t plane = oh_n * ow_n;
        const int64_t* __restrict tap = tap_.data();
        for (int64_t oh = 0; oh < oh_n; ++oh) {
            float* orow = y + oh * ow_n;
            for (int64_t j = 0; j < ow_n; j += 8) {
                Vec8 acc = Vec8{} + bias;
                for (int64_t kh = 0; kh < kh_n; ++kh) {
                    const float* row = scratch + oh * row_step + kh * kh_step + j;
                    const float* wk = w + kh * kw_n;
                    if (kw_n == 3) {
                        acc += wk[0] * load8(row + tap[0]) + wk[1] * load8(row + tap[1]) +
                               wk[2] * load8(row + tap[2]);
                    } else {
                        for (int64_t kw = 0; kw < kw_n; ++kw)
                            acc += wk[kw] * load8(row + tap[kw]);
                    }
                }
                acc = activate(act, acc);
                // lanes past the row end land on the next rows, which are written after this one; only
                // the plane's end needs an exact store
                if (oh * ow_n + j + 8 <= plane) {
                    store8(orow + j, acc);
                } else {
                    float lanes[8];
                    store8(lanes, acc);
                    for (int64_t q = 0; q < plane - oh * ow_n - j; ++q)
                        orow[j + q] = lanes[q];
                }
            }
        }
    }

  private:
    Geometry3 g_;
    int64_t len_ = 0, rows_ = 0;    // floats per phase row, padded rows
    std::vector<int64_t> lo_, hi_;  // per phase: the interior [lo, hi) of each phase row
    std::vector<int64_t> tap_;      // per kernel column: its offset in a padded row's phases
};

class ConvKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        attrs_ = nn::WindowAttrs::from_node(init.node);
        group_ = init.node.attr_int("group", 1);
        act_ = FusedActivation::from_node(init.node);
        onednn_.set_weights_constant(init.constants.size() > 1 && init.constants[1] != nullptr);
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

        if (group_ == c_in && c_group == 1 && m_out == c_in && c_in > 1 &&
            out_size <= kOnednnMaxDepthwisePlane) {
            nn::OnednnConv::Problem p;
            p.n = n_batch, p.c_in = c_in, p.m_out = m_out, p.group = group_, p.has_bias = bd != nullptr;
            p.spatial_rank = sr, p.g = g, p.act = act_, p.threads = threads, p.channel_blocked = true;
            if (onednn_.run(ctx, p, xd, wd, bd, yd)) {
                ctx.outputs[0] = std::move(y);
                return Status::ok();
            }
        }
        // (one input channel with several outputs is an ordinary convolution: the GEMM paths below)
        if (group_ == c_in && c_group == 1 && (c_in > 1 || m_out == 1) && g.k[0] == 1 && g.s[0] == 1 &&
            g.pb[0] == 0 && g.pe[0] == 0) {
            // depthwise: per input plane, the scratch copy, then the `mult` output planes reading it
            const int64_t mult = m_out / c_in, in_planes = n_batch * c_in;
            const bool par = threads > 1 && in_planes > 1 && in_planes * mult * out_size * ks > 32768;
            const DepthwiseRows rows(g);
            const int64_t per_thread = rows.scratch_floats();
            const size_t need = static_cast<size_t>(per_thread * (par ? threads : 1));
            Tensor scratch_t =
                ctx.allocate(DataType::kFloat, {static_cast<int64_t>(std::max<size_t>(need, 1))});
            float* const scratch_p = scratch_t.data<float>();
#pragma omp parallel num_threads(threads) if (par)
            {
                float* scratch = scratch_p + (par ? omp_get_thread_num() : 0) * per_thread;
                rows.clear(scratch);
#pragma omp for schedule(static)
                for (int64_t p = 0; p < in_planes; ++p) {
                    rows.load_plane(xd + p * in_size, scratch);
                    const int64_t ic = p % c_in;
                    for (int64_t j = 0; j < mult; ++j) {
                        const int64_t oc = ic * mult + j;
                        float* yp = yd + ((p / c_in) * m_out + oc) * out_size;
                        rows.compute_plane(scratch, wd + oc * ks, bd ? bd[oc] : 0.0f, act_, yp);
                    }
                }
            }
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }

        const int64_t m_group = m_out / group_, k_rows = c_group * ks;
        const bool pointwise = nn::is_pointwise(g);
        if (!pointwise && k_rows >= kOnednnMinDepth) {
            nn::OnednnConv::Problem p;
            p.n = n_batch, p.c_in = c_in, p.m_out = m_out, p.group = group_, p.has_bias = bd != nullptr;
            p.spatial_rank = sr, p.g = g, p.act = act_, p.threads = threads;
            if (onednn_.run(ctx, p, xd, wd, bd, yd)) {
                ctx.outputs[0] = std::move(y);
                return Status::ok();
            }
        }
        if (group_ == 1 && out_size < kWideColumns && n_batch > 1) {
            // small planes: im2col of several images side by side, one wide GEMM, then per image the
            // bias and activation on the way to the [N, M, spatial] layout
            const int64_t per = std::min(n_batch, (kWideColumns + out_size - 1) / out_size);
            const int64_t blocks = (n_batch + per - 1) / per, cols = per * out_size;
            const bool par = threads > 1 && blocks >= threads;
            const int64_t scratch = (k_rows + m_out) * cols;
            const size_t need = static_cast<size_t>(scratch * (par ? threads : 1));
            Tensor scratch_t =
                ctx.allocate(DataType::kFloat, {static_cast<int64_t>(std::max<size_t>(need, 1))});
            float* const scratch_p = scratch_t.data<float>();
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
            for (int64_t blk = 0; blk < blocks; ++blk) {
                float* col = scratch_p + (par ? omp_get_thread_num() : 0) * scratch;
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
                nn::gemm(false, false, m_out, ld, k_rows, 1.0f, wd, col, prod);
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
        Tensor scratch_t = ctx.allocate(DataType::kFloat, {static_cast<int64_t>(std::max<size_t>(need, 1))});
        float* const scratch_p = scratch_t.data<float>();
        auto task = [&](int64_t t, float* col) {
            const int64_t n = t / group_, gi = t % group_;
            const float* xg = xd + (n * c_in + gi * c_group) * in_size;
            if (!pointwise) {
                nn::im2col(xg, c_group, g, col, out_size);
                xg = col;
            }
            float* yg = yd + (n * m_out + gi * m_group) * out_size;
            nn::gemm(false, false, m_group, out_size, k_rows, 1.0f, wd + gi * m_group * k_rows, xg, yg);
            finish_rows(yg, m_group, out_size, bd ? bd + gi * m_group : nullptr, act_);
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
    FusedActivation act_;
    nn::OnednnConv onednn_;
};

}  // namespace

std::unique_ptr<Kernel> make_conv_kernel() {
    return std::make_unique<ConvKernel>();
}

}  // namespace lowbit::runtime
