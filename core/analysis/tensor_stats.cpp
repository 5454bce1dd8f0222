#include "analysis/tensor_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lowbit::analysis {

std::optional<TensorStats> tensor_stats(const ir::Tensor& tensor, int64_t channel_axis) {
    if (tensor.type == ir::DataType::kString || tensor.type == ir::DataType::kUndefined) return std::nullopt;
    const auto n = tensor.element_count();
    if (!n || *n == 0) return std::nullopt;
    const bool is_float = tensor.type == ir::DataType::kFloat;
    if (is_float && tensor.data.size() != *n * sizeof(float)) return std::nullopt;
    if (!is_float && tensor.data.empty()) return std::nullopt;

    // step: channel geometry (outer = slices, inner = elements per slice run)
    const int64_t rank = static_cast<int64_t>(tensor.dims.size());
    int64_t axis = channel_axis < 0 ? channel_axis + rank : channel_axis;
    if (rank == 0)
        axis = -1;
    else
        axis = std::clamp<int64_t>(axis, 0, rank - 1);
    uint64_t channels = 1, inner = 1;
    if (axis >= 0) {
        channels = static_cast<uint64_t>(tensor.dims[axis]);
        for (int64_t k = axis + 1; k < rank; ++k)
            inner *= static_cast<uint64_t>(tensor.dims[k]);
    }
    TensorStats s;
    s.count = *n;
    s.channel_axis = axis < 0 ? 0 : axis;
    s.channel_min.assign(channels, std::numeric_limits<double>::infinity());
    s.channel_max.assign(channels, -std::numeric_limits<double>::infinity());
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;

    // step: one pass, Welford for the variance
    const float* f = is_float ? tensor.view<float>().data() : nullptr;
    double mean = 0, m2 = 0;
    for (uint64_t i = 0; i < *n; ++i) {
        const double x = f ? static_cast<double>(f[i]) : tensor.value_as_double(i);
        const uint64_t c = (i / inner) % channels;
        s.channel_min[c] = std::min(s.channel_min[c], x);
        s.channel_max[c] = std::max(s.channel_max[c], x);
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
        const double d = x - mean;
        mean += d / static_cast<double>(i + 1);
        m2 += d * (x - mean);
    }
    s.mean = mean;
    s.stddev = std::sqrt(m2 / static_cast<double>(*n));
    return s;
}

}  // namespace lowbit::analysis
