// Quantization core: specs and rounding, observers and range algorithms, preparation passes, the plan
// builder's rules and QDQ placement, and the QDQ export checked against an independent fake-quant run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/test_util.h"
#include "onnx/onnx_io.h"
#include "passes/passes.h"
#include "quant/observer.h"
#include "quant/plan.h"
#include "quant/simulate.h"
#include "runtime/executor.h"

namespace lowbit {
namespace {

using quant::Algorithm;
using quant::QuantSpec;
using quant::TensorObserver;

std::filesystem::path example(const std::string& name) {
    return std::filesystem::path(LOWBIT_SOURCE_DIR) / "examples" / "models" / name;
}

// Observes every float tensor of `model` on `batches` random batches (what the calibrator does).
quant::CalibrationTable observe(const ir::Model& model, runtime::Shape shape, int batches) {
    runtime::ExecutorOptions eo;
    eo.fuse = false;
    eo.threads = 1;
    auto exec = std::move(runtime::Executor::create(model, eo).value());
    std::map<std::string, TensorObserver> obs;
    std::map<ir::NodeId, std::vector<std::string>> outs;
    for (ir::NodeId id : model.graph.order())
        outs[id] = model.graph.node(id).outputs;
    EXPECT_TRUE(exec->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& o) {
                        for (size_t k = 0; k < o.size(); ++k)
                            if (o[k].type() == runtime::DataType::kFloat)
                                obs[outs[id][k]].observe(o[k].data<float>(), o[k].numel());
                    })
                    .is_ok());
    const std::string in = exec->inputs()[0].name;
    for (int b = 0; b < batches; ++b) {
        runtime::Tensor x = test::random_tensor(shape, 100 + b, 0.0f, 1.0f);
        obs[in].observe(x.data<float>(), x.numel());
        EXPECT_TRUE(exec->run({{in, x}}).is_ok());
    }
    quant::CalibrationTable t;
    t.tensors = std::move(obs);
    return t;
}

// ---- specs and rounding ----

TEST(QuantSpec, RangesAndStorage) {
    QuantSpec s;
    EXPECT_EQ(s.qmin(), -128);
    EXPECT_EQ(s.qmax(), 127);
    EXPECT_EQ(s.storage_type(), ir::DataType::kInt8);
    s.narrow_range = true;
    EXPECT_EQ(s.qmin(), -127);
    s = QuantSpec{4, true, true, false, 0, false};
    EXPECT_EQ(s.qmin(), -8);
    EXPECT_EQ(s.storage_type(), ir::DataType::kInt4);
    s = QuantSpec{16, false, false, false, 0, false};
    EXPECT_EQ(s.qmax(), 65535);
    EXPECT_EQ(s.storage_type(), ir::DataType::kUint16);
    s.bits = 1;
    EXPECT_FALSE(s.validate().is_ok());
}

TEST(QuantSpec, ParamsForRange) {
    QuantSpec asym;  // int8 asymmetric
    float lo = -1.0f, hi = 3.0f;
    auto p = quant::params_for_range(asym, {&lo, 1}, {&hi, 1});
    EXPECT_FLOAT_EQ(p.scale[0], 4.0f / 255.0f);
    EXPECT_EQ(p.zero_point[0], -64);  // -128 + round(1 / (4/255)) = -128 + 64
    // ReLU output [0, 6]: zero point at the bottom of the range (so a runtime may drop the ReLU)
    lo = 0.0f, hi = 6.0f;
    p = quant::params_for_range(asym, {&lo, 1}, {&hi, 1});
    EXPECT_EQ(p.zero_point[0], -128);
    QuantSpec sym{8, true, true, false, 0, true};
    lo = -0.5f, hi = 2.54f;
    p = quant::params_for_range(sym, {&lo, 1}, {&hi, 1});
    EXPECT_EQ(p.zero_point[0], 0);
    EXPECT_FLOAT_EQ(p.scale[0], 2.54f / 127.0f);
    QuantSpec usym{8, false, true, false, 0, false};
    lo = 0.0f, hi = 2.55f;
    p = quant::params_for_range(usym, {&lo, 1}, {&hi, 1});
    EXPECT_EQ(p.zero_point[0], 0);
    EXPECT_FLOAT_EQ(p.scale[0], 0.01f);
    // the range always contains 0, and a constant tensor gets a usable scale
    lo = 2.0f, hi = 2.0f;
    p = quant::params_for_range(asym, {&lo, 1}, {&hi, 1});
    EXPECT_EQ(p.zero_point[0], -128);
    lo = 0.0f, hi = 0.0f;
    p = quant::params_for_range(asym, {&lo, 1}, {&hi, 1});
    EXPECT_GT(p.scale[0], 0.0f);
}

TEST(QuantSpec, RoundingIsHalfToEvenAndSaturating) {
    EXPECT_EQ(quant::quantize_one(2.5f, 1.0f, 0, -128, 127), 2);
    EXPECT_EQ(quant::quantize_one(3.5f, 1.0f, 0, -128, 127), 4);
    EXPECT_EQ(quant::quantize_one(-2.5f, 1.0f, 0, -128, 127), -2);
    EXPECT_EQ(quant::quantize_one(1000.0f, 1.0f, 0, -128, 127), 127);
    EXPECT_EQ(quant::quantize_one(-1000.0f, 1.0f, 10, -128, 127), -128);
}

// fake_quantize equals QuantizeLinear then DequantizeLinear run by the engine, bit for bit, per axis too.
TEST(QuantSpec, FakeQuantizeMatchesQdqKernels) {
    QuantSpec s{8, true, false, true, 1, false};
    quant::QuantParams p{{0.02f, 0.05f, 0.003f}, {3, -7, 0}};
    runtime::Tensor x = test::random_tensor({2, 3, 5}, 7, -3.0f, 3.0f);
    std::vector<float> fq(x.data<float>(), x.data<float>() + x.numel());
    std::vector<int64_t> dims = {2, 3, 5};
    quant::fake_quantize(fq, dims, s, p);

    ir::Model m;
    m.opset_imports = {{"", 13}};
    m.graph.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat,
                                                {ir::Dim::known(2), ir::Dim::known(3), ir::Dim::known(5)}));
    m.graph.outputs.push_back(ir::ValueInfo::named("y"));
    m.graph.set_initializer(ir::Tensor::from_floats("s", {3}, p.scale));
    ir::Tensor z;
    z.name = "z";
    z.type = ir::DataType::kInt8;
    z.dims = {3};
    for (int32_t v : p.zero_point)
        z.data.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
    m.graph.set_initializer(z);
    ir::Node q{ir::kNoNode,
               "q",
               "QuantizeLinear",
               "",
               "",
               {"x", "s", "z"},
               {"xq"},
               {ir::Attribute::make_int("axis", 1)}};
    ir::Node d{ir::kNoNode,
               "d",
               "DequantizeLinear",
               "",
               "",
               {"xq", "s", "z"},
               {"y"},
               {ir::Attribute::make_int("axis", 1)}};
    m.graph.add_node(q);
    m.graph.add_node(d);
    auto exec = runtime::Executor::create(m);
    ASSERT_TRUE(exec.is_ok()) << exec.status().message();
    auto y = (*exec)->run({{"x", x}});
    ASSERT_TRUE(y.is_ok()) << y.status().message();
    const float* yd = (*y)[0].second.data<float>();
    for (size_t i = 0; i < fq.size(); ++i)
        ASSERT_EQ(fq[i], yd[i]) << i;
}

// ---- observers ----

TEST(Observer, HistogramGrowsAndKeepsCountsAndQuantiles) {
    TensorObserver obs(2048);
    std::mt19937 rng(1);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> all;
    for (int b = 0; b < 8; ++b) {
        std::vector<float> v(5000);
        for (auto& x : v)
            x = d(rng) * static_cast<float>(1 + b);  // the range grows batch by batch
        obs.observe(v.data(), static_cast<int64_t>(v.size()));
        all.insert(all.end(), v.begin(), v.end());
    }
    double total = 0;
    for (double c : obs.bins())
        total += c;
    EXPECT_NEAR(total, 40000.0, 1e-6);
    EXPECT_EQ(obs.count(), 40000);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(obs.min(), all.front());
    EXPECT_EQ(obs.max(), all.back());
    const double width = (obs.hist_hi() - obs.hist_lo()) / 2048.0;
    for (double q : {0.01, 0.25, 0.5, 0.9, 0.999}) {
        double exact = all[static_cast<size_t>(q * (all.size() - 1))];
        EXPECT_NEAR(obs.quantile(q), exact, 3 * width) << q;
    }
    float nan = std::nanf("");
    obs.observe(&nan, 1);
    EXPECT_EQ(obs.nan_count(), 1);
    EXPECT_EQ(obs.count(), 40000);
}

// Gaussian data with a few far outliers: the clipping algorithms cut the outliers and lower the error.
TEST(Observer, ClippingAlgorithmsBeatMinMaxOnOutliers) {
    TensorObserver obs;
    std::mt19937 rng(3);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(200000);
    for (auto& x : v)
        x = d(rng);
    v[10] = 60.0f, v[20] = -45.0f, v[30] = 50.0f;
    obs.observe(v.data(), static_cast<int64_t>(v.size()));
    QuantSpec s;
    quant::AlgorithmParams params;
    auto [mlo, mhi] = quant::choose_range(obs, s, Algorithm::kMinMax, params);
    EXPECT_FLOAT_EQ(mlo, -45.0f);
    EXPECT_FLOAT_EQ(mhi, 60.0f);
    const double minmax_err = quant::expected_mse(obs, s, mlo, mhi);
    // KL and the 99.99th percentile cut the three outliers (IFMR and the 99.999th percentile keep outliers
    // this rare by design); MSE trades clipping against resolution and wins by its own measure
    params.percentile = 99.99;
    for (Algorithm a : {Algorithm::kPercentile, Algorithm::kKl}) {
        auto [lo, hi] = quant::choose_range(obs, s, a, params);
        EXPECT_LT(hi, 20.0f) << name_of(a);
        EXPECT_GT(hi, 2.0f) << name_of(a);
        EXPECT_LT(lo, -2.0f) << name_of(a);
        EXPECT_GT(lo, -20.0f) << name_of(a);
    }
    {
        auto [lo, hi] = quant::choose_range(obs, s, Algorithm::kMse, params);
        EXPECT_LT(quant::expected_mse(obs, s, lo, hi), minmax_err);
        EXPECT_LT(hi - lo, 100.0f);
    }
    // MSE is the best of them by its own measure
    auto [elo, ehi] = quant::choose_range(obs, s, Algorithm::kMse, params);
    for (Algorithm a : {Algorithm::kPercentile, Algorithm::kKl}) {
        auto [lo, hi] = quant::choose_range(obs, s, a, params);
        EXPECT_LE(quant::expected_mse(obs, s, elo, ehi), quant::expected_mse(obs, s, lo, hi) * 1.0001)
            << name_of(a);
    }
}

// ReLU6 output: half exact zeros, the rest spread over (0, 6]. The zeros are left out of KL's histogram
// (as ncnn does); with them the divergence is dominated by the spike and the threshold collapses.
TEST(Observer, KlIgnoresTheZeroSpikeOfReluOutputs) {
    TensorObserver obs;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(0.0f, 6.0f);
    std::vector<float> v(100000);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = i % 2 ? 0.0f : std::min(6.0f, -std::log(u(rng) / 6.0f + 1e-7f));
    obs.observe(v.data(), static_cast<int64_t>(v.size()));
    EXPECT_EQ(obs.zero_count(), 50000);
    auto [lo, hi] = quant::choose_range(obs, QuantSpec{}, Algorithm::kKl, quant::AlgorithmParams{});
    EXPECT_EQ(lo, 0.0f);
    EXPECT_GT(hi, 4.0f);
}

TEST(Observer, IfmrSearchesAroundTheQuantileClip) {
    TensorObserver obs;
    std::vector<float> v(100000);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(i) / static_cast<float>(v.size());  // uniform [0,1)
    obs.observe(v.data(), static_cast<int64_t>(v.size()));
    quant::AlgorithmParams p;
    auto [lo, hi] = quant::choose_range(obs, QuantSpec{}, Algorithm::kIfmr, p);
    EXPECT_EQ(lo, 0.0f);
    // uniform data has no tail to clip: the best factor is close to 1 and within [0.7, 1.3]
    EXPECT_GT(hi, 0.95f);
    EXPECT_LT(hi, 1.05f);
    p.search_start = 1.2, p.search_end = 1.3;
    EXPECT_FALSE(p.validate().is_ok() && false);
    auto [lo2, hi2] = quant::choose_range(obs, QuantSpec{}, Algorithm::kIfmr, p);
    EXPECT_GE(hi2, 1.19f);
    (void)lo2;
    p.search_start = 1.3;
    EXPECT_FALSE(p.validate().is_ok());
}

TEST(Observer, StatsRoundTripThroughTheTable) {
    TensorObserver obs(64);
    std::vector<float> v = {-1.0f, 0.5f, 2.0f, 3.0f};
    obs.observe(v.data(), 4);
    quant::CalibrationTable t;
    t.num_bins = 64;
    t.tensors.emplace("a", obs);
    auto back = quant::table_from_json(quant::table_to_json(t));
    ASSERT_TRUE(back.is_ok()) << back.status().message();
    const auto& o = back->tensors.at("a");
    EXPECT_EQ(o.count(), 4);
    EXPECT_EQ(o.min(), -1.0);
    EXPECT_EQ(o.bins(), obs.bins());
    EXPECT_FALSE(quant::table_from_json(nlohmann::json{{"format", "other"}}).is_ok());
}

TEST(Observer, WeightParamsPerChannelAlongTheAxis) {
    // a Gemm weight [K=2, N=3] (transB = 0): channels along axis 1
    std::vector<float> w = {1.0f, -2.0f, 0.5f, -3.0f, 1.0f, 0.25f};
    std::vector<int64_t> dims = {2, 3};
    QuantSpec s{8, true, true, true, 1, true};
    auto p = quant::weight_params(w, dims, s, quant::WeightAlgorithm::kMinMax);
    ASSERT_EQ(p.scale.size(), 3u);
    EXPECT_FLOAT_EQ(p.scale[0], 3.0f / 127.0f);
    EXPECT_FLOAT_EQ(p.scale[1], 2.0f / 127.0f);
    EXPECT_FLOAT_EQ(p.scale[2], 0.5f / 127.0f);
    auto m = quant::weight_params(w, dims, s, quant::WeightAlgorithm::kMse);
    for (size_t c = 0; c < 3; ++c)
        EXPECT_LE(m.scale[c], p.scale[c]);
}

// ---- passes ----

// x -> Conv -> BatchNormalization -> Identity -> Relu -> y, and the folded model computes the same.
TEST(Passes, FoldBatchNormAndRemoveIdentityKeepResults) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat,
                           {ir::Dim::symbol("N"), ir::Dim::known(3), ir::Dim::known(6), ir::Dim::known(6)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    runtime::Tensor w = test::random_tensor({4, 3, 3, 3}, 11);
    g.set_initializer(w.to_ir("w"));
    g.set_initializer(ir::Tensor::from_floats("b", {4}, {0.1f, -0.2f, 0.3f, 0.0f}));
    g.set_initializer(ir::Tensor::from_floats("gamma", {4}, {1.5f, 0.5f, -1.0f, 2.0f}));
    g.set_initializer(ir::Tensor::from_floats("beta", {4}, {0.0f, 1.0f, -0.5f, 0.2f}));
    g.set_initializer(ir::Tensor::from_floats("mean", {4}, {0.1f, 0.2f, -0.3f, 0.0f}));
    g.set_initializer(ir::Tensor::from_floats("var", {4}, {1.0f, 0.5f, 2.0f, 0.1f}));
    g.add_node({ir::kNoNode,
                "conv",
                "Conv",
                "",
                "",
                {"x", "w", "b"},
                {"c"},
                {ir::Attribute::make_ints("pads", {1, 1, 1, 1})}});
    g.add_node(
        {ir::kNoNode, "bn", "BatchNormalization", "", "", {"c", "gamma", "beta", "mean", "var"}, {"n"}, {}});
    g.add_node({ir::kNoNode, "id", "Identity", "", "", {"n"}, {"i"}, {}});
    g.add_node({ir::kNoNode, "relu", "Relu", "", "", {"i"}, {"y"}, {}});
    ir::Model p = m;
    auto reports = passes::prepare_for_quantization(p);
    ASSERT_TRUE(reports.is_ok()) << reports.status().message();
    ASSERT_EQ(p.graph.node_count(), 2u);  // Conv, Relu
    EXPECT_EQ(p.graph.node(p.graph.order()[0]).op_type, "Conv");
    EXPECT_FALSE(p.graph.initializer("gamma"));
    runtime::Tensor x = test::random_tensor({2, 3, 6, 6}, 5);
    runtime::ExecutorOptions eo;
    eo.fuse = false;
    auto a = (*runtime::Executor::create(m, eo))->run({{"x", x}});
    auto b = (*runtime::Executor::create(p, eo))->run({{"x", x}});
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    const auto& ya = (*a)[0].second;
    const auto& yb = (*b)[0].second;
    for (int64_t i = 0; i < ya.numel(); ++i)
        ASSERT_NEAR(ya.data<float>()[i], yb.data<float>()[i], 1e-5f) << i;
}

TEST(Passes, FoldConstantsEvaluatesConstantSubgraphs) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::known(2)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(ir::Tensor::from_floats("a", {2}, {1.0f, 2.0f}));
    g.set_initializer(ir::Tensor::from_floats("b", {2}, {3.0f, 4.0f}));
    g.add_node({ir::kNoNode, "ab", "Mul", "", "", {"a", "b"}, {"ab"}, {}});
    g.add_node({ir::kNoNode, "y", "Add", "", "", {"x", "ab"}, {"y"}, {}});
    auto r = passes::fold_constants(m);
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->changes, 1);
    ASSERT_NE(g.initializer("ab"), nullptr);
    EXPECT_EQ(g.initializer("ab")->view<float>()[1], 8.0f);
    EXPECT_EQ(g.initializer("a"), nullptr);  // no longer read
}

TEST(Passes, UpgradeOpsetMovesReduceAxesToAnInput) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    m.graph.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::known(2), ir::Dim::known(3)}));
    m.graph.outputs.push_back(ir::ValueInfo::named("y"));
    m.graph.add_node(
        {ir::kNoNode, "r", "ReduceMean", "", "", {"x"}, {"y"}, {ir::Attribute::make_ints("axes", {1})}});
    runtime::Tensor x = test::random_tensor({2, 3}, 9);
    auto before = (*runtime::Executor::create(m))->run({{"x", x}});
    ASSERT_TRUE(passes::upgrade_opset(m, 21).is_ok());
    EXPECT_EQ(m.opset(""), 21);
    EXPECT_EQ(m.graph.node(m.graph.order()[0]).inputs.size(), 2u);
    auto after = (*runtime::Executor::create(m))->run({{"x", x}});
    ASSERT_TRUE(before.is_ok() && after.is_ok()) << after.status().message();
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ((*before)[0].second.data<float>()[i], (*after)[0].second.data<float>()[i]);
    // before 13, onnx's converter: Squeeze's axes attribute becomes an input, results unchanged
    ir::Model old;
    old.ir_version = 6;
    old.opset_imports = {{"", 11}};
    old.graph.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat,
                                                  {ir::Dim::known(2), ir::Dim::known(1), ir::Dim::known(3)}));
    old.graph.outputs.push_back(
        test::tensor_value("y", ir::DataType::kFloat, {ir::Dim::known(2), ir::Dim::known(3)}));
    old.graph.add_node(
        {ir::kNoNode, "s", "Squeeze", "", "", {"x"}, {"y"}, {ir::Attribute::make_ints("axes", {1})}});
    runtime::Tensor x3 = test::random_tensor({2, 1, 3}, 4);
    auto b3 = (*runtime::Executor::create(old))->run({{"x", x3}});
    auto up = passes::upgrade_opset(old, 21);
    ASSERT_TRUE(up.is_ok()) << up.status().message();
    EXPECT_EQ(old.opset(""), 21);
    for (ir::NodeId id : old.graph.order()) {
        if (old.graph.node(id).op_type != "Squeeze") continue;
        EXPECT_EQ(old.graph.node(id).inputs.size(), 2u);
    }
    auto a3 = (*runtime::Executor::create(old))->run({{"x", x3}});
    ASSERT_TRUE(b3.is_ok() && a3.is_ok()) << a3.status().message();
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ((*b3)[0].second.data<float>()[i], (*a3)[0].second.data<float>()[i]);
}

// ---- plan ----

struct Example {
    ir::Model prepared;
    quant::CalibrationTable table;
};

Example prepared_example(const std::string& file) {
    auto m = onnx_io::load_model(example(file));
    EXPECT_TRUE(m.is_ok());
    Example e{std::move(*m), {}};
    EXPECT_TRUE(passes::prepare_for_quantization(e.prepared).is_ok());
    e.table = observe(e.prepared, {8, 1, 28, 28}, 2);
    return e;
}

TEST(Plan, ResnetLayersRulesAndPlacement) {
    Example e = prepared_example("resnet.onnx");
    const ir::Graph& g = e.prepared.graph;
    for (ir::NodeId id : g.order())
        EXPECT_NE(g.node(id).op_type, "BatchNormalization");
    auto layers = quant::find_layers(e.prepared);
    ASSERT_GE(layers.size(), 5u);
    quant::QuantSettings s;
    // rules: an op type, a glob, then a name; later rules win
    const std::string first = layers[0].name, second = layers[1].name;
    s.rules.push_back(
        {quant::LayerRule::Match::kOpType, "Conv", std::nullopt, 4, std::nullopt, std::nullopt, "rule:conv"});
    s.rules.push_back(
        {quant::LayerRule::Match::kGlob, "*", std::nullopt, std::nullopt, 16, std::nullopt, "rule:all16"});
    s.rules.push_back({quant::LayerRule::Match::kName, first, quant::Precision::kFp16, std::nullopt,
                       std::nullopt, std::nullopt, "rule:first"});
    auto plan = quant::build_plan(e.prepared, e.table, s);
    ASSERT_TRUE(plan.is_ok()) << plan.status().message();
    const auto* l0 = plan->layer(first);
    const auto* l1 = plan->layer(second);
    ASSERT_TRUE(l0 && l1);
    EXPECT_EQ(l0->precision, quant::Precision::kFp16);
    EXPECT_EQ(l0->rule, "rule:first");
    EXPECT_EQ(l1->precision, quant::Precision::kInt);
    EXPECT_EQ(l1->weight_bits, l1->op_type == "Conv" ? 4 : 8);
    EXPECT_EQ(l1->act_bits, 16);
    EXPECT_EQ(l1->rule, "rule:all16");
    // no quantization point between a Conv and its Relu: the Relu output is the quant point
    for (const auto& l : plan->layers) {
        if (l.absorbed.empty()) continue;
        EXPECT_EQ(g.node(l.absorbed[0]).op_type, "Relu");
        EXPECT_FALSE(plan->activations.count(g.node(l.node).outputs[0])) << l.name;
    }
    // a residual Add with quantized inputs gets its own quantized output
    bool add_quantized = false;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        if (n.op_type != "Add") continue;
        const auto& cons = g.consumers(n.outputs[0]);
        std::string point =
            cons.size() == 1 && g.node(cons[0]).op_type == "Relu" ? g.node(cons[0]).outputs[0] : n.outputs[0];
        add_quantized |= plan->activations.count(point) > 0;
    }
    EXPECT_TRUE(add_quantized);
    // a table without statistics for a needed tensor is refused, naming it
    quant::CalibrationTable empty;
    auto bad = quant::build_plan(e.prepared, empty, quant::QuantSettings{});
    ASSERT_FALSE(bad.is_ok());
    EXPECT_NE(bad.status().message().find("no statistics"), std::string::npos);
}

// The exported QDQ model equals an independent simulation: the FP32 model with its weights fake-quantized
// and every planned activation fake-quantized by a transform hook. Bit for bit.
TEST(Qdq, ExportMatchesHookSimulationBitForBit) {
    for (const char* file : {"cnn.onnx", "resnet.onnx", "mobilenetv2.onnx", "vit.onnx"}) {
        SCOPED_TRACE(file);
        Example e = prepared_example(file);
        quant::QuantSettings s;
        s.algorithm = Algorithm::kPercentile;
        auto plan = quant::build_plan(e.prepared, e.table, s);
        ASSERT_TRUE(plan.is_ok()) << plan.status().message();
        auto qdq = quant::simulate(e.prepared, *plan);
        ASSERT_TRUE(qdq.is_ok()) << qdq.status().message();
        // the reference: weights fake-quantized in place, activations by the hook
        ir::Model ref = e.prepared;
        for (const auto& [name, t] : plan->weights) {
            ir::Tensor* w = ref.graph.mutable_initializer(name);
            quant::fake_quantize(w->mutable_view<float>(), w->dims, t.spec, t.params);
        }
        for (const auto& l : plan->layers) {
            if (l.bias.empty() || !plan->weights.count(l.weight) || !plan->activations.count(l.inputs[0]))
                continue;
            ir::Tensor* b = ref.graph.mutable_initializer(l.bias);
            const auto& ws = plan->weights.at(l.weight).params.scale;
            float si = plan->activations.at(l.inputs[0]).params.scale[0];
            auto bv = b->mutable_view<float>();
            for (size_t c = 0; c < bv.size(); ++c) {
                float sc = si * ws[ws.size() > 1 ? c : 0];
                bv[c] = static_cast<float>(std::nearbyint(static_cast<double>(bv[c]) / sc)) * sc;
            }
        }
        runtime::ExecutorOptions eo;
        eo.fuse = false;
        eo.threads = 1;
        auto hooked = std::move(runtime::Executor::create(ref, eo).value());
        std::map<ir::NodeId, std::vector<std::string>> outs;
        for (ir::NodeId id : ref.graph.order())
            outs[id] = ref.graph.node(id).outputs;
        ASSERT_TRUE(hooked
                        ->set_transform([&](ir::NodeId id, std::vector<runtime::Tensor>& o) {
                            for (size_t k = 0; k < o.size(); ++k) {
                                auto it = plan->activations.find(outs[id][k]);
                                if (it == plan->activations.end()) continue;
                                runtime::Tensor c = o[k].clone();
                                std::vector<int64_t> dims(c.shape().begin(), c.shape().end());
                                quant::fake_quantize({c.data<float>(), static_cast<size_t>(c.numel())}, dims,
                                                     it->second.spec, it->second.params);
                                o[k] = c;
                            }
                            return Status::ok();
                        })
                        .is_ok());
        const std::string in = hooked->inputs()[0].name;
        runtime::Tensor x = test::random_tensor({4, 1, 28, 28}, 42, 0.0f, 1.0f);
        runtime::Tensor xq = x.clone();
        if (auto it = plan->activations.find(in); it != plan->activations.end()) {
            std::vector<int64_t> dims(xq.shape().begin(), xq.shape().end());
            quant::fake_quantize({xq.data<float>(), static_cast<size_t>(xq.numel())}, dims, it->second.spec,
                                 it->second.params);
        }
        auto a = hooked->run({{in, xq}});
        auto qexec = runtime::Executor::create(qdq->model, eo);
        ASSERT_TRUE(qexec.is_ok()) << qexec.status().message();
        auto b = (*qexec)->run({{in, x}});
        ASSERT_TRUE(a.is_ok()) << a.status().message();
        ASSERT_TRUE(b.is_ok()) << b.status().message();
        const auto& ya = (*a)[0].second;
        const auto& yb = (*b)[0].second;
        ASSERT_EQ(ya.numel(), yb.numel());
        for (int64_t i = 0; i < ya.numel(); ++i)
            ASSERT_EQ(ya.data<float>()[i], yb.data<float>()[i]) << i;
        // the saved and reloaded file runs to the same outputs
        test::TempDir dir;
        ASSERT_TRUE(onnx_io::save_model(qdq->model, dir / "q.onnx").is_ok());
        auto back = onnx_io::load_model(dir / "q.onnx");
        ASSERT_TRUE(back.is_ok()) << back.status().message();
        auto c = (*runtime::Executor::create(*back, eo))->run({{in, x}});
        ASSERT_TRUE(c.is_ok()) << c.status().message();
        for (int64_t i = 0; i < ya.numel(); ++i)
            ASSERT_EQ((*c)[0].second.data<float>()[i], yb.data<float>()[i]) << i;
    }
}

TEST(Qdq, Int4WeightsInt16ActivationsAndFp16LayersAtOpset21) {
    Example e = prepared_example("cnn.onnx");
    auto layers = quant::find_layers(e.prepared);
    quant::QuantSettings s;
    s.rules.push_back(
        {quant::LayerRule::Match::kOpType, "Conv", std::nullopt, 4, std::nullopt, std::nullopt, "conv int4"});
    s.rules.push_back({quant::LayerRule::Match::kName, layers[1].name, std::nullopt, std::nullopt, 16,
                       std::nullopt, "a16"});
    s.rules.push_back({quant::LayerRule::Match::kName, layers.back().name, quant::Precision::kFp16,
                       std::nullopt, std::nullopt, std::nullopt, "fp16"});
    auto plan = quant::build_plan(e.prepared, e.table, s);
    ASSERT_TRUE(plan.is_ok()) << plan.status().message();
    auto qdq = quant::simulate(e.prepared, *plan);
    ASSERT_TRUE(qdq.is_ok()) << qdq.status().message();
    EXPECT_EQ(qdq->model.opset(""), 21);
    EXPECT_GE(qdq->model.ir_version, 10);
    bool int4 = false, int16 = false, half = false;
    for (const auto& t : qdq->model.graph.initializers()) {
        int4 |= t.type == ir::DataType::kInt4;
        int16 |= t.type == ir::DataType::kInt16 || t.type == ir::DataType::kUint16;
        half |= t.type == ir::DataType::kFloat16;
    }
    EXPECT_TRUE(int4 && int16 && half);
    test::TempDir dir;
    ASSERT_TRUE(onnx_io::save_model(qdq->model, dir / "q.onnx").is_ok());
    auto back = onnx_io::load_model(dir / "q.onnx");
    ASSERT_TRUE(back.is_ok()) << back.status().message();
    auto exec = runtime::Executor::create(*back);
    ASSERT_TRUE(exec.is_ok()) << exec.status().message();
    runtime::Tensor x = test::random_tensor({2, 1, 28, 28}, 1, 0.0f, 1.0f);
    const std::string in = (*exec)->inputs()[0].name;
    auto y = (*exec)->run({{in, x}});
    ASSERT_TRUE(y.is_ok()) << y.status().message();
    auto ref = (*runtime::Executor::create(e.prepared))->run({{in, x}});
    // still close to FP32 (INT4 convolutions cost some accuracy, not all of it)
    const auto& a = (*ref)[0].second;
    const auto& b = (*y)[0].second;
    double dot = 0, na = 0, nb = 0;
    for (int64_t i = 0; i < a.numel(); ++i) {
        dot += a.data<float>()[i] * b.data<float>()[i];
        na += a.data<float>()[i] * a.data<float>()[i];
        nb += b.data<float>()[i] * b.data<float>()[i];
    }
    EXPECT_GT(dot / std::sqrt(na * nb), 0.95);
}

// A layer kept at FP32 reads the unquantized tensor: no DequantizeLinear feeds a float Conv or Gemm.
TEST(Qdq, Fp32LayersNeverReadADequantizeLinear) {
    Example e = prepared_example("resnet.onnx");
    auto layers = quant::find_layers(e.prepared);
    quant::QuantSettings s;
    for (size_t k = 1; k < layers.size(); k += 2)
        s.rules.push_back({quant::LayerRule::Match::kName, layers[k].name, quant::Precision::kFp32,
                           std::nullopt, std::nullopt, std::nullopt, "keep"});
    auto plan = quant::build_plan(e.prepared, e.table, s);
    ASSERT_TRUE(plan.is_ok());
    auto qdq = quant::simulate(e.prepared, *plan);
    ASSERT_TRUE(qdq.is_ok());
    const ir::Graph& g = qdq->model.graph;
    int checked = 0;
    for (size_t k = 1; k < layers.size(); k += 2) {
        auto id = g.find_node_by_name(layers[k].name);
        ASSERT_TRUE(id.has_value());
        const ir::Node& n = g.node(*id);
        for (const auto& in : n.inputs) {
            auto p = g.producer(in);
            EXPECT_FALSE(p && g.node(*p).op_type == "DequantizeLinear") << n.name << " reads " << in;
        }
        EXPECT_TRUE(g.initializer(n.inputs[1]) && g.initializer(n.inputs[1])->type == ir::DataType::kFloat);
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace lowbit
