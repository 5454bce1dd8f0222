#include "quant/quant_spec.h"

#include <algorithm>
#include <cmath>

#include "ir/tensor.h"

namespace lowbit::quant {

std::string_view name_of(Precision p) {
    switch (p) {
        case Precision::kInt:
            return "int";
        case Precision::kFp16:
            return "fp16";
        case Precision::kFp32:
            return "fp32";
    }
    return "?";
}

int64_t QuantSpec::qmin() const {
    if (!is_signed) return 0;
    int64_t m = -(int64_t{1} << (bits - 1));
    return narrow_range ? m + 1 : m;
}

int64_t QuantSpec::qmax() const {
    return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
}

ir::DataType QuantSpec::storage_type() const {
    if (bits <= 4) return is_signed ? ir::DataType::kInt4 : ir::DataType::kUint4;
    if (bits <= 8) return is_signed ? ir::DataType::kInt8 : ir::DataType::kUint8;
    return is_signed ? ir::DataType::kInt16 : ir::DataType::kUint16;
}

Status QuantSpec::validate() const {
    if (bits < 2 || bits > 16)
        return invalid_input("quantization bits must be 2 to 16, not " + std::to_string(bits));
    if (per_channel && axis < 0) return invalid_input("per-channel axis must not be negative");
    return Status::ok();
}

QuantParams params_for_range(const QuantSpec& spec, std::span<const float> lo, std::span<const float> hi) {
    QuantParams p;
    const double qmin = static_cast<double>(spec.qmin()), qmax = static_cast<double>(spec.qmax());
    for (size_t c = 0; c < lo.size(); ++c) {
        // the range must hold 0 exactly (padding, ReLU zeros)
        double l = std::min(0.0, static_cast<double>(lo[c])), h = std::max(0.0, static_cast<double>(hi[c]));
        if (!std::isfinite(l) || !std::isfinite(h)) l = 0.0, h = 0.0;
        float scale;
        int32_t zp;
        if (spec.symmetric) {
            double a = std::max(-l, h);
            if (!spec.is_signed && l >= 0.0) {
                scale = static_cast<float>(a / qmax);
                zp = 0;
            } else {
                scale = static_cast<float>(a / ((qmax - qmin) / 2.0));
                zp = spec.is_signed ? 0 : static_cast<int32_t>((spec.qmax() + spec.qmin() + 1) / 2);
            }
        } else {
            scale = static_cast<float>((h - l) / (qmax - qmin));
            zp = 0;
            if (scale > 0.0f) {
                double z = std::nearbyint(qmin - l / static_cast<double>(scale));
                zp = static_cast<int32_t>(std::clamp(z, qmin, qmax));
            }
        }
        if (!(scale > 0.0f) || !std::isfinite(scale)) {
            scale = 1.0f;  // an all-zero tensor: any scale represents it
            zp = spec.symmetric && !spec.is_signed ? 0 : static_cast<int32_t>(std::clamp(0.0, qmin, qmax));
        }
        scale = std::max(scale, 1e-30f);
        p.scale.push_back(scale);
        p.zero_point.push_back(zp);
    }
    return p;
}

namespace {

// Calls f(begin, count, channel) for each run of elements sharing one parameter index.
template <typename F>
void for_each_run(std::span<const int64_t> dims, const QuantSpec& spec, size_t num_params, F&& f) {
    int64_t n = 1;
    for (int64_t d : dims)
        n *= d;
    if (num_params <= 1 || !spec.per_channel) {
        f(int64_t{0}, n, size_t{0});
        return;
    }
    int64_t outer = 1, inner = 1, dim = dims[static_cast<size_t>(spec.axis)];
    for (int64_t i = 0; i < spec.axis; ++i)
        outer *= dims[static_cast<size_t>(i)];
    for (size_t i = static_cast<size_t>(spec.axis) + 1; i < dims.size(); ++i)
        inner *= dims[i];
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < dim; ++c)
            f((o * dim + c) * inner, inner, static_cast<size_t>(c));
}

}  // namespace

void fake_quantize(std::span<float> data, std::span<const int64_t> dims, const QuantSpec& spec,
                   const QuantParams& params) {
    const int64_t qmin = spec.qmin(), qmax = spec.qmax();
    for_each_run(dims, spec, params.scale.size(), [&](int64_t begin, int64_t count, size_t c) {
        const float s = params.scale[c];
        const int32_t z = params.zero_point[c];
        float* x = data.data() + begin;
        for (int64_t i = 0; i < count; ++i)
            x[i] = dequantize_one(quantize_one(x[i], s, z, qmin, qmax), s, z);
    });
}

std::vector<int32_t> quantize_values(std::span<const float> data, std::span<const int64_t> dims,
                                     const QuantSpec& spec, const QuantParams& params) {
    std::vector<int32_t> q(data.size());
    const int64_t qmin = spec.qmin(), qmax = spec.qmax();
    for_each_run(dims, spec, params.scale.size(), [&](int64_t begin, int64_t count, size_t c) {
        for (int64_t i = 0; i < count; ++i)
            q[static_cast<size_t>(begin + i)] = quantize_one(
                data[static_cast<size_t>(begin + i)], params.scale[c], params.zero_point[c], qmin, qmax);
    });
    return q;
}

void round_to_fp16(std::span<float> data) {
    for (float& v : data)
        v = ir::half_to_float(ir::float_to_half(v));
}

}  // namespace lowbit::quant
