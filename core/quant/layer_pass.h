// What the passes that run the calibration data through chosen layers after planning (GPTQ rounding, bias
// correction) share: which layers, how much data in what batches, threads, progress and cancellation.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "util/progress.h"

namespace lowbit::quant {

struct LayerPassOptions {
    int64_t num_samples = 0;       // 0: every sample of the source
    std::set<std::string> layers;  // the layers to treat (by name); empty: every one that can be
    int64_t batch_size = 32;
    int threads = 0;
    ProgressFn progress;
    const CancelToken* cancel = nullptr;
};

}  // namespace lowbit::quant
