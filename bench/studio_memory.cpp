// Peak memory of the studio with a model open and quantized: opens a project (model + calibration data)
// in the real main window (offscreen), waits for the graph, runs Run > Quantize, and prints the peak RSS
// and, where the build has shared weights, how many copies of the model's float weights the session, its
// stored calibration and the result hold together.
//   QT_QPA_PLATFORM=offscreen build/bench/studio_memory PROJECT.yaml [SCREENSHOT.png]
#include <sys/resource.h>

#include <QApplication>
#include <QSignalSpy>
#include <cstdio>

#include "graph/graph_view.h"
#include "jobs/run_controller.h"
#include "main_window.h"
#include "session/session.h"

namespace {

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: studio_memory PROJECT.yaml [SCREENSHOT.png]\n");
        return 2;
    }
    QCoreApplication::setOrganizationName(QStringLiteral("LowbitBench"));
    lowbit::studio::MainWindow window;
    window.resize(1400, 900);
    window.show();
    QSignalSpy laid_out(window.graph_view(), &lowbit::widgets::GraphView::layout_finished);
    window.open_model(QString::fromLocal8Bit(argv[1]));
    if (!laid_out.wait(120000)) {
        std::fprintf(stderr, "studio_memory: the model did not open\n");
        return 1;
    }
    const double opened = peak_rss_mib();
    QSignalSpy done(window.runner(), &lowbit::widgets::RunController::finished);
    if (!window.runner()->quantize() || !done.wait(1800000) || !done.first().at(1).toBool()) {
        std::fprintf(stderr, "studio_memory: quantize failed\n");
        return 1;
    }
    if (argc == 3)
        window.grab().save(QString::fromLocal8Bit(argv[2]));  // the quantized model, as a user sees it
    std::printf("peak RSS after opening   %.0f MiB\n", opened);
    std::printf("peak RSS after quantize  %.0f MiB\n", peak_rss_mib());
#ifdef LOWBIT_SHARED_WEIGHTS
    // the float models (session, stored calibration, result) against one copy of the model's float weights;
    // the simulation's own tensors (INT8 weights, scales) apart
    const auto* s = window.session();
    const auto* r = s->result();
    const std::vector<const lowbit::ir::Model*> float_models = {
        s->model(), &s->calibration()->prepared->model, r->original.get(), r->prepared.get()};
    auto with_simulation = float_models;
    with_simulation.push_back(&r->simulated());
    const double one = static_cast<double>(lowbit::ir::distinct_tensor_bytes({s->model()}, true));
    const double held = static_cast<double>(lowbit::ir::distinct_tensor_bytes(float_models, true));
    const double all = static_cast<double>(lowbit::ir::distinct_tensor_bytes(with_simulation));
    std::printf("float weights held       %.2f copies of the model's (%.1f MiB of %.1f MiB)\n", held / one,
                held / 1048576.0, one / 1048576.0);
    std::printf("all tensors held         %.1f MiB (the simulation adds %.1f MiB: INT8 weights, scales)\n",
                all / 1048576.0,
                (all - static_cast<double>(lowbit::ir::distinct_tensor_bytes(float_models))) / 1048576.0);
#endif
    return 0;
}
