// lowbit eval MODEL --data IMAGES --labels LABELS [--preprocess SPEC.yaml] [--batch N] [--limit N]
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/evaluate.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "onnx/onnx_io.h"

namespace lowbit::cli {

namespace {

struct EvalOptions {
    std::string model, data, labels, preprocess;
    std::vector<float> mean, std;
    float scale = 0.0f;
    std::string layout, channel_order;
    int64_t batch = 64, limit = 0;
    int threads = 0;
    bool json = false;
};

int run_eval(const EvalOptions& opt) {
    data::Preprocess pre;
    if (!opt.preprocess.empty()) {
        auto p = data::load_preprocess(opt.preprocess);
        if (!p) return report(p.status());
        pre = *p;
    }
    // flags override the spec
    if (!opt.mean.empty()) pre.mean = opt.mean;
    if (!opt.std.empty()) pre.std = opt.std;
    if (opt.scale > 0) pre.scale = opt.scale;
    if (!opt.layout.empty()) pre.layout = opt.layout;
    if (!opt.channel_order.empty()) pre.channel_order = opt.channel_order;
    auto model = onnx_io::load_model(opt.model);
    if (!model) return report(model.status());
    auto d = data::load_labeled(opt.data, opt.labels, pre, opt.limit);
    if (!d) return report(d.status());
    runtime::ExecutorOptions eo;
    eo.threads = opt.threads;
    auto exec = runtime::Executor::create(*model, eo);
    if (!exec) return report(exec.status().with_context(opt.model));
    bool tty = isatty(fileno(stderr));
    auto acc = analysis::evaluate_classifier(**exec, *d, opt.batch, [tty](int64_t done, int64_t total) {
        if (tty)
            std::fprintf(stderr, "\r%lld/%lld", static_cast<long long>(done), static_cast<long long>(total));
    });
    if (tty) std::fprintf(stderr, "\r\033[K");
    if (!acc) return report(acc.status().with_context(opt.model));
    if (opt.json) {
        nlohmann::json j = {
            {"model", opt.model}, {"samples", acc->samples}, {"top1", acc->top1()}, {"top5", acc->top5()}};
        std::cout << j.dump(2) << "\n";
    } else {
        std::printf("samples %lld\ntop-1   %.2f%%\ntop-5   %.2f%%\n", static_cast<long long>(acc->samples),
                    acc->top1(), acc->top5());
    }
    return kExitOk;
}

}  // namespace

void add_eval_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval", "Top-1/top-5 accuracy of a classifier on labelled data");
    cmd->add_option("model", opt->model, "ONNX model file")->required();
    cmd->add_option("--data", opt->data,
                    "Images: IDX (gzip or not) or .npy (uint8 raw, or float preprocessed)")
        ->required();
    cmd->add_option("--labels", opt->labels, "Labels: IDX or .npy")->required();
    cmd->add_option("--preprocess", opt->preprocess,
                    "YAML preprocessing spec (scale, mean, std, channel_order, layout)");
    cmd->add_option("--scale", opt->scale, "Multiply raw pixels by this (default 1/255)");
    cmd->add_option("--mean", opt->mean, "Mean, one value or one per channel");
    cmd->add_option("--std", opt->std, "Standard deviation, one value or one per channel");
    cmd->add_option("--layout", opt->layout, "NCHW or NHWC");
    cmd->add_option("--channel-order", opt->channel_order, "rgb, bgr or gray");
    cmd->add_option("--batch", opt->batch, "Batch size")->check(CLI::Range(1, 1 << 20));
    cmd->add_option("--limit", opt->limit, "Evaluate only the first N samples")
        ->check(CLI::Range(0, 1 << 30));
    cmd->add_option("--threads", opt->threads, "Threads (default: one per core)")->check(CLI::Range(0, 1024));
    cmd->add_flag("--json", opt->json, "Print JSON");
    cmd->callback([opt, &runner] { runner = [opt] { return run_eval(*opt); }; });
}

}  // namespace lowbit::cli
