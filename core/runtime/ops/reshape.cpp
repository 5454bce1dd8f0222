#include "runtime/ops/reshape.h"

#include <algorithm>
#include <set>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

// Axes come from an attribute (older opsets) or from input 1 (newer ones).
std::vector<int64_t> axes_from(const KernelContext& ctx, const std::vector<int64_t>& attr_axes) {
    if (const Tensor* t = ctx.input(1)) return t->to_int64_vector();
    return attr_axes;
}

class ReshapeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        allow_zero_ = init.node.attr_int("allowzero", 0) != 0;
        legacy_shape_ = init.node.attr_ints("shape");  // opset < 5
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        std::vector<int64_t> want = ctx.input(1) ? ctx.input(1)->to_int64_vector() : legacy_shape_;
        Shape out(want.size());
        int64_t known = 1, infer = -1;
        for (size_t k = 0; k < want.size(); ++k) {
            int64_t d = want[k];
            if (d == 0 && !allow_zero_) {
                if (static_cast<int64_t>(k) >= x->rank())
                    return kernel_error(ctx,
                                        "shape copies dimension " + std::to_string(k) + " the input lacks");
                d = x->dim(static_cast<int64_t>(k));
            }
            if (d == -1) {
                if (infer >= 0) return kernel_error(ctx, "shape has more than one -1");
                infer = static_cast<int64_t>(k);
                continue;
            }
            if (d < 0) return kernel_error(ctx, "shape has negative dimension " + std::to_string(d));
            out[k] = d;
            known *= d;
        }
        if (infer >= 0) {
            if (known == 0 || x->numel() % known != 0)
                return kernel_error(ctx, "cannot reshape " + shape_string(x->shape()) + " to " +
                                             shape_string(Shape(want.begin(), want.end())));
            out[static_cast<size_t>(infer)] = x->numel() / known;
        }
        if (shape_numel(out) != x->numel())
            return kernel_error(ctx, "cannot reshape " + shape_string(x->shape()) + " (" +
                                         std::to_string(x->numel()) + " elements) to " + shape_string(out));
        ctx.outputs[0] = x->view(out);
        return Status::ok();
    }

  private:
    bool allow_zero_ = false;
    std::vector<int64_t> legacy_shape_;
};

class FlattenKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 1);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        int64_t axis = axis_ < 0 ? axis_ + x->rank() : axis_;
        if (axis < 0 || axis > x->rank())
            return kernel_error(ctx, "axis " + std::to_string(axis_) + " is out of range");
        int64_t outer = 1;
        for (int64_t k = 0; k < axis; ++k)
            outer *= x->dim(k);
        ctx.outputs[0] = x->view({outer, outer == 0 ? 0 : x->numel() / outer});
        return Status::ok();
    }

  private:
    int64_t axis_ = 1;
};

class SqueezeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axes_ = init.node.attr_ints("axes");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        std::vector<int64_t> axes = axes_from(ctx, axes_);
        std::set<int64_t> drop;
        for (int64_t a : axes) {
            auto n = normalize_axis(a, x->rank());
            if (!n) return kernel_error(ctx, "axis " + std::to_string(a) + " is out of range");
            if (x->dim(*n) != 1)
                return kernel_error(ctx, "cannot squeeze axis " + std::to_string(a) + " of size " +
                                             std::to_string(x->dim(*n)));
            drop.insert(*n);
        }
        Shape out;
        for (int64_t k = 0; k < x->rank(); ++k)
            if (axes.empty() ? x->dim(k) != 1 : !drop.count(k)) out.push_back(x->dim(k));
        ctx.outputs[0] = x->view(out);
        return Status::ok();
    }

  private:
    std::vector<int64_t> axes_;
};

class UnsqueezeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axes_ = init.node.attr_ints("axes");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        std::vector<int64_t> axes = axes_from(ctx, axes_);
        int64_t rank = x->rank() + static_cast<int64_t>(axes.size());
        std::set<int64_t> add;
        for (int64_t a : axes) {
            auto n = normalize_axis(a, rank);
            if (!n || !add.insert(*n).second)
                return kernel_error(ctx, "bad or repeated axis " + std::to_string(a));
        }
        Shape out;
        int64_t src = 0;
        for (int64_t k = 0; k < rank; ++k)
            out.push_back(add.count(k) ? 1 : x->dim(src++));
        ctx.outputs[0] = x->view(out);
        return Status::ok();
    }

  private:
    std::vector<int64_t> axes_;
};

}  // namespace

std::unique_ptr<Kernel> make_reshape_kernel() {
    return std::make_unique<ReshapeKernel>();
}
std::unique_ptr<Kernel> make_flatten_kernel() {
    return std::make_unique<FlattenKernel>();
}
std::unique_ptr<Kernel> make_squeeze_kernel() {
    return std::make_unique<SqueezeKernel>();
}
std::unique_ptr<Kernel> make_unsqueeze_kernel() {
    return std::make_unique<UnsqueezeKernel>();
}

}  // namespace lowbit::runtime
