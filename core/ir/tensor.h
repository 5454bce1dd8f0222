// Tensor: a named constant (initializer, attribute value) with its element type, dims and raw bytes.
// Data is always held as raw little-endian bytes (4-bit types packed two per byte, low nibble first), as
// ONNX's raw_data, whatever field the file used; string tensors keep their strings separately.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ir/data_type.h"

namespace lowbit::ir {

struct Tensor {
    std::string name;
    DataType type = DataType::kFloat;
    std::vector<int64_t> dims;
    std::vector<uint8_t> data;         // raw bytes, size == storage_bytes(type, element_count())
    std::vector<std::string> strings;  // only for DataType::kString
    std::string doc_string;

    // Product of dims (1 for a scalar); nullopt if a dim is negative or the product overflows.
    std::optional<uint64_t> element_count() const;

    // Typed read-only view of the bytes; T must match the element size.
    template <typename T>
    std::span<const T> view() const {
        return {reinterpret_cast<const T*>(data.data()), data.size() / sizeof(T)};
    }
    template <typename T>
    std::span<T> mutable_view() {
        return {reinterpret_cast<T*>(data.data()), data.size() / sizeof(T)};
    }

    // Element i converted to double (float16/bfloat16/int4 decoded); for small shape-like tensors.
    double value_as_double(uint64_t i) const;
    // Every element converted to float (any numeric type; a constant's values for a rewrite pass).
    std::vector<float> to_floats() const;

    // Builds a float32 or int64 tensor from values.
    static Tensor from_floats(std::string name, std::vector<int64_t> dims, const std::vector<float>& values);
    static Tensor from_int64s(std::string name, std::vector<int64_t> dims, const std::vector<int64_t>& values);

    bool operator==(const Tensor&) const = default;
};

// IEEE half and bfloat16 conversions (round to nearest even).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);
float bfloat16_to_float(uint16_t b);
uint16_t float_to_bfloat16(float f);

}  // namespace lowbit::ir
