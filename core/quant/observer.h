// Calibration observers: one per activation tensor, fed batch by batch after the node that produces it
// (the executor's observe hook). Memory is bounded: a fixed-size histogram whose range grows with the
// data (old bins are re-spread over the wider range), plus exact min/max and a count; activations are
// never kept. The range-selection algorithms then work from these statistics alone, which is what lets a
// saved calibration table be re-quantized with other bits or algorithms without running the data again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quant/quant_spec.h"
#include "util/status.h"

namespace lowbit::quant {

enum class Algorithm { kMinMax, kPercentile, kKl, kMse, kIfmr };
std::string_view name_of(Algorithm a);
std::optional<Algorithm> parse_algorithm(std::string_view name);  // minmax | percentile | kl | mse | ifmr

struct AlgorithmParams {
    double percentile = 99.999;        // percentile: the kept fraction, in percent
    double max_percentile = 0.999999;  // ifmr: initial clip quantiles (AMCT's defaults)
    double min_percentile = 0.999999;
    double search_start = 0.7;  // ifmr: clip searched over [start, end] x initial clip
    double search_end = 1.3;
    double search_step = 0.01;
    double kl_keep = 0.999;  // kl: the threshold keeps at least this fraction of the (non-zero) values

    Status validate() const;
};

// Streaming statistics of one tensor.
class TensorObserver {
  public:
    explicit TensorObserver(int num_bins = 2048);
    void observe(const float* data, int64_t n);  // NaNs are counted and skipped

    int64_t count() const { return count_; }
    int64_t nan_count() const { return nans_; }
    int64_t zero_count() const { return zeros_; }  // exact zeros (ReLU's spike), which KL leaves out
    double min() const { return min_; }
    double max() const { return max_; }
    // Histogram over [hist_lo, hist_hi] (equal-width bins).
    const std::vector<double>& bins() const { return bins_; }
    double hist_lo() const { return lo_; }
    double hist_hi() const { return hi_; }

    // Rebuilds an observer from saved statistics (a calibration table).
    static Result<TensorObserver> from_stats(int64_t count, double min, double max, double hist_lo,
                                             double hist_hi, std::vector<double> bins, int64_t nans = 0,
                                             int64_t zeros = 0);

    // Value below which a fraction q of the observed values lie (linear within a bin).
    double quantile(double q) const;

  private:
    void grow(double new_lo, double new_hi);
    std::vector<double> bins_;
    double lo_ = 0.0, hi_ = 0.0;
    double min_ = 0.0, max_ = 0.0;
    int64_t count_ = 0, nans_ = 0, zeros_ = 0;
};

// The clipping range [lo, hi] an algorithm picks for quantizing the observed tensor with `spec`.
std::pair<float, float> choose_range(const TensorObserver& obs, const QuantSpec& spec, Algorithm algorithm,
                                     const AlgorithmParams& params);

// Expected squared quantization error per value (clipping plus rounding, from the histogram) of
// quantizing with `spec` over [lo, hi]. Used by MSE and IFMR, exposed for tests and reports.
double expected_mse(const TensorObserver& obs, const QuantSpec& spec, double lo, double hi);

// Weight ranges per channel (spec.per_channel, along spec.axis) or for the whole tensor: min/max, or the
// clip that minimises the exact quantization MSE (searched over 0.50..1.00 of the min/max range).
enum class WeightAlgorithm { kMinMax, kMse };
std::string_view name_of(WeightAlgorithm a);
std::optional<WeightAlgorithm> parse_weight_algorithm(std::string_view name);
QuantParams weight_params(std::span<const float> w, std::span<const int64_t> dims, const QuantSpec& spec,
                          WeightAlgorithm algorithm);

}  // namespace lowbit::quant
