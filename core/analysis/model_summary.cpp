#include "analysis/model_summary.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ir/op_traits.h"
#include "onnx/onnx_io.h"

namespace lowbit::analysis {

namespace {

std::string human(uint64_t n) {
    char buf[32];
    if (n >= 1000000000ull)
        std::snprintf(buf, sizeof buf, "%.2fG", static_cast<double>(n) / 1e9);
    else if (n >= 1000000ull)
        std::snprintf(buf, sizeof buf, "%.2fM", static_cast<double>(n) / 1e6);
    else if (n >= 1000ull)
        std::snprintf(buf, sizeof buf, "%.2fK", static_cast<double>(n) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

std::string human_bytes(uint64_t n) {
    char buf[32];
    if (n >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(n) / (1ull << 30));
    else if (n >= (1ull << 20))
        std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(n) / (1ull << 20));
    else if (n >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(n) / 1024);
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
    return buf;
}

}  // namespace

ModelSummary summarize(const ir::Model& model) {
    const ir::Graph& g = model.graph;
    ModelSummary s;
    s.graph_name = g.name;
    s.producer = model.producer_name + (model.producer_version.empty() ? "" : " " + model.producer_version);
    s.ir_version = model.ir_version;
    s.opsets = model.opset_imports;
    for (const auto& v : g.inputs)
        if (!g.initializer(v.name)) s.inputs.push_back(g.find_value_info(v.name).value_or(v));
    for (const auto& v : g.outputs)
        s.outputs.push_back(g.find_value_info(v.name).value_or(v));
    s.node_count = g.node_count();

    std::map<ir::DataType, ParamGroup> groups;
    auto count_tensor = [&](const ir::Tensor& t) {
        auto& grp = groups[t.type];
        grp.type = t.type;
        grp.tensors += 1;
        grp.elements += t.element_count().value_or(0);
        grp.bytes += t.type == ir::DataType::kString ? 0 : t.data.size();
    };
    for (const auto& t : g.initializers())
        count_tensor(t);
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        s.op_histogram[(n.domain.empty() || n.domain == "ai.onnx" ? "" : n.domain + "::") + n.op_type] += 1;
        if (n.op_type == "Constant")
            for (const auto& a : n.attributes)
                for (const auto& t : a.tensors)
                    count_tensor(t);
        const ir::OpTraits* traits = ir::op_traits(n);
        if (!traits || !traits->macs) continue;  // compute layers and their integer forms
        LayerCost layer;
        layer.id = id;
        layer.name = n.name;
        layer.op_type = n.op_type;
        auto macs = ir::node_macs(g, n);
        layer.macs_known = macs.has_value();
        layer.macs = macs.value_or(0);
        for (const auto& in : n.inputs)
            if (const ir::Tensor* t = in.empty() ? nullptr : g.initializer(in))
                layer.params += t->element_count().value_or(0);
        if (auto ov = g.find_value_info(n.outputs.empty() ? "" : n.outputs[0]); ov && ov->has_shape)
            layer.output_dims = ov->dims;
        s.total_macs += layer.macs;
        if (!layer.macs_known) ++s.layers_with_unknown_macs;
        s.layers.push_back(std::move(layer));
    }
    for (auto& [type, grp] : groups) {
        s.params_by_type.push_back(grp);
        s.total_params += grp.elements;
        s.total_param_bytes += grp.bytes;
    }
    s.unknown_operators = onnx_io::unknown_operators(model);
    return s;
}

std::string format_value(const ir::ValueInfo& v) {
    if (!v.opaque_type.empty()) return v.name + " (non-tensor type)";
    std::string type = v.has_type ? std::string(ir::name_of(v.elem_type)) : "?";
    return v.name + " " + type + (v.has_shape ? ir::format_dims(v.dims) : "[rank unknown]");
}

namespace {

std::vector<const LayerCost*> largest(const ModelSummary& s, size_t count) {
    std::vector<const LayerCost*> out;
    for (const auto& l : s.layers)
        out.push_back(&l);
    std::stable_sort(out.begin(), out.end(),
                     [](const LayerCost* a, const LayerCost* b) { return a->macs > b->macs; });
    if (out.size() > count) out.resize(count);
    return out;
}

nlohmann::json value_json(const ir::ValueInfo& v) {
    nlohmann::json j;
    j["name"] = v.name;
    j["type"] = v.has_type ? std::string(ir::name_of(v.elem_type)) : "unknown";
    if (v.has_shape) {
        auto dims = nlohmann::json::array();
        for (const auto& d : v.dims) {
            if (d.is_symbolic())
                dims.push_back(d.param);
            else if (d.is_known())
                dims.push_back(d.value);
            else
                dims.push_back(nullptr);
        }
        j["shape"] = dims;
    } else {
        j["shape"] = nullptr;
    }
    return j;
}

}  // namespace

nlohmann::json to_json(const ModelSummary& s, size_t largest_count) {
    nlohmann::json j;
    j["graph_name"] = s.graph_name;
    j["producer"] = s.producer;
    j["ir_version"] = s.ir_version;
    for (const auto& o : s.opsets)
        j["opsets"][o.domain.empty() ? "ai.onnx" : o.domain] = o.version;
    j["inputs"] = nlohmann::json::array();
    for (const auto& v : s.inputs)
        j["inputs"].push_back(value_json(v));
    j["outputs"] = nlohmann::json::array();
    for (const auto& v : s.outputs)
        j["outputs"].push_back(value_json(v));
    j["node_count"] = s.node_count;
    j["op_histogram"] = s.op_histogram;
    j["parameters"] = {{"total", s.total_params}, {"bytes", s.total_param_bytes}};
    for (const auto& grp : s.params_by_type)
        j["parameters"]["by_type"][std::string(ir::name_of(grp.type))] = {
            {"tensors", grp.tensors}, {"elements", grp.elements}, {"bytes", grp.bytes}};
    j["macs"] = {{"total", s.total_macs}, {"layers_with_unknown_shape", s.layers_with_unknown_macs}};
    auto layer_json = [](const LayerCost& l) {
        nlohmann::json lj = {{"id", l.id},
                             {"name", l.name},
                             {"op_type", l.op_type},
                             {"params", l.params},
                             {"macs", l.macs_known ? nlohmann::json(l.macs) : nlohmann::json()}};
        lj["output_shape"] = ir::format_dims(l.output_dims);
        return lj;
    };
    j["layers"] = nlohmann::json::array();
    for (const auto& l : s.layers)
        j["layers"].push_back(layer_json(l));
    j["largest_layers"] = nlohmann::json::array();
    for (const auto* l : largest(s, largest_count))
        j["largest_layers"].push_back(layer_json(*l));
    j["unknown_operators"] = s.unknown_operators;
    return j;
}

std::string to_text(const ModelSummary& s, size_t largest_count) {
    std::ostringstream o;
    o << "graph       " << (s.graph_name.empty() ? "(unnamed)" : s.graph_name) << "\n";
    o << "producer    " << (s.producer.empty() ? "(not recorded)" : s.producer) << "\n";
    o << "ir_version  " << s.ir_version << "\n";
    o << "opsets     ";
    for (const auto& op : s.opsets)
        o << " " << (op.domain.empty() ? "ai.onnx" : op.domain) << "=" << op.version;
    o << "\n\ninputs\n";
    for (const auto& v : s.inputs)
        o << "  " << format_value(v) << "\n";
    o << "outputs\n";
    for (const auto& v : s.outputs)
        o << "  " << format_value(v) << "\n";
    o << "\nnodes       " << s.node_count << "\n";
    o << "operators  ";
    std::vector<std::pair<std::string, uint64_t>> ops(s.op_histogram.begin(), s.op_histogram.end());
    std::stable_sort(ops.begin(), ops.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [op, count] : ops)
        o << " " << op << "×" << count;
    o << "\n\nparameters  " << s.total_params << " (" << human(s.total_params) << "), "
      << human_bytes(s.total_param_bytes) << "\n";
    for (const auto& grp : s.params_by_type)
        o << "  " << std::left << std::setw(10) << ir::name_of(grp.type) << std::right << std::setw(14)
          << grp.elements << " in " << grp.tensors << " tensors, " << human_bytes(grp.bytes) << "\n";
    o << "MACs        " << s.total_macs << " (" << human(s.total_macs) << ") in " << s.layers.size()
      << " compute layers";
    if (s.layers_with_unknown_macs)
        o << ", " << s.layers_with_unknown_macs << " with unknown shapes not counted";
    o << "\n";
    auto top = largest(s, largest_count);
    if (!top.empty()) {
        o << "\nlargest layers by MACs\n";
        for (const auto* l : top)
            o << "  " << std::left << std::setw(36)
              << (l->name.empty() ? "#" + std::to_string(l->id) : l->name) << std::setw(15) << l->op_type
              << std::right << std::setw(10) << (l->macs_known ? human(l->macs) : "?") << " MACs "
              << std::setw(10) << human(l->params) << " params  out " << ir::format_dims(l->output_dims)
              << "\n";
    }
    if (!s.unknown_operators.empty()) {
        o << "\nwarning: the installed onnx schemas do not know:";
        for (const auto& u : s.unknown_operators)
            o << " " << u;
        o << "\n";
    }
    return o.str();
}

}  // namespace lowbit::analysis
