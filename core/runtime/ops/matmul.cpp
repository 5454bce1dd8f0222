#include "runtime/ops/matmul.h"

#include "runtime/fusion.h"
#include "runtime/ops/nn_util.h"
#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class MatMulKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        act_ = FusedActivation::from_node(init.node);
        const Tensor* b = init.constants.size() > 1 ? init.constants[1] : nullptr;
        if (b && b->type() == DataType::kFloat && b->rank() == 2) {
            packed_b_.assign(b->data<float>(), b->data<float>() + b->numel());
            packed_shape_ = b->shape();
            packed_ = true;
        }
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* a = ctx.input(0);
        const Tensor* b = ctx.input(1);
        if (!a || !b) return kernel_error(ctx, "inputs A and B are required");
        if (a->type() != DataType::kFloat || b->type() != DataType::kFloat)
            return kernel_error(ctx, "only float32 is supported");
        if (a->rank() < 1 || b->rank() < 1) return kernel_error(ctx, "A and B must have rank >= 1");
        Shape as = a->shape(), bs = b->shape();
        const bool a_vec = as.size() == 1, b_vec = bs.size() == 1;
        if (a_vec) as.insert(as.begin(), 1);
        if (b_vec) bs.push_back(1);
        const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
        if (bs[bs.size() - 2] != k)
            return kernel_error(ctx, "inner dimensions differ: A " + shape_string(a->shape()) + ", B " +
                                         shape_string(b->shape()));
        Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
        auto batch = broadcast_shapes(a_batch, b_batch);
        if (!batch)
            return kernel_error(ctx, "batch dimensions do not broadcast: A " + shape_string(a->shape()) +
                                         ", B " + shape_string(b->shape()));
        Shape out = *batch;
        if (!a_vec) out.push_back(m);
        if (!b_vec) out.push_back(n);
        Tensor y = ctx.allocate(DataType::kFloat, out);
        float* yd = y.data<float>();
        const float* bd = packed_ && b->shape() == packed_shape_ ? packed_b_.data() : b->data<float>();

        if (b_batch.empty() || shape_numel(b_batch) == 1) {
            // B is one matrix: every row of A in one product
            const int64_t rows = shape_numel(*batch) * m;
            if (shape_numel(a_batch) == shape_numel(*batch)) {
                nn::gemm(false, false, rows, n, k, 1.0f, a->data<float>(), bd, yd);
            } else {  // A broadcast along batch dims of B that are all 1
                for (int64_t i = 0; i < shape_numel(*batch); ++i)
                    nn::gemm(false, false, m, n, k, 1.0f, a->data<float>(), bd, yd + i * m * n);
            }
        } else {
            const auto sa = broadcast_strides(a_batch, *batch), sb = broadcast_strides(b_batch, *batch);
            const int64_t count = shape_numel(*batch), rank = static_cast<int64_t>(batch->size());
            std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
            for (int64_t i = 0; i < count; ++i) {
                int64_t oa = 0, ob = 0;
                for (int64_t d = 0; d < rank; ++d) {
                    oa += idx[static_cast<size_t>(d)] * sa[static_cast<size_t>(d)];
                    ob += idx[static_cast<size_t>(d)] * sb[static_cast<size_t>(d)];
                }
                nn::gemm(false, false, m, n, k, 1.0f, a->data<float>() + oa * m * k, bd + ob * k * n,
                         yd + i * m * n);
                for (int64_t d = rank - 1; d >= 0; --d) {
                    if (++idx[static_cast<size_t>(d)] < (*batch)[static_cast<size_t>(d)]) break;
                    idx[static_cast<size_t>(d)] = 0;
                }
            }
        }
        nn::apply_activation(act_, yd, y.numel());
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    FusedActivation act_;
    bool packed_ = false;
    Shape packed_shape_;
    std::vector<float> packed_b_;
};

}  // namespace

std::unique_ptr<Kernel> make_matmul_kernel() {
    return std::make_unique<MatMulKernel>();
}

}  // namespace lowbit::runtime
