// Channel balancing (quant/balance.h): sites found where the scale can be folded, the float model's
// function unchanged after the rewrite, per-tensor quantization error reduced, bad scales refused
// without touching the model; and the plan's rule that a layer result feeding only float elementwise
// ops gets no quantization point of its own.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/test_util.h"
#include "quant/balance.h"
#include "quant/calibration_table.h"
#include "quant/plan.h"
#include "runtime/executor.h"

namespace lowbit {
namespace {

// x[N,3,6,6] -> Conv 1x1 (3->4) -> Mul(scalar) -> Add(scalar) -> depthwise Conv 3x3 (pad 1) -> y, where
// channel k of the first Conv is scaled by 10^(k/2) (ranges 30x apart); with `relu` the first Conv feeds the
// depthwise one through a Relu instead of the scale and shift.
ir::Model make_model(bool relu) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat,
                           {ir::Dim::symbol("N"), ir::Dim::known(3), ir::Dim::known(6), ir::Dim::known(6)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    runtime::Tensor w1 = test::random_tensor({4, 3, 1, 1}, 1);
    for (int o = 0; o < 4; ++o)
        for (int i = 0; i < 3; ++i)
            w1.data<float>()[o * 3 + i] *= std::pow(10.0f, 0.5f * static_cast<float>(o));
    g.set_initializer(w1.to_ir("w1"));
    g.set_initializer(ir::Tensor::from_floats("b1", {4}, {0.1f, -0.2f, 0.3f, 0.5f}));
    g.set_initializer(test::random_tensor({4, 1, 3, 3}, 2).to_ir("wd"));
    g.set_initializer(ir::Tensor::from_floats("bd", {4}, {0.0f, 0.1f, 0.2f, 0.3f}));
    g.set_initializer(ir::Tensor::from_floats("a", {1}, {0.5f}));
    g.set_initializer(ir::Tensor::from_floats("c", {1}, {0.25f}));
    g.add_node({ir::kNoNode, "conv1", "Conv", "", "", {"x", "w1", "b1"}, {"c1"}, {}});
    if (relu) {
        g.add_node({ir::kNoNode, "relu", "Relu", "", "", {"c1"}, {"t"}, {}});
    } else {
        g.add_node({ir::kNoNode, "mul", "Mul", "", "", {"c1", "a"}, {"m"}, {}});
        g.add_node({ir::kNoNode, "add", "Add", "", "", {"m", "c"}, {"t"}, {}});
    }
    g.add_node({ir::kNoNode,
                "dw",
                "Conv",
                "",
                "",
                {"t", "wd", "bd"},
                {"y"},
                {ir::Attribute::make_int("group", 4), ir::Attribute::make_ints("pads", {1, 1, 1, 1})}});
    return m;
}

runtime::Tensor run(const ir::Model& m, const std::string& out, const runtime::Tensor& x) {
    return test::run_value(m, out, x);
}

// Per-channel absolute maxima of `t` on axis 1, computed here independently of the library.
std::vector<float> maxima(const runtime::Tensor& t) {
    std::vector<float> m(static_cast<size_t>(t.dim(1)), 0.0f);
    const int64_t inner = t.numel() / (t.dim(0) * t.dim(1));
    for (int64_t i = 0; i < t.numel(); ++i) {
        auto c = static_cast<size_t>((i / inner) % t.dim(1));
        m[c] = std::max(m[c], std::fabs(t.data<float>()[i]));
    }
    return m;
}

// The worst channel's SQNR (dB) when `t` is quantized per tensor to uint8 over its min/max (channels that
// are all zero left out).
double worst_channel_sqnr(const runtime::Tensor& t) {
    const float* p = t.data<float>();
    float lo = 0.0f, hi = 0.0f;
    for (int64_t i = 0; i < t.numel(); ++i)
        lo = std::min(lo, p[i]), hi = std::max(hi, p[i]);
    const double scale = (hi - lo) / 255.0;
    const int64_t C = t.dim(1), inner = t.numel() / (t.dim(0) * C);
    std::vector<double> sig(static_cast<size_t>(C)), err(static_cast<size_t>(C));
    for (int64_t i = 0; i < t.numel(); ++i) {
        auto c = static_cast<size_t>((i / inner) % C);
        double q = std::round((p[i] - lo) / scale) * scale + lo;
        sig[c] += double(p[i]) * p[i], err[c] += (q - p[i]) * (q - p[i]);
    }
    double worst = 1e9;
    for (size_t c = 0; c < sig.size(); ++c)
        if (sig[c] > 0) worst = std::min(worst, 10.0 * std::log10(sig[c] / std::max(err[c], 1e-30)));
    return worst;
}

void check_balancing(bool relu) {
    ir::Model m = make_model(relu);
    auto sites = quant::find_balance_sites(m, true, false);
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].tensor, "t");
    EXPECT_TRUE(sites[0].depthwise);
    EXPECT_EQ(sites[0].channels, 4);
    EXPECT_TRUE(quant::find_balance_sites(m, false, false).empty());
    runtime::Tensor x = test::random_tensor({2, 3, 6, 6}, 7, 0.0f, 1.0f);
    const runtime::Tensor t0 = run(m, "t", x), y0 = run(m, "y", x);
    auto scales = quant::balance_scales(m, sites, {{"t", maxima(t0)}}, 0.5);
    ir::Model b = m;
    auto applied = quant::apply_balance(b, scales);
    ASSERT_TRUE(applied.is_ok()) << applied.status().message();
    EXPECT_EQ(applied->size(), 1u);
    EXPECT_FALSE(b.graph.initializer("wd"));  // replaced, and the unused original dropped
    // the function is unchanged; the balanced tensor has every channel at the same maximum
    const runtime::Tensor t1 = run(b, "t", x), y1 = run(b, "y", x);
    for (int64_t i = 0; i < y0.numel(); ++i)
        ASSERT_NEAR(y1.data<float>()[i], y0.data<float>()[i], 1e-4f * (1.0f + std::fabs(y0.data<float>()[i])))
            << i;
    auto m1 = maxima(t1);
    const float top = *std::max_element(m1.begin(), m1.end());
    for (float v : m1) {
        if (v > 0.0f) {
            EXPECT_NEAR(v, top, 1e-3f * top);
        }
    }
    // and per-tensor quantization no longer drowns the small channels
    EXPECT_GT(worst_channel_sqnr(t1), worst_channel_sqnr(t0) + 10.0) << worst_channel_sqnr(t0);
}

TEST(Balance, DepthwiseInputAfterScaleAndShift) {
    check_balancing(false);
}

TEST(Balance, DepthwiseInputAfterConvAndRelu) {
    check_balancing(true);
}

TEST(Balance, DmqBalancerOnAPointwiseConvAndAMatMul) {
    // x[N,4,5,5] -> Mul(per-channel [4,1,1]) -> Conv 1x1 (4->3) -> y ; z[N,6] -> Mul(scalar) -> MatMul [6,2]
    // -> v
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat,
                           {ir::Dim::symbol("N"), ir::Dim::known(4), ir::Dim::known(5), ir::Dim::known(5)}));
    g.inputs.push_back(
        test::tensor_value("z", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(6)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.outputs.push_back(ir::ValueInfo::named("v"));
    g.set_initializer(ir::Tensor::from_floats("s", {4, 1, 1}, {1.0f, 20.0f, 0.5f, 3.0f}));
    g.set_initializer(test::random_tensor({3, 4, 1, 1}, 3).to_ir("w"));
    g.set_initializer(ir::Tensor::from_floats("k", {}, {2.0f}));
    g.set_initializer(test::random_tensor({6, 2}, 4).to_ir("wm"));
    g.add_node({ir::kNoNode, "mul", "Mul", "", "", {"x", "s"}, {"t"}, {}});
    g.add_node({ir::kNoNode, "pw", "Conv", "", "", {"t", "w"}, {"y"}, {}});
    g.add_node({ir::kNoNode, "mulz", "Mul", "", "", {"k", "z"}, {"u"}, {}});
    g.add_node({ir::kNoNode, "mm", "MatMul", "", "", {"u", "wm"}, {"v"}, {}});
    EXPECT_TRUE(quant::find_balance_sites(m, true, false).empty());
    auto sites = quant::find_balance_sites(m, false, true);
    ASSERT_EQ(sites.size(), 2u);
    std::map<std::string, std::vector<float>> mx = {{"t", {1.0f, 20.0f, 0.5f, 3.0f}},
                                                    {"u", {1, 2, 3, 4, 50, 6}}};
    auto scales = quant::balance_scales(m, sites, mx, 0.5);
    ASSERT_EQ(scales.size(), 2u);
    ir::Model b = m;
    ASSERT_TRUE(quant::apply_balance(b, scales).is_ok());
    runtime::ExecutorOptions eo;
    eo.fuse = false;
    eo.threads = 1;
    runtime::Tensor x = test::random_tensor({2, 4, 5, 5}, 8), z = test::random_tensor({3, 6}, 9);
    auto ra = (*runtime::Executor::create(m, eo))->run({{"x", x}, {"z", z}});
    auto rb = (*runtime::Executor::create(b, eo))->run({{"x", x}, {"z", z}});
    ASSERT_TRUE(ra.is_ok() && rb.is_ok());
    for (size_t o = 0; o < 2; ++o)
        for (int64_t i = 0; i < (*ra)[o].second.numel(); ++i)
            ASSERT_NEAR((*rb)[o].second.data<float>()[i], (*ra)[o].second.data<float>()[i], 1e-4f)
                << o << " " << i;
}

TEST(Balance, ScalesThatDoNotFitAreRefusedAndChangeNothing) {
    ir::Model m = make_model(false);
    const ir::Model before = m;
    auto r = quant::apply_balance(m, {{"t", {1.0f, 1.0f, 1.0f, 1.0f}}, {"nope", {1.0f}}});
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("'nope'"), std::string::npos);
    r = quant::apply_balance(m, {{"t", {1.0f, 2.0f}}});
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("2 values for 4 channels"), std::string::npos);
    r = quant::apply_balance(m, {{"t", {1.0f, 0.0f, 1.0f, 1.0f}}});
    ASSERT_FALSE(r.is_ok());
    EXPECT_TRUE(m.graph.same_as(before.graph));
}

TEST(Balance, ScalesRoundTripThroughTheTable) {
    quant::CalibrationTable t;
    t.model = "m.onnx";
    t.channel_scales["t"] = {0.25f, 1.0f, 0.5f};
    auto back = quant::table_from_json(quant::table_to_json(t));
    ASSERT_TRUE(back.is_ok()) << back.status().message();
    EXPECT_EQ(back->channel_scales, t.channel_scales);
}

// A layer result that only feeds float elementwise ops (scale and shift) gets no quantization point; the
// next quantized layer's input is the one rounding point.
TEST(Plan, NoQuantPointOnAResultFeedingOnlyFloatOps) {
    ir::Model m = make_model(false);
    quant::CalibrationTable table;
    for (const auto& name : quant::observable_tensors(m)) {
        quant::TensorObserver o;
        std::vector<float> v = {-1.0f, 2.0f, 0.5f};
        o.observe(v.data(), static_cast<int64_t>(v.size()));
        table.tensors.emplace(name, std::move(o));
    }
    auto plan = quant::build_plan(m, table, quant::QuantSettings{});
    ASSERT_TRUE(plan.is_ok()) << plan.status().message();
    EXPECT_TRUE(plan->activations.count("x"));
    EXPECT_TRUE(plan->activations.count("t"));
    EXPECT_FALSE(plan->activations.count("c1"));  // conv1's result feeds the Mul only
    EXPECT_FALSE(plan->activations.count("m"));
}

}  // namespace
}  // namespace lowbit
