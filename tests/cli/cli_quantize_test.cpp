// lowbit quantize / compare / eval on quantized models, end to end, and their errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/test_util.h"
#include "data/npy.h"

namespace lowbit {
namespace {

const std::string kModels = LOWBIT_SOURCE_DIR "/examples/models/";
const std::string kSample = LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy";
const std::string kLabels = LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64_labels.npy";

TEST(CliQuantize, QuantizeEvalRequantizeCompare) {
    test::TempDir dir;
    const std::string out = (dir / "q").string();
    auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + kSample + " -o " + out +
                           " --error-samples 32");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("model size"), std::string::npos);
    EXPECT_NE(r.out.find("/0/0.0/Conv"), std::string::npos);
    for (const char* f : {"model_qdq.onnx", "calibration.json", "report.json"})
        ASSERT_TRUE(std::filesystem::exists(dir / "q" / f)) << f;
    std::ifstream rep(dir / "q" / "report.json");
    auto j = nlohmann::json::parse(rep);
    ASSERT_EQ(j["layers"].size(), 5u);
    EXPECT_EQ(j["layers"][0]["precision"], "int");
    EXPECT_GT(j["layers"][0]["error"]["accumulated"]["cosine"].get<double>(), 0.99);
    EXPECT_GT(j["size_bytes"]["before"].get<int64_t>(), 3 * j["size_bytes"]["after"].get<int64_t>());
    // the quantized model evaluates like the original
    r = test::run_cli("eval " + out + "/model_qdq.onnx --data " + kSample + " --labels " + kLabels +
                      " --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_GT(nlohmann::json::parse(r.out)["top1"].get<double>(), 80.0);
    // re-quantize from the table, INT4 weights, no data
    r = test::run_cli("quantize " + kModels + "cnn.onnx --table " + out +
                      "/calibration.json --weight-bit 4 --error-samples 0 -o " + (dir / "q4").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "q4" / "model_qdq.onnx"));
    // INT4 weights get bias correction by default, which needs data: without any it is skipped, and said so
    auto j4 = nlohmann::json::parse(std::ifstream(dir / "q4" / "report.json"));
    EXPECT_EQ(j4["bias_correction"]["mode"], "auto");
    EXPECT_EQ(j4["bias_correction"]["layers"], 0);
    EXPECT_NE(j4["warnings"].dump().find("bias correction skipped"), std::string::npos)
        << j4["warnings"].dump();
    EXPECT_EQ(j4["weight_rounding"]["gptq_layers"], 0);  // GPTQ too
    EXPECT_NE(j4["warnings"].dump().find("GPTQ weight rounding skipped"), std::string::npos)
        << j4["warnings"].dump();
    // with the data every INT4 layer is corrected
    r = test::run_cli("quantize " + kModels + "cnn.onnx --table " + out + "/calibration.json --calib " +
                      kSample + " --weight-bit 4 --error-samples 0 -o " + (dir / "q4c").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j4 = nlohmann::json::parse(std::ifstream(dir / "q4c" / "report.json"));
    EXPECT_EQ(j4["bias_correction"]["layers"], 5);
    for (const auto& l : j4["layers"])
        EXPECT_GT(l["bias_correction_max_abs"].get<double>(), 0.0) << l["name"];
    // and GPTQ rounds the three Convs; the Gemms have more inputs (1152, 128) than 64 samples can fit
    EXPECT_EQ(j4["weight_rounding"]["mode"], "auto");
    EXPECT_EQ(j4["weight_rounding"]["gptq_layers"], 3);
    for (const auto& l : j4["layers"])
        EXPECT_EQ(l["weight_rounding"], l["op_type"] == "Conv" ? "gptq" : "nearest") << l["name"];
    EXPECT_NE(j4["warnings"].dump().find("/8/Gemm: GPTQ saw 64 input vectors for its 1152 inputs"),
              std::string::npos)
        << j4["warnings"].dump();
    // nearest rounding on request
    r = test::run_cli("quantize " + kModels + "cnn.onnx --table " + out + "/calibration.json --calib " +
                      kSample +
                      " --weight-bit 4 --error-samples 0 --set advanced.weight_rounding=nearest -o " +
                      (dir / "q4n").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(
        nlohmann::json::parse(std::ifstream(dir / "q4n" / "report.json"))["weight_rounding"]["gptq_layers"],
        0);
    // compare per output and per layer
    r = test::run_cli("compare " + kModels + "cnn.onnx " + out + "/model_qdq.onnx --data " + kSample +
                      " --layers --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto c = nlohmann::json::parse(r.out);
    ASSERT_GT(c.size(), 5u);
    EXPECT_EQ(c[0]["tensor"], "logits");
    EXPECT_EQ(c[0]["top1_agreement"]["rows"], 64);  // the classifier output: how many predictions changed
    EXPECT_GE(c[0]["top1_agreement"]["agreeing"].get<int>(), 60);
    EXPECT_FALSE(c[1].contains("top1_agreement"));  // not for layer values
    for (const auto& e : c)
        EXPECT_GT(e["cosine"].get<double>(), 0.98) << e["tensor"];
}

TEST(CliQuantize, BadInputsGiveClearErrors) {
    test::TempDir dir;
    const std::string out = (dir / "q").string();
    {
        std::ofstream(dir / "bad.yaml") << "quantize:\n  weight_bits: 8\n";
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx --config " + (dir / "bad.yaml").string() +
                               " --calib " + kSample + " -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("bad.yaml:2:3: unknown key 'quantize.weight_bits'"), std::string::npos) << r.err;
    }
    {
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + (dir / "missing.npy").string() +
                               " -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("missing.npy"), std::string::npos) << r.err;
    }
    {
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("no calibration data"), std::string::npos) << r.err;
    }
    {
        // images of the wrong size for the model
        runtime::Tensor t(runtime::DataType::kFloat, {4, 1, 32, 32});
        for (int64_t i = 0; i < t.numel(); ++i)
            t.data<float>()[i] = 0.5f;
        ASSERT_TRUE(data::write_npy(dir / "big.npy", t).is_ok());
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + (dir / "big.npy").string() +
                               " -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("28"), std::string::npos) << r.err;
    }
    {
        // wrong channel count: RGB images for a 1-channel model are converted; 2 channels are not
        runtime::Tensor t(runtime::DataType::kFloat, {4, 2, 28, 28});
        for (int64_t i = 0; i < t.numel(); ++i)
            t.data<float>()[i] = 0.5f;
        ASSERT_TRUE(data::write_npy(dir / "two.npy", t).is_ok());
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx --calib " + (dir / "two.npy").string() +
                               " -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_FALSE(r.err.empty());
    }
    {
        auto r = test::run_cli("quantize " + kModels + "cnn.onnx --table " + kSample + " -o " + out);
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("fashion_mnist_test_64.npy"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "q" / "model_qdq.onnx"));
}

// Ctrl-C during calibration: exit 130, and no output file, complete or partial.
TEST(CliQuantize, InterruptLeavesNoFiles) {
    test::TempDir dir;
    const std::string out = (dir / "q").string();
    // the child's progress comes through a pipe: SIGINT goes once the run has started (its handler is in
    // place), not after a guessed delay that a loaded machine can outlast
    int pipe_fd[2];
    ASSERT_EQ(pipe(pipe_fd), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(pipe_fd[1], 2);
        close(pipe_fd[0]);
        execl(LOWBIT_CLI, LOWBIT_CLI, "quantize", (kModels + "vit.onnx").c_str(), "--calib",
              "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "--num-samples", "60000",
              "--batch-size", "16", "--threads", "1", "-o", out.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fd[1]);
    std::string seen;
    char buf[256];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (seen.find('%') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        const ssize_t n = read(pipe_fd[0], buf, sizeof buf);
        if (n <= 0) break;
        seen.append(buf, static_cast<size_t>(n));
    }
    EXPECT_NE(seen.find('%'), std::string::npos) << seen;  // the first progress line: the run is under way
    kill(pid, SIGINT);
    while (read(pipe_fd[0], buf, sizeof buf) > 0) {
    }  // drain until the child exits, so it never blocks on a full pipe
    close(pipe_fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    if (std::filesystem::exists(dir / "q"))
        for (const auto& e : std::filesystem::directory_iterator(dir / "q"))
            ADD_FAILURE() << "left behind: " << e.path();
}

}  // namespace
}  // namespace lowbit
