#include "passes/passes.h"

namespace lowbit::passes {

Result<PassReport> remove_identity(ir::Model& model) {
    PassReport report{"remove_identity", 0, {}};
    ir::Graph& g = model.graph;
    std::vector<ir::NodeId> order = g.order();
    for (ir::NodeId id : order) {
        const ir::Node& n = g.node(id);
        if (!n.domain.empty() && n.domain != "ai.onnx") continue;
        bool dropout = n.op_type == "Dropout";
        if (n.op_type != "Identity" && !dropout) continue;
        if (n.inputs.empty() || n.inputs[0].empty() || n.outputs.empty()) continue;
        if (dropout) {
            if (n.outputs.size() > 1 && !n.outputs[1].empty() &&
                (!g.consumers(n.outputs[1]).empty() || g.is_graph_output(n.outputs[1])))
                continue;  // the mask is used
            if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
                const ir::Tensor* training = g.initializer(n.inputs[2]);
                if (!training || training->value_as_double(0) != 0.0) continue;  // training mode (or unknown)
            }
        }
        std::string in = n.inputs[0], out = n.outputs[0], label = n.label();
        if (g.is_graph_output(out)) {
            // the graph output keeps its name: the producer of `in` writes it directly, when it can
            auto prod = g.producer(in);
            if (!prod || g.is_graph_output(in) || g.consumers(in).size() != 1) continue;
            g.erase_node(id);
            ir::Node& p = g.mutable_node(*prod);
            for (auto& o : p.outputs)
                if (o == in) o = out;
        } else {
            g.erase_node(id);
            g.replace_all_uses(out, in);
        }
        report.details.push_back(label);
        ++report.changes;
    }
    return report;
}

size_t remove_unused_initializers(ir::Graph& g) {
    std::vector<std::string> unused;
    for (const auto& t : g.initializers())
        if (g.consumers(t.name).empty() && !g.is_graph_output(t.name) && !g.is_graph_input(t.name))
            unused.push_back(t.name);
    for (const auto& name : unused)
        g.remove_initializer(name);
    return unused.size();
}

Result<std::vector<PassReport>> prepare_for_quantization(ir::Model& model, const PrepareOptions& options) {
    std::vector<PassReport> reports;
    LOWBIT_RETURN_IF_ERROR(model.graph.sort_topologically());
    auto run = [&](Result<PassReport> r) -> Status {
        if (!r) return r.status();
        reports.push_back(std::move(*r));
        return Status::ok();
    };
    LOWBIT_RETURN_IF_ERROR(run(remove_identity(model)));
    LOWBIT_RETURN_IF_ERROR(run(fold_constants(model)));
    if (options.fold_batchnorm) LOWBIT_RETURN_IF_ERROR(run(fold_batchnorm(model)));
    LOWBIT_RETURN_IF_ERROR(model.graph.sort_topologically());
    return reports;
}

}  // namespace lowbit::passes
