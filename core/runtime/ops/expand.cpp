#include "runtime/ops/expand.h"

#include <cmath>
#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class ExpandKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor *x = ctx.input(0), *s = ctx.input(1);
        if (!x || !s) return kernel_error(ctx, "needs input and shape");
        std::vector<int64_t> want = s->to_int64_vector();
        auto out = broadcast_shapes(x->shape(), Shape(want.begin(), want.end()));
        if (!out)
            return kernel_error(ctx, "cannot expand " + shape_string(x->shape()) + " to " +
                                         shape_string(Shape(want.begin(), want.end())));
        Tensor y = ctx.allocate(x->type(), *out);
        copy_strided(x->raw(), broadcast_strides(x->shape(), *out), 0, y.raw(), *out,
                     element_size(x->type()));
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

class TileKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor *x = ctx.input(0), *r = ctx.input(1);
        if (!x || !r) return kernel_error(ctx, "needs input and repeats");
        std::vector<int64_t> reps = r->to_int64_vector();
        if (static_cast<int64_t>(reps.size()) != x->rank())
            return kernel_error(ctx, "repeats must have one entry per axis");
        // view the output as [r0, d0, r1, d1, ...] and read the input with stride 0 on the repeat axes
        Shape view, out;
        std::vector<int64_t> strides;
        auto in_strides = strides_of(x->shape());
        for (int64_t k = 0; k < x->rank(); ++k) {
            if (reps[static_cast<size_t>(k)] < 0) return kernel_error(ctx, "negative repeat");
            view.push_back(reps[static_cast<size_t>(k)]);
            view.push_back(x->dim(k));
            strides.push_back(0);
            strides.push_back(in_strides[static_cast<size_t>(k)]);
            out.push_back(reps[static_cast<size_t>(k)] * x->dim(k));
        }
        Tensor y = ctx.allocate(x->type(), out);
        if (y.numel()) copy_strided(x->raw(), strides, 0, y.raw(), view, element_size(x->type()));
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

class RangeKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor *s = ctx.input(0), *l = ctx.input(1), *d = ctx.input(2);
        if (!s || !l || !d) return kernel_error(ctx, "needs start, limit and delta");
        double start = s->at_double(0), limit = l->at_double(0), delta = d->at_double(0);
        if (delta == 0) return kernel_error(ctx, "delta is 0");
        int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((limit - start) / delta)));
        Tensor y = ctx.allocate(s->type(), {n});
        bool ok = dispatch_numeric(s->type(), [&](auto tag) {
            using T = decltype(tag);
            T st = s->data<T>()[0], dl = d->data<T>()[0];
            for (int64_t i = 0; i < n; ++i)
                y.data<T>()[i] = static_cast<T>(st + static_cast<T>(i) * dl);
        });
        if (!ok) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

}  // namespace

std::unique_ptr<Kernel> make_expand_kernel() {
    return std::make_unique<ExpandKernel>();
}
std::unique_ptr<Kernel> make_tile_kernel() {
    return std::make_unique<TileKernel>();
}
std::unique_ptr<Kernel> make_range_kernel() {
    return std::make_unique<RangeKernel>();
}

}  // namespace lowbit::runtime
