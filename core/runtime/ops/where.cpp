#include "runtime/ops/where.h"

#include <cstring>
#include <limits>

#include "runtime/ops/binary.h"
#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class WhereKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor *c = ctx.input(0), *a = ctx.input(1), *b = ctx.input(2);
        if (!c || !a || !b) return kernel_error(ctx, "needs condition, X and Y");
        if (a->type() != b->type()) return kernel_error(ctx, "X and Y differ in element type");
        auto s1 = broadcast_shapes(c->shape(), a->shape());
        auto out = s1 ? broadcast_shapes(*s1, b->shape()) : std::nullopt;
        if (!out) return kernel_error(ctx, "shapes do not broadcast");
        Tensor y = ctx.allocate(a->type(), *out);
        size_t elem = element_size(a->type());
        BroadcastWalk w = BroadcastWalk::make(*out, {&c->shape(), &a->shape(), &b->shape()});
        const uint8_t* pc = c->data<uint8_t>();
        const char* pa = static_cast<const char*>(a->raw());
        const char* pb = static_cast<const char*>(b->raw());
        char* py = static_cast<char*>(y.raw());
        int64_t sc = w.strides[0].back(), sa = w.strides[1].back(), sb = w.strides[2].back();
        w.for_each_run([&](const std::vector<int64_t>& off, int64_t out_off, int64_t n) {
            for (int64_t i = 0; i < n; ++i) {
                const char* src = pc[off[0] + i * sc] ? pa + (off[1] + i * sa) * static_cast<int64_t>(elem)
                                                      : pb + (off[2] + i * sb) * static_cast<int64_t>(elem);
                std::memcpy(py + (out_off + i) * static_cast<int64_t>(elem), src, elem);
            }
        });
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

class ClipKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        lo_ = init.node.attr_float("min", -std::numeric_limits<float>::infinity());
        hi_ = init.node.attr_float("max", std::numeric_limits<float>::infinity());
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        Tensor y = ctx.allocate(x->type(), x->shape());
        bool ok = dispatch_numeric(x->type(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>)
                return;
            else {
                T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
                if constexpr (std::is_floating_point_v<T>) {
                    lo = static_cast<T>(lo_);
                    hi = static_cast<T>(hi_);
                }
                if (ctx.input(1) && ctx.input(1)->numel()) lo = ctx.input(1)->data<T>()[0];
                if (ctx.input(2) && ctx.input(2)->numel()) hi = ctx.input(2)->data<T>()[0];
                const T* in = x->data<T>();
                T* out = y.data<T>();
                int64_t n = x->numel();
#pragma omp simd
                for (int64_t i = 0; i < n; ++i)
                    out[i] = in[i] < lo ? lo : (in[i] > hi ? hi : in[i]);
            }
        });
        if (!ok || x->type() == DataType::kBool) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    float lo_, hi_;
};

}  // namespace

std::unique_ptr<Kernel> make_where_kernel() {
    return std::make_unique<WhereKernel>();
}
std::unique_ptr<Kernel> make_clip_kernel() {
    return std::make_unique<ClipKernel>();
}

}  // namespace lowbit::runtime
