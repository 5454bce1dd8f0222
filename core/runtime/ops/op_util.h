// Small helpers shared by kernels: axis normalisation, numpy broadcasting, strides, type dispatch.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/kernel.h"

namespace lowbit::runtime {

// Axis in [-rank, rank) to [0, rank); nullopt when out of range.
inline std::optional<int64_t> normalize_axis(int64_t axis, int64_t rank) {
    if (axis < -rank || axis >= rank) return std::nullopt;
    return axis < 0 ? axis + rank : axis;
}

// Numpy-style broadcast of two shapes; nullopt when incompatible.
inline std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
    size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (size_t k = 0; k < rank; ++k) {
        int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
        int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
        if (da != db && da != 1 && db != 1) return std::nullopt;
        out[k] = da == 1 ? db : da;
    }
    return out;
}

// Row-major strides in elements.
inline std::vector<int64_t> strides_of(const Shape& shape) {
    std::vector<int64_t> s(shape.size(), 1);
    for (size_t k = shape.size(); k-- > 1;)
        s[k - 1] = s[k] * shape[k];
    return s;
}

// Strides of `shape` broadcast to `out` (0 where the dimension is broadcast).
inline std::vector<int64_t> broadcast_strides(const Shape& shape, const Shape& out) {
    std::vector<int64_t> s(out.size(), 0);
    auto own = strides_of(shape);
    size_t offset = out.size() - shape.size();
    for (size_t k = 0; k < shape.size(); ++k)
        s[offset + k] = shape[k] == 1 ? 0 : own[k];
    return s;
}

// Calls fn(T{}) with T the C++ type of `type` for the common numeric types; returns false otherwise.
template <typename Fn>
bool dispatch_numeric(DataType type, Fn&& fn) {
    switch (type) {
        case DataType::kFloat:
            fn(float{});
            return true;
        case DataType::kDouble:
            fn(double{});
            return true;
        case DataType::kInt64:
            fn(int64_t{});
            return true;
        case DataType::kInt32:
            fn(int32_t{});
            return true;
        case DataType::kInt16:
            fn(int16_t{});
            return true;
        case DataType::kInt8:
            fn(int8_t{});
            return true;
        case DataType::kUint8:
            fn(uint8_t{});
            return true;
        case DataType::kUint16:
            fn(uint16_t{});
            return true;
        case DataType::kUint32:
            fn(uint32_t{});
            return true;
        case DataType::kUint64:
            fn(uint64_t{});
            return true;
        case DataType::kBool:
            fn(bool{});
            return true;
        default:
            return false;
    }
}

}  // namespace lowbit::runtime

namespace lowbit::runtime {

// Bytes per element for the fixed-size types kernels move around (0 for 4-bit and string types).
inline size_t element_size(DataType type) {
    int bits = ir::bits_of(type);
    return bits >= 8 ? static_cast<size_t>(bits / 8) : 0;
}

// dst[i0..in] = src[sum(ik * src_strides[k]) + src_offset] for every index of `out_shape` (elements of
// `elem` bytes); copies whole runs when the innermost source stride is 1.
void copy_strided(const void* src, const std::vector<int64_t>& src_strides, int64_t src_offset, void* dst,
                  const Shape& out_shape, size_t elem);

}  // namespace lowbit::runtime
