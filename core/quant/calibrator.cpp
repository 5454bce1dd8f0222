#include "quant/calibrator.h"

#include <set>

#include "quant/plan.h"
#include "runtime/executor.h"

namespace lowbit::quant {

std::string graph_digest(const ir::Model& model) {
    // FNV-1a over the structure: enough to tell models apart, not a security measure
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s)
            h = (h ^ c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    };
    for (ir::NodeId id : model.graph.order()) {
        const ir::Node& n = model.graph.node(id);
        mix(n.name);
        mix(n.op_type);
        for (const auto& i : n.inputs)
            mix(i);
        for (const auto& o : n.outputs)
            mix(o);
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

Result<std::unique_ptr<runtime::Executor>> observing_executor(const ir::Model& model, int threads) {
    runtime::ExecutorOptions eo;
    eo.threads = threads;
    eo.fuse = false;
    LOWBIT_ASSIGN_OR_RETURN(auto exec, runtime::Executor::create(model, eo));
    if (exec->inputs().size() != 1)
        return unsupported("calibration feeds one model input; this model has " +
                           std::to_string(exec->inputs().size()));
    return exec;
}

Status run_batches(runtime::Executor& exec, data::DataSource& source, int64_t batch_size, int64_t limit,
                   const std::string& what, const ProgressFn& progress, const CancelToken* cancel,
                   const std::function<void(const runtime::Tensor&)>& on_input) {
    const std::string input = exec.inputs().at(0).name;
    return data::for_each_batch(source, batch_size, limit, what, progress, cancel,
                                [&](const runtime::Tensor& x) {
                                    if (on_input) on_input(x);
                                    return exec.run({{input, x}}).status();
                                });
}

Result<CalibrationTable> calibrate(const ir::Model& model, data::DataSource& source,
                                   const CalibrateOptions& options) {
    LOWBIT_ASSIGN_OR_RETURN(auto exec, observing_executor(model, options.threads));
    const auto& inputs = exec->inputs();
    const int64_t total = source.size();
    if (total <= 0) return invalid_input("the calibration data holds no samples (" + source.describe() + ")");

    // step: one observer per observable tensor, keyed by the producing node's output slot
    std::vector<std::string> names = observable_tensors(model);
    std::set<std::string> wanted(names.begin(), names.end());
    std::map<std::string, TensorObserver> observers;
    std::map<ir::NodeId, std::vector<TensorObserver*>> by_node;
    for (ir::NodeId id : model.graph.order()) {
        const ir::Node& n = model.graph.node(id);
        auto& slots = by_node[id];
        for (const auto& o : n.outputs) {
            TensorObserver* obs = nullptr;
            if (!o.empty() && wanted.count(o))
                obs = &observers.emplace(o, TensorObserver(options.num_bins)).first->second;
            slots.push_back(obs);
        }
    }
    TensorObserver* input_obs =
        &observers.emplace(inputs[0].name, TensorObserver(options.num_bins)).first->second;
    LOWBIT_RETURN_IF_ERROR(exec->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
        auto it = by_node.find(id);
        if (it == by_node.end()) return;
        for (size_t k = 0; k < outs.size() && k < it->second.size(); ++k)
            if (it->second[k] && !outs[k].empty() && outs[k].type() == runtime::DataType::kFloat)
                it->second[k]->observe(outs[k].data<float>(), outs[k].numel());
    }));

    // step: the batches
    LOWBIT_RETURN_IF_ERROR(
        run_batches(*exec, source, options.batch_size, total, "calibrating", options.progress, options.cancel,
                    [&](const runtime::Tensor& x) { input_obs->observe(x.data<float>(), x.numel()); }));
    CalibrationTable table;
    table.samples = total;
    table.num_bins = options.num_bins;
    table.model_digest = graph_digest(model);
    for (auto& [name, obs] : observers)
        if (obs.count() > 0) table.tensors.emplace(name, std::move(obs));
    return table;
}

}  // namespace lowbit::quant
