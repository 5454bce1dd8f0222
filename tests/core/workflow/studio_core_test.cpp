// Core helpers the studio relies on: resolved layer settings (defaults then rules, as build_plan) and
// weight statistics for the Inspector.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/tensor_stats.h"
#include "core/test_util.h"
#include "onnx/onnx_io.h"
#include "quant/plan.h"
#include "workflow/pipeline.h"

namespace lowbit {
namespace {

TEST(ResolveLayers, DefaultsThenRulesLaterWins) {
    ir::Model m = test::make_small_cnn();
    quant::QuantSettings s;
    s.weight_bits = 8;
    auto layers = quant::resolve_layers(m, s);
    ASSERT_EQ(layers.size(), 2u);
    EXPECT_EQ(layers[0].precision, quant::Precision::kInt);
    EXPECT_EQ(layers[0].weight_bits, 8);
    EXPECT_EQ(layers[0].rule, "default");

    const std::string conv = m.graph.node(layers[0].node).name;
    quant::LayerRule a;
    a.pattern = conv;
    a.weight_bits = 4;
    a.origin = "first";
    quant::LayerRule b;
    b.pattern = conv;
    b.precision = quant::Precision::kFp16;
    b.origin = "second";
    s.rules = {a, b};
    layers = quant::resolve_layers(m, s);
    EXPECT_EQ(layers[0].precision, quant::Precision::kFp16);
    EXPECT_EQ(layers[0].weight_bits, 4);
    EXPECT_EQ(layers[0].rule, "second");
    EXPECT_EQ(layers[1].rule, "default");
}

TEST(TensorStats, MomentsAndChannelRanges) {
    ir::Tensor t = ir::Tensor::from_floats("w", {2, 3}, {1, 2, 3, -4, 0, 4});
    auto s = analysis::tensor_stats(t, 0);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->count, 6u);
    EXPECT_DOUBLE_EQ(s->min, -4);
    EXPECT_DOUBLE_EQ(s->max, 4);
    EXPECT_NEAR(s->mean, 1.0, 1e-12);
    EXPECT_NEAR(s->stddev, std::sqrt(46.0 / 6.0 - 1.0), 1e-12);
    ASSERT_EQ(s->channel_min.size(), 2u);
    EXPECT_DOUBLE_EQ(s->channel_min[0], 1);
    EXPECT_DOUBLE_EQ(s->channel_max[0], 3);
    EXPECT_DOUBLE_EQ(s->channel_min[1], -4);
    EXPECT_DOUBLE_EQ(s->channel_max[1], 4);
    auto last = analysis::tensor_stats(t, -1);
    ASSERT_TRUE(last);
    ASSERT_EQ(last->channel_min.size(), 3u);
    EXPECT_DOUBLE_EQ(last->channel_min[0], -4);
    EXPECT_DOUBLE_EQ(last->channel_max[2], 4);
    EXPECT_FALSE(analysis::tensor_stats(ir::Tensor::from_floats("e", {0}, {})));
}

// The studio's split of the pipeline: calibrate once, re-plan from the stored table, and agree with
// run_quantize; write only the outputs chosen.
TEST(StudioStages, RequantizeFromTheStoredTableMatchesTheWholeRun) {
    const std::filesystem::path src(LOWBIT_SOURCE_DIR);
    workflow::Recipe recipe;
    recipe.data.path = src / "examples/data/fashion_mnist_test_64.npy";
    recipe.num_samples = 64;
    recipe.error_samples = 16;
    auto model = onnx_io::load_model(src / "examples/models/cnn.onnx");
    ASSERT_TRUE(model.is_ok()) << model.status().message();
    int reports = 0;
    auto calibrated =
        workflow::calibrate_model(*model, "cnn.onnx", recipe, [&](double, const std::string&) { ++reports; });
    ASSERT_TRUE(calibrated.is_ok()) << calibrated.status().message();
    EXPECT_GT(reports, 0);
    EXPECT_EQ(calibrated->table.samples, 64);
    auto cal = std::make_shared<const workflow::Calibrated>(std::move(*calibrated));
    auto shared_model = std::make_shared<const ir::Model>(*model);
    auto from_stored = [&](const workflow::Recipe& r) {
        workflow::QuantizeJob j;
        j.model = shared_model;
        j.model_name = "cnn.onnx";
        j.recipe = r;
        j.calibration = cal;
        return workflow::run_quantize(j);
    };
    auto staged = from_stored(recipe);
    ASSERT_TRUE(staged.is_ok()) << staged.status().message();
    workflow::QuantizeJob job;
    job.model_path = src / "examples/models/cnn.onnx";
    job.recipe = recipe;
    auto whole = workflow::run_quantize(job);
    ASSERT_TRUE(whole.is_ok()) << whole.status().message();
    ASSERT_EQ(staged->plan.activations.size(), whole->plan.activations.size());
    for (const auto& [name, t] : whole->plan.activations)
        EXPECT_EQ(staged->plan.activations.at(name).params, t.params) << name;
    EXPECT_EQ(staged->errors.size(), whole->errors.size());
    EXPECT_EQ(staged->size_after, whole->size_after);
    EXPECT_EQ(staged->calibration, cal);  // the stored calibration is shared, not copied
    EXPECT_EQ(staged->original, shared_model);

    // a per-layer change re-plans from the same table
    quant::LayerRule fp16;
    fp16.pattern = staged->plan.layers.front().name;
    fp16.precision = quant::Precision::kFp16;
    recipe.settings.rules = {fp16};
    auto edited = from_stored(recipe);
    ASSERT_TRUE(edited.is_ok()) << edited.status().message();
    EXPECT_EQ(edited->plan.layers.front().precision, quant::Precision::kFp16);
    const auto macs = workflow::macs_by_precision(analysis::summarize(*model), edited->plan);
    EXPECT_GT(macs.at("FP16"), 0u);
    EXPECT_GT(macs.at("INT8"), 0u);

    // cancelled before it starts: a Cancelled status, no result
    CancelToken token;
    token.cancel();
    auto cancelled = workflow::calibrate_model(*model, "cnn.onnx", recipe, {}, &token);
    ASSERT_FALSE(cancelled.is_ok());
    EXPECT_EQ(cancelled.status().code(), StatusCode::kCancelled);

    // only the chosen outputs are written
    const auto dir = std::filesystem::temp_directory_path() / "lowbit_studio_stages";
    std::filesystem::remove_all(dir);
    auto paths =
        workflow::write_outputs(*edited, recipe, dir, workflow::OutputSelection{"qdq", false, false});
    ASSERT_TRUE(paths.is_ok()) << paths.status().message();
    ASSERT_EQ(paths->size(), 1u);
    EXPECT_TRUE(std::filesystem::exists(dir / "model_qdq.onnx"));
    EXPECT_FALSE(std::filesystem::exists(dir / "report.json"));
    EXPECT_TRUE(onnx_io::load_model(dir / "model_qdq.onnx").is_ok());
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lowbit
