// Helpers shared by the nn kernels (conv, pooling, matrix products): Eigen map types, the window geometry
// of convolution and pooling (kernel, strides, dilations, pads, auto_pad) and small float utilities.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/fusion.h"
#include "runtime/kernel.h"

namespace lowbit::runtime::nn {

using MatRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapRM = Eigen::Map<MatRM>;
using CMapRM = Eigen::Map<const MatRM>;
using MatI32 = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Window attributes as written on the node; empty vectors mean "not given".
struct WindowAttrs {
    std::vector<int64_t> kernel;
    std::vector<int64_t> strides;
    std::vector<int64_t> dilations;
    std::vector<int64_t> pads;  // begin..., end...
    std::string auto_pad = "NOTSET";

    static WindowAttrs from_node(const ir::Node& node) {
        WindowAttrs a;
        a.kernel = node.attr_ints("kernel_shape");
        a.strides = node.attr_ints("strides");
        a.dilations = node.attr_ints("dilations");
        a.pads = node.attr_ints("pads");
        a.auto_pad = node.attr_string("auto_pad", "NOTSET");
        if (a.auto_pad.empty()) a.auto_pad = "NOTSET";
        return a;
    }
    // "" when the values are usable for `rank` spatial dims, else what is wrong.
    std::string check(size_t rank, bool need_kernel) const {
        if (need_kernel && kernel.size() != rank)
            return "kernel_shape must have " + std::to_string(rank) + " values";
        if (!kernel.empty() && kernel.size() != rank) return "kernel_shape has the wrong length";
        if (!strides.empty() && strides.size() != rank) return "strides has the wrong length";
        if (!dilations.empty() && dilations.size() != rank) return "dilations has the wrong length";
        if (!pads.empty() && pads.size() != 2 * rank) return "pads must have 2 * spatial rank values";
        for (int64_t v : kernel)
            if (v <= 0) return "kernel_shape values must be positive";
        for (int64_t v : strides)
            if (v <= 0) return "strides must be positive";
        for (int64_t v : dilations)
            if (v <= 0) return "dilations must be positive";
        for (int64_t v : pads)
            if (v < 0) return "pads must not be negative";
        if (auto_pad != "NOTSET" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER" &&
            auto_pad != "VALID")
            return "unsupported auto_pad '" + auto_pad + "'";
        return "";
    }
};

// The resolved geometry of a window op, always as 3 spatial dims (D, H, W); 1-D and 2-D ops get leading
// dims of size 1 with a kernel of 1, so one set of loops serves all ranks.
struct Geometry3 {
    int64_t in[3] = {1, 1, 1};
    int64_t out[3] = {1, 1, 1};
    int64_t k[3] = {1, 1, 1};
    int64_t s[3] = {1, 1, 1};
    int64_t d[3] = {1, 1, 1};
    int64_t pb[3] = {0, 0, 0};  // pad at the beginning
    int64_t pe[3] = {0, 0, 0};  // pad at the end
    int64_t in_size() const { return in[0] * in[1] * in[2]; }
    int64_t out_size() const { return out[0] * out[1] * out[2]; }
    int64_t k_size() const { return k[0] * k[1] * k[2]; }
};

// Shared input checks of Conv and ConvTranspose: X and W present, float32, X of rank 3 to 5, W of X's rank.
inline Status check_conv_inputs(const KernelContext& ctx, const Tensor* x, const Tensor* w, const Tensor* b) {
    if (!x || !w) return kernel_error(ctx, "inputs X and W are required");
    if (x->type() != DataType::kFloat || w->type() != DataType::kFloat ||
        (b && b->type() != DataType::kFloat))
        return kernel_error(ctx, "only float32 is supported");
    if (x->rank() < 3 || x->rank() > 5)
        return kernel_error(ctx, "X must have rank 3, 4 or 5, got " + shape_string(x->shape()));
    if (w->rank() != x->rank())
        return kernel_error(ctx, "W must have the rank of X, got " + shape_string(w->shape()));
    return Status::ok();
}

inline int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

// Resolves the output size and pads of a convolution or pooling window over `in` (spatial dims only).
// Returns "" or an error. ceil_mode applies to pooling; the last window must start inside the input or
// the begin padding (as PyTorch and the ONNX reference do).
inline std::string resolve_window(const std::vector<int64_t>& in, const WindowAttrs& a, bool ceil_mode,
                                  Geometry3& g) {
    size_t rank = in.size();
    if (rank < 1 || rank > 3) return "only 1-D, 2-D and 3-D windows are supported";
    size_t off = 3 - rank;
    for (size_t i = 0; i < rank; ++i) {
        int64_t k = a.kernel[i];
        int64_t s = a.strides.empty() ? 1 : a.strides[i];
        int64_t d = a.dilations.empty() ? 1 : a.dilations[i];
        int64_t dk = (k - 1) * d + 1;
        int64_t pb = a.pads.empty() ? 0 : a.pads[i];
        int64_t pe = a.pads.empty() ? 0 : a.pads[i + rank];
        int64_t out = 0;
        if (a.auto_pad == "VALID") {
            pb = pe = 0;
            out = in[i] >= dk ? (in[i] - dk) / s + 1 : 0;
        } else if (a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER") {
            out = ceil_div(in[i], s);
            int64_t total = std::max<int64_t>(0, (out - 1) * s + dk - in[i]);
            pb = a.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
            pe = total - pb;
        } else {
            int64_t span = in[i] + pb + pe - dk;
            if (span < 0) return "the window is larger than the padded input";
            out = (ceil_mode ? ceil_div(span, s) : span / s) + 1;
            if (ceil_mode && (out - 1) * s >= in[i] + pb) --out;
        }
        if (out <= 0) return "the output would be empty";
        g.in[off + i] = in[i];
        g.out[off + i] = out;
        g.k[off + i] = k;
        g.s[off + i] = s;
        g.d[off + i] = d;
        g.pb[off + i] = pb;
        g.pe[off + i] = pe;
    }
    return "";
}

// The range [lo, hi) of output positions o whose input position o * s + base lies in [0, n).
inline void valid_range(int64_t base, int64_t s, int64_t n, int64_t out, int64_t& lo, int64_t& hi) {
    lo = std::min(out, base >= 0 ? int64_t{0} : ceil_div(-base, s));
    hi = n - 1 - base >= 0 ? std::min(out, (n - 1 - base) / s + 1) : 0;
    if (hi < lo) hi = lo;
}

// Taps [lo, hi) of a k-tap window with dilation d starting at `start` that fall inside [0, n).
inline void window_taps(int64_t start, int64_t k, int64_t d, int64_t n, int64_t& lo, int64_t& hi) {
    lo = start >= 0 ? 0 : ceil_div(-start, d);
    hi = start + (k - 1) * d < n ? k : (n - 1 - start >= 0 ? (n - 1 - start) / d + 1 : 0);
    if (hi < lo) hi = lo;
}

// im2col for one image block: rows (c, kd, kh, kw) over `channels` channels, columns the output positions.
// `col` has rows of `ld` floats (ld >= out_size, for several images side by side).
template <typename T>
void im2col(const T* x, int64_t channels, const Geometry3& g, T* col, int64_t ld, T pad_value = T(0)) {
    const int64_t od_n = g.out[0], oh_n = g.out[1], ow_n = g.out[2];
    const int64_t ks = g.k_size();
    if (g.k[0] == 1 && g.in[0] == 1 && od_n == 1 && g.s[1] == 1 && g.s[2] == 1 && g.d[1] == 1 &&
        g.d[2] == 1 && ow_n <= 32) {
        // small 2-D planes, stride 1: copy each channel into a padded plane once, then every tap is a
        // bounds-free copy of oh_n short rows (per-row edge handling dominated at 7x7 and 14x14)
        const int64_t wp = g.pb[2] + g.in[2] + g.pe[2], hp = g.pb[1] + g.in[1] + g.pe[1];
        std::vector<T> padded(static_cast<size_t>(wp * hp));
        for (int64_t c = 0; c < channels; ++c) {
            std::fill(padded.begin(), padded.end(), pad_value);
            const T* xc = x + c * g.in_size();
            for (int64_t ih = 0; ih < g.in[1]; ++ih)
                std::copy(xc + ih * g.in[2], xc + (ih + 1) * g.in[2],
                          padded.data() + (ih + g.pb[1]) * wp + g.pb[2]);
            for (int64_t j = 0; j < g.k[1]; ++j)
                for (int64_t l = 0; l < g.k[2]; ++l) {
                    T* __restrict row = col + (c * ks + j * g.k[2] + l) * ld;
                    const T* __restrict src = padded.data() + j * wp + l;
                    for (int64_t oh = 0; oh < oh_n; ++oh)
                        for (int64_t ow = 0; ow < ow_n; ++ow)
                            row[oh * ow_n + ow] = src[oh * wp + ow];
                }
        }
        return;
    }
    for (int64_t c = 0; c < channels; ++c) {
        const T* xc = x + c * g.in_size();
        for (int64_t i = 0; i < g.k[0]; ++i)
            for (int64_t j = 0; j < g.k[1]; ++j)
                for (int64_t l = 0; l < g.k[2]; ++l) {
                    T* row = col + (c * ks + (i * g.k[1] + j) * g.k[2] + l) * ld;
                    int64_t w_base = l * g.d[2] - g.pb[2];
                    int64_t w_lo, w_hi;
                    valid_range(w_base, g.s[2], g.in[2], ow_n, w_lo, w_hi);
                    for (int64_t od = 0; od < od_n; ++od) {
                        int64_t id = od * g.s[0] - g.pb[0] + i * g.d[0];
                        for (int64_t oh = 0; oh < oh_n; ++oh) {
                            T* dst = row + (od * oh_n + oh) * ow_n;
                            int64_t ih = oh * g.s[1] - g.pb[1] + j * g.d[1];
                            if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1]) {
                                std::fill(dst, dst + ow_n, pad_value);
                                continue;
                            }
                            const T* __restrict src = xc + (id * g.in[1] + ih) * g.in[2];
                            for (int64_t ow = 0; ow < w_lo; ++ow)
                                dst[ow] = pad_value;
                            if (g.s[2] == 1) {
                                const T* __restrict s1 = src + w_lo + w_base;
                                T* __restrict d1 = dst + w_lo;
#pragma omp simd
                                for (int64_t o = 0; o < w_hi - w_lo; ++o)
                                    d1[o] = s1[o];
                            } else {
                                for (int64_t ow = w_lo; ow < w_hi; ++ow)
                                    dst[ow] = src[ow * g.s[2] + w_base];
                            }
                            for (int64_t ow = w_hi; ow < ow_n; ++ow)
                                dst[ow] = pad_value;
                        }
                    }
                }
    }
}

// True when the window is a plain 1x1 (x1) with stride 1 and no padding: the input is its own im2col.
inline bool is_pointwise(const Geometry3& g) {
    for (int i = 0; i < 3; ++i)
        if (g.k[i] != 1 || g.s[i] != 1 || g.pb[i] != 0 || g.pe[i] != 0) return false;
    return true;
}

// Spatial dims of a [N, C, spatial...] shape.
inline std::vector<int64_t> spatial_of(const Shape& shape) {
    return {shape.begin() + 2, shape.end()};
}

// Output shape [N, C, out spatial...] for a geometry computed over `rank` spatial dims.
inline Shape window_output_shape(int64_t n, int64_t c, const Geometry3& g, size_t rank) {
    Shape s{n, c};
    for (size_t i = 3 - rank; i < 3; ++i)
        s.push_back(g.out[i]);
    return s;
}

// y (m x n) = alpha * op(a) * op(b), op transposing when asked; a is m x k (k x m when ta), b is k x n
// (n x k when tb); all row-major and dense. oneDNN's sgemm (onednn.cpp), with Eigen if it fails; inside an
// OpenMP parallel region it runs on the calling thread only.
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, const float* b,
          float* y);

// ---- integer element types of the quantized operators (8/16/32-bit and packed 4-bit) ----

inline bool quant_range(DataType t, int64_t& lo, int64_t& hi) {
    switch (t) {
        case DataType::kInt8:
            lo = -128, hi = 127;
            return true;
        case DataType::kUint8:
            lo = 0, hi = 255;
            return true;
        case DataType::kInt16:
            lo = -32768, hi = 32767;
            return true;
        case DataType::kUint16:
            lo = 0, hi = 65535;
            return true;
        case DataType::kInt32:
            lo = INT32_MIN, hi = INT32_MAX;
            return true;
        case DataType::kInt4:
            lo = -8, hi = 7;
            return true;
        case DataType::kUint4:
            lo = 0, hi = 15;
            return true;
        default:
            return false;
    }
}

// All elements of an integer tensor (types of quant_range) as int32; 4-bit values unpacked low nibble first.
inline void load_ints(const Tensor& t, int32_t* out) {
    const int64_t n = t.numel();
    switch (t.type()) {
        case DataType::kInt8:
            std::copy(t.data<int8_t>(), t.data<int8_t>() + n, out);
            return;
        case DataType::kUint8:
            std::copy(t.data<uint8_t>(), t.data<uint8_t>() + n, out);
            return;
        case DataType::kInt16:
            std::copy(t.data<int16_t>(), t.data<int16_t>() + n, out);
            return;
        case DataType::kUint16:
            std::copy(t.data<uint16_t>(), t.data<uint16_t>() + n, out);
            return;
        case DataType::kInt32:
            std::copy(t.data<int32_t>(), t.data<int32_t>() + n, out);
            return;
        case DataType::kInt4:
        case DataType::kUint4: {
            const uint8_t* b = t.data<uint8_t>();
            const bool sign = t.type() == DataType::kInt4;
            for (int64_t i = 0; i < n; ++i) {
                int32_t v = (b[i / 2] >> ((i % 2) * 4)) & 0xF;
                out[i] = sign && v >= 8 ? v - 16 : v;
            }
            return;
        }
        default:
            std::fill(out, out + n, 0);
            return;
    }
}

// Writes n int32 values (already in range) into `t` of an integer type; 4-bit values packed low nibble first.
inline void store_ints(const int32_t* q, int64_t n, Tensor& t) {
    switch (t.type()) {
        case DataType::kInt8:
            std::copy(q, q + n, t.data<int8_t>());
            return;
        case DataType::kUint8:
            std::copy(q, q + n, t.data<uint8_t>());
            return;
        case DataType::kInt16:
            std::copy(q, q + n, t.data<int16_t>());
            return;
        case DataType::kUint16:
            std::copy(q, q + n, t.data<uint16_t>());
            return;
        case DataType::kInt32:
            std::copy(q, q + n, t.data<int32_t>());
            return;
        case DataType::kInt4:
        case DataType::kUint4: {
            uint8_t* b = t.data<uint8_t>();
            for (int64_t i = 0; i + 1 < n; i += 2)
                b[i / 2] = static_cast<uint8_t>((q[i] & 0xF) | ((q[i + 1] & 0xF) << 4));
            if (n % 2) b[n / 2] = static_cast<uint8_t>(q[n - 1] & 0xF);
            return;
        }
        default:
            return;
    }
}

// Saturating round-half-to-even quantization of one value: clamp(rint(v) + zp, lo, hi).
inline int32_t quantize_value(float v, int32_t zp, int64_t lo, int64_t hi) {
    double q = static_cast<double>(std::nearbyint(v)) + zp;
    q = std::min(std::max(q, static_cast<double>(lo)), static_cast<double>(hi));
    return static_cast<int32_t>(q);
}

// How a scale / zero point maps onto x viewed as [outer, dim, inner] around `axis`: per tensor, per axis,
// or (opset 21) per block of `block` elements along the axis. "" or an error.
struct QuantParamLayout {
    int64_t outer = 1, dim = 1, inner = 1, block = 0;
    enum Kind { kTensor, kAxis, kBlocked } kind = kTensor;
    // Parameter index of element (o, d, i).
    int64_t index(int64_t o, int64_t d, int64_t i) const {
        switch (kind) {
            case kTensor:
                return 0;
            case kAxis:
                return d;
            case kBlocked:
                return (o * ceil_div(dim, block) + d / block) * inner + i;
        }
        return 0;
    }
    std::string resolve(const Shape& x, const Tensor& scale, int64_t axis, int64_t block_size) {
        const int64_t rank = static_cast<int64_t>(x.size());
        if (scale.numel() == 1 && block_size <= 0) {
            kind = kTensor;
            outer = 1, dim = 1, inner = shape_numel(x);
            return "";
        }
        if (axis < -rank || axis >= rank) return "axis " + std::to_string(axis) + " is out of range";
        if (axis < 0) axis += rank;
        outer = 1, inner = 1, dim = x[static_cast<size_t>(axis)];
        for (int64_t k = 0; k < axis; ++k)
            outer *= x[static_cast<size_t>(k)];
        for (int64_t k = axis + 1; k < rank; ++k)
            inner *= x[static_cast<size_t>(k)];
        if (block_size > 0) {
            kind = kBlocked;
            block = block_size;
            Shape want = x;
            want[static_cast<size_t>(axis)] = ceil_div(dim, block_size);
            if (scale.shape() != want) return "blocked scale must have shape " + shape_string(want);
            return "";
        }
        kind = kAxis;
        if (scale.rank() != 1 || scale.numel() != dim)
            return "per-axis scale must be 1-D with " + std::to_string(dim) + " values, got " +
                   shape_string(scale.shape());
        return "";
    }
};

// numpy matmul of shapes a and b: output shape, the matrix sizes and, per output matrix, the index of the
// A and B matrices it reads (batch dims broadcast). "" or an error.
struct MatMulPlan {
    Shape out;
    int64_t m = 0, k = 0, n = 0;
    std::vector<int64_t> a_index, b_index;
    std::string resolve(Shape as, Shape bs) {
        if (as.empty() || bs.empty()) return "operands must have rank >= 1";
        const bool a_vec = as.size() == 1, b_vec = bs.size() == 1;
        if (a_vec) as.insert(as.begin(), 1);
        if (b_vec) bs.push_back(1);
        m = as[as.size() - 2], k = as.back(), n = bs.back();
        if (bs[bs.size() - 2] != k) return "inner dimensions differ";
        const Shape ab(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
        const size_t rank = std::max(ab.size(), bb.size());
        Shape batch(rank);
        for (size_t i = 0; i < rank; ++i) {
            const int64_t da = i < rank - ab.size() ? 1 : ab[i - (rank - ab.size())];
            const int64_t db = i < rank - bb.size() ? 1 : bb[i - (rank - bb.size())];
            if (da != db && da != 1 && db != 1) return "batch dimensions do not broadcast";
            batch[i] = da == 1 ? db : da;
        }
        out = batch;
        if (!a_vec) out.push_back(m);
        if (!b_vec) out.push_back(n);
        int64_t count = 1;
        for (int64_t d : batch)
            count *= d;
        a_index.assign(static_cast<size_t>(count), 0);
        b_index.assign(static_cast<size_t>(count), 0);
        for (int64_t i = 0; i < count; ++i) {
            int64_t rest = i, ia = 0, ib = 0, sa = 1, sb = 1;
            for (size_t d = rank; d-- > 0;) {
                const int64_t idx = rest % batch[d];
                rest /= batch[d];
                const int64_t da = d < rank - ab.size() ? 1 : ab[d - (rank - ab.size())];
                const int64_t db = d < rank - bb.size() ? 1 : bb[d - (rank - bb.size())];
                ia += (da == 1 ? 0 : idx) * sa;
                ib += (db == 1 ? 0 : idx) * sb;
                sa *= da;
                sb *= db;
            }
            a_index[static_cast<size_t>(i)] = ia;
            b_index[static_cast<size_t>(i)] = ib;
        }
        return "";
    }
};

// The fused activation of fusion.h applied with vector loops (FusedActivation::apply is scalar).
inline void apply_activation(const FusedActivation& act, float* __restrict data, int64_t n) {
    switch (act.kind) {
        case FusedActivation::kNone:
            return;
        case FusedActivation::kRelu:
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                data[i] = data[i] > 0.0f ? data[i] : 0.0f;
            return;
        case FusedActivation::kLeakyRelu: {
            const float a = act.a;
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                data[i] = data[i] >= 0.0f ? data[i] : data[i] * a;
            return;
        }
        case FusedActivation::kClip: {
            const float lo = act.a, hi = act.b;
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                data[i] = std::min(std::max(data[i], lo), hi);
            return;
        }
    }
}

// Whether an optional input is present with at least one element.
inline bool present(const Tensor* t) {
    return t && !t->empty() && t->numel() > 0;
}

}  // namespace lowbit::runtime::nn
