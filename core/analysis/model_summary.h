// What `lowbit info` and the studio's summary show about a model: producer, opsets, inputs and outputs,
// op histogram, parameters by element type, and multiply-accumulates per compute layer (Conv, ConvTranspose,
// Gemm, MatMul and their quantized forms) from the inferred shapes; a symbolic dimension counts as 1.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ir/model.h"

namespace lowbit::analysis {

struct LayerCost {
    ir::NodeId id = ir::kNoNode;
    std::string name;
    std::string op_type;
    uint64_t macs = 0;
    bool macs_known = false;  // false when a needed shape is unknown
    uint64_t params = 0;      // elements of the initializers the layer reads
    std::vector<ir::Dim> output_dims;
};

struct ParamGroup {
    ir::DataType type = ir::DataType::kFloat;
    uint64_t tensors = 0;
    uint64_t elements = 0;
    uint64_t bytes = 0;
};

struct ModelSummary {
    std::string graph_name;
    std::string producer;  // "pytorch 1.13.1"
    int64_t ir_version = 0;
    std::vector<ir::OpsetImport> opsets;
    std::vector<ir::ValueInfo> inputs;  // graph inputs that are not initializers
    std::vector<ir::ValueInfo> outputs;
    size_t node_count = 0;
    std::map<std::string, uint64_t> op_histogram;  // "Conv" -> 12; other domains as "domain::Op"
    std::vector<ParamGroup> params_by_type;
    uint64_t total_params = 0;
    uint64_t total_param_bytes = 0;
    std::vector<LayerCost> layers;  // compute layers in graph order
    uint64_t total_macs = 0;
    size_t layers_with_unknown_macs = 0;
    std::vector<std::string> unknown_operators;
};

ModelSummary summarize(const ir::Model& model);

nlohmann::json to_json(const ModelSummary& summary, size_t largest_count);
std::string to_text(const ModelSummary& summary, size_t largest_count);

std::string format_value(const ir::ValueInfo& value);

}  // namespace lowbit::analysis
