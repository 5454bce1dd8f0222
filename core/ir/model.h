// Model: the top of the IR, one ONNX ModelProto's worth of data. Everything Lowbit does speaks this type.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace lowbit::ir {

struct OpsetImport {
    std::string domain;  // "" (or "ai.onnx") is the default domain
    int64_t version = 0;
    bool operator==(const OpsetImport&) const = default;
};

struct Model {
    int64_t ir_version = 8;
    std::vector<OpsetImport> opset_imports;
    std::string producer_name;
    std::string producer_version;
    std::string domain;
    int64_t model_version = 0;
    std::string doc_string;
    std::vector<std::pair<std::string, std::string>> metadata_props;
    Graph graph;
    std::vector<std::string> functions;      // serialized FunctionProto, kept as is
    std::vector<std::string> training_info;  // serialized TrainingInfoProto, kept as is

    // The opset version imported for `domain` ("" and "ai.onnx" are the same), or 0.
    int64_t opset(const std::string& domain_name = "") const;

    bool same_as(const Model& other) const;
};

// Bytes of the distinct tensor buffers (initializers and tensor attributes, subgraphs included) that the
// models hold, each shared buffer counted once (Tensor data is shared between copies): how much memory
// their weights take together. only_float: count float32 tensors only.
uint64_t distinct_tensor_bytes(const std::vector<const Model*>& models, bool only_float = false);

}  // namespace lowbit::ir
