// The YAML recipe: AMCT-style presets, rules in order, overrides, and errors with line and column.
#include <gtest/gtest.h>

#include "config/recipe.h"

namespace lowbit {
namespace {

std::filesystem::path source(const std::string& rel) { return std::filesystem::path(LOWBIT_SOURCE_DIR) / rel; }

Result<config::Recipe> parse(const std::string& text, std::vector<std::string> overrides = {}) {
    return config::parse_recipe(text, "c.yaml", "/base", overrides);
}

TEST(Config, ShippedPresetsLoad) {
    auto edge = config::load_recipe(source("examples/configs/edge.yaml"));
    ASSERT_TRUE(edge.is_ok()) << edge.status().message();
    EXPECT_EQ(edge->method, "static");
    EXPECT_EQ(edge->num_samples, 200);
    EXPECT_EQ(edge->batch_size, 8);
    ASSERT_EQ(edge->settings.rules.size(), 2u);
    EXPECT_EQ(edge->settings.rules[0].precision, quant::Precision::kFp16);
    // prune is accepted and said to be ignored
    bool warned = false;
    for (const auto& w : edge->warnings) warned |= w.find("prune") != std::string::npos;
    EXPECT_TRUE(warned);
    auto hp = config::load_recipe(source("examples/configs/high_perf.yaml"));
    ASSERT_TRUE(hp.is_ok()) << hp.status().message();
    EXPECT_EQ(hp->method, "mixed_precision");
    EXPECT_EQ(hp->settings.algorithm, quant::Algorithm::kMse);
    ASSERT_EQ(hp->settings.rules.size(), 3u);
    EXPECT_EQ(hp->settings.rules[0].precision, quant::Precision::kFp16);  // 16 means FP16, as in AMCT's preset
    EXPECT_EQ(hp->settings.rules[1].match, quant::LayerRule::Match::kGlob);
    EXPECT_EQ(*hp->settings.rules[2].act_bits, 16);
    EXPECT_FALSE(hp->warnings.empty());  // enable_buffer_optimization has no effect
    EXPECT_TRUE(config::load_recipe(source("examples/configs/fashion_mnist.yaml")).is_ok());
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

}  // namespace
}  // namespace lowbit
