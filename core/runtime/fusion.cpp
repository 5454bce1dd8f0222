#include "runtime/fusion.h"

#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace lowbit::runtime {

namespace {

using Counts = std::unordered_map<std::string, int>;

Counts count_readers(const std::vector<ir::Node>& nodes) {
    Counts c;
    for (const auto& n : nodes) {
        for (const auto& in : n.inputs)
            if (!in.empty()) ++c[in];
        for (const auto& a : n.attributes)
            for (const auto& sub : a.graphs)
                for (const auto& name : sub.captured_names())
                    ++c[name];
    }
    return c;
}

bool is_float_const(const Tensor* t) {
    return t && t->type() == DataType::kFloat;
}

// Conv(x, W, b) -> BatchNormalization(scale, B, mean, var): W' = W * s, b' = (b - mean) * s + B, s = scale /
// sqrt(var + eps)
bool fold_batchnorm(ir::Node& conv, const ir::Node& bn, const FusionConstants& k) {
    if (bn.inputs.size() < 5 || bn.outputs.size() != 1 || conv.inputs.size() < 2) return false;
    const Tensor* w = k.get(conv.inputs[1]);
    const Tensor* bias = conv.inputs.size() > 2 && !conv.inputs[2].empty() ? k.get(conv.inputs[2]) : nullptr;
    const Tensor *scale = k.get(bn.inputs[1]), *beta = k.get(bn.inputs[2]), *mean = k.get(bn.inputs[3]),
                 *var = k.get(bn.inputs[4]);
    if (!is_float_const(w) || !is_float_const(scale) || !is_float_const(beta) || !is_float_const(mean) ||
        !is_float_const(var) || w->rank() < 3)
        return false;
    if (conv.inputs.size() > 2 && !conv.inputs[2].empty() && !is_float_const(bias)) return false;
    bool transpose = conv.op_type == "ConvTranspose";
    int64_t group = conv.attr_int("group", 1);
    int64_t out_channels = transpose ? w->dim(1) * group : w->dim(0);
    if (scale->numel() != out_channels || beta->numel() != out_channels || mean->numel() != out_channels ||
        var->numel() != out_channels)
        return false;
    float eps = bn.attr_float("epsilon", 1e-5f);
    std::vector<float> s(static_cast<size_t>(out_channels));
    for (int64_t c = 0; c < out_channels; ++c)
        s[static_cast<size_t>(c)] = scale->data<float>()[c] / std::sqrt(var->data<float>()[c] + eps);
    Tensor w2 = w->clone();
    float* wd = w2.data<float>();
    if (!transpose) {
        int64_t per = w->numel() / out_channels;
        for (int64_t c = 0; c < out_channels; ++c)
            for (int64_t i = 0; i < per; ++i)
                wd[c * per + i] *= s[static_cast<size_t>(c)];
    } else {  // W [Cin, Cout/group, k...]: output channel = g * (Cout/group) + j
        int64_t cin = w->dim(0), cout_g = w->dim(1), per = w->numel() / (cin * cout_g);
        int64_t cin_g = cin / group;
        for (int64_t ci = 0; ci < cin; ++ci)
            for (int64_t j = 0; j < cout_g; ++j) {
                int64_t oc = (ci / cin_g) * cout_g + j;
                for (int64_t i = 0; i < per; ++i)
                    wd[(ci * cout_g + j) * per + i] *= s[static_cast<size_t>(oc)];
            }
    }
    Tensor b2(DataType::kFloat, {out_channels});
    for (int64_t c = 0; c < out_channels; ++c) {
        float b0 = bias ? bias->data<float>()[c] : 0.0f;
        b2.data<float>()[c] =
            (b0 - mean->data<float>()[c]) * s[static_cast<size_t>(c)] + beta->data<float>()[c];
    }
    std::string wname = conv.inputs[1] + "/lowbit_bn_folded", bname = bn.outputs[0] + "/lowbit_bn_bias";
    k.add(wname, std::move(w2));
    k.add(bname, std::move(b2));
    conv.inputs.resize(3);
    conv.inputs[1] = wname;
    conv.inputs[2] = bname;
    conv.outputs[0] = bn.outputs[0];
    return true;
}

bool absorb_activation(ir::Node& producer, const ir::Node& act, const FusionConstants& k) {
    if (producer.attr(kFusedActivation) || act.outputs.size() != 1) return false;
    std::vector<float> params;
    if (act.op_type == "Relu") {
    } else if (act.op_type == "LeakyRelu") {
        params = {act.attr_float("alpha", 0.01f)};
    } else if (act.op_type == "Clip") {
        float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
        if (act.attr("min") || act.attr("max")) {  // opset < 11: attributes
            lo = act.attr_float("min", lo);
            hi = act.attr_float("max", hi);
        }
        for (size_t i = 1; i < act.inputs.size() && i < 3; ++i) {
            if (act.inputs[i].empty()) continue;
            const Tensor* t = k.get(act.inputs[i]);
            if (!is_float_const(t) || t->numel() != 1) return false;
            (i == 1 ? lo : hi) = t->data<float>()[0];
        }
        params = {lo, hi};
    } else {
        return false;
    }
    producer.attributes.push_back(ir::Attribute::make_string(kFusedActivation, act.op_type));
    producer.attributes.push_back(ir::Attribute::make_floats(kFusedActivationParams, params));
    producer.outputs[0] = act.outputs[0];
    return true;
}

// Value -> indices of the nodes reading it, with the protected values, for pattern matching.
class Readers {
  public:
    Readers(const std::vector<ir::Node>& nodes, const std::unordered_set<std::string>& keep)
        : counts_(count_readers(nodes)), keep_(keep) {
        for (size_t i = 0; i < nodes.size(); ++i)
            for (const auto& in : nodes[i].inputs)
                if (!in.empty()) of_[in].push_back(i);
    }
    // The index of the one node reading `value` (not a graph output), or -1.
    int64_t sole(const std::string& value) const {
        auto it = of_.find(value);
        if (keep_.count(value) || it == of_.end() || it->second.size() != 1) return -1;
        auto c = counts_.find(value);
        return c != counts_.end() && c->second == 1 ? static_cast<int64_t>(it->second[0]) : -1;
    }
    // Indices of the nodes reading `value` (each once), when nothing else (subgraphs, outputs) reads it.
    std::vector<size_t> all(const std::string& value) const {
        auto it = of_.find(value);
        if (keep_.count(value) || it == of_.end()) return {};
        auto c = counts_.find(value);
        if (c == counts_.end() || c->second != static_cast<int>(it->second.size())) return {};
        return it->second;
    }

  private:
    Counts counts_;
    std::unordered_map<std::string, std::vector<size_t>> of_;
    const std::unordered_set<std::string>& keep_;
};

// A float scalar constant's value.
std::optional<float> scalar_const(const std::string& name, const FusionConstants& k) {
    const Tensor* t = k.get(name);
    if (!is_float_const(t) || t->numel() != 1) return std::nullopt;
    return t->data<float>()[0];
}

// For a two-input node reading `value`: its other input ("" if it does not read `value` exactly once).
std::string other_input(const ir::Node& n, const std::string& value) {
    if (n.inputs.size() != 2 || n.outputs.size() != 1 || !n.domain.empty() || n.inputs[0] == n.inputs[1])
        return "";
    if (n.inputs[0] == value) return n.inputs[1];
    if (n.inputs[1] == value) return n.inputs[0];
    return "";
}

// A ReduceMean over the last axis only, keeping dims (the attribute form, opset < 18).
bool is_last_axis_mean(const ir::Node& n) {
    return n.op_type == "ReduceMean" && n.domain.empty() && n.inputs.size() == 1 && n.outputs.size() == 1 &&
           n.attr_int("keepdims", 1) == 1 && n.attr_ints("axes") == std::vector<int64_t>{-1};
}

// The sole reader of `value` if it has op type `op`, else -1.
int64_t next_of(const std::vector<ir::Node>& nodes, const Readers& r, const std::string& value,
                const char* op) {
    const int64_t j = r.sole(value);
    if (j < 0) return -1;
    const ir::Node& n = nodes[static_cast<size_t>(j)];
    return n.op_type == op && n.domain.empty() ? j : -1;
}

// LayerNorm as exported at opset < 17: m = ReduceMean(x), d = Sub(x, m), v = ReduceMean(Pow(d, 2)),
// y = Add(Mul(Div(d, Sqrt(Add(v, eps))), gamma), beta) -> lowbit::LayerNormalization(x, gamma, beta).
bool fuse_layer_norm(std::vector<ir::Node>& nodes, size_t i, const Readers& r, const FusionConstants& k,
                     std::vector<bool>& dead) {
    auto at = [&](int64_t j) -> const ir::Node& { return nodes[static_cast<size_t>(j)]; };
    const ir::Node& mean = nodes[i];
    if (!is_last_axis_mean(mean)) return false;
    const std::string& x = mean.inputs[0];
    int64_t sub = next_of(nodes, r, mean.outputs[0], "Sub");
    if (sub < 0 || at(sub).inputs != std::vector<std::string>{x, mean.outputs[0]}) return false;
    const std::string& d = at(sub).outputs[0];
    auto d_readers = r.all(d);
    if (d_readers.size() != 2) return false;
    int64_t pow = -1, div = -1;
    for (size_t j : d_readers) {
        const ir::Node& n = nodes[j];
        if (n.op_type == "Pow" && n.domain.empty() && n.inputs.size() == 2 && n.inputs[0] == d &&
            scalar_const(n.inputs[1], k) == 2.0f)
            pow = static_cast<int64_t>(j);
        if (n.op_type == "Div" && n.domain.empty() && n.inputs.size() == 2 && n.inputs[0] == d)
            div = static_cast<int64_t>(j);
    }
    if (pow < 0 || div < 0) return false;
    int64_t var = next_of(nodes, r, at(pow).outputs[0], "ReduceMean");
    if (var < 0 || !is_last_axis_mean(at(var))) return false;
    int64_t add_eps = next_of(nodes, r, at(var).outputs[0], "Add");
    if (add_eps < 0) return false;
    auto eps = scalar_const(other_input(at(add_eps), at(var).outputs[0]), k);
    int64_t sqrt = next_of(nodes, r, at(add_eps).outputs[0], "Sqrt");
    if (!eps || sqrt < 0 || r.sole(at(sqrt).outputs[0]) != div || at(div).inputs[1] != at(sqrt).outputs[0])
        return false;
    int64_t mul = next_of(nodes, r, at(div).outputs[0], "Mul");
    if (mul < 0) return false;
    std::string gamma = other_input(at(mul), at(div).outputs[0]);
    int64_t add = next_of(nodes, r, at(mul).outputs[0], "Add");
    if (add < 0) return false;
    std::string beta = other_input(at(add), at(mul).outputs[0]);
    const Tensor *g = k.get(gamma), *b = k.get(beta);
    if (!is_float_const(g) || !is_float_const(b) || g->rank() > 1 || b->rank() > 1) return false;
    ir::Node fused = mean;
    fused.op_type = "LayerNormalization";
    fused.domain = kFusedDomain;
    fused.inputs = {x, gamma, beta};
    fused.outputs = {at(add).outputs[0]};
    fused.attributes = {ir::Attribute::make_int("axis", -1), ir::Attribute::make_float("epsilon", *eps)};
    for (int64_t j : {sub, pow, var, add_eps, sqrt, div, mul, add})
        dead[static_cast<size_t>(j)] = true;
    nodes[i] = std::move(fused);
    return true;
}

// Exact GELU as exported: y = Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) -> Gelu(x).
bool fuse_gelu(std::vector<ir::Node>& nodes, size_t i, const Readers& r, const FusionConstants& k,
               std::vector<bool>& dead) {
    auto at = [&](int64_t j) -> const ir::Node& { return nodes[static_cast<size_t>(j)]; };
    const ir::Node& div = nodes[i];
    if (div.op_type != "Div" || !div.domain.empty() || div.inputs.size() != 2 || div.outputs.size() != 1)
        return false;
    auto root2 = scalar_const(div.inputs[1], k);
    if (!root2 || std::fabs(*root2 - 1.41421356f) > 1e-6f) return false;
    const std::string& x = div.inputs[0];
    int64_t erf = next_of(nodes, r, div.outputs[0], "Erf");
    if (erf < 0) return false;
    int64_t add = next_of(nodes, r, at(erf).outputs[0], "Add");
    if (add < 0 || scalar_const(other_input(at(add), at(erf).outputs[0]), k) != 1.0f) return false;
    int64_t mul = next_of(nodes, r, at(add).outputs[0], "Mul");
    if (mul < 0 || other_input(at(mul), at(add).outputs[0]) != x) return false;
    int64_t half = next_of(nodes, r, at(mul).outputs[0], "Mul");
    if (half < 0 || scalar_const(other_input(at(half), at(mul).outputs[0]), k) != 0.5f) return false;
    ir::Node fused = div;
    fused.op_type = "Gelu";
    fused.inputs = {x};
    fused.outputs = {at(half).outputs[0]};
    fused.attributes.clear();
    for (int64_t j : {erf, add, mul, half})
        dead[static_cast<size_t>(j)] = true;
    nodes[i] = std::move(fused);
    return true;
}

// Drops the nodes marked dead; returns how many.
size_t drop_dead(std::vector<ir::Node>& nodes, const std::vector<bool>& dead) {
    std::vector<ir::Node> kept;
    for (size_t i = 0; i < nodes.size(); ++i)
        if (!dead[i]) kept.push_back(std::move(nodes[i]));
    size_t removed = nodes.size() - kept.size();
    nodes = std::move(kept);
    return removed;
}

}  // namespace

size_t fuse_for_inference(std::vector<ir::Node>& nodes, const std::vector<std::string>& protected_values,
                          const FusionConstants& constants) {
    std::unordered_set<std::string> keep(protected_values.begin(), protected_values.end());
    size_t removed = 0;
    {  // decomposed LayerNorm and GELU into single kernels
        Readers r(nodes, keep);
        std::vector<bool> dead(nodes.size(), false);
        for (size_t i = 0; i < nodes.size(); ++i)
            if (!dead[i] && !fuse_layer_norm(nodes, i, r, constants, dead))
                fuse_gelu(nodes, i, r, constants, dead);
        removed += drop_dead(nodes, dead);
    }
    for (int pass = 0; pass < 2; ++pass) {  // BatchNorm first, then activations
        Counts readers = count_readers(nodes);
        std::unordered_map<std::string, size_t> reader_of;
        for (size_t i = 0; i < nodes.size(); ++i)
            for (const auto& in : nodes[i].inputs)
                if (!in.empty()) reader_of[in] = i;
        std::vector<bool> dead(nodes.size(), false);
        for (size_t i = 0; i < nodes.size(); ++i) {
            ir::Node& n = nodes[i];
            bool conv = n.op_type == "Conv" || n.op_type == "ConvTranspose";
            bool dense = n.op_type == "Gemm" || n.op_type == "MatMul";
            if (!(conv || (pass == 1 && dense)) || !n.domain.empty() || n.outputs.size() != 1) continue;
            const std::string& out = n.outputs[0];
            if (keep.count(out) || readers[out] != 1 || !reader_of.count(out)) continue;
            size_t j = reader_of[out];
            const ir::Node& next = nodes[j];
            if (dead[j] || next.inputs.empty() || next.inputs[0] != out || !next.domain.empty()) continue;
            bool fused = pass == 0 ? (next.op_type == "BatchNormalization" && conv &&
                                      fold_batchnorm(n, next, constants))
                                   : absorb_activation(n, next, constants);
            if (fused) {
                dead[j] = true;
                ++removed;
            }
        }
        drop_dead(nodes, dead);
    }
    return removed;
}

FusedActivation FusedActivation::from_node(const ir::Node& node) {
    FusedActivation f;
    std::string kind = node.attr_string(kFusedActivation, "");
    const ir::Attribute* p = node.attr(kFusedActivationParams);
    if (kind == "Relu") f.kind = kRelu;
    if (kind == "LeakyRelu" && p && p->floats.size() == 1) {
        f.kind = kLeakyRelu;
        f.a = p->floats[0];
    }
    if (kind == "Clip" && p && p->floats.size() == 2) {
        f.kind = kClip;
        f.a = p->floats[0];
        f.b = p->floats[1];
    }
    return f;
}

void FusedActivation::apply(float* data, int64_t n) const {
    switch (kind) {
        case kNone:
            return;
        case kRelu:
            for (int64_t i = 0; i < n; ++i)
                data[i] = data[i] > 0.0f ? data[i] : 0.0f;
            return;
        case kLeakyRelu:
            for (int64_t i = 0; i < n; ++i)
                data[i] = data[i] >= 0.0f ? data[i] : data[i] * a;
            return;
        case kClip:
            for (int64_t i = 0; i < n; ++i)
                data[i] = std::min(std::max(data[i], a), b);
            return;
    }
}

}  // namespace lowbit::runtime
