// Executor: plans a model once and runs it many times on the CPU.
//
// Planning (create): a topological schedule, one kernel per node chosen by op type and opset, constants
// folded (Constant nodes and nodes whose inputs are all constant), value lifetimes so a buffer returns to
// the pool after its last reader, and, when no hook is set, fusions that do not change results beyond float
// rounding (BatchNorm folded into Conv, activations into Conv/Gemm, decomposed LayerNorm and GELU into one
// kernel each; fusion.h). The user's IR is never modified.
// Running: inputs are checked against the model (name, element type, rank, static dims); shapes flow
// from the actual inputs, so any batch size the model allows works. A value's buffer goes back to the pool
// after its last reader, hooks or not; an element-wise node writes over an input it reads last when
// nothing else holds that input.
// Hooks: an observer sees each node's outputs after it runs (calibration); a transform may replace them
// before consumers read them (fake quantization, error isolation). With neither set they cost nothing.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/model.h"
#include "runtime/tensor.h"
#include "util/status.h"

namespace lowbit::runtime {

struct ExecutorOptions {
    int threads = 0;        // 0: one per core
    bool fuse = true;       // inference fusions; set false to install hooks
    bool keep_all = false;  // keep every intermediate value (for `lowbit run --all-tensors`)
    // the pool activations come from; executors that run one after another (or in turns, see step) can
    // share one so that blocks one returns serve the others; null: the executor's own
    std::shared_ptr<Allocator> allocator = nullptr;
};

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// Called after node `id` ran, with its outputs (read-only).
using ObserveHook = std::function<void(ir::NodeId id, const std::vector<Tensor>& outputs)>;
// Called after node `id` ran; may replace entries of `outputs` (same count) before consumers see them.
using TransformHook = std::function<Status(ir::NodeId id, std::vector<Tensor>& outputs)>;

class Executor {
  public:
    // Plans `model`. Fails with every unsupported op type and the nodes using it, or with a model error.
    static Result<std::unique_ptr<Executor>> create(const ir::Model& model,
                                                    const ExecutorOptions& options = {});
    ~Executor();

    // Runs on `inputs` (by graph input name); returns the graph outputs in graph order.
    Result<NamedTensors> run(const NamedTensors& inputs);

    // The same run one node at a time, so two executors can go in turns (an analysis comparing two models
    // value by value holds only what the other has not reached yet): begin checks the inputs, step runs
    // the next node (hooks included) and returns whether any is left, finish runs the rest and returns the
    // graph outputs. run() is begin, step until done, finish; the results are the same. An error ends the
    // run.
    Status begin(const NamedTensors& inputs);
    Result<bool> step();
    Result<NamedTensors> finish();

    // Hooks need every node's own outputs, so they require an executor planned with fuse = false
    // (an error otherwise, when fusion removed any node).
    Status set_observer(ObserveHook hook);
    Status set_transform(TransformHook hook);

    // After a run with keep_all: every value computed (constants folded at plan time included).
    const std::map<std::string, Tensor>& all_values() const;
    // The value of `name` when the plan holds it as a constant (an initializer or folded at plan time), else
    // null.
    const Tensor* constant(const std::string& name) const;

    // Peak bytes of activations held at once during the last run (the pool's high-water mark).
    size_t peak_activation_bytes() const;
    // Bytes of constants (weights) the plan holds.
    size_t constant_bytes() const;
    int threads() const;

    // Graph inputs the caller must feed (initializer-backed inputs excluded), with their declared types.
    const std::vector<ir::ValueInfo>& inputs() const;
    const std::vector<ir::ValueInfo>& outputs() const;

    // Nodes the plan runs, in schedule order (fused-away nodes are not listed).
    std::vector<ir::NodeId> schedule() const;

    struct Impl;

  private:
    explicit Executor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Checks that every node's op type has a kernel at the model's opset; lists all that do not.
Status check_supported(const ir::Model& model);

}  // namespace lowbit::runtime
