// Element types of tensors, numbered as ONNX's TensorProto.DataType so conversion is a cast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lowbit::ir {

enum class DataType : int32_t {
    kUndefined = 0,
    kFloat = 1,
    kUint8 = 2,
    kInt8 = 3,
    kUint16 = 4,
    kInt16 = 5,
    kInt32 = 6,
    kInt64 = 7,
    kString = 8,
    kBool = 9,
    kFloat16 = 10,
    kDouble = 11,
    kUint32 = 12,
    kUint64 = 13,
    kComplex64 = 14,
    kComplex128 = 15,
    kBFloat16 = 16,
    kFloat8E4M3FN = 17,
    kFloat8E4M3FNUZ = 18,
    kFloat8E5M2 = 19,
    kFloat8E5M2FNUZ = 20,
    kUint4 = 21,
    kInt4 = 22,
};

// True for every code ONNX defines (1..22); 0 and anything else are not element types.
bool is_known_data_type(int32_t code);

// Bits one element occupies in raw (packed) storage: 4 for int4/uint4, 0 for string and undefined.
int bits_of(DataType type);

// Bytes needed to store `count` elements packed (int4 rounds up); nullopt for strings.
std::optional<uint64_t> storage_bytes(DataType type, uint64_t count);

// "float32", "int8", "float16", ... as users and ONNX docs say them.
std::string_view name_of(DataType type);

bool is_float(DataType type);
bool is_integer(DataType type);

}  // namespace lowbit::ir
