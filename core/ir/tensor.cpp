#include "ir/tensor.h"

#include <bit>
#include <limits>

namespace lowbit::ir {

std::optional<uint64_t> Tensor::element_count() const {
    uint64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0) return std::nullopt;
        if (d != 0 && n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
            return std::nullopt;
        n *= static_cast<uint64_t>(d);
    }
    return n;
}

namespace {

template <typename T>
T load(const Bytes& data, uint64_t i) {
    T v;
    std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
    return v;
}

}  // namespace

std::vector<float> Tensor::to_floats() const {
    std::vector<float> v(static_cast<size_t>(element_count().value_or(0)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(value_as_double(i));
    return v;
}

double Tensor::value_as_double(uint64_t i) const {
    switch (type) {
        case DataType::kFloat:
            return load<float>(data, i);
        case DataType::kDouble:
            return load<double>(data, i);
        case DataType::kFloat16:
            return half_to_float(load<uint16_t>(data, i));
        case DataType::kBFloat16:
            return bfloat16_to_float(load<uint16_t>(data, i));
        case DataType::kInt8:
            return load<int8_t>(data, i);
        case DataType::kUint8:
            return load<uint8_t>(data, i);
        case DataType::kBool:
            return load<uint8_t>(data, i) != 0;
        case DataType::kInt16:
            return load<int16_t>(data, i);
        case DataType::kUint16:
            return load<uint16_t>(data, i);
        case DataType::kInt32:
            return load<int32_t>(data, i);
        case DataType::kUint32:
            return load<uint32_t>(data, i);
        case DataType::kInt64:
            return static_cast<double>(load<int64_t>(data, i));
        case DataType::kUint64:
            return static_cast<double>(load<uint64_t>(data, i));
        case DataType::kInt4:
        case DataType::kUint4: {
            uint8_t byte = data[i / 2];
            int nib = (i % 2 == 0) ? (byte & 0x0f) : (byte >> 4);
            if (type == DataType::kInt4 && nib >= 8) nib -= 16;
            return nib;
        }
        default:
            return 0.0;
    }
}

Tensor Tensor::from_floats(std::string name, std::vector<int64_t> dims, const std::vector<float>& values) {
    Tensor t;
    t.name = std::move(name);
    t.type = DataType::kFloat;
    t.dims = std::move(dims);
    t.data.resize(values.size() * sizeof(float));
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return t;
}

Tensor Tensor::from_int64s(std::string name, std::vector<int64_t> dims, const std::vector<int64_t>& values) {
    Tensor t;
    t.name = std::move(name);
    t.type = DataType::kInt64;
    t.dims = std::move(dims);
    t.data.resize(values.size() * sizeof(int64_t));
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return t;
}

float half_to_float(uint16_t h) {
    uint32_t sign = (h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int e = -1;
            do {
                ++e;
                mant <<= 1;
            } while ((mant & 0x400) == 0);
            bits = sign | ((127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

uint16_t float_to_half(float f) {
    uint32_t x = std::bit_cast<uint32_t>(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t abs = x & 0x7fffffffu;
    if (abs >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0));
    if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow to inf
    if (abs < 0x38800000u) {                                               // subnormal or zero
        if (abs < 0x33000000u) return static_cast<uint16_t>(sign);
        uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
        int shift = 113 - static_cast<int>(abs >> 23) + 13;
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1))) ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = ((abs - 0x38000000u) >> 13);
    uint32_t rem = abs & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) ++half;
    return static_cast<uint16_t>(sign | half);
}

float bfloat16_to_float(uint16_t b) {
    return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t float_to_bfloat16(float f) {
    uint32_t x = std::bit_cast<uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
    uint32_t rounding = 0x7fffu + ((x >> 16) & 1);
    return static_cast<uint16_t>((x + rounding) >> 16);
}

}  // namespace lowbit::ir
