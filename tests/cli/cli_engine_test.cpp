// lowbit run / eval / bench end to end on the example models, and their errors for bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_util.h"
#include "data/npy.h"
#include "onnx/onnx_io.h"
#include "runtime/executor.h"

namespace lowbit {
namespace {

const std::string kModels = LOWBIT_SOURCE_DIR "/examples/models/";
const std::string kSample = LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy";
const std::string kLabels = LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64_labels.npy";

TEST(CliEngine, RunWritesOutputsAndIntermediates) {
    test::TempDir dir;
    auto r = test::run_cli("run " + kModels + "cnn.onnx -i input=" + kSample + " -o " +
                           (dir / "out.npz").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto arrays = data::read_npz(dir / "out.npz");
    ASSERT_TRUE(arrays) << arrays.status().message();
    ASSERT_EQ(arrays->size(), 1u);
    EXPECT_EQ((*arrays)[0].first, "logits");
    EXPECT_EQ((*arrays)[0].second.shape(), (runtime::Shape{64, 10}));
    r = test::run_cli("run " + kModels + "cnn.onnx -i input=" + kSample + " -o " +
                      (dir / "all.npz").string() + " --all-tensors");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto all = data::read_npz(dir / "all.npz");
    ASSERT_TRUE(all);
    EXPECT_GT(all->size(), 16u);  // every node output, the input and the weights
}

TEST(CliEngine, EvalOnTheSampleAndBench) {
    auto r = test::run_cli("eval " + kModels + "resnet.onnx --data " + kSample + " --labels " + kLabels +
                           " --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["samples"], 64);
    EXPECT_GT(j["top1"].get<double>(), 80.0);
    r = test::run_cli("bench " + kModels +
                      "mobilenetv2.onnx --batch 4 --threads 1 --seconds 0.2 --warmup 1 --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["throughput_per_s"].get<double>(), 0.0);
    EXPECT_GT(j["peak_activation_mb"].get<double>(), 0.0);
}

TEST(CliEngine, BadInputsGiveClearErrors) {
    test::TempDir dir;
    ASSERT_TRUE(data::write_npy(dir / "wrong_shape.npy",
                                runtime::Tensor::from_floats({2, 1, 27, 28}, std::vector<float>(2 * 27 * 28)))
                    .is_ok());
    ASSERT_TRUE(data::write_npy(dir / "wrong_type.npy",
                                runtime::Tensor::from_int64s({1, 1, 28, 28}, std::vector<int64_t>(784)))
                    .is_ok());
    ASSERT_TRUE(
        data::write_npy(dir / "labels5.npy", runtime::Tensor::from_int64s({5}, {1, 2, 3, 4, 5})).is_ok());
    std::string cnn = kModels + "cnn.onnx", out = (dir / "o.npz").string();
    struct Case {
        std::string args, expect;
    };
    std::vector<Case> cases = {
        {"run " + cnn + " -i input=" + (dir / "wrong_shape.npy").string() + " -o " + out,
         "dimension 2 must be 28"},
        {"run " + cnn + " -i input=" + (dir / "wrong_type.npy").string() + " -o " + out,
         "must be float32, got int64"},
        {"run " + cnn + " -i image=" + kSample + " -o " + out, "no input named 'image'"},
        {"run " + cnn + " -i input=" + (dir / "missing.npy").string() + " -o " + out, "no such file"},
        {"run " + cnn + " -i input=" + kSample + " -o " + (dir / "o.txt").string(), "must be an .npz"},
        {"eval " + cnn + " --data " + kSample + " --labels " + (dir / "labels5.npy").string(),
         "5 labels for 64 samples"},
        {"eval " + cnn + " --data " + (dir / "wrong_shape.npy").string() + " --labels " +
             (dir / "labels5.npy").string(),
         "labels"},
        {"bench " + cnn + " --batch 0", "--batch"},
    };
    for (const auto& c : cases) {
        auto r = test::run_cli(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << "\n" << r.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << c.args;
    }
}

TEST(CliEngine, OneAndTwoThreadsAgree) {
    auto model = onnx_io::load_model(kModels + "resnet.onnx");
    ASSERT_TRUE(model);
    auto x = data::read_npy(kSample);
    ASSERT_TRUE(x);
    std::vector<runtime::Tensor> results;
    for (int threads : {1, 2}) {
        runtime::ExecutorOptions opt;
        opt.threads = threads;
        auto exec = runtime::Executor::create(*model, opt);
        ASSERT_TRUE(exec);
        auto out = (*exec)->run({{"input", *x}});
        ASSERT_TRUE(out) << out.status().message();
        results.push_back((*out)[0].second);
    }
    for (int64_t i = 0; i < results[0].numel(); ++i)
        ASSERT_NEAR(results[0].data<float>()[i], results[1].data<float>()[i],
                    1e-4f * std::max(1.0f, std::fabs(results[0].data<float>()[i])));
}

}  // namespace
}  // namespace lowbit
