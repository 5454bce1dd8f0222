// Every model of Debian's libonnx-testdata: import, export, import is lossless, the export passes onnx's
// checker wherever the original does, and shape inference recovers the declared output shapes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include "core/test_util.h"
#include "onnx/onnx_io.h"

namespace fs = std::filesystem;

namespace lowbit {
namespace {

std::vector<fs::path> test_models(const std::string& suite) {
    std::vector<fs::path> out;
    fs::path root = fs::path(LOWBIT_ONNX_TESTDATA) / suite;
    if (!fs::exists(root)) return out;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.path().filename() == "model.onnx") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

bool checker_accepts(const std::string& bytes, std::string* why = nullptr) {
    onnx::ModelProto proto;
    if (!proto.ParseFromString(bytes)) return false;
    try {
        onnx::checker::check_model(proto);
        return true;
    } catch (const std::exception& e) {
        if (why) *why = e.what();
        return false;
    }
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class RoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(RoundTrip, LosslessAndCheckerClean) {
    auto models = test_models(GetParam());
    ASSERT_FALSE(models.empty()) << "no test models under " << LOWBIT_ONNX_TESTDATA << "/" << GetParam();
    onnx_io::LoadOptions no_inference;
    no_inference.infer_shapes = false;
    size_t checked = 0;
    std::vector<std::string> failures;
    for (const auto& path : models) {
        std::string name = path.parent_path().filename().string();
        auto first = onnx_io::load_model(path, no_inference);
        if (!first) {
            failures.push_back(name + ": load: " + first.status().message());
            continue;
        }
        auto bytes = onnx_io::serialize_model(*first);
        if (bytes.is_ok()) {
            EXPECT_EQ(onnx_io::serialized_size(*first), bytes->size()) << path;  // computed, not serialized
        }
        if (!bytes) {
            failures.push_back(name + ": export: " + bytes.status().message());
            continue;
        }
        auto second = onnx_io::load_model_from_bytes(*bytes, path.parent_path(), no_inference);
        if (!second) {
            failures.push_back(name + ": reload: " + second.status().message());
            continue;
        }
        if (!first->same_as(*second)) failures.push_back(name + ": round trip changed the model");
        std::string why;
        if (checker_accepts(slurp(path))) {
            ++checked;
            if (!checker_accepts(*bytes, &why))
                failures.push_back(name + ": checker rejects the export: " + why);
        }
    }
    for (const auto& f : failures)
        ADD_FAILURE() << f;
    std::cout << GetParam() << ": " << models.size() << " models round-tripped, " << checked
              << " checked by onnx's checker\n";
}

INSTANTIATE_TEST_SUITE_P(OnnxTestData, RoundTrip,
                         ::testing::Values("node", "pytorch-converted", "pytorch-operator", "simple"));

TEST(RoundTripFile, SaveWritesAtomicallyAndReloads) {
    test::TempDir dir;
    ir::Model m = test::make_small_cnn();
    ASSERT_TRUE(onnx_io::save_model(m, dir / "m.onnx").is_ok());
    auto back = onnx_io::load_model(dir / "m.onnx");
    ASSERT_TRUE(back) << back.status().message();
    EXPECT_TRUE(m.same_as(*back));
    // nothing but the model in the folder: no temporaries left behind
    size_t files = 0;
    for (auto& e : fs::directory_iterator(dir.path()))
        files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
}

TEST(RoundTripFile, ExternalDataOnRequest) {
    test::TempDir dir;
    ir::Model m = test::make_small_cnn();
    onnx_io::SaveOptions opt;
    opt.external = onnx_io::ExternalData::kAlways;
    opt.external_min_bytes = 100;
    ASSERT_TRUE(onnx_io::save_model(m, dir / "m.onnx", opt).is_ok());
    ASSERT_TRUE(fs::exists(dir / "m.onnx.data"));
    // fc.w (10x256 floats) and conv.w (108 floats) go out; the small biases stay inline
    EXPECT_GE(fs::file_size(dir / "m.onnx.data"), 10u * 256 * 4 + 108 * 4);
    EXPECT_LT(fs::file_size(dir / "m.onnx"), 2000u);
    auto back = onnx_io::load_model(dir / "m.onnx");
    ASSERT_TRUE(back) << back.status().message();
    EXPECT_TRUE(m.same_as(*back));
    // the path form of the checker resolves external data against the model's folder
    EXPECT_NO_THROW(onnx::checker::check_model((dir / "m.onnx").string()));
}

// Shape inference on real networks: clear every declared intermediate and output shape, infer, compare.
TEST(ShapeInference, RecoversDeclaredOutputShapes) {
    size_t compared = 0;
    for (const auto& path : test_models("pytorch-converted")) {
        onnx_io::LoadOptions opt;
        opt.infer_shapes = false;
        auto model = onnx_io::load_model(path, opt);
        ASSERT_TRUE(model) << model.status().message();
        std::vector<ir::ValueInfo> declared = model->graph.outputs;
        for (auto& v : model->graph.outputs)
            v = ir::ValueInfo::named(v.name);
        model->graph.value_info.clear();
        onnx_io::infer_shapes(*model);
        for (const auto& d : declared) {
            auto it = model->graph.inferred.find(d.name);
            ASSERT_NE(it, model->graph.inferred.end()) << path << ": no shape for " << d.name;
            EXPECT_EQ(it->second.elem_type, d.elem_type) << path;
            EXPECT_EQ(it->second.dims, d.dims) << path << " output " << d.name;
            ++compared;
        }
    }
    EXPECT_GT(compared, 20u);
}

TEST(ShapeInference, FallbackRulesCoverNewerOpsets) {
    // opset 21 QuantizeLinear to int4 and DequantizeLinear back: unknown to onnx 1.12's schemas
    ir::Model m;
    m.ir_version = 10;
    m.opset_imports = {{"", 21}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(16)}));
    g.outputs.push_back(ir::ValueInfo::named("y"));
    g.set_initializer(ir::Tensor::from_floats("s", {}, {0.1f}));
    ir::Tensor zp;
    zp.name = "zp";
    zp.type = ir::DataType::kInt4;
    zp.data = {0};
    g.set_initializer(zp);
    ir::Node q;
    q.op_type = "QuantizeLinear";
    q.inputs = {"x", "s", "zp"};
    q.outputs = {"q"};
    g.add_node(q);
    ir::Node dq;
    dq.op_type = "DequantizeLinear";
    dq.inputs = {"q", "s", "zp"};
    dq.outputs = {"d"};
    g.add_node(dq);
    ir::Node add;
    add.op_type = "Add";
    add.inputs = {"d", "s"};
    add.outputs = {"y"};
    g.add_node(add);
    onnx_io::infer_shapes(m);
    ASSERT_TRUE(g.find_value_info("q"));
    EXPECT_EQ(g.find_value_info("q")->elem_type, ir::DataType::kInt4);
    auto y = g.find_value_info("y");
    ASSERT_TRUE(y);
    EXPECT_EQ(y->elem_type, ir::DataType::kFloat);
    EXPECT_EQ(y->dims, (std::vector<ir::Dim>{ir::Dim::symbol("N"), ir::Dim::known(16)}));
}

}  // namespace
}  // namespace lowbit
