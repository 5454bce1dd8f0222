// Element-wise, shape and reduction kernels against naive reference loops on random data (odd sizes).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "runtime/ops/registry.h"

namespace lowbit {
namespace {

using runtime::Shape;
using runtime::Tensor;

Tensor random_tensor(Shape shape, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
    Tensor t(ir::DataType::kFloat, shape);
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = dist(rng);
    return t;
}

// Runs one kernel on `inputs` (nullptr allowed) with the node's attributes; returns its outputs.
std::vector<Tensor> run_op(const std::string& op, std::vector<const Tensor*> inputs,
                           std::vector<ir::Attribute> attrs = {}, int64_t opset = 17, size_t outputs = 1) {
    ir::Node node;
    node.op_type = op;
    node.attributes = std::move(attrs);
    for (size_t i = 0; i < inputs.size(); ++i)
        node.inputs.push_back(inputs[i] ? "in" + std::to_string(i) : "");
    for (size_t i = 0; i < outputs; ++i)
        node.outputs.push_back("out" + std::to_string(i));
    const runtime::KernelEntry* entry = runtime::find_kernel("", op, opset);
    EXPECT_NE(entry, nullptr) << op;
    if (!entry) return {};
    auto kernel = entry->create();
    runtime::KernelInit init{node, opset, std::vector<const Tensor*>(inputs.size(), nullptr)};
    EXPECT_TRUE(kernel->init(init).is_ok());
    std::vector<Tensor> outs(outputs);
    auto alloc = std::make_shared<runtime::Allocator>();
    runtime::KernelContext ctx{node, inputs, outs, *alloc, 1};
    Status st = kernel->run(ctx);
    EXPECT_TRUE(st.is_ok()) << st.message();
    return outs;
}

// Index of `out_index` (row-major in `out`) in an operand of shape `in` broadcast to `out`.
int64_t broadcast_index(const Shape& in, const Shape& out, int64_t out_index) {
    int64_t idx = 0, stride = 1;
    for (size_t k = out.size(); k-- > 0;) {
        int64_t c = out_index % out[k];
        out_index /= out[k];
        size_t ik = k + in.size();
        if (ik < out.size()) continue;
        ik -= out.size();
        if (in[ik] != 1) idx += c * stride;
        stride *= in[ik];
    }
    return idx;
}

TEST(OpsTensor, BroadcastBinaryMatchesNaive) {
    std::vector<std::pair<Shape, Shape>> cases = {
        {{7, 5}, {7, 5}}, {{3, 1, 5}, {4, 1}}, {{2, 3, 4, 5}, {1, 3, 1, 1}},
        {{5}, {3, 1}},    {{}, {2, 3}},        {{2, 1, 7}, {2, 9, 1}}};
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Max", "Pow"}) {
        uint32_t seed = 1;
        for (const auto& [sa, sb] : cases) {
            Tensor a = random_tensor(sa, seed++), b = random_tensor(sb, seed++);
            if (std::string(op) == "Pow")
                for (int64_t i = 0; i < a.numel(); ++i)
                    a.data<float>()[i] = std::fabs(a.data<float>()[i]) + 0.1f;
            auto out = run_op(op, {&a, &b});
            ASSERT_EQ(out.size(), 1u);
            const Tensor& y = out[0];
            for (int64_t i = 0; i < y.numel(); ++i) {
                float x = a.data<float>()[broadcast_index(sa, y.shape(), i)];
                float z = b.data<float>()[broadcast_index(sb, y.shape(), i)];
                float want = std::string(op) == "Add"   ? x + z
                             : std::string(op) == "Sub" ? x - z
                             : std::string(op) == "Mul" ? x * z
                             : std::string(op) == "Div" ? x / z
                             : std::string(op) == "Max" ? std::max(x, z)
                                                        : std::pow(x, z);
                ASSERT_NEAR(y.data<float>()[i], want, 1e-5f * std::max(1.0f, std::fabs(want)))
                    << op << " case " << i;
            }
        }
    }
}

TEST(OpsTensor, TransposeMatchesNaive) {
    Tensor x = random_tensor({3, 4, 5, 6}, 3);
    auto y = run_op("Transpose", {&x}, {ir::Attribute::make_ints("perm", {2, 0, 3, 1})})[0];
    ASSERT_EQ(y.shape(), (Shape{5, 3, 6, 4}));
    for (int64_t a = 0; a < 3; ++a)
        for (int64_t b = 0; b < 4; ++b)
            for (int64_t c = 0; c < 5; ++c)
                for (int64_t d = 0; d < 6; ++d)
                    ASSERT_EQ(y.data<float>()[((c * 3 + a) * 6 + d) * 4 + b],
                              x.data<float>()[((a * 4 + b) * 5 + c) * 6 + d]);
}

TEST(OpsTensor, SoftmaxMatchesNaive) {
    Tensor x = random_tensor({3, 7, 5}, 4);
    for (int64_t axis : {1, -1}) {
        auto y = run_op("Softmax", {&x}, {ir::Attribute::make_int("axis", axis)}, 13)[0];
        int64_t ax = axis < 0 ? 2 : axis;
        for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 7; ++j)
                for (int64_t k = 0; k < 5; ++k) {
                    auto at = [&](int64_t t) { return ax == 1 ? (i * 7 + t) * 5 + k : (i * 7 + j) * 5 + t; };
                    int64_t len = ax == 1 ? 7 : 5, self = ax == 1 ? j : k;
                    double sum = 0;
                    for (int64_t t = 0; t < len; ++t)
                        sum += std::exp(static_cast<double>(x.data<float>()[at(t)]));
                    ASSERT_NEAR(y.data<float>()[at(self)],
                                std::exp(static_cast<double>(x.data<float>()[at(self)])) / sum, 1e-6);
                }
    }
}

TEST(OpsTensor, ReduceMeanAndSumMatchNaive) {
    Tensor x = random_tensor({4, 3, 5}, 5);
    auto mean =
        run_op("ReduceMean", {&x},
               {ir::Attribute::make_ints("axes", {0, 2}), ir::Attribute::make_int("keepdims", 1)}, 13)[0];
    ASSERT_EQ(mean.shape(), (Shape{1, 3, 1}));
    Tensor axes = Tensor::from_int64s({1}, {1});
    auto sum = run_op("ReduceSum", {&x, &axes}, {ir::Attribute::make_int("keepdims", 0)}, 13)[0];
    ASSERT_EQ(sum.shape(), (Shape{4, 5}));
    for (int64_t c = 0; c < 3; ++c) {
        double acc = 0;
        for (int64_t a = 0; a < 4; ++a)
            for (int64_t e = 0; e < 5; ++e)
                acc += x.data<float>()[(a * 3 + c) * 5 + e];
        EXPECT_NEAR(mean.data<float>()[c], acc / 20, 1e-5);
    }
    for (int64_t a = 0; a < 4; ++a)
        for (int64_t e = 0; e < 5; ++e) {
            double acc = 0;
            for (int64_t c = 0; c < 3; ++c)
                acc += x.data<float>()[(a * 3 + c) * 5 + e];
            EXPECT_NEAR(sum.data<float>()[a * 5 + e], acc, 1e-5);
        }
}

TEST(OpsTensor, SliceGatherConcatPad) {
    Tensor x = random_tensor({6, 7}, 6);
    Tensor starts = Tensor::from_int64s({2}, {5, 1}), ends = Tensor::from_int64s({2}, {0, 7});
    Tensor axes = Tensor::from_int64s({2}, {0, 1}), steps = Tensor::from_int64s({2}, {-2, 3});
    auto s = run_op("Slice", {&x, &starts, &ends, &axes, &steps}, {}, 13)[0];
    ASSERT_EQ(s.shape(), (Shape{3, 2}));  // rows 5,3,1; cols 1,4
    EXPECT_EQ(s.data<float>()[0], x.data<float>()[5 * 7 + 1]);
    EXPECT_EQ(s.data<float>()[5], x.data<float>()[1 * 7 + 4]);
    Tensor idx = Tensor::from_int64s({2, 2}, {0, -1, 3, 3});
    auto g = run_op("Gather", {&x, &idx}, {ir::Attribute::make_int("axis", 1)}, 13)[0];
    ASSERT_EQ(g.shape(), (Shape{6, 2, 2}));
    EXPECT_EQ(g.data<float>()[1], x.data<float>()[6]);
    Tensor y = random_tensor({6, 2}, 7);
    auto c = run_op("Concat", {&x, &y}, {ir::Attribute::make_int("axis", 1)}, 13)[0];
    ASSERT_EQ(c.shape(), (Shape{6, 9}));
    EXPECT_EQ(c.data<float>()[9 + 7], y.data<float>()[2]);
    Tensor pads = Tensor::from_int64s({4}, {1, 0, 0, 2});
    auto p = run_op("Pad", {&x, &pads}, {ir::Attribute::make_string("mode", "reflect")}, 13)[0];
    ASSERT_EQ(p.shape(), (Shape{7, 9}));
    EXPECT_EQ(p.data<float>()[0], x.data<float>()[7]);      // row -1 reflects row 1
    EXPECT_EQ(p.data<float>()[9 + 8], x.data<float>()[4]);  // row 0, col 8 reflects col 4
}

TEST(OpsTensor, UnaryActivationsMatchFormulas) {
    Tensor x = random_tensor({101}, 8);
    auto check = [&](const char* op, auto f, std::vector<ir::Attribute> attrs = {}) {
        auto y = run_op(op, {&x}, attrs)[0];
        for (int64_t i = 0; i < x.numel(); ++i) {
            float v = x.data<float>()[i];
            ASSERT_NEAR(y.data<float>()[i], f(v), 1e-5f * std::max(1.0f, std::fabs(f(v)))) << op << " " << v;
        }
    };
    check("Relu", [](float v) { return std::max(v, 0.0f); });
    check("Sigmoid", [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    check("LeakyRelu", [](float v) { return v >= 0 ? v : 0.2f * v; },
          {ir::Attribute::make_float("alpha", 0.2f)});
    check("HardSwish", [](float v) { return v * std::min(std::max(v / 6.0f + 0.5f, 0.0f), 1.0f); });
    check("Gelu", [](float v) { return 0.5f * v * (1.0f + std::erf(v / std::sqrt(2.0f))); });
    check("Tanh", [](float v) { return std::tanh(v); });
}

}  // namespace
}  // namespace lowbit
