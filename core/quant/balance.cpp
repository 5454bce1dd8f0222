#include "quant/balance.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <span>

#include "passes/passes.h"
#include "quant/calibrator.h"

namespace lowbit::quant {

namespace {

bool default_domain(const ir::Node& n) {
    return n.domain.empty() || n.domain == "ai.onnx";
}

const ir::Tensor* float_init(const ir::Graph& g, const std::string& name) {
    const ir::Tensor* t = name.empty() ? nullptr : g.initializer(name);
    return t && t->type == ir::DataType::kFloat ? t : nullptr;
}

// A constant that is one value, or one value per channel laid out to broadcast along the channel axis
// (`trailing` dims of 1 after it).
bool per_channel_const(const ir::Tensor& c, int64_t channels, int trailing) {
    const uint64_t n = c.element_count().value_or(0);
    if (n == 1) return true;
    if (n != static_cast<uint64_t>(channels)) return false;
    std::vector<int64_t> d = c.dims;
    while (!d.empty() && d.front() == 1 && static_cast<int64_t>(d.size()) > 1 + trailing)
        d.erase(d.begin());
    if (static_cast<int>(d.size()) != 1 + trailing || d[0] != channels) return false;
    for (int i = 1; i <= trailing; ++i)
        if (d[static_cast<size_t>(i)] != 1) return false;
    return true;
}

// How a site's tensor is made, when its channels can be rescaled there.
struct Producer {
    enum Kind { kNone, kMul, kMulAdd, kConv } kind = kNone;
    ir::NodeId mul = ir::kNoNode, add = ir::kNoNode, conv = ir::kNoNode;
    int mul_const = 0, add_const = 0;  // which input holds the constant
};

bool single_use(const ir::Graph& g, const std::string& v) {
    return g.consumers(v).size() == 1 && !g.is_graph_output(v);
}

// The input slot of a binary node holding a float constant, when exactly one does.
int const_slot(const ir::Graph& g, const ir::Node& n) {
    if (n.inputs.size() != 2) return -1;
    const bool a = float_init(g, n.inputs[0]) != nullptr, b = float_init(g, n.inputs[1]) != nullptr;
    if (a == b) return -1;
    return a ? 0 : 1;
}

Producer find_producer(const ir::Graph& g, const std::string& x, int64_t channels, int trailing,
                       bool conv_layout) {
    Producer p;
    auto pid = g.producer(x);
    if (!pid) return p;
    const ir::Node* n = &g.node(*pid);
    if (!default_domain(*n)) return p;
    if (n->op_type == "Add") {
        int k = const_slot(g, *n);
        if (k < 0 ||
            !per_channel_const(*g.initializer(n->inputs[static_cast<size_t>(k)]), channels, trailing))
            return p;
        const std::string& other = n->inputs[static_cast<size_t>(1 - k)];
        auto mid = g.producer(other);
        if (!mid || !single_use(g, other)) return p;
        const ir::Node& m = g.node(*mid);
        int j = const_slot(g, m);
        if (!default_domain(m) || m.op_type != "Mul" || j < 0 ||
            !per_channel_const(*g.initializer(m.inputs[static_cast<size_t>(j)]), channels, trailing))
            return p;
        p.kind = Producer::kMulAdd, p.add = *pid, p.add_const = k, p.mul = *mid, p.mul_const = j;
        return p;
    }
    if (n->op_type == "Mul") {
        int j = const_slot(g, *n);
        if (j < 0 ||
            !per_channel_const(*g.initializer(n->inputs[static_cast<size_t>(j)]), channels, trailing))
            return p;
        p.kind = Producer::kMul, p.mul = *pid, p.mul_const = j;
        return p;
    }
    if (!conv_layout) return p;
    ir::NodeId conv = *pid;
    if (n->op_type == "Relu") {  // relu(x / s) = relu(x) / s for s > 0
        auto c = g.producer(n->inputs[0]);
        if (!c || !single_use(g, n->inputs[0])) return p;
        conv = *c;
        n = &g.node(conv);
    }
    if (n->op_type != "Conv" || !default_domain(*n) || n->inputs.size() < 2) return p;
    const ir::Tensor* w = float_init(g, n->inputs[1]);
    if (!w || w->dims.empty() || w->dims[0] != channels) return p;
    if (n->inputs.size() > 2 && !n->inputs[2].empty() && !float_init(g, n->inputs[2])) return p;
    p.kind = Producer::kConv, p.conv = conv;
    return p;
}

struct SiteInfo {
    BalanceSite site;
    Producer producer;
    int trailing = 0;
};

std::vector<SiteInfo> find_sites(const ir::Model& model, bool depthwise, bool others) {
    const ir::Graph& g = model.graph;
    std::vector<SiteInfo> out;
    std::set<std::string> seen;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        if (!default_domain(n) || n.inputs.size() < 2) continue;
        const std::string& x = n.inputs[0];
        if (x.empty() || g.initializer(x) || g.is_graph_input(x) || !single_use(g, x) || seen.count(x))
            continue;
        const ir::Tensor* w = float_init(g, n.inputs[1]);
        if (!w) continue;
        SiteInfo s;
        s.site.tensor = x;
        s.site.consumer = id;
        bool conv_layout = false;
        if (n.op_type == "Conv" && w->dims.size() >= 3) {
            const int64_t group = n.attr_int("group", 1);
            s.site.channels = w->dims[1] * group;
            s.site.depthwise = group > 1 && group == s.site.channels && w->dims[0] % group == 0;
            if (s.site.depthwise ? !depthwise : (!others || group != 1)) continue;
            s.site.axis = 1;
            s.trailing = static_cast<int>(w->dims.size()) - 2;
            conv_layout = true;
        } else if (others && n.op_type == "Gemm" && w->dims.size() == 2 && n.attr_int("transA", 0) == 0) {
            s.site.channels = n.attr_int("transB", 0) ? w->dims[1] : w->dims[0];
            s.site.axis = -1;
        } else if (others && n.op_type == "MatMul" && w->dims.size() == 2) {
            s.site.channels = w->dims[0];
            s.site.axis = -1;
        } else {
            continue;
        }
        if (s.site.channels < 2) continue;
        s.producer = find_producer(g, x, s.site.channels, s.trailing, conv_layout);
        if (s.producer.kind == Producer::kNone) continue;
        seen.insert(x);
        out.push_back(std::move(s));
    }
    return out;
}

// A Mul/Add constant divided by the scales, as one value per channel.
ir::Tensor divided_const(const ir::Graph& g, const ir::Tensor& c, const std::vector<float>& s, int trailing) {
    std::vector<float> v = c.to_floats(), out(s.size());
    for (size_t k = 0; k < s.size(); ++k)
        out[k] = (v.size() == 1 ? v[0] : v[k]) / s[k];
    std::vector<int64_t> dims{static_cast<int64_t>(s.size())};
    dims.insert(dims.end(), static_cast<size_t>(trailing), 1);
    return ir::Tensor::from_floats(g.unused_name(c.name + "_balanced"), dims, out);
}

// Calls fn(c, x) for every element x of the layer's weight `v` that multiplies input channel c: Conv
// [O, C/group, k...], Gemm with transB [N, K], Gemm or MatMul [K, N].
template <typename T, typename Fn>
void for_each_input_channel(const ir::Node& n, const std::vector<int64_t>& dims, std::span<T> v, Fn fn) {
    if (n.op_type == "Conv") {
        const int64_t group = n.attr_int("group", 1), O = dims[0], Cg = dims[1];
        const int64_t inner = static_cast<int64_t>(v.size()) / (O * Cg);
        for (int64_t o = 0; o < O; ++o)
            for (int64_t k = 0; k < Cg; ++k)
                for (int64_t i = 0; i < inner; ++i)
                    fn((o / (O / group)) * Cg + k, v[static_cast<size_t>((o * Cg + k) * inner + i)]);
    } else if (n.op_type == "Gemm" && n.attr_int("transB", 0)) {
        for (int64_t r = 0; r < dims[0]; ++r)
            for (int64_t c = 0; c < dims[1]; ++c)
                fn(c, v[static_cast<size_t>(r * dims[1] + c)]);
    } else {
        for (int64_t c = 0; c < dims[0]; ++c)
            for (int64_t k = 0; k < dims[1]; ++k)
                fn(c, v[static_cast<size_t>(c * dims[1] + k)]);
    }
}

// The consumer's weight with input channel c multiplied by s_c.
ir::Tensor scaled_weight(const ir::Graph& g, const ir::Node& n, const ir::Tensor& w,
                         const std::vector<float>& s) {
    ir::Tensor t = w;
    t.name = g.unused_name(w.name + "_balanced");
    for_each_input_channel(n, w.dims, t.mutable_view<float>(),
                           [&](int64_t c, float& x) { x *= s[static_cast<size_t>(c)]; });
    return t;
}

}  // namespace

std::vector<BalanceSite> find_balance_sites(const ir::Model& model, bool depthwise, bool others) {
    std::vector<BalanceSite> out;
    for (auto& s : find_sites(model, depthwise, others))
        out.push_back(s.site);
    return out;
}

Result<std::map<std::string, std::vector<float>>> channel_absmax(const ir::Model& model,
                                                                 const std::vector<BalanceSite>& sites,
                                                                 data::DataSource& source,
                                                                 const BalanceOptions& options) {
    std::map<std::string, std::vector<float>> out;
    if (sites.empty()) return out;
    LOWBIT_ASSIGN_OR_RETURN(auto exec, observing_executor(model, options.threads));
    // step: which node output slot feeds which site
    std::map<ir::NodeId, std::vector<std::pair<size_t, const BalanceSite*>>> by_node;
    for (const auto& s : sites) {
        auto p = model.graph.producer(s.tensor);
        if (!p) continue;
        const auto& outs = model.graph.node(*p).outputs;
        for (size_t k = 0; k < outs.size(); ++k)
            if (outs[k] == s.tensor) by_node[*p].push_back({k, &s});
        out[s.tensor].assign(static_cast<size_t>(s.channels), 0.0f);
    }
    Status bad = Status::ok();
    LOWBIT_RETURN_IF_ERROR(exec->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
        auto it = by_node.find(id);
        if (it == by_node.end()) return;
        for (auto [slot, site] : it->second) {
            if (slot >= outs.size() || outs[slot].type() != runtime::DataType::kFloat) continue;
            const runtime::Tensor& t = outs[slot];
            const int64_t rank = t.rank(), axis = site->axis < 0 ? rank - 1 : site->axis;
            if (axis >= rank || t.dim(axis) != site->channels) {
                bad = invalid_input("tensor '" + site->tensor + "' does not have " +
                                    std::to_string(site->channels) + " channels on axis " +
                                    std::to_string(axis));
                continue;
            }
            int64_t inner = 1;
            for (int64_t d = axis + 1; d < rank; ++d)
                inner *= t.dim(d);
            const int64_t C = site->channels, outer = t.numel() / (C * inner);
            const float* p = t.data<float>();
            auto& m = out[site->tensor];
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t c = 0; c < C; ++c) {
                    float a = m[static_cast<size_t>(c)];
                    const float* q = p + (o * C + c) * inner;
                    for (int64_t i = 0; i < inner; ++i)
                        a = std::max(a, std::fabs(q[i]));
                    m[static_cast<size_t>(c)] = a;
                }
        }
    }));
    LOWBIT_RETURN_IF_ERROR(run_batches(*exec, source, options.batch_size, source.size(), "channel statistics",
                                       options.progress, options.cancel));
    LOWBIT_RETURN_IF_ERROR(bad);
    return out;
}

std::map<std::string, std::vector<float>> balance_scales(
    const ir::Model& model, const std::vector<BalanceSite>& sites,
    const std::map<std::string, std::vector<float>>& absmax, double migration_strength) {
    std::map<std::string, std::vector<float>> out;
    const ir::Graph& g = model.graph;
    for (const auto& s : sites) {
        auto it = absmax.find(s.tensor);
        if (it == absmax.end() || it->second.size() != static_cast<size_t>(s.channels)) continue;
        const auto& m = it->second;
        const float top = *std::max_element(m.begin(), m.end());
        if (!(top > 0.0f) || !std::isfinite(top)) continue;
        std::vector<float> sc(m.size());
        if (s.depthwise) {
            // full equalization; a channel 100x below the largest is lifted only that far
            for (size_t c = 0; c < m.size(); ++c)
                sc[c] = std::max(m[c], top * 1e-2f) / top;
        } else {
            const ir::Node& n = g.node(s.consumer);
            const ir::Tensor& w = *g.initializer(n.inputs[1]);
            std::vector<float> wmax(m.size(), 0.0f);
            for_each_input_channel(n, w.dims, w.view<float>(), [&](int64_t c, const float& x) {
                wmax[static_cast<size_t>(c)] = std::max(wmax[static_cast<size_t>(c)], std::fabs(x));
            });
            const double a = std::clamp(migration_strength, 0.0, 1.0);
            for (size_t c = 0; c < m.size(); ++c) {
                const double x = std::max<double>(m[c], top * 1e-5), y = std::max<double>(wmax[c], 1e-8);
                sc[c] = static_cast<float>(std::clamp(std::pow(x, a) / std::pow(y, 1.0 - a), 1e-5, 1e5));
            }
        }
        out[s.tensor] = std::move(sc);
    }
    return out;
}

Result<std::vector<std::string>> apply_balance(ir::Model& model,
                                               const std::map<std::string, std::vector<float>>& scales) {
    std::vector<std::string> details;
    if (scales.empty()) return details;
    ir::Graph& g = model.graph;
    std::map<std::string, SiteInfo> sites;
    for (auto& s : find_sites(model, true, true))
        sites.emplace(s.site.tensor, std::move(s));
    // step: check everything first, so a mismatch changes nothing
    for (const auto& [tensor, s] : scales) {
        auto it = sites.find(tensor);
        if (it == sites.end())
            return invalid_input("channel scales for tensor '" + tensor +
                                 "', which this model cannot balance (a table made for another model?)");
        if (s.size() != static_cast<size_t>(it->second.site.channels))
            return invalid_input("channel scales for tensor '" + tensor + "': " + std::to_string(s.size()) +
                                 " values for " + std::to_string(it->second.site.channels) + " channels");
        for (float f : s)
            if (!(f > 0.0f) || !std::isfinite(f))
                return invalid_input("channel scales for tensor '" + tensor +
                                     "' must be positive and finite");
    }
    // step: rewrite producer constants (or the producing Conv) and the consumer's weight
    for (const auto& [tensor, s] : scales) {
        const SiteInfo& si = sites.at(tensor);
        const Producer& p = si.producer;
        auto swap_const = [&](ir::NodeId id, int slot) {
            const ir::Tensor& c = *g.initializer(g.node(id).inputs[static_cast<size_t>(slot)]);
            ir::Tensor nc = divided_const(g, c, s, si.site.axis < 0 ? 0 : si.trailing);
            std::string name = nc.name;
            g.set_initializer(std::move(nc));
            g.mutable_node(id).inputs[static_cast<size_t>(slot)] = name;
        };
        if (p.kind == Producer::kMul || p.kind == Producer::kMulAdd) swap_const(p.mul, p.mul_const);
        if (p.kind == Producer::kMulAdd) swap_const(p.add, p.add_const);
        if (p.kind == Producer::kConv) {
            const ir::Node& conv = g.node(p.conv);
            ir::Tensor w = *g.initializer(conv.inputs[1]);
            w.name = g.unused_name(w.name + "_balanced");
            auto v = w.mutable_view<float>();
            const int64_t inner = static_cast<int64_t>(v.size()) / w.dims[0];
            for (int64_t o = 0; o < w.dims[0]; ++o)
                for (int64_t i = 0; i < inner; ++i)
                    v[static_cast<size_t>(o * inner + i)] /= s[static_cast<size_t>(o)];
            std::string bias_name;
            if (conv.inputs.size() > 2 && !conv.inputs[2].empty()) {
                std::vector<float> b = g.initializer(conv.inputs[2])->to_floats();
                for (size_t o = 0; o < b.size() && o < s.size(); ++o)
                    b[o] /= s[o];
                bias_name = g.unused_name(conv.inputs[2] + "_balanced");
                g.set_initializer(ir::Tensor::from_floats(bias_name, {static_cast<int64_t>(b.size())}, b));
            }
            std::string wname = w.name;
            g.set_initializer(std::move(w));
            ir::Node& c = g.mutable_node(p.conv);
            c.inputs[1] = wname;
            if (!bias_name.empty()) c.inputs[2] = bias_name;
        }
        const ir::Node& consumer = g.node(si.site.consumer);
        ir::Tensor nw = scaled_weight(g, consumer, *g.initializer(consumer.inputs[1]), s);
        std::string wname = nw.name;
        g.set_initializer(std::move(nw));
        g.mutable_node(si.site.consumer).inputs[1] = wname;
        const float lo = *std::min_element(s.begin(), s.end()), hi = *std::max_element(s.begin(), s.end());
        char buf[96];
        std::snprintf(buf, sizeof buf, " (%lld channels, scales %.3g-%.3g)", static_cast<long long>(s.size()),
                      lo, hi);
        details.push_back("'" + tensor + "' into " + consumer.label() + buf);
    }
    passes::remove_unused_initializers(g);  // the constants only the balanced nodes read
    return details;
}

}  // namespace lowbit::quant
