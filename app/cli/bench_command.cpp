// lowbit bench MODEL [--batch N] [--threads T] [--seconds S]: throughput, latency and memory.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "onnx/onnx_io.h"
#include "runtime/executor.h"

namespace lowbit::cli {

namespace {

struct BenchOptions {
    std::string model;
    int64_t batch = 1;
    int threads = 0;
    double seconds = 5.0;
    int warmup = 3;
    bool json = false;
};

int run_bench(const BenchOptions& opt) {
    auto model = onnx_io::load_model(opt.model);
    if (!model) return report(model.status());
    runtime::ExecutorOptions eo;
    eo.threads = opt.threads;
    auto exec = runtime::Executor::create(*model, eo);
    if (!exec) return report(exec.status().with_context(opt.model));
    // random inputs: the first symbolic dimension is the batch, other symbols are 1
    std::mt19937 rng(42);
    std::normal_distribution<float> dist;
    runtime::NamedTensors feeds;
    for (const auto& v : (*exec)->inputs()) {
        if (!v.has_shape)
            return report(invalid_input("input '" + v.name + "' has no declared shape to benchmark with"));
        runtime::Shape shape;
        bool batch_used = false;
        for (const auto& d : v.dims) {
            if (d.is_known())
                shape.push_back(d.value);
            else if (!batch_used) {
                shape.push_back(opt.batch);
                batch_used = true;
            } else
                shape.push_back(1);
        }
        if (!batch_used && opt.batch != 1)
            return report(invalid_input("input '" + v.name + "' has a fixed batch; --batch " +
                                        std::to_string(opt.batch) + " is not possible"));
        runtime::DataType type = v.has_type && v.elem_type != runtime::DataType::kFloat16
                                     ? v.elem_type
                                     : runtime::DataType::kFloat;
        runtime::Tensor t(type, shape);
        if (type == runtime::DataType::kFloat)
            for (int64_t i = 0; i < t.numel(); ++i)
                t.data<float>()[i] = dist(rng);
        else
            std::memset(t.raw(), 0, t.bytes());
        feeds.emplace_back(v.name, std::move(t));
    }
    for (int i = 0; i < opt.warmup; ++i) {
        auto out = (*exec)->run(feeds);
        if (!out) return report(out.status().with_context(opt.model));
    }
    std::vector<double> ms;
    auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    while (elapsed < opt.seconds || ms.size() < 3) {
        auto t0 = std::chrono::steady_clock::now();
        auto out = (*exec)->run(feeds);
        if (!out) return report(out.status());
        auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        elapsed = std::chrono::duration<double>(t1 - start).count();
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) {
        return sorted[std::min(sorted.size() - 1,
                               static_cast<size_t>(p * static_cast<double>(sorted.size())))];
    };
    double throughput = static_cast<double>(opt.batch) * static_cast<double>(ms.size()) / elapsed;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    double peak_act_mb = static_cast<double>((*exec)->peak_activation_bytes()) / (1 << 20);
    double weights_mb = static_cast<double>((*exec)->constant_bytes()) / (1 << 20);
    double rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
    if (opt.json) {
        nlohmann::json j = {{"model", opt.model},
                            {"batch", opt.batch},
                            {"threads", (*exec)->threads()},
                            {"runs", ms.size()},
                            {"throughput_per_s", throughput},
                            {"p50_ms", pct(0.5)},
                            {"p90_ms", pct(0.9)},
                            {"peak_activation_mb", peak_act_mb},
                            {"weights_mb", weights_mb},
                            {"peak_rss_mb", rss_mb}};
        std::cout << j.dump(2) << "\n";
    } else {
        std::printf("model        %s\nbatch        %lld\nthreads      %d\nruns         %zu\n",
                    opt.model.c_str(), static_cast<long long>(opt.batch), (*exec)->threads(), ms.size());
        std::printf("throughput   %.1f samples/s\nlatency p50  %.3f ms\nlatency p90  %.3f ms\n", throughput,
                    pct(0.5), pct(0.9));
        std::printf("peak memory  %.2f MiB activations, %.2f MiB weights, %.1f MiB process RSS\n",
                    peak_act_mb, weights_mb, rss_mb);
    }
    return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, Runner& runner) {
    auto opt = std::make_shared<BenchOptions>();
    CLI::App* cmd =
        app.add_subcommand("bench", "Throughput, latency and peak memory of a model on random input");
    cmd->add_option("model", opt->model, "ONNX model file")->required();
    cmd->add_option("--batch", opt->batch, "Batch size (replaces the first symbolic dimension)")
        ->check(CLI::Range(1, 1 << 20));
    cmd->add_option("--threads", opt->threads, "Threads (default: one per core)")->check(CLI::Range(0, 1024));
    cmd->add_option("--seconds", opt->seconds, "How long to measure")->check(CLI::Range(0.1, 3600.0));
    cmd->add_option("--warmup", opt->warmup, "Runs before measuring")->check(CLI::Range(0, 1000));
    cmd->add_flag("--json", opt->json, "Print JSON");
    cmd->callback([opt, &runner] { runner = [opt] { return run_bench(*opt); }; });
}

}  // namespace lowbit::cli
