#include "runtime/ops/binary.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

BroadcastWalk BroadcastWalk::make(const Shape& out, const std::vector<const Shape*>& operands) {
    std::vector<std::vector<int64_t>> full;
    for (const Shape* s : operands)
        full.push_back(broadcast_strides(*s, out));
    auto out_strides = strides_of(out);
    BroadcastWalk w;
    w.strides.resize(operands.size());
    // merge dim k into the previous one when every operand steps through both alike
    for (size_t k = 0; k < out.size(); ++k) {
        if (out[k] == 1) continue;
        bool merge = !w.dims.empty();
        for (size_t p = 0; p < full.size() && merge; ++p) {
            int64_t prev = w.strides[p].back();
            merge = (prev == 0 && full[p][k] == 0) || (prev != 0 && prev == full[p][k] * out[k]);
        }
        if (merge) {
            w.dims.back() *= out[k];
            for (size_t p = 0; p < full.size(); ++p)
                w.strides[p].back() = full[p][k];
        } else {
            w.dims.push_back(out[k]);
            for (size_t p = 0; p < full.size(); ++p)
                w.strides[p].push_back(full[p][k]);
        }
    }
    if (w.dims.empty()) {  // scalar output
        w.dims.push_back(1);
        for (auto& s : w.strides)
            s.push_back(0);
    }
    (void)out_strides;
    return w;
}

namespace {

enum class Op {
    kAdd,
    kSub,
    kMul,
    kDiv,
    kPow,
    kMod,
    kFMod,
    kPRelu,
    kSum,
    kMean,
    kMax,
    kMin,
    kEqual,
    kLess,
    kGreater,
    kLessOrEqual,
    kGreaterOrEqual,
    kAnd,
    kOr,
    kXor
};

const std::unordered_map<std::string, Op> kOps = {{"Add", Op::kAdd},
                                                  {"Sub", Op::kSub},
                                                  {"Mul", Op::kMul},
                                                  {"Div", Op::kDiv},
                                                  {"Pow", Op::kPow},
                                                  {"Mod", Op::kMod},
                                                  {"PRelu", Op::kPRelu},
                                                  {"Sum", Op::kSum},
                                                  {"Mean", Op::kMean},
                                                  {"Max", Op::kMax},
                                                  {"Min", Op::kMin},
                                                  {"Equal", Op::kEqual},
                                                  {"Less", Op::kLess},
                                                  {"Greater", Op::kGreater},
                                                  {"LessOrEqual", Op::kLessOrEqual},
                                                  {"GreaterOrEqual", Op::kGreaterOrEqual},
                                                  {"And", Op::kAnd},
                                                  {"Or", Op::kOr},
                                                  {"Xor", Op::kXor}};

bool is_comparison(Op op) {
    return op == Op::kEqual || op == Op::kLess || op == Op::kGreater || op == Op::kLessOrEqual ||
           op == Op::kGreaterOrEqual;
}

template <typename T>
T py_mod(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        T r = std::fmod(a, b);
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
        if (b == 0) return 0;
        T r = static_cast<T>(a % b);
        if constexpr (std::is_signed_v<T>)
            return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
        return r;
    }
}

template <Op op, typename T, typename R>
inline void run_loop(const T* a, int64_t sa, const T* b, int64_t sb, R* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        T x = a[i * sa], z = b[i * sb];
        if constexpr (op == Op::kAdd || op == Op::kSum || op == Op::kMean)
            y[i] = static_cast<R>(x + z);
        else if constexpr (op == Op::kSub)
            y[i] = static_cast<R>(x - z);
        else if constexpr (op == Op::kMul)
            y[i] = static_cast<R>(x * z);
        else if constexpr (op == Op::kDiv) {
            if constexpr (std::is_integral_v<T>)
                y[i] = z == 0 ? R(0) : static_cast<R>(x / z);
            else
                y[i] = static_cast<R>(x / z);
        } else if constexpr (op == Op::kPow)
            y[i] = static_cast<R>(std::pow(static_cast<double>(x), static_cast<double>(z)));
        else if constexpr (op == Op::kMod)
            y[i] = static_cast<R>(py_mod(x, z));
        else if constexpr (op == Op::kFMod) {
            if constexpr (std::is_integral_v<T>)
                y[i] = z == 0 ? R(0) : static_cast<R>(x % z);
            else
                y[i] = static_cast<R>(std::fmod(x, z));
        } else if constexpr (op == Op::kPRelu)
            y[i] = static_cast<R>(x < T(0) ? x * z : x);
        else if constexpr (op == Op::kMax)
            y[i] = static_cast<R>((x != x) ? x : (x > z ? x : z));
        else if constexpr (op == Op::kMin)
            y[i] = static_cast<R>((x != x) ? x : (x < z ? x : z));
        else if constexpr (op == Op::kEqual)
            y[i] = x == z;
        else if constexpr (op == Op::kLess)
            y[i] = x < z;
        else if constexpr (op == Op::kGreater)
            y[i] = x > z;
        else if constexpr (op == Op::kLessOrEqual)
            y[i] = x <= z;
        else if constexpr (op == Op::kGreaterOrEqual)
            y[i] = x >= z;
        else if constexpr (op == Op::kAnd)
            y[i] = static_cast<R>(x && z);
        else if constexpr (op == Op::kOr)
            y[i] = static_cast<R>(x || z);
        else if constexpr (op == Op::kXor)
            y[i] = static_cast<R>(static_cast<bool>(x) != static_cast<bool>(z));
    }
}

// Specialised inner loops for the common float cases (contiguous or scalar operand) so they vectorise.
template <Op op, typename T, typename R>
inline void run_segment(const T* a, int64_t sa, const T* b, int64_t sb, R* y, int64_t n) {
    if (sa == 1 && sb == 1)
        run_loop<op, T, R>(a, 1, b, 1, y, n);
    else if (sa == 1 && sb == 0)
        run_loop<op, T, R>(a, 1, b, 0, y, n);
    else if (sa == 0 && sb == 1)
        run_loop<op, T, R>(a, 0, b, 1, y, n);
    else
        run_loop<op, T, R>(a, sa, b, sb, y, n);
}

template <Op op, typename T, typename R>
void apply(const Tensor& a, const Tensor& b, Tensor& y, int threads) {
    BroadcastWalk w = BroadcastWalk::make(y.shape(), {&a.shape(), &b.shape()});
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    R* py = y.data<R>();
    int64_t sa = w.strides[0].back(), sb = w.strides[1].back();
    int64_t inner = w.dims.back();
    int64_t total = y.numel();
    if (w.dims.size() == 1 && total >= (1 << 16) && threads > 1) {
        constexpr int64_t kChunk = 1 << 14;
#pragma omp parallel for num_threads(threads)
        for (int64_t c = 0; c < total; c += kChunk)
            run_segment<op, T, R>(pa + c * sa, sa, pb + c * sb, sb, py + c, std::min(kChunk, total - c));
        return;
    }
    (void)inner;
    if constexpr (op == Op::kPow && std::is_same_v<T, float>) {
        // x^2 and x^1 with a scalar exponent: exact in float, no pow call (LayerNorm's variance)
        if (b.numel() == 1 && (pb[0] == 2.0f || pb[0] == 1.0f)) {
            const bool square = pb[0] == 2.0f;
            const float* __restrict src = pa;
            float* __restrict dst = py;
            if (a.numel() == total) {
#pragma omp simd
                for (int64_t i = 0; i < total; ++i)
                    dst[i] = square ? src[i] * src[i] : src[i];
                return;
            }
        }
    }
    w.for_each_run([&](const std::vector<int64_t>& off, int64_t out_off, int64_t n) {
        run_segment<op, T, R>(pa + off[0], sa, pb + off[1], sb, py + out_off, n);
    });
}

template <typename T>
Status apply_op(Op op, const Tensor& a, const Tensor& b, Tensor& y, int threads) {
    switch (op) {
// clang-format off
#define ARITH(o) \
    case Op::o: apply<Op::o, T, T>(a, b, y, threads); return Status::ok();
#define CMP(o) \
    case Op::o: apply<Op::o, T, uint8_t>(a, b, y, threads); return Status::ok();
        ARITH(kAdd) ARITH(kSub) ARITH(kMul) ARITH(kDiv) ARITH(kPow) ARITH(kMod) ARITH(kFMod) ARITH(kPRelu)
        ARITH(kSum) ARITH(kMean) ARITH(kMax) ARITH(kMin) ARITH(kAnd) ARITH(kOr) ARITH(kXor)
        CMP(kEqual) CMP(kLess) CMP(kGreater) CMP(kLessOrEqual) CMP(kGreaterOrEqual)
#undef ARITH
#undef CMP
        // clang-format on
    }
    return Status::ok();
}

Tensor to_type(const Tensor& t, DataType type, Allocator& alloc) {
    Tensor out = alloc.allocate(type, t.shape());
    dispatch_numeric(type, [&](auto tag) {
        using T = decltype(tag);
        for (int64_t i = 0; i < t.numel(); ++i)
            out.data<T>()[i] = static_cast<T>(t.at_double(i));
    });
    return out;
}

class BinaryKernel : public Kernel {
  public:
    explicit BinaryKernel(Op op) : op_(op) {}

    Status init(const KernelInit& init) override {
        if (op_ == Op::kMod && init.node.attr_int("fmod", 0)) op_ = Op::kFMod;
        legacy_prelu_ = op_ == Op::kPRelu && init.opset < 7;
        // opset < 7 broadcast attribute: legacy axis broadcasting is not supported
        if (init.node.attr_int("broadcast", 0) && init.node.attr("axis"))
            return unsupported(init.node.label() +
                               ": legacy broadcast with 'axis' (opset < 7) is not supported");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        size_t count = ctx.input_count();
        if (count == 0 || !ctx.input(0)) return kernel_error(ctx, "needs inputs");
        bool variadic = op_ == Op::kSum || op_ == Op::kMean || op_ == Op::kMax || op_ == Op::kMin;
        if (!variadic && (count != 2 || !ctx.input(1))) return kernel_error(ctx, "needs two inputs");
        if (count == 1) {  // a variadic op of one input copies it
            ctx.outputs[0] = ctx.input(0)->clone();
            return Status::ok();
        }
        Tensor acc;
        const Tensor* left = ctx.input(0);
        Tensor slope_view;
        if (legacy_prelu_ && ctx.input(1)->rank() == 1 && left->rank() >= 2 &&
            ctx.input(1)->numel() == left->dim(1)) {
            // opset < 7: a [C] slope applies along the channel axis
            Shape s(static_cast<size_t>(left->rank() - 1), 1);
            s[0] = left->dim(1);
            slope_view = ctx.input(1)->view(s);
        }
        for (size_t k = 1; k < count; ++k) {
            const Tensor* right = k == 1 && !slope_view.empty() ? &slope_view : ctx.input(k);
            if (!right) return kernel_error(ctx, "input " + std::to_string(k) + " is missing");
            auto shape = broadcast_shapes(left->shape(), right->shape());
            if (!shape)
                return kernel_error(ctx, "shapes " + shape_string(left->shape()) + " and " +
                                             shape_string(right->shape()) + " do not broadcast");
            Tensor converted;
            if (right->type() != left->type()) {
                if (op_ != Op::kPow) return kernel_error(ctx, "inputs have different element types");
                converted =
                    to_type(*right, left->type(), ctx.allocator);  // Pow: exponent cast to the base type
                right = &converted;
            }
            DataType out_type = is_comparison(op_) ? DataType::kBool : left->type();
            Tensor y = ctx.allocate(out_type, *shape);
            Status st;
            bool ok = dispatch_numeric(left->type(), [&](auto tag) {
                using T = decltype(tag);
                st = apply_op<T>(op_, *left, *right, y, ctx.threads);
            });
            if (!ok)
                return kernel_error(
                    ctx, "element type " + std::string(ir::name_of(left->type())) + " is not supported");
            LOWBIT_RETURN_IF_ERROR(st);
            acc = std::move(y);
            left = &acc;
        }
        if (op_ == Op::kMean) {
            bool ok = dispatch_numeric(acc.type(), [&](auto tag) {
                using T = decltype(tag);
                if constexpr (!std::is_same_v<T, bool>)
                    for (int64_t i = 0; i < acc.numel(); ++i)
                        acc.data<T>()[i] = static_cast<T>(acc.data<T>()[i] / static_cast<T>(count));
            });
            (void)ok;
        }
        ctx.outputs[0] = std::move(acc);
        return Status::ok();
    }

  private:
    Op op_;
    bool legacy_prelu_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_binary_kernel(const std::string& op_type) {
    return std::make_unique<BinaryKernel>(kOps.at(op_type));
}

}  // namespace lowbit::runtime
