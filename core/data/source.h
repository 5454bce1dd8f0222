// Calibration data sources: where the samples a calibrator runs through the model come from. One interface
// over image folders (PNG/JPEG), .npy, .npz, raw float32 .bin, IDX (MNIST family, gzip or not) and, only when
// asked, synthetic random input. Sources stream: batch(begin, end) reads and preprocesses only those samples,
// so memory stays flat however many samples the set has (.npy/.bin/IDX rows are read on demand, images are
// decoded one by one). Sample selection (first N, random N, representative N by k-means) is a view over the
// underlying file's samples, applied by open_source.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/preprocess.h"
#include "runtime/tensor.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::data {

// Geometry for image folders, before Preprocess: shorter side resized to `resize`, then a centre crop.
struct ImageOptions {
    int64_t resize = 0;                       // shorter side in pixels; 0 = keep the size
    int64_t crop_height = 0, crop_width = 0;  // centre crop; 0 = the whole height/width
};

// What to read and how; filled from the config's data section (or flags).
struct SourceSpec {
    std::filesystem::path path;  // folder, image, .npy, .npz, .bin or IDX file; empty for synthetic
    std::string kind = "auto";   // auto | images | npy | npz | bin | idx | synthetic
    std::string npz_array;       // member of an .npz (default: the first)
    std::vector<int64_t>
        bin_shape;          // per-sample shape of a raw float32 .bin (default: the model's, if fixed)
    Preprocess preprocess;  // applied to uint8 data (images, uint8 arrays); float data is used as is
    ImageOptions image;
    int64_t num_samples = 0;           // 0 = all (synthetic: 100)
    std::string selection = "first";   // first | random | representative
    uint64_t seed = 0;                 // random picks, k-means++ init, synthetic values
    int64_t kmeans_clusters = 0;       // 0 = num_samples
    runtime::Shape model_input_shape;  // with batch; dims <= 0 are free, e.g. {-1,1,28,28}; empty = unchecked
    std::string model_input_name = "input";  // for messages
};

// A list of samples, each a float32 tensor shaped like one row of the model input. One caller at a time
// (batch() moves file positions); batches may be asked for in any order.
class DataSource {
  public:
    virtual ~DataSource();
    virtual int64_t size() const = 0;
    // Samples [begin, end) stacked: [end - begin, ...] float32, preprocessed, ready for the model.
    virtual Result<runtime::Tensor> batch(int64_t begin, int64_t end) = 0;
    // Shape of one sample (without the batch dimension).
    virtual runtime::Shape sample_shape() const = 0;
    // "images in /x (120 files); 100 of 120 at random (seed 0)", for logs and reports.
    virtual std::string describe() const = 0;
    // Bytes read from the data files so far: for logs, and for tests that check reads stay on demand.
    virtual int64_t bytes_read() const = 0;

    std::vector<std::string> warnings;  // e.g. synthetic data in use, fewer samples than asked for
};

// Calls `fn` on samples [0, limit) of `source` in batches of `batch_size`: cancellation checked before
// each batch, progress ("<what>: i / n samples") after; stops at the first error. The one batch loop of
// calibration, channel statistics, bias correction and error analysis.
Status for_each_batch(DataSource& source, int64_t batch_size, int64_t limit, const std::string& what,
                      const ProgressFn& progress, const CancelToken* cancel,
                      const std::function<Status(const runtime::Tensor&)>& fn);

// Opens the data the spec names, checks it against the model input (shape, channels) by preparing the
// first sample, and applies the selection (representative reads every sample once, streaming, to cluster).
// Synthetic data only when kind == "synthetic", with a warning. Errors name the file and the problem.
Result<std::unique_ptr<DataSource>> open_source(const SourceSpec& spec);

}  // namespace lowbit::data
