#include "core/test_util.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "runtime/executor.h"

namespace fs = std::filesystem;

namespace lowbit::test {

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("lowbit-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

ir::ValueInfo tensor_value(const std::string& name, ir::DataType type, std::vector<ir::Dim> dims) {
    ir::ValueInfo v;
    v.name = name;
    v.has_type = true;
    v.elem_type = type;
    v.has_shape = true;
    v.dims = std::move(dims);
    return v;
}

runtime::Tensor random_tensor(runtime::Shape shape, uint32_t seed, float lo, float hi) {
    runtime::Tensor t(runtime::DataType::kFloat, std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = d(rng);
    return t;
}

runtime::Tensor run_value(const ir::Model& model, const std::string& name, const runtime::Tensor& x) {
    runtime::ExecutorOptions eo;
    eo.fuse = false;
    eo.keep_all = true;
    eo.threads = 1;
    auto exec = runtime::Executor::create(model, eo);
    EXPECT_TRUE(exec.is_ok()) << exec.status().message();
    auto r = (*exec)->run({{"x", x}});
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return (*exec)->all_values().at(name);
}

ir::Model make_small_cnn() {
    using ir::Dim;
    ir::Model m;
    m.ir_version = 8;
    m.opset_imports = {{"", 13}};
    m.producer_name = "lowbit-test";
    m.graph.name = "small_cnn";
    m.graph.inputs.push_back(tensor_value("x", ir::DataType::kFloat,
                                          {Dim::symbol("N"), Dim::known(3), Dim::known(8), Dim::known(8)}));
    m.graph.outputs.push_back(tensor_value("y", ir::DataType::kFloat, {Dim::symbol("N"), Dim::known(10)}));
    std::vector<float> w(4 * 3 * 3 * 3), b(4), fw(10 * 256), fb(10);
    for (size_t k = 0; k < w.size(); ++k)
        w[k] = 0.01f * static_cast<float>(k % 7);
    for (size_t k = 0; k < fw.size(); ++k)
        fw[k] = 0.001f * static_cast<float>(k % 13);
    m.graph.set_initializer(ir::Tensor::from_floats("conv.w", {4, 3, 3, 3}, w));
    m.graph.set_initializer(ir::Tensor::from_floats("conv.b", {4}, b));
    m.graph.set_initializer(ir::Tensor::from_floats("fc.w", {10, 256}, fw));
    m.graph.set_initializer(ir::Tensor::from_floats("fc.b", {10}, fb));
    ir::Node conv;
    conv.name = "conv";
    conv.op_type = "Conv";
    conv.inputs = {"x", "conv.w", "conv.b"};
    conv.outputs = {"c"};
    ir::Attribute pads;
    pads.name = "pads";
    pads.kind = ir::AttrKind::kInts;
    pads.ints = {1, 1, 1, 1};
    conv.attributes.push_back(pads);
    m.graph.add_node(conv);
    ir::Node relu;
    relu.name = "relu";
    relu.op_type = "Relu";
    relu.inputs = {"c"};
    relu.outputs = {"r"};
    m.graph.add_node(relu);
    ir::Node flat;
    flat.name = "flatten";
    flat.op_type = "Flatten";
    flat.inputs = {"r"};
    flat.outputs = {"f"};
    m.graph.add_node(flat);
    ir::Node fc;
    fc.name = "fc";
    fc.op_type = "Gemm";
    fc.inputs = {"f", "fc.w", "fc.b"};
    fc.outputs = {"y"};
    ir::Attribute trans_b;
    trans_b.name = "transB";
    trans_b.kind = ir::AttrKind::kInt;
    trans_b.i = 1;
    fc.attributes.push_back(trans_b);
    m.graph.add_node(fc);
    return m;
}

CommandResult run_cli(const std::string& args) {
    TempDir tmp;
    std::string cmd =
        std::string(LOWBIT_CLI) + " " + args + " >" + (tmp / "out").string() + " 2>" + (tmp / "err").string();
    int status = std::system(cmd.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto slurp = [](const fs::path& p) {
        std::ifstream in(p);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    r.out = slurp(tmp / "out");
    r.err = slurp(tmp / "err");
    return r;
}

}  // namespace lowbit::test
