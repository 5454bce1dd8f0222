#include "runtime/ops/concat.h"

#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class ConcatKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 1);  // opset < 4 defaulted to 1
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        std::vector<const Tensor*> ins;
        for (size_t k = 0; k < ctx.input_count(); ++k)
            if (ctx.input(k)) ins.push_back(ctx.input(k));
        if (ins.empty()) return kernel_error(ctx, "needs at least one input");
        const Tensor& first = *ins[0];
        auto axis = normalize_axis(axis_, first.rank());
        if (!axis) return kernel_error(ctx, "axis " + std::to_string(axis_) + " is out of range");
        Shape out = first.shape();
        out[static_cast<size_t>(*axis)] = 0;
        for (const Tensor* t : ins) {
            if (t->rank() != first.rank() || t->type() != first.type())
                return kernel_error(ctx, "inputs differ in rank or element type");
            for (int64_t k = 0; k < first.rank(); ++k)
                if (k != *axis && t->dim(k) != first.dim(k))
                    return kernel_error(ctx, "input shapes " + shape_string(first.shape()) + " and " +
                                                 shape_string(t->shape()) + " differ off the axis");
            out[static_cast<size_t>(*axis)] += t->dim(*axis);
        }
        size_t elem = element_size(first.type());
        if (!elem) return kernel_error(ctx, "element type is not supported");
        Tensor y = ctx.allocate(first.type(), out);
        int64_t outer = 1, inner = 1;
        for (int64_t k = 0; k < *axis; ++k)
            outer *= out[static_cast<size_t>(k)];
        for (int64_t k = *axis + 1; k < first.rank(); ++k)
            inner *= out[static_cast<size_t>(k)];
        size_t row = static_cast<size_t>(out[static_cast<size_t>(*axis)] * inner) * elem;
        char* dst = static_cast<char*>(y.raw());
        size_t at = 0;
        for (const Tensor* t : ins) {
            size_t chunk = static_cast<size_t>(t->dim(*axis) * inner) * elem;
            const char* src = static_cast<const char*>(t->raw());
            for (int64_t o = 0; o < outer; ++o)
                std::memcpy(dst + static_cast<size_t>(o) * row + at, src + static_cast<size_t>(o) * chunk,
                            chunk);
            at += chunk;
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t axis_ = 1;
};

class SplitKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 0);
        split_ = init.node.attr_ints("split");
        num_outputs_ = init.node.attr_int("num_outputs", 0);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis) return kernel_error(ctx, "axis " + std::to_string(axis_) + " is out of range");
        int64_t len = x->dim(*axis);
        int64_t n_out = static_cast<int64_t>(ctx.outputs.size());
        std::vector<int64_t> sizes = ctx.input(1) ? ctx.input(1)->to_int64_vector() : split_;
        if (sizes.empty()) {
            // equal parts; with num_outputs (opset 18) the last part may be smaller
            int64_t parts = num_outputs_ ? num_outputs_ : n_out;
            int64_t each = (len + parts - 1) / parts;
            if (!num_outputs_ && len % parts) return kernel_error(ctx, "axis length does not split evenly");
            for (int64_t k = 0; k < parts; ++k)
                sizes.push_back(std::max<int64_t>(0, std::min(each, len - k * each)));
        }
        int64_t sum = 0;
        for (int64_t s : sizes)
            sum += s;
        if (static_cast<int64_t>(sizes.size()) != n_out || sum != len)
            return kernel_error(ctx, "split sizes do not match the outputs or the axis length");
        size_t elem = element_size(x->type());
        auto strides = strides_of(x->shape());
        int64_t start = 0;
        for (int64_t k = 0; k < n_out; ++k) {
            Shape out = x->shape();
            out[static_cast<size_t>(*axis)] = sizes[static_cast<size_t>(k)];
            Tensor y = ctx.allocate(x->type(), out);
            copy_strided(x->raw(), strides, start * strides[static_cast<size_t>(*axis)], y.raw(), out, elem);
            ctx.outputs[static_cast<size_t>(k)] = std::move(y);
            start += sizes[static_cast<size_t>(k)];
        }
        return Status::ok();
    }

  private:
    int64_t axis_ = 0;
    std::vector<int64_t> split_;
    int64_t num_outputs_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_concat_kernel() {
    return std::make_unique<ConcatKernel>();
}
std::unique_ptr<Kernel> make_split_kernel() {
    return std::make_unique<SplitKernel>();
}

}  // namespace lowbit::runtime
