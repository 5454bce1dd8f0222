#include "runtime/ops/reduce.h"

#include <cmath>
#include <limits>
#include <set>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

enum class Op { kMean, kSum, kMax, kMin, kProd, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

Op op_of(const std::string& name) {
    if (name == "ReduceMean") return Op::kMean;
    if (name == "ReduceSum") return Op::kSum;
    if (name == "ReduceMax") return Op::kMax;
    if (name == "ReduceMin") return Op::kMin;
    if (name == "ReduceProd") return Op::kProd;
    if (name == "ReduceL1") return Op::kL1;
    if (name == "ReduceL2") return Op::kL2;
    if (name == "ReduceLogSum") return Op::kLogSum;
    if (name == "ReduceLogSumExp") return Op::kLogSumExp;
    return Op::kSumSquare;
}

// The reduced axes as a sorted set, resolving the empty-axes rule.
Status reduced_axes(const KernelContext& ctx, const std::vector<int64_t>& attr_axes, bool axes_input,
                    bool noop_empty, int64_t rank, std::set<int64_t>& out, bool& noop) {
    std::vector<int64_t> axes = axes_input && ctx.input(1) ? ctx.input(1)->to_int64_vector() : attr_axes;
    noop = axes.empty() && noop_empty;
    if (axes.empty())
        for (int64_t k = 0; k < rank; ++k)
            axes.push_back(k);
    for (int64_t a : axes) {
        auto n = normalize_axis(a, rank);
        if (!n) return kernel_error(ctx, "axis " + std::to_string(a) + " is out of range");
        out.insert(*n);
    }
    return Status::ok();
}

// Walks every output position; for each, calls visit(out_index, list of input offsets via callback).
struct ReducePlan {
    Shape out_shape, kept_shape;
    std::vector<int64_t> outer_strides;  // input strides of the kept axes
    std::vector<int64_t> red_dims, red_strides;
    int64_t red_count = 1;
};

ReducePlan make_plan(const Shape& in, const std::set<int64_t>& axes, bool keepdims) {
    ReducePlan p;
    auto strides = strides_of(in);
    for (int64_t k = 0; k < static_cast<int64_t>(in.size()); ++k) {
        if (axes.count(k)) {
            p.red_dims.push_back(in[static_cast<size_t>(k)]);
            p.red_strides.push_back(strides[static_cast<size_t>(k)]);
            p.red_count *= in[static_cast<size_t>(k)];
            if (keepdims) p.out_shape.push_back(1);
        } else {
            p.kept_shape.push_back(in[static_cast<size_t>(k)]);
            p.outer_strides.push_back(strides[static_cast<size_t>(k)]);
            p.out_shape.push_back(in[static_cast<size_t>(k)]);
        }
    }
    return p;
}

// Offsets (relative) of every reduced element, in order.
std::vector<int64_t> reduced_offsets(const ReducePlan& p) {
    std::vector<int64_t> offs(static_cast<size_t>(p.red_count));
    std::vector<int64_t> idx(p.red_dims.size(), 0);
    for (int64_t i = 0; i < p.red_count; ++i) {
        int64_t off = 0;
        for (size_t k = 0; k < idx.size(); ++k)
            off += idx[k] * p.red_strides[k];
        offs[static_cast<size_t>(i)] = off;
        for (size_t k = idx.size(); k-- > 0;) {
            if (++idx[k] < p.red_dims[k]) break;
            idx[k] = 0;
        }
    }
    return offs;
}

int64_t kept_offset(const ReducePlan& p, int64_t o) {
    int64_t off = 0;
    for (size_t k = p.kept_shape.size(); k-- > 0;) {
        off += (o % p.kept_shape[k]) * p.outer_strides[k];
        o /= p.kept_shape[k];
    }
    return off;
}

// Whether `axes` are the last axes of a rank-`rank` tensor (so each output reads one contiguous run).
bool trailing(const std::set<int64_t>& axes, int64_t rank) {
    int64_t expect = rank - static_cast<int64_t>(axes.size());
    for (int64_t a : axes)
        if (a != expect++) return false;
    return true;
}

class ReduceKernel : public Kernel {
  public:
    explicit ReduceKernel(Op op) : op_(op) {}
    Status init(const KernelInit& init) override {
        keepdims_ = init.node.attr_int("keepdims", 1) != 0;
        noop_ = init.node.attr_int("noop_with_empty_axes", 0) != 0;
        axes_ = init.node.attr_ints("axes");
        axes_input_ = (op_ == Op::kSum && init.opset >= 13) || init.opset >= 18;
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        std::set<int64_t> axes;
        bool noop = false;
        LOWBIT_RETURN_IF_ERROR(reduced_axes(ctx, axes_, axes_input_, noop_, x->rank(), axes, noop));
        if (noop) {
            ctx.outputs[0] = *x;
            return Status::ok();
        }
        ReducePlan p = make_plan(x->shape(), axes, keepdims_);
        Tensor y = ctx.allocate(x->type(), p.out_shape);
        int64_t n_out = y.numel();
        if (x->type() == DataType::kFloat && (op_ == Op::kMean || op_ == Op::kSum) &&
            trailing(axes, x->rank())) {
            // contiguous rows (LayerNorm's statistics): same double sums, without the offset table
            const float* in = x->data<float>();
            float* out = y.data<float>();
            const int64_t len = p.red_count;
            const double div = op_ == Op::kMean ? static_cast<double>(std::max<int64_t>(len, 1)) : 1.0;
            for (int64_t o = 0; o < n_out; ++o) {
                const float* row = in + o * len;
                double acc = 0.0;
                for (int64_t i = 0; i < len; ++i)
                    acc += static_cast<double>(row[i]);
                out[o] = static_cast<float>(acc / div);
            }
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }
        auto offs = reduced_offsets(p);
        bool ok = dispatch_numeric(x->type(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>)
                return;
            else {
                const T* in = x->data<T>();
                T* out = y.data<T>();
                for (int64_t o = 0; o < n_out; ++o) {
                    const T* base = in + kept_offset(p, o);
                    double acc;
                    switch (op_) {
                        case Op::kMax:
                            acc = -std::numeric_limits<double>::infinity();
                            break;
                        case Op::kMin:
                            acc = std::numeric_limits<double>::infinity();
                            break;
                        case Op::kProd:
                            acc = 1.0;
                            break;
                        default:
                            acc = 0.0;
                    }
                    double mx = -std::numeric_limits<double>::infinity();
                    if (op_ == Op::kLogSumExp)
                        for (int64_t off : offs)
                            mx = std::max(mx, static_cast<double>(base[off]));
                    for (int64_t off : offs) {
                        double v = static_cast<double>(base[off]);
                        switch (op_) {
                            case Op::kMean:
                            case Op::kSum:
                            case Op::kLogSum:
                                acc += v;
                                break;
                            case Op::kMax:
                                acc = std::max(acc, v);
                                break;
                            case Op::kMin:
                                acc = std::min(acc, v);
                                break;
                            case Op::kProd:
                                acc *= v;
                                break;
                            case Op::kL1:
                                acc += std::fabs(v);
                                break;
                            case Op::kL2:
                            case Op::kSumSquare:
                                acc += v * v;
                                break;
                            case Op::kLogSumExp:
                                acc += std::exp(v - mx);
                                break;
                        }
                    }
                    if (p.red_count == 0 && (op_ == Op::kMax || op_ == Op::kMin))
                        acc = op_ == Op::kMax ? -INFINITY : INFINITY;
                    if (op_ == Op::kMean) acc /= static_cast<double>(std::max<int64_t>(p.red_count, 1));
                    if (op_ == Op::kL2) acc = std::sqrt(acc);
                    if (op_ == Op::kLogSum) acc = std::log(acc);
                    if (op_ == Op::kLogSumExp) acc = p.red_count ? mx + std::log(acc) : -INFINITY;
                    if constexpr (std::is_integral_v<T>) {
                        if (!std::isfinite(acc))
                            acc = acc > 0 ? static_cast<double>(std::numeric_limits<T>::max())
                                          : static_cast<double>(std::numeric_limits<T>::lowest());
                    }
                    out[o] = static_cast<T>(acc);
                }
            }
        });
        if (!ok || x->type() == DataType::kBool) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    Op op_;
    bool keepdims_ = true, noop_ = false, axes_input_ = false;
    std::vector<int64_t> axes_;
};

class ArgKernel : public Kernel {
  public:
    explicit ArgKernel(bool max) : max_(max) {}
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 0);
        keepdims_ = init.node.attr_int("keepdims", 1) != 0;
        last_ = init.node.attr_int("select_last_index", 0) != 0;
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis) return kernel_error(ctx, "axis is out of range");
        ReducePlan p = make_plan(x->shape(), {*axis}, keepdims_);
        auto offs = reduced_offsets(p);
        Tensor y = ctx.allocate(DataType::kInt64, p.out_shape);
        for (int64_t o = 0; o < y.numel(); ++o) {
            int64_t base = kept_offset(p, o), best = 0;
            double bv = x->at_double(base);
            for (int64_t j = 1; j < static_cast<int64_t>(offs.size()); ++j) {
                double v = x->at_double(base + offs[static_cast<size_t>(j)]);
                bool better = max_ ? (last_ ? v >= bv : v > bv) : (last_ ? v <= bv : v < bv);
                if (better) {
                    bv = v;
                    best = j;
                }
            }
            y.data<int64_t>()[o] = best;
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool max_;
    int64_t axis_ = 0;
    bool keepdims_ = true, last_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_reduce_kernel(const std::string& op_type) {
    return std::make_unique<ReduceKernel>(op_of(op_type));
}
std::unique_ptr<Kernel> make_argmax_kernel() {
    return std::make_unique<ArgKernel>(true);
}
std::unique_ptr<Kernel> make_argmin_kernel() {
    return std::make_unique<ArgKernel>(false);
}

}  // namespace lowbit::runtime
