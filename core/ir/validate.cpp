#include "ir/validate.h"

#include <unordered_set>

namespace lowbit::ir {

namespace {

Status check_tensor(const Tensor& t, const std::string& where) {
    std::string what = where + " tensor '" + t.name + "'";
    if (!is_known_data_type(static_cast<int32_t>(t.type)) || t.type == DataType::kUndefined)
        return invalid_input(what + " has unknown element type " + std::to_string(static_cast<int>(t.type)));
    for (int64_t d : t.dims)
        if (d < 0) return invalid_input(what + " has negative dimension " + std::to_string(d));
    auto count = t.element_count();
    if (!count) return invalid_input(what + " has an element count that overflows");
    if (t.type == DataType::kString) {
        if (t.strings.size() != *count)
            return invalid_input(what + " holds " + std::to_string(t.strings.size()) +
                                 " strings, shape needs " + std::to_string(*count));
        return Status::ok();
    }
    auto bytes = storage_bytes(t.type, *count);
    if (!bytes || t.data.size() != *bytes)
        return invalid_input(what + " holds " + std::to_string(t.data.size()) +
                             " bytes, its shape and type need " + std::to_string(bytes.value_or(0)));
    return Status::ok();
}

Status check_value_info(const ValueInfo& v, const std::string& where) {
    if (v.name.empty()) return invalid_input(where + " has a value without a name");
    if (v.has_type && !is_known_data_type(static_cast<int32_t>(v.elem_type)) &&
        v.elem_type != DataType::kUndefined)
        return invalid_input(where + " value '" + v.name + "' has unknown element type " +
                             std::to_string(static_cast<int>(v.elem_type)));
    for (const auto& d : v.dims)
        if (d.param.empty() && d.value < -1)
            return invalid_input(where + " value '" + v.name + "' has negative dimension " +
                                 std::to_string(d.value));
    return Status::ok();
}

Status check_graph(const Graph& g, const std::unordered_set<std::string>& outer, const std::string& where) {
    std::unordered_set<std::string> defined = outer;
    std::unordered_set<std::string> produced;
    for (const auto& v : g.inputs) {
        LOWBIT_RETURN_IF_ERROR(check_value_info(v, where + " input"));
        defined.insert(v.name);
    }
    std::unordered_set<std::string> init_names;
    for (const auto& t : g.initializers()) {
        if (t.name.empty()) return invalid_input(where + " has an initializer without a name");
        if (!init_names.insert(t.name).second)
            return invalid_input(where + " has two initializers named '" + t.name + "'");
        LOWBIT_RETURN_IF_ERROR(check_tensor(t, where + " initializer"));
        defined.insert(t.name);
    }
    for (const auto& v : g.outputs)
        LOWBIT_RETURN_IF_ERROR(check_value_info(v, where + " output"));
    for (const auto& v : g.value_info)
        LOWBIT_RETURN_IF_ERROR(check_value_info(v, where + " value_info"));

    // every output defined once, across nodes, initializers and graph inputs
    for (NodeId id : g.order()) {
        const Node& n = g.node(id);
        if (n.op_type.empty()) return invalid_input(where + " " + n.label() + " has no op_type");
        for (const auto& o : n.outputs) {
            if (o.empty()) continue;
            if (!produced.insert(o).second || init_names.count(o) || g.is_graph_input(o))
                return invalid_input(where + " value '" + o + "' is produced more than once (" + n.label() +
                                     ")");
        }
    }
    std::unordered_set<std::string> all = defined;
    all.insert(produced.begin(), produced.end());
    for (NodeId id : g.order()) {
        const Node& n = g.node(id);
        for (const auto& in : n.inputs)
            if (!in.empty() && !all.count(in))
                return invalid_input(where + " " + n.label() + " reads '" + in + "', which nothing defines");
        for (const auto& a : n.attributes) {
            for (const auto& t : a.tensors)
                LOWBIT_RETURN_IF_ERROR(
                    check_tensor(t, where + " " + n.label() + " attribute '" + a.name + "'"));
            for (const auto& sub : a.graphs)
                LOWBIT_RETURN_IF_ERROR(
                    check_graph(sub, all, where + " " + n.label() + " subgraph '" + a.name + "':"));
        }
    }
    for (const auto& v : g.outputs)
        if (!all.count(v.name))
            return invalid_input(where + " output '" + v.name + "' is not produced by anything");
    auto order = g.topological_order();
    if (!order) return order.status().with_context(where.empty() ? "graph" : where);
    return Status::ok();
}

}  // namespace

Status validate(const Model& model) {
    if (model.ir_version < 3)
        return invalid_input("ir_version " + std::to_string(model.ir_version) + " is below 3");
    if (model.opset_imports.empty())
        return invalid_input("the model imports no opset (opset_import is empty)");
    for (const auto& o : model.opset_imports)
        if (o.version <= 0)
            return invalid_input("opset_import for domain '" + o.domain + "' has version " +
                                 std::to_string(o.version));
    if (model.graph.node_count() == 0 && model.graph.outputs.empty())
        return invalid_input("the model has an empty graph (no nodes, no outputs)");
    return check_graph(model.graph, {}, "graph");
}

}  // namespace lowbit::ir
