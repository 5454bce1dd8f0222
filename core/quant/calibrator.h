// The calibrator: runs the engine over calibration samples with one observer per float tensor (fed by
// the executor's after-node hook, as MNN's calibration) and returns their statistics as a table. Memory is
// bounded by one batch of activations plus a fixed-size histogram per tensor, whatever the sample count.
#pragma once

#include "data/source.h"
#include "ir/model.h"
#include "quant/calibration_table.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::quant {

struct CalibrateOptions {
    int64_t batch_size = 32;
    int threads = 0;
    int num_bins = 2048;
    ProgressFn progress;                 // optional
    const CancelToken* cancel = nullptr;  // optional
};

// `model` is the prepared model (passes already run). Runs every sample the source holds.
Result<CalibrationTable> calibrate(const ir::Model& model, data::DataSource& source, const CalibrateOptions& options);

// A short digest of a model's graph structure (node names, op types and wiring), stored in tables.
std::string graph_digest(const ir::Model& model);

}  // namespace lowbit::quant
