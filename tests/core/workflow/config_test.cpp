// The YAML recipe: AMCT-style presets, rules in order, overrides, and errors with line and column.
#include <gtest/gtest.h>

#include "workflow/recipe.h"

namespace lowbit {
namespace {

std::filesystem::path source(const std::string& rel) {
    return std::filesystem::path(LOWBIT_SOURCE_DIR) / rel;
}

Result<workflow::Recipe> parse(const std::string& text, std::vector<std::string> overrides = {}) {
    return workflow::parse_recipe(text, "c.yaml", "/base", overrides);
}

TEST(Config, ShippedPresetsLoad) {
    auto edge = workflow::load_recipe(source("examples/configs/edge.yaml"));
    ASSERT_TRUE(edge.is_ok()) << edge.status().message();
    EXPECT_EQ(edge->method, "static");
    EXPECT_EQ(edge->num_samples, 200);
    EXPECT_EQ(edge->batch_size, 8);
    ASSERT_EQ(edge->settings.rules.size(), 2u);
    EXPECT_EQ(edge->settings.rules[0].precision, quant::Precision::kFp16);
    // prune is accepted and said to be ignored
    bool warned = false;
    for (const auto& w : edge->warnings)
        warned |= w.find("prune") != std::string::npos;
    EXPECT_TRUE(warned);
    auto hp = workflow::load_recipe(source("examples/configs/high_perf.yaml"));
    ASSERT_TRUE(hp.is_ok()) << hp.status().message();
    EXPECT_EQ(hp->method, "mixed_precision");
    EXPECT_EQ(hp->settings.algorithm, quant::Algorithm::kMse);
    ASSERT_EQ(hp->settings.rules.size(), 3u);
    EXPECT_EQ(hp->settings.rules[0].precision,
              quant::Precision::kFp16);  // 16 means FP16, as in AMCT's preset
    EXPECT_EQ(hp->settings.rules[1].match, quant::LayerRule::Match::kGlob);
    EXPECT_EQ(*hp->settings.rules[2].act_bits, 16);
    EXPECT_FALSE(hp->warnings.empty());  // enable_buffer_optimization has no effect
    EXPECT_TRUE(workflow::load_recipe(source("examples/configs/fashion_mnist.yaml")).is_ok());
}

TEST(Config, SensitivePrecisionAppliesWhereverItIsWritten) {
    auto r = parse("quantize:\n  sensitive_layers: [a, 'b*']\n  sensitive_layers_precision: 32\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    ASSERT_EQ(r->settings.rules.size(), 2u);
    EXPECT_EQ(r->settings.rules[0].precision, quant::Precision::kFp32);
    EXPECT_EQ(r->settings.rules[1].match, quant::LayerRule::Match::kGlob);
    EXPECT_NE(r->settings.rules[0].origin.find("c.yaml:2:"), std::string::npos);
}

TEST(Config, RulesKeepDocumentOrderAndKinds) {
    auto r = parse(
        "quantize:\n"
        "  op_type_precision: {Gemm: fp16}\n"
        "  layer_precision:\n"
        "    'layer4.*': {weight_bit: 4}\n"
        "  rules:\n"
        "    - {op_type: Conv, activation_bit: 16, algorithm: kl}\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    const auto& rules = r->settings.rules;
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].match, quant::LayerRule::Match::kOpType);
    EXPECT_EQ(rules[1].pattern, "layer4.*");
    EXPECT_EQ(*rules[1].weight_bits, 4);
    EXPECT_EQ(*rules[2].algorithm, quant::Algorithm::kKl);
}

TEST(Config, BalancingKeys) {
    auto r = parse("advanced:\n  dmq_balancer: {migration_strength: 0.3}\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_TRUE(r->dmq_balancer);
    EXPECT_DOUBLE_EQ(r->migration_strength, 0.3);
    EXPECT_TRUE(r->depthwise_equalization);  // on by default
    EXPECT_TRUE(r->warnings.empty());
    r = parse("advanced:\n  dmq_balancer: true\n  depthwise_equalization: false\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_TRUE(r->dmq_balancer);
    EXPECT_DOUBLE_EQ(r->migration_strength, 0.5);
    EXPECT_FALSE(r->depthwise_equalization);
    EXPECT_EQ(r->bias_correction, quant::BiasCorrectionMode::kAuto);  // INT4 layers by default
    r = parse("advanced:\n  bias_correction: true\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->bias_correction, quant::BiasCorrectionMode::kOn);
    r = parse("advanced:\n  bias_correction: false\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->bias_correction, quant::BiasCorrectionMode::kOff);
    EXPECT_TRUE(r->warnings.empty());  // implemented: no "accepted but ignored" warning
    EXPECT_EQ(r->weight_rounding, quant::WeightRounding::kAuto);  // GPTQ for INT4 layers by default
    r = parse("advanced:\n  weight_rounding: gptq\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->weight_rounding, quant::WeightRounding::kGptq);
    r = parse("advanced:\n  weight_rounding: nearest\n");
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->weight_rounding, quant::WeightRounding::kNearest);
}

TEST(Config, OverridesWinAndPathsResolve) {
    auto r = parse("calibration:\n  algorithm: minmax\n  data: {path: calib.npy}\n",
                   {"calibration.algorithm=ifmr", "quantize.weight_bit=4", "calibration.data.seed=7"});
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->settings.algorithm, quant::Algorithm::kIfmr);
    EXPECT_EQ(r->settings.weight_bits, 4);
    EXPECT_EQ(r->data.seed, 7u);
    EXPECT_EQ(r->data.path, std::filesystem::path("/base/calib.npy"));
    EXPECT_FALSE(parse("{}", {"nonsense"}).is_ok());
}

TEST(Config, ErrorsNameLineAndColumn) {
    struct Case {
        std::string yaml, expect;
    };
    const std::vector<Case> cases = {
        {"quantize:\n  weight_bits: 8\n", "c.yaml:2:3: unknown key 'quantize.weight_bits'"},
        {"quantize:\n  weight_bit: eight\n", "c.yaml:2:15: quantize.weight_bit must be an integer"},
        {"quantize:\n  activation_bit: 4\n", "c.yaml:2:19: quantize.activation_bit must be 8 or 16"},
        {"quantize:\n  weight_bit: 1\n", "quantize.weight_bit must be 2 to 16"},
        {"calibration:\n  algorithm: magic\n", "c.yaml:2:14: calibration.algorithm must be one of"},
        {"calibration:\n  search_range: [1.3, 0.7]\n", "search_range needs 0 < start < end"},
        {"calibration:\n  num_samples: -5\n", "calibration.num_samples must be 1 to"},
        {"quantize:\n  layer_precision: {conv1: 12}\n", "'12' is not a precision"},
        {"quantize:\n  method: dynamic\n", "not implemented yet"},
        {"preprocess:\n  std: 0\n", "std must not be 0"},
        {"advanced:\n  dmq_balancer: {migration_strength: 0.9}\n",
         "c.yaml:2:38: advanced.dmq_balancer.migration_strength must be in [0.2, 0.8]"},
        {"advanced:\n  dmq_balancer: {strength: 0.5}\n", "unknown key 'advanced.dmq_balancer.strength'"},
        {"advanced:\n  depthwise_equalization: maybe\n",
         "advanced.depthwise_equalization must be true or false"},
        {"advanced:\n  bias_correction: {rounds: 2}\n",
         "advanced.bias_correction must be true, false or auto"},
        {"advanced:\n  weight_rounding: adaround\n",
         "c.yaml:2:20: advanced.weight_rounding must be one of auto, gptq, nearest, not 'adaround'"},
        {"foo: 1\n", "c.yaml:1:1: unknown key 'foo'"},
        {"quantize: [1, 2\n", "c.yaml:"},
        {"quantize: 5\n", "quantize must be a mapping"},
    };
    for (const auto& c : cases) {
        auto r = parse(c.yaml);
        ASSERT_FALSE(r.is_ok()) << c.yaml;
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
        EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << "got: " << r.status().message();
    }
}

// A project file is the recipe written back as YAML: every field survives parse(recipe_to_yaml(r)).
void expect_same_recipe(const workflow::Recipe& a, const workflow::Recipe& b) {
    EXPECT_EQ(a.model, b.model);
    EXPECT_EQ(a.method, b.method);
    const auto &s = a.settings, &t = b.settings;
    EXPECT_EQ(s.weight_bits, t.weight_bits);
    EXPECT_EQ(s.act_bits, t.act_bits);
    EXPECT_EQ(s.per_channel, t.per_channel);
    EXPECT_EQ(s.symmetric_activations, t.symmetric_activations);
    EXPECT_EQ(s.algorithm, t.algorithm);
    EXPECT_EQ(s.weight_algorithm, t.weight_algorithm);
    EXPECT_EQ(s.weight_only, t.weight_only);
    EXPECT_DOUBLE_EQ(s.params.percentile, t.params.percentile);
    EXPECT_DOUBLE_EQ(s.params.max_percentile, t.params.max_percentile);
    EXPECT_DOUBLE_EQ(s.params.min_percentile, t.params.min_percentile);
    EXPECT_DOUBLE_EQ(s.params.search_start, t.params.search_start);
    EXPECT_DOUBLE_EQ(s.params.search_end, t.params.search_end);
    EXPECT_DOUBLE_EQ(s.params.search_step, t.params.search_step);
    ASSERT_EQ(s.rules.size(), t.rules.size());
    for (size_t i = 0; i < s.rules.size(); ++i) {
        EXPECT_EQ(s.rules[i].match, t.rules[i].match) << i;
        EXPECT_EQ(s.rules[i].pattern, t.rules[i].pattern) << i;
        EXPECT_EQ(s.rules[i].precision, t.rules[i].precision) << i;
        EXPECT_EQ(s.rules[i].weight_bits, t.rules[i].weight_bits) << i;
        EXPECT_EQ(s.rules[i].act_bits, t.rules[i].act_bits) << i;
        EXPECT_EQ(s.rules[i].algorithm, t.rules[i].algorithm) << i;
    }
    EXPECT_EQ(a.sensitive_precision, b.sensitive_precision);
    EXPECT_EQ(a.num_samples, b.num_samples);
    EXPECT_EQ(a.batch_size, b.batch_size);
    EXPECT_EQ(a.num_bins, b.num_bins);
    EXPECT_EQ(a.error_samples, b.error_samples);
    EXPECT_EQ(a.data.path, b.data.path);
    EXPECT_EQ(a.data.kind, b.data.kind);
    EXPECT_EQ(a.data.npz_array, b.data.npz_array);
    EXPECT_EQ(a.data.bin_shape, b.data.bin_shape);
    EXPECT_EQ(a.data.selection, b.data.selection);
    EXPECT_EQ(a.data.seed, b.data.seed);
    EXPECT_EQ(a.data.image.resize, b.data.image.resize);
    EXPECT_EQ(a.data.image.crop_height, b.data.image.crop_height);
    EXPECT_EQ(a.data.image.crop_width, b.data.image.crop_width);
    EXPECT_EQ(a.data.preprocess.scale, b.data.preprocess.scale);
    EXPECT_EQ(a.data.preprocess.mean, b.data.preprocess.mean);
    EXPECT_EQ(a.data.preprocess.std, b.data.preprocess.std);
    EXPECT_EQ(a.data.preprocess.channel_order, b.data.preprocess.channel_order);
    EXPECT_EQ(a.data.preprocess.layout, b.data.preprocess.layout);
    EXPECT_EQ(a.fold_batchnorm, b.fold_batchnorm);
    EXPECT_EQ(a.depthwise_equalization, b.depthwise_equalization);
    EXPECT_EQ(a.bias_correction, b.bias_correction);
    EXPECT_EQ(a.weight_rounding, b.weight_rounding);
    EXPECT_EQ(a.dmq_balancer, b.dmq_balancer);
    EXPECT_DOUBLE_EQ(a.migration_strength, b.migration_strength);
    EXPECT_EQ(a.threads, b.threads);
    EXPECT_EQ(a.eval.data, b.eval.data);
    EXPECT_EQ(a.eval.labels, b.eval.labels);
    EXPECT_EQ(a.eval.num_samples, b.eval.num_samples);
}

TEST(Config, RecipeToYamlRoundTrips) {
    workflow::Recipe r;
    r.model = "/base/models/cnn.onnx";
    r.method = "mixed_precision";
    r.settings.weight_bits = 4;
    r.settings.act_bits = 16;
    r.settings.per_channel = false;
    r.settings.symmetric_activations = true;
    r.settings.algorithm = quant::Algorithm::kIfmr;
    r.settings.weight_algorithm = quant::WeightAlgorithm::kMse;
    r.settings.params.percentile = 99.9;
    r.settings.params.search_start = 0.75;
    r.settings.params.search_end = 1.25;
    r.settings.params.search_step = 0.005;
    r.sensitive_precision = quant::Precision::kFp32;
    quant::LayerRule fp16;
    fp16.pattern = "conv1";
    fp16.weight_bits = 4;  // edited to INT4 first, then kept in FP16: both fields survive
    fp16.precision = quant::Precision::kFp16;
    quant::LayerRule glob;
    glob.match = quant::LayerRule::Match::kGlob;
    glob.pattern = "layer4.*";
    glob.precision = quant::Precision::kInt;
    glob.weight_bits = 4;
    glob.act_bits = 16;
    glob.algorithm = quant::Algorithm::kKl;
    quant::LayerRule op;
    op.match = quant::LayerRule::Match::kOpType;
    op.pattern = "Gemm";
    op.precision = quant::Precision::kFp32;
    r.settings.rules = {fp16, glob, op};
    r.num_samples = 100;
    r.batch_size = 8;
    r.num_bins = 1024;
    r.error_samples = 16;
    r.data.path = "/base/data/calib.npz";
    r.data.kind = "npz";
    r.data.npz_array = "x";
    r.data.bin_shape = {1, 28, 28};
    r.data.selection = "representative";
    r.data.seed = 7;
    r.data.image.resize = 256;
    r.data.image.crop_height = 224;
    r.data.image.crop_width = 200;
    r.data.preprocess.scale = 1.0f / 255.0f;
    r.data.preprocess.mean = {0.485f, 0.456f, 0.406f};
    r.data.preprocess.std = {0.229f, 0.224f, 0.225f};
    r.data.preprocess.channel_order = "bgr";
    r.data.preprocess.layout = "NHWC";
    r.fold_batchnorm = false;
    r.depthwise_equalization = false;
    r.dmq_balancer = true;
    r.migration_strength = 0.3;
    r.bias_correction = quant::BiasCorrectionMode::kOff;
    r.weight_rounding = quant::WeightRounding::kGptq;
    r.threads = 2;
    r.eval.data = "/elsewhere/t10k-images.gz";
    r.eval.labels = "/elsewhere/t10k-labels.gz";
    r.eval.num_samples = 1000;

    const std::string yaml = workflow::recipe_to_yaml(r, "/base");
    EXPECT_NE(yaml.find("model: models/cnn.onnx"), std::string::npos) << yaml;  // relative under the base
    auto back = workflow::parse_recipe(yaml, "p.yaml", "/base");
    ASSERT_TRUE(back.is_ok()) << back.status().message() << "\n" << yaml;
    expect_same_recipe(r, *back);
    EXPECT_TRUE(back->warnings.empty());

    // the defaults, and a shipped preset, survive as well
    workflow::Recipe d;
    auto d2 = workflow::parse_recipe(workflow::recipe_to_yaml(d), "d.yaml", "/base");
    ASSERT_TRUE(d2.is_ok()) << d2.status().message();
    expect_same_recipe(d, *d2);
    auto hp = workflow::load_recipe(source("examples/configs/high_perf.yaml"));
    ASSERT_TRUE(hp.is_ok());
    auto hp2 = workflow::parse_recipe(workflow::recipe_to_yaml(*hp), "hp.yaml", "/");
    ASSERT_TRUE(hp2.is_ok()) << hp2.status().message();
    hp->warnings.clear();
    expect_same_recipe(*hp, *hp2);
}

}  // namespace
}  // namespace lowbit
