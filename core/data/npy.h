// NumPy .npy and .npz files <-> runtime tensors: what `lowbit run` reads and writes, and a calibration data
// format. .npy versions 1.0-3.0, little-endian, C order; .npz through libzip (stored or deflated members).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::data {

Result<runtime::Tensor> read_npy(const std::filesystem::path& path);

// The header alone, for reading rows on demand: `bytes` must hold at least the header (the first 64 KiB of a
// file is plenty for any array numpy writes); data_offset is where the C-order data starts.
struct NpyHeader {
    runtime::DataType type = runtime::DataType::kFloat;
    runtime::Shape shape;
    size_t data_offset = 0;
};
Result<NpyHeader> parse_npy_header(const std::string& bytes, const std::string& what);
Result<runtime::Tensor> parse_npy(const std::string& bytes, const std::string& what);
std::string encode_npy(const runtime::Tensor& tensor);
Status write_npy(const std::filesystem::path& path, const runtime::Tensor& tensor);

// All arrays of an .npz, by name (without the ".npy" suffix), in archive order.
Result<std::vector<std::pair<std::string, runtime::Tensor>>> read_npz(const std::filesystem::path& path);
// Writes an uncompressed .npz atomically.
Status write_npz(const std::filesystem::path& path,
                 const std::vector<std::pair<std::string, runtime::Tensor>>& arrays);

}  // namespace lowbit::data
