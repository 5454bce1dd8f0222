// lowbit export MODEL|PROJECT.yaml --table calibration.json [--format qdq] [-o OUT] [--config C.yaml] [--set
// k=v] Writes a format's files from a stored calibration table without running the calibration again: the
// plan is rebuilt from the table and the recipe (the project's, or --config and --set), then the chosen
// exporter writes its files, all or none. Post-plan stages that need data (GPTQ, bias correction) run when
// the recipe names calibration data (--calib); otherwise they are skipped with a warning.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "export/exporter.h"
#include "workflow/pipeline.h"

namespace lowbit::cli {

namespace {

struct ExportOptions {
    std::string input, table, format = "qdq", out, config, calib;
    std::vector<std::string> sets;
    bool quiet = false;
};

bool is_project(const std::filesystem::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml";
}

int run_export(const ExportOptions& opt) {
    namespace fs = std::filesystem;
    // step: the format first, so a typo costs nothing
    auto exporter = exporter::find_exporter(opt.format);
    if (!exporter) return report(exporter.status());
    // step: the recipe: the project's, or --config, then --set and --calib
    std::vector<std::string> ov = opt.sets;
    if (!opt.calib.empty())
        ov.push_back("calibration.data.path=\"" + fs::absolute(opt.calib).string() + "\"");
    ov.push_back("calibration.error_samples=0");  // export measures nothing
    const bool project = is_project(opt.input);
    if (project && !opt.config.empty())
        return report(
            invalid_input("give either a project file or --config, not both (the project is the config)"));
    const fs::path config = project ? fs::path(opt.input) : fs::path(opt.config);
    auto recipe = config.empty() ? workflow::parse_recipe("{}", "command line", fs::current_path(), ov)
                                 : workflow::load_recipe(config, ov);
    if (!recipe) return report(recipe.status());
    fs::path model = project ? recipe->model : fs::path(opt.input);
    if (model.empty()) return report(invalid_input(opt.input + ": the project names no model (key 'model')"));
    const fs::path out = opt.out.empty() ? fs::absolute(opt.table).parent_path() : fs::path(opt.out);
    // step: never write over the input model or the table
    for (const auto& name : (*exporter)->file_names()) {
        std::error_code e1, e2;
        const fs::path target = out / name;
        if (fs::equivalent(target, model, e1) || fs::equivalent(target, opt.table, e2))
            return report(invalid_input(
                target.string() + ": the export would overwrite its own input; choose another -o folder"));
    }
    if (!opt.quiet)
        for (const auto& w : recipe->warnings)
            std::fprintf(stderr, "lowbit: warning: %s\n", w.c_str());

    workflow::QuantizeJob job;
    job.model_path = model;
    job.recipe = *recipe;
    job.table = opt.table;
    job.evaluate = false;
    auto result = workflow::run_quantize(job);
    if (!result) return report(result.status());
    workflow::OutputSelection selection;
    selection.format = opt.format;
    selection.table = selection.report = false;
    auto written = workflow::write_outputs(*result, *recipe, out, selection);
    if (!written) return report(written.status());
    if (!opt.quiet) {
        for (const auto& w : result->warnings)
            if (w.stage != "recipe") std::fprintf(stderr, "lowbit: warning: %s\n", w.text.c_str());
        for (const auto& p : *written)
            std::printf("wrote %s\n", p.string().c_str());
    }
    return kExitOk;
}

}  // namespace

void add_export_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<ExportOptions>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Write a deployable format from a calibration table, without calibrating again");
    cmd->add_option("model", opt->input,
                    "ONNX model, or a project file (.yaml) naming the model and its settings")
        ->required();
    cmd->add_option("--table", opt->table, "calibration.json from `lowbit quantize` or the studio")
        ->required();
    cmd->add_option("--format", opt->format, "Format: " + exporter::exporter_names() + " (default qdq)");
    cmd->add_option("-o,--output", opt->out, "Output folder (default: the table's folder)");
    cmd->add_option("--config", opt->config, "YAML config with the quantization settings (docs/CONFIG.md)");
    cmd->add_option("--set", opt->sets, "Override a config key: section.key=value (repeatable)");
    cmd->add_option("--calib", opt->calib,
                    "Calibration data, for the stages that need it (GPTQ, bias correction)");
    cmd->add_flag("-q,--quiet", opt->quiet, "No warnings on stderr");
    cmd->callback([opt, &runner] { runner = [opt] { return run_export(*opt); }; });
}

}  // namespace lowbit::cli
