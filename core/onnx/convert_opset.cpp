#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include "onnx/onnx_io.h"
#include "util/isolate.h"

namespace lowbit::onnx_io {

Result<ir::Model> convert_opset(const ir::Model& model, int64_t target) {
    const int64_t from = model.opset("");
    if (from == target) return model;
    auto bytes = serialize_model(model);
    if (!bytes) return bytes.status();
    std::string error;
    auto converted = run_isolated([&] {
        onnx::ModelProto proto;
        if (!proto.ParseFromString(*bytes)) return std::string();
        try {
            // some adapters (Softmax 12 -> 13) need ranks: infer shapes first
            try {
                onnx::shape_inference::InferShapes(proto);
            } catch (const std::exception&) {
            }
            return onnx::version_conversion::ConvertVersion(proto, static_cast<int>(target)).SerializeAsString();
        } catch (const std::exception& e) {
            return std::string("\x01") + e.what();  // a marker byte: the converter's own message follows
        }
    });
    const std::string what = "converting the model from opset " + std::to_string(from) + " to " + std::to_string(target);
    if (!converted || converted->empty()) return unsupported(what + " failed (onnx's version converter stopped)");
    if ((*converted)[0] == '\x01') return unsupported(what + " failed: " + converted->substr(1));
    LoadOptions lo;
    lo.infer_shapes = false;
    auto m = load_model_from_bytes(*converted, {}, lo);
    if (!m) return m.status().with_context(what);
    return m;
}

}  // namespace lowbit::onnx_io
