#include "runtime/ops/max_pool.h"

#include <limits>

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

using nn::Geometry3;

template <typename T>
void max_pool(const T* x, T* y, int64_t* indices, int64_t planes, const Geometry3& g, bool column_major,
              int threads) {
    const int64_t in_size = g.in_size(), out_size = g.out_size();
    const bool par = threads > 1 && planes > 1 && planes * out_size > 16384;
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
    for (int64_t p = 0; p < planes; ++p) {
        const T* xp = x + p * in_size;
        T* yp = y + p * out_size;
        int64_t* ip = indices ? indices + p * out_size : nullptr;
        for (int64_t od = 0; od < g.out[0]; ++od) {
            const int64_t d0 = od * g.s[0] - g.pb[0];
            int64_t dlo, dhi;
            nn::window_taps(d0, g.k[0], g.d[0], g.in[0], dlo, dhi);
            for (int64_t oh = 0; oh < g.out[1]; ++oh) {
                const int64_t h0 = oh * g.s[1] - g.pb[1];
                int64_t hlo, hhi;
                nn::window_taps(h0, g.k[1], g.d[1], g.in[1], hlo, hhi);
                for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const int64_t w0 = ow * g.s[2] - g.pb[2];
                    int64_t wlo, whi;
                    nn::window_taps(w0, g.k[2], g.d[2], g.in[2], wlo, whi);
                    T best = std::numeric_limits<T>::lowest();
                    int64_t best_at = -1;
                    for (int64_t i = dlo; i < dhi; ++i) {
                        const int64_t id = d0 + i * g.d[0];
                        for (int64_t j = hlo; j < hhi; ++j) {
                            const int64_t ih = h0 + j * g.d[1];
                            const T* row = xp + (id * g.in[1] + ih) * g.in[2];
                            for (int64_t l = wlo; l < whi; ++l) {
                                const int64_t iw = w0 + l * g.d[2];
                                if (row[iw] > best || best_at < 0) {
                                    best = row[iw];
                                    best_at = (id * g.in[1] + ih) * g.in[2] + iw;
                                }
                            }
                        }
                    }
                    const int64_t o = (od * g.out[1] + oh) * g.out[2] + ow;
                    yp[o] = best;
                    if (ip) {
                        int64_t at = best_at;
                        if (column_major && at >= 0) {
                            const int64_t iw = at % g.in[2], ih = at / g.in[2] % g.in[1],
                                          id = at / (g.in[1] * g.in[2]);
                            at = id + g.in[0] * (ih + g.in[1] * iw);
                        }
                        ip[o] = p * in_size + at;
                    }
                }
            }
        }
    }
}

// Without indices: per output row and window row, one vector max per kernel column over the output
// columns whose tap is inside the input.
template <typename T>
void max_pool_fast(const T* x, T* y, int64_t planes, const Geometry3& g, int threads) {
    const int64_t in_size = g.in_size(), out_size = g.out_size(), ow_n = g.out[2];
    const bool par = threads > 1 && planes > 1 && planes * out_size > 16384;
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
    for (int64_t p = 0; p < planes; ++p) {
        const T* xp = x + p * in_size;
        T* yp = y + p * out_size;
        if (g.k[0] == 1 && g.k[1] == 2 && g.k[2] == 2 && g.s[1] == 2 && g.s[2] == 2 && g.d[1] == 1 &&
            g.d[2] == 1 && g.pb[1] == 0 && g.pb[2] == 0 && g.pe[1] == 0 && g.pe[2] == 0) {
            // 2x2 stride 2 without padding: one pass, every window inside the input
            for (int64_t od = 0; od < g.out[0]; ++od)
                for (int64_t oh = 0; oh < g.out[1]; ++oh) {
                    const T* __restrict r0 = xp + ((od * g.s[0]) * g.in[1] + 2 * oh) * g.in[2];
                    const T* __restrict r1 = r0 + g.in[2];
                    T* __restrict orow = yp + (od * g.out[1] + oh) * ow_n;
#pragma omp simd
                    for (int64_t o = 0; o < ow_n; ++o)
                        orow[o] =
                            std::max(std::max(r0[2 * o], r0[2 * o + 1]), std::max(r1[2 * o], r1[2 * o + 1]));
                }
            continue;
        }
        std::fill(yp, yp + out_size, std::numeric_limits<T>::lowest());
        for (int64_t od = 0; od < g.out[0]; ++od) {
            const int64_t d0 = od * g.s[0] - g.pb[0];
            int64_t dlo, dhi;
            nn::window_taps(d0, g.k[0], g.d[0], g.in[0], dlo, dhi);
            for (int64_t oh = 0; oh < g.out[1]; ++oh) {
                const int64_t h0 = oh * g.s[1] - g.pb[1];
                int64_t hlo, hhi;
                nn::window_taps(h0, g.k[1], g.d[1], g.in[1], hlo, hhi);
                T* __restrict orow = yp + (od * g.out[1] + oh) * ow_n;
                for (int64_t i = dlo; i < dhi; ++i)
                    for (int64_t j = hlo; j < hhi; ++j) {
                        const T* __restrict irow =
                            xp + ((d0 + i * g.d[0]) * g.in[1] + h0 + j * g.d[1]) * g.in[2];
                        for (int64_t l = 0; l < g.k[2]; ++l) {
                            const int64_t base = l * g.d[2] - g.pb[2];
                            int64_t lo, hi;
                            nn::valid_range(base, g.s[2], g.in[2], ow_n, lo, hi);
                            if (hi <= lo) continue;
                            const int64_t sw = g.s[2];
                            const T* src = irow + lo * sw + base;
                            T* dst = orow + lo;
                            if (sw == 1) {
#pragma omp simd
                                for (int64_t o = 0; o < hi - lo; ++o)
                                    dst[o] = std::max(dst[o], src[o]);
                            } else if (sw == 2) {
#pragma omp simd
                                for (int64_t o = 0; o < hi - lo; ++o)
                                    dst[o] = std::max(dst[o], src[2 * o]);
                            } else {
                                for (int64_t o = 0; o < hi - lo; ++o)
                                    dst[o] = std::max(dst[o], src[o * sw]);
                            }
                        }
                    }
            }
        }
    }
}

class MaxPoolKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        attrs_ = nn::WindowAttrs::from_node(init.node);
        ceil_mode_ = init.node.attr_int("ceil_mode", 0) != 0;
        column_major_ = init.node.attr_int("storage_order", 0) != 0;
        if (attrs_.kernel.empty()) return kernel_init_error(init, "kernel_shape is required");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input X is required");
        const int64_t rank = x->rank();
        if (rank < 3 || rank > 5)
            return kernel_error(ctx, "X must have rank 3, 4 or 5, got " + shape_string(x->shape()));
        const size_t sr = static_cast<size_t>(rank - 2);
        std::string err = attrs_.check(sr, true);
        nn::Geometry3 g;
        if (err.empty()) err = nn::resolve_window(nn::spatial_of(x->shape()), attrs_, ceil_mode_, g);
        if (!err.empty()) return kernel_error(ctx, err);
        const Shape out_shape = nn::window_output_shape(x->dim(0), x->dim(1), g, sr);
        Tensor y = ctx.allocate(x->type(), out_shape);
        const bool want_indices = ctx.outputs.size() > 1 && !ctx.node.outputs[1].empty();
        Tensor ind = want_indices ? ctx.allocate(DataType::kInt64, out_shape) : Tensor();
        int64_t* id = want_indices ? ind.data<int64_t>() : nullptr;
        const int64_t planes = x->dim(0) * x->dim(1);
        if (!want_indices) {
            switch (x->type()) {
                case DataType::kFloat:
                    max_pool_fast(x->data<float>(), y.data<float>(), planes, g, ctx.threads);
                    break;
                case DataType::kDouble:
                    max_pool_fast(x->data<double>(), y.data<double>(), planes, g, ctx.threads);
                    break;
                case DataType::kInt8:
                    max_pool_fast(x->data<int8_t>(), y.data<int8_t>(), planes, g, ctx.threads);
                    break;
                case DataType::kUint8:
                    max_pool_fast(x->data<uint8_t>(), y.data<uint8_t>(), planes, g, ctx.threads);
                    break;
                default:
                    return kernel_error(ctx,
                                        "unsupported element type " + std::string(ir::name_of(x->type())));
            }
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }
        switch (x->type()) {
            case DataType::kFloat:
                max_pool(x->data<float>(), y.data<float>(), id, planes, g, column_major_, ctx.threads);
                break;
            case DataType::kDouble:
                max_pool(x->data<double>(), y.data<double>(), id, planes, g, column_major_, ctx.threads);
                break;
            case DataType::kInt8:
                max_pool(x->data<int8_t>(), y.data<int8_t>(), id, planes, g, column_major_, ctx.threads);
                break;
            case DataType::kUint8:
                max_pool(x->data<uint8_t>(), y.data<uint8_t>(), id, planes, g, column_major_, ctx.threads);
                break;
            default:
                return kernel_error(ctx, "unsupported element type " + std::string(ir::name_of(x->type())));
        }
        ctx.outputs[0] = std::move(y);
        if (want_indices) ctx.outputs[1] = std::move(ind);
        return Status::ok();
    }

  private:
    nn::WindowAttrs attrs_;
    bool ceil_mode_ = false, column_major_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_max_pool_kernel() {
    return std::make_unique<MaxPoolKernel>();
}

}  // namespace lowbit::runtime
