// Fuzzes the ONNX loader: parse, validate, infer shapes, summarize and re-serialize arbitrary bytes.
// Any crash, hang or sanitizer report is a finding; a clean error Status is the expected outcome.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "analysis/model_summary.h"
#include "onnx/onnx_io.h"

namespace {

std::filesystem::path base_dir() {
    // an empty folder: external-data locations resolve here and find nothing
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / "lowbit-fuzz-base";
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto model = lowbit::onnx_io::load_model_from_bytes(bytes, base_dir());
    if (!model) return 0;
    (void)lowbit::analysis::summarize(*model);
    auto out = lowbit::onnx_io::serialize_model(*model);
    if (out) {
        lowbit::onnx_io::LoadOptions no_inference;
        no_inference.infer_shapes = false;
        auto again = lowbit::onnx_io::load_model_from_bytes(*out, base_dir(), no_inference);
        if (!again) __builtin_trap();  // what we wrote must load
    }
    return 0;
}
