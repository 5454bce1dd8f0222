// Shared test helpers: tiny models built in code, temporary folders, running the CLI.
#pragma once

#include <cstring>
#include <filesystem>
#include <string>

#include "data/source.h"
#include "ir/model.h"
#include "runtime/tensor.h"

namespace lowbit::test {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

ir::ValueInfo tensor_value(const std::string& name, ir::DataType type, std::vector<ir::Dim> dims);

// Calibration data held in memory: samples along the first axis of one tensor.
class TensorSource : public data::DataSource {
  public:
    explicit TensorSource(runtime::Tensor all) : all_(std::move(all)) {}
    int64_t size() const override { return all_.dim(0); }
    Result<runtime::Tensor> batch(int64_t begin, int64_t end) override {
        runtime::Shape s = all_.shape();
        s[0] = end - begin;
        runtime::Tensor t(runtime::DataType::kFloat, s);
        const int64_t per = all_.numel() / all_.dim(0);
        std::memcpy(t.data<float>(), all_.data<float>() + begin * per,
                    static_cast<size_t>((end - begin) * per) * sizeof(float));
        return t;
    }
    runtime::Shape sample_shape() const override {
        return runtime::Shape(all_.shape().begin() + 1, all_.shape().end());
    }
    std::string describe() const override { return "test tensor"; }
    int64_t bytes_read() const override { return 0; }

  private:
    runtime::Tensor all_;
};

// A float tensor of uniform random values in [lo, hi), the same for the same seed.
runtime::Tensor random_tensor(runtime::Shape shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

// Value `name` (any node output) when `model` runs, unfused on one thread, with input "x" = `x`.
runtime::Tensor run_value(const ir::Model& model, const std::string& name, const runtime::Tensor& x);

// x[N,3,8,8] -> Conv(4 filters 3x3, pad 1) -> Relu -> Flatten -> Gemm(10) -> y; weights in initializers.
ir::Model make_small_cnn();

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the lowbit CLI with `args` (shell-quoted by the caller), capturing stdout and stderr.
CommandResult run_cli(const std::string& args);

}  // namespace lowbit::test
