// Inference fusions and the fast kernel paths they rely on: each fused graph against the same graph run
// unfused (fuse = false), node by node.
#include <gtest/gtest.h>

#include <cmath>

#include "core/test_util.h"
#include "runtime/executor.h"

namespace lowbit {
namespace {

using runtime::Tensor;

ir::Node node(std::string op, std::vector<std::string> in, std::vector<std::string> out) {
    ir::Node n;
    n.name = out[0] + "_node";
    n.op_type = std::move(op);
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    return n;
}

std::vector<float> ramp(size_t n, float start, float step) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = start + step * static_cast<float>(i % 23) - 0.01f * static_cast<float>(i % 7);
    return v;
}

// x[N,5,16] -> LayerNorm decomposed as torch exports it at opset 13 -> MatMul(16x32) + bias -> exact GELU
// decomposed (Div/Erf/Add/Mul/Mul) -> y[N,5,32]. `extra_output` is also made a graph output.
ir::Model transformer_mlp(const std::string& extra_output = "") {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat,
                                          {ir::Dim::symbol("N"), ir::Dim::known(5), ir::Dim::known(16)}));
    g.set_initializer(ir::Tensor::from_floats("two", {}, {2.0f}));
    g.set_initializer(ir::Tensor::from_floats("eps", {}, {1e-5f}));
    g.set_initializer(ir::Tensor::from_floats("gamma", {16}, ramp(16, 0.5f, 0.05f)));
    g.set_initializer(ir::Tensor::from_floats("beta", {16}, ramp(16, -0.2f, 0.03f)));
    g.set_initializer(ir::Tensor::from_floats("w", {16, 32}, ramp(16 * 32, -0.3f, 0.027f)));
    g.set_initializer(ir::Tensor::from_floats("bias", {32}, ramp(32, -0.1f, 0.01f)));
    g.set_initializer(ir::Tensor::from_floats("root2", {}, {1.41421353816986083984375f}));
    g.set_initializer(ir::Tensor::from_floats("one", {}, {1.0f}));
    g.set_initializer(ir::Tensor::from_floats("half", {}, {0.5f}));
    ir::Node mean = node("ReduceMean", {"x"}, {"mean"});
    mean.attributes.push_back(ir::Attribute::make_ints("axes", {-1}));
    g.add_node(mean);
    g.add_node(node("Sub", {"x", "mean"}, {"d"}));
    g.add_node(node("Pow", {"d", "two"}, {"d2"}));
    ir::Node var = node("ReduceMean", {"d2"}, {"var"});
    var.attributes.push_back(ir::Attribute::make_ints("axes", {-1}));
    g.add_node(var);
    g.add_node(node("Add", {"var", "eps"}, {"var_eps"}));
    g.add_node(node("Sqrt", {"var_eps"}, {"std"}));
    g.add_node(node("Div", {"d", "std"}, {"normed"}));
    g.add_node(node("Mul", {"normed", "gamma"}, {"scaled"}));
    g.add_node(node("Add", {"scaled", "beta"}, {"ln"}));
    g.add_node(node("MatMul", {"ln", "w"}, {"mm"}));
    g.add_node(node("Add", {"bias", "mm"}, {"h"}));
    g.add_node(node("Div", {"h", "root2"}, {"h_scaled"}));
    g.add_node(node("Erf", {"h_scaled"}, {"erf"}));
    g.add_node(node("Add", {"erf", "one"}, {"erf1"}));
    g.add_node(node("Mul", {"h", "erf1"}, {"gated"}));
    g.add_node(node("Mul", {"gated", "half"}, {"y"}));
    g.outputs.push_back(test::tensor_value("y", ir::DataType::kFloat,
                                           {ir::Dim::symbol("N"), ir::Dim::known(5), ir::Dim::known(32)}));
    if (!extra_output.empty())
        g.outputs.push_back(test::tensor_value(extra_output, ir::DataType::kFloat, {}));
    return m;
}

struct Plan {
    std::vector<float> y;
    size_t steps = 0;
};

Plan run(const ir::Model& model, bool fuse, const Tensor& x) {
    runtime::ExecutorOptions options;
    options.fuse = fuse;
    options.threads = 1;
    auto exec = runtime::Executor::create(model, options);
    EXPECT_TRUE(exec) << exec.status().message();
    if (!exec) return {};
    auto out = (*exec)->run({{"x", x}});
    EXPECT_TRUE(out) << out.status().message();
    if (!out) return {};
    const Tensor& y = (*out)[0].second;
    return {{y.data<float>(), y.data<float>() + y.numel()}, (*exec)->schedule().size()};
}

TEST(Fusion, LayerNormAndGeluMatchTheUnfusedGraph) {
    const ir::Model model = transformer_mlp();
    for (int64_t n : {1, 3}) {
        const Tensor x = Tensor::from_floats({n, 5, 16}, ramp(static_cast<size_t>(n * 80), -1.7f, 0.19f));
        Plan fused = run(model, true, x), plain = run(model, false, x);
        ASSERT_EQ(plain.steps, 16u);
        EXPECT_EQ(fused.steps, 16u - 8u - 4u);  // LayerNorm 9 -> 1, GELU 5 -> 1
        ASSERT_EQ(fused.y.size(), plain.y.size());
        ASSERT_EQ(fused.y.size(), static_cast<size_t>(n * 5 * 32));
        for (size_t i = 0; i < fused.y.size(); ++i)
            EXPECT_NEAR(fused.y[i], plain.y[i], 2e-5f) << i;
    }
}

TEST(Fusion, ValuesThatAreGraphOutputsAreNotFusedAway) {
    const Tensor x = Tensor::from_floats({2, 5, 16}, ramp(160, -1.0f, 0.11f));
    Plan ln_kept = run(transformer_mlp("d"), true, x);  // the LayerNorm's centred input stays visible
    EXPECT_EQ(ln_kept.steps, 16u - 4u);
    Plan gelu_kept = run(transformer_mlp("erf"), true, x);  // the GELU's Erf output stays visible
    EXPECT_EQ(gelu_kept.steps, 16u - 8u);
    Plan plain = run(transformer_mlp(), false, x);
    for (size_t i = 0; i < plain.y.size(); ++i) {
        EXPECT_NEAR(ln_kept.y[i], plain.y[i], 2e-5f);
        EXPECT_NEAR(gelu_kept.y[i], plain.y[i], 2e-5f);
    }
}

TEST(Fusion, SquareIsExact) {
    // Pow(x, 2) takes a multiply instead of std::pow; the result must be bit-identical
    ir::Model m;
    m.opset_imports = {{"", 13}};
    m.graph.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::known(64)}));
    m.graph.set_initializer(ir::Tensor::from_floats("two", {}, {2.0f}));
    m.graph.add_node(node("Pow", {"x", "two"}, {"y"}));
    m.graph.outputs.push_back(test::tensor_value("y", ir::DataType::kFloat, {ir::Dim::known(64)}));
    std::vector<float> v = ramp(64, -3.3f, 0.37f);
    v[0] = 3e20f;  // overflows to inf either way
    Plan p = run(m, true, Tensor::from_floats({64}, v));
    ASSERT_EQ(p.y.size(), 64u);
    for (size_t i = 0; i < v.size(); ++i)
        EXPECT_EQ(p.y[i], static_cast<float>(std::pow(static_cast<double>(v[i]), 2.0))) << i;
}

TEST(ConvKernel, BatchedSmallPlanesMatchOneImageAtATime) {
    // planes of 8x8 go through the path that puts several images in one GEMM; batch 1 does not
    const ir::Model model = test::make_small_cnn();
    const int64_t n = 5;
    const Tensor x = Tensor::from_floats({n, 3, 8, 8}, ramp(static_cast<size_t>(n * 192), -1.0f, 0.09f));
    auto exec = runtime::Executor::create(model);
    ASSERT_TRUE(exec) << exec.status().message();
    const std::string in_name = (*exec)->inputs()[0].name;
    auto all = (*exec)->run({{in_name, x}});
    ASSERT_TRUE(all) << all.status().message();
    const Tensor& y = (*all)[0].second;
    const int64_t per = y.numel() / n;
    for (int64_t i = 0; i < n; ++i) {
        Tensor xi(ir::DataType::kFloat, {1, 3, 8, 8});
        std::copy(x.data<float>() + i * 192, x.data<float>() + (i + 1) * 192, xi.data<float>());
        auto one = (*exec)->run({{in_name, xi}});
        ASSERT_TRUE(one) << one.status().message();
        for (int64_t j = 0; j < per; ++j)
            EXPECT_NEAR((*one)[0].second.data<float>()[j], y.data<float>()[i * per + j], 1e-5f);
    }
}

}  // namespace
}  // namespace lowbit
