// Bad model files: each gives one clear message naming the file and the problem, and `lowbit info` exits 2
// with exactly one line on stderr.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include <onnx/onnx_pb.h>

#include "core/test_util.h"
#include "onnx/onnx_io.h"

namespace fs = std::filesystem;

namespace lowbit {
namespace {

void write(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

onnx::ModelProto good_proto() {
    auto bytes = onnx_io::serialize_model(test::make_small_cnn());
    onnx::ModelProto p;
    EXPECT_TRUE(p.ParseFromString(*bytes));
    return p;
}

onnx::TensorProto* find_init(onnx::ModelProto& p, const std::string& name) {
    for (auto& t : *p.mutable_graph()->mutable_initializer())
        if (t.name() == name) return &t;
    return nullptr;
}

void make_external(onnx::TensorProto* t, const std::string& location, const std::string& offset,
                   const std::string& length) {
    t->clear_raw_data();
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [t](const char* k, const std::string& v) {
        if (v.empty()) return;
        auto* kv = t->add_external_data();
        kv->set_key(k);
        kv->set_value(v);
    };
    add("location", location);
    add("offset", offset);
    add("length", length);
}

struct BadCase {
    std::string name;
    std::function<fs::path(const fs::path& dir)> make;  // writes the bad input, returns the path to load
    std::string expect;                                 // part of the message
};

std::vector<BadCase> bad_cases() {
    auto proto_case = [](std::string name, std::function<void(onnx::ModelProto&)> edit, std::string expect) {
        return BadCase{name,
                       [edit, name](const fs::path& dir) {
                           onnx::ModelProto p = good_proto();
                           edit(p);
                           fs::path path = dir / (name + ".onnx");
                           write(path, p.SerializeAsString());
                           std::vector<char> fc(10 * 256 * 4, 1);
                           write(dir / "weights.bin", std::string(fc.begin(), fc.end()));
                           return path;
                       },
                       expect};
    };
    std::vector<BadCase> cases = {
        {"missing", [](const fs::path& dir) { return dir / "nope.onnx"; }, "no such file"},
        {"folder",
         [](const fs::path& dir) {
             fs::create_directories(dir / "afolder.onnx");
             return dir / "afolder.onnx";
         },
         "is a folder"},
        {"empty",
         [](const fs::path& dir) {
             write(dir / "empty.onnx", "");
             return dir / "empty.onnx";
         },
         "empty"},
        {"random",
         [](const fs::path& dir) {
             std::mt19937 rng(7);
             std::string junk(4096, '\0');
             for (auto& c : junk)
                 c = static_cast<char>(rng());
             write(dir / "random.onnx", junk);
             return dir / "random.onnx";
         },
         "not an ONNX model"},
        {"text",
         [](const fs::path& dir) {
             write(dir / "text.onnx", "this is not a model\n");
             return dir / "text.onnx";
         },
         "not an ONNX model"},
        {"truncated",
         [](const fs::path& dir) {
             std::string bytes = good_proto().SerializeAsString();
             write(dir / "trunc.onnx", bytes.substr(0, bytes.size() * 2 / 3));
             return dir / "trunc.onnx";
         },
         "not an ONNX model"},
    };
    cases.push_back(proto_case(
        "dangling", [](auto& p) { p.mutable_graph()->mutable_node(1)->set_input(0, "ghost"); },
        "'ghost', which nothing defines"));
    cases.push_back(proto_case(
        "cycle",
        [](auto& p) {
            // conv reads the Relu's output, the Relu reads the conv's
            p.mutable_graph()->mutable_node(0)->set_input(0, "r");
        },
        "cycle"));
    cases.push_back(proto_case(
        "short_bytes", [](auto& p) { find_init(p, "fc.b")->set_raw_data("abc"); },
        "tensor 'fc.b' holds 3 bytes"));
    cases.push_back(proto_case(
        "negative_dim", [](auto& p) { find_init(p, "fc.b")->set_dims(0, -10); }, "negative dimension -10"));
    cases.push_back(proto_case(
        "negative_input_dim",
        [](auto& p) {
            p.mutable_graph()
                ->mutable_input(0)
                ->mutable_type()
                ->mutable_tensor_type()
                ->mutable_shape()
                ->mutable_dim(1)
                ->set_dim_value(-3);
        },
        "negative dimension -3"));
    cases.push_back(proto_case(
        "unknown_type", [](auto& p) { find_init(p, "fc.b")->set_data_type(77); }, "unknown element type 77"));
    cases.push_back(proto_case(
        "no_graph", [](auto& p) { p.clear_graph(); }, "no graph"));
    cases.push_back(proto_case(
        "old_ir", [](auto& p) { p.set_ir_version(2); }, "ir_version 2"));
    cases.push_back(proto_case(
        "duplicate_output", [](auto& p) { p.mutable_graph()->mutable_node(1)->set_output(0, "c"); },
        "more than once"));
    cases.push_back(proto_case(
        "missing_external", [](auto& p) { make_external(find_init(p, "fc.w"), "gone.bin", "0", "10240"); },
        "is missing"));
    cases.push_back(proto_case(
        "escaping_external",
        [](auto& p) { make_external(find_init(p, "fc.w"), "../weights.bin", "0", "10240"); },
        "escapes the model's folder"));
    cases.push_back(proto_case(
        "absolute_external", [](auto& p) { make_external(find_init(p, "fc.w"), "/etc/passwd", "0", "10"); },
        "is absolute"));
    cases.push_back(proto_case(
        "short_external",
        [](auto& p) { make_external(find_init(p, "fc.w"), "weights.bin", "4096", "10240"); },
        "runs past its end"));
    cases.push_back(proto_case(
        "wrong_length_external",
        [](auto& p) { make_external(find_init(p, "fc.w"), "weights.bin", "0", "100"); }, "has 100 bytes"));
    cases.push_back(proto_case(
        "bad_offset_external", [](auto& p) { make_external(find_init(p, "fc.w"), "weights.bin", "x1", ""); },
        "not a number"));
    return cases;
}

TEST(BadInput, LoaderNamesFileAndProblem) {
    for (const auto& c : bad_cases()) {
        test::TempDir dir;
        fs::path path = c.make(dir.path());
        auto model = onnx_io::load_model(path);
        ASSERT_FALSE(model) << c.name << " loaded";
        const std::string& msg = model.status().message();
        EXPECT_NE(msg.find(path.string()), std::string::npos) << c.name << ": " << msg;
        EXPECT_NE(msg.find(c.expect), std::string::npos) << c.name << ": " << msg;
    }
}

TEST(BadInput, CliExitsTwoWithOneLine) {
    for (const auto& c : bad_cases()) {
        test::TempDir dir;
        fs::path path = c.make(dir.path());
        auto r = test::run_cli("info '" + path.string() + "'");
        EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.name << ": " << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
        EXPECT_TRUE(r.out.empty()) << c.name;
    }
}

TEST(BadInput, CliUsageErrorsExitTwo) {
    EXPECT_EQ(test::run_cli("").exit_code, 2);
    EXPECT_EQ(test::run_cli("info").exit_code, 2);
    EXPECT_EQ(test::run_cli("frobnicate x.onnx").exit_code, 2);
    EXPECT_EQ(test::run_cli("--help").exit_code, 0);
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

// Inputs the fuzzer found: each must load or fail cleanly, never crash.
TEST(FuzzRegressions, LoadWithoutCrashing) {
    for (const auto& entry : std::filesystem::directory_iterator(LOWBIT_SOURCE_DIR "/tests/data/fuzz")) {
        auto model = onnx_io::load_model(entry.path());
        if (model) (void)onnx_io::serialize_model(*model);
        SUCCEED() << entry.path();
    }
}

}  // namespace
}  // namespace lowbit
