#include "quant/simulate.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <set>

#include "ir/op_traits.h"
#include "passes/passes.h"
#include "quant/bias_correction.h"
#include "quant/placement.h"

namespace lowbit::quant {

namespace {

using quant::Precision;
using quant::TensorPlan;

// A tensor of integer values stored in `type` (4-bit packed two per byte, low nibble first).
ir::Tensor int_tensor(const std::string& name, ir::DataType type, std::vector<int64_t> dims,
                      const std::vector<int32_t>& v) {
    ir::Tensor t;
    t.name = name;
    t.type = type;
    t.dims = std::move(dims);
    switch (type) {
        case ir::DataType::kInt8:
        case ir::DataType::kUint8:
            for (int32_t x : v)
                t.data.push_back(static_cast<uint8_t>(x));
            break;
        case ir::DataType::kInt16:
        case ir::DataType::kUint16:
            for (int32_t x : v) {
                auto u = static_cast<uint16_t>(x);
                t.data.push_back(static_cast<uint8_t>(u & 0xff));
                t.data.push_back(static_cast<uint8_t>(u >> 8));
            }
            break;
        case ir::DataType::kInt32:
            t.data.resize(v.size() * 4);
            std::memcpy(t.data.data(), v.data(), t.data.size());
            break;
        case ir::DataType::kInt4:
        case ir::DataType::kUint4:
            t.data.assign((v.size() + 1) / 2, 0);
            for (size_t i = 0; i < v.size(); ++i)
                t.data[i / 2] |= static_cast<uint8_t>((static_cast<uint32_t>(v[i]) & 0xf) << (i % 2 ? 4 : 0));
            break;
        default:
            break;
    }
    return t;
}

bool needs_opset21(const ir::DataType t) {
    return t == ir::DataType::kInt4 || t == ir::DataType::kUint4 || t == ir::DataType::kInt16 ||
           t == ir::DataType::kUint16;
}

struct Builder {
    ir::Model m;
    ir::Graph& g;
    std::vector<std::string> notes;
    explicit Builder(const ir::Model& model) : m(model), g(m.graph) {}

    // Scale and zero-point initializers of a plan (scalars, or vectors along the axis).
    std::pair<std::string, std::string> add_params(const std::string& base, const TensorPlan& t) {
        const bool vec = t.spec.per_channel && t.params.scale.size() > 1;
        std::vector<int64_t> dims =
            vec ? std::vector<int64_t>{static_cast<int64_t>(t.params.scale.size())} : std::vector<int64_t>{};
        std::string s = g.unused_name(base + "_scale"), z = g.unused_name(base + "_zero_point");
        g.set_initializer(
            ir::Tensor::from_floats(s, dims, vec ? t.params.scale : std::vector<float>{t.params.scale[0]}));
        g.set_initializer(
            int_tensor(z, t.spec.storage_type(), dims,
                       vec ? t.params.zero_point : std::vector<int32_t>{t.params.zero_point[0]}));
        return {s, z};
    }

    // Adds a layer's bias correction: to a new bias initializer (Conv/ConvTranspose/Gemm, created when the
    // layer has none; Gemm's divided by beta) whose name is returned, or to the constant of a MatMul's bias
    // Add (returns ""). Fails when the correction does not fit the layer.
    Result<std::string> correct_bias(const quant::LayerPlan& l, const std::vector<float>& delta) {
        const auto bad = [&](const std::string& why) {
            return internal_error(l.name + ": bias correction " + why);
        };
        if (!quant::bias_correction_axis(g, l)) return bad("for a layer that cannot take one");
        const ir::Node& n = g.node(l.node);
        const auto C = static_cast<int64_t>(delta.size());
        if (n.op_type == "MatMul") {
            auto add = quant::matmul_bias_add(g, l);
            const ir::Tensor& c = *g.initializer(g.node(add->node).inputs[add->slot]);
            std::vector<float> v = c.to_floats();
            if (static_cast<int64_t>(v.size()) != C)
                return bad("has " + std::to_string(C) + " channels, the bias Add " +
                           std::to_string(v.size()));
            for (int64_t k = 0; k < C; ++k)
                v[static_cast<size_t>(k)] += delta[static_cast<size_t>(k)];
            std::string name = g.unused_name(c.name + "_corrected");
            g.set_initializer(ir::Tensor::from_floats(name, c.dims, v));
            g.mutable_node(add->node).inputs[add->slot] = name;
            return std::string();
        }
        std::vector<float> v(static_cast<size_t>(C), 0.0f);
        if (!l.bias.empty()) {
            v = g.initializer(l.bias)->to_floats();
            if (static_cast<int64_t>(v.size()) != C)
                return bad("has " + std::to_string(C) + " channels, the bias " + std::to_string(v.size()));
        }
        const float beta = n.op_type == "Gemm" ? n.attr_float("beta", 1.0f) : 1.0f;
        for (int64_t k = 0; k < C; ++k)
            v[static_cast<size_t>(k)] += delta[static_cast<size_t>(k)] / beta;
        std::string name = g.unused_name((l.bias.empty() ? l.name + "_bias" : l.bias) + "_corrected");
        g.set_initializer(ir::Tensor::from_floats(name, {C}, v));
        ir::Node& m = g.mutable_node(l.node);
        if (m.inputs.size() < 3) m.inputs.resize(3);
        m.inputs[2] = name;
        return name;
    }

    ir::Node dq_node(const std::string& name, std::vector<std::string> inputs, const std::string& out,
                     const TensorPlan* t) {
        ir::Node n;
        n.name = name;
        n.op_type = "DequantizeLinear";
        n.inputs = std::move(inputs);
        n.outputs = {out};
        if (t && t->spec.per_channel && t->params.scale.size() > 1)
            n.attributes.push_back(ir::Attribute::make_int("axis", t->spec.axis));
        return n;
    }
};

}  // namespace

namespace {

std::atomic<int64_t> g_models{0}, g_layers{0};

Result<Simulation> build(const ir::Model& prepared, const QuantPlan& plan);

}  // namespace

std::string dequantized_name(const std::string& name) {
    return name + "_dequantized";
}

SimulationCounts simulation_counts() {
    return {g_models.load(), g_layers.load()};
}

Result<Simulation> simulate(const ir::Model& prepared, const QuantPlan& plan) {
    ++g_models;
    return build(prepared, plan);
}

Result<LayerSimulation> simulate_layer(const ir::Model& prepared, const QuantPlan& plan,
                                       const LayerPlan& layer, bool with_activation,
                                       bool with_bias_correction) {
    ++g_layers;
    auto [mini, ml] = isolate_layer(prepared, layer, with_activation);
    QuantPlan one = restrict_to_layer(plan, layer);
    one.layers[0] = ml;
    if (!with_activation) one.activations.erase(layer.output);
    // a MatMul's correction lives in its bias Add, which the layer alone does not have
    if (!with_bias_correction || !bias_correction_axis(mini.graph, ml)) one.bias_corrections.clear();
    auto sim = build(mini, one);
    if (!sim) return sim.status().with_context(layer.name);
    LayerSimulation r;
    r.model = std::move(sim->model);
    r.output = one.activations.count(ml.output) ? dequantized_name(ml.output) : ml.output;
    return r;
}

namespace {

Result<Simulation> build(const ir::Model& prepared, const QuantPlan& plan) {
    Builder b(prepared);
    ir::Graph& g = b.g;
    // step: opset: per-axis QDQ needs 13; 4- and 16-bit types need 21
    bool v21 = false;
    for (const auto& [n, t] : plan.activations)
        v21 |= needs_opset21(t.spec.storage_type());
    for (const auto& [n, t] : plan.weights)
        v21 |= needs_opset21(t.spec.storage_type());
    bool any_fp16 = false;
    for (const auto& l : plan.layers)
        any_fp16 |= l.precision == Precision::kFp16;
    if (!plan.activations.empty() || !plan.weights.empty() || any_fp16) {
        LOWBIT_ASSIGN_OR_RETURN(auto up, passes::upgrade_opset(b.m, v21 ? 21 : 13));
    }
    std::map<ir::NodeId, const quant::LayerPlan*> layer_of;
    for (const auto& l : plan.layers)
        layer_of[l.node] = &l;
    LOWBIT_ASSIGN_OR_RETURN(auto placement, placement_for(plan.target));
    const bool float_reads_float = placement->float_layers_read_float;
    auto is_float_weighted = [&](ir::NodeId id) {
        if (!float_reads_float) return false;
        auto it = layer_of.find(id);
        if (it == layer_of.end() || it->second->precision != Precision::kFp32) return false;
        return ir::has_bias_input(g.node(id));
    };
    // step: weights behind DequantizeLinear
    std::map<std::string, std::string> weight_dq;  // float weight -> its dequantized value
    for (const auto& [wname, t] : plan.weights) {
        const ir::Tensor* w = g.initializer(wname);
        if (!w) return internal_error("plan names weight '" + wname + "' that the model does not have");
        std::vector<int32_t> q;
        if (auto r = plan.rounded_weights.find(wname); r != plan.rounded_weights.end()) {
            if (r->second.size() != w->view<float>().size())
                return internal_error("plan's rounded weight '" + wname + "' has " +
                                      std::to_string(r->second.size()) + " values, the weight " +
                                      std::to_string(w->view<float>().size()));
            for (int32_t v : r->second)
                if (v < t.spec.qmin() || v > t.spec.qmax())
                    return internal_error("plan's rounded weight '" + wname + "' holds " + std::to_string(v) +
                                          ", outside its grid");
            q = r->second;
        } else {
            q = quant::quantize_values(w->view<float>(), w->dims, t.spec, t.params);
        }
        std::string qname = g.unused_name(wname + "_quantized");
        g.set_initializer(int_tensor(qname, t.spec.storage_type(), w->dims, q));
        auto [s, z] = b.add_params(wname, t);
        std::string out = g.unused_name(dequantized_name(wname));
        g.add_node(b.dq_node(wname + "_DequantizeLinear", {qname, s, z}, out, &t));
        weight_dq[wname] = out;
    }
    // step: int layers read dequantized weights and INT32 biases
    for (const auto& l : plan.layers) {
        if (l.precision != Precision::kInt) continue;
        ir::Node& n = g.mutable_node(l.node);
        auto wd = weight_dq.find(l.weight);
        if (wd == weight_dq.end()) continue;
        n.inputs[1] = wd->second;
        std::string bias_name = l.bias;
        if (auto c = plan.bias_corrections.find(l.name); c != plan.bias_corrections.end()) {
            auto corrected = b.correct_bias(l, c->second);
            if (!corrected) return corrected.status();
            bias_name = *corrected;
        }
        if (bias_name.empty() || l.inputs.empty()) continue;
        auto in = plan.activations.find(l.inputs[0]);
        if (in == plan.activations.end()) continue;  // weight-only: the bias stays float
        const TensorPlan& wt = plan.weights.at(l.weight);
        const ir::Tensor& bias = *g.initializer(bias_name);
        auto bv = bias.view<float>();
        const size_t channels = bv.size();
        const bool per = wt.params.scale.size() > 1;
        if (per && wt.params.scale.size() != channels) continue;
        std::vector<float> scales(per ? channels : 1);
        std::vector<int32_t> q(channels);
        bool overflow = false;
        for (size_t c = 0; c < channels; ++c) {
            float s = in->second.params.scale[0] * wt.params.scale[per ? c : 0];
            scales[per ? c : 0] = s;
            double v = std::nearbyint(static_cast<double>(bv[c]) / s);
            if (std::abs(v) > 2147483647.0) overflow = true;
            q[c] = static_cast<int32_t>(std::clamp(v, -2147483647.0, 2147483647.0));
        }
        if (overflow) {
            b.notes.push_back(l.name + ": bias kept in float (INT32 would overflow)");
            continue;
        }
        std::string qname = g.unused_name(bias_name + "_quantized"),
                    sname = g.unused_name(bias_name + "_scale");
        g.set_initializer(int_tensor(qname, ir::DataType::kInt32, {static_cast<int64_t>(channels)}, q));
        g.set_initializer(ir::Tensor::from_floats(
            sname, per ? std::vector<int64_t>{static_cast<int64_t>(channels)} : std::vector<int64_t>{},
            scales));
        std::string out = g.unused_name(dequantized_name(bias_name));
        ir::Node dq = b.dq_node(bias_name + "_DequantizeLinear", {qname, sname}, out, nullptr);
        if (per) dq.attributes.push_back(ir::Attribute::make_int("axis", 0));
        g.add_node(std::move(dq));
        g.mutable_node(l.node).inputs[2] = out;
    }
    // step: activations: one Q/DQ pair after the producer, shared by the readers
    std::map<std::string, std::pair<std::string, std::string>> params_of;
    for (const auto& [name, t] : plan.activations) {
        std::vector<ir::NodeId> readers = g.consumers(name);
        std::pair<std::string, std::string> sz;
        auto shared = t.shares.empty() ? params_of.end() : params_of.find(t.shares);
        if (shared != params_of.end())
            sz = shared->second;
        else
            sz = b.add_params(name, t);
        params_of[name] = sz;
        std::string qv = g.unused_name(name + "_quantized"), dv = g.unused_name(dequantized_name(name));
        ir::Node q;
        q.name = name + "_QuantizeLinear";
        q.op_type = "QuantizeLinear";
        q.inputs = {name, sz.first, sz.second};
        q.outputs = {qv};
        g.add_node(std::move(q));
        g.add_node(b.dq_node(name + "_DequantizeLinear", {qv, sz.first, sz.second}, dv, nullptr));
        for (ir::NodeId r : readers) {
            if (is_float_weighted(r)) continue;  // see the header: float layers must not read a DQ
            for (auto& in : g.mutable_node(r).inputs)
                if (in == name) in = dv;
        }
    }
    // step: FP16 layers between Casts
    for (const auto& l : plan.layers) {
        if (l.precision != Precision::kFp16) continue;
        ir::Node n = g.node(l.node);
        for (size_t i = 0; i < n.inputs.size(); ++i) {
            const std::string in = n.inputs[i];
            if (in.empty()) continue;
            if (const ir::Tensor* c = g.initializer(in)) {
                if (c->type != ir::DataType::kFloat) continue;
                ir::Tensor h;
                h.name = g.unused_name(in + "_fp16");
                h.type = ir::DataType::kFloat16;
                h.dims = c->dims;
                for (float v : c->view<float>()) {
                    uint16_t u = ir::float_to_half(v);
                    h.data.push_back(static_cast<uint8_t>(u & 0xff));
                    h.data.push_back(static_cast<uint8_t>(u >> 8));
                }
                n.inputs[i] = h.name;
                g.set_initializer(std::move(h));
            } else {
                std::string out = g.unused_name(in + "_to_fp16_" + l.name);
                ir::Node cast;
                cast.name = g.unused_name(l.name + "_input" + std::to_string(i) + "_Cast");
                cast.op_type = "Cast";
                cast.inputs = {in};
                cast.outputs = {out};
                cast.attributes.push_back(
                    ir::Attribute::make_int("to", static_cast<int64_t>(ir::DataType::kFloat16)));
                g.add_node(std::move(cast));
                n.inputs[i] = out;
            }
        }
        std::string y = n.outputs[0], yh = g.unused_name(y + "_fp16");
        n.outputs[0] = yh;
        g.mutable_node(l.node) = n;
        ir::Node cast;
        cast.name = g.unused_name(l.name + "_output_Cast");
        cast.op_type = "Cast";
        cast.inputs = {yh};
        cast.outputs = {y};
        cast.attributes.push_back(ir::Attribute::make_int("to", static_cast<int64_t>(ir::DataType::kFloat)));
        g.add_node(std::move(cast));
    }
    // step: float initializers nobody reads any more
    passes::remove_unused_initializers(g);
    g.inferred.clear();
    g.value_info.clear();  // types of rewritten values changed; shape inference recomputes them
    LOWBIT_RETURN_IF_ERROR(g.sort_topologically());
    Simulation r{std::move(b.m), std::move(b.notes)};
    r.model.metadata_props.emplace_back("lowbit.quantized", "qdq");
    return r;
}

}  // namespace

}  // namespace lowbit::quant
