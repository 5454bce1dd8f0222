#include "runtime/ops/shape.h"

#include <algorithm>
#include <cstring>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class ShapeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        start_ = init.node.attr_int("start", 0);
        end_ = init.node.attr_int("end", INT64_MAX);
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        int64_t r = x->rank();
        int64_t s = std::clamp<int64_t>(start_ < 0 ? start_ + r : start_, 0, r);
        int64_t e = std::clamp<int64_t>(end_ < 0 ? end_ + r : end_, 0, r);
        std::vector<int64_t> dims(x->shape().begin() + s, x->shape().begin() + std::max(s, e));
        Tensor y = ctx.allocate(DataType::kInt64, {static_cast<int64_t>(dims.size())});
        std::copy(dims.begin(), dims.end(), y.data<int64_t>());
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    int64_t start_ = 0, end_ = INT64_MAX;
};

class SizeKernel : public Kernel {
  public:
    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input 0 is missing");
        Tensor y = ctx.allocate(DataType::kInt64, {});
        y.data<int64_t>()[0] = x->numel();
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }
};

class ConstantKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        for (const auto& a : init.node.attributes) {
            if (a.name == "value" && !a.tensors.empty())
                value_ = Tensor::from_ir(a.tensors[0]);
            else if (a.name == "value_float")
                value_ = Tensor::from_floats({}, {a.f});
            else if (a.name == "value_floats")
                value_ = Tensor::from_floats({static_cast<int64_t>(a.floats.size())}, a.floats);
            else if (a.name == "value_int")
                value_ = Tensor::from_int64s({}, {a.i});
            else if (a.name == "value_ints")
                value_ = Tensor::from_int64s({static_cast<int64_t>(a.ints.size())}, a.ints);
        }
        if (value_.empty())
            return unsupported(init.node.label() +
                               ": only tensor, float and int constant values are supported");
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        ctx.outputs[0] = value_;
        return Status::ok();
    }

  private:
    Tensor value_;
};

class ConstantOfShapeKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        const ir::Attribute* v = init.node.attr("value");
        fill_ = v && !v->tensors.empty() ? Tensor::from_ir(v->tensors[0]) : Tensor::from_floats({1}, {0.0f});
        return Status::ok();
    }
    Status run(KernelContext& ctx) override {
        const Tensor* s = ctx.input(0);
        if (!s) return kernel_error(ctx, "input 0 is missing");
        std::vector<int64_t> dims = s->to_int64_vector();
        for (int64_t d : dims)
            if (d < 0) return kernel_error(ctx, "negative dimension " + std::to_string(d));
        Tensor y = ctx.allocate(fill_.type(), Shape(dims.begin(), dims.end()));
        size_t elem = element_size(fill_.type());
        char* dst = static_cast<char*>(y.raw());
        for (int64_t i = 0; i < y.numel(); ++i)
            std::memcpy(dst + static_cast<size_t>(i) * elem, fill_.raw(), elem);
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    Tensor fill_;
};

}  // namespace

std::unique_ptr<Kernel> make_shape_kernel() {
    return std::make_unique<ShapeKernel>();
}
std::unique_ptr<Kernel> make_size_kernel() {
    return std::make_unique<SizeKernel>();
}
std::unique_ptr<Kernel> make_constant_kernel() {
    return std::make_unique<ConstantKernel>();
}
std::unique_ptr<Kernel> make_constant_of_shape_kernel() {
    return std::make_unique<ConstantOfShapeKernel>();
}

}  // namespace lowbit::runtime
