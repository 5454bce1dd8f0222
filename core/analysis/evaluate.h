// Classification accuracy of a model on labelled data: top-1 and top-5 over the first output's logits.
#pragma once

#include <functional>

#include "data/dataset.h"
#include "runtime/executor.h"

namespace lowbit::analysis {

struct Accuracy {
    int64_t samples = 0;
    int64_t top1_correct = 0;
    int64_t top5_correct = 0;
    double top1() const {
        return samples ? 100.0 * static_cast<double>(top1_correct) / static_cast<double>(samples) : 0.0;
    }
    double top5() const {
        return samples ? 100.0 * static_cast<double>(top5_correct) / static_cast<double>(samples) : 0.0;
    }
};

// Runs `data` through the executor's single input in batches; `progress(done, total)` after each batch.
Result<Accuracy> evaluate_classifier(runtime::Executor& executor, const data::LabeledData& data,
                                     int64_t batch,
                                     const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace lowbit::analysis
