// Labelled inputs for evaluation: images (IDX, .npy; raw uint8 preprocessed by a Preprocess spec, float
// taken as already preprocessed) and integer labels (IDX or .npy).
#pragma once

#include <filesystem>
#include <vector>

#include "data/preprocess.h"
#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::data {

// Reads an array file by its extension: .npy, or IDX (anything else, gzip or not).
Result<runtime::Tensor> read_array(const std::filesystem::path& path);

struct LabeledData {
    runtime::Tensor inputs;       // float32, batch first, ready for the model
    std::vector<int64_t> labels;  // one per sample
};

// `limit` > 0 keeps the first `limit` samples.
Result<LabeledData> load_labeled(const std::filesystem::path& images, const std::filesystem::path& labels,
                                 const Preprocess& preprocess, int64_t limit = 0);

// Rows [begin, end) of a batch-first tensor (a view, no copy).
runtime::Tensor batch_rows(const runtime::Tensor& t, int64_t begin, int64_t end);

}  // namespace lowbit::data
