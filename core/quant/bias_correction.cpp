#include "quant/bias_correction.h"

#include <limits>
#include <set>
#include <tuple>

#include "ir/op_traits.h"
#include "quant/calibrator.h"
#include "quant/simulate.h"
#include "runtime/capture.h"

namespace lowbit::quant {

std::string_view name_of(BiasCorrectionMode mode) {
    return mode == BiasCorrectionMode::kAuto ? "auto" : mode == BiasCorrectionMode::kOn ? "true" : "false";
}

std::set<std::string> bias_correction_layers(const QuantPlan& plan, BiasCorrectionMode mode) {
    std::set<std::string> out;
    for (const auto& l : plan.layers)
        if (l.precision == Precision::kInt && !l.weight.empty() &&
            (mode == BiasCorrectionMode::kOn || (mode == BiasCorrectionMode::kAuto && l.weight_bits <= 4)))
            out.insert(l.name);
    return out;
}

std::optional<BiasAdd> matmul_bias_add(const ir::Graph& g, const LayerPlan& layer) {
    const ir::Node& n = g.node(layer.node);
    auto readers = g.consumers(n.outputs[0]);
    if (readers.size() != 1 || g.is_graph_output(n.outputs[0])) return std::nullopt;
    const ir::Node& add = g.node(readers[0]);
    if (add.op_type != "Add" || add.inputs.size() != 2) return std::nullopt;
    const size_t slot = add.inputs[0] == n.outputs[0] ? 1 : 0;
    const ir::Tensor* c = g.initializer(add.inputs[slot]);
    if (!c || c->type != ir::DataType::kFloat || c->dims.empty()) return std::nullopt;
    // a vector along the last axis, one value per output channel: every other dim is 1
    const ir::Tensor* w = g.initializer(layer.weight);
    if (!w || w->dims.empty() || c->dims.back() != w->dims.back()) return std::nullopt;
    for (size_t d = 0; d + 1 < c->dims.size(); ++d)
        if (c->dims[d] != 1) return std::nullopt;
    return BiasAdd{readers[0], slot};
}

std::optional<int> bias_correction_axis(const ir::Graph& g, const LayerPlan& layer) {
    if (layer.precision != Precision::kInt || layer.weight.empty()) return std::nullopt;
    const ir::Node& n = g.node(layer.node);
    if (n.op_type == "MatMul") {
        if (!matmul_bias_add(g, layer)) return std::nullopt;
        return -1;
    }
    if (!ir::has_bias_input(n)) return std::nullopt;
    const bool has_bias_input = n.inputs.size() > 2 && !n.inputs[2].empty();
    if (has_bias_input && layer.bias.empty()) return std::nullopt;  // a bias that is not a float vector
    if (n.op_type == "Gemm") {
        if (n.attr_float("beta", 1.0f) == 0.0f) return std::nullopt;
        return -1;
    }
    return 1;
}

namespace {

// Adds, per channel along `axis` (-1: the last), the sum of ref - out and the number of positions summed:
// only where the float result lies inside (lo, hi), the range the layer's absorbed activation passes
// (Relu: above 0; Clip/ReLU6: between its bounds). Where the activation cuts, a shift changes nothing
// downstream, and counting those positions would move the ones that matter.
Status add_channel_diffs(const runtime::Tensor& ref, const runtime::Tensor& out, int axis, float lo, float hi,
                         std::vector<double>& sums, std::vector<int64_t>& counts) {
    const int64_t rank = ref.rank(), ax = axis < 0 ? rank - 1 : axis;
    if (ax >= rank || ref.type() != runtime::DataType::kFloat || out.type() != runtime::DataType::kFloat ||
        ref.shape() != out.shape())
        return internal_error("bias correction: unexpected layer output");
    const int64_t C = ref.dim(ax);
    int64_t inner = 1;
    for (int64_t d = ax + 1; d < rank; ++d)
        inner *= ref.dim(d);
    const int64_t outer = C * inner == 0 ? 0 : ref.numel() / (C * inner);
    if (sums.empty()) sums.assign(static_cast<size_t>(C), 0.0), counts.assign(static_cast<size_t>(C), 0);
    if (sums.size() != static_cast<size_t>(C))
        return internal_error("bias correction: a layer output changed its channel count");
    const float* r = ref.data<float>();
    const float* q = out.data<float>();
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < C; ++c) {
            const int64_t base = (o * C + c) * inner;
            double a = 0.0;
            int64_t n = 0;
            for (int64_t i = base; i < base + inner; ++i) {
                if (!(r[i] > lo && r[i] < hi)) continue;
                a += static_cast<double>(r[i]) - q[i];
                ++n;
            }
            sums[static_cast<size_t>(c)] += a;
            counts[static_cast<size_t>(c)] += n;
        }
    return Status::ok();
}

// The input range an absorbed activation passes unchanged in slope: Relu (0, inf), Clip (min, max) from
// its attributes or constant inputs; anything else everywhere.
std::pair<float, float> pass_range(const ir::Graph& g, const ir::Node& act) {
    const float inf = std::numeric_limits<float>::infinity();
    if (act.op_type == "Relu") return {0.0f, inf};
    if (act.op_type != "Clip") return {-inf, inf};
    // opset < 11: attributes; later: optional constant inputs (a computed bound restricts nothing)
    auto bound = [&](size_t i, const char* attr, float open) {
        if (act.inputs.size() <= i || act.inputs[i].empty()) return act.attr_float(attr, open);
        const ir::Tensor* t = g.initializer(act.inputs[i]);
        auto v = t ? t->to_floats() : std::vector<float>{};
        return v.size() == 1 ? v[0] : open;
    };
    return {bound(1, "min", -inf), bound(2, "max", inf)};
}

// One corrected layer: the layer quantized alone, fed the float model's input to it.
struct Target {
    const LayerPlan* layer = nullptr;
    int axis = 1;
    std::string input, output;  // in the float model (the output before any absorbed activation)
    runtime::ValueCapture alone;
    float lo = -std::numeric_limits<float>::infinity(),
          hi = std::numeric_limits<float>::infinity();  // activation's pass range
    std::vector<double> diff_sum;
    std::vector<int64_t> diff_count;
};

}  // namespace

Result<std::map<std::string, std::vector<float>>> estimate_bias_corrections(const ir::Model& prepared,
                                                                            const QuantPlan& plan,
                                                                            data::DataSource& source,
                                                                            const BiasCorrectionOptions& o) {
    std::map<std::string, std::vector<float>> corrections;
    // step: one small QDQ model per correctable layer (inputs and weight quantized, output float)
    std::vector<std::unique_ptr<Target>> targets;
    std::set<std::string> keep;
    auto pool = std::make_shared<runtime::Allocator>();  // every executor below, in turns
    for (const auto& l : plan.layers) {
        if (!plan.weights.count(l.weight) || l.inputs.size() != 1) continue;
        if (!o.layers.empty() && !o.layers.count(l.name)) continue;
        auto axis = bias_correction_axis(prepared.graph, l);
        if (!axis) continue;
        auto t = std::make_unique<Target>();
        t->layer = &l;
        t->axis = *axis;
        t->input = l.inputs[0];
        t->output = prepared.graph.node(l.node).outputs[0];
        if (!l.absorbed.empty())
            std::tie(t->lo, t->hi) = pass_range(prepared.graph, prepared.graph.node(l.absorbed[0]));
        LOWBIT_ASSIGN_OR_RETURN(auto mq, simulate_layer(prepared, plan, l, /*with_activation=*/false,
                                                        /*with_bias_correction=*/false));
        LOWBIT_RETURN_IF_ERROR(t->alone.init(mq.model, {mq.output}, o.threads, pool).with_context(l.name));
        keep.insert(t->input);
        keep.insert(t->output);
        targets.push_back(std::move(t));
    }
    if (targets.empty()) return corrections;
    // step: the float model; each layer alone runs on the float model's input to it the moment the float
    // model has the layer's output, and only the inputs waiting for that are held
    runtime::ExecutorOptions eo;
    eo.threads = o.threads;
    eo.fuse = false;
    eo.allocator = pool;
    auto fp = runtime::Executor::create(prepared, eo);
    if (!fp) return fp.status();
    if ((*fp)->inputs().size() != 1)
        return unsupported("this analysis feeds one model input; this model has " +
                           std::to_string((*fp)->inputs().size()));
    const std::string input = (*fp)->inputs()[0].name;
    std::map<std::string, size_t> readers;  // float value -> layers reading it
    std::map<std::string, std::vector<Target*>> by_output;
    for (auto& t : targets)
        ++readers[t->input], by_output[t->output].push_back(t.get());
    std::map<std::string, std::pair<runtime::Tensor, size_t>> held;
    std::set<std::string> seen;
    size_t seen_bytes = 0;  // bytes of the values of `keep` the run made (for the batch size)
    bool probing = false;   // sizing the batch: the layers alone do not run
    Status failed = Status::ok();
    auto produced = [&](const std::string& name, const runtime::Tensor& t) {
        if (!failed.is_ok() || !seen.insert(name).second) return;
        if (keep.count(name)) seen_bytes += t.bytes();
        if (auto r = readers.find(name); r != readers.end()) held[name] = {t, r->second};
        auto it = by_output.find(name);
        if (it == by_output.end() || probing) return;
        for (Target* tg : it->second) {
            auto in = held.find(tg->input);
            if (in == held.end()) continue;
            const runtime::Tensor x = in->second.first;
            if (--in->second.second == 0) held.erase(in);
            failed = tg->alone.run(x).with_context(tg->layer->name);
            if (!failed.is_ok()) return;
            auto out = tg->alone.values.find(tg->output);
            if (out != tg->alone.values.end())
                failed =
                    add_channel_diffs(t, out->second, tg->axis, tg->lo, tg->hi, tg->diff_sum, tg->diff_count);
            tg->alone.values.clear();
            if (!failed.is_ok()) return;
        }
    };
    LOWBIT_RETURN_IF_ERROR((*fp)->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
        const auto& names = prepared.graph.node(id).outputs;
        for (size_t i = 0; i < outs.size() && i < names.size(); ++i)
            if (!outs[i].empty()) produced(names[i], outs[i]);
    }));
    auto run_batch = [&](const runtime::Tensor& x) -> Status {
        held.clear();
        seen.clear();
        seen_bytes = 0;
        produced(input, x);
        auto r = (*fp)->run({{input, x}});
        held.clear();
        LOWBIT_RETURN_IF_ERROR(failed);
        if (!r) return r.status();
        for (const auto& [name, t] : *r)
            produced(name, t);  // outputs folded at plan time
        return failed;
    };
    const int64_t total = o.num_samples > 0 ? std::min(o.num_samples, source.size()) : source.size();
    if (total <= 0) return invalid_input("bias correction: the calibration data holds no samples");
    // step: the batch size: the float model's values for these layers (each corrected layer's input and
    // output) and each layer alone: one sample shows how much that is, and the batch is cut to the budget
    int64_t batch = std::max<int64_t>(1, o.batch_size);
    if (batch > 1 && o.memory_budget > 0) {
        auto probe = source.batch(0, 1);
        if (!probe) return probe.status();
        probing = true;
        LOWBIT_RETURN_IF_ERROR(run_batch(*probe));
        probing = false;
        size_t per_sample = seen_bytes * 2;  // the layers' own outputs and buffers, about as large again
        if (per_sample > 0)
            batch = std::clamp<int64_t>(static_cast<int64_t>(o.memory_budget / per_sample), 1, batch);
    }
    // step: the batches
    LOWBIT_RETURN_IF_ERROR(
        data::for_each_batch(source, batch, total, "bias correction", o.progress, o.cancel, run_batch));
    // step: mean shift per output channel
    for (const auto& t : targets) {
        if (t->diff_sum.empty()) continue;
        std::vector<float> c(t->diff_sum.size(), 0.0f);
        for (size_t k = 0; k < c.size(); ++k)
            if (t->diff_count[k] > 0)
                c[k] = static_cast<float>(t->diff_sum[k] / static_cast<double>(t->diff_count[k]));
        corrections[t->layer->name] = std::move(c);
    }
    return corrections;
}

}  // namespace lowbit::quant
