// lowbit quantize MODEL --config C.yaml --calib DATA -o OUT/ [--table calibration.json] [flags]
// Writes OUT/model_qdq.onnx, OUT/calibration.json and OUT/report.json together; Ctrl-C stops cleanly.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "export/exporter.h"
#include "workflow/pipeline.h"

namespace lowbit::cli {

namespace {

struct QuantizeOptions {
    std::string model, config, calib, out, table, format = "qdq";
    std::vector<std::string> sets, sensitive;
    std::string method, algorithm, weight_algorithm;
    int weight_bit = 0, activation_bit = 0, threads = -1;
    int64_t num_samples = 0, batch_size = 0, error_samples = -1;
    bool per_tensor = false, symmetric = false, json = false, quiet = false;
    std::string eval_data, eval_labels;
    int64_t eval_limit = 0;
};

CancelToken g_cancel;

extern "C" void on_sigint(int) {
    g_cancel.cancel();
}

std::string quoted_list(const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + std::string("\"") + v[i] + "\"";
    return s + "]";
}

void print_summary(const workflow::QuantizeResult& r, const std::string& out,
                   const std::string& format_file) {
    std::map<std::string, const analysis::LayerError*> err;
    for (const auto& e : r.errors)
        err[e.layer] = &e;
    std::printf("%-28s %-14s %-9s %-6s %9s %9s %9s  %s\n", "layer", "op", "precision", "w/a", "cos(acc)",
                "SQNR(acc)", "SQNR(iso)", "rule");
    for (const auto& l : r.plan.layers) {
        std::string bits = "-";
        if (l.precision == quant::Precision::kInt)
            bits = (l.weight.empty() ? std::string("-") : std::to_string(l.weight_bits)) + "/" +
                   (r.plan.activations.empty() ? std::string("-") : std::to_string(l.act_bits));
        auto it = err.find(l.name);
        char cos[32] = "-", acc[32] = "-", iso[32] = "-";
        if (it != err.end()) {
            std::snprintf(cos, sizeof cos, "%.5f", it->second->accumulated.cosine());
            std::snprintf(acc, sizeof acc, "%.1f dB", it->second->accumulated.sqnr_db());
            if (it->second->isolated.count)
                std::snprintf(iso, sizeof iso, "%.1f dB", it->second->isolated.sqnr_db());
        }
        std::printf("%-28s %-14s %-9s %-6s %9s %9s %9s  %s\n", l.name.c_str(), l.op_type.c_str(),
                    std::string(quant::name_of(l.precision)).c_str(), bits.c_str(), cos, acc, iso,
                    l.rule.c_str());
    }
    std::printf("\nmodel size  %.1f KiB -> %.1f KiB (%.2fx smaller)\n", r.size_before / 1024.0,
                r.size_after / 1024.0,
                r.size_after ? static_cast<double>(r.size_before) / static_cast<double>(r.size_after) : 0.0);
    if (r.accuracy)
        std::printf("top-1       %.2f%% -> %.2f%% (%+.2f points, %lld samples)\n", r.accuracy->before.top1(),
                    r.accuracy->after.top1(), r.accuracy->after.top1() - r.accuracy->before.top1(),
                    static_cast<long long>(r.accuracy->before.samples));
    std::printf("wrote       %s/%s, calibration.json, report.json\n", out.c_str(), format_file.c_str());
}

int run_quantize(const QuantizeOptions& opt) {
    // step: config, then --set, then the specific flags (later wins); command-line paths are absolute
    auto absolute = [](const std::string& p) { return "\"" + std::filesystem::absolute(p).string() + "\""; };
    std::vector<std::string> ov = opt.sets;
    if (!opt.calib.empty()) ov.push_back("calibration.data.path=" + absolute(opt.calib));
    if (!opt.method.empty()) ov.push_back("quantize.method=" + opt.method);
    if (opt.weight_bit) ov.push_back("quantize.weight_bit=" + std::to_string(opt.weight_bit));
    if (opt.activation_bit) ov.push_back("quantize.activation_bit=" + std::to_string(opt.activation_bit));
    if (opt.per_tensor) ov.push_back("quantize.per_channel=false");
    if (opt.symmetric) ov.push_back("quantize.symmetric=true");
    if (!opt.weight_algorithm.empty()) ov.push_back("quantize.weight_algorithm=" + opt.weight_algorithm);
    if (!opt.sensitive.empty()) ov.push_back("quantize.sensitive_layers=" + quoted_list(opt.sensitive));
    if (!opt.algorithm.empty()) ov.push_back("calibration.algorithm=" + opt.algorithm);
    if (opt.num_samples) ov.push_back("calibration.num_samples=" + std::to_string(opt.num_samples));
    if (opt.batch_size) ov.push_back("calibration.batch_size=" + std::to_string(opt.batch_size));
    if (opt.error_samples >= 0)
        ov.push_back("calibration.error_samples=" + std::to_string(opt.error_samples));
    if (opt.threads >= 0) ov.push_back("advanced.threads=" + std::to_string(opt.threads));
    if (!opt.eval_data.empty()) ov.push_back("evaluation.data=" + absolute(opt.eval_data));
    if (!opt.eval_labels.empty()) ov.push_back("evaluation.labels=" + absolute(opt.eval_labels));
    if (opt.eval_limit) ov.push_back("evaluation.num_samples=" + std::to_string(opt.eval_limit));
    auto recipe = opt.config.empty()
                      ? workflow::parse_recipe("{}", "command line", std::filesystem::current_path(), ov)
                      : workflow::load_recipe(opt.config, ov);
    if (!recipe) return report(recipe.status());
    if (auto format = exporter::find_exporter(opt.format); !format) return report(format.status());
    if (!opt.quiet)
        for (const auto& w : recipe->warnings)
            std::fprintf(stderr, "lowbit: warning: %s\n", w.c_str());
    if (opt.table.empty() && recipe->data.path.empty() && recipe->data.kind != "synthetic")
        return report(invalid_input(
            "no calibration data: give --calib DATA (or calibration.data in the config, or --table)"));

    workflow::QuantizeJob job;
    job.model_path = opt.model;
    job.recipe = *recipe;
    if (!opt.table.empty()) job.table = opt.table;
    job.cancel = &g_cancel;
    const bool tty = isatty(fileno(stderr));
    int last_decile = -1;
    job.progress = [&](double f, const std::string& msg) {
        if (opt.quiet) return;
        if (tty) {
            int filled = static_cast<int>(f * 30);
            std::fprintf(stderr, "\r\033[K[%-30s] %3d%% %s",
                         std::string(static_cast<size_t>(filled), '#').c_str(), static_cast<int>(f * 100),
                         msg.c_str());
        } else if (static_cast<int>(f * 10) != last_decile) {
            last_decile = static_cast<int>(f * 10);
            std::fprintf(stderr, "%3d%% %s\n", static_cast<int>(f * 100), msg.c_str());
        }
    };
    auto previous = std::signal(SIGINT, on_sigint);
    auto result = workflow::run_quantize(job);
    Status written = Status::ok();
    if (result && !g_cancel.cancelled()) {
        workflow::OutputSelection selection;
        selection.format = opt.format;
        written = workflow::write_outputs(*result, *recipe, opt.out, selection).status();
    }
    std::signal(SIGINT, previous);
    if (tty && !opt.quiet) std::fprintf(stderr, "\r\033[K");
    if (g_cancel.cancelled()) {
        std::fprintf(stderr, "lowbit: cancelled; nothing written\n");
        return 130;
    }
    if (!result) return report(result.status());
    if (!written.is_ok()) return report(written);
    if (!opt.quiet)
        for (const auto& w : result->warnings)
            if (w.stage != "recipe") std::fprintf(stderr, "lowbit: warning: %s\n", w.text.c_str());
    if (opt.json)
        std::cout << workflow::make_report(*result, *recipe).dump(2) << "\n";
    else
        print_summary(*result, opt.out, (*exporter::find_exporter(opt.format))->file_names().front());
    return kExitOk;
}

}  // namespace

void add_quantize_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<QuantizeOptions>();
    CLI::App* cmd = app.add_subcommand(
        "quantize", "Calibrate and quantize a model; write the QDQ model, calibration table and report");
    cmd->add_option("model", opt->model, "ONNX model file (never modified)")->required();
    cmd->add_option("-o,--output", opt->out, "Output folder")->required();
    cmd->add_option("--config", opt->config, "YAML config (docs/CONFIG.md)");
    cmd->add_option("--calib", opt->calib, "Calibration data: image folder, .npy, .npz, .bin, IDX");
    cmd->add_option("--table", opt->table, "Re-quantize from this calibration.json without running the data");
    cmd->add_option("--format", opt->format,
                    "Model format to write: " + exporter::exporter_names() + " (default qdq)");
    cmd->add_option("--set", opt->sets, "Override a config key: section.key=value (repeatable)");
    cmd->add_option("--method", opt->method, "static | mixed_precision | weight_only");
    cmd->add_option("--weight-bit", opt->weight_bit, "Weight bits (2-16)");
    cmd->add_option("--activation-bit", opt->activation_bit, "Activation bits (8 or 16)");
    cmd->add_option("--algorithm", opt->algorithm,
                    "Activation calibration: minmax | percentile | kl | mse | ifmr");
    cmd->add_option("--weight-algorithm", opt->weight_algorithm, "Weight ranges: minmax | mse");
    cmd->add_option("--sensitive", opt->sensitive, "Keep this layer (name or glob) in float (repeatable)");
    cmd->add_flag("--per-tensor", opt->per_tensor, "Per-tensor weight scales instead of per-channel");
    cmd->add_flag("--symmetric", opt->symmetric, "Symmetric activations");
    cmd->add_option("--num-samples", opt->num_samples, "Calibration samples")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
    cmd->add_option("--batch-size", opt->batch_size, "Calibration batch size")->check(CLI::Range(1, 1 << 16));
    cmd->add_option("--error-samples", opt->error_samples, "Samples for per-layer error (0 = skip)")
        ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
    cmd->add_option("--eval-data", opt->eval_data, "Labelled images for accuracy before/after (IDX or .npy)");
    cmd->add_option("--eval-labels", opt->eval_labels, "Labels for --eval-data");
    cmd->add_option("--eval-limit", opt->eval_limit, "Evaluate only the first N samples");
    cmd->add_option("--threads", opt->threads, "Threads (default: one per core)")->check(CLI::Range(0, 1024));
    cmd->add_flag("--json", opt->json, "Print the report as JSON");
    cmd->add_flag("-q,--quiet", opt->quiet, "No progress or warnings on stderr");
    cmd->callback([opt, &runner] { runner = [opt] { return run_quantize(*opt); }; });
}

}  // namespace lowbit::cli
