#include "runtime/ops/slice.h"

#include <algorithm>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class SliceKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        starts_ = init.node.attr_ints("starts");
        ends_ = init.node.attr_ints("ends");
        axes_ = init.node.attr_ints("axes");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        bool from_inputs = ctx.input(1) != nullptr;
        std::vector<int64_t> starts = from_inputs ? ctx.input(1)->to_int64_vector() : starts_;
        std::vector<int64_t> ends =
            from_inputs ? (ctx.input(2) ? ctx.input(2)->to_int64_vector() : std::vector<int64_t>{}) : ends_;
        std::vector<int64_t> axes =
            from_inputs ? (ctx.input(3) ? ctx.input(3)->to_int64_vector() : std::vector<int64_t>{}) : axes_;
        std::vector<int64_t> steps =
            from_inputs && ctx.input(4) ? ctx.input(4)->to_int64_vector() : std::vector<int64_t>{};
        if (starts.size() != ends.size()) return kernel_error(ctx, "starts and ends differ in length");
        if (axes.empty())
            for (size_t k = 0; k < starts.size(); ++k)
                axes.push_back(static_cast<int64_t>(k));
        if (steps.empty()) steps.assign(starts.size(), 1);
        if (axes.size() != starts.size() || steps.size() != starts.size())
            return kernel_error(ctx, "starts, ends, axes and steps differ in length");
        Shape out = x->shape();
        auto in_strides = strides_of(x->shape());
        std::vector<int64_t> src_strides = in_strides;
        int64_t offset = 0;
        for (size_t k = 0; k < starts.size(); ++k) {
            auto axis = normalize_axis(axes[k], x->rank());
            if (!axis) return kernel_error(ctx, "axis " + std::to_string(axes[k]) + " is out of range");
            int64_t dim = x->dim(*axis), step = steps[k];
            if (step == 0) return kernel_error(ctx, "step is 0");
            int64_t start = starts[k], end = ends[k];
            if (start < 0) start += dim;
            if (end < 0) end += dim;
            if (step > 0) {
                start = std::clamp<int64_t>(start, 0, dim);
                end = std::clamp<int64_t>(end, 0, dim);
            } else {
                start = std::clamp<int64_t>(start, 0, dim - 1);
                end = std::clamp<int64_t>(end, -1, dim - 1);
            }
            int64_t count = step > 0 ? std::max<int64_t>(0, (end - start + step - 1) / step)
                                     : std::max<int64_t>(0, (start - end + (-step) - 1) / (-step));
            out[static_cast<size_t>(*axis)] = count;
            offset += start * in_strides[static_cast<size_t>(*axis)];
            src_strides[static_cast<size_t>(*axis)] = in_strides[static_cast<size_t>(*axis)] * step;
        }
        Tensor y = ctx.allocate(x->type(), out);
        if (y.numel() > 0) copy_strided(x->raw(), src_strides, offset, y.raw(), out, element_size(x->type()));
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    std::vector<int64_t> starts_, ends_, axes_;
};

}  // namespace

std::unique_ptr<Kernel> make_slice_kernel() {
    return std::make_unique<SliceKernel>();
}

}  // namespace lowbit::runtime
