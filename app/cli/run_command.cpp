// lowbit run MODEL --input NAME=FILE.npy ... -o OUT.npz [--all-tensors] [--threads T]
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "data/npy.h"
#include "onnx/onnx_io.h"
#include "runtime/executor.h"

namespace lowbit::cli {

namespace {

struct RunOptions {
    std::string model;
    std::vector<std::string> inputs;
    std::string output;
    bool all_tensors = false;
    int threads = 0;
};

int run_run(const RunOptions& opt) {
    if (opt.output.size() < 4 || opt.output.substr(opt.output.size() - 4) != ".npz")
        return report(invalid_input("output '" + opt.output + "' must be an .npz file"));
    auto model = onnx_io::load_model(opt.model);
    if (!model) return report(model.status());
    runtime::NamedTensors feeds;
    for (const auto& spec : opt.inputs) {
        auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0)
            return report(invalid_input("--input '" + spec + "' must look like NAME=FILE.npy"));
        auto t = data::read_npy(spec.substr(eq + 1));
        if (!t) return report(t.status());
        feeds.emplace_back(spec.substr(0, eq), std::move(*t));
    }
    runtime::ExecutorOptions eo;
    eo.threads = opt.threads;
    eo.keep_all = opt.all_tensors;
    eo.fuse = !opt.all_tensors;  // every intermediate must exist to be written
    auto exec = runtime::Executor::create(*model, eo);
    if (!exec) return report(exec.status().with_context(opt.model));
    auto outs = (*exec)->run(feeds);
    if (!outs) return report(outs.status().with_context(opt.model));
    std::vector<std::pair<std::string, runtime::Tensor>> arrays;
    if (opt.all_tensors) {
        for (const auto& [name, t] : (*exec)->all_values())
            arrays.emplace_back(name, t);
    } else {
        arrays = std::move(*outs);
    }
    Status st = data::write_npz(opt.output, arrays);
    if (!st.is_ok()) return report(st);
    for (const auto& [name, t] : arrays)
        if (!opt.all_tensors)
            std::cout << name << " " << ir::name_of(t.type()) << runtime::shape_string(t.shape()) << "\n";
    std::cout << "wrote " << arrays.size() << " arrays to " << opt.output << "\n";
    return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<RunOptions>();
    CLI::App* cmd = app.add_subcommand("run", "Run a model on .npy inputs and write its outputs to .npz");
    cmd->add_option("model", opt->model, "ONNX model file")->required();
    cmd->add_option("--input,-i", opt->inputs, "NAME=FILE.npy, once per model input")->required();
    cmd->add_option("--output,-o", opt->output, "Output .npz file")->required();
    cmd->add_flag("--all-tensors", opt->all_tensors, "Write every intermediate value, not just the outputs");
    cmd->add_option("--threads", opt->threads, "Threads (default: one per core)")->check(CLI::Range(0, 1024));
    cmd->callback([opt, &runner] { runner = [opt] { return run_run(*opt); }; });
}

}  // namespace lowbit::cli
