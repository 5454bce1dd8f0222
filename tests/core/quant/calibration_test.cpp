// Calibrator, per-layer error and the quantize pipeline on the example CNN with the bundled 64 test images.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "analysis/layer_error.h"
#include "core/test_util.h"
#include "onnx/onnx_io.h"
#include "quant/observer.h"
#include "quant/simulate.h"
#include "workflow/pipeline.h"

namespace lowbit {
namespace {

std::filesystem::path source(const std::string& rel) {
    return std::filesystem::path(LOWBIT_SOURCE_DIR) / rel;
}

workflow::Recipe example_recipe() {
    auto r = workflow::parse_recipe(
        "calibration:\n  batch_size: 16\n  num_samples: 64\n  data: {path: " +
            source("examples/data/fashion_mnist_test_64.npy").string() +
            "}\npreprocess: {scale: 0.00392156862745098, mean: 0.2860, std: 0.3530, channel_order: gray}\n",
        "test", "/");
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return *r;
}

struct Fixture {
    workflow::Prepared prepared;
    std::unique_ptr<data::DataSource> source;
};

Fixture load(const std::string& model, const workflow::Recipe& recipe) {
    auto m = onnx_io::load_model(source("examples/models/" + model));
    EXPECT_TRUE(m.is_ok());
    auto p = workflow::prepare(*m, recipe);
    EXPECT_TRUE(p.is_ok());
    auto s = workflow::open_calibration_data(p->model, recipe);
    EXPECT_TRUE(s.is_ok()) << s.status().message();
    return {std::move(*p), std::move(*s)};
}

TEST(Calibrator, ObservesEveryFloatTensorAndReportsProgress) {
    workflow::Recipe recipe = example_recipe();
    Fixture f = load("cnn.onnx", recipe);
    ASSERT_EQ(f.source->size(), 64);
    std::vector<double> fractions;
    quant::CalibrateOptions co;
    co.batch_size = 16;
    co.progress = [&](double x, const std::string&) { fractions.push_back(x); };
    auto table = quant::calibrate(f.prepared.model, *f.source, co);
    ASSERT_TRUE(table.is_ok()) << table.status().message();
    EXPECT_EQ(table->samples, 64);
    EXPECT_EQ(fractions.size(), 4u);
    EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
    EXPECT_EQ(table->tensors.at("input").count(), 64 * 28 * 28);
    // every layer's input and output has statistics
    for (const auto& l : quant::find_layers(f.prepared.model)) {
        EXPECT_TRUE(table->tensors.count(l.output)) << l.output;
        for (const auto& in : l.inputs)
            EXPECT_TRUE(table->tensors.count(in)) << in;
    }
    // the first Conv's input is the normalised image: min/max of (x/255 - 0.286)/0.353
    EXPECT_NEAR(table->tensors.at("input").min(), -0.286 / 0.353, 1e-5);
}

// Fashion-MNIST's uniform background gives each channel of the MobileNetV2 stem a spike. KL alone keeps
// the spikes sharp and clips the tail (a tenth of the values); kl_keep bounds what it may clip.
TEST(Calibrator, KlKeepsTheTailOfSpikyActivations) {
    workflow::Recipe recipe = example_recipe();
    Fixture f = load("mobilenetv2.onnx", recipe);
    quant::CalibrateOptions co;
    auto table = quant::calibrate(f.prepared.model, *f.source, co);
    ASSERT_TRUE(table.is_ok());
    const auto& obs = table->tensors.at("/0/0.2/Clip_output_0");
    quant::AlgorithmParams p;
    p.kl_keep = 0.0;  // TensorRT's unconstrained search
    auto [lo0, hi0] = quant::choose_range(obs, quant::QuantSpec{}, quant::Algorithm::kKl, p);
    EXPECT_LT(hi0, 3.0f);
    p.kl_keep = 0.999;
    auto [lo, hi] = quant::choose_range(obs, quant::QuantSpec{}, quant::Algorithm::kKl, p);
    EXPECT_GT(hi, 3.5f);
    EXPECT_GE(hi, obs.quantile(0.999) - 0.01);
    (void)lo0, (void)lo;
}

TEST(Calibrator, CancelStopsBetweenBatches) {
    workflow::Recipe recipe = example_recipe();
    Fixture f = load("cnn.onnx", recipe);
    CancelToken cancel;
    quant::CalibrateOptions co;
    co.batch_size = 16;
    co.cancel = &cancel;
    int batches = 0;
    co.progress = [&](double, const std::string&) {
        if (++batches == 1) cancel.cancel();
    };
    auto table = quant::calibrate(f.prepared.model, *f.source, co);
    ASSERT_FALSE(table.is_ok());
    EXPECT_EQ(table.status().code(), StatusCode::kCancelled);
    EXPECT_EQ(batches, 1);
}

TEST(LayerError, IsolatedEqualsAccumulatedForTheFirstLayerAndStaysHighOnW8A8) {
    workflow::Recipe recipe = example_recipe();
    Fixture f = load("resnet.onnx", recipe);
    quant::CalibrateOptions co;
    auto table = quant::calibrate(f.prepared.model, *f.source, co);
    ASSERT_TRUE(table.is_ok());
    auto plan = quant::build_plan(f.prepared.model, *table, recipe.settings);
    ASSERT_TRUE(plan.is_ok());
    analysis::ErrorOptions eo;
    eo.num_samples = 32;
    auto sim = quant::simulate(f.prepared.model, *plan);
    ASSERT_TRUE(sim.is_ok());
    auto errors = analysis::layer_errors(f.prepared.model, sim->model, *plan, *f.source, eo);
    ASSERT_TRUE(errors.is_ok()) << errors.status().message();
    ASSERT_EQ(errors->size(), plan->layers.size());
    const auto& first = (*errors)[0];
    EXPECT_EQ(first.accumulated.count, first.isolated.count);
    EXPECT_DOUBLE_EQ(first.accumulated.sqnr_db(),
                     first.isolated.sqnr_db());  // nothing upstream to accumulate
    for (const auto& e : *errors) {
        EXPECT_GT(e.accumulated.cosine(), 0.99) << e.layer;
        EXPECT_GT(e.isolated.sqnr_db(), 20.0) << e.layer;
        EXPECT_GE(e.isolated.sqnr_db() + 1e-9, e.accumulated.sqnr_db() - 3.0)
            << e.layer;  // isolation removes upstream error
    }
    // a layer kept at FP32 has no isolated error and less accumulated error downstream of it is not claimed
    quant::QuantSettings s = recipe.settings;
    s.rules.push_back(
        {quant::LayerRule::Match::kName, plan->layers[0].name, quant::Precision::kFp32, {}, {}, {}, "keep"});
    auto plan2 = quant::build_plan(f.prepared.model, *table, s);
    ASSERT_TRUE(plan2.is_ok());
    auto sim2 = quant::simulate(f.prepared.model, *plan2);
    ASSERT_TRUE(sim2.is_ok());
    auto errors2 = analysis::layer_errors(f.prepared.model, sim2->model, *plan2, *f.source, eo);
    ASSERT_TRUE(errors2.is_ok());
    EXPECT_EQ((*errors2)[0].isolated.count, 0);
    EXPECT_EQ((*errors2)[0].accumulated.sqnr_db(), 200.0);  // identical to FP32
}

TEST(LayerError, SumsRunOnAcrossChunksToTheBit) {
    // a batch compared in parts gives the sums of the whole batch, bit for bit
    std::vector<float> a(1000), b(1000);
    for (size_t i = 0; i < a.size(); ++i)
        a[i] = std::sin(0.37f * static_cast<float>(i)) * 3.0f,
        b[i] = a[i] + 1e-3f * std::cos(static_cast<float>(i));
    analysis::ErrorStats whole, parts;
    whole.add(a.data(), b.data(), 1000);
    whole.add(a.data(), b.data(), 1000);
    parts.add(a.data(), b.data(), 1000);
    analysis::ErrorStats::Part p;
    p.mx = parts.max_abs;
    const size_t cuts[] = {0, 7, 300, 999, 1000};
    for (size_t k = 0; k + 1 < std::size(cuts); ++k)
        p.add(a.data() + cuts[k], b.data() + cuts[k], static_cast<int64_t>(cuts[k + 1] - cuts[k]));
    parts.add(p);
    EXPECT_EQ(std::memcmp(&whole, &parts, sizeof whole), 0);
}

TEST(LayerError, AMemoryBudgetSplitsBatchesIntoChunks) {
    workflow::Recipe recipe = example_recipe();
    Fixture f = load("cnn.onnx", recipe);
    quant::CalibrateOptions co;
    auto table = quant::calibrate(f.prepared.model, *f.source, co);
    ASSERT_TRUE(table.is_ok());
    auto plan = quant::build_plan(f.prepared.model, *table, recipe.settings);
    ASSERT_TRUE(plan.is_ok());
    analysis::ErrorOptions whole;
    whole.num_samples = 24;
    whole.batch_size = 16;
    whole.memory_budget = 0;
    analysis::ErrorOptions chunked = whole;
    chunked.memory_budget = 1;  // less than one sample: chunks of one
    auto sim = quant::simulate(f.prepared.model, *plan);
    ASSERT_TRUE(sim.is_ok());
    auto a = analysis::layer_errors(f.prepared.model, sim->model, *plan, *f.source, whole);
    auto b = analysis::layer_errors(f.prepared.model, sim->model, *plan, *f.source, chunked);
    ASSERT_TRUE(a.is_ok() && b.is_ok()) << b.status().message();
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
        const auto &x = (*a)[i], &y = (*b)[i];
        EXPECT_EQ(x.accumulated.count, y.accumulated.count) << x.layer;
        EXPECT_EQ(x.isolated.count, y.isolated.count) << x.layer;
        // the kernels may round differently for one sample than for sixteen: the figures agree closely
        EXPECT_NEAR(x.accumulated.sqnr_db(), y.accumulated.sqnr_db(), 1e-3) << x.layer;
        EXPECT_NEAR(x.isolated.sqnr_db(), y.isolated.sqnr_db(), 1e-3) << x.layer;
    }
}

TEST(Pipeline, WritesAllOutputsAndRequantizesFromTheTable) {
    test::TempDir dir;
    workflow::Recipe recipe = example_recipe();
    workflow::QuantizeJob job;
    job.model_path = source("examples/models/cnn.onnx");
    job.recipe = recipe;
    auto r = workflow::run_quantize(job);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    ASSERT_TRUE(workflow::write_outputs(*r, recipe, dir.path()).is_ok());
    for (const char* f : {"model_qdq.onnx", "calibration.json", "report.json"})
        EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
    EXPECT_LT(r->size_after * 3, r->size_before);  // INT8 weights: well under a third of FP32
    // the same settings from the saved table give the same plan without any data
    workflow::QuantizeJob again = job;
    again.table = dir / "calibration.json";
    again.recipe.data.path.clear();
    again.recipe.error_samples = 0;
    auto r2 = workflow::run_quantize(again);
    ASSERT_TRUE(r2.is_ok()) << r2.status().message();
    ASSERT_EQ(r2->plan.activations.size(), r->plan.activations.size());
    for (const auto& [name, t] : r->plan.activations)
        EXPECT_EQ(r2->plan.activations.at(name).params, t.params) << name;
    for (const auto& [name, t] : r->plan.weights)
        EXPECT_EQ(r2->plan.weights.at(name).params, t.params) << name;
    // a table from another model is refused
    workflow::QuantizeJob other = again;
    other.model_path = source("examples/models/resnet.onnx");
    auto r3 = workflow::run_quantize(other);
    ASSERT_FALSE(r3.is_ok());
    EXPECT_NE(r3.status().message().find("another model"), std::string::npos);
}

// The simulation is built once per run and shared by the per-layer error, the stages and the export; the
// one-layer models of the isolated error and bias correction are built apart.
TEST(Pipeline, BuildsTheWholeModelSimulationOncePerRun) {
    workflow::Recipe recipe = example_recipe();
    recipe.bias_correction = quant::BiasCorrectionMode::kOn;
    recipe.error_samples = 16;
    workflow::QuantizeJob job;
    job.model_path = source("examples/models/cnn.onnx");
    job.recipe = recipe;
    const quant::SimulationCounts before = quant::simulation_counts();
    auto r = workflow::run_quantize(job);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    const quant::SimulationCounts after = quant::simulation_counts();
    EXPECT_EQ(after.models - before.models, 1);
    EXPECT_GE(after.layers - before.layers,
              static_cast<int64_t>(r->plan.layers.size()));  // isolated error + bias correction
    EXPECT_FALSE(r->plan.bias_corrections.empty());
    test::TempDir dir;
    ASSERT_TRUE(workflow::write_outputs(*r, recipe, dir.path()).is_ok());
    EXPECT_EQ(quant::simulation_counts().models, after.models);  // writing builds nothing again
    EXPECT_EQ(std::filesystem::file_size(dir / "model_qdq.onnx"), r->size_after);
}

}  // namespace
}  // namespace lowbit
