#include <set>

#include "onnx/onnx_io.h"
#include "passes/passes.h"

namespace lowbit::passes {

Result<PassReport> upgrade_opset(ir::Model& model, int64_t target) {
    PassReport report{"upgrade_opset", 0, {}};
    int64_t from = model.opset("");
    if (from >= target) return report;
    if (from < 13) {
        // older forms (Squeeze/Split/Pad/Clip attributes, Softmax's 2-D coercion, ...): onnx's converter
        auto converted = onnx_io::convert_opset(model, 13);
        if (!converted)
            return Status(converted.status().code(),
                          converted.status().message() +
                              "; quantized export needs opset 13 or newer: re-export the model at opset 13+");
        model = std::move(*converted);
        report.details.push_back("opset " + std::to_string(from) + " -> 13 by onnx's version converter");
        ++report.changes;
        from = 13;
        if (target == 13) return report;
    }
    static const std::set<std::string> kReduce = {"ReduceMean",   "ReduceMax",       "ReduceMin",
                                                  "ReduceProd",   "ReduceL1",        "ReduceL2",
                                                  "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
    ir::Graph& g = model.graph;
    if (from < 18 && target >= 18) {
        for (ir::NodeId id : std::vector<ir::NodeId>(g.order())) {
            const ir::Node& n = g.node(id);
            if (!(n.domain.empty() || n.domain == "ai.onnx") || !kReduce.count(n.op_type)) continue;
            const ir::Attribute* axes = n.attr("axes");
            if (!axes)
                continue;  // no axes: reduce all (unchanged meaning, noop_with_empty_axes defaults to 0)
            std::string name = (n.name.empty() ? "reduce" + std::to_string(id) : n.name) + "_axes";
            for (int k = 1; g.initializer(name) || g.producer(name); ++k)
                name += "_" + std::to_string(k);
            std::vector<int64_t> values = axes->ints;
            g.set_initializer(ir::Tensor::from_int64s(name, {static_cast<int64_t>(values.size())}, values));
            ir::Node& m = g.mutable_node(id);
            std::erase_if(m.attributes, [](const ir::Attribute& a) { return a.name == "axes"; });
            m.inputs.resize(1);
            m.inputs.push_back(name);
            report.details.push_back(m.label() + ": axes attribute -> input");
            ++report.changes;
        }
    }
    for (auto& op : model.opset_imports)
        if (op.domain.empty() || op.domain == "ai.onnx") op.version = target;
    if (target >= 21)
        model.ir_version = std::max<int64_t>(model.ir_version, 10);
    else if (target >= 19)
        model.ir_version = std::max<int64_t>(model.ir_version, 9);
    return report;
}

}  // namespace lowbit::passes
