#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <set>
#include <unordered_set>

#include "onnx/onnx_io.h"
#include "onnx/proto_internal.h"
#include "util/isolate.h"

namespace lowbit::onnx_io {

namespace {

using ir::Dim;
using ir::ValueInfo;

// Tensors small enough to matter for shape arithmetic (Reshape targets, Slice bounds) keep their data.
constexpr uint64_t kShapeDataBytes = 64 * 1024;

ValueInfo from_proto(const onnx::ValueInfoProto& p) {
    ValueInfo v;
    v.name = p.name();
    if (!p.has_type() || !p.type().has_tensor_type()) return v;
    const auto& tt = p.type().tensor_type();
    if (!ir::is_known_data_type(tt.elem_type())) return v;
    v.has_type = true;
    v.elem_type = static_cast<ir::DataType>(tt.elem_type());
    if (!tt.has_shape()) return v;
    v.has_shape = true;
    for (const auto& d : tt.shape().dim()) {
        if (d.has_dim_value() && d.dim_value() >= 0)
            v.dims.push_back(Dim::known(d.dim_value()));
        else if (d.has_dim_param())
            v.dims.push_back(Dim::symbol(d.dim_param()));
        else
            v.dims.push_back(Dim{});
    }
    return v;
}

// Broadcast two shapes (numpy rules); an unknown dim against 1 stays unknown.
std::optional<std::vector<Dim>> broadcast(const std::vector<Dim>& a, const std::vector<Dim>& b) {
    size_t rank = std::max(a.size(), b.size());
    std::vector<Dim> out(rank);
    for (size_t k = 0; k < rank; ++k) {
        const Dim* da = k < rank - a.size() ? nullptr : &a[k - (rank - a.size())];
        const Dim* db = k < rank - b.size() ? nullptr : &b[k - (rank - b.size())];
        if (!da)
            out[k] = *db;
        else if (!db)
            out[k] = *da;
        else if (da->is_known() && da->value == 1)
            out[k] = *db;
        else if (db->is_known() && db->value == 1)
            out[k] = *da;
        else if (*da == *db)
            out[k] = *da;
        else if (da->is_known() && db->is_known())
            return std::nullopt;
        else
            out[k] = da->is_known() ? *da : *db;
    }
    return out;
}

const std::set<std::string> kSameShapeOps = {"Relu",
                                             "LeakyRelu",
                                             "PRelu",
                                             "Elu",
                                             "Selu",
                                             "Sigmoid",
                                             "HardSigmoid",
                                             "HardSwish",
                                             "Tanh",
                                             "Softplus",
                                             "Softsign",
                                             "Erf",
                                             "Gelu",
                                             "Clip",
                                             "Abs",
                                             "Neg",
                                             "Exp",
                                             "Log",
                                             "Sqrt",
                                             "Reciprocal",
                                             "Floor",
                                             "Ceil",
                                             "Round",
                                             "Sign",
                                             "Sin",
                                             "Cos",
                                             "Identity",
                                             "Dropout",
                                             "Softmax",
                                             "LogSoftmax",
                                             "LayerNormalization",
                                             "BatchNormalization",
                                             "InstanceNormalization",
                                             "GroupNormalization",
                                             "Mish",
                                             "Celu",
                                             "ThresholdedRelu",
                                             "CumSum",
                                             "LpNormalization",
                                             "FakeQuantize"};
const std::set<std::string> kBroadcastOps = {
    "Add",      "Sub", "Mul", "Div", "Pow",   "Max",  "Min",     "Sum",         "Mean",          "Mod",
    "BitShift", "And", "Or",  "Xor", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"};
const std::set<std::string> kBoolOps = {
    "And", "Or", "Xor", "Not", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "IsNaN", "IsInf"};

// Lowbit's own rules for values onnx's inference left unknown (newer opsets, custom domains).
void apply_fallback_rules(ir::Graph& g) {
    auto info = [&g](const std::string& name) -> std::optional<ValueInfo> {
        if (name.empty()) return std::nullopt;
        return g.find_value_info(name);
    };
    auto order = g.topological_order();
    if (!order) return;
    for (ir::NodeId id : *order) {
        const ir::Node& n = g.node(id);
        if (n.outputs.empty() || n.outputs[0].empty() || info(n.outputs[0])) continue;
        std::optional<ValueInfo> in0 = n.inputs.empty() ? std::nullopt : info(n.inputs[0]);
        ValueInfo out;
        out.name = n.outputs[0];
        const std::string& op = n.op_type;
        if (kSameShapeOps.count(op) || op == "DequantizeLinear" || op == "QuantizeLinear" || op == "Cast" ||
            op == "Not") {
            if (!in0) continue;
            out = *in0;
            out.name = n.outputs[0];
            out.doc_string.clear();
            if (op == "Cast") {
                out.elem_type = static_cast<ir::DataType>(n.attr_int("to", 1));
            } else if (op == "DequantizeLinear") {
                auto scale = n.inputs.size() > 1 ? info(n.inputs[1]) : std::nullopt;
                out.elem_type = scale && scale->has_type ? scale->elem_type : ir::DataType::kFloat;
            } else if (op == "QuantizeLinear") {
                auto zp = n.inputs.size() > 2 ? info(n.inputs[2]) : std::nullopt;
                int64_t dtype = n.attr_int("output_dtype", 0);
                out.elem_type = zp && zp->has_type ? zp->elem_type
                                : dtype            ? static_cast<ir::DataType>(dtype)
                                                   : ir::DataType::kUint8;
            }
        } else if (kBroadcastOps.count(op) || op == "Where") {
            size_t first = op == "Where" ? 1 : 0;
            std::vector<Dim> dims;
            bool ok = true;
            std::optional<ValueInfo> typed;
            for (size_t k = 0; k < n.inputs.size() && ok; ++k) {
                auto v = info(n.inputs[k]);
                if (!v || !v->has_shape) {
                    ok = false;
                    break;
                }
                if (k == first) typed = v;
                auto b = k == 0 ? std::optional(v->dims) : broadcast(dims, v->dims);
                if (!b)
                    ok = false;
                else
                    dims = *b;
            }
            if (!ok || !typed) continue;
            out.has_type = true;
            out.elem_type = typed->elem_type;
            out.has_shape = true;
            out.dims = dims;
        } else {
            continue;
        }
        if (kBoolOps.count(op)) out.elem_type = ir::DataType::kBool;
        g.inferred[out.name] = out;
    }
}

// libonnx's inference functions trust the schema (a Scan without num_scan_inputs dereferences null), so
// every node, subgraphs included, must pass its schema's Verify() before inference may run.
bool nodes_match_schemas(const onnx::GraphProto& graph, const std::unordered_map<std::string, int>& opsets) {
    for (const auto& node : graph.node()) {
        auto it = opsets.find(node.domain() == "ai.onnx" ? "" : node.domain());
        int version = it == opsets.end() ? 0 : it->second;
        const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(node.op_type(), version, node.domain());
        if (schema) {
            try {
                schema->Verify(node);
            } catch (const std::exception&) {
                return false;
            }
        }
        for (const auto& attr : node.attribute()) {
            if (attr.has_g() && !nodes_match_schemas(attr.g(), opsets)) return false;
            for (const auto& g : attr.graphs())
                if (!nodes_match_schemas(g, opsets)) return false;
        }
    }
    return true;
}

}  // namespace

void infer_shapes(ir::Model& model) {
    onnx::ModelProto proto;
    to_proto_light(model, proto, kShapeDataBytes);
    std::unordered_map<std::string, int> opsets;
    for (const auto& o : model.opset_imports)
        opsets[o.domain == "ai.onnx" ? "" : o.domain] = static_cast<int>(o.version);
    if (!nodes_match_schemas(proto.graph(), opsets)) {
        // malformed nodes: onnx's inference is not safe on them; Lowbit's own rules still apply
        apply_fallback_rules(model.graph);
        return;
    }
    // libonnx's inference runs in a child process: some malformed models crash it
    auto inferred = run_isolated([&proto] {
        try {
            onnx::ShapeInferenceOptions options(false, 0, true);
            onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
        } catch (const std::exception&) {
            // gave up part-way; what it stored is still used
        }
        onnx::ModelProto result;
        *result.mutable_graph()->mutable_value_info() = proto.graph().value_info();
        *result.mutable_graph()->mutable_output() = proto.graph().output();
        return result.SerializeAsString();
    });
    proto.Clear();
    if (!inferred || !proto.ParseFromString(*inferred)) {
        apply_fallback_rules(model.graph);
        return;
    }
    ir::Graph& g = model.graph;
    std::unordered_set<std::string> declared;
    for (const auto* list : {&g.inputs, &g.outputs, &g.value_info})
        for (const auto& v : *list)
            declared.insert(v.name);
    for (const auto& vp : proto.graph().value_info()) {
        ValueInfo v = from_proto(vp);
        if (v.has_type && !declared.count(v.name)) g.inferred[v.name] = v;
    }
    // graph outputs that the file declares without a type
    for (const auto& vp : proto.graph().output()) {
        ValueInfo v = from_proto(vp);
        auto known = g.find_value_info(v.name);
        if (v.has_type && (!known || !known->has_shape)) g.inferred[v.name] = v;
    }
    apply_fallback_rules(g);
}

std::vector<std::string> unknown_operators(const ir::Model& model) {
    std::set<std::string> unknown;
    auto visit = [&](const ir::Graph& g, auto&& self) -> void {
        for (ir::NodeId id : g.order()) {
            const ir::Node& n = g.node(id);
            std::string domain = n.domain == "ai.onnx" ? "" : n.domain;
            int64_t version = model.opset(domain);
            if (!onnx::OpSchemaRegistry::Schema(n.op_type, static_cast<int>(version), domain))
                unknown.insert((domain.empty() ? "" : domain + "::") + n.op_type + " (opset " +
                               std::to_string(version) + ")");
            for (const auto& a : n.attributes)
                for (const auto& sub : a.graphs)
                    self(sub, self);
        }
    };
    visit(model.graph, visit);
    return {unknown.begin(), unknown.end()};
}

}  // namespace lowbit::onnx_io
