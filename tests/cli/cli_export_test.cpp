// lowbit export: a format's files from a stored calibration table, from a model or a project; its errors.
#include <gtest/gtest.h>

#include <fstream>

#include "core/test_util.h"
#include "onnx/onnx_io.h"

namespace lowbit {
namespace {

const std::string kModels = LOWBIT_SOURCE_DIR "/examples/models/";
const std::string kSample = LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy";

std::string read(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

size_t files_in(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir)) return 0;
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        n += e.is_regular_file() || e.is_directory();
    return n;
}

TEST(CliExport, FromATableAndFromAProjectWritesWhatQuantizeWrote) {
    test::TempDir dir;
    const std::string q = (dir / "q").string();
    auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + kSample + " -o " + q +
                           " --error-samples 0 -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // step: from the model and the table: the same QDQ file, byte for byte, and nothing else
    r = test::run_cli("export " + kModels + "cnn.onnx --table " + q + "/calibration.json --format qdq -o " +
                      (dir / "e").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("model_qdq.onnx"), std::string::npos) << r.out;
    EXPECT_EQ(read(dir / "e" / "model_qdq.onnx"), read(dir / "q" / "model_qdq.onnx"));
    EXPECT_EQ(files_in(dir / "e"), 1u);
    // step: from a project naming the model, with a per-layer rule the export honours
    std::ofstream(dir / "p.yaml") << "model: " << kModels
                                  << "cnn.onnx\nquantize:\n  sensitive_layers: [/0/0.0/Conv]\n";
    r = test::run_cli("export " + (dir / "p.yaml").string() + " --table " + q + "/calibration.json -o " +
                      (dir / "pe").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto m = onnx_io::load_model(dir / "pe" / "model_qdq.onnx");
    ASSERT_TRUE(m.is_ok()) << m.status().message();
    EXPECT_NE(read(dir / "pe" / "model_qdq.onnx"),
              read(dir / "q" / "model_qdq.onnx"));  // the first layer stays float
    // step: the default output folder is the table's; --help lists the formats
    r = test::run_cli("export --help");
    EXPECT_NE(r.out.find("qdq"), std::string::npos) << r.out;
}

TEST(CliExport, BadInputsGiveOneLineExit2AndNoFiles) {
    test::TempDir dir;
    const std::string q = (dir / "q").string();
    auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + kSample + " -o " + q +
                           " --error-samples 0 -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct Case {
        std::string args, says;
    };
    const std::string out = (dir / "out").string();
    const std::vector<Case> cases = {
        {"export " + kModels + "cnn.onnx --table " + (dir / "missing.json").string() + " -o " + out,
         "missing.json"},
        {"export " + kModels + "resnet.onnx --table " + q + "/calibration.json -o " + out, "another model"},
        {"export " + kModels + "cnn.onnx --table " + q + "/calibration.json --format tflite -o " + out,
         "unknown export format 'tflite' (formats: qdq"},
        {"export " + kModels + "cnn.onnx --table " + q + "/calibration.json -o " + q, "overwrite"},
    };
    for (const auto& c : cases) {
        if (c.says == "overwrite") {
            // exporting next to its table is fine; writing over the model it reads is not
            std::filesystem::copy_file(kModels + "cnn.onnx", dir / "q" / "model_qdq.onnx",
                                       std::filesystem::copy_options::overwrite_existing);
            r = test::run_cli("export " + q + "/model_qdq.onnx --table " + q + "/calibration.json");
        } else {
            r = test::run_cli(c.args);
        }
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_EQ(files_in(dir / "out"), 0u) << c.args;
    }
    EXPECT_EQ(read(dir / "q" / "model_qdq.onnx"), read(kModels + "cnn.onnx"));  // the input was left alone
}

}  // namespace
}  // namespace lowbit
