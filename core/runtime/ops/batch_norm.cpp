#include "runtime/ops/batch_norm.h"

#include <cmath>

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

class BatchNormKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        const ir::Node& n = init.node;
        epsilon_ = n.attr_float("epsilon", 1e-5f);
        momentum_ = n.attr_float("momentum", 0.9f);
        training_ = init.opset >= 14 && n.attr_int("training_mode", 0) != 0;
        spatial_ = init.opset >= 9 || n.attr_int("spatial", 1) != 0;
        bool constant = init.constants.size() >= 5 && !training_;
        for (size_t i = 1; constant && i < 5; ++i)
            constant = init.constants[i] && init.constants[i]->type() == DataType::kFloat;
        if (constant) {
            const int64_t count = init.constants[1]->numel();
            for (size_t i = 2; i < 5; ++i)
                if (init.constants[i]->numel() != count)
                    return kernel_init_error(init, "scale, B, mean and var must have the same size");
            fold(init.constants[1], init.constants[2], init.constants[3], init.constants[4]);
            folded_ = true;
        }
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        for (size_t i = 0; i < 5; ++i)
            if (!ctx.input(i)) return kernel_error(ctx, "BatchNormalization needs 5 inputs");
        for (size_t i = 0; i < 5; ++i)
            if (ctx.input(i)->type() != DataType::kFloat)
                return kernel_error(ctx, "only float32 is supported");
        if (x->rank() < 2) return kernel_error(ctx, "X must have rank >= 2, got " + shape_string(x->shape()));
        const int64_t n = x->dim(0), c = x->dim(1), s = x->numel() / std::max<int64_t>(1, n * c);
        const int64_t count = spatial_ ? c : c * s;
        for (size_t i = 1; i < 5; ++i)
            if (ctx.input(i)->numel() != count)
                return kernel_error(ctx, "scale, B, mean and var must have " + std::to_string(count) +
                                             " values, got " + shape_string(ctx.input(i)->shape()));
        Tensor y = ctx.allocate(DataType::kFloat, x->shape());
        const float* xd = x->data<float>();
        float* yd = y.data<float>();
        if (training_) {
            Status st = batch_stats(ctx, *x);
            if (!st.is_ok()) return st;
        } else {
            if (!folded_ || static_cast<int64_t>(a_.size()) != count)
                fold(ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4));
            // optional statistics outputs of old opsets: the running values unchanged
            for (size_t k = 1; k < ctx.outputs.size() && k < 5; ++k)
                if (!ctx.node.outputs[k].empty()) ctx.outputs[k] = *ctx.input(k % 2 == 1 ? 3 : 4);
        }
        // y = x * a + b
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < c; ++j) {
                const float* xp = xd + (i * c + j) * s;
                float* yp = yd + (i * c + j) * s;
                if (spatial_) {
                    const float av = a_[static_cast<size_t>(j)], bv = b_[static_cast<size_t>(j)];
                    for (int64_t p = 0; p < s; ++p)
                        yp[p] = xp[p] * av + bv;
                } else {
                    const float* av = a_.data() + j * s;
                    const float* bv = b_.data() + j * s;
                    for (int64_t p = 0; p < s; ++p)
                        yp[p] = xp[p] * av[p] + bv[p];
                }
            }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    void fold(const Tensor* scale, const Tensor* bias, const Tensor* mean, const Tensor* var) {
        const size_t count = static_cast<size_t>(scale->numel());
        a_.resize(count);
        b_.resize(count);
        for (size_t i = 0; i < count; ++i) {
            a_[i] = scale->data<float>()[i] / std::sqrt(var->data<float>()[i] + epsilon_);
            b_[i] = bias->data<float>()[i] - mean->data<float>()[i] * a_[i];
        }
    }

    // Training mode: batch mean / variance per channel, the folded factors, and the running statistics.
    Status batch_stats(KernelContext& ctx, const Tensor& x) {
        if (!spatial_) return kernel_error(ctx, "training_mode needs spatial batch normalization");
        const int64_t n = x.dim(0), c = x.dim(1), s = x.numel() / std::max<int64_t>(1, n * c);
        const float* xd = x.data<float>();
        std::vector<float> bmean(static_cast<size_t>(c)), bvar(static_cast<size_t>(c));
        for (int64_t j = 0; j < c; ++j) {
            double sum = 0.0, sq = 0.0;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t p = 0; p < s; ++p)
                    sum += xd[(i * c + j) * s + p];
            const double mean = sum / static_cast<double>(n * s);
            for (int64_t i = 0; i < n; ++i)
                for (int64_t p = 0; p < s; ++p) {
                    const double d = xd[(i * c + j) * s + p] - mean;
                    sq += d * d;
                }
            bmean[static_cast<size_t>(j)] = static_cast<float>(mean);
            bvar[static_cast<size_t>(j)] = static_cast<float>(sq / static_cast<double>(n * s));
        }
        Tensor tm = Tensor::from_floats({c}, bmean), tv = Tensor::from_floats({c}, bvar);
        fold(ctx.input(1), ctx.input(2), &tm, &tv);
        const float* rm = ctx.input(3)->data<float>();
        const float* rv = ctx.input(4)->data<float>();
        for (size_t k = 1; k < 3 && k < ctx.outputs.size(); ++k) {
            if (ctx.node.outputs[k].empty()) continue;
            Tensor out = ctx.allocate(DataType::kFloat, {c});
            const float* running = k == 1 ? rm : rv;
            const std::vector<float>& batch = k == 1 ? bmean : bvar;
            for (int64_t j = 0; j < c; ++j)
                out.data<float>()[j] =
                    running[j] * momentum_ + batch[static_cast<size_t>(j)] * (1.0f - momentum_);
            ctx.outputs[k] = std::move(out);
        }
        return Status::ok();
    }

    float epsilon_ = 1e-5f, momentum_ = 0.9f;
    bool training_ = false, spatial_ = true, folded_ = false;
    std::vector<float> a_, b_;
};

}  // namespace

std::unique_ptr<Kernel> make_batch_norm_kernel() {
    return std::make_unique<BatchNormKernel>();
}

}  // namespace lowbit::runtime
