// Reading and writing ONNX files (libonnx's protobuf) to and from the IR.
//
// Loading accepts ir_version >= 3 and any opset (ops the installed onnx schemas do not know are listed by
// unknown_operators()), raw_data and typed tensor fields, and external data resolved against the model's
// folder. Saving writes raw_data, and moves tensors to an external-data file when asked or when the tensors
// would push the file past protobuf's 2 GB limit. Both directions are lossless for everything the IR holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"
#include "util/file_util.h"
#include "util/status.h"

namespace lowbit::onnx_io {

struct LoadOptions {
    bool validate = true;      // run ir::validate()
    bool infer_shapes = true;  // run shape inference and store results in Graph::inferred
};

// Reads `path`. Errors name the file and the problem, e.g. "m.onnx: not an ONNX model (protobuf parse
// failed)".
Result<ir::Model> load_model(const std::filesystem::path& path, const LoadOptions& options = {});

// Parses a serialized ModelProto; external data is resolved against `base_dir`.
Result<ir::Model> load_model_from_bytes(std::string_view bytes, const std::filesystem::path& base_dir,
                                        const LoadOptions& options = {});

enum class ExternalData {
    kAuto,    // external only when the tensors would exceed the protobuf limit
    kAlways,  // every tensor of at least `external_min_bytes` goes to the data file
    kNever,   // fail rather than write external data
};

struct SaveOptions {
    ExternalData external = ExternalData::kAuto;
    std::string external_file_name;      // default: "<model file name>.data"
    uint64_t external_min_bytes = 1024;  // smaller tensors stay inline
    bool write_inferred_shapes = false;  // add Graph::inferred entries to value_info
};

// Writes `model` to `path` atomically (with its data file, if any). Never touches other files.
Status save_model(const ir::Model& model, const std::filesystem::path& path, const SaveOptions& options = {});

// The files save_model writes (the model, and its data file when tensors go external), not yet written, for
// writing together with other files (write_files_atomic). The writers read `model`: keep it alive until then.
Result<std::vector<PendingFile>> model_files(const ir::Model& model, const std::filesystem::path& path,
                                             const SaveOptions& options = {});

// Serializes to bytes with every tensor inline; fails past the protobuf limit.
Result<std::string> serialize_model(const ir::Model& model);

// The size serialize_model's bytes would have, computed without holding the model's tensors twice.
uint64_t serialized_size(const ir::Model& model);

// Reads a serialized TensorProto file (the ONNX test data's input_0.pb, output_0.pb).
Result<ir::Tensor> load_tensor_file(const std::filesystem::path& path);

// Operators (domain::op_type at the imported opset) that the installed onnx schemas do not know.
std::vector<std::string> unknown_operators(const ir::Model& model);

// Converts the default-domain opset to `target` (at most 17, libonnx 1.12's newest) with onnx's version
// converter, run in a child process (it can crash on odd models). Fails with a message when onnx cannot.
// `observed`: shapes seen in an actual run (value name -> dims), given to the converter where static
// inference cannot tell (some adapters need ranks).
Result<ir::Model> convert_opset(const ir::Model& model, int64_t target,
                                const std::map<std::string, std::vector<int64_t>>& observed = {});

// Runs onnx shape inference plus Lowbit's own rules; fills Graph::inferred. Never fails the load:
// values whose shape cannot be inferred simply stay unknown.
void infer_shapes(ir::Model& model);

// Total bytes of every initializer and tensor attribute (what decides external data).
uint64_t tensor_bytes(const ir::Model& model);

// Protobuf's hard limit for one message, with headroom for the graph structure.
constexpr uint64_t kInlineLimitBytes = (uint64_t{2} << 30) - (uint64_t{64} << 20);

}  // namespace lowbit::onnx_io
