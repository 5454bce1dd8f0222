#include "runtime/capture.h"

namespace lowbit::runtime {

Status ValueCapture::init(const ir::Model& model, const std::set<std::string>& wanted, int threads,
                          std::shared_ptr<Allocator> allocator) {
    ExecutorOptions eo;
    eo.threads = threads;
    eo.fuse = false;
    eo.allocator = std::move(allocator);
    auto e = Executor::create(model, eo);
    if (!e) return e.status();
    exec = std::move(*e);
    if (exec->inputs().size() != 1)
        return unsupported("this analysis feeds one model input; this model has " +
                           std::to_string(exec->inputs().size()));
    input = exec->inputs()[0].name;
    keep = wanted;
    for (ir::NodeId id : model.graph.order())
        outputs_of[id] = model.graph.node(id).outputs;
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

namespace lowbit::runtime {

Status PairedRun::init(const ir::Model& a, const ir::Model& b,
                       const std::vector<std::pair<std::string, std::string>>& pairs, int threads,
                       std::shared_ptr<Allocator> allocator) {
    if (!allocator) allocator = std::make_shared<Allocator>();
    pairs_ = pairs;
    const ir::Model* models[2] = {&a, &b};
    std::set<std::string> computed[2];
    for (int k = 0; k < 2; ++k) {
        ExecutorOptions eo;
        eo.threads = threads;
        eo.fuse = false;
        eo.allocator = allocator;
        auto e = Executor::create(*models[k], eo);
        if (!e) return e.status();
        Side& s = side_[k];
        s.exec = std::move(*e);
        if (s.exec->inputs().size() != 1)
            return unsupported("this analysis feeds one model input; this model has " +
                               std::to_string(s.exec->inputs().size()));
        s.input = s.exec->inputs()[0].name;
        computed[k].insert(s.input);
        for (ir::NodeId id : s.exec->schedule()) {
            const auto& outs = models[k]->graph.node(id).outputs;
            s.outputs_of[id] = outs;
            computed[k].insert(outs.begin(), outs.end());
        }
        for (const auto& o : s.exec->outputs())
            computed[k].insert(o.name);
    }
    active_.assign(pairs_.size(), false);
    for (size_t p = 0; p < pairs_.size(); ++p) {
        if (!computed[0].count(pairs_[p].first) || !computed[1].count(pairs_[p].second)) continue;
        active_[p] = true;
        side_[0].pairs_of[pairs_[p].first].push_back(p);
        side_[1].pairs_of[pairs_[p].second].push_back(p);
    }
    for (int k = 0; k < 2; ++k) {
        Side& s = side_[k];
        LOWBIT_RETURN_IF_ERROR(
            s.exec->set_observer([this, k](ir::NodeId id, const std::vector<Tensor>& outs) {
                const auto& names = side_[k].outputs_of[id];
                for (size_t i = 0; i < outs.size() && i < names.size(); ++i)
                    if (!names[i].empty() && !outs[i].empty()) produced(k, names[i], outs[i]);
            }));
    }
    return Status::ok();
}

void PairedRun::produced(int k, const std::string& name, const Tensor& t) {
    if (!error_.is_ok() || !seen_[k].insert(name).second) return;
    if (k == 0 && seen_a_ && *seen_a_) {
        Status st = (*seen_a_)(name, t);
        if (!st.is_ok()) {
            error_ = st;
            return;
        }
    }
    Side& me = side_[k];
    Side& other = side_[1 - k];
    auto it = me.pairs_of.find(name);
    if (it == me.pairs_of.end()) return;
    size_t waiting = 0;
    for (size_t p : it->second) {
        if (done_[p]) continue;
        const std::string& theirs = k == 0 ? pairs_[p].second : pairs_[p].first;
        auto h = other.held.find(theirs);
        if (h == other.held.end()) {
            ++waiting;
            continue;
        }
        done_[p] = true;
        Status st = k == 0 ? (*compare_)(p, t, h->second.first) : (*compare_)(p, h->second.first, t);
        if (--h->second.second == 0) {
            other.held.erase(h);
            --held_;
        }
        if (!st.is_ok()) {
            error_ = st;
            return;
        }
    }
    if (waiting > 0) {
        me.held[name] = {t, waiting};
        max_held_ = std::max(max_held_, ++held_);
    }
}

Status PairedRun::run(const Tensor& x, const CompareFn& compare, const SeenFn& seen_a) {
    compare_ = &compare;
    seen_a_ = &seen_a;
    error_ = Status::ok();
    done_.assign(pairs_.size(), false);
    held_ = max_held_ = 0;
    for (auto& s : seen_)
        s.clear();
    for (auto& s : side_)
        s.held.clear();
    auto cleanup = [&](Status st) {
        for (auto& s : side_)
            s.held.clear();
        compare_ = nullptr;
        seen_a_ = nullptr;
        return st;
    };
    for (int k = 0; k < 2; ++k) {
        Status st = side_[k].exec->begin({{side_[k].input, x}});
        if (!st.is_ok()) return cleanup(st);
        produced(k, side_[k].input, x);
    }
    // A one node at a time; B whenever A holds a value B has not produced yet
    bool more[2] = {true, true};
    while (more[0] || more[1]) {
        const int k = more[0] && (side_[0].held.empty() || !more[1]) ? 0 : 1;
        auto r = side_[k].exec->step();
        if (!r) return cleanup(r.status());
        more[k] = *r;
        if (!error_.is_ok()) return cleanup(error_);
    }
    for (int k = 0; k < 2; ++k) {
        auto out = side_[k].exec->finish();
        if (!out) return cleanup(out.status());
        for (const auto& [name, t] : *out)
            produced(k, name, t);  // outputs folded at plan time
        if (!error_.is_ok()) return cleanup(error_);
    }
    return cleanup(Status::ok());
}

}  // namespace lowbit::runtime
