// lowbit compare A.onnx B.onnx --data DATA [--layers] [--num-samples N]: how far B's outputs (and, with
// --layers, every layer's) are from A's, as cosine similarity, SQNR, MSE and max |error|.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/layer_error.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "data/source.h"
#include "onnx/onnx_io.h"
#include "runtime/executor.h"

namespace lowbit::cli {

namespace {

struct CompareOptions {
    std::string a, b, data, preprocess;
    int64_t num_samples = 64, batch = 32;
    int threads = 0;
    bool layers = false, json = false;
};

int run_compare(const CompareOptions& opt) {
    auto ma = onnx_io::load_model(opt.a);
    if (!ma) return report(ma.status());
    auto mb = onnx_io::load_model(opt.b);
    if (!mb) return report(mb.status());
    data::SourceSpec spec;
    spec.path = opt.data;
    spec.num_samples = opt.num_samples;
    if (!opt.preprocess.empty()) {
        auto p = data::load_preprocess(opt.preprocess);
        if (!p) return report(p.status());
        spec.preprocess = *p;
    }
    {
        runtime::ExecutorOptions eo;
        eo.threads = 1;
        auto exec = runtime::Executor::create(*ma, eo);
        if (!exec) return report(exec.status().with_context(opt.a));
        const auto& ins = (*exec)->inputs();
        if (ins.size() != 1)
            return report(unsupported("compare feeds one model input; " + opt.a + " has " +
                                      std::to_string(ins.size())));
        spec.model_input_name = ins[0].name;
        if (ins[0].has_shape)
            for (const auto& d : ins[0].dims)
                spec.model_input_shape.push_back(d.is_known() ? d.value : -1);
    }
    auto source = data::open_source(spec);
    if (!source) return report(source.status());
    auto pairs = analysis::matching_pairs(*ma, *mb, opt.layers);
    if (pairs.empty()) return report(invalid_input("the two models share no output names to compare"));
    analysis::ErrorOptions eo;
    eo.num_samples = opt.num_samples;
    eo.batch_size = opt.batch;
    eo.threads = opt.threads;
    auto stats = analysis::compare_tensors(*ma, *mb, pairs, **source, eo);
    if (!stats) return report(stats.status());
    nlohmann::json j = nlohmann::json::array();
    if (!opt.json)
        std::printf("%-40s %10s %10s %12s %12s\n", "tensor", "cosine", "SQNR dB", "MSE", "max |err|");
    for (const auto& p : pairs) {
        auto it = stats->find(p.label);
        if (it == stats->end()) continue;
        const auto& s = it->second;
        if (opt.json) {
            nlohmann::json e = {{"tensor", p.label},
                                {"cosine", s.cosine()},
                                {"sqnr_db", s.sqnr_db()},
                                {"mse", s.mse()},
                                {"max_abs", s.max_abs}};
            if (s.rows > 0) e["top1_agreement"] = {{"rows", s.rows}, {"agreeing", s.rows_agreeing}};
            j.push_back(std::move(e));
        } else {
            std::printf("%-40s %10.6f %10.2f %12.4g %12.4g\n", p.label.c_str(), s.cosine(), s.sqnr_db(),
                        s.mse(), s.max_abs);
        }
    }
    // top-1 agreement of classifier-like outputs: how many predictions the second model changes
    for (const auto& p : pairs) {
        auto it = stats->find(p.label);
        if (opt.json || it == stats->end() || it->second.rows == 0) continue;
        const auto& s = it->second;
        std::printf("%s: top-1 agrees on %lld of %lld samples (%.2f%%; %lld changed)\n", p.label.c_str(),
                    static_cast<long long>(s.rows_agreeing), static_cast<long long>(s.rows),
                    100.0 * static_cast<double>(s.rows_agreeing) / static_cast<double>(s.rows),
                    static_cast<long long>(s.rows - s.rows_agreeing));
    }
    if (opt.json) std::cout << j.dump(2) << "\n";
    return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<CompareOptions>();
    CLI::App* cmd =
        app.add_subcommand("compare", "Compare two models' outputs (and layers) on the same data");
    cmd->add_option("a", opt->a, "Reference model (e.g. FP32)")->required();
    cmd->add_option("b", opt->b, "Model to compare (e.g. quantized)")->required();
    cmd->add_option("--data", opt->data, "Input data: image folder, .npy, .npz, .bin, IDX")->required();
    cmd->add_option("--preprocess", opt->preprocess, "YAML preprocessing spec for raw images");
    cmd->add_option("--num-samples", opt->num_samples, "Samples to compare (0 = all)")
        ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
    cmd->add_option("--batch", opt->batch, "Batch size")->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
    cmd->add_option("--threads", opt->threads, "Threads (default: one per core)")->check(CLI::Range(0, 1024));
    cmd->add_flag("--layers", opt->layers, "Also compare every layer output both models have");
    cmd->add_flag("--json", opt->json, "Print JSON");
    cmd->callback([opt, &runner] { runner = [opt] { return run_compare(*opt); }; });
}

}  // namespace lowbit::cli
