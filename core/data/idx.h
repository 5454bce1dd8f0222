// IDX files (the MNIST family: images and labels), plain or gzip-compressed, as uint8/int tensors.
#pragma once

#include <filesystem>

#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::data {

// The whole file: shape from the header, element type from its type code (uint8, int8, int16, int32,
// float32, float64; multi-byte values are big-endian on disk and converted).
Result<runtime::Tensor> read_idx(const std::filesystem::path& path);

}  // namespace lowbit::data
