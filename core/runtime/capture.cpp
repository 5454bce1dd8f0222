#include "runtime/capture.h"

namespace lowbit::runtime {

Status ValueCapture::init(const ir::Model& model, const std::set<std::string>& wanted, int threads) {
    ExecutorOptions eo;
    eo.threads = threads;
    eo.fuse = false;
    auto e = Executor::create(model, eo);
    if (!e) return e.status();
    exec = std::move(*e);
    if (exec->inputs().size() != 1)
        return unsupported("this analysis feeds one model input; this model has " + std::to_string(exec->inputs().size()));
    input = exec->inputs()[0].name;
    keep = wanted;
    for (ir::NodeId id : model.graph.order()) outputs_of[id] = model.graph.node(id).outputs;
    return exec->set_observer([this](ir::NodeId id, const std::vector<Tensor>& outs) {
        const auto& names = outputs_of[id];
        for (size_t k = 0; k < outs.size() && k < names.size(); ++k)
            if (keep.count(names[k])) values[names[k]] = outs[k];
    });
}

Status ValueCapture::run(const Tensor& x) {
    values.clear();
    if (keep.count(input)) values[input] = x;
    auto r = exec->run({{input, x}});
    if (!r) return r.status();
    for (auto& [name, t] : *r)
        if (keep.count(name)) values[name] = t;
    return Status::ok();
}

}  // namespace lowbit::runtime
