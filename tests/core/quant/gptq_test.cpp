// GPTQ weight rounding (quant/gptq.h): on one matrix against nearest rounding and the exhaustive optimum of
// the same objective; on a model, each layer alone (grouped strided Conv, Gemm with a [K, N] weight, MatMul)
// gives outputs closer to the float layer's than with nearest rounding, on its float input; the exporter
// stores the integers and refuses ones off the grid.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <random>

#include "core/test_util.h"
#include "quant/calibrator.h"
#include "quant/gptq.h"
#include "quant/plan.h"
#include "quant/simulate.h"
#include "runtime/capture.h"

namespace lowbit {
namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// sum over rows of (w - q) H (w - q)^T: the output error the rounding causes on inputs with second moment H.
double objective(const std::vector<float>& w, const std::vector<int32_t>& q, const std::vector<float>& scale,
                 int64_t rows, int64_t cols, const MatD& h) {
    double total = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        Eigen::VectorXd d(cols);
        for (int64_t c = 0; c < cols; ++c)
            d(c) = w[static_cast<size_t>(r * cols + c)] -
                   static_cast<double>(q[static_cast<size_t>(r * cols + c)]) * scale[static_cast<size_t>(r)];
        total += d.dot(h * d);
    }
    return total;
}

TEST(Gptq, MatrixBeatsNearestAndComesNearTheOptimum) {
    std::mt19937 rng(5);
    std::normal_distribution<double> n01;
    const int64_t rows = 3, cols = 6, qmin = -8, qmax = 7;
    double sum_nearest = 0.0, sum_gptq = 0.0, sum_best = 0.0;
    for (int trial = 0; trial < 30; ++trial) {
        // correlated inputs: x = A z, so H = X X^T has large off-diagonal terms
        MatD a(cols, cols), z(cols, 200);
        for (int64_t i = 0; i < a.size(); ++i)
            a.data()[i] = n01(rng) + (i % (cols + 1) == 0 ? 2.0 : 0.0);
        for (int64_t i = 0; i < z.size(); ++i)
            z.data()[i] = n01(rng);
        const MatD x = a * z, h = x * x.transpose();
        std::vector<float> w(static_cast<size_t>(rows * cols)), scale(static_cast<size_t>(rows));
        for (auto& v : w)
            v = static_cast<float>(n01(rng));
        for (int64_t r = 0; r < rows; ++r) {
            float mx = 0.0f;
            for (int64_t c = 0; c < cols; ++c)
                mx = std::max(mx, std::fabs(w[static_cast<size_t>(r * cols + c)]));
            scale[static_cast<size_t>(r)] = mx / 7.0f;
        }
        const std::vector<int32_t> zp(static_cast<size_t>(rows), 0);
        auto q = quant::gptq_round_matrix(w, rows, cols, std::vector<double>(h.data(), h.data() + h.size()),
                                          scale, zp, qmin, qmax, 1e-6, true);
        ASSERT_TRUE(q.is_ok()) << q.status().message();
        for (int32_t v : *q)
            ASSERT_TRUE(v >= qmin && v <= qmax) << v;
        std::vector<int32_t> nearest(w.size()), best(w.size());
        for (size_t i = 0; i < w.size(); ++i)
            nearest[i] = quant::quantize_one(w[i], scale[i / cols], 0, qmin, qmax);
        // exhaustive: every row independently, each weight rounded down or up
        for (int64_t r = 0; r < rows; ++r) {
            double best_err = 1e300;
            for (int mask = 0; mask < (1 << cols); ++mask) {
                std::vector<int32_t> cand = best;
                for (int64_t c = 0; c < cols; ++c) {
                    const size_t i = static_cast<size_t>(r * cols + c);
                    const double f = std::floor(w[i] / scale[static_cast<size_t>(r)]);
                    cand[i] = static_cast<int32_t>(std::clamp<double>(f + ((mask >> c) & 1), qmin, qmax));
                }
                std::vector<float> wr(w.begin() + r * cols, w.begin() + (r + 1) * cols);
                std::vector<int32_t> qr(cand.begin() + r * cols, cand.begin() + (r + 1) * cols);
                const double e = objective(wr, qr, {scale[static_cast<size_t>(r)]}, 1, cols, h);
                if (e < best_err) best_err = e, best = cand;
            }
        }
        sum_nearest += objective(w, nearest, scale, rows, cols, h);
        sum_gptq += objective(w, *q, scale, rows, cols, h);
        sum_best += objective(w, best, scale, rows, cols, h);
    }
    EXPECT_LE(sum_best, sum_gptq);
    EXPECT_LT(sum_gptq, 0.6 * sum_nearest)
        << "nearest " << sum_nearest << ", GPTQ " << sum_gptq << ", optimum " << sum_best;
    EXPECT_LT(sum_gptq, 1.5 * sum_best) << "GPTQ " << sum_gptq << ", optimum " << sum_best;
}

TEST(Gptq, OneColumnIsNearestRounding) {
    const std::vector<float> w = {0.26f, -0.74f, 0.5f};
    auto q = quant::gptq_round_matrix(w, 3, 1, {4.0}, {0.1f, 0.1f, 0.1f}, {0, 0, 0}, -8, 7, 0.01, true);
    ASSERT_TRUE(q.is_ok());
    EXPECT_EQ(*q, (std::vector<int32_t>{3, -7, 5}));  // 0.5 / 0.1 = 5 exactly; -7.4 -> -7
    EXPECT_FALSE(quant::gptq_round_matrix(w, 3, 1, {4.0, 1.0}, {0.1f}, {0}, -8, 7, 0.01, true).is_ok());
    // inputs with NaN: an error (the layer then keeps nearest rounding), never integers from NaN
    auto nan = quant::gptq_round_matrix({0.1f, 0.2f}, 1, 2, {1.0, std::nan(""), std::nan(""), 1.0}, {0.1f},
                                        {0}, -8, 7, 0.01, true);
    ASSERT_FALSE(nan.is_ok());
    EXPECT_NE(nan.status().message().find("NaN"), std::string::npos);
}

// x[N,4,9,9] -> Conv (6 filters, 2 groups, 3x3, stride 2, pad 1) -> Relu -> Flatten -> Gemm [150, 8] (no
// transB) -> Relu -> MatMul [8, 5] -> y
ir::Model make_model() {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat,
                           {ir::Dim::symbol("N"), ir::Dim::known(4), ir::Dim::known(9), ir::Dim::known(9)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(test::random_tensor({6, 2, 3, 3}, 41).to_ir("wc"));
    g.set_initializer(test::random_tensor({6}, 42, -0.1f, 0.1f).to_ir("bc"));
    g.set_initializer(test::random_tensor({150, 8}, 43, -0.2f, 0.2f).to_ir("wg"));
    g.set_initializer(test::random_tensor({8}, 44, -0.1f, 0.1f).to_ir("bg"));
    g.set_initializer(test::random_tensor({8, 5}, 45).to_ir("wm"));
    g.add_node({ir::kNoNode,
                "conv",
                "Conv",
                "",
                "",
                {"x", "wc", "bc"},
                {"c"},
                {ir::Attribute::make_int("group", 2), ir::Attribute::make_ints("strides", {2, 2}),
                 ir::Attribute::make_ints("pads", {1, 1, 1, 1})}});
    g.add_node({ir::kNoNode, "relu1", "Relu", "", "", {"c"}, {"r1"}, {}});
    g.add_node({ir::kNoNode, "flat", "Flatten", "", "", {"r1"}, {"f"}, {}});
    g.add_node({ir::kNoNode, "gemm", "Gemm", "", "", {"f", "wg", "bg"}, {"h"}, {}});
    g.add_node({ir::kNoNode, "relu2", "Relu", "", "", {"h"}, {"r2"}, {}});
    g.add_node({ir::kNoNode, "mm", "MatMul", "", "", {"r2", "wm"}, {"y"}, {}});
    return m;
}

// Images whose neighbouring pixels correlate, as in real inputs: the first two channels smooth, the other
// two (the Conv's second group) with a different pattern and scale, so each group has its own statistics.
runtime::Tensor smooth_images(int64_t n, uint32_t seed) {
    runtime::Tensor r = test::random_tensor({n, 4, 10, 10}, seed, 0.0f, 1.0f),
                    x(runtime::DataType::kFloat, {n, 4, 9, 9});
    for (int64_t i = 0; i < n * 4; ++i)
        for (int64_t y = 0; y < 9; ++y)
            for (int64_t v = 0; v < 9; ++v) {
                const float* p = r.data<float>() + i * 100 + y * 10 + v;
                x.data<float>()[i * 81 + y * 9 + v] =
                    i % 4 < 2 ? 0.25f * (p[0] + p[1] + p[10] + p[11]) : 2.0f * (p[0] - p[11]);
            }
    return x;
}

// Mean squared difference between the float layer's output and the layer alone with `plan`'s weights, both
// fed the float model's input to it.
double layer_error(const ir::Model& m, const quant::QuantPlan& plan, const quant::LayerPlan& l,
                   const runtime::Tensor& x) {
    const runtime::Tensor in = test::run_value(m, l.inputs[0], x);
    const std::string out = m.graph.node(l.node).outputs[0];
    const runtime::Tensor ref = test::run_value(m, out, x);
    auto [mini, ml] = quant::isolate_layer(m, l, false);
    quant::QuantPlan one = quant::restrict_to_layer(plan, l);
    one.layers[0] = ml;
    auto q = quant::simulate(mini, one);
    EXPECT_TRUE(q.is_ok()) << q.status().message();
    runtime::ValueCapture cap;
    EXPECT_TRUE(cap.init(q->model, {out}, 1).is_ok());
    EXPECT_TRUE(cap.run(in).is_ok());
    const runtime::Tensor& y = cap.values.at(out);
    double s = 0.0;
    for (int64_t i = 0; i < y.numel(); ++i)
        s += std::pow(static_cast<double>(y.data<float>()[i]) - ref.data<float>()[i], 2);
    return s / static_cast<double>(y.numel());
}

TEST(Gptq, EachLayerAloneIsCloserThanWithNearestRounding) {
    const ir::Model m = make_model();
    const runtime::Tensor x = smooth_images(400, 7);
    test::TensorSource src(x);
    quant::CalibrateOptions co;
    co.threads = 1;
    auto table = quant::calibrate(m, src, co);
    ASSERT_TRUE(table.is_ok()) << table.status().message();
    quant::QuantSettings s;
    s.weight_bits = 4;
    s.weight_only = true;  // the weights' rounding alone
    auto plan = quant::build_plan(m, *table, s);
    ASSERT_TRUE(plan.is_ok()) << plan.status().message();
    ASSERT_EQ(plan->layers.size(), 3u);
    for (const auto& l : plan->layers)
        EXPECT_TRUE(quant::gptq_supports(m.graph, *plan, l)) << l.name;
    quant::GptqOptions go;
    go.threads = 1;
    go.batch_size = 16;
    {
        // 100 samples are 2,500 Conv input vectors (18 inputs) and 100 MatMul ones (8 inputs), but too few
        // for the Gemm's 150 inputs: it keeps nearest rounding, and a note says why
        test::TensorSource few(smooth_images(100, 3));
        auto r = quant::gptq_round_weights(m, *plan, few, go);
        ASSERT_TRUE(r.is_ok()) << r.status().message();
        EXPECT_TRUE(r->weights.count("wc") && r->weights.count("wm"));
        EXPECT_FALSE(r->weights.count("wg"));
        ASSERT_EQ(r->notes.size(), 1u);
        EXPECT_NE(r->notes[0].find("gemm: GPTQ saw 100 input vectors for its 150 inputs"), std::string::npos)
            << r->notes[0];
    }
    go.memory_budget = 1;  // one layer per pass: the passes must add up like one
    auto r = quant::gptq_round_weights(m, *plan, src, go);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_TRUE(r->notes.empty());
    ASSERT_EQ(r->weights.size(), 3u);
    quant::QuantPlan rounded = *plan;
    rounded.rounded_weights = r->weights;
    for (const auto& l : plan->layers) {
        const auto& q = r->weights.at(l.weight);
        const auto& t = plan->weights.at(l.weight);
        const std::vector<int32_t> nearest =
            quant::quantize_values(m.graph.initializer(l.weight)->view<float>(),
                                   m.graph.initializer(l.weight)->dims, t.spec, t.params);
        ASSERT_EQ(q.size(), nearest.size());
        size_t moved = 0;
        for (size_t i = 0; i < q.size(); ++i) {
            EXPECT_TRUE(q[i] >= t.spec.qmin() && q[i] <= t.spec.qmax());
            moved += q[i] != nearest[i];
        }
        EXPECT_GT(moved, 0u) << l.name;
        // on held-out data too: the rounding fits the inputs' statistics, not these samples
        const runtime::Tensor test_x = smooth_images(32, 99);
        const double e_nearest = layer_error(m, *plan, l, test_x),
                     e_gptq = layer_error(m, rounded, l, test_x);
        EXPECT_LT(e_gptq, 0.9 * e_nearest) << l.name << ": nearest " << e_nearest << ", GPTQ " << e_gptq;
    }
    // every k-th input vector only (about 20 per input: 360 of the Conv's 10,000, 160 of the MatMul's 400):
    // still closer than nearest rounding
    go.max_columns = 20.0;
    go.min_vectors = 0;
    auto sparse = quant::gptq_round_weights(m, *plan, src, go);
    ASSERT_TRUE(sparse.is_ok()) << sparse.status().message();
    quant::QuantPlan sparse_plan = *plan;
    sparse_plan.rounded_weights = sparse->weights;
    EXPECT_NE(sparse->weights.at("wc"), r->weights.at("wc"));
    for (const auto& l : plan->layers) {
        const runtime::Tensor test_x = smooth_images(32, 99);
        EXPECT_LT(layer_error(m, sparse_plan, l, test_x), 0.9 * layer_error(m, *plan, l, test_x)) << l.name;
    }
    // the exporter refuses integers off the weight's grid or of the wrong count
    quant::QuantPlan bad = rounded;
    bad.rounded_weights["wm"][0] = 100;
    EXPECT_FALSE(quant::simulate(m, bad).is_ok());
    bad = rounded;
    bad.rounded_weights["wm"].pop_back();
    EXPECT_FALSE(quant::simulate(m, bad).is_ok());
}

}  // namespace
}  // namespace lowbit
