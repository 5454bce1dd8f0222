#include "runtime/ops/average_pool.h"

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class AveragePoolKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        attrs_ = nn::WindowAttrs::from_node(init.node);
        ceil_mode_ = init.node.attr_int("ceil_mode", 0) != 0;
        include_pad_ = init.node.attr_int("count_include_pad", 0) != 0;
        if (attrs_.kernel.empty()) return kernel_init_error(init, "kernel_shape is required");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input X is required");
        if (x->type() != DataType::kFloat) return kernel_error(ctx, "only float32 is supported");
        const int64_t rank = x->rank();
        if (rank < 3 || rank > 5)
            return kernel_error(ctx, "X must have rank 3, 4 or 5, got " + shape_string(x->shape()));
        const size_t sr = static_cast<size_t>(rank - 2);
        std::string err = attrs_.check(sr, true);
        nn::Geometry3 g;
        if (err.empty()) err = nn::resolve_window(nn::spatial_of(x->shape()), attrs_, ceil_mode_, g);
        if (!err.empty()) return kernel_error(ctx, err);
        Tensor y = ctx.allocate(DataType::kFloat, nn::window_output_shape(x->dim(0), x->dim(1), g, sr));
        const int64_t planes = x->dim(0) * x->dim(1), in_size = g.in_size(), out_size = g.out_size();
        const float* xd = x->data<float>();
        float* yd = y.data<float>();
        const int threads = std::max(1, ctx.threads);
        const bool par = threads > 1 && planes > 1 && planes * out_size > 16384;
        const bool include_pad = include_pad_;
#pragma omp parallel for num_threads(threads) if (par) schedule(static)
        for (int64_t p = 0; p < planes; ++p) {
            const float* xp = xd + p * in_size;
            float* yp = yd + p * out_size;
            for (int64_t od = 0; od < g.out[0]; ++od) {
                const int64_t d0 = od * g.s[0] - g.pb[0];
                int64_t dlo, dhi, dplo, dphi;
                nn::window_taps(d0, g.k[0], g.d[0], g.in[0], dlo, dhi);
                nn::window_taps(d0 + g.pb[0], g.k[0], g.d[0], g.in[0] + g.pb[0] + g.pe[0], dplo, dphi);
                for (int64_t oh = 0; oh < g.out[1]; ++oh) {
                    const int64_t h0 = oh * g.s[1] - g.pb[1];
                    int64_t hlo, hhi, hplo, hphi;
                    nn::window_taps(h0, g.k[1], g.d[1], g.in[1], hlo, hhi);
                    nn::window_taps(h0 + g.pb[1], g.k[1], g.d[1], g.in[1] + g.pb[1] + g.pe[1], hplo, hphi);
                    for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                        const int64_t w0 = ow * g.s[2] - g.pb[2];
                        int64_t wlo, whi, wplo, wphi;
                        nn::window_taps(w0, g.k[2], g.d[2], g.in[2], wlo, whi);
                        nn::window_taps(w0 + g.pb[2], g.k[2], g.d[2], g.in[2] + g.pb[2] + g.pe[2], wplo,
                                        wphi);
                        float sum = 0.0f;
                        for (int64_t i = dlo; i < dhi; ++i) {
                            const int64_t id = d0 + i * g.d[0];
                            for (int64_t j = hlo; j < hhi; ++j) {
                                const float* row = xp + (id * g.in[1] + h0 + j * g.d[1]) * g.in[2];
                                for (int64_t l = wlo; l < whi; ++l)
                                    sum += row[w0 + l * g.d[2]];
                            }
                        }
                        // count_include_pad counts the taps inside the padded input, else the real ones
                        const int64_t count = include_pad ? (dphi - dplo) * (hphi - hplo) * (wphi - wplo)
                                                          : (dhi - dlo) * (hhi - hlo) * (whi - wlo);
                        yp[(od * g.out[1] + oh) * g.out[2] + ow] =
                            count > 0 ? sum / static_cast<float>(count) : 0.0f;
                    }
                }
            }
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    nn::WindowAttrs attrs_;
    bool ceil_mode_ = false, include_pad_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_average_pool_kernel() {
    return std::make_unique<AveragePoolKernel>();
}

}  // namespace lowbit::runtime
