// lowbit: the command line. Each subcommand lives in its own file (see commands.h).
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/common.h"
#include "util/cpu_check.h"

int main(int argc, char** argv) {
    if (!lowbit::cpu_supports_build_baseline()) return lowbit::cli::kExitInternal;
    CLI::App app{"Lowbit: make ONNX models small and fast (quantization, pruning) and show what it costs."};
    app.set_version_flag("--version", "lowbit 0.1.0");
    app.require_subcommand(1);
    lowbit::cli::Runner runner;
    lowbit::cli::add_info_command(app, runner);
    lowbit::cli::add_run_command(app, runner);
    lowbit::cli::add_eval_command(app, runner);
    lowbit::cli::add_bench_command(app, runner);
    lowbit::cli::add_quantize_command(app, runner);
    lowbit::cli::add_export_command(app, runner);
    lowbit::cli::add_compare_command(app, runner);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "lowbit: %s\n", e.what());
        std::fprintf(stderr, "Run 'lowbit --help' for usage.\n");
        return lowbit::cli::kExitBadInput;
    }
    try {
        return runner();
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "lowbit: out of memory\n");
        return lowbit::cli::kExitInternal;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lowbit: internal error: %s\n", e.what());
        return lowbit::cli::kExitInternal;
    }
}
