// The stages that run after planning, in one explicit list: each takes the plan built from the table, says
// which layers it wants, runs over the calibration data and records its result in the plan (GPTQ's integer
// weights, bias corrections). Later: AdaRound, pruning reconstruction, sensitivity. A stage declares its
// share of the progress bar; its warnings (skipped for lack of data, layers left alone) are its own.
// To add one: write the algorithm in quant/ (or analysis/, prune/), then a Stage here and a row in
// post_plan_stages().
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "data/source.h"
#include "ir/model.h"
#include "quant/layer_pass.h"
#include "quant/plan.h"
#include "workflow/recipe.h"

namespace lowbit::workflow {

// What a stage works on. `source` is null when no calibration data could be opened (`no_data` says why).
struct StageContext {
    const Recipe& recipe;
    const ir::Model& prepared;  // the float model the plan belongs to
    quant::QuantPlan& plan;
    data::DataSource* source = nullptr;
    std::string no_data;
};

struct Stage {
    std::string name;  // "gptq", "bias_correction"
    double share = 0;  // of the progress bar between planning and the simulation
    // The layers it wants for this plan and recipe; none: the stage does not run.
    std::function<std::set<std::string>(const quant::QuantPlan&, const Recipe&)> layers;
    // Runs on `layers` (options carry them, the data settings, progress and cancellation); warnings it adds
    // are reported under its name.
    std::function<Status(StageContext&, quant::LayerPassOptions, std::vector<std::string>& warnings)> run;
};

// GPTQ weight rounding, then bias correction (which must see the rounded weights).
const std::vector<Stage>& post_plan_stages();

}  // namespace lowbit::workflow
