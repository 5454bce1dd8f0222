// Input preprocessing as data: how raw images (uint8, [N,H,W] gray or [N,H,W,C]) become the model's
// float input. y = (x * scale - mean[c]) / std[c], channels reordered (RGB/BGR) and laid out NCHW or NHWC.
// Read from a small YAML spec (`preprocess:` section; the config file reuses it) or built from flags.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::data {

struct Preprocess {
    float scale = 1.0f / 255.0f;
    std::vector<float> mean = {0.0f};  // one value, or one per channel
    std::vector<float> std = {1.0f};
    std::string channel_order = "rgb";  // rgb | bgr | gray (the source images' order is RGB)
    std::string layout = "NCHW";        // NCHW | NHWC

    // Applies to uint8 images; float input is passed through unchanged (already preprocessed).
    Result<runtime::Tensor> apply(const runtime::Tensor& images) const;
    Status validate() const;
};

// Reads the `preprocess:` mapping of a YAML file (or the whole file if it is that mapping).
Result<Preprocess> load_preprocess(const std::filesystem::path& path);

}  // namespace lowbit::data
