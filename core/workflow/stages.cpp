#include "workflow/stages.h"

#include "quant/bias_correction.h"
#include "quant/gptq.h"

namespace lowbit::workflow {

namespace {

Stage gptq_stage() {
    Stage s;
    s.name = "gptq";
    s.share = 0.25;
    s.layers = [](const quant::QuantPlan& plan, const Recipe& r) {
        return quant::gptq_layers(plan, r.weight_rounding);
    };
    s.run = [](StageContext& c, quant::LayerPassOptions base, std::vector<std::string>& warnings) -> Status {
        if (!c.source) {
            warnings.push_back("GPTQ weight rounding skipped (weights rounded to nearest): " + c.no_data);
            return Status::ok();
        }
        quant::GptqOptions go;
        static_cast<quant::LayerPassOptions&>(go) = std::move(base);
        LOWBIT_ASSIGN_OR_RETURN(auto rounded, quant::gptq_round_weights(c.prepared, c.plan, *c.source, go));
        c.plan.rounded_weights = std::move(rounded.weights);
        for (auto& n : rounded.notes)
            c.plan.notes.push_back(std::move(n));
        return Status::ok();
    };
    return s;
}

Stage bias_correction_stage() {
    Stage s;
    s.name = "bias_correction";
    s.share = 0.3;
    s.layers = [](const quant::QuantPlan& plan, const Recipe& r) {
        return quant::bias_correction_layers(plan, r.bias_correction);
    };
    s.run = [](StageContext& c, quant::LayerPassOptions base, std::vector<std::string>& warnings) -> Status {
        if (!c.source) {
            warnings.push_back("bias correction skipped: " + c.no_data);
            return Status::ok();
        }
        quant::BiasCorrectionOptions bo;
        static_cast<quant::LayerPassOptions&>(bo) = std::move(base);
        LOWBIT_ASSIGN_OR_RETURN(auto corrections,
                                quant::estimate_bias_corrections(c.prepared, c.plan, *c.source, bo));
        c.plan.bias_corrections = std::move(corrections);
        return Status::ok();
    };
    return s;
}

}  // namespace

const std::vector<Stage>& post_plan_stages() {
    static const std::vector<Stage> list = {gptq_stage(), bias_correction_stage()};
    return list;
}

}  // namespace lowbit::workflow
