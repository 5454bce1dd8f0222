#include "runtime/ops/cast.h"

#include <cmath>
#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

Status cast_tensor(const Tensor& x, DataType to, Tensor& y) {
    int64_t n = x.numel();
    if (x.type() == to) {
        std::memcpy(y.raw(), x.raw(), x.bytes());
        return Status::ok();
    }
    auto read = [&](int64_t i) -> double { return x.at_double(i); };
    if (to == DataType::kFloat16 || to == DataType::kBFloat16) {
        for (int64_t i = 0; i < n; ++i) {
            float v = static_cast<float>(read(i));
            y.data<uint16_t>()[i] =
                to == DataType::kFloat16 ? ir::float_to_half(v) : ir::float_to_bfloat16(v);
        }
        return Status::ok();
    }
    bool ok = dispatch_numeric(to, [&](auto tag) {
        using T = decltype(tag);
        T* out = y.data<T>();
        if (x.type() == DataType::kFloat) {
            const float* in = x.data<float>();
            for (int64_t i = 0; i < n; ++i) {
                if constexpr (std::is_same_v<T, bool>)
                    out[i] = in[i] != 0.0f;
                else if constexpr (std::is_integral_v<T>)
                    out[i] = std::isfinite(in[i]) ? static_cast<T>(in[i]) : T(0);
                else
                    out[i] = static_cast<T>(in[i]);
            }
            return;
        }
        for (int64_t i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<T, bool>)
                out[i] = read(i) != 0.0;
            else if constexpr (std::is_integral_v<T>) {
                if (x.type() == DataType::kInt64)
                    out[i] = static_cast<T>(x.data<int64_t>()[i]);
                else if (x.type() == DataType::kUint64)
                    out[i] = static_cast<T>(x.data<uint64_t>()[i]);
                else {
                    double v = read(i);
                    out[i] = std::isfinite(v) ? static_cast<T>(v) : T(0);
                }
            } else
                out[i] = static_cast<T>(read(i));
        }
    });
    if (!ok) return unsupported("cast to " + std::string(ir::name_of(to)) + " is not supported");
    return Status::ok();
}

namespace {

class CastKernel : public Kernel {
  public:
    explicit CastKernel(bool like) : like_(like) {}
    Status init(const KernelInit& init) override {
        to_ = static_cast<DataType>(init.node.attr_int("to", 1));
        if (init.node.attr_string("to", "").size())
            return unsupported(init.node.label() + ": string 'to' (opset 1) is not supported");
        if (to_ == DataType::kString)
            return unsupported(init.node.label() + ": casting to strings is not supported");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        DataType to = like_ ? (ctx.input(1) ? ctx.input(1)->type() : x->type()) : to_;
        if (x->type() == DataType::kString || to == DataType::kString)
            return unsupported(ctx.where() + "string casts are not supported");
        Tensor y = ctx.allocate(to, x->shape());
        Status st = cast_tensor(*x, to, y);
        if (!st.is_ok()) return st.with_context(ctx.node.label());
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool like_;
    DataType to_ = DataType::kFloat;
};

}  // namespace

std::unique_ptr<Kernel> make_cast_kernel() {
    return std::make_unique<CastKernel>(false);
}
std::unique_ptr<Kernel> make_cast_like_kernel() {
    return std::make_unique<CastKernel>(true);
}

}  // namespace lowbit::runtime
