// Internal to core/onnx: IR -> ModelProto without tensor payloads, for shape inference and checks.
#pragma once

#include <onnx/onnx_pb.h>

#include "ir/model.h"

namespace lowbit::onnx_io {

// Converts `model` with tensors larger than `max_payload_bytes` written as dims and type only.
void to_proto_light(const ir::Model& model, onnx::ModelProto& proto, uint64_t max_payload_bytes);

}  // namespace lowbit::onnx_io
