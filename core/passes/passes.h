// Graph passes that prepare a model for quantization. Each is a function on the IR, tested alone, and
// listed in one place (prepare_for_quantization) in the order they run. They work on the caller's copy:
// the user's model file is never touched.
#pragma once

#include <string>
#include <vector>

#include "ir/model.h"
#include "util/status.h"

namespace lowbit::passes {

struct PassReport {
    std::string pass;
    int changes = 0;
    std::vector<std::string> details;  // one line per rewrite ("bn1 folded into conv1")
};

// Evaluates nodes whose inputs are all constant and replaces their outputs by initializers
// (Constant nodes included; random generators and outputs above `max_bytes` are left alone).
Result<PassReport> fold_constants(ir::Model& model, size_t max_bytes = size_t{256} << 20);

// Folds BatchNormalization into the Conv, ConvTranspose or Gemm that alone feeds it (constant weights).
Result<PassReport> fold_batchnorm(ir::Model& model);

// Removes Identity nodes and inference-mode Dropout whose mask output is unused.
Result<PassReport> remove_identity(ir::Model& model);

// Drops initializers no node, subgraph or graph output reads; returns how many.
size_t remove_unused_initializers(ir::Graph& graph);

struct PrepareOptions {
    bool fold_batchnorm = true;  // `advanced.enable_layer_fusion`
};

// All preparation passes in order; the model stays topologically sorted.
Result<std::vector<PassReport>> prepare_for_quantization(ir::Model& model,
                                                         const PrepareOptions& options = {});

}  // namespace lowbit::passes

namespace lowbit::passes {

// Raises the default-domain opset to `target` (from 13 or later), rewriting the ops whose form changed on
// the way: ReduceX `axes` moved from an attribute to an input at 18. Other ops between 13 and 21 only
// gained types or optional inputs. Older models are refused with a message rather than converted wrongly.
Result<PassReport> upgrade_opset(ir::Model& model, int64_t target);

}  // namespace lowbit::passes
