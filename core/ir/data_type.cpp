#include "ir/data_type.h"

namespace lowbit::ir {

bool is_known_data_type(int32_t code) {
    return code >= 1 && code <= 22;
}

int bits_of(DataType type) {
    switch (type) {
        case DataType::kBool:
        case DataType::kUint8:
        case DataType::kInt8:
        case DataType::kFloat8E4M3FN:
        case DataType::kFloat8E4M3FNUZ:
        case DataType::kFloat8E5M2:
        case DataType::kFloat8E5M2FNUZ:
            return 8;
        case DataType::kUint16:
        case DataType::kInt16:
        case DataType::kFloat16:
        case DataType::kBFloat16:
            return 16;
        case DataType::kFloat:
        case DataType::kInt32:
        case DataType::kUint32:
            return 32;
        case DataType::kInt64:
        case DataType::kUint64:
        case DataType::kDouble:
        case DataType::kComplex64:
            return 64;
        case DataType::kComplex128:
            return 128;
        case DataType::kUint4:
        case DataType::kInt4:
            return 4;
        case DataType::kString:
        case DataType::kUndefined:
            return 0;
    }
    return 0;
}

std::optional<uint64_t> storage_bytes(DataType type, uint64_t count) {
    int bits = bits_of(type);
    if (bits == 0) return std::nullopt;
    if (bits == 4) return (count + 1) / 2;
    return count * static_cast<uint64_t>(bits / 8);
}

std::string_view name_of(DataType type) {
    switch (type) {
        case DataType::kUndefined:
            return "undefined";
        case DataType::kFloat:
            return "float32";
        case DataType::kUint8:
            return "uint8";
        case DataType::kInt8:
            return "int8";
        case DataType::kUint16:
            return "uint16";
        case DataType::kInt16:
            return "int16";
        case DataType::kInt32:
            return "int32";
        case DataType::kInt64:
            return "int64";
        case DataType::kString:
            return "string";
        case DataType::kBool:
            return "bool";
        case DataType::kFloat16:
            return "float16";
        case DataType::kDouble:
            return "float64";
        case DataType::kUint32:
            return "uint32";
        case DataType::kUint64:
            return "uint64";
        case DataType::kComplex64:
            return "complex64";
        case DataType::kComplex128:
            return "complex128";
        case DataType::kBFloat16:
            return "bfloat16";
        case DataType::kFloat8E4M3FN:
            return "float8e4m3fn";
        case DataType::kFloat8E4M3FNUZ:
            return "float8e4m3fnuz";
        case DataType::kFloat8E5M2:
            return "float8e5m2";
        case DataType::kFloat8E5M2FNUZ:
            return "float8e5m2fnuz";
        case DataType::kUint4:
            return "uint4";
        case DataType::kInt4:
            return "int4";
    }
    return "unknown";
}

bool is_float(DataType type) {
    switch (type) {
        case DataType::kFloat:
        case DataType::kFloat16:
        case DataType::kBFloat16:
        case DataType::kDouble:
        case DataType::kFloat8E4M3FN:
        case DataType::kFloat8E4M3FNUZ:
        case DataType::kFloat8E5M2:
        case DataType::kFloat8E5M2FNUZ:
            return true;
        default:
            return false;
    }
}

bool is_integer(DataType type) {
    switch (type) {
        case DataType::kUint8:
        case DataType::kInt8:
        case DataType::kUint16:
        case DataType::kInt16:
        case DataType::kInt32:
        case DataType::kInt64:
        case DataType::kUint32:
        case DataType::kUint64:
        case DataType::kUint4:
        case DataType::kInt4:
            return true;
        default:
            return false;
    }
}

}  // namespace lowbit::ir
