// IDX files (the MNIST family: images and labels), plain or gzip-compressed, as uint8/int tensors.
#pragma once

#include <filesystem>
#include <string>

#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::data {

// The whole file: shape from the header, element type from its type code (uint8, int8, int16, int32,
// float32, float64; multi-byte values are big-endian on disk and converted).
Result<runtime::Tensor> read_idx(const std::filesystem::path& path);

// The header alone (the first 4 + 4 * rank bytes of the decompressed data), for reading rows on demand.
struct IdxHeader {
    runtime::DataType type = runtime::DataType::kUint8;
    size_t element_size = 1;  // bytes per element on disk (big-endian)
    runtime::Shape shape;
    size_t data_offset = 0;
};
Result<IdxHeader> parse_idx_header(const std::string& bytes, const std::string& what);

}  // namespace lowbit::data
