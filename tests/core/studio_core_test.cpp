// Core helpers the studio relies on: resolved layer settings (defaults then rules, as build_plan) and
// weight statistics for the Inspector.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/tensor_stats.h"
#include "core/test_util.h"
#include "quant/plan.h"

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

}  // namespace
}  // namespace lowbit
