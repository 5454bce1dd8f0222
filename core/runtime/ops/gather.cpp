#include "runtime/ops/gather.h"

#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class GatherKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 0);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* idx = ctx.input(1);
        if (!x || !idx) return kernel_error(ctx, "needs data and indices");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis) return kernel_error(ctx, "axis is out of range");
        Shape out;
        for (int64_t k = 0; k < *axis; ++k)
            out.push_back(x->dim(k));
        for (int64_t d : idx->shape())
            out.push_back(d);
        for (int64_t k = *axis + 1; k < x->rank(); ++k)
            out.push_back(x->dim(k));
        int64_t outer = 1, inner = 1, dim = x->dim(*axis);
        for (int64_t k = 0; k < *axis; ++k)
            outer *= x->dim(k);
        for (int64_t k = *axis + 1; k < x->rank(); ++k)
            inner *= x->dim(k);
        size_t elem = element_size(x->type());
        size_t run = static_cast<size_t>(inner) * elem;
        std::vector<int64_t> ids = idx->to_int64_vector();
        for (auto& i : ids) {
            if (i < -dim || i >= dim)
                return kernel_error(
                    ctx, "index " + std::to_string(i) + " is out of range for size " + std::to_string(dim));
            if (i < 0) i += dim;
        }
        Tensor y = ctx.allocate(x->type(), out);
        const char* src = static_cast<const char*>(x->raw());
        char* dst = static_cast<char*>(y.raw());
        for (int64_t o = 0; o < outer; ++o)
            for (size_t j = 0; j < ids.size(); ++j) {
                std::memcpy(dst, src + (static_cast<size_t>(o * dim + ids[j])) * run, run);
                dst += run;
            }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t axis_ = 0;
};

class GatherElementsKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        axis_ = init.node.attr_int("axis", 0);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        const Tensor* idx = ctx.input(1);
        if (!x || !idx || idx->rank() != x->rank())
            return kernel_error(ctx, "needs data and indices of the same rank");
        auto axis = normalize_axis(axis_, x->rank());
        if (!axis) return kernel_error(ctx, "axis is out of range");
        Tensor y = ctx.allocate(x->type(), idx->shape());
        auto xs = strides_of(x->shape());
        auto is = strides_of(idx->shape());
        size_t elem = element_size(x->type());
        int64_t dim = x->dim(*axis);
        for (int64_t i = 0; i < idx->numel(); ++i) {
            int64_t rem = i, off = 0;
            for (int64_t k = 0; k < idx->rank(); ++k) {
                int64_t c = rem / is[static_cast<size_t>(k)];
                rem %= is[static_cast<size_t>(k)];
                if (k == *axis) {
                    c = idx->at_int(i);
                    if (c < -dim || c >= dim) return kernel_error(ctx, "index out of range");
                    if (c < 0) c += dim;
                }
                off += c * xs[static_cast<size_t>(k)];
            }
            std::memcpy(static_cast<char*>(y.raw()) + static_cast<size_t>(i) * elem,
                        static_cast<const char*>(x->raw()) + static_cast<size_t>(off) * elem, elem);
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t axis_ = 0;
};

class ScatterNdKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        reduction_ = init.node.attr_string("reduction", "none");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor *x = ctx.input(0), *idx = ctx.input(1), *upd = ctx.input(2);
        if (!x || !idx || !upd) return kernel_error(ctx, "needs data, indices and updates");
        Tensor y = x->clone();
        int64_t k = idx->dim(-1);
        if (k > x->rank()) return kernel_error(ctx, "index tuples are longer than the data rank");
        int64_t slice = 1;
        for (int64_t d = k; d < x->rank(); ++d)
            slice *= x->dim(d);
        auto xs = strides_of(x->shape());
        int64_t n = idx->numel() / std::max<int64_t>(k, 1);
        Status st;
        bool ok = dispatch_numeric(x->type(), [&](auto tag) {
            using T = decltype(tag);
            T* out = y.data<T>();
            const T* u = upd->data<T>();
            for (int64_t j = 0; j < n; ++j) {
                int64_t off = 0;
                for (int64_t d = 0; d < k; ++d) {
                    int64_t c = idx->at_int(j * k + d), dim = x->dim(d);
                    if (c < -dim || c >= dim) {
                        st = kernel_error(ctx, "index out of range");
                        return;
                    }
                    off += (c < 0 ? c + dim : c) * xs[static_cast<size_t>(d)];
                }
                for (int64_t e = 0; e < slice; ++e) {
                    T& dst = out[off + e];
                    T v = u[j * slice + e];
                    if (reduction_ == "add")
                        dst = static_cast<T>(dst + v);
                    else if (reduction_ == "mul")
                        dst = static_cast<T>(dst * v);
                    else if (reduction_ == "max")
                        dst = std::max(dst, v);
                    else if (reduction_ == "min")
                        dst = std::min(dst, v);
                    else
                        dst = v;
                }
            }
        });
        if (!ok) return kernel_error(ctx, "element type is not supported");
        LOWBIT_RETURN_IF_ERROR(st);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    std::string reduction_;
};

}  // namespace

std::unique_ptr<Kernel> make_gather_kernel() {
    return std::make_unique<GatherKernel>();
}
std::unique_ptr<Kernel> make_gather_elements_kernel() {
    return std::make_unique<GatherElementsKernel>();
}
std::unique_ptr<Kernel> make_scatter_nd_kernel() {
    return std::make_unique<ScatterNdKernel>();
}

}  // namespace lowbit::runtime
