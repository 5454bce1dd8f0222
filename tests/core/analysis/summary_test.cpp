// lowbit info's figures against hand counts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analysis/model_summary.h"
#include "core/test_util.h"
#include "onnx/onnx_io.h"

namespace lowbit {
namespace {

TEST(Summary, HandCountedSmallCnn) {
    ir::Model m = test::make_small_cnn();
    onnx_io::infer_shapes(m);
    auto s = analysis::summarize(m);
    // conv: N(=1) * 4 out channels * 8*8 positions * (3 in channels * 3*3 kernel) = 6912
    // fc: 1 * 10 outputs * 256 inputs = 2560
    ASSERT_EQ(s.layers.size(), 2u);
    EXPECT_EQ(s.layers[0].macs, 6912u);
    EXPECT_EQ(s.layers[1].macs, 2560u);
    EXPECT_EQ(s.total_macs, 9472u);
    EXPECT_EQ(s.layers[0].params, 4u * 27 + 4);
    EXPECT_EQ(s.layers[1].params, 2560u + 10);
    EXPECT_EQ(s.total_params, 2682u);
    EXPECT_EQ(s.total_param_bytes, 2682u * 4);
    EXPECT_EQ(s.op_histogram.at("Conv"), 1u);
    EXPECT_EQ(s.op_histogram.at("Gemm"), 1u);
    EXPECT_EQ(s.layers_with_unknown_macs, 0u);
}

TEST(Summary, ConvVariantsAndMatMul) {
    using ir::Dim;
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat,
                                          {Dim::known(2), Dim::known(8), Dim::known(10), Dim::known(10)}));
    g.outputs.push_back(ir::ValueInfo::named("z"));
    // depthwise 3x3, stride 2, groups 8: out [2,8,5,5]; MACs = 2*8*25 * (1*9) = 3600
    g.set_initializer(ir::Tensor::from_floats("dw", {8, 1, 3, 3}, std::vector<float>(72, 0.1f)));
    ir::Node dw;
    dw.op_type = "Conv";
    dw.inputs = {"x", "dw"};
    dw.outputs = {"a"};
    dw.attributes.push_back(ir::Attribute::make_int("group", 8));
    dw.attributes.push_back(ir::Attribute::make_ints("strides", {2, 2}));
    dw.attributes.push_back(ir::Attribute::make_ints("pads", {1, 1, 1, 1}));
    g.add_node(dw);
    // ConvTranspose 8->4, 2x2 stride 2: in [2,8,5,5]; MACs = 2*8*25 * 4*4 = 6400
    g.set_initializer(ir::Tensor::from_floats("up", {8, 4, 2, 2}, std::vector<float>(128, 0.1f)));
    ir::Node up;
    up.op_type = "ConvTranspose";
    up.inputs = {"a", "up"};
    up.outputs = {"b"};
    up.attributes.push_back(ir::Attribute::make_ints("strides", {2, 2}));
    g.add_node(up);
    // reshape to [2,4,100] then batched MatMul with [100,7]: out [2,4,7]; MACs = 56 * 100 = 5600
    g.set_initializer(ir::Tensor::from_int64s("shape", {3}, {2, 4, 100}));
    ir::Node rs;
    rs.op_type = "Reshape";
    rs.inputs = {"b", "shape"};
    rs.outputs = {"c"};
    g.add_node(rs);
    g.set_initializer(ir::Tensor::from_floats("mm", {100, 7}, std::vector<float>(700, 0.1f)));
    ir::Node mm;
    mm.op_type = "MatMul";
    mm.inputs = {"c", "mm"};
    mm.outputs = {"z"};
    g.add_node(mm);
    onnx_io::infer_shapes(m);
    auto s = analysis::summarize(m);
    ASSERT_EQ(s.layers.size(), 3u);
    EXPECT_EQ(s.layers[0].macs, 3600u);
    EXPECT_EQ(s.layers[1].macs, 6400u);
    EXPECT_EQ(s.layers[2].macs, 5600u);
    EXPECT_EQ(s.total_params, 72u + 128 + 3 + 700);
}

TEST(Summary, CliJsonMatchesAndReadsExternalData) {
    test::TempDir dir;
    onnx_io::SaveOptions opt;
    opt.external = onnx_io::ExternalData::kAlways;
    ASSERT_TRUE(onnx_io::save_model(test::make_small_cnn(), dir / "cnn.onnx", opt).is_ok());
    ASSERT_TRUE(std::filesystem::exists(dir / "cnn.onnx.data"));
    auto r = test::run_cli("info --json '" + (dir / "cnn.onnx").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["parameters"]["total"], 2682);
    EXPECT_EQ(j["macs"]["total"], 9472);
    EXPECT_EQ(j["inputs"][0]["shape"][0], "N");
    EXPECT_EQ(j["largest_layers"][0]["name"], "conv");
    auto text = test::run_cli("info '" + (dir / "cnn.onnx").string() + "'");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("MACs        9472"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace lowbit
