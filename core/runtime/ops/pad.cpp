#include "runtime/ops/pad.h"

#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class PadKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        mode_ = init.node.attr_string("mode", "constant");
        pads_ = init.node.attr_ints("pads", init.node.attr_ints("paddings"));
        value_ = init.node.attr_float("value", 0.0f);
        if (mode_ != "constant" && mode_ != "reflect" && mode_ != "edge" && mode_ != "wrap")
            return kernel_init_error(init, "unknown mode '" + mode_ + "'");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        int64_t r = x->rank();
        std::vector<int64_t> given = ctx.input(1) ? ctx.input(1)->to_int64_vector() : pads_;
        std::vector<int64_t> pads(static_cast<size_t>(2 * r), 0);
        if (const Tensor* a = ctx.input(3)) {
            auto axes = a->to_int64_vector();
            if (given.size() != 2 * axes.size())
                return kernel_error(ctx, "pads must have two entries per axis");
            for (size_t k = 0; k < axes.size(); ++k) {
                auto ax = normalize_axis(axes[k], r);
                if (!ax) return kernel_error(ctx, "axis out of range");
                pads[static_cast<size_t>(*ax)] = given[k];
                pads[static_cast<size_t>(*ax + r)] = given[k + axes.size()];
            }
        } else {
            if (static_cast<int64_t>(given.size()) != 2 * r)
                return kernel_error(ctx, "pads must have two entries per axis");
            pads = given;
        }
        Shape out(static_cast<size_t>(r));
        for (int64_t k = 0; k < r; ++k) {
            out[static_cast<size_t>(k)] =
                x->dim(k) + pads[static_cast<size_t>(k)] + pads[static_cast<size_t>(k + r)];
            if (out[static_cast<size_t>(k)] < 0) return kernel_error(ctx, "negative output dimension");
            if (mode_ != "constant" && x->dim(k) == 0 && out[static_cast<size_t>(k)] > 0)
                return kernel_error(ctx, "cannot " + mode_ + "-pad an empty axis");
        }
        Tensor y = ctx.allocate(x->type(), out);
        size_t elem = element_size(x->type());
        Tensor fill = ctx.allocate(x->type(), {});
        if (ctx.input(2) && ctx.input(2)->numel())
            std::memcpy(fill.raw(), ctx.input(2)->raw(), elem);
        else {
            dispatch_numeric(x->type(), [&](auto tag) {
                using T = decltype(tag);
                fill.data<T>()[0] = static_cast<T>(value_);
            });
        }
        auto in_strides = strides_of(x->shape());
        auto out_strides = strides_of(out);
        const char* src = static_cast<const char*>(x->raw());
        char* dst = static_cast<char*>(y.raw());
        for (int64_t i = 0; i < y.numel(); ++i) {
            int64_t rem = i, off = 0;
            bool inside = true;
            for (int64_t k = 0; k < r; ++k) {
                int64_t c = rem / out_strides[static_cast<size_t>(k)] - pads[static_cast<size_t>(k)];
                rem %= out_strides[static_cast<size_t>(k)];
                int64_t d = x->dim(k);
                if (c < 0 || c >= d) {
                    if (mode_ == "constant") {
                        inside = false;
                        break;
                    }
                    if (mode_ == "edge")
                        c = c < 0 ? 0 : d - 1;
                    else if (mode_ == "wrap")
                        c = ((c % d) + d) % d;
                    else {  // reflect, possibly several times
                        int64_t period = 2 * (d - 1);
                        if (period == 0)
                            c = 0;
                        else {
                            c = ((c % period) + period) % period;
                            if (c >= d) c = period - c;
                        }
                    }
                }
                off += c * in_strides[static_cast<size_t>(k)];
            }
            std::memcpy(dst + static_cast<size_t>(i) * elem,
                        inside ? src + static_cast<size_t>(off) * elem : fill.raw(), elem);
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    std::string mode_;
    std::vector<int64_t> pads_;
    float value_ = 0.0f;
};

class DepthSpaceKernel : public Kernel {
  public:
    explicit DepthSpaceKernel(bool to_space) : to_space_(to_space) {}
    Status init(const KernelInit& init) override {
        block_ = init.node.attr_int("blocksize", 0);
        crd_ = init.node.attr_string("mode", "DCR") == "CRD";
        if (block_ <= 0) return kernel_init_error(init, "blocksize must be positive");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x || x->rank() != 4) return kernel_error(ctx, "needs a 4-D input");
        int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3), b = block_;
        size_t elem = element_size(x->type());
        Shape view, out;
        std::vector<int64_t> strides;
        if (to_space_) {
            if (c % (b * b)) return kernel_error(ctx, "channels are not divisible by blocksize^2");
            int64_t co = c / (b * b);
            // input viewed as DCR [n, b, b, co, h, w] or CRD [n, co, b, b, h, w]; output [n, co, h, b, w, b]
            int64_t sh = w, sc = h * w;
            int64_t b1 = crd_ ? b * sc : b * co * sc, b2 = crd_ ? sc : co * sc, cc = crd_ ? b * b * sc : sc;
            view = {n, co, h, b, w, b};
            strides = {c * h * w, cc, sh, b1, 1, b2};
            out = {n, co, h * b, w * b};
        } else {
            if (h % b || w % b) return kernel_error(ctx, "spatial size is not divisible by blocksize");
            int64_t ho = h / b, wo = w / b;
            // output [n, b, b, c, ho, wo] (DCR) read from input [n, c, ho, b, wo, b]
            view = {n, b, b, c, ho, wo};
            strides = {c * h * w, w, 1, h * w, b * w, b};
            out = {n, c * b * b, ho, wo};
        }
        Tensor y = ctx.allocate(x->type(), out);
        copy_strided(x->raw(), strides, 0, y.raw(), view, elem);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool to_space_;
    int64_t block_ = 0;
    bool crd_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_pad_kernel() {
    return std::make_unique<PadKernel>();
}
std::unique_ptr<Kernel> make_depth_to_space_kernel() {
    return std::make_unique<DepthSpaceKernel>(true);
}
std::unique_ptr<Kernel> make_space_to_depth_kernel() {
    return std::make_unique<DepthSpaceKernel>(false);
}

}  // namespace lowbit::runtime
