// An executor that keeps chosen values of each run (node outputs by name, the input, graph outputs), for
// analyses that compare two models value by value or feed one model's values to another.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/executor.h"

namespace lowbit::runtime {

struct ValueCapture {
    std::unique_ptr<Executor> exec;
    std::map<ir::NodeId, std::vector<std::string>> outputs_of;
    std::set<std::string> keep;
    std::map<std::string, Tensor> values;  // the kept values of the last run
    std::string input;

    // Plans `model` (one input, no fusion, so every node's output is seen) keeping the values in `wanted`;
    // activations come from `allocator` when given (ExecutorOptions::allocator).
    Status init(const ir::Model& model, const std::set<std::string>& wanted, int threads,
                std::shared_ptr<Allocator> allocator = nullptr);
    Status run(const Tensor& x);
};

}  // namespace lowbit::runtime

namespace lowbit::runtime {

// Two models run on the same input in turns, node by node, to compare values of one with values of the
// other (an FP32 model and its quantized copy): the second advances while the first holds a value it has
// not produced yet, so only values one model has reached and the other not are held, instead of every
// compared value of the batch. Each executor computes exactly what run() would.
class PairedRun {
  public:
    PairedRun() = default;
    PairedRun(const PairedRun&) = delete;  // the executors' hooks refer to this object
    PairedRun& operator=(const PairedRun&) = delete;
    // `pairs`: (value of A, value of B). A pair whose values the plans never compute is left out.
    Status init(const ir::Model& a, const ir::Model& b,
                const std::vector<std::pair<std::string, std::string>>& pairs, int threads,
                std::shared_ptr<Allocator> allocator = nullptr);
    // Runs both on `x`; calls `compare(k, value_a, value_b)` for each pair k once both exist, and
    // `seen_a(name, value)` (optional) for every value A computes, graph input included, as it appears.
    using CompareFn = std::function<Status(size_t pair, const Tensor& a, const Tensor& b)>;
    using SeenFn = std::function<Status(const std::string& name, const Tensor& value)>;
    Status run(const Tensor& x, const CompareFn& compare, const SeenFn& seen_a = {});

    Executor& a() { return *side_[0].exec; }
    Executor& b() { return *side_[1].exec; }
    // Most values held at once waiting for the other model in the last run (for tests).
    size_t max_held() const { return max_held_; }

  private:
    struct Side {
        std::unique_ptr<Executor> exec;
        std::string input;
        std::map<std::string, std::vector<size_t>> pairs_of;  // value -> pairs it is one side of
        std::map<ir::NodeId, std::vector<std::string>> outputs_of;
        std::map<std::string, std::pair<Tensor, size_t>> held;  // value -> (tensor, pairs still waiting)
    };
    void produced(int side, const std::string& name, const Tensor& t);
    Side side_[2];
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::vector<bool> active_;  // pairs both plans compute
    std::vector<bool> done_;    // per run
    std::set<std::string> seen_[2];
    const CompareFn* compare_ = nullptr;
    const SeenFn* seen_a_ = nullptr;
    Status error_ = Status::ok();
    size_t held_ = 0, max_held_ = 0;
};

}  // namespace lowbit::runtime
