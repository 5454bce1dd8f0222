// Bias correction (quant/bias_correction.h): with coarse weights (3 bits) the quantized layers' output
// channels are shifted; the corrections, measured on the data, put each channel's mean (where a following
// Relu passes it) back on the float model's, and the exporter stores them where the layer keeps its bias (a
// new Conv bias, Gemm's C over beta, a MatMul's bias Add).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "analysis/layer_error.h"
#include "core/test_util.h"
#include "quant/bias_correction.h"
#include "quant/calibrator.h"
#include "quant/plan.h"
#include "quant/simulate.h"

namespace lowbit {
namespace {

// Per-channel means of value `name` (channels on `axis`, -1 = last) when `model` runs on all of `x`.
std::vector<double> channel_means(const ir::Model& model, const std::string& name, const runtime::Tensor& x,
                                  int axis) {
    const runtime::Tensor y = test::run_value(model, name, x);
    const int64_t ax = axis < 0 ? y.rank() - 1 : axis, C = y.dim(ax);
    int64_t inner = 1;
    for (int64_t d = ax + 1; d < y.rank(); ++d)
        inner *= y.dim(d);
    std::vector<double> m(static_cast<size_t>(C), 0.0);
    for (int64_t i = 0; i < y.numel(); ++i)
        m[static_cast<size_t>((i / inner) % C)] += y.data<float>()[i];
    for (double& v : m)
        v /= static_cast<double>(y.numel() / C);
    return m;
}

// Per channel (last axis) of value `name`: the mean of float - quantized over the positions where the float
// value is positive (what a following Relu passes).
std::vector<double> active_shift(const ir::Model& fp, const ir::Model& q, const std::string& name,
                                 const runtime::Tensor& x) {
    const runtime::Tensor a = test::run_value(fp, name, x), b = test::run_value(q, name, x);
    const int64_t C = a.dim(-1);
    std::vector<double> sum(static_cast<size_t>(C), 0.0), n(static_cast<size_t>(C), 0.0);
    for (int64_t i = 0; i < a.numel(); ++i) {
        if (!(a.data<float>()[i] > 0.0f)) continue;
        sum[static_cast<size_t>(i % C)] += static_cast<double>(a.data<float>()[i]) - b.data<float>()[i];
        n[static_cast<size_t>(i % C)] += 1.0;
    }
    for (size_t c = 0; c < sum.size(); ++c)
        sum[c] /= std::max(1.0, n[c]);
    return sum;
}

struct Quantized {
    quant::QuantPlan plan;
    std::map<std::string, std::vector<float>> corrections;
};

Quantized quantize(const ir::Model& m, const runtime::Tensor& x) {
    test::TensorSource src(x);
    quant::CalibrateOptions co;
    co.threads = 1;
    auto table = quant::calibrate(m, src, co);
    EXPECT_TRUE(table.is_ok()) << table.status().message();
    quant::QuantSettings s;
    s.weight_bits = 3;  // coarse enough that rounding shifts the channel means
    auto plan = quant::build_plan(m, *table, s);
    EXPECT_TRUE(plan.is_ok()) << plan.status().message();
    quant::BiasCorrectionOptions bo;
    bo.threads = 1;
    bo.batch_size = 16;
    auto c = quant::estimate_bias_corrections(m, *plan, src, bo);
    EXPECT_TRUE(c.is_ok()) << c.status().message();
    // a memory budget below one sample's values runs one sample at a time, to the same result
    bo.memory_budget = 1;
    auto one = quant::estimate_bias_corrections(m, *plan, src, bo);
    EXPECT_TRUE(one.is_ok()) << one.status().message();
    for (const auto& [layer, v] : *c)
        for (size_t k = 0; k < v.size(); ++k)
            EXPECT_NEAR(one->at(layer)[k], v[k], 1e-6f + 1e-5f * std::fabs(v[k])) << layer;
    return {*plan, *c};
}

ir::Model qdq(const ir::Model& m, quant::QuantPlan plan,
              const std::map<std::string, std::vector<float>>& corrections) {
    plan.bias_corrections = corrections;
    auto q = quant::simulate(m, plan);
    EXPECT_TRUE(q.is_ok()) << q.status().message();
    return q->model;
}

// One step of a layer's INT32 bias for channel c (input scale x weight scale), times beta: the measured
// shift includes the rounding of the original bias and the corrected bias is rounded again, so the result
// may be off by two half steps.
double bias_step(const quant::QuantPlan& plan, const std::string& input, const std::string& weight, size_t c,
                 double beta = 1.0) {
    const auto& ws = plan.weights.at(weight).params.scale;
    return beta * plan.activations.at(input).params.scale[0] * ws[ws.size() > 1 ? c : 0] + 1e-6;
}

double total_shift(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (size_t c = 0; c < a.size(); ++c)
        s += std::fabs(a[c] - b[c]);
    return s;
}

TEST(BiasCorrection, ConvWithoutBiasGetsOneAndItsChannelMeansMatchTheFloatModel) {
    // x[N,3,6,6] -> Conv 3x3 (3->4, pad 1, no bias) -> y
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat,
                           {ir::Dim::symbol("N"), ir::Dim::known(3), ir::Dim::known(6), ir::Dim::known(6)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(test::random_tensor({4, 3, 3, 3}, 11).to_ir("w"));
    g.add_node({ir::kNoNode,
                "conv",
                "Conv",
                "",
                "",
                {"x", "w"},
                {"y"},
                {ir::Attribute::make_ints("pads", {1, 1, 1, 1})}});
    const runtime::Tensor x = test::random_tensor({64, 3, 6, 6}, 12, 0.0f, 1.0f);
    Quantized q = quantize(m, x);
    ASSERT_EQ(q.corrections.count("conv"), 1u);
    ASSERT_EQ(q.corrections.at("conv").size(), 4u);
    const ir::Model plain = qdq(m, q.plan, {}), corrected = qdq(m, q.plan, q.corrections);
    const auto fp = channel_means(m, "y", x, 1), before = channel_means(plain, "y", x, 1),
               after = channel_means(corrected, "y", x, 1);
    // the uncorrected model is visibly shifted; the corrected one is back on the float means (up to the
    // INT32 rounding of the bias)
    EXPECT_GT(total_shift(fp, before), 1e-2);
    EXPECT_LT(total_shift(fp, after), 0.1 * total_shift(fp, before));
    for (size_t c = 0; c < fp.size(); ++c)
        EXPECT_NEAR(after[c], fp[c], bias_step(q.plan, "x", "w", c)) << c;
    // the Conv now reads a (dequantized INT32) bias
    bool has_bias = false;
    for (ir::NodeId id : corrected.graph.order())
        if (corrected.graph.node(id).op_type == "Conv")
            has_bias = corrected.graph.node(id).inputs.size() == 3;
    EXPECT_TRUE(has_bias);
    // the plan reduced to the layer carries its correction; estimating never reads the plan's own
    EXPECT_EQ(quant::restrict_to_layer(quant::QuantPlan{q.plan.layers, {}, {}, {}, q.corrections, {}, {}},
                                       q.plan.layers[0])
                  .bias_corrections.size(),
              1u);
}

TEST(BiasCorrection, GemmOverBetaAndMatMulThroughItsBiasAdd) {
    // x[N,8] -> Gemm (beta 2, C[5]) -> Relu -> MatMul [5,3] -> Add c[3] -> y
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(8)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(test::random_tensor({8, 5}, 21).to_ir("w1"));
    g.set_initializer(ir::Tensor::from_floats("c1", {5}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}));
    g.set_initializer(test::random_tensor({5, 3}, 22).to_ir("w2"));
    g.set_initializer(ir::Tensor::from_floats("c2", {3}, {-0.5f, 0.0f, 0.5f}));
    g.add_node({ir::kNoNode,
                "gemm",
                "Gemm",
                "",
                "",
                {"x", "w1", "c1"},
                {"h"},
                {ir::Attribute::make_float("beta", 2.0f)}});
    g.add_node({ir::kNoNode, "relu", "Relu", "", "", {"h"}, {"r"}, {}});
    g.add_node({ir::kNoNode, "mm", "MatMul", "", "", {"r", "w2"}, {"p"}, {}});
    g.add_node({ir::kNoNode, "add", "Add", "", "", {"p", "c2"}, {"y"}, {}});
    const runtime::Tensor x = test::random_tensor({256, 8}, 23, 0.0f, 1.0f);
    Quantized q = quantize(m, x);
    ASSERT_EQ(q.corrections.size(), 2u);
    EXPECT_EQ(q.corrections.at("gemm").size(), 5u);
    EXPECT_EQ(q.corrections.at("mm").size(), 3u);
    const ir::Model plain = qdq(m, q.plan, {}), corrected = qdq(m, q.plan, q.corrections);
    // the Gemm's own result where its Relu passes it (beta 2 taken into account): the mean shift is gone
    const auto h_before = active_shift(m, plain, "h", x), h_after = active_shift(m, corrected, "h", x);
    const std::vector<double> zero(h_before.size(), 0.0);
    EXPECT_GT(total_shift(zero, h_before), 1e-2);
    EXPECT_LT(total_shift(zero, h_after), 0.2 * total_shift(zero, h_before));
    for (size_t c = 0; c < h_after.size(); ++c)
        EXPECT_NEAR(h_after[c], 0.0, bias_step(q.plan, "x", "w1", c, 2.0)) << c;
    // the MatMul's correction went into a new Add constant (c2 itself untouched in the input model)
    std::vector<float> c2;
    for (ir::NodeId id : corrected.graph.order()) {
        const ir::Node& n = corrected.graph.node(id);
        if (n.op_type == "Add" && corrected.graph.initializer(n.inputs[1]))
            c2 = corrected.graph.initializer(n.inputs[1])->to_floats();
    }
    ASSERT_EQ(c2.size(), 3u);
    for (size_t c = 0; c < 3; ++c)
        EXPECT_FLOAT_EQ(c2[c], m.graph.initializer("c2")->to_floats()[c] + q.corrections.at("mm")[c]);
    // end to end the output's channel means are much closer to the float model's
    const auto y_fp = channel_means(m, "y", x, -1), y_before = channel_means(plain, "y", x, -1),
               y_after = channel_means(corrected, "y", x, -1);
    EXPECT_LT(total_shift(y_fp, y_after), 0.3 * total_shift(y_fp, y_before));
    // the per-layer error runs with the corrections (the MatMul alone has no Add to take its correction)
    quant::QuantPlan with = q.plan;
    with.bias_corrections = q.corrections;
    test::TensorSource src(x);
    analysis::ErrorOptions eo;
    eo.threads = 1;
    auto sim = quant::simulate(m, with);
    ASSERT_TRUE(sim.is_ok()) << sim.status().message();
    auto errors = analysis::layer_errors(m, sim->model, with, src, eo);
    ASSERT_TRUE(errors.is_ok()) << errors.status().message();
    EXPECT_EQ(errors->size(), 2u);
}

TEST(BiasCorrection, LayersThatCannotTakeACorrectionAreLeftAlone) {
    // a MatMul whose result is read by something other than an Add of a constant vector
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(4)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(test::random_tensor({4, 4}, 31).to_ir("w"));
    g.add_node({ir::kNoNode, "mm", "MatMul", "", "", {"x", "w"}, {"p"}, {}});
    g.add_node({ir::kNoNode, "relu", "Relu", "", "", {"p"}, {"y"}, {}});
    Quantized q = quantize(m, test::random_tensor({32, 4}, 32, 0.0f, 1.0f));
    EXPECT_TRUE(q.corrections.empty());
    // nor one followed by an Add of a single broadcast value
    ir::Model s = m;
    s.graph.set_initializer(ir::Tensor::from_floats("k", {1}, {0.5f}));
    for (ir::NodeId id : s.graph.order())
        if (s.graph.node(id).op_type == "Relu")
            s.graph.mutable_node(id).op_type = "Add", s.graph.mutable_node(id).inputs = {"p", "k"};
    EXPECT_TRUE(quantize(s, test::random_tensor({32, 4}, 33, 0.0f, 1.0f)).corrections.empty());
    // and the exporter refuses a correction for it rather than dropping it silently
    quant::QuantPlan p = q.plan;
    p.bias_corrections["mm"] = {0.1f, 0.1f, 0.1f, 0.1f};
    EXPECT_FALSE(quant::simulate(m, p).is_ok());
}

}  // namespace
}  // namespace lowbit
