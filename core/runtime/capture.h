// An executor that keeps chosen values of each run (node outputs by name, the input, graph outputs), for
// analyses that compare two models value by value or feed one model's values to another.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "runtime/executor.h"

namespace lowbit::runtime {

struct ValueCapture {
    std::unique_ptr<Executor> exec;
    std::map<ir::NodeId, std::vector<std::string>> outputs_of;
    std::set<std::string> keep;
    std::map<std::string, Tensor> values;  // the kept values of the last run
    std::string input;

    // Plans `model` (one input, no fusion, so every node's output is seen) keeping the values in `wanted`.
    Status init(const ir::Model& model, const std::set<std::string>& wanted, int threads);
    Status run(const Tensor& x);
};

}  // namespace lowbit::runtime
