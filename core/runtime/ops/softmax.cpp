#include "runtime/ops/softmax.h"

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

enum class Kind { kSoftmax, kLogSoftmax, kHardmax };

class SoftmaxKernel : public Kernel {
  public:
    explicit SoftmaxKernel(Kind kind) : kind_(kind) {}
    Status init(const KernelInit& init) override {
        legacy_ = init.opset < 13;
        axis_ = init.node.attr_int("axis", legacy_ ? 1 : -1);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x || x->type() != DataType::kFloat) return kernel_error(ctx, "needs a float32 input");
        auto axis = normalize_axis(axis_, std::max<int64_t>(x->rank(), 1));
        if (!axis) return kernel_error(ctx, "axis is out of range");
        // legacy: rows are the flattened [axis, rank) block; else one axis with an inner stride
        int64_t outer = 1, len = 1, inner = 1;
        for (int64_t k = 0; k < *axis; ++k)
            outer *= x->dim(k);
        if (legacy_) {
            for (int64_t k = *axis; k < x->rank(); ++k)
                len *= x->dim(k);
        } else {
            len = x->rank() ? x->dim(*axis) : 1;
            for (int64_t k = *axis + 1; k < x->rank(); ++k)
                inner *= x->dim(k);
        }
        Tensor y = ctx.allocate(DataType::kFloat, x->shape());
        const float* in = x->data<float>();
        float* out = y.data<float>();
        int64_t rows = outer * inner;
#pragma omp parallel for num_threads(ctx.threads) if (rows * len > (1 << 16))
        for (int64_t r = 0; r < rows; ++r) {
            int64_t o = r / inner, i = r % inner;
            const float* src = in + o * len * inner + i;
            float* dst = out + o * len * inner + i;
            float mx = -std::numeric_limits<float>::infinity();
            int64_t arg = 0;
            for (int64_t j = 0; j < len; ++j)
                if (src[j * inner] > mx) {
                    mx = src[j * inner];
                    arg = j;
                }
            if (kind_ == Kind::kHardmax) {
                for (int64_t j = 0; j < len; ++j)
                    dst[j * inner] = j == arg ? 1.0f : 0.0f;
                continue;
            }
            double sum = 0.0;  // a float sum drifts by ~1e-5 over thousands of classes
            if (inner == 1 && kind_ == Kind::kSoftmax) {  // contiguous row: Eigen's vectorised exp
                Eigen::Map<Eigen::ArrayXf> row(dst, len);
                row = (Eigen::Map<const Eigen::ArrayXf>(src, len) - mx).exp();
                row *=
                    static_cast<float>(1.0 / row.cast<double>().sum());  // double sum: long rows stay exact
                continue;
            }
            for (int64_t j = 0; j < len; ++j) {
                float e = std::exp(src[j * inner] - mx);
                dst[j * inner] = e;
                sum += e;
            }
            if (kind_ == Kind::kSoftmax) {
                float inv = static_cast<float>(1.0 / sum);
                for (int64_t j = 0; j < len; ++j)
                    dst[j * inner] *= inv;
            } else {
                float log_sum = static_cast<float>(std::log(sum));
                for (int64_t j = 0; j < len; ++j)
                    dst[j * inner] = src[j * inner] - mx - log_sum;
            }
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    Kind kind_;
    bool legacy_ = false;
    int64_t axis_ = -1;
};

}  // namespace

std::unique_ptr<Kernel> make_softmax_kernel() {
    return std::make_unique<SoftmaxKernel>(Kind::kSoftmax);
}
std::unique_ptr<Kernel> make_log_softmax_kernel() {
    return std::make_unique<SoftmaxKernel>(Kind::kLogSoftmax);
}
std::unique_ptr<Kernel> make_hardmax_kernel() {
    return std::make_unique<SoftmaxKernel>(Kind::kHardmax);
}

}  // namespace lowbit::runtime
