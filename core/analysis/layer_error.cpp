#include "analysis/layer_error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "quant/bias_correction.h"
#include "quant/simulate.h"
#include "runtime/capture.h"

namespace lowbit::analysis {

void ErrorStats::Part::add(const float* a, const float* b, int64_t count) {
    for (int64_t i = 0; i < count; ++i) {
        double x = a[i], y = b[i], d = x - y;
        ab += x * y, aa += x * x, bb += y * y, dd += d * d;
        mx = std::max(mx, std::abs(d));
    }
    n += count;
    used = true;
}

void ErrorStats::add(const Part& p) {
    sum_ab += p.ab, sum_aa += p.aa, sum_bb += p.bb, sum_dd += p.dd, max_abs = std::max(max_abs, p.mx);
    count += p.n;
}

void ErrorStats::add(const float* a, const float* b, int64_t n) {
    Part p;
    p.mx = max_abs;
    p.add(a, b, n);
    add(p);
}

void ErrorStats::add_argmax(const float* a, const float* b, int64_t n, int64_t row) {
    if (row <= 1) return;
    for (int64_t r = 0; r + row <= n; r += row) {
        const int64_t ia = std::max_element(a + r, a + r + row) - (a + r),
                      ib = std::max_element(b + r, b + r + row) - (b + r);
        ++rows;
        if (ia == ib) ++rows_agreeing;
    }
}

double ErrorStats::cosine() const {
    if (sum_aa == 0.0 && sum_bb == 0.0) return 1.0;
    if (sum_aa == 0.0 || sum_bb == 0.0) return 0.0;
    return sum_ab / std::sqrt(sum_aa * sum_bb);
}

double ErrorStats::sqnr_db() const {
    if (sum_dd == 0.0) return 200.0;
    if (sum_aa == 0.0) return -200.0;
    return std::min(200.0, 10.0 * std::log10(sum_aa / sum_dd));
}

double ErrorStats::mse() const {
    return count ? sum_dd / static_cast<double>(count) : 0.0;
}

namespace {

using Capture = runtime::ValueCapture;

int64_t sample_limit(const ErrorOptions& o, const data::DataSource& source) {
    return o.num_samples > 0 ? std::min(o.num_samples, source.size()) : source.size();
}

Status compare_shapes(const std::string& label, const runtime::Tensor& a, const runtime::Tensor& b) {
    if (a.shape() != b.shape() || a.type() != runtime::DataType::kFloat ||
        b.type() != runtime::DataType::kFloat)
        return invalid_input("'" + label + "': the two models give different shapes or types (" +
                             runtime::shape_string(a.shape()) + " vs " + runtime::shape_string(b.shape()) +
                             ")");
    return Status::ok();
}

}  // namespace

std::vector<TensorPair> matching_pairs(const ir::Model& a, const ir::Model& b, bool layers) {
    std::vector<TensorPair> pairs;
    std::set<std::string> b_values;
    for (const auto& o : b.graph.outputs)
        b_values.insert(o.name);
    for (ir::NodeId id : b.graph.order())
        for (const auto& o : b.graph.node(id).outputs)
            b_values.insert(o);
    std::set<std::string> outputs;
    for (const auto& o : a.graph.outputs) {
        outputs.insert(o.name);
        if (b_values.count(o.name)) pairs.push_back({o.name, o.name, o.name});
    }
    if (!layers) return pairs;
    for (ir::NodeId id : a.graph.order()) {
        const ir::Node& n = a.graph.node(id);
        if (n.op_type == "Shape" || n.op_type == "Size" || n.op_type == "Constant") continue;
        for (const auto& o : n.outputs) {
            if (o.empty() || outputs.count(o)) continue;
            std::string dq = quant::dequantized_name(o);
            if (b_values.count(dq))
                pairs.push_back({o, o, dq});
            else if (b_values.count(o))
                pairs.push_back({o, o, o});
        }
    }
    return pairs;
}

Result<std::map<std::string, ErrorStats>> compare_tensors(const ir::Model& a, const ir::Model& b,
                                                          const std::vector<TensorPair>& pairs,
                                                          data::DataSource& source,
                                                          const ErrorOptions& options) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& p : pairs)
        names.emplace_back(p.a, p.b);
    runtime::PairedRun run;
    LOWBIT_RETURN_IF_ERROR(run.init(a, b, names, options.threads));
    std::map<std::string, ErrorStats> stats;
    LOWBIT_RETURN_IF_ERROR(data::for_each_batch(
        source, options.batch_size, sample_limit(options, source), "comparing", options.progress,
        options.cancel, [&](const runtime::Tensor& x) -> Status {
            return run.run(x, [&](size_t k, const runtime::Tensor& ta, const runtime::Tensor& tb) -> Status {
                const TensorPair& p = pairs[k];
                if (ta.type() != runtime::DataType::kFloat) return Status::ok();
                LOWBIT_RETURN_IF_ERROR(compare_shapes(p.label, ta, tb));
                ErrorStats& st = stats[p.label];
                st.add(ta.data<float>(), tb.data<float>(), ta.numel());
                if (a.graph.is_graph_output(p.a) && ta.rank() >= 2)
                    st.add_argmax(ta.data<float>(), tb.data<float>(), ta.numel(), ta.dim(-1));
                return Status::ok();
            });
        }));
    return stats;
}

Result<std::vector<LayerError>> layer_errors(const ir::Model& prepared, const ir::Model& simulated,
                                             const quant::QuantPlan& plan, data::DataSource& source,
                                             const ErrorOptions& options) {
    // one pool for every executor below: they run in turns, so blocks one returns serve the others
    auto pool = std::make_shared<runtime::Allocator>();
    // step: the FP32 model and the quantized one run in turns, each layer's output compared as soon as both
    // exist (accumulated error)
    std::vector<std::pair<std::string, std::string>> names;
    std::vector<size_t> layer_of_pair;
    for (size_t i = 0; i < plan.layers.size(); ++i) {
        const auto& l = plan.layers[i];
        names.emplace_back(l.output,
                           plan.activations.count(l.output) ? quant::dequantized_name(l.output) : l.output);
        layer_of_pair.push_back(i);
    }
    runtime::PairedRun run;
    LOWBIT_RETURN_IF_ERROR(run.init(prepared, simulated, names, options.threads, pool));
    // step: one small model per layer (the layer and its absorbed activation), quantized alone, run on the
    // FP32 model's input to the layer as soon as the FP32 model has the layer's output
    struct Isolated {
        const quant::LayerPlan* layer;
        size_t index;
        Capture exec;
        std::string output;
    };
    std::vector<std::unique_ptr<Isolated>> isolated;
    std::map<std::string, std::vector<Isolated*>> iso_by_output;
    std::map<std::string, size_t> iso_inputs;  // FP32 value -> isolated layers reading it
    if (options.isolated) {
        for (size_t i = 0; i < plan.layers.size(); ++i) {
            const auto& l = plan.layers[i];
            if (l.precision == quant::Precision::kFp32 || l.inputs.empty()) continue;
            if (l.inputs.size() != 1)
                continue;  // two-input MatMul: the feeder takes one input (accumulated only)
            auto mq = quant::simulate_layer(prepared, plan, l, /*with_activation=*/true,
                                            /*with_bias_correction=*/true);
            if (!mq) return mq.status();
            auto iso = std::make_unique<Isolated>();
            iso->layer = &l;
            iso->index = i;
            iso->output = mq->output;
            LOWBIT_RETURN_IF_ERROR(
                iso->exec.init(mq->model, {iso->output}, options.threads, pool).with_context(l.name));
            iso_by_output[l.output].push_back(iso.get());
            ++iso_inputs[l.inputs[0]];
            isolated.push_back(std::move(iso));
        }
    }
    std::vector<LayerError> errors;
    for (const auto& l : plan.layers)
        errors.push_back(LayerError{l.name, l.op_type, l.output, l.precision, {}, {}});
    // per layer, the running sums of the batch (accumulated, isolated), added to `errors` after the batch
    std::vector<ErrorStats::Part> acc_part(plan.layers.size()), iso_part(plan.layers.size());
    // the models on one chunk of samples
    auto run_chunk = [&](const runtime::Tensor& x) -> Status {
        std::map<std::string, std::pair<runtime::Tensor, size_t>>
            held;  // isolated layers' inputs, until read
        auto seen_fp = [&](const std::string& name, const runtime::Tensor& t) -> Status {
            if (auto in = iso_inputs.find(name); in != iso_inputs.end()) held[name] = {t, in->second};
            auto it = iso_by_output.find(name);
            if (it == iso_by_output.end()) return Status::ok();
            for (Isolated* iso : it->second) {
                const auto& l = *iso->layer;
                auto in = held.find(l.inputs[0]);
                if (in == held.end()) continue;
                const runtime::Tensor input = in->second.first;
                if (--in->second.second == 0) held.erase(in);
                LOWBIT_RETURN_IF_ERROR(iso->exec.run(input).with_context(l.name));
                auto out = iso->exec.values.find(iso->output);
                if (out != iso->exec.values.end()) {
                    LOWBIT_RETURN_IF_ERROR(compare_shapes(l.name, t, out->second));
                    iso_part[iso->index].add(t.data<float>(), out->second.data<float>(), t.numel());
                }
                iso->exec.values.clear();
            }
            return Status::ok();
        };
        return run.run(
            x,
            [&](size_t k, const runtime::Tensor& a, const runtime::Tensor& b) -> Status {
                const size_t i = layer_of_pair[k];
                LOWBIT_RETURN_IF_ERROR(compare_shapes(plan.layers[i].name, a, b));
                acc_part[i].add(a.data<float>(), b.data<float>(), a.numel());
                return Status::ok();
            },
            seen_fp);
    };
    // step: samples per chunk: one sample's share of the pool (both models and the layers alone, a probe
    // whose figures are not kept), and as many samples as the budget holds
    const int64_t total = sample_limit(options, source);
    int64_t chunk = std::max<int64_t>(1, options.batch_size);
    if (options.memory_budget > 0 && chunk > 1 && total > 1) {
        auto probe = source.batch(0, 1);
        if (!probe) return probe.status();
        LOWBIT_RETURN_IF_ERROR(run_chunk(*probe));
        const size_t per_sample = pool->high_water_bytes();  // the pool is new: all of it is the probe's
        for (auto& p : acc_part)
            p = {};
        for (auto& p : iso_part)
            p = {};
        if (per_sample > 0)
            chunk = std::clamp<int64_t>(static_cast<int64_t>(options.memory_budget / per_sample), 1, chunk);
    }
    // step: the batches, each in chunks of at most `chunk` samples
    LOWBIT_RETURN_IF_ERROR(data::for_each_batch(
        source, options.batch_size, total, "per-layer error", options.progress, options.cancel,
        [&](const runtime::Tensor& x) -> Status {
            for (size_t i = 0; i < errors.size(); ++i) {
                acc_part[i] = {};
                acc_part[i].mx = errors[i].accumulated.max_abs;
                iso_part[i] = {};
                iso_part[i].mx = errors[i].isolated.max_abs;
            }
            const int64_t n = x.rank() > 0 ? x.dim(0) : 1;
            if (n <= chunk) {
                LOWBIT_RETURN_IF_ERROR(run_chunk(x));
            } else {
                const size_t sample_bytes = x.bytes() / static_cast<size_t>(n);
                for (int64_t begin = 0; begin < n; begin += chunk) {
                    runtime::Shape shape = x.shape();
                    shape[0] = std::min(chunk, n - begin);
                    runtime::Tensor part(x.type(), shape);
                    std::memcpy(part.raw(),
                                static_cast<const char*>(x.raw()) + static_cast<size_t>(begin) * sample_bytes,
                                part.bytes());
                    LOWBIT_RETURN_IF_ERROR(run_chunk(part));
                }
            }
            for (size_t i = 0; i < errors.size(); ++i) {
                if (acc_part[i].used) errors[i].accumulated.add(acc_part[i]);
                if (iso_part[i].used) errors[i].isolated.add(iso_part[i]);
            }
            return Status::ok();
        }));
    return errors;
}

}  // namespace lowbit::analysis
