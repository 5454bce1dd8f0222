#include "quant/observer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lowbit::quant {

std::string_view name_of(Algorithm a) {
    switch (a) {
        case Algorithm::kMinMax:
            return "minmax";
        case Algorithm::kPercentile:
            return "percentile";
        case Algorithm::kKl:
            return "kl";
        case Algorithm::kMse:
            return "mse";
        case Algorithm::kIfmr:
            return "ifmr";
    }
    return "?";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
    for (Algorithm a :
         {Algorithm::kMinMax, Algorithm::kPercentile, Algorithm::kKl, Algorithm::kMse, Algorithm::kIfmr})
        if (name == name_of(a)) return a;
    if (name == "entropy") return Algorithm::kKl;
    return std::nullopt;
}

std::string_view name_of(WeightAlgorithm a) {
    return a == WeightAlgorithm::kMinMax ? "minmax" : "mse";
}

std::optional<WeightAlgorithm> parse_weight_algorithm(std::string_view name) {
    if (name == "minmax" || name == "arq") return WeightAlgorithm::kMinMax;
    if (name == "mse") return WeightAlgorithm::kMse;
    return std::nullopt;
}

Status AlgorithmParams::validate() const {
    if (!(percentile > 50.0 && percentile <= 100.0)) return invalid_input("percentile must be in (50, 100]");
    if (!(max_percentile > 0.5 && max_percentile <= 1.0))
        return invalid_input("max_percentile must be in (0.5, 1]");
    if (!(min_percentile > 0.5 && min_percentile <= 1.0))
        return invalid_input("min_percentile must be in (0.5, 1]");
    if (!(search_start > 0.0 && search_start < search_end))
        return invalid_input("search_range must satisfy 0 < start < end");
    if (!(kl_keep >= 0.0 && kl_keep <= 1.0)) return invalid_input("kl_keep must be in [0, 1]");
    if (!(search_step > 0.0 && search_step <= search_end - search_start))
        return invalid_input("search_step must be in (0, end - start]");
    return Status::ok();
}

// ---- TensorObserver ----

TensorObserver::TensorObserver(int num_bins) : bins_(static_cast<size_t>(std::max(num_bins, 16)), 0.0) {}

namespace {

// Adds `mass`, spread uniformly over [a, b), to equal-width bins starting at `lo` with width `w`.
void spread(double mass, double a, double b, double lo, double w, std::vector<double>& bins) {
    const int64_t nb = static_cast<int64_t>(bins.size());
    if (mass == 0.0) return;
    if (!(b > a)) {
        int64_t i = std::clamp(static_cast<int64_t>(std::floor((a - lo) / w)), int64_t{0}, nb - 1);
        bins[static_cast<size_t>(i)] += mass;
        return;
    }
    int64_t first = std::clamp(static_cast<int64_t>(std::floor((a - lo) / w)), int64_t{0}, nb - 1);
    int64_t last = std::clamp(static_cast<int64_t>(std::floor((b - lo) / w)), int64_t{0}, nb - 1);
    if (first == last) {
        bins[static_cast<size_t>(first)] += mass;
        return;
    }
    for (int64_t i = first; i <= last; ++i) {
        double s = std::max(a, lo + static_cast<double>(i) * w),
               e = std::min(b, lo + static_cast<double>(i + 1) * w);
        if (i == nb - 1) e = b;
        if (i == 0) s = a;
        if (e > s) bins[static_cast<size_t>(i)] += mass * (e - s) / (b - a);
    }
}

}  // namespace

void TensorObserver::grow(double new_lo, double new_hi) {
    std::vector<double> old = std::move(bins_);
    bins_.assign(old.size(), 0.0);
    const double ow = (hi_ - lo_) / static_cast<double>(old.size());
    const double nw = (new_hi - new_lo) / static_cast<double>(bins_.size());
    for (size_t i = 0; i < old.size(); ++i) {
        double a = lo_ + static_cast<double>(i) * ow;
        spread(old[i], a, a + ow, new_lo, nw, bins_);
    }
    lo_ = new_lo;
    hi_ = new_hi;
}

void TensorObserver::observe(const float* data, int64_t n) {
    // step: batch range, finite values only
    float bmin = std::numeric_limits<float>::infinity(), bmax = -bmin;
    int64_t finite = 0, zeros = 0;
    for (int64_t i = 0; i < n; ++i) {
        float v = data[i];
        if (!std::isfinite(v)) continue;
        zeros += v == 0.0f;
        bmin = std::min(bmin, v);
        bmax = std::max(bmax, v);
        ++finite;
    }
    nans_ += n - finite;
    zeros_ += zeros;
    if (finite == 0) return;
    // step: first data sets the range; later data outside it grows the histogram
    if (count_ == 0) {
        min_ = bmin, max_ = bmax;
        lo_ = bmin, hi_ = bmax;
        if (!(hi_ > lo_)) hi_ = lo_ + std::max(1e-12, std::abs(lo_) * 1e-6);
    } else {
        min_ = std::min(min_, static_cast<double>(bmin));
        max_ = std::max(max_, static_cast<double>(bmax));
        if (bmin < lo_ || bmax > hi_)
            grow(std::min(lo_, static_cast<double>(bmin)), std::max(hi_, static_cast<double>(bmax)));
    }
    count_ += finite;
    // step: bin the values
    const double scale = static_cast<double>(bins_.size()) / (hi_ - lo_);
    const int64_t last = static_cast<int64_t>(bins_.size()) - 1;
    double* b = bins_.data();
    for (int64_t i = 0; i < n; ++i) {
        float v = data[i];
        if (!std::isfinite(v)) continue;
        int64_t k = static_cast<int64_t>((v - lo_) * scale);
        b[std::clamp(k, int64_t{0}, last)] += 1.0;
    }
}

Result<TensorObserver> TensorObserver::from_stats(int64_t count, double min, double max, double hist_lo,
                                                  double hist_hi, std::vector<double> bins, int64_t nans,
                                                  int64_t zeros) {
    if (bins.size() < 16)
        return invalid_input("histogram needs at least 16 bins, has " + std::to_string(bins.size()));
    if (count < 0 || (count > 0 && !(hist_hi > hist_lo)) || (count > 0 && min > max))
        return invalid_input("inconsistent statistics (count, min/max or histogram range)");
    TensorObserver o(static_cast<int>(bins.size()));
    o.bins_ = std::move(bins);
    o.count_ = count, o.nans_ = nans, o.zeros_ = zeros;
    o.min_ = min, o.max_ = max, o.lo_ = hist_lo, o.hi_ = hist_hi;
    return o;
}

double TensorObserver::quantile(double q) const {
    if (count_ == 0) return 0.0;
    double total = 0.0;
    for (double b : bins_)
        total += b;
    const double target = std::clamp(q, 0.0, 1.0) * total;
    const double w = (hi_ - lo_) / static_cast<double>(bins_.size());
    double acc = 0.0;
    for (size_t i = 0; i < bins_.size(); ++i) {
        if (acc + bins_[i] >= target && bins_[i] > 0.0) {
            double frac = (target - acc) / bins_[i];
            return std::clamp(lo_ + (static_cast<double>(i) + frac) * w, min_, max_);
        }
        acc += bins_[i];
    }
    return max_;
}

// ---- range selection ----

double expected_mse(const TensorObserver& obs, const QuantSpec& spec, double lo, double hi) {
    QuantSpec s = spec;
    s.per_channel = false;
    float l = static_cast<float>(lo), h = static_cast<float>(hi);
    QuantParams p = params_for_range(s, {&l, 1}, {&h, 1});
    const double scale = p.scale[0];
    const double rl = static_cast<double>(s.qmin() - p.zero_point[0]) * scale;
    const double rh = static_cast<double>(s.qmax() - p.zero_point[0]) * scale;
    const auto& bins = obs.bins();
    const double w = (obs.hist_hi() - obs.hist_lo()) / static_cast<double>(bins.size());
    double err = 0.0, total = 0.0;
    for (size_t i = 0; i < bins.size(); ++i) {
        if (bins[i] == 0.0) continue;
        double c = obs.hist_lo() + (static_cast<double>(i) + 0.5) * w;
        double e;
        if (c < rl)
            e = (c - rl) * (c - rl);
        else if (c > rh)
            e = (c - rh) * (c - rh);
        else
            e = scale * scale / 12.0;
        err += bins[i] * e;
        total += bins[i];
    }
    return total > 0.0 ? err / total : 0.0;
}

namespace {

// Histogram of magnitudes over [0, extent] with as many bins as the observer's: of |x| (sign 0), of the
// positive values (sign 1) or of the negative ones (sign -1).
std::vector<double> side_histogram(const TensorObserver& obs, double sign, double amax) {
    const auto& bins = obs.bins();
    std::vector<double> out(bins.size(), 0.0);
    const double w = (obs.hist_hi() - obs.hist_lo()) / static_cast<double>(bins.size());
    const double aw = amax / static_cast<double>(out.size());
    for (size_t i = 0; i < bins.size(); ++i) {
        double a = obs.hist_lo() + static_cast<double>(i) * w, b = a + w, m = bins[i];
        if (m == 0.0) continue;
        const bool pos = sign >= 0.0, neg = sign <= 0.0;
        if (a >= 0.0) {
            if (pos) spread(m, a, b, 0.0, aw, out);
        } else if (b <= 0.0) {
            if (neg) spread(m, -b, -a, 0.0, aw, out);
        } else {
            if (pos) spread(m * b / (b - a), 0.0, b, 0.0, aw, out);
            if (neg) spread(m * -a / (b - a), 0.0, -a, 0.0, aw, out);
        }
    }
    return out;
}

// TensorRT's entropy calibration: the threshold whose clipped-and-requantized distribution is closest in
// KL divergence to the original.
double kl_threshold(const std::vector<double>& hist, double amax, int64_t levels, double keep) {
    const int64_t nb = static_cast<int64_t>(hist.size());
    if (levels >= nb) return amax;
    // the smallest threshold considered keeps `keep` of the mass: on spiky data (a uniform background
    // gives each channel a spike) the divergence alone would clip a tenth of the values to keep the
    // spikes sharp
    double total = 0.0, acc = 0.0;
    for (double h : hist)
        total += h;
    int64_t first = levels;
    for (int64_t i = 0; i < nb; ++i) {
        acc += hist[static_cast<size_t>(i)];
        if (acc >= keep * total) {
            first = std::max(first, i + 1);
            break;
        }
    }
    const double w = amax / static_cast<double>(nb);
    double best_kl = std::numeric_limits<double>::infinity();
    int64_t best_i = nb;
    std::vector<double> p, q;
    double tail = 0.0;
    for (int64_t i = nb - 1; i >= first; --i)
        tail += hist[static_cast<size_t>(i)];
    for (int64_t i = first; i <= nb; ++i) {
        // step: reference distribution, outliers folded into the last kept bin
        if (i > first) tail -= hist[static_cast<size_t>(i - 1)];
        p.assign(hist.begin(), hist.begin() + i);
        p[static_cast<size_t>(i - 1)] += tail;
        // step: the kept bins merged into `levels` groups, each spread back over its non-empty bins
        q.assign(static_cast<size_t>(i), 0.0);
        const double per = static_cast<double>(i) / static_cast<double>(levels);
        for (int64_t j = 0; j < levels; ++j) {
            int64_t s = static_cast<int64_t>(std::floor(static_cast<double>(j) * per));
            int64_t e =
                j == levels - 1 ? i : static_cast<int64_t>(std::floor(static_cast<double>(j + 1) * per));
            double sum = 0.0;
            int64_t nz = 0;
            for (int64_t k = s; k < e; ++k) {
                sum += hist[static_cast<size_t>(k)];
                nz += hist[static_cast<size_t>(k)] != 0.0;
            }
            if (nz == 0) continue;
            for (int64_t k = s; k < e; ++k)
                if (hist[static_cast<size_t>(k)] != 0.0)
                    q[static_cast<size_t>(k)] = sum / static_cast<double>(nz);
        }
        double ps = 0.0, qs = 0.0;
        for (int64_t k = 0; k < i; ++k)
            ps += p[static_cast<size_t>(k)], qs += q[static_cast<size_t>(k)];
        if (ps <= 0.0 || qs <= 0.0) continue;
        double kl = 0.0;
        for (int64_t k = 0; k < i; ++k) {
            double pk = p[static_cast<size_t>(k)] / ps;
            if (pk <= 0.0) continue;
            double qk = std::max(q[static_cast<size_t>(k)] / qs, 1e-12);
            kl += pk * std::log(pk / qk);
        }
        if (kl < best_kl) best_kl = kl, best_i = i;
    }
    return static_cast<double>(best_i) * w;
}

}  // namespace

std::pair<float, float> choose_range(const TensorObserver& obs, const QuantSpec& spec, Algorithm algorithm,
                                     const AlgorithmParams& params) {
    const double mn = std::min(obs.min(), 0.0), mx = std::max(obs.max(), 0.0);
    const bool nonneg = obs.min() >= 0.0;
    auto result = [&](double lo, double hi) {
        lo = std::clamp(lo, mn, 0.0);
        hi = std::clamp(hi, 0.0, std::max(mx, hi));
        return std::pair<float, float>{static_cast<float>(lo), static_cast<float>(hi)};
    };
    if (obs.count() == 0) return {0.0f, 0.0f};
    switch (algorithm) {
        case Algorithm::kMinMax:
            return result(mn, mx);
        case Algorithm::kPercentile: {
            double p = params.percentile / 100.0;
            double lo = obs.quantile(1.0 - p), hi = obs.quantile(p);
            if (spec.symmetric && !nonneg) {
                double a = std::max(-lo, hi);
                return result(-a, a);
            }
            return result(lo, hi);
        }
        case Algorithm::kKl: {
            // TensorRT's entropy calibration. Exact zeros (half of a ReLU output) are left out, as ncnn
            // does: their spike would dominate the divergence and pull the threshold down. Symmetric
            // specs search one threshold on |x|; asymmetric ones each side of zero on its own, so a
            // tensor with a dense negative edge (a normalised image's background) keeps its positive tail.
            auto side = [&](double sign, double extent, int64_t levels, bool skip_zeros) {
                std::vector<double> hist = side_histogram(obs, sign, extent);
                if (skip_zeros) hist[0] = std::max(0.0, hist[0] - static_cast<double>(obs.zero_count()));
                return kl_threshold(hist, extent, levels, params.kl_keep);
            };
            if (nonneg || mx <= 0.0 || spec.symmetric) {
                double amax = std::max(-mn, mx);
                if (amax <= 0.0) return {0.0f, 0.0f};
                int64_t levels = int64_t{1} << (nonneg ? spec.bits : spec.bits - 1);
                double t = side(0.0, amax, levels, true);
                if (spec.symmetric && !nonneg) return result(-t, t);
                return result(std::max(mn, -t), std::min(mx, t));
            }
            const int64_t levels = int64_t{1} << (spec.bits - 1);
            double hi = side(1.0, mx, levels, true), lo = -side(-1.0, -mn, levels, false);
            return result(lo, hi);
        }
        case Algorithm::kMse: {
            // step: a common shrink factor, then each side alone (two rounds of coordinate descent)
            auto mse = [&](double lo, double hi) { return expected_mse(obs, spec, lo, hi); };
            double best_lo = mn, best_hi = mx, best = mse(mn, mx);
            for (int k = 99; k >= 20; --k) {
                double f = k / 100.0, e = mse(mn * f, mx * f);
                if (e < best) best = e, best_lo = mn * f, best_hi = mx * f;
            }
            if (!spec.symmetric && !nonneg) {
                for (int round = 0; round < 2; ++round) {
                    for (int k = 100; k >= 20; --k) {
                        double e = mse(best_lo, mx * k / 100.0);
                        if (e < best) best = e, best_hi = mx * k / 100.0;
                    }
                    for (int k = 100; k >= 20; --k) {
                        double e = mse(mn * k / 100.0, best_hi);
                        if (e < best) best = e, best_lo = mn * k / 100.0;
                    }
                }
            }
            return result(best_lo, best_hi);
        }
        case Algorithm::kIfmr: {
            // AMCT's IFMR: initial clip from quantiles, then the factor in [start, end] with the lowest MSE
            double hi0 = std::max(0.0, obs.quantile(params.max_percentile));
            double lo0 = std::min(0.0, obs.quantile(1.0 - params.min_percentile));
            if (spec.symmetric && !nonneg) {
                double a = std::max(-lo0, hi0);
                lo0 = -a, hi0 = a;
            }
            double best = std::numeric_limits<double>::infinity(), best_lo = lo0, best_hi = hi0;
            const int steps = static_cast<int>(
                std::floor((params.search_end - params.search_start) / params.search_step + 1e-9));
            for (int k = 0; k <= steps; ++k) {
                double f = params.search_start + k * params.search_step;
                double e = expected_mse(obs, spec, lo0 * f, hi0 * f);
                if (e < best) best = e, best_lo = lo0 * f, best_hi = hi0 * f;
            }
            return {static_cast<float>(best_lo), static_cast<float>(best_hi)};
        }
    }
    return result(mn, mx);
}

// ---- weights ----

QuantParams weight_params(std::span<const float> w, std::span<const int64_t> dims, const QuantSpec& spec,
                          WeightAlgorithm algorithm) {
    // step: gather each channel's values (the whole tensor is one channel when per tensor)
    int64_t channels = 1, outer = 1, inner = 1;
    if (spec.per_channel && !dims.empty()) {
        const auto axis = static_cast<size_t>(spec.axis);
        channels = dims[axis];
        for (size_t i = 0; i < axis; ++i)
            outer *= dims[i];
        for (size_t i = axis + 1; i < dims.size(); ++i)
            inner *= dims[i];
    } else {
        inner = static_cast<int64_t>(w.size());
    }
    std::vector<std::vector<float>> values(static_cast<size_t>(channels));
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const float* src = w.data() + (o * channels + c) * inner;
            values[static_cast<size_t>(c)].insert(values[static_cast<size_t>(c)].end(), src, src + inner);
        }
    QuantSpec one = spec;
    one.per_channel = false;
    QuantParams out;
    for (const auto& v : values) {
        float lo = 0.0f, hi = 0.0f;
        for (float x : v)
            lo = std::min(lo, x), hi = std::max(hi, x);
        QuantParams best = params_for_range(one, {&lo, 1}, {&hi, 1});
        if (algorithm == WeightAlgorithm::kMse && !v.empty()) {
            auto error = [&](const QuantParams& p) {
                double e = 0.0;
                for (float x : v) {
                    float d = x - dequantize_one(
                                      quantize_one(x, p.scale[0], p.zero_point[0], one.qmin(), one.qmax()),
                                      p.scale[0], p.zero_point[0]);
                    e += static_cast<double>(d) * d;
                }
                return e;
            };
            double best_e = error(best);
            for (int k = 99; k >= 50; --k) {
                float l = lo * static_cast<float>(k) / 100.0f, h = hi * static_cast<float>(k) / 100.0f;
                QuantParams p = params_for_range(one, {&l, 1}, {&h, 1});
                double e = error(p);
                if (e < best_e) best_e = e, best = p;
            }
        }
        out.scale.push_back(best.scale[0]);
        out.zero_point.push_back(best.zero_point[0]);
    }
    return out;
}

}  // namespace lowbit::quant
