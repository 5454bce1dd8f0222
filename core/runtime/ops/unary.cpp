#include "runtime/ops/unary.h"

#include <cmath>
#include <unordered_map>

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

enum class Op {
    kRelu,
    kLeakyRelu,
    kElu,
    kSelu,
    kCelu,
    kSigmoid,
    kHardSigmoid,
    kHardSwish,
    kTanh,
    kSoftplus,
    kSoftsign,
    kGelu,
    kGeluTanh,
    kMish,
    kThresholdedRelu,
    kErf,
    kSqrt,
    kExp,
    kLog,
    kNeg,
    kAbs,
    kReciprocal,
    kFloor,
    kCeil,
    kRound,
    kSign,
    kSin,
    kCos,
    kNot,
};

const std::unordered_map<std::string, Op> kOps = {
    {"Relu", Op::kRelu},
    {"LeakyRelu", Op::kLeakyRelu},
    {"Elu", Op::kElu},
    {"Selu", Op::kSelu},
    {"Celu", Op::kCelu},
    {"Sigmoid", Op::kSigmoid},
    {"HardSigmoid", Op::kHardSigmoid},
    {"HardSwish", Op::kHardSwish},
    {"Tanh", Op::kTanh},
    {"Softplus", Op::kSoftplus},
    {"Softsign", Op::kSoftsign},
    {"Gelu", Op::kGelu},
    {"Mish", Op::kMish},
    {"ThresholdedRelu", Op::kThresholdedRelu},
    {"Erf", Op::kErf},
    {"Sqrt", Op::kSqrt},
    {"Exp", Op::kExp},
    {"Log", Op::kLog},
    {"Neg", Op::kNeg},
    {"Abs", Op::kAbs},
    {"Reciprocal", Op::kReciprocal},
    {"Floor", Op::kFloor},
    {"Ceil", Op::kCeil},
    {"Round", Op::kRound},
    {"Sign", Op::kSign},
    {"Sin", Op::kSin},
    {"Cos", Op::kCos},
    {"Not", Op::kNot},
};

template <Op op>
void apply_float(const float* x, float* y, int64_t n, float a, float b) {
    (void)a, (void)b;
    // Eigen's vectorised erf and exp (a few ulp); the scalar libm calls do not vectorise
    if constexpr (op == Op::kErf || op == Op::kGelu || op == Op::kExp) {
        Eigen::Map<const Eigen::ArrayXf> xa(x, n);
        Eigen::Map<Eigen::ArrayXf> ya(y, n);
        if constexpr (op == Op::kErf)
            ya = xa.erf();
        else if constexpr (op == Op::kExp)
            ya = xa.exp();
        else
            ya = 0.5f * xa * (1.0f + (xa * 0.70710678118654752f).erf());
        return;
    }
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        float v = x[i];
        if constexpr (op == Op::kRelu)
            y[i] = v > 0.0f ? v : 0.0f;
        else if constexpr (op == Op::kLeakyRelu)
            y[i] = v >= 0.0f ? v : v * a;
        else if constexpr (op == Op::kElu)
            y[i] = v >= 0.0f ? v : a * (std::exp(v) - 1.0f);
        else if constexpr (op == Op::kSelu)
            y[i] = v > 0.0f ? b * v : b * (a * std::exp(v) - a);
        else if constexpr (op == Op::kCelu)
            y[i] = std::max(0.0f, v) + std::min(0.0f, a * (std::exp(v / a) - 1.0f));
        else if constexpr (op == Op::kSigmoid)
            y[i] = 1.0f / (1.0f + std::exp(-v));
        else if constexpr (op == Op::kHardSigmoid)
            y[i] = std::max(0.0f, std::min(1.0f, a * v + b));
        else if constexpr (op == Op::kHardSwish)
            y[i] = v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
        else if constexpr (op == Op::kTanh)
            y[i] = std::tanh(v);
        else if constexpr (op == Op::kSoftplus)
            y[i] = v > 20.0f ? v : std::log1p(std::exp(v));
        else if constexpr (op == Op::kSoftsign)
            y[i] = v / (1.0f + std::fabs(v));
        else if constexpr (op == Op::kGelu)
            y[i] = 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f));
        else if constexpr (op == Op::kGeluTanh)
            y[i] = 0.5f * v * (1.0f + std::tanh(0.7978845608028654f * (v + 0.044715f * v * v * v)));
        else if constexpr (op == Op::kMish)
            y[i] = v * std::tanh(v > 20.0f ? v : std::log1p(std::exp(v)));
        else if constexpr (op == Op::kThresholdedRelu)
            y[i] = v > a ? v : 0.0f;
        else if constexpr (op == Op::kErf)
            y[i] = std::erf(v);
        else if constexpr (op == Op::kSqrt)
            y[i] = std::sqrt(v);
        else if constexpr (op == Op::kExp)
            y[i] = std::exp(v);
        else if constexpr (op == Op::kLog)
            y[i] = std::log(v);
        else if constexpr (op == Op::kNeg)
            y[i] = -v;
        else if constexpr (op == Op::kAbs)
            y[i] = std::fabs(v);
        else if constexpr (op == Op::kReciprocal)
            y[i] = 1.0f / v;
        else if constexpr (op == Op::kFloor)
            y[i] = std::floor(v);
        else if constexpr (op == Op::kCeil)
            y[i] = std::ceil(v);
        else if constexpr (op == Op::kRound)
            y[i] = std::nearbyint(v);  // half to even in the default mode
        else if constexpr (op == Op::kSign)
            y[i] = static_cast<float>((v > 0.0f) - (v < 0.0f));
        else if constexpr (op == Op::kSin)
            y[i] = std::sin(v);
        else if constexpr (op == Op::kCos)
            y[i] = std::cos(v);
    }
}

using FloatFn = void (*)(const float*, float*, int64_t, float, float);

FloatFn float_fn(Op op) {
    switch (op) {
// clang-format off
#define CASE(o) \
    case Op::o: return &apply_float<Op::o>;
        CASE(kRelu) CASE(kLeakyRelu) CASE(kElu) CASE(kSelu) CASE(kCelu) CASE(kSigmoid) CASE(kHardSigmoid)
        CASE(kHardSwish) CASE(kTanh) CASE(kSoftplus) CASE(kSoftsign) CASE(kGelu) CASE(kGeluTanh) CASE(kMish)
        CASE(kThresholdedRelu) CASE(kErf) CASE(kSqrt) CASE(kExp) CASE(kLog) CASE(kNeg) CASE(kAbs)
        CASE(kReciprocal) CASE(kFloor) CASE(kCeil) CASE(kRound) CASE(kSign) CASE(kSin) CASE(kCos)
#undef CASE
        case Op::kNot: return nullptr;
        // clang-format on
    }
    return nullptr;
}

template <typename T>
void apply_generic(Op op, const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        double v = static_cast<double>(x[i]);
        switch (op) {
            case Op::kRelu:
                y[i] = x[i] > T(0) ? x[i] : T(0);
                break;
            case Op::kNeg:
                y[i] = static_cast<T>(-v);
                break;
            case Op::kAbs:
                y[i] = x[i] < T(0) ? static_cast<T>(-v) : x[i];
                break;
            case Op::kSign:
                y[i] = static_cast<T>((v > 0) - (v < 0));
                break;
            case Op::kSqrt:
                y[i] = static_cast<T>(std::sqrt(v));
                break;
            case Op::kExp:
                y[i] = static_cast<T>(std::exp(v));
                break;
            case Op::kLog:
                y[i] = static_cast<T>(std::log(v));
                break;
            case Op::kReciprocal:
                y[i] = static_cast<T>(1.0 / v);
                break;
            case Op::kFloor:
                y[i] = static_cast<T>(std::floor(v));
                break;
            case Op::kCeil:
                y[i] = static_cast<T>(std::ceil(v));
                break;
            case Op::kRound:
                y[i] = static_cast<T>(std::nearbyint(v));
                break;
            case Op::kSigmoid:
                y[i] = static_cast<T>(1.0 / (1.0 + std::exp(-v)));
                break;
            case Op::kTanh:
                y[i] = static_cast<T>(std::tanh(v));
                break;
            case Op::kErf:
                y[i] = static_cast<T>(std::erf(v));
                break;
            case Op::kSin:
                y[i] = static_cast<T>(std::sin(v));
                break;
            case Op::kCos:
                y[i] = static_cast<T>(std::cos(v));
                break;
            default:
                y[i] = x[i];
                break;
        }
    }
}

class UnaryKernel : public Kernel {
  public:
    explicit UnaryKernel(Op op) : op_(op) {}

    Status init(const KernelInit& init) override {
        const ir::Node& n = init.node;
        switch (op_) {
            case Op::kLeakyRelu:
                a_ = n.attr_float("alpha", 0.01f);
                break;
            case Op::kElu:
                a_ = n.attr_float("alpha", 1.0f);
                break;
            case Op::kCelu:
                a_ = n.attr_float("alpha", 1.0f);
                break;
            case Op::kThresholdedRelu:
                a_ = n.attr_float("alpha", 1.0f);
                break;
            case Op::kSelu:
                a_ = n.attr_float("alpha", 1.67326319217681884765625f);
                b_ = n.attr_float("gamma", 1.05070102214813232421875f);
                break;
            case Op::kHardSigmoid:
                a_ = n.attr_float("alpha", 0.2f);
                b_ = n.attr_float("beta", 0.5f);
                break;
            case Op::kGelu: {
                std::string approx = n.attr_string("approximate", "none");
                if (approx == "tanh")
                    op_ = Op::kGeluTanh;
                else if (approx != "none")
                    return kernel_init_error(init, "unknown approximate '" + approx + "'");
                break;
            }
            default:
                break;
        }
        fn_ = float_fn(op_);
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        Tensor y = ctx.allocate(x->type(), x->shape());
        int64_t n = x->numel();
        if (op_ == Op::kNot) {
            if (x->type() != DataType::kBool) return kernel_error(ctx, "Not needs a bool input");
            for (int64_t i = 0; i < n; ++i)
                y.data<uint8_t>()[i] = !x->data<uint8_t>()[i];
        } else if (x->type() == DataType::kFloat) {
            const float* src = x->data<float>();
            float* dst = y.data<float>();
            constexpr int64_t kChunk = 1 << 14;
            if (n >= 4 * kChunk && ctx.threads > 1) {
#pragma omp parallel for num_threads(ctx.threads)
                for (int64_t c = 0; c < n; c += kChunk)
                    fn_(src + c, dst + c, std::min(kChunk, n - c), a_, b_);
            } else {
                fn_(src, dst, n, a_, b_);
            }
        } else {
            bool ok = dispatch_numeric(x->type(), [&](auto tag) {
                using T = decltype(tag);
                if constexpr (std::is_same_v<T, bool>)
                    return;
                else
                    apply_generic<T>(op_, x->data<T>(), y.data<T>(), n);
            });
            if (!ok || x->type() == DataType::kBool)
                return kernel_error(
                    ctx, "element type " + std::string(ir::name_of(x->type())) + " is not supported");
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    Op op_;
    FloatFn fn_ = nullptr;
    float a_ = 0.0f, b_ = 0.0f;
};

}  // namespace

std::unique_ptr<Kernel> make_unary_kernel(const std::string& op_type) {
    return std::make_unique<UnaryKernel>(kOps.at(op_type));
}

}  // namespace lowbit::runtime
