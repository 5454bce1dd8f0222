#include <cmath>

#include "ir/op_traits.h"
#include "passes/passes.h"

namespace lowbit::passes {

Result<PassReport> fold_batchnorm(ir::Model& model) {
    PassReport report{"fold_batchnorm", 0, {}};
    ir::Graph& g = model.graph;
    std::vector<ir::NodeId> order = g.order();
    for (ir::NodeId bn_id : order) {
        if (!g.has_node(bn_id)) continue;
        const ir::Node& bn = g.node(bn_id);
        if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.size() < 5) continue;
        if (bn.attr_int("training_mode", 0) != 0) continue;
        bool extra_outputs = false;
        for (size_t k = 1; k < bn.outputs.size(); ++k)
            extra_outputs |= !bn.outputs[k].empty();
        if (extra_outputs) continue;
        auto prod = g.producer(bn.inputs[0]);
        if (!prod) continue;
        const ir::Node& layer = g.node(*prod);
        if (!ir::has_bias_input(layer)) continue;
        if (g.consumers(bn.inputs[0]).size() != 1 || g.is_graph_output(bn.inputs[0])) continue;
        const ir::Tensor* w = layer.inputs.size() > 1 ? g.initializer(layer.inputs[1]) : nullptr;
        const ir::Tensor* b =
            layer.inputs.size() > 2 && !layer.inputs[2].empty() ? g.initializer(layer.inputs[2]) : nullptr;
        if (!w || (layer.inputs.size() > 2 && !layer.inputs[2].empty() && !b)) continue;
        const ir::Tensor *gamma = g.initializer(bn.inputs[1]), *beta = g.initializer(bn.inputs[2]);
        const ir::Tensor *mean = g.initializer(bn.inputs[3]), *var = g.initializer(bn.inputs[4]);
        if (!gamma || !beta || !mean || !var) continue;
        if (w->type != ir::DataType::kFloat) continue;
        // step: output-channel geometry of the weight
        const auto& d = w->dims;
        int64_t channels = 0, outer = 1, inner = 1;
        if (layer.op_type == "Conv" && d.size() >= 3) {
            channels = d[0];
            for (size_t i = 1; i < d.size(); ++i)
                inner *= d[i];
        } else if (layer.op_type == "ConvTranspose" && d.size() >= 3 && layer.attr_int("group", 1) == 1) {
            outer = d[0], channels = d[1];
            for (size_t i = 2; i < d.size(); ++i)
                inner *= d[i];
        } else if (layer.op_type == "Gemm" && d.size() == 2) {
            if (layer.attr_int("transB", 0))
                channels = d[0], inner = d[1];
            else
                outer = d[0], channels = d[1];
        } else {
            continue;
        }
        if (gamma->element_count() != static_cast<uint64_t>(channels) ||
            beta->element_count() != static_cast<uint64_t>(channels) ||
            mean->element_count() != static_cast<uint64_t>(channels) ||
            var->element_count() != static_cast<uint64_t>(channels))
            continue;
        const float eps = bn.attr_float("epsilon", 1e-5f);
        std::vector<float> gm = gamma->to_floats(), bt = beta->to_floats(), mu = mean->to_floats(),
                           vr = var->to_floats();
        std::vector<float> bias =
            b ? b->to_floats() : std::vector<float>(static_cast<size_t>(channels), 0.0f);
        if (b && bias.size() != static_cast<size_t>(channels)) continue;
        float beta_attr = layer.op_type == "Gemm" ? layer.attr_float("beta", 1.0f) : 1.0f;
        // step: scale the weight per channel and fold the shift into the bias
        ir::Tensor nw = *w;
        nw.name = g.unused_name(layer.inputs[1] + "_bnfold");
        auto wv = nw.mutable_view<float>();
        std::vector<float> nb(static_cast<size_t>(channels));
        for (int64_t c = 0; c < channels; ++c) {
            float s = gm[static_cast<size_t>(c)] / std::sqrt(vr[static_cast<size_t>(c)] + eps);
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t i = 0; i < inner; ++i)
                    wv[static_cast<size_t>((o * channels + c) * inner + i)] *= s;
            nb[static_cast<size_t>(c)] =
                (beta_attr * bias[static_cast<size_t>(c)] - mu[static_cast<size_t>(c)]) * s +
                bt[static_cast<size_t>(c)];
        }
        std::string bias_name = g.unused_name((b ? layer.inputs[2] : layer.name + ".bias") + "_bnfold");
        g.set_initializer(nw);
        g.set_initializer(ir::Tensor::from_floats(bias_name, {channels}, nb));
        std::string label = bn.label() + " folded into " + layer.label();
        std::string bn_out = bn.outputs[0];
        ir::NodeId layer_id = *prod;
        g.erase_node(bn_id);
        ir::Node& l = g.mutable_node(layer_id);
        l.inputs.resize(3);
        l.inputs[1] = nw.name;
        l.inputs[2] = bias_name;
        l.outputs[0] = bn_out;
        if (l.op_type == "Gemm") {
            std::erase_if(l.attributes, [](const ir::Attribute& a) { return a.name == "beta"; });
        }
        report.details.push_back(label);
        ++report.changes;
    }
    // weights only the folded layers read are now unused
    passes::remove_unused_initializers(g);
    return report;
}

}  // namespace lowbit::passes
