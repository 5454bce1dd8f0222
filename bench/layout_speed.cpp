// layout_speed [NODES]: times the studio's graph layout of a generated model (default 1,000 nodes):
// measuring the boxes (GUI thread), Graphviz dot (worker), and building the scene, end to end as the
// studio does it. Prints seconds. Runs offscreen.
#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <cstdio>

#include "graph/graph_view.h"
#include "synthetic_model.h"

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const int nodes = argc > 1 ? std::atoi(argv[1]) : 1000;
    auto model = std::make_shared<const lowbit::ir::Model>(lowbit::test::make_synthetic_model(nodes));

    QElapsedTimer clock;
    clock.start();
    lowbit::widgets::GraphStyle style;
    auto display = lowbit::widgets::GraphView::make_display(model->graph, style);
    const double measure_s = clock.nsecsElapsed() / 1e9;

    clock.restart();
    const auto direct = lowbit::widgets::layout_with_dot(display.request);
    const double dot_s = clock.nsecsElapsed() / 1e9;
    if (!direct.ok) {
        std::fprintf(stderr, "layout failed: %s\n", direct.error.c_str());
        return 1;
    }

    lowbit::widgets::GraphView view;
    view.resize(1200, 800);
    view.show();
    QSignalSpy done(&view, &lowbit::widgets::GraphView::layout_finished);
    clock.restart();
    view.set_model(model);
    if (!done.wait(600000)) return 1;
    const double total_s = clock.nsecsElapsed() / 1e9;

    std::printf("nodes %zu, edges %zu\n", model->graph.node_count(), display.request.edges.size());
    std::printf("measure boxes   %.3f s\n", measure_s);
    std::printf("graphviz dot    %.3f s\n", dot_s);
    std::printf("studio total    %.3f s (measure + dot on a worker + scene)\n", total_s);
    return 0;
}
