// Statistics of a constant tensor (a layer's weight) for the studio's Inspector: min, max, mean and
// standard deviation over all elements, and the range of each slice along a channel axis (axis 0 is the
// output channel of Conv weights; Gemm/MatMul weights are read along their output axis by the caller).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/tensor.h"

namespace lowbit::analysis {

struct TensorStats {
    uint64_t count = 0;
    double min = 0, max = 0, mean = 0, stddev = 0;  // population standard deviation
    int64_t channel_axis = 0;
    std::vector<double> channel_min, channel_max;  // one per slice along channel_axis
};

// nullopt for non-numeric, empty or malformed tensors. `channel_axis` may be negative (from the back).
std::optional<TensorStats> tensor_stats(const ir::Tensor& tensor, int64_t channel_axis = 0);

}  // namespace lowbit::analysis
