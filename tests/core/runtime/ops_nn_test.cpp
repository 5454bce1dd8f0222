// Unit tests of the nn kernels (conv, matrix products, pooling, resize, quantization) against naive
// reference loops on random inputs with fixed seeds, run through the executor on one-node models.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "runtime/executor.h"
#include "runtime/fusion.h"

namespace lowbit {
namespace {

using runtime::Shape;
using runtime::Tensor;

struct In {
    std::string name;
    Tensor value;
    bool constant = false;
};

ir::Attribute ints_attr(const std::string& name, std::vector<int64_t> v) {
    return ir::Attribute::make_ints(name, std::move(v));
}

// Runs a one-node model; constant inputs become initializers.
std::vector<Tensor> run_node(const std::string& op, const std::vector<In>& inputs,
                             std::vector<ir::Attribute> attrs, size_t outputs = 1, int64_t opset = 17,
                             int threads = 1) {
    ir::Model m;
    m.ir_version = 8;
    m.opset_imports = {{"", opset}};
    ir::Node n;
    n.name = "node";
    n.op_type = op;
    n.attributes = std::move(attrs);
    runtime::NamedTensors feed;
    for (const auto& in : inputs) {
        n.inputs.push_back(in.name);
        if (in.name.empty()) continue;
        if (in.constant) {
            m.graph.set_initializer(in.value.to_ir(in.name));
        } else {
            ir::ValueInfo v;
            v.name = in.name;
            v.has_type = true;
            v.elem_type = in.value.type();
            m.graph.inputs.push_back(v);
            feed.emplace_back(in.name, in.value);
        }
    }
    for (size_t k = 0; k < outputs; ++k) {
        n.outputs.push_back("y" + std::to_string(k));
        ir::ValueInfo v;
        v.name = n.outputs.back();
        m.graph.outputs.push_back(v);
    }
    m.graph.add_node(n);
    runtime::ExecutorOptions opt;
    opt.threads = threads;
    auto ex = runtime::Executor::create(m, opt);
    EXPECT_TRUE(ex) << ex.status().message();
    if (!ex) return {};
    auto out = (*ex)->run(feed);
    EXPECT_TRUE(out) << out.status().message();
    if (!out) return {};
    std::vector<Tensor> result;
    for (auto& [name, t] : *out)
        result.push_back(t);
    return result;
}

Tensor random_tensor(Shape shape, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(runtime::shape_numel(shape)));
    for (auto& x : v)
        x = dist(rng);
    return Tensor::from_floats(std::move(shape), v);
}

void expect_near(const Tensor& got, const Shape& shape, const std::vector<float>& want, float tol = 1e-4f) {
    ASSERT_EQ(got.shape(), shape);
    ASSERT_EQ(static_cast<size_t>(got.numel()), want.size());
    for (size_t i = 0; i < want.size(); ++i)
        ASSERT_NEAR(got.data<float>()[i], want[i], tol * (1.0f + std::fabs(want[i]))) << "element " << i;
}

// ---- naive references ----

struct ConvCase {
    Shape x;                   // [N, C, spatial...]
    int64_t m = 1, group = 1;  // output channels, groups
    std::vector<int64_t> k, s, d, pads;
    bool bias = true;
};

// Direct convolution over up to 3 spatial dims (padded to 3 with size-1 dims).
std::vector<float> naive_conv(const Tensor& x, const Tensor& w, const float* b, const ConvCase& c,
                              Shape& out_shape) {
    const size_t r = c.k.size();
    int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1}, p[3] = {0, 0, 0},
            o[3] = {1, 1, 1};
    for (size_t i = 0; i < r; ++i) {
        const size_t j = 3 - r + i;
        in[j] = c.x[2 + i], k[j] = c.k[i], s[j] = c.s[i], d[j] = c.d[i], p[j] = c.pads[i];
        o[j] = (in[j] + c.pads[i] + c.pads[i + r] - ((k[j] - 1) * d[j] + 1)) / s[j] + 1;
    }
    const int64_t n = c.x[0], ci = c.x[1], cg = ci / c.group, mg = c.m / c.group;
    out_shape = {n, c.m};
    for (size_t i = 0; i < r; ++i)
        out_shape.push_back(o[3 - r + i]);
    std::vector<float> y(static_cast<size_t>(n * c.m * o[0] * o[1] * o[2]));
    const float* xd = x.data<float>();
    const float* wd = w.data<float>();
    size_t e = 0;
    for (int64_t b0 = 0; b0 < n; ++b0)
        for (int64_t m = 0; m < c.m; ++m)
            for (int64_t z = 0; z < o[0]; ++z)
                for (int64_t yy = 0; yy < o[1]; ++yy)
                    for (int64_t xx = 0; xx < o[2]; ++xx, ++e) {
                        double acc = b ? b[m] : 0.0;
                        const int64_t g = m / mg;
                        for (int64_t cc = 0; cc < cg; ++cc)
                            for (int64_t i = 0; i < k[0]; ++i)
                                for (int64_t j = 0; j < k[1]; ++j)
                                    for (int64_t l = 0; l < k[2]; ++l) {
                                        const int64_t iz = z * s[0] - p[0] + i * d[0],
                                                      iy = yy * s[1] - p[1] + j * d[1],
                                                      ix = xx * s[2] - p[2] + l * d[2];
                                        if (iz < 0 || iz >= in[0] || iy < 0 || iy >= in[1] || ix < 0 ||
                                            ix >= in[2])
                                            continue;
                                        const int64_t xi =
                                            (((b0 * ci + g * cg + cc) * in[0] + iz) * in[1] + iy) * in[2] +
                                            ix;
                                        const int64_t wi = (((m * cg + cc) * k[0] + i) * k[1] + j) * k[2] + l;
                                        acc += static_cast<double>(xd[xi]) * wd[wi];
                                    }
                        y[e] = static_cast<float>(acc);
                    }
    return y;
}

std::vector<ir::Attribute> conv_attrs(const ConvCase& c) {
    return {ints_attr("kernel_shape", c.k), ints_attr("strides", c.s), ints_attr("dilations", c.d),
            ints_attr("pads", c.pads), ir::Attribute::make_int("group", c.group)};
}

void check_conv(const ConvCase& c, uint32_t seed, int threads = 1) {
    Shape ws{c.m, c.x[1] / c.group};
    ws.insert(ws.end(), c.k.begin(), c.k.end());
    Tensor x = random_tensor(c.x, seed), w = random_tensor(ws, seed + 1), b = random_tensor({c.m}, seed + 2);
    Shape out_shape;
    auto want = naive_conv(x, w, c.bias ? b.data<float>() : nullptr, c, out_shape);
    std::vector<In> ins{{"x", x}, {"w", w, true}};
    if (c.bias) ins.push_back({"b", b, true});
    auto got = run_node("Conv", ins, conv_attrs(c), 1, 17, threads);
    ASSERT_EQ(got.size(), 1u);
    expect_near(got[0], out_shape, want);
}

TEST(OpsNn, Conv2dOddSizesStridePadding) {
    check_conv({{2, 3, 9, 7}, 5, 1, {3, 3}, {2, 1}, {1, 1}, {1, 0, 2, 1}}, 1);
    check_conv({{1, 4, 11, 13}, 6, 1, {1, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}}, 2);  // pointwise
    check_conv({{2, 4, 10, 10}, 6, 1, {1, 1}, {2, 2}, {1, 1}, {0, 0, 0, 0}}, 3);  // strided 1x1
    check_conv({{1, 2, 5, 6}, 3, 1, {5, 2}, {1, 3}, {1, 1}, {2, 1, 2, 1}, false}, 4);
}

TEST(OpsNn, Conv2dGroupsDepthwiseDilation) {
    check_conv({{2, 6, 9, 8}, 4, 2, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 5);  // groups
    check_conv({{2, 8, 9, 7}, 8, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 6);  // depthwise
    check_conv({{2, 8, 9, 7}, 8, 8, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 7);  // depthwise, stride 2
    check_conv({{1, 4, 12, 10}, 8, 4, {3, 3}, {1, 2}, {1, 1}, {1, 0, 1, 2}},
               8);  // multiplier 2, mixed strides
    check_conv({{1, 3, 12, 11}, 3, 3, {3, 3}, {1, 1}, {2, 3}, {2, 3, 2, 3}}, 9);  // depthwise dilated
    check_conv({{1, 3, 12, 11}, 5, 1, {3, 2}, {2, 1}, {2, 3}, {0, 1, 2, 0}}, 10);
    check_conv({{2, 1, 13, 13}, 7, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 11);  // one input channel
    check_conv({{1, 2, 3, 3}, 2, 2, {3, 3}, {1, 1}, {1, 1}, {4, 4, 4, 4}}, 12);  // pads larger than the input
}

TEST(OpsNn, Conv1dAnd3d) {
    check_conv({{2, 3, 17}, 4, 1, {3}, {2}, {2}, {2, 1}}, 13);
    check_conv({{1, 4, 15}, 4, 4, {5}, {1}, {1}, {2, 2}}, 14);
    check_conv({{2, 4, 5, 6, 7}, 6, 2, {3, 2, 3}, {1, 2, 1}, {1, 1, 2}, {1, 0, 1, 1, 1, 2}}, 15);
    check_conv({{1, 3, 4, 5, 6}, 3, 3, {2, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1, 1, 1, 1}}, 16);
}

TEST(OpsNn, ConvAutoPadSame) {
    Tensor x = random_tensor({1, 2, 7, 8}, 20), w = random_tensor({3, 2, 3, 3}, 21);
    ConvCase c{{1, 2, 7, 8}, 3,    1, {3, 3}, {2, 2}, {1, 1},
               {1, 1, 1, 1}, false};  // SAME_UPPER: 7 -> total 2, 8 -> total 1
    for (const char* mode : {"SAME_UPPER", "SAME_LOWER"}) {
        c.pads = std::string(mode) == "SAME_UPPER" ? std::vector<int64_t>{1, 0, 1, 1}
                                                   : std::vector<int64_t>{1, 1, 1, 0};
        Shape out_shape;
        auto want = naive_conv(x, w, nullptr, c, out_shape);
        auto got = run_node("Conv", {{"x", x}, {"w", w, true}},
                            {ints_attr("strides", {2, 2}), ir::Attribute::make_string("auto_pad", mode)});
        ASSERT_EQ(got.size(), 1u);
        expect_near(got[0], out_shape, want);
    }
}

TEST(OpsNn, ConvFusedActivation) {
    ConvCase c{{2, 3, 8, 8}, 4, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}};
    Tensor x = random_tensor(c.x, 30), w = random_tensor({4, 3, 3, 3}, 31), b = random_tensor({4}, 32);
    Shape out_shape;
    auto want = naive_conv(x, w, b.data<float>(), c, out_shape);
    auto attrs = conv_attrs(c);
    attrs.push_back(ir::Attribute::make_string(runtime::kFusedActivation, "Clip"));
    attrs.push_back(ir::Attribute::make_floats(runtime::kFusedActivationParams, {-0.25f, 0.5f}));
    for (auto& v : want)
        v = std::min(std::max(v, -0.25f), 0.5f);
    auto got = run_node("Conv", {{"x", x}, {"w", w, true}, {"b", b, true}}, attrs);
    ASSERT_EQ(got.size(), 1u);
    expect_near(got[0], out_shape, want);
    // Relu on a depthwise conv
    ConvCase dw{{1, 4, 6, 6}, 4, 4, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}};
    Tensor w2 = random_tensor({4, 1, 3, 3}, 33);
    Tensor x2 = random_tensor(dw.x, 34);
    auto want2 = naive_conv(x2, w2, nullptr, dw, out_shape);
    for (auto& v : want2)
        v = std::max(v, 0.0f);
    auto attrs2 = conv_attrs(dw);
    attrs2.push_back(ir::Attribute::make_string(runtime::kFusedActivation, "Relu"));
    auto got2 = run_node("Conv", {{"x", x2}, {"w", w2, true}}, attrs2);
    ASSERT_EQ(got2.size(), 1u);
    expect_near(got2[0], out_shape, want2);
}

TEST(OpsNn, ConvTwoThreadsMatchOneThread) {
    ConvCase c{{4, 8, 14, 14}, 16, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}};
    Tensor x = random_tensor(c.x, 40), w = random_tensor({16, 8, 3, 3}, 41), b = random_tensor({16}, 42);
    auto one = run_node("Conv", {{"x", x}, {"w", w, true}, {"b", b, true}}, conv_attrs(c), 1, 17, 1);
    auto two = run_node("Conv", {{"x", x}, {"w", w, true}, {"b", b, true}}, conv_attrs(c), 1, 17, 2);
    ASSERT_EQ(one.size(), 1u);
    ASSERT_EQ(two.size(), 1u);
    ASSERT_EQ(one[0].shape(), two[0].shape());
    for (int64_t i = 0; i < one[0].numel(); ++i)
        ASSERT_NEAR(one[0].data<float>()[i], two[0].data<float>()[i], 1e-5f);
    check_conv({{4, 8, 9, 9}, 8, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 43, 2);  // depthwise, 2 threads
}

// Conv with a fused activation ("" for none) against the naive loop; W is an initializer unless
// `w_input`, in which case it is fed at run time (the kernel cannot keep a packed copy).
void check_conv_fused(const ConvCase& c, uint32_t seed, const std::string& act, std::vector<float> params,
                      int threads = 1, bool w_input = false) {
    Shape ws{c.m, c.x[1] / c.group};
    ws.insert(ws.end(), c.k.begin(), c.k.end());
    Tensor x = random_tensor(c.x, seed), w = random_tensor(ws, seed + 1), b = random_tensor({c.m}, seed + 2);
    Shape out_shape;
    auto want = naive_conv(x, w, c.bias ? b.data<float>() : nullptr, c, out_shape);
    for (auto& v : want) {
        if (act == "Relu") v = std::max(v, 0.0f);
        if (act == "LeakyRelu") v = v >= 0.0f ? v : v * params[0];
        if (act == "Clip") v = std::min(std::max(v, params[0]), params[1]);
    }
    auto attrs = conv_attrs(c);
    if (!act.empty()) {
        attrs.push_back(ir::Attribute::make_string(runtime::kFusedActivation, act));
        if (!params.empty())
            attrs.push_back(ir::Attribute::make_floats(runtime::kFusedActivationParams, params));
    }
    std::vector<In> ins{{"x", x}, {"w", w, !w_input}};
    if (c.bias) ins.push_back({"b", b, true});
    auto got = run_node("Conv", ins, attrs, 1, 17, threads);
    ASSERT_EQ(got.size(), 1u);
    expect_near(got[0], out_shape, want);
}

// Convolutions deep enough (C/group x kernel >= 32) for the oneDNN path: groups, strides, dilations,
// asymmetric pads, batch > 1, 1-D and 3-D, each fused activation, W as a run-time input.
TEST(OpsNn, ConvOnednnPath) {
    check_conv_fused({{3, 8, 13, 11}, 12, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 50, "Relu", {});
    check_conv_fused({{2, 16, 15, 9}, 10, 2, {3, 3}, {2, 1}, {1, 2}, {0, 2, 1, 1}}, 51, "LeakyRelu", {0.1f});
    check_conv_fused({{2, 12, 10, 10}, 9, 3, {5, 3}, {1, 2}, {2, 1}, {2, 1, 3, 0}}, 52, "Clip",
                     {-0.5f, 0.75f});
    check_conv_fused({{2, 6, 9, 9}, 5, 1, {3, 3}, {3, 3}, {1, 1}, {0, 0, 2, 2}, false}, 53, "", {});
    check_conv_fused({{3, 20, 17}, 7, 1, {3}, {2}, {2}, {2, 1}}, 54, "Relu", {});
    check_conv_fused({{2, 4, 5, 6, 7}, 6, 1, {3, 2, 3}, {1, 2, 1}, {1, 1, 2}, {1, 0, 1, 1, 1, 2}}, 55, "",
                     {});
    check_conv_fused({{4, 8, 12, 12}, 16, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 56, "Clip", {0.0f, 6.0f},
                     2);
    check_conv_fused({{2, 8, 11, 12}, 6, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 57, "", {}, 1, true);
}

// The vectorised depthwise path: planes narrower and wider than a vector, strides 1-3 (phase-split rows),
// dilations, a 5x5 kernel, channel multipliers, asymmetric pads, batch > 1, fused activations. Depthwise
// convolutions with output planes up to 1024 positions and one output per channel go to oneDNN first
// (ConvDepthwiseOnednn); the row kernel takes them when oneDNN declines, and always takes the larger planes
// and channel multipliers, so the cases past 1024 positions below keep the row kernel itself covered.
TEST(OpsNn, ConvDepthwiseRows) {
    check_conv_fused({{2, 3, 36, 40}, 3, 3, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 67, "Clip", {0.0f, 0.5f});
    check_conv_fused({{1, 5, 70, 71}, 5, 5, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 68, "Relu", {});
    check_conv_fused({{2, 2, 35, 33}, 2, 2, {5, 3}, {1, 1}, {2, 1}, {4, 1, 3, 2}, false}, 69, "LeakyRelu",
                     {0.3f});
    check_conv_fused({{2, 4, 33, 34}, 4, 4, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 70, "", {}, 2);
    check_conv_fused({{3, 5, 7, 7}, 5, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 60, "Clip", {0.0f, 0.5f});
    check_conv_fused({{2, 4, 14, 14}, 4, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 61, "Relu", {});
    check_conv_fused({{2, 3, 19, 21}, 3, 3, {5, 5}, {1, 3}, {1, 1}, {2, 1, 2, 3}}, 62, "LeakyRelu", {0.2f});
    check_conv_fused({{1, 3, 20, 17}, 6, 3, {3, 3}, {2, 1}, {2, 2}, {2, 0, 1, 2}}, 63, "", {});
    check_conv_fused({{2, 6, 1, 1}, 6, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, false}, 64, "", {});
    check_conv_fused({{2, 4, 3, 2}, 4, 4, {3, 3}, {1, 1}, {1, 1}, {2, 2, 2, 2}}, 65, "Relu", {});
    check_conv_fused({{5, 16, 9, 9}, 16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 66, "Clip", {0.0f, 6.0f},
                     2);
}

// Depthwise convolutions on small planes through oneDNN in its channel-blocked layout: channel counts that
// are and are not multiples of the block (16 or 8), 7x7 and 14x14 planes as in MobileNet, strides,
// dilations, asymmetric pads, batch > 1, each fused activation, no bias, W as a run-time input, 1-D and
// 3-D, two threads.
TEST(OpsNn, ConvDepthwiseOnednn) {
    check_conv_fused({{3, 32, 7, 7}, 32, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 80, "Clip", {0.0f, 6.0f});
    check_conv_fused({{2, 20, 14, 14}, 20, 20, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 81, "Relu", {});
    check_conv_fused({{5, 7, 9, 11}, 7, 7, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 82, "LeakyRelu", {0.1f});
    check_conv_fused({{2, 33, 10, 9}, 33, 33, {5, 3}, {1, 2}, {2, 1}, {4, 0, 3, 2}, false}, 83, "", {});
    check_conv_fused({{4, 16, 8, 8}, 16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 84, "Clip", {-0.5f, 0.5f},
                     1, true);
    check_conv_fused({{3, 24, 31}, 24, 24, {3}, {2}, {1}, {1, 1}}, 85, "Relu", {});
    check_conv_fused({{2, 16, 4, 5, 6}, 16, 16, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1, 1, 1, 1}}, 86, "",
                     {});
    check_conv_fused({{6, 48, 7, 7}, 48, 48, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 87, "Clip", {0.0f, 6.0f},
                     2);
    check_conv_fused({{1, 64, 14, 14}, 64, 64, {3, 3}, {2, 2}, {1, 1}, {0, 0, 1, 1}}, 88, "", {});
}

TEST(OpsNn, ConvTranspose) {
    struct Case {
        Shape x;
        int64_t m_group, group;
        std::vector<int64_t> k, s, d, pads, out_pad;
    };
    const std::vector<Case> cases = {
        {{2, 3, 5, 4}, 2, 1, {3, 3}, {2, 1}, {1, 1}, {1, 0, 0, 1}, {1, 0}},
        {{1, 4, 3, 4}, 3, 2, {2, 3}, {2, 2}, {2, 1}, {0, 1, 1, 0}, {0, 0}},
        {{1, 2, 6}, 3, 1, {4}, {3}, {1}, {1, 2}, {0}},
        {{1, 2, 3, 3, 2}, 2, 1, {2, 2, 3}, {1, 2, 1}, {1, 1, 1}, {0, 0, 1, 0, 1, 0}, {0, 1, 0}},
    };
    uint32_t seed = 50;
    for (const auto& c : cases) {
        const size_t r = c.k.size();
        Shape ws{c.x[1], c.m_group};
        ws.insert(ws.end(), c.k.begin(), c.k.end());
        Tensor x = random_tensor(c.x, seed++), w = random_tensor(ws, seed++),
               b = random_tensor({c.m_group * c.group}, seed++);
        // reference: scatter every input element through the kernel
        const int64_t n = c.x[0], ci = c.x[1], cg = ci / c.group, m = c.m_group * c.group;
        int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1}, p[3] = {0, 0, 0},
                o[3] = {1, 1, 1};
        Shape out_shape{n, m};
        for (size_t i = 0; i < r; ++i) {
            const size_t j = 3 - r + i;
            in[j] = c.x[2 + i], k[j] = c.k[i], s[j] = c.s[i], d[j] = c.d[i], p[j] = c.pads[i];
            o[j] = s[j] * (in[j] - 1) + c.out_pad[i] + (k[j] - 1) * d[j] + 1 - c.pads[i] - c.pads[i + r];
            out_shape.push_back(o[j]);
        }
        std::vector<float> want(static_cast<size_t>(runtime::shape_numel(out_shape)));
        for (int64_t b0 = 0; b0 < n; ++b0)
            for (int64_t mm = 0; mm < m; ++mm)
                for (int64_t e = 0; e < o[0] * o[1] * o[2]; ++e)
                    want[static_cast<size_t>((b0 * m + mm) * o[0] * o[1] * o[2] + e)] = b.data<float>()[mm];
        for (int64_t b0 = 0; b0 < n; ++b0)
            for (int64_t cc = 0; cc < ci; ++cc)
                for (int64_t z = 0; z < in[0]; ++z)
                    for (int64_t yy = 0; yy < in[1]; ++yy)
                        for (int64_t xx = 0; xx < in[2]; ++xx) {
                            const float v =
                                x.data<float>()[(((b0 * ci + cc) * in[0] + z) * in[1] + yy) * in[2] + xx];
                            for (int64_t j = 0; j < c.m_group; ++j)
                                for (int64_t i0 = 0; i0 < k[0]; ++i0)
                                    for (int64_t i1 = 0; i1 < k[1]; ++i1)
                                        for (int64_t i2 = 0; i2 < k[2]; ++i2) {
                                            const int64_t oz = z * s[0] - p[0] + i0 * d[0],
                                                          oy = yy * s[1] - p[1] + i1 * d[1],
                                                          ox = xx * s[2] - p[2] + i2 * d[2];
                                            if (oz < 0 || oz >= o[0] || oy < 0 || oy >= o[1] || ox < 0 ||
                                                ox >= o[2])
                                                continue;
                                            const int64_t mm = (cc / cg) * c.m_group + j;
                                            const float wv =
                                                w.data<float>()[(((cc * c.m_group + j) * k[0] + i0) * k[1] +
                                                                 i1) *
                                                                    k[2] +
                                                                i2];
                                            want[static_cast<size_t>(
                                                (((b0 * m + mm) * o[0] + oz) * o[1] + oy) * o[2] + ox)] +=
                                                v * wv;
                                        }
                        }
        auto got =
            run_node("ConvTranspose", {{"x", x}, {"w", w, true}, {"b", b, true}},
                     {ints_attr("strides", c.s), ints_attr("dilations", c.d), ints_attr("pads", c.pads),
                      ints_attr("output_padding", c.out_pad), ir::Attribute::make_int("group", c.group)});
        ASSERT_EQ(got.size(), 1u);
        expect_near(got[0], out_shape, want);
    }
}

std::vector<float> naive_matmul(const float* a, const float* b, int64_t m, int64_t k, int64_t n) {
    std::vector<float> y(static_cast<size_t>(m * n));
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double acc = 0.0;
            for (int64_t t = 0; t < k; ++t)
                acc += static_cast<double>(a[i * k + t]) * b[t * n + j];
            y[static_cast<size_t>(i * n + j)] = static_cast<float>(acc);
        }
    return y;
}

TEST(OpsNn, GemmTransposesAndBias) {
    const int64_t m = 7, k = 13, n = 5;
    for (int ta = 0; ta < 2; ++ta)
        for (int tb = 0; tb < 2; ++tb)
            for (int bias_kind = 0; bias_kind < 3; ++bias_kind) {
                Tensor a = random_tensor(ta ? Shape{k, m} : Shape{m, k}, 60),
                       b = random_tensor(tb ? Shape{n, k} : Shape{k, n}, 61);
                Tensor c = random_tensor(bias_kind == 0   ? Shape{n}
                                         : bias_kind == 1 ? Shape{m, 1}
                                                          : Shape{m, n},
                                         62);
                std::vector<float> an(static_cast<size_t>(m * k)), bn(static_cast<size_t>(k * n));
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t t = 0; t < k; ++t)
                        an[static_cast<size_t>(i * k + t)] = a.data<float>()[ta ? t * m + i : i * k + t];
                for (int64_t t = 0; t < k; ++t)
                    for (int64_t j = 0; j < n; ++j)
                        bn[static_cast<size_t>(t * n + j)] = b.data<float>()[tb ? j * k + t : t * n + j];
                auto want = naive_matmul(an.data(), bn.data(), m, k, n);
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t j = 0; j < n; ++j) {
                        const float cv = bias_kind == 0   ? c.data<float>()[j]
                                         : bias_kind == 1 ? c.data<float>()[i]
                                                          : c.data<float>()[i * n + j];
                        want[static_cast<size_t>(i * n + j)] =
                            0.5f * want[static_cast<size_t>(i * n + j)] + 2.0f * cv;
                    }
                auto got = run_node(
                    "Gemm", {{"a", a}, {"b", b, tb == 1}, {"c", c, true}},
                    {ir::Attribute::make_float("alpha", 0.5f), ir::Attribute::make_float("beta", 2.0f),
                     ir::Attribute::make_int("transA", ta), ir::Attribute::make_int("transB", tb)});
                ASSERT_EQ(got.size(), 1u);
                expect_near(got[0], {m, n}, want);
            }
}

TEST(OpsNn, MatMulBatchedAndBroadcast) {
    struct Case {
        Shape a, b, out;
    };
    const std::vector<Case> cases = {
        {{3, 4, 5}, {5, 6}, {3, 4, 6}},           // constant-weight style
        {{2, 1, 3, 4}, {3, 4, 2}, {2, 3, 3, 2}},  // broadcast batch dims
        {{4}, {2, 4, 3}, {2, 3}},                 // 1-D A
        {{2, 3, 4}, {4}, {2, 3}},                 // 1-D B
        {{1, 5, 2}, {4, 2, 3}, {4, 5, 3}},
    };
    uint32_t seed = 70;
    for (const auto& c : cases) {
        Tensor a = random_tensor(c.a, seed++), b = random_tensor(c.b, seed++);
        Shape as = c.a, bs = c.b;
        if (as.size() == 1) as.insert(as.begin(), 1);
        if (bs.size() == 1) bs.push_back(1);
        const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
        const int64_t count = runtime::shape_numel(c.out) / (m * n);
        const int64_t a_count = runtime::shape_numel(as) / (m * k),
                      b_count = runtime::shape_numel(bs) / (k * n);
        // reference for these cases: batch index i of the output maps to i % count of each operand's batches
        std::vector<float> want;
        for (int64_t i = 0; i < count; ++i) {
            int64_t ia = a_count == 1 ? 0 : i % a_count, ib = b_count == 1 ? 0 : i % b_count;
            if (c.a == Shape{2, 1, 3, 4}) ia = i / 3, ib = i % 3;
            auto y = naive_matmul(a.data<float>() + ia * m * k, b.data<float>() + ib * k * n, m, k, n);
            want.insert(want.end(), y.begin(), y.end());
        }
        auto got = run_node("MatMul", {{"a", a}, {"b", b, c.b.size() == 2}}, {});
        ASSERT_EQ(got.size(), 1u);
        expect_near(got[0], c.out, want);
    }
}

TEST(OpsNn, MaxAndAveragePool) {
    Tensor x = random_tensor({2, 3, 9, 8}, 80);
    const std::vector<int64_t> k{3, 2}, s{2, 2}, pads{1, 0, 1, 1};
    const int64_t oh = (9 + 2 - 3) / 2 + 1, ow = (8 + 1 - 2) / 2 + 1;
    std::vector<float> want_max, want_avg, want_avg_pad;
    for (int64_t p = 0; p < 6; ++p)
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                float mx = -1e30f, sum = 0.0f;
                int count = 0;
                for (int64_t a = 0; a < k[0]; ++a)
                    for (int64_t b = 0; b < k[1]; ++b) {
                        const int64_t y = i * s[0] - pads[0] + a, xx = j * s[1] - pads[1] + b;
                        if (y < 0 || y >= 9 || xx < 0 || xx >= 8) continue;
                        const float v = x.data<float>()[(p * 9 + y) * 8 + xx];
                        mx = std::max(mx, v);
                        sum += v;
                        ++count;
                    }
                want_max.push_back(mx);
                want_avg.push_back(sum / static_cast<float>(count));
                want_avg_pad.push_back(sum / 6.0f);
            }
    const Shape out{2, 3, oh, ow};
    auto attrs = std::vector<ir::Attribute>{ints_attr("kernel_shape", k), ints_attr("strides", s),
                                            ints_attr("pads", pads)};
    auto mp = run_node("MaxPool", {{"x", x}}, attrs);
    ASSERT_EQ(mp.size(), 1u);
    expect_near(mp[0], out, want_max);
    auto ap = run_node("AveragePool", {{"x", x}}, attrs);
    ASSERT_EQ(ap.size(), 1u);
    expect_near(ap[0], out, want_avg);
    attrs.push_back(ir::Attribute::make_int("count_include_pad", 1));
    auto app = run_node("AveragePool", {{"x", x}}, attrs);
    ASSERT_EQ(app.size(), 1u);
    expect_near(app[0], out, want_avg_pad);
    // 2x2 stride 2: the fast path, and the path with indices
    auto fast =
        run_node("MaxPool", {{"x", x}}, {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}, 2);
    auto fast1 =
        run_node("MaxPool", {{"x", x}}, {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}, 1);
    ASSERT_EQ(fast.size(), 2u);
    ASSERT_EQ(fast1.size(), 1u);
    ASSERT_EQ(fast[0].shape(), (Shape{2, 3, 4, 4}));
    for (int64_t p = 0; p < 6; ++p)
        for (int64_t i = 0; i < 4; ++i)
            for (int64_t j = 0; j < 4; ++j) {
                const float* xp = x.data<float>() + p * 72;
                const float v =
                    std::max(std::max(xp[2 * i * 8 + 2 * j], xp[2 * i * 8 + 2 * j + 1]),
                             std::max(xp[(2 * i + 1) * 8 + 2 * j], xp[(2 * i + 1) * 8 + 2 * j + 1]));
                const int64_t o = (p * 4 + i) * 4 + j;
                ASSERT_EQ(fast[0].data<float>()[o], v);
                ASSERT_EQ(fast1[0].data<float>()[o], v);
                ASSERT_EQ(x.data<float>()[fast[1].data<int64_t>()[o]], v);
            }
    // global pools
    auto gap = run_node("GlobalAveragePool", {{"x", x}}, {});
    ASSERT_EQ(gap.size(), 1u);
    ASSERT_EQ(gap[0].shape(), (Shape{2, 3, 1, 1}));
    for (int64_t p = 0; p < 6; ++p) {
        double sum = 0.0;
        for (int64_t i = 0; i < 72; ++i)
            sum += x.data<float>()[p * 72 + i];
        ASSERT_NEAR(gap[0].data<float>()[p], sum / 72.0, 1e-5);
    }
}

TEST(OpsNn, ResizeLinearHalfPixel) {
    Tensor x = random_tensor({1, 2, 4, 5}, 90);
    const int64_t oh = 7, ow = 3;
    auto src = [](int64_t o, int64_t out, int64_t in) {
        double v = (static_cast<double>(o) + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5;
        return std::clamp(v, 0.0, static_cast<double>(in - 1));
    };
    std::vector<float> want;
    for (int64_t c = 0; c < 2; ++c)
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                const double y = src(i, oh, 4), xx = src(j, ow, 5);
                const int64_t y0 = static_cast<int64_t>(std::floor(y)),
                              x0 = static_cast<int64_t>(std::floor(xx));
                const int64_t y1 = std::min<int64_t>(y0 + 1, 3), x1 = std::min<int64_t>(x0 + 1, 4);
                const double fy = y - static_cast<double>(y0), fx = xx - static_cast<double>(x0);
                auto at = [&](int64_t a, int64_t b) {
                    return static_cast<double>(x.data<float>()[(c * 4 + a) * 5 + b]);
                };
                want.push_back(static_cast<float>((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) +
                                                  fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1))));
            }
    auto got = run_node(
        "Resize",
        {{"x", x}, {"", Tensor()}, {"", Tensor()}, {"sizes", Tensor::from_int64s({4}, {1, 2, oh, ow}), true}},
        {ir::Attribute::make_string("mode", "linear")}, 1, 13);
    ASSERT_EQ(got.size(), 1u);
    expect_near(got[0], {1, 2, oh, ow}, want);
}

TEST(OpsNn, QuantizeLinearRoundsHalfToEvenAndPacksInt4) {
    // x / 2: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> 0, -1.5 -> -2, then saturated to [-8, 7]
    Tensor x = Tensor::from_floats({7}, {1.0f, 3.0f, 5.0f, -1.0f, -3.0f, 40.0f, -40.0f});
    Tensor scale = Tensor::from_floats({}, {2.0f});
    Tensor zp(ir::DataType::kInt4, {});
    zp.data<uint8_t>()[0] = 0;
    auto got = run_node("QuantizeLinear", {{"x", x}, {"s", scale, true}, {"zp", zp, true}}, {}, 1, 21);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].type(), ir::DataType::kInt4);
    ASSERT_EQ(got[0].shape(), (Shape{7}));
    const int want[7] = {0, 2, 2, 0, -2, 7, -8};
    const uint8_t* bytes = got[0].data<uint8_t>();
    for (int i = 0; i < 7; ++i) {
        int v = (bytes[i / 2] >> ((i % 2) * 4)) & 0xF;
        if (v >= 8) v -= 16;
        EXPECT_EQ(v, want[i]) << "element " << i;
    }
    EXPECT_EQ(bytes[0], 0x20);       // low nibble first: element 0 = 0, element 1 = 2
    EXPECT_EQ(bytes[3] & 0xF, 0x8);  // element 6 = -8, high nibble unused
    // uint8 with a zero point, and DequantizeLinear back
    Tensor zp8(ir::DataType::kUint8, {});
    zp8.data<uint8_t>()[0] = 128;
    auto q8 = run_node("QuantizeLinear", {{"x", x}, {"s", scale, true}, {"zp", zp8, true}}, {}, 1, 13);
    ASSERT_EQ(q8.size(), 1u);
    const int want8[7] = {128, 130, 130, 128, 126, 148, 108};
    for (int i = 0; i < 7; ++i)
        EXPECT_EQ(q8[0].data<uint8_t>()[i], want8[i]);
    auto dq = run_node("DequantizeLinear", {{"q", q8[0]}, {"s", scale, true}, {"zp", zp8, true}}, {}, 1, 13);
    ASSERT_EQ(dq.size(), 1u);
    const float wantf[7] = {0.0f, 4.0f, 4.0f, 0.0f, -4.0f, 40.0f, -40.0f};
    for (int i = 0; i < 7; ++i)
        EXPECT_EQ(dq[0].data<float>()[i], wantf[i]);
}

TEST(OpsNn, ErrorsAreStatusesNotCrashes) {
    Tensor x = random_tensor({1, 3, 5, 5}, 100), w = random_tensor({4, 2, 3, 3}, 101);
    ir::Model m;
    m.ir_version = 8;
    m.opset_imports = {{"", 17}};
    ir::Node n;
    n.op_type = "Conv";
    n.inputs = {"x", "w"};
    n.outputs = {"y"};
    m.graph.add_node(n);
    m.graph.set_initializer(w.to_ir("w"));
    ir::ValueInfo vi;
    vi.name = "x";
    m.graph.inputs.push_back(vi);
    vi.name = "y";
    m.graph.outputs.push_back(vi);
    auto ex = runtime::Executor::create(m);
    ASSERT_TRUE(ex);
    auto out = (*ex)->run({{"x", x}});
    ASSERT_FALSE(out);
    EXPECT_NE(out.status().message().find("channels do not match"), std::string::npos)
        << out.status().message();
}

}  // namespace
}  // namespace lowbit
