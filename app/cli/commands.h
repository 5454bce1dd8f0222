// The lowbit subcommands: each file adds one to the CLI11 app and sets what runs when it is chosen.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace lowbit::cli {

// Returns the process exit status: 0 done, 2 bad input, 1 internal error.
using Runner = std::function<int()>;

void add_info_command(CLI::App& app, Runner& runner);
void add_run_command(CLI::App& app, Runner& runner);
void add_eval_command(CLI::App& app, Runner& runner);
void add_bench_command(CLI::App& app, Runner& runner);
void add_quantize_command(CLI::App& app, Runner& runner);
void add_compare_command(CLI::App& app, Runner& runner);
void add_export_command(CLI::App& app, Runner& runner);

}  // namespace lowbit::cli
