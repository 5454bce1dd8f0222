#include "runtime/ops/nms.h"

#include <algorithm>
#include <numeric>

namespace lowbit::runtime {

namespace {

struct Box {
    float y1, x1, y2, x2;
};

float iou(const Box& a, const Box& b) {
    float ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
    float iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
    if (ih <= 0 || iw <= 0) return 0.0f;
    float inter = ih * iw;
    float ua = (a.y2 - a.y1) * (a.x2 - a.x1) + (b.y2 - b.y1) * (b.x2 - b.x1) - inter;
    return ua > 0 ? inter / ua : 0.0f;
}

class NmsKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        center_ = init.node.attr_int("center_point_box", 0) != 0;
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor *boxes = ctx.input(0), *scores = ctx.input(1);
        if (!boxes || !scores || boxes->rank() != 3 || scores->rank() != 3 || boxes->dim(2) != 4)
            return kernel_error(ctx, "needs boxes [N,B,4] and scores [N,C,B]");
        int64_t max_out = ctx.input(2) && ctx.input(2)->numel() ? ctx.input(2)->at_int(0) : 0;
        float iou_th =
            ctx.input(3) && ctx.input(3)->numel() ? static_cast<float>(ctx.input(3)->at_double(0)) : 0.0f;
        bool has_score_th = ctx.input(4) && ctx.input(4)->numel();
        float score_th = has_score_th ? static_cast<float>(ctx.input(4)->at_double(0)) : 0.0f;
        int64_t n = boxes->dim(0), nb = boxes->dim(1), nc = scores->dim(1);
        std::vector<int64_t> selected;
        for (int64_t b = 0; b < n; ++b) {
            std::vector<Box> bx(static_cast<size_t>(nb));
            for (int64_t i = 0; i < nb; ++i) {
                const float* p = boxes->data<float>() + (b * nb + i) * 4;
                if (center_)
                    bx[static_cast<size_t>(i)] = {p[1] - p[3] / 2, p[0] - p[2] / 2, p[1] + p[3] / 2,
                                                  p[0] + p[2] / 2};
                else
                    bx[static_cast<size_t>(i)] = {std::min(p[0], p[2]), std::min(p[1], p[3]),
                                                  std::max(p[0], p[2]), std::max(p[1], p[3])};
            }
            for (int64_t c = 0; c < nc; ++c) {
                const float* s = scores->data<float>() + (b * nc + c) * nb;
                std::vector<int64_t> order;
                for (int64_t i = 0; i < nb; ++i)
                    if (!has_score_th || s[i] > score_th) order.push_back(i);
                std::stable_sort(order.begin(), order.end(),
                                 [&](int64_t a, int64_t z) { return s[a] > s[z]; });
                std::vector<int64_t> kept;
                for (int64_t i : order) {
                    if (static_cast<int64_t>(kept.size()) >= max_out) break;
                    bool keep = true;
                    for (int64_t k : kept)
                        if (iou(bx[static_cast<size_t>(i)], bx[static_cast<size_t>(k)]) > iou_th) {
                            keep = false;
                            break;
                        }
                    if (keep) kept.push_back(i);
                }
                for (int64_t k : kept)
                    selected.insert(selected.end(), {b, c, k});
            }
        }
        Tensor y = ctx.allocate(DataType::kInt64, {static_cast<int64_t>(selected.size() / 3), 3});
        std::copy(selected.begin(), selected.end(), y.data<int64_t>());
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool center_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_nms_kernel() {
    return std::make_unique<NmsKernel>();
}

}  // namespace lowbit::runtime
