// Per-layer quantization error, the studio's heatmap and the report's table. For each compute layer:
// cosine similarity, SQNR (dB), MSE and max |error| between its FP32 output and its quantized output,
// - accumulated: the whole model quantized, so upstream error is included (what deployment sees);
// - isolated: only this layer quantized, fed the FP32 inputs (what this layer alone costs).
// Both views, as PPQ and ONNX Runtime's qdq debugging report them. Streaming: sums only, any sample count.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "data/source.h"
#include "ir/model.h"
#include "quant/plan.h"
#include "util/progress.h"
#include "util/status.h"

namespace lowbit::analysis {

// Running sums from which the four metrics follow.
struct ErrorStats {
    double sum_ab = 0, sum_aa = 0, sum_bb = 0, sum_dd = 0, max_abs = 0;
    int64_t count = 0;
    // Top-1 agreement along the last axis (graph outputs of classifiers: how many predictions change).
    int64_t rows = 0, rows_agreeing = 0;
    void add(const float* a, const float* b, int64_t n);
    void add_argmax(const float* a, const float* b, int64_t n, int64_t row);
    // add() of one run of values given in parts (a batch computed in chunks): the parts continue the
    // same running sums, so the result is add() of the parts joined, to the bit
    struct Part {
        double ab = 0, aa = 0, bb = 0, dd = 0, mx = 0;
        int64_t n = 0;
        bool used = false;
        void add(const float* a, const float* b, int64_t n);
    };
    void add(const Part& p);
    double cosine() const;
    double sqnr_db() const;  // capped at 200 dB (identical outputs)
    double mse() const;
};

struct LayerError {
    std::string layer;
    std::string op_type;
    std::string tensor;  // the output compared
    quant::Precision precision = quant::Precision::kInt;
    ErrorStats accumulated;
    ErrorStats isolated;
};

struct ErrorOptions {
    int64_t num_samples = 64;  // 0 = all the source holds
    int64_t batch_size = 32;
    int threads = 0;
    bool isolated = true;
    // bytes of activations the analysis may hold at once (both models and a layer alone, in turns): a
    // batch whose share would exceed it runs in chunks of fewer samples (one sample's share is measured
    // first); 0: whole batches. The sums run on across chunks, but a kernel may round differently for
    // another batch size, so the figures can differ from whole batches in their last digits.
    size_t memory_budget = size_t{256} << 20;
    ProgressFn progress;
    const CancelToken* cancel = nullptr;
};

// One compared pair: value `a` of model A against value `b` of model B.
struct TensorPair {
    std::string label;
    std::string a, b;
};

// Runs both models on the same samples and accumulates the error of each pair; for pairs of A's graph
// outputs whose last axis holds more than one value, also the top-1 agreement.
Result<std::map<std::string, ErrorStats>> compare_tensors(const ir::Model& a, const ir::Model& b,
                                                          const std::vector<TensorPair>& pairs,
                                                          data::DataSource& source,
                                                          const ErrorOptions& options);

// Pairs for comparing an FP32 model with a quantized one: every graph output, and (layers = true) every
// float node output of A that B also has (as "<name>_dequantized" after quantization, or by name).
std::vector<TensorPair> matching_pairs(const ir::Model& a, const ir::Model& b, bool layers);

// Accumulated and isolated error of every layer in the plan: `prepared` is the FP32 model it was built on,
// `simulated` its simulation (quant::simulate, built once per run and shared).
Result<std::vector<LayerError>> layer_errors(const ir::Model& prepared, const ir::Model& simulated,
                                             const quant::QuantPlan& plan, data::DataSource& source,
                                             const ErrorOptions& options);

}  // namespace lowbit::analysis
