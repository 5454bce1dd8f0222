#include "analysis/layer_error.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "quant/simulate.h"
#include "quant/bias_correction.h"
#include "runtime/capture.h"

namespace lowbit::analysis {

void ErrorStats::add(const float* a, const float* b, int64_t n) {
    double ab = 0, aa = 0, bb = 0, dd = 0, mx = max_abs;
    for (int64_t i = 0; i < n; ++i) {
        double x = a[i], y = b[i], d = x - y;
        ab += x * y, aa += x * x, bb += y * y, dd += d * d;
        mx = std::max(mx, std::abs(d));
    }
    sum_ab += ab, sum_aa += aa, sum_bb += bb, sum_dd += dd, max_abs = mx;
    count += n;
}

void ErrorStats::add_argmax(const float* a, const float* b, int64_t n, int64_t row) {
    if (row <= 1) return;
    for (int64_t r = 0; r + row <= n; r += row) {
        const int64_t ia = std::max_element(a + r, a + r + row) - (a + r), ib = std::max_element(b + r, b + r + row) - (b + r);
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

double ErrorStats::mse() const { return count ? sum_dd / static_cast<double>(count) : 0.0; }

namespace {

using Capture = runtime::ValueCapture;

int64_t sample_limit(const ErrorOptions& o, const data::DataSource& source) {
    return o.num_samples > 0 ? std::min(o.num_samples, source.size()) : source.size();
}

Status compare_shapes(const std::string& label, const runtime::Tensor& a, const runtime::Tensor& b) {
    if (a.shape() != b.shape() || a.type() != runtime::DataType::kFloat || b.type() != runtime::DataType::kFloat)
        return invalid_input("'" + label + "': the two models give different shapes or types (" + runtime::shape_string(a.shape()) +
                             " vs " + runtime::shape_string(b.shape()) + ")");
    return Status::ok();
}

}  // namespace

std::vector<TensorPair> matching_pairs(const ir::Model& a, const ir::Model& b, bool layers) {
    std::vector<TensorPair> pairs;
    std::set<std::string> b_values;
    for (const auto& o : b.graph.outputs) b_values.insert(o.name);
    for (ir::NodeId id : b.graph.order())
        for (const auto& o : b.graph.node(id).outputs) b_values.insert(o);
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
            if (b_values.count(dq)) pairs.push_back({o, o, dq});
            else if (b_values.count(o)) pairs.push_back({o, o, o});
        }
    }
    return pairs;
}

Result<std::map<std::string, ErrorStats>> compare_tensors(const ir::Model& a, const ir::Model& b,
                                                          const std::vector<TensorPair>& pairs, data::DataSource& source,
                                                          const ErrorOptions& options) {
    std::set<std::string> ka, kb;
    for (const auto& p : pairs) ka.insert(p.a), kb.insert(p.b);
    Capture ca, cb;
    LOWBIT_RETURN_IF_ERROR(ca.init(a, ka, options.threads));
    LOWBIT_RETURN_IF_ERROR(cb.init(b, kb, options.threads));
    std::map<std::string, ErrorStats> stats;
    LOWBIT_RETURN_IF_ERROR(data::for_each_batch(source, options.batch_size, sample_limit(options, source), "comparing", options.progress,
                                                options.cancel, [&](const runtime::Tensor& x) -> Status {
        LOWBIT_RETURN_IF_ERROR(ca.run(x));
        LOWBIT_RETURN_IF_ERROR(cb.run(x));
        for (const auto& p : pairs) {
            auto ia = ca.values.find(p.a), ib = cb.values.find(p.b);
            if (ia == ca.values.end() || ib == cb.values.end()) continue;
            if (ia->second.type() != runtime::DataType::kFloat) continue;
            LOWBIT_RETURN_IF_ERROR(compare_shapes(p.label, ia->second, ib->second));
            ErrorStats& st = stats[p.label];
            const runtime::Tensor& ta = ia->second;
            st.add(ta.data<float>(), ib->second.data<float>(), ta.numel());
            if (a.graph.is_graph_output(p.a) && ta.rank() >= 2)
                st.add_argmax(ta.data<float>(), ib->second.data<float>(), ta.numel(), ta.dim(-1));
        }
        return Status::ok();
    }));
    return stats;
}

Result<std::vector<LayerError>> layer_errors(const ir::Model& prepared, const ir::Model& simulated, const quant::QuantPlan& plan,
                                             data::DataSource& source, const ErrorOptions& options) {
    // step: the FP32 model keeps each layer's inputs and output; the quantized one each output
    std::set<std::string> keep_fp, keep_q;
    for (const auto& l : plan.layers) {
        keep_fp.insert(l.output);
        for (const auto& in : l.inputs) keep_fp.insert(in);
        keep_q.insert(plan.activations.count(l.output) ? quant::dequantized_name(l.output) : l.output);
    }
    Capture fp, q;
    LOWBIT_RETURN_IF_ERROR(fp.init(prepared, keep_fp, options.threads));
    LOWBIT_RETURN_IF_ERROR(q.init(simulated, keep_q, options.threads));
    // step: one small model per layer (the layer and its absorbed activation), quantized alone
    struct Isolated {
        const quant::LayerPlan* layer;
        Capture exec;
        std::string output;
    };
    std::vector<std::unique_ptr<Isolated>> isolated;
    if (options.isolated) {
        for (const auto& l : plan.layers) {
            if (l.precision == quant::Precision::kFp32 || l.inputs.empty()) continue;
            if (l.inputs.size() != 1) continue;  // two-input MatMul: the feeder takes one input (accumulated only)
            auto mq = quant::simulate_layer(prepared, plan, l, /*with_activation=*/true, /*with_bias_correction=*/true);
            if (!mq) return mq.status();
            auto iso = std::make_unique<Isolated>();
            iso->layer = &l;
            iso->output = mq->output;
            LOWBIT_RETURN_IF_ERROR(iso->exec.init(mq->model, {iso->output}, options.threads).with_context(l.name));
            isolated.push_back(std::move(iso));
        }
    }
    std::vector<LayerError> errors;
    std::map<std::string, size_t> index;
    for (const auto& l : plan.layers) {
        index[l.name] = errors.size();
        errors.push_back(LayerError{l.name, l.op_type, l.output, l.precision, {}, {}});
    }
    // step: the batches
    LOWBIT_RETURN_IF_ERROR(data::for_each_batch(source, options.batch_size, sample_limit(options, source), "per-layer error",
                                                options.progress, options.cancel, [&](const runtime::Tensor& x) -> Status {
        LOWBIT_RETURN_IF_ERROR(fp.run(x));
        LOWBIT_RETURN_IF_ERROR(q.run(x));
        for (const auto& l : plan.layers) {
            auto a = fp.values.find(l.output);
            auto b = q.values.find(plan.activations.count(l.output) ? quant::dequantized_name(l.output) : l.output);
            if (a == fp.values.end() || b == q.values.end()) continue;
            LOWBIT_RETURN_IF_ERROR(compare_shapes(l.name, a->second, b->second));
            errors[index[l.name]].accumulated.add(a->second.data<float>(), b->second.data<float>(), a->second.numel());
        }
        for (auto& iso : isolated) {
            const auto& l = *iso->layer;
            auto in = fp.values.find(l.inputs[0]);
            auto ref = fp.values.find(l.output);
            if (in == fp.values.end() || ref == fp.values.end()) continue;
            LOWBIT_RETURN_IF_ERROR(iso->exec.run(in->second).with_context(l.name));
            auto out = iso->exec.values.find(iso->output);
            if (out == iso->exec.values.end()) continue;
            LOWBIT_RETURN_IF_ERROR(compare_shapes(l.name, ref->second, out->second));
            errors[index[l.name]].isolated.add(ref->second.data<float>(), out->second.data<float>(), ref->second.numel());
        }
        return Status::ok();
    }));
    return errors;
}

}  // namespace lowbit::analysis
