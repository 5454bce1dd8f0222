// Quantization vocabulary: how one tensor is quantized (QuantSpec), the numbers that do it (QuantParams),
// and what precision a layer runs at (Precision). Rounding is half to even and saturating, exactly as
// ONNX QuantizeLinear, so fake quantization here and the exported QDQ model agree bit for bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/data_type.h"
#include "util/status.h"

namespace lowbit::quant {

// A layer runs on integers (the spec's bits), or stays in float at half or single precision.
enum class Precision { kInt, kFp16, kFp32 };
std::string_view name_of(Precision p);

struct QuantSpec {
    int bits = 8;              // 2..16
    bool is_signed = true;     // int vs uint storage
    bool symmetric = false;    // zero point fixed (0, or the middle of an unsigned range)
    bool per_channel = false;  // one scale per slice along `axis`
    int64_t axis = 0;
    bool narrow_range = false;  // signed range without its most negative value ([-127, 127] for 8 bits)

    int64_t qmin() const;
    int64_t qmax() const;
    // The ONNX element type that stores the values: (u)int4 up to 4 bits, (u)int8 up to 8, (u)int16 above.
    ir::DataType storage_type() const;
    Status validate() const;
    bool operator==(const QuantSpec&) const = default;
};

// One scale and zero point per channel (per_channel) or a single pair.
struct QuantParams {
    std::vector<float> scale;
    std::vector<int32_t> zero_point;
    bool operator==(const QuantParams&) const = default;
};

// Parameters that represent [lo[c], hi[c]] (widened to contain 0) on the spec's integer grid.
QuantParams params_for_range(const QuantSpec& spec, std::span<const float> lo, std::span<const float> hi);

// Saturating round-half-to-even quantization, as QuantizeLinear: clamp(nearbyint(x / scale) + zp).
inline int32_t quantize_one(float x, float scale, int32_t zp, int64_t qmin, int64_t qmax) {
    double q = static_cast<double>(std::nearbyint(x / scale)) + zp;
    q = q < static_cast<double>(qmin) ? static_cast<double>(qmin) : q;
    q = q > static_cast<double>(qmax) ? static_cast<double>(qmax) : q;
    return static_cast<int32_t>(q);
}
// As DequantizeLinear: (q - zp) * scale in float.
inline float dequantize_one(int32_t q, float scale, int32_t zp) {
    return static_cast<float>(static_cast<int64_t>(q) - zp) * scale;
}

// Quantizes and dequantizes `data` (shape `dims`) in place with per-tensor or per-axis parameters.
void fake_quantize(std::span<float> data, std::span<const int64_t> dims, const QuantSpec& spec,
                   const QuantParams& params);

// Integer values of `data` (one int32 per element) with the same layout rules.
std::vector<int32_t> quantize_values(std::span<const float> data, std::span<const int64_t> dims,
                                     const QuantSpec& spec, const QuantParams& params);

// Rounds every value to the nearest IEEE half (what an FP16 layer's tensors go through).
void round_to_fp16(std::span<float> data);

}  // namespace lowbit::quant
