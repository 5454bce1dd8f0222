#include "runtime/fusion.h"

#include <cmath>
#include <limits>
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
                for (const auto& name : sub.captured_names()) ++c[name];
    }
    return c;
}

bool is_float_const(const Tensor* t) { return t && t->type() == DataType::kFloat; }

// Conv(x, W, b) -> BatchNormalization(scale, B, mean, var): W' = W * s, b' = (b - mean) * s + B, s = scale / sqrt(var + eps)
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
    for (int64_t c = 0; c < out_channels; ++c) s[static_cast<size_t>(c)] = scale->data<float>()[c] / std::sqrt(var->data<float>()[c] + eps);
    Tensor w2 = w->clone();
    float* wd = w2.data<float>();
    if (!transpose) {
        int64_t per = w->numel() / out_channels;
        for (int64_t c = 0; c < out_channels; ++c)
            for (int64_t i = 0; i < per; ++i) wd[c * per + i] *= s[static_cast<size_t>(c)];
    } else {  // W [Cin, Cout/group, k...]: output channel = g * (Cout/group) + j
        int64_t cin = w->dim(0), cout_g = w->dim(1), per = w->numel() / (cin * cout_g);
        int64_t cin_g = cin / group;
        for (int64_t ci = 0; ci < cin; ++ci)
            for (int64_t j = 0; j < cout_g; ++j) {
                int64_t oc = (ci / cin_g) * cout_g + j;
                for (int64_t i = 0; i < per; ++i) wd[(ci * cout_g + j) * per + i] *= s[static_cast<size_t>(oc)];
            }
    }
    Tensor b2(DataType::kFloat, {out_channels});
    for (int64_t c = 0; c < out_channels; ++c) {
        float b0 = bias ? bias->data<float>()[c] : 0.0f;
        b2.data<float>()[c] = (b0 - mean->data<float>()[c]) * s[static_cast<size_t>(c)] + beta->data<float>()[c];
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

}  // namespace

size_t fuse_for_inference(std::vector<ir::Node>& nodes, const std::vector<std::string>& protected_values,
                          const FusionConstants& constants) {
    std::unordered_set<std::string> keep(protected_values.begin(), protected_values.end());
    size_t removed = 0;
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
            bool fused = pass == 0 ? (next.op_type == "BatchNormalization" && conv && fold_batchnorm(n, next, constants))
                                   : absorb_activation(n, next, constants);
            if (fused) {
                dead[j] = true;
                ++removed;
            }
        }
        std::vector<ir::Node> kept;
        for (size_t i = 0; i < nodes.size(); ++i)
            if (!dead[i]) kept.push_back(std::move(nodes[i]));
        nodes = std::move(kept);
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
        case kNone: return;
        case kRelu:
            for (int64_t i = 0; i < n; ++i) data[i] = data[i] > 0.0f ? data[i] : 0.0f;
            return;
        case kLeakyRelu:
            for (int64_t i = 0; i < n; ++i) data[i] = data[i] >= 0.0f ? data[i] : data[i] * a;
            return;
        case kClip:
            for (int64_t i = 0; i < n; ++i) data[i] = std::min(std::max(data[i], a), b);
            return;
    }
}

}  // namespace lowbit::runtime
