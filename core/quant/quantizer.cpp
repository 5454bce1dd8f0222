#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "ir/op_traits.h"
#include "quant/placement.h"
#include "quant/plan.h"

namespace lowbit::quant {

namespace {

bool is_default_domain(const ir::Node& n) {
    return n.domain.empty() || n.domain == "ai.onnx";
}

// Whether a layer's result is worth a quantization point of its own: some consumer runs on integers (a
// data-movement op, a residual Add, a Concat, a pool). When it only feeds float elementwise ops (a scale
// and shift, a decomposed HardSwish) the next quantized layer's input is the one rounding point, as AMCT
// places it; rounding the raw result as well doubles the error (PP-OCRv4's backbone lost 0.03 cosine).
bool feeds_integer_op(const ir::Graph& g, const PlacementRules& rules, const std::string& value,
                      const std::set<ir::NodeId>& float_nodes) {
    for (ir::NodeId c : g.consumers(value)) {
        const ir::Node& n = g.node(c);
        if (float_nodes.count(c) || !is_default_domain(n)) continue;
        if (rules.shares_input_params(g, n) && !n.inputs.empty() && n.inputs[0] == value) return true;
        if (rules.own_integer_kernel(g, n)) return true;
    }
    return false;
}

// The value a node's result is quantized at: after a Relu/Clip that alone reads it.
std::pair<std::string, std::vector<ir::NodeId>> quant_point(const ir::Graph& g, const PlacementRules& rules,
                                                            const std::string& value) {
    const auto& cons = g.consumers(value);
    if (cons.size() == 1 && !g.is_graph_output(value)) {
        const ir::Node& c = g.node(cons[0]);
        if (rules.absorbed_activation(g, c) && !c.outputs.empty() && c.inputs[0] == value)
            return {c.outputs[0], {cons[0]}};
    }
    return {value, {}};
}

std::set<std::string> shape_only_values(const ir::Graph& g) {
    std::set<std::string> shape;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        bool is_shape = n.op_type == "Shape" || n.op_type == "Size";
        if (!is_shape) {
            bool any = false, all = true;
            for (const auto& in : n.inputs) {
                if (in.empty() || g.initializer(in)) continue;
                if (shape.count(in))
                    any = true;
                else
                    all = false;
            }
            is_shape = any && all;
        }
        if (is_shape)
            for (const auto& o : n.outputs)
                shape.insert(o);
    }
    return shape;
}

// Each quantizable layer gets the defaults, then the rules in order (later rules win).
void apply_rules(const ir::Graph& g, const QuantSettings& settings, std::vector<LayerPlan>& layers) {
    for (auto& l : layers) {
        if (l.precision != Precision::kInt) continue;  // not quantizable at all
        l.weight_bits = settings.weight_bits;
        l.act_bits = settings.act_bits;
        l.algorithm = settings.algorithm;
        const ir::Node& n = g.node(l.node);
        for (const auto& r : settings.rules) {
            if (!r.matches(n)) continue;
            if (r.precision) l.precision = *r.precision;
            if (r.weight_bits) l.weight_bits = *r.weight_bits;
            if (r.act_bits) l.act_bits = *r.act_bits;
            if (r.algorithm) l.algorithm = *r.algorithm;
            l.rule = r.origin;
        }
    }
}

}  // namespace

bool LayerRule::matches(const ir::Node& node) const {
    switch (match) {
        case Match::kName:
            return node.name == pattern;
        case Match::kGlob:
            return fnmatch(pattern.c_str(), node.name.c_str(), 0) == 0;
        case Match::kOpType:
            return node.op_type == pattern;
    }
    return false;
}

Status QuantSettings::validate() const {
    if (weight_bits < 2 || weight_bits > 16)
        return invalid_input("weight_bit must be 2 to 16, not " + std::to_string(weight_bits));
    if (act_bits != 8 && act_bits != 16)
        return invalid_input("activation_bit must be 8 or 16, not " + std::to_string(act_bits));
    if (auto p = placement_for(target); !p) return p.status();
    for (const auto& r : rules) {
        if (r.weight_bits && (*r.weight_bits < 2 || *r.weight_bits > 16))
            return invalid_input(r.origin + ": weight bits must be 2 to 16, not " +
                                 std::to_string(*r.weight_bits));
        if (r.act_bits && *r.act_bits != 8 && *r.act_bits != 16)
            return invalid_input(r.origin + ": activation bits must be 8 or 16, not " +
                                 std::to_string(*r.act_bits));
    }
    return params.validate();
}

const LayerPlan* QuantPlan::layer(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

int64_t weight_channel_axis(const ir::Node& layer, int64_t rank) {
    if (layer.op_type == "ConvTranspose") return 1;
    if (layer.op_type == "Gemm") return layer.attr_int("transB", 0) ? 0 : 1;
    if (layer.op_type == "MatMul") return rank - 1;
    return 0;
}

std::vector<LayerPlan> find_layers(const ir::Model& model, const PlacementRules* placement) {
    const ir::Graph& g = model.graph;
    const PlacementRules& rules = placement ? *placement : placement_targets().front();
    std::vector<LayerPlan> layers;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        if (!ir::is_compute_op(n) || n.inputs.size() < 2) continue;
        LayerPlan l;
        l.node = id;
        l.name = n.name.empty() ? "#" + std::to_string(id) : n.name;
        l.op_type = n.op_type;
        if (g.initializer(n.inputs[0])) {
            l.precision = Precision::kFp32;
            l.rule = "not quantized: constant first input";
        } else {
            l.inputs.push_back(n.inputs[0]);
        }
        const ir::Tensor* w = g.initializer(n.inputs[1]);
        if (w && w->type == ir::DataType::kFloat)
            l.weight = n.inputs[1];
        else if (!w)
            l.inputs.push_back(n.inputs[1]);
        else {
            l.precision = Precision::kFp32;
            l.rule = "not quantized: weight is not float32";
        }
        if (n.inputs.size() > 2 && !n.inputs[2].empty() && n.op_type != "MatMul") {
            const ir::Tensor* b = g.initializer(n.inputs[2]);
            if (b && b->type == ir::DataType::kFloat && b->dims.size() == 1) l.bias = n.inputs[2];
        }
        auto [point, absorbed] = quant_point(g, rules, n.outputs[0]);
        l.output = point;
        l.absorbed = absorbed;
        layers.push_back(std::move(l));
    }
    return layers;
}

std::vector<LayerPlan> resolve_layers(const ir::Model& model, const QuantSettings& settings) {
    auto rules = placement_for(settings.target);
    std::vector<LayerPlan> layers = find_layers(model, rules ? *rules : nullptr);
    apply_rules(model.graph, settings, layers);
    return layers;
}

std::vector<std::string> observable_tensors(const ir::Model& model) {
    const ir::Graph& g = model.graph;
    std::set<std::string> shape = shape_only_values(g);
    std::vector<std::string> out;
    for (const auto& in : g.inputs)
        if (!g.initializer(in.name)) out.push_back(in.name);
    for (ir::NodeId id : g.order())
        for (const auto& o : g.node(id).outputs)
            if (!o.empty() && !shape.count(o)) out.push_back(o);
    return out;
}

Result<QuantPlan> build_plan(const ir::Model& model, const CalibrationTable& table,
                             const QuantSettings& settings) {
    LOWBIT_RETURN_IF_ERROR(settings.validate());
    LOWBIT_ASSIGN_OR_RETURN(auto placement, placement_for(settings.target));
    const PlacementRules& rules = *placement;
    const ir::Graph& g = model.graph;
    QuantPlan plan;
    plan.target = std::string(rules.target);
    plan.layers = find_layers(model, &rules);
    // step: which nodes a rule keeps in float
    std::set<ir::NodeId> float_nodes;  // any node a rule keeps in float
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        for (const auto& r : settings.rules)
            if (r.precision && r.matches(n)) {
                if (*r.precision == Precision::kInt)
                    float_nodes.erase(id);
                else
                    float_nodes.insert(id);
            }
    }
    for (const auto& r : settings.rules) {
        bool any = false;
        for (ir::NodeId id : g.order())
            any = any || r.matches(g.node(id));
        if (!any) plan.notes.push_back(r.origin + ": matches no layer of this model");
    }
    apply_rules(g, settings, plan.layers);
    // step: which tensors are quantized, with what bits and algorithm
    struct Need {
        int bits = 0;
        Algorithm algorithm = Algorithm::kMinMax;
        std::string shares;
    };
    std::map<std::string, Need> need;
    auto want = [&](const std::string& t, int bits, Algorithm a) {
        auto [it, inserted] = need.emplace(t, Need{bits, a, {}});
        if (!inserted) it->second.bits = std::max(it->second.bits, bits);
    };
    if (!settings.weight_only) {
        for (const auto& l : plan.layers) {
            if (l.precision != Precision::kInt) continue;
            for (const auto& in : l.inputs)
                want(in, l.act_bits, l.algorithm);
            if (!g.is_graph_output(l.output) && feeds_integer_op(g, rules, l.output, float_nodes))
                want(l.output, l.act_bits, l.algorithm);
        }
        for (ir::NodeId id : g.order()) {
            const ir::Node& n = g.node(id);
            if (!is_default_domain(n) || float_nodes.count(id) || n.inputs.empty()) continue;
            if (rules.shares_input_params(g, n) && need.count(n.inputs[0])) {
                const Need src = need[n.inputs[0]];
                for (const auto& o : n.outputs) {
                    if (o.empty() || g.is_graph_output(o)) continue;
                    auto it = need.find(o);
                    if (it != need.end() && it->second.bits > src.bits)
                        continue;  // a consumer needs more bits
                    need[o] = Need{src.bits, src.algorithm, n.inputs[0]};
                }
            } else if (rules.own_integer_kernel(g, n)) {
                bool all = true;
                int bits = 0;
                Algorithm a = settings.algorithm;
                for (const auto& in : n.inputs) {
                    if (in.empty() || g.initializer(in)) continue;
                    auto it = need.find(in);
                    if (it == need.end())
                        all = false;
                    else
                        bits = std::max(bits, it->second.bits), a = it->second.algorithm;
                }
                if (!all || bits == 0) continue;
                auto [point, absorbed] = quant_point(g, rules, n.outputs[0]);
                if (!g.is_graph_output(point)) want(point, bits, a);
            }
        }
    }
    // step: parameters of tensors with their own statistics
    for (const auto& [name, nd] : need) {
        if (!nd.shares.empty()) continue;
        auto it = table.tensors.find(name);
        if (it == table.tensors.end() || it->second.count() == 0) {
            auto prod = g.producer(name);
            return invalid_input("the calibration table has no statistics for tensor '" + name + "'" +
                                 (prod ? " (output of " + g.node(*prod).label() + ")" : std::string()) +
                                 "; calibrate again for this model");
        }
        const TensorObserver& obs = it->second;
        TensorPlan t;
        t.name = name;
        t.spec.bits = nd.bits;
        t.spec.symmetric = settings.symmetric_activations;
        // asymmetric activations are unsigned where the target wants U8S8 (uint8 / uint16, the same grid as
        // int8 with the zero point moved by 128)
        t.spec.is_signed =
            settings.symmetric_activations ? obs.min() < 0.0 : !rules.unsigned_asymmetric_activations;
        auto [lo, hi] = choose_range(obs, t.spec, nd.algorithm, settings.params);
        t.clip_lo = lo, t.clip_hi = hi;
        t.params = params_for_range(t.spec, {&lo, 1}, {&hi, 1});
        t.algorithm = std::string(name_of(nd.algorithm));
        plan.activations[name] = std::move(t);
    }
    // step: shared parameters, resolved along chains in schedule order
    for (ir::NodeId id : g.order())
        for (const auto& o : g.node(id).outputs) {
            auto it = need.find(o);
            if (it == need.end() || it->second.shares.empty()) continue;
            auto src = plan.activations.find(it->second.shares);
            if (src == plan.activations.end()) continue;
            TensorPlan t = src->second;
            t.name = o;
            t.shares = src->second.shares.empty() ? src->first : src->second.shares;
            t.algorithm = "shared";
            plan.activations[o] = std::move(t);
        }
    // step: weights
    for (const auto& l : plan.layers) {
        if (l.precision != Precision::kInt || l.weight.empty()) continue;
        const ir::Tensor& w = *g.initializer(l.weight);
        const ir::Node& n = g.node(l.node);
        TensorPlan t;
        t.name = l.weight;
        t.spec.bits = l.weight_bits;
        t.spec.is_signed = true;
        t.spec.symmetric = true;
        t.spec.narrow_range = true;
        const auto rank = static_cast<int64_t>(w.dims.size());
        // a grouped ConvTranspose's axis 1 holds only one group's output channels
        if (settings.per_channel && rank >= 2 &&
            (l.op_type != "ConvTranspose" || n.attr_int("group", 1) == 1)) {
            t.spec.per_channel = true;
            t.spec.axis = weight_channel_axis(n, rank);
        }
        t.params = weight_params(w.view<float>(), w.dims, t.spec, settings.weight_algorithm);
        t.algorithm = std::string(name_of(settings.weight_algorithm));
        auto existing = plan.weights.find(l.weight);
        if (existing != plan.weights.end() && existing->second.spec.bits >= t.spec.bits) continue;
        plan.weights[l.weight] = std::move(t);
    }
    return plan;
}

QuantPlan restrict_to_layer(const QuantPlan& plan, const LayerPlan& layer) {
    QuantPlan one;
    one.target = plan.target;
    one.layers.push_back(layer);
    if (layer.precision != Precision::kInt) return one;
    for (const auto& in : layer.inputs) {
        auto it = plan.activations.find(in);
        if (it != plan.activations.end()) one.activations[in] = it->second;
    }
    auto out = plan.activations.find(layer.output);
    if (out != plan.activations.end()) one.activations[layer.output] = out->second;
    auto w = plan.weights.find(layer.weight);
    if (w != plan.weights.end()) one.weights[layer.weight] = w->second;
    auto r = plan.rounded_weights.find(layer.weight);
    if (r != plan.rounded_weights.end()) one.rounded_weights.insert(*r);
    auto c = plan.bias_corrections.find(layer.name);
    if (c != plan.bias_corrections.end()) one.bias_corrections.insert(*c);
    return one;
}

IsolatedLayer isolate_layer(const ir::Model& prepared, const LayerPlan& l, bool absorbed) {
    const ir::Graph& g = prepared.graph;
    IsolatedLayer r;
    ir::Model& mini = r.model;
    mini.ir_version = prepared.ir_version;
    mini.opset_imports = prepared.opset_imports;
    std::vector<ir::NodeId> nodes = {l.node};
    if (absorbed) nodes.insert(nodes.end(), l.absorbed.begin(), l.absorbed.end());
    r.layer = l;
    if (!absorbed) r.layer.absorbed.clear(), r.layer.output = g.node(l.node).outputs[0];
    for (size_t k = 0; k < nodes.size(); ++k) {
        const ir::Node& n = g.node(nodes[k]);
        for (const auto& in : n.inputs)
            if (!in.empty() && g.initializer(in) && !mini.graph.initializer(in))
                mini.graph.set_initializer(*g.initializer(in));
        ir::NodeId nid = mini.graph.add_node(n);
        if (k == 0)
            r.layer.node = nid;
        else
            r.layer.absorbed[k - 1] = nid;
    }
    for (const auto& in : l.inputs) {
        auto vi = g.find_value_info(in);
        ir::ValueInfo v = vi ? *vi : ir::ValueInfo::named(in);
        v.has_shape = false;
        v.dims.clear();
        if (!v.has_type) v.has_type = true, v.elem_type = ir::DataType::kFloat;
        mini.graph.inputs.push_back(v);
    }
    mini.graph.outputs.push_back(ir::ValueInfo::named(r.layer.output));
    return r;
}

}  // namespace lowbit::quant
