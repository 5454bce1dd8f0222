#include <set>

#include "ir/op_traits.h"
#include "passes/passes.h"
#include "runtime/executor.h"

namespace lowbit::passes {

namespace {

// Runs one node on constant inputs through the engine.
Result<runtime::NamedTensors> evaluate(const ir::Model& model, const ir::Node& node) {
    ir::Model one;
    one.ir_version = model.ir_version;
    one.opset_imports = model.opset_imports;
    for (const auto& in : node.inputs)
        if (!in.empty()) one.graph.set_initializer(*model.graph.initializer(in));
    for (const auto& out : node.outputs)
        if (!out.empty()) one.graph.outputs.push_back(ir::ValueInfo::named(out));
    one.graph.add_node(node);
    runtime::ExecutorOptions options;
    options.threads = 1;
    options.fuse = false;
    LOWBIT_ASSIGN_OR_RETURN(auto exec, runtime::Executor::create(one, options));
    return exec->run({});
}

}  // namespace

Result<PassReport> fold_constants(ir::Model& model, size_t max_bytes) {
    PassReport report{"fold_constants", 0, {}};
    ir::Graph& g = model.graph;
    LOWBIT_RETURN_IF_ERROR(g.sort_topologically());
    std::vector<ir::NodeId> order = g.order();
    for (ir::NodeId id : order) {
        const ir::Node& node = g.node(id);
        if (!node.domain.empty() && node.domain != "ai.onnx") continue;
        if (ir::is_random_op(node) || node.has_subgraphs()) continue;
        bool all_constant = true;
        for (const auto& in : node.inputs)
            if (!in.empty() && !g.initializer(in)) all_constant = false;
        if (!all_constant) continue;
        bool output_is_input = false;
        for (const auto& out : node.outputs)
            output_is_input |= g.is_graph_input(out);
        if (output_is_input) continue;
        auto values = evaluate(model, node);
        if (!values) continue;  // a node the engine cannot evaluate stays as it is
        size_t bytes = 0;
        for (const auto& [name, t] : *values)
            bytes += t.bytes();
        if (bytes > max_bytes) continue;
        std::string label = node.label();
        for (const auto& [name, t] : *values)
            g.set_initializer(t.to_ir(name));
        g.erase_node(id);
        report.details.push_back(label);
        ++report.changes;
    }
    // initializers nobody reads any more (inputs of folded nodes) are dropped
    passes::remove_unused_initializers(g);
    return report;
}

}  // namespace lowbit::passes
