// The calibrator: runs the engine over calibration samples with one observer per float tensor (fed by
// the executor's after-node hook, as MNN's calibration) and returns their statistics as a table. Memory is
// bounded by one batch of activations plus a fixed-size histogram per tensor, whatever the sample count.
#pragma once

#include <functional>

#include "data/source.h"
#include "ir/model.h"
#include "quant/calibration_table.h"
#include "runtime/executor.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::quant {

struct CalibrateOptions {
    int64_t batch_size = 32;
    int threads = 0;
    int num_bins = 2048;
    ProgressFn progress;                  // optional
    const CancelToken* cancel = nullptr;  // optional
};

// `model` is the prepared model (passes already run). Runs every sample the source holds.
Result<CalibrationTable> calibrate(const ir::Model& model, data::DataSource& source,
                                   const CalibrateOptions& options);

// An executor that reports every value to an observer hook (no fusion), for a model with the one input
// calibration feeds.
Result<std::unique_ptr<runtime::Executor>> observing_executor(const ir::Model& model, int threads);

// Runs `exec` (one input) over samples [0, limit) of `source` in batches of `batch_size`, with progress
// ("<what>: i / n samples") and cancellation; `on_input` (optional) sees each batch before it runs. The
// callers collect what they need through the executor's observer hook.
Status run_batches(runtime::Executor& exec, data::DataSource& source, int64_t batch_size, int64_t limit,
                   const std::string& what, const ProgressFn& progress, const CancelToken* cancel,
                   const std::function<void(const runtime::Tensor&)>& on_input = {});

// A short digest of a model's graph structure (node names, op types and wiring), stored in tables.
std::string graph_digest(const ir::Model& model);

}  // namespace lowbit::quant
