// lowbit info MODEL [--json] [--top N]: what the model is, its parameters and its MACs.
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/model_summary.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "onnx/onnx_io.h"

namespace lowbit::cli {

namespace {

struct InfoOptions {
    std::string model;
    bool json = false;
    size_t top = 10;
};

int run_info(const InfoOptions& opt) {
    auto model = onnx_io::load_model(opt.model);
    if (!model) return report(model.status());
    analysis::ModelSummary summary = analysis::summarize(*model);
    if (opt.json) {
        nlohmann::json j = analysis::to_json(summary, opt.top);
        j["file"] = opt.model;
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "model       " << opt.model << "\n" << analysis::to_text(summary, opt.top);
    }
    return kExitOk;
}

}  // namespace

void add_info_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<InfoOptions>();
    CLI::App* cmd =
        app.add_subcommand("info", "Describe a model: inputs, outputs, operators, parameters, MACs");
    cmd->add_option("model", opt->model, "ONNX model file")->required();
    cmd->add_flag("--json", opt->json, "Print JSON instead of text");
    cmd->add_option("--top", opt->top, "How many of the largest layers to list")
        ->check(CLI::Range(0, 100000));
    cmd->callback([opt, &runner] { runner = [opt] { return run_info(*opt); }; });
}

}  // namespace lowbit::cli
