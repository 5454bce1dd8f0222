#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include "onnx/onnx_io.h"
#include "util/isolate.h"

namespace lowbit::onnx_io {

Result<ir::Model> convert_opset(const ir::Model& model, int64_t target,
                                const std::map<std::string, std::vector<int64_t>>& observed) {
    const int64_t from = model.opset("");
    if (from == target) return model;
    // ranks for the adapters that need them (Softmax 12 -> 13): Lowbit's shape inference, written out
    ir::Model typed = model;
    infer_shapes(typed);
    for (const auto& [name, dims] : observed) {
        ir::ValueInfo v = ir::ValueInfo::named(name);
        v.has_type = true;
        v.elem_type = ir::DataType::kFloat;
        if (auto known = typed.graph.find_value_info(name); known && known->has_type)
            v.elem_type = known->elem_type;
        v.has_shape = true;
        for (int64_t d : dims)
            v.dims.push_back(ir::Dim::known(d));
        typed.graph.inferred[name] = v;
    }
    for (auto& [name, v] : typed.graph.inferred)
        if (!typed.graph.is_graph_input(name) && !typed.graph.is_graph_output(name))
            typed.graph.value_info.push_back(v);
    typed.graph.inferred.clear();
    LOWBIT_ASSIGN_OR_RETURN(auto bytes, serialize_model(typed));
    std::string error;
    auto converted = run_isolated([&] {
        onnx::ModelProto proto;
        if (!proto.ParseFromString(bytes)) return std::string();
        try {
            // some adapters (Softmax 12 -> 13) need ranks: infer shapes first
            try {
                onnx::shape_inference::InferShapes(proto);
            } catch (const std::exception&) {
            }
            return onnx::version_conversion::ConvertVersion(proto, static_cast<int>(target))
                .SerializeAsString();
        } catch (const std::exception& e) {
            return std::string("\x01") + e.what();  // a marker byte: the converter's own message follows
        }
    });
    const std::string what =
        "converting the model from opset " + std::to_string(from) + " to " + std::to_string(target);
    if (!converted || converted->empty())
        return unsupported(what + " failed (onnx's version converter stopped)");
    if ((*converted)[0] == '\x01') return unsupported(what + " failed: " + converted->substr(1));
    LoadOptions lo;
    lo.infer_shapes = false;
    auto m = load_model_from_bytes(*converted, {}, lo);
    if (!m) return m.status().with_context(what);
    return m;
}

}  // namespace lowbit::onnx_io
