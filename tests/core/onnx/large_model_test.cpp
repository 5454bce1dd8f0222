// A model whose weights exceed protobuf's 2 GB limit is saved with external data automatically, loads
// back, and `lowbit info` counts it right. Generated in a temporary folder and removed afterwards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_util.h"
#include "onnx/onnx_io.h"

namespace fs = std::filesystem;

namespace lowbit {
namespace {

TEST(LargeModel, Over2GBUsesExternalDataAndInfoCountsIt) {
    using ir::Dim;
    constexpr int64_t kIn = 16384, kOut = 32800;  // 537,395,200 floats = 2.0 GiB + 1.5 MiB
    ir::Model m;
    m.opset_imports = {{"", 13}};
    m.producer_name = "lowbit-test";
    auto& g = m.graph;
    g.name = "big";
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {Dim::symbol("batch"), Dim::known(kIn)}));
    g.outputs.push_back(
        test::tensor_value("y", ir::DataType::kFloat, {Dim::symbol("batch"), Dim::known(kOut)}));
    ir::Tensor w;
    w.name = "w";
    w.dims = {kIn, kOut};
    w.data.assign(static_cast<size_t>(kIn * kOut) * 4, 0);
    w.data[12345] = 0x3f;  // a recognisable byte to find again
    g.set_initializer(std::move(w));
    ir::Node mm;
    mm.name = "proj";
    mm.op_type = "MatMul";
    mm.inputs = {"x", "w"};
    mm.outputs = {"y"};
    g.add_node(mm);
    ASSERT_GT(onnx_io::tensor_bytes(m), uint64_t{2} << 30);

    test::TempDir dir;
    ASSERT_TRUE(onnx_io::save_model(m, dir / "big.onnx").is_ok());
    EXPECT_LT(fs::file_size(dir / "big.onnx"), 4096u);
    EXPECT_GE(fs::file_size(dir / "big.onnx.data"), static_cast<uint64_t>(kIn * kOut) * 4);
    // protobuf alone could not hold it
    EXPECT_FALSE(onnx_io::serialize_model(m));
    m = ir::Model{};  // free the 2 GB before the CLI reads it back

    auto r = test::run_cli("info --json '" + (dir / "big.onnx").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["parameters"]["total"], kIn * kOut);
    EXPECT_EQ(j["parameters"]["bytes"], kIn * kOut * 4);
    EXPECT_EQ(j["macs"]["total"], kIn * kOut);  // batch counts as 1
    EXPECT_EQ(j["layers"][0]["output_shape"], "[batch,32800]");

    auto back = onnx_io::load_model(dir / "big.onnx");
    ASSERT_TRUE(back) << back.status().message();
    EXPECT_EQ(back->graph.initializer("w")->data[12345], 0x3f);
}

}  // namespace
}  // namespace lowbit
