#include "runtime/ops/resize.h"

#include <cmath>

#include "runtime/ops/nn_util.h"

namespace lowbit::runtime {

namespace {

enum class Mode { kNearest, kLinear, kCubic };
enum class Coord {
    kHalfPixel,
    kHalfPixelSymmetric,
    kPytorchHalfPixel,
    kAlignCorners,
    kAsymmetric,
    kTfHalfPixelForNn,
    kTfCropAndResize
};
enum class Nearest { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kSimple };

struct Options {
    Mode mode = Mode::kNearest;
    Coord coord = Coord::kHalfPixel;
    Nearest nearest = Nearest::kRoundPreferFloor;
    double cubic_a = -0.75;
    bool exclude_outside = false;
    bool antialias = false;
    float extrapolation = 0.0f;
};

// For one axis: each output index reads taps [base + first, base + first + count) (clamped to the input)
// with the given weights, or is the extrapolation value.
struct AxisTaps {
    int64_t count = 1;
    std::vector<int64_t> index;  // out * count, already clamped
    std::vector<float> weight;   // out * count
    std::vector<uint8_t> outside;
};

double source_coord(const Options& o, double x, double scale, int64_t in, int64_t out_int, double roi_start,
                    double roi_end, bool& outside) {
    const double out = scale * static_cast<double>(in);  // the reference's (float) output length
    outside = false;
    switch (o.coord) {
        case Coord::kAlignCorners:
            return out == 1.0 ? 0.0 : x * static_cast<double>(in - 1) / (out - 1.0);
        case Coord::kAsymmetric:
            return x / scale;
        case Coord::kTfHalfPixelForNn:
            return (x + 0.5) / scale;
        case Coord::kPytorchHalfPixel:
            return out == 1.0 ? -0.5 : (x + 0.5) / scale - 0.5;
        case Coord::kHalfPixel:
            return (x + 0.5) / scale - 0.5;
        case Coord::kHalfPixelSymmetric: {
            const double adjustment = static_cast<double>(out_int) / out;
            const double center = static_cast<double>(in) / 2.0;
            return center * (1.0 - adjustment) + (x + 0.5) / scale - 0.5;
        }
        case Coord::kTfCropAndResize: {
            double v = out == 1.0 ? (roi_end - roi_start) * static_cast<double>(in - 1) / 2.0
                                  : x * (roi_end - roi_start) * static_cast<double>(in - 1) / (out - 1.0);
            v += roi_start * static_cast<double>(in - 1);
            outside = v < 0.0 || v > static_cast<double>(in - 1);
            return v;
        }
    }
    return x;
}

double cubic_weight(double x, double a) {
    x = std::fabs(x);
    if (x <= 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
    return 0.0;
}

AxisTaps build_taps(const Options& o, int64_t in, int64_t out, double scale, double roi_start,
                    double roi_end) {
    AxisTaps t;
    // taps i in [first, first + count) around base, with x = base + ratio, ratio in (0, 1]
    const double s = o.antialias && scale < 1.0 ? scale : 1.0;
    int64_t first = 0;
    if (o.mode == Mode::kNearest) {
        t.count = 1;
    } else if (o.mode == Mode::kLinear) {
        first = o.antialias ? static_cast<int64_t>(std::floor(-1.0 / s) + 1) : 0;
        t.count = 2 - 2 * first;
    } else {
        first = o.antialias ? static_cast<int64_t>(std::floor(-2.0 / s) + 1) : -1;
        t.count = 2 - 2 * first;
    }
    const size_t cnt = static_cast<size_t>(t.count);
    t.index.resize(static_cast<size_t>(out) * cnt);
    t.weight.resize(static_cast<size_t>(out) * cnt);
    t.outside.resize(static_cast<size_t>(out));
    std::vector<double> w(cnt);
    for (int64_t x = 0; x < out; ++x) {
        bool outside = false;
        const double xo =
            source_coord(o, static_cast<double>(x), scale, in, out, roi_start, roi_end, outside);
        t.outside[static_cast<size_t>(x)] = outside;
        int64_t* idx = t.index.data() + static_cast<size_t>(x) * cnt;
        float* wt = t.weight.data() + static_cast<size_t>(x) * cnt;
        const double fl = std::floor(xo);
        const bool integer = xo == fl;
        const int64_t base = integer ? static_cast<int64_t>(fl) - 1 : static_cast<int64_t>(fl);
        const double ratio = integer ? 1.0 : xo - fl;
        if (o.mode == Mode::kNearest) {
            int64_t pick = 0;
            switch (o.nearest) {
                case Nearest::kRoundPreferFloor:
                    pick = ratio <= 0.5 ? base : base + 1;
                    break;
                case Nearest::kRoundPreferCeil:
                    pick = ratio < 0.5 ? base : base + 1;
                    break;
                case Nearest::kFloor:
                    pick = integer ? base + 1 : base;
                    break;
                case Nearest::kCeil:
                    pick = base + 1;
                    break;
                case Nearest::kSimple:
                    pick = scale < 1.0 ? static_cast<int64_t>(std::ceil(xo))
                                       : static_cast<int64_t>(std::floor(xo));
                    break;
            }
            idx[0] = std::clamp<int64_t>(pick, 0, in - 1);
            wt[0] = 1.0f;
            continue;
        }
        double sum = 0.0;
        for (size_t k = 0; k < cnt; ++k) {
            const double i = static_cast<double>(first + static_cast<int64_t>(k));
            if (o.mode == Mode::kLinear)
                w[k] = std::clamp(1.0 - std::fabs((i - ratio) * s), 0.0, 1.0);
            else
                w[k] = cubic_weight((i - ratio) * s, o.cubic_a);
            sum += w[k];
        }
        if (o.antialias && sum != 0.0)
            for (auto& v : w)
                v /= sum;
        if (o.exclude_outside) {
            double kept = 0.0;
            for (size_t k = 0; k < cnt; ++k) {
                const int64_t at = base + first + static_cast<int64_t>(k);
                if (at < 0 || at >= in) w[k] = 0.0;
                kept += w[k];
            }
            if (kept != 0.0)
                for (auto& v : w)
                    v /= kept;
        }
        for (size_t k = 0; k < cnt; ++k) {
            idx[k] = std::clamp<int64_t>(base + first + static_cast<int64_t>(k), 0, in - 1);
            wt[k] = static_cast<float>(w[k]);
        }
    }
    return t;
}

// Resamples one axis: src [outer, in, inner] -> dst [outer, out, inner].
void resample_axis(const float* src, float* dst, int64_t outer, int64_t in, int64_t out, int64_t inner,
                   const AxisTaps& t, float extrapolation) {
    const int64_t cnt = t.count;
    for (int64_t o = 0; o < outer; ++o) {
        const float* s = src + o * in * inner;
        for (int64_t x = 0; x < out; ++x) {
            float* d = dst + (o * out + x) * inner;
            if (t.outside[static_cast<size_t>(x)]) {
                std::fill(d, d + inner, extrapolation);
                continue;
            }
            const int64_t* idx = t.index.data() + x * cnt;
            const float* wt = t.weight.data() + x * cnt;
            if (cnt == 1) {
                std::copy(s + idx[0] * inner, s + idx[0] * inner + inner, d);
                continue;
            }
            std::fill(d, d + inner, 0.0f);
            for (int64_t k = 0; k < cnt; ++k) {
                const float w = wt[k];
                if (w == 0.0f) continue;
                const float* r = s + idx[k] * inner;
                for (int64_t i = 0; i < inner; ++i)
                    d[i] += w * r[i];
            }
        }
    }
}

class ResizeKernel : public Kernel {
  public:
    explicit ResizeKernel(bool upsample) : upsample_(upsample) {}

    Status init(const KernelInit& init) override {
        const ir::Node& n = init.node;
        opset_ = init.opset;
        const std::string mode = n.attr_string("mode", "nearest");
        if (mode == "nearest")
            opt_.mode = Mode::kNearest;
        else if (mode == "linear" || mode == "bilinear")
            opt_.mode = Mode::kLinear;
        else if (mode == "cubic" && !upsample_ && opset_ >= 11)
            opt_.mode = Mode::kCubic;
        else
            return kernel_init_error(init, "unsupported mode '" + mode + "'");
        legacy_ = upsample_ || opset_ < 11;
        if (legacy_) {
            opt_.coord = Coord::kAsymmetric;
            opt_.nearest = Nearest::kSimple;
            if (upsample_ && opset_ < 9) {
                const ir::Attribute* s = n.attr("scales");
                if (!s) return kernel_init_error(init, "the scales attribute is required");
                attr_scales_ = s->floats;
            }
            return Status::ok();
        }
        const std::string coord = n.attr_string("coordinate_transformation_mode", "half_pixel");
        if (coord == "half_pixel")
            opt_.coord = Coord::kHalfPixel;
        else if (coord == "half_pixel_symmetric" && opset_ >= 19)
            opt_.coord = Coord::kHalfPixelSymmetric;
        else if (coord == "pytorch_half_pixel")
            opt_.coord = Coord::kPytorchHalfPixel;
        else if (coord == "align_corners")
            opt_.coord = Coord::kAlignCorners;
        else if (coord == "asymmetric")
            opt_.coord = Coord::kAsymmetric;
        else if (coord == "tf_half_pixel_for_nn" && opset_ < 13)
            opt_.coord = Coord::kTfHalfPixelForNn;
        else if (coord == "tf_crop_and_resize")
            opt_.coord = Coord::kTfCropAndResize;
        else
            return kernel_init_error(init, "unsupported coordinate_transformation_mode '" + coord + "'");
        const std::string nearest = n.attr_string("nearest_mode", "round_prefer_floor");
        if (nearest == "round_prefer_floor")
            opt_.nearest = Nearest::kRoundPreferFloor;
        else if (nearest == "round_prefer_ceil")
            opt_.nearest = Nearest::kRoundPreferCeil;
        else if (nearest == "floor")
            opt_.nearest = Nearest::kFloor;
        else if (nearest == "ceil")
            opt_.nearest = Nearest::kCeil;
        else
            return kernel_init_error(init, "unsupported nearest_mode '" + nearest + "'");
        opt_.cubic_a = n.attr_float("cubic_coeff_a", -0.75f);
        opt_.exclude_outside = n.attr_int("exclude_outside", 0) != 0;
        opt_.extrapolation = n.attr_float("extrapolation_value", 0.0f);
        if (opset_ >= 18) {
            opt_.antialias = n.attr_int("antialias", 0) != 0;
            if (opt_.antialias && opt_.mode == Mode::kNearest)
                return kernel_init_error(init, "antialias is not defined for mode 'nearest'");
            axes_ = n.attr_ints("axes");
            policy_ = n.attr_string("keep_aspect_ratio_policy", "stretch");
            if (policy_ != "stretch" && policy_ != "not_larger" && policy_ != "not_smaller")
                return kernel_init_error(init, "unsupported keep_aspect_ratio_policy '" + policy_ + "'");
        }
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        const Tensor* x = ctx.input(0);
        if (!x) return kernel_error(ctx, "input X is required");
        if (x->type() != DataType::kFloat) return kernel_error(ctx, "only float32 is supported");
        const int64_t rank = x->rank();
        if (rank < 1) return kernel_error(ctx, "X must have rank >= 1");
        const Shape& in = x->shape();

        // the resized axes, and per axis of X: scale, output size, roi
        std::vector<int64_t> axes;
        if (axes_.empty()) {
            for (int64_t a = 0; a < rank; ++a)
                axes.push_back(a);
        } else {
            for (int64_t a : axes_) {
                if (a < -rank || a >= rank)
                    return kernel_error(ctx, "axes value " + std::to_string(a) + " is out of range");
                axes.push_back(a < 0 ? a + rank : a);
            }
        }
        const size_t na = axes.size();
        std::vector<double> scale(static_cast<size_t>(rank), 1.0), roi_start(static_cast<size_t>(rank), 0.0),
            roi_end(static_cast<size_t>(rank), 1.0);
        Shape out = in;
        const Tensor* scales_t = nullptr;
        const Tensor* sizes_t = nullptr;
        const Tensor* roi_t = nullptr;
        if (upsample_) {
            scales_t = opset_ >= 9 ? ctx.input(1) : nullptr;
        } else if (opset_ < 11) {
            scales_t = ctx.input(1);
        } else {
            roi_t = nn::present(ctx.input(1)) ? ctx.input(1) : nullptr;
            scales_t = nn::present(ctx.input(2)) ? ctx.input(2) : nullptr;
            sizes_t = nn::present(ctx.input(3)) ? ctx.input(3) : nullptr;
        }
        std::vector<double> given;
        if (upsample_ && opset_ < 9) {
            for (float v : attr_scales_)
                given.push_back(v);
        } else if (scales_t) {
            if (scales_t->type() != DataType::kFloat) return kernel_error(ctx, "scales must be float32");
            for (int64_t i = 0; i < scales_t->numel(); ++i)
                given.push_back(scales_t->data<float>()[i]);
        }
        if (sizes_t) {
            if (scales_t) return kernel_error(ctx, "only one of scales and sizes may be given");
            if (sizes_t->type() != DataType::kInt64) return kernel_error(ctx, "sizes must be int64");
            if (static_cast<size_t>(sizes_t->numel()) != na)
                return kernel_error(ctx, "sizes must have " + std::to_string(na) + " values");
            for (size_t k = 0; k < na; ++k) {
                const size_t a = static_cast<size_t>(axes[k]);
                const int64_t v = sizes_t->data<int64_t>()[k];
                if (v <= 0) return kernel_error(ctx, "sizes must be positive");
                out[a] = v;
                scale[a] = static_cast<double>(v) / static_cast<double>(in[a]);
            }
            if (policy_ != "stretch") {
                double s = policy_ == "not_larger" ? 1e300 : 0.0;
                for (int64_t a : axes)
                    s = policy_ == "not_larger" ? std::min(s, scale[static_cast<size_t>(a)])
                                                : std::max(s, scale[static_cast<size_t>(a)]);
                for (int64_t a : axes) {
                    scale[static_cast<size_t>(a)] = s;
                    out[static_cast<size_t>(a)] =
                        static_cast<int64_t>(s * static_cast<double>(in[static_cast<size_t>(a)]) + 0.5);
                }
            }
        } else {
            if (given.size() != na)
                return kernel_error(ctx,
                                    "scales must have " + std::to_string(na) + " values (or give sizes)");
            for (size_t k = 0; k < na; ++k) {
                const size_t a = static_cast<size_t>(axes[k]);
                if (!(given[k] > 0.0)) return kernel_error(ctx, "scales must be positive");
                scale[a] = given[k];
                out[a] = static_cast<int64_t>(std::floor(static_cast<double>(in[a]) * given[k]));
            }
        }
        if (roi_t && opt_.coord == Coord::kTfCropAndResize) {
            if (static_cast<size_t>(roi_t->numel()) != 2 * na)
                return kernel_error(ctx, "roi must have " + std::to_string(2 * na) + " values");
            for (size_t k = 0; k < na; ++k) {
                roi_start[static_cast<size_t>(axes[k])] = roi_t->at_double(static_cast<int64_t>(k));
                roi_end[static_cast<size_t>(axes[k])] = roi_t->at_double(static_cast<int64_t>(k + na));
            }
        }
        for (int64_t a = 0; a < rank; ++a)
            if (out[static_cast<size_t>(a)] < 0)
                return kernel_error(ctx, "the output would have a negative size");

        Tensor y = ctx.allocate(DataType::kFloat, out);
        std::vector<int64_t> todo;
        for (int64_t a = 0; a < rank; ++a) {
            const size_t i = static_cast<size_t>(a);
            const bool identity =
                out[i] == in[i] && scale[i] == 1.0 &&
                (opt_.coord != Coord::kTfCropAndResize || (roi_start[i] == 0.0 && roi_end[i] == 1.0));
            if (!identity) todo.push_back(a);
        }
        if (todo.empty() || y.numel() == 0) {
            std::copy(x->data<float>(), x->data<float>() + x->numel(), y.data<float>());
            ctx.outputs[0] = std::move(y);
            return Status::ok();
        }
        // one separable pass per resized axis, ping-ponging through scratch buffers from the pool
        Shape cur = in;
        Tensor buf_a, buf_b;
        const float* src = x->data<float>();
        for (size_t t = 0; t < todo.size(); ++t) {
            const size_t a = static_cast<size_t>(todo[t]);
            int64_t outer = 1, inner = 1;
            for (size_t k = 0; k < a; ++k)
                outer *= cur[k];
            for (size_t k = a + 1; k < cur.size(); ++k)
                inner *= cur[k];
            AxisTaps taps = build_taps(opt_, cur[a], out[a], scale[a], roi_start[a], roi_end[a]);
            const int64_t count = outer * out[a] * inner;
            float* dst = y.data<float>();
            if (t + 1 < todo.size()) {
                Tensor& buf = t % 2 == 0 ? buf_a : buf_b;
                buf = Tensor();
                buf = ctx.allocate(DataType::kFloat, {count});
                dst = buf.data<float>();
            }
            resample_axis(src, dst, outer, cur[a], out[a], inner, taps, opt_.extrapolation);
            cur[a] = out[a];
            src = dst;
        }
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    bool upsample_ = false, legacy_ = false;
    int64_t opset_ = 0;
    Options opt_;
    std::vector<float> attr_scales_;
    std::vector<int64_t> axes_;
    std::string policy_ = "stretch";
};

}  // namespace

std::unique_ptr<Kernel> make_resize_kernel() {
    return std::make_unique<ResizeKernel>(false);
}
std::unique_ptr<Kernel> make_upsample_kernel() {
    return std::make_unique<ResizeKernel>(true);
}

}  // namespace lowbit::runtime
