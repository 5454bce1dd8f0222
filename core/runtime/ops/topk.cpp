#include "runtime/ops/topk.h"

#include <algorithm>
#include <numeric>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class TopKKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", -1);
        largest_ = init.node.attr_int("largest", 1) != 0;
        k_attr_ = init.node.attr_int("k", -1);  // opset < 10
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis) return kernel_error(ctx, "axis is out of range");
        int64_t k = ctx.input(1) ? ctx.input(1)->at_int(0) : k_attr_;
        int64_t len = x->dim(*axis);
        if (k < 0 || k > len)
            return kernel_error(ctx,
                                "k = " + std::to_string(k) + " is outside [0, " + std::to_string(len) + "]");
        Shape out = x->shape();
        out[static_cast<size_t>(*axis)] = k;
        Tensor values = ctx.allocate(x->type(), out), indices = ctx.allocate(DataType::kInt64, out);
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < *axis; ++d)
            outer *= x->dim(d);
        for (int64_t d = *axis + 1; d < x->rank(); ++d)
            inner *= x->dim(d);
        std::vector<int64_t> order(static_cast<size_t>(len));
        bool ok = dispatch_numeric(x->type(), [&](auto tag) {
            using T = decltype(tag);
            const T* in = x->data<T>();
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t i = 0; i < inner; ++i) {
                    const T* row = in + o * len * inner + i;
                    std::iota(order.begin(), order.end(), 0);
                    auto cmp = [&](int64_t a, int64_t b) {
                        T va = row[a * inner], vb = row[b * inner];
                        if (va != vb) return largest_ ? va > vb : va < vb;
                        return a < b;
                    };
                    std::partial_sort(order.begin(), order.begin() + k, order.end(), cmp);
                    for (int64_t j = 0; j < k; ++j) {
                        int64_t at = o * k * inner + j * inner + i;
                        values.data<T>()[at] = row[order[static_cast<size_t>(j)] * inner];
                        indices.data<int64_t>()[at] = order[static_cast<size_t>(j)];
                    }
                }
        });
        if (!ok) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(values);
        if (ctx.outputs.size() > 1) ctx.outputs[1] = std::move(indices);
        return Status::ok();
    }

  private:
    int64_t axis_ = -1, k_attr_ = -1;
    bool largest_ = true;
};

class CumSumKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        exclusive_ = init.node.attr_int("exclusive", 0) != 0;
        reverse_ = init.node.attr_int("reverse", 0) != 0;
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor *x = ctx.input(0), *a = ctx.input(1);
        if (!x || !a) return kernel_error(ctx, "needs input and axis");
        auto axis = normalize_axis(a->at_int(0), x->rank());
        if (!axis) return kernel_error(ctx, "axis is out of range");
        Tensor y = ctx.allocate(x->type(), x->shape());
        int64_t len = x->dim(*axis), outer = 1, inner = 1;
        for (int64_t d = 0; d < *axis; ++d)
            outer *= x->dim(d);
        for (int64_t d = *axis + 1; d < x->rank(); ++d)
            inner *= x->dim(d);
        bool ok = dispatch_numeric(x->type(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_same_v<T, bool>) {
                const T* in = x->data<T>();
                T* out = y.data<T>();
                for (int64_t o = 0; o < outer; ++o)
                    for (int64_t i = 0; i < inner; ++i) {
                        T acc = 0;
                        for (int64_t s = 0; s < len; ++s) {
                            int64_t j = reverse_ ? len - 1 - s : s;
                            int64_t at = (o * len + j) * inner + i;
                            if (exclusive_) {
                                out[at] = acc;
                                acc = static_cast<T>(acc + in[at]);
                            } else {
                                acc = static_cast<T>(acc + in[at]);
                                out[at] = acc;
                            }
                        }
                    }
            }
        });
        if (!ok || x->type() == DataType::kBool) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool exclusive_ = false, reverse_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_topk_kernel() {
    return std::make_unique<TopKKernel>();
}
std::unique_ptr<Kernel> make_cumsum_kernel() {
    return std::make_unique<CumSumKernel>();
}

}  // namespace lowbit::runtime
