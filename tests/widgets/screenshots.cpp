// studio_screenshots OUT_DIR: saves PNGs of the studio for review: the resnet example opened
// (model_opened.png), a layer selected with the Inspector filled (inspector.png, inspector_panel.png),
// and the same in the Chinese interface (chinese_ui.png); after calibrating and quantizing on the bundled
// Fashion-MNIST samples: the error heatmap (heatmap.png), the Histograms dock with a layer selected
// (histograms_panel.png), the Summary dock (summary_panel.png), the calibration data dialog with its
// preview (calibration_dialog.png), the export dialog (export_dialog.png), and the quantized Chinese
// interface (chinese_heatmap.png). Runs offscreen.
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <cstdio>

#include "dialogs/calibration_dialog.h"
#include "dialogs/export_dialog.h"
#include "graph/graph_view.h"
#include "jobs/run_controller.h"
#include "main_window.h"
#include "session/session.h"
#include "studio_settings.h"

namespace {

const QString kResnet = QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/resnet.onnx");

bool save(QWidget* w, const QString& path) {
    QApplication::processEvents();
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

// A window with resnet open and its second compute layer selected (a Conv with weights).
bool prepare(lowbit::studio::MainWindow& window) {
    window.resize(1440, 900);
    window.show();
    QSignalSpy laid_out(window.graph_view(), &lowbit::widgets::GraphView::layout_finished);
    window.open_model(kResnet);
    if (!laid_out.wait(30000)) return false;
    QTest::qWait(100);
    return true;
}

const QString kSamples = QStringLiteral(LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy");

// Calibrates and quantizes on the bundled samples; false if it fails or times out.
bool quantize(lowbit::studio::MainWindow& window) {
    lowbit::data::SourceSpec spec;
    spec.path = kSamples.toStdString();
    window.session()->set_data(spec, 64, {});
    QSignalSpy done(window.runner(), &lowbit::widgets::RunController::finished);
    if (!window.runner()->quantize() || !done.wait(300000) || !done.first().at(1).toBool()) return false;
    QTest::qWait(100);
    return true;
}

void show_panel(lowbit::studio::MainWindow& window, const char* id) {
    QDockWidget* d = window.panel(QString::fromLatin1(id));
    d->show();
    d->raise();
    QApplication::processEvents();
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LowbitScreenshots"));
    QApplication::setApplicationName(QStringLiteral("studio_screenshots"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QSettings().clear();
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("screenshots");
    QDir().mkpath(out);
    bool ok = true;
    {
        lowbit::studio::MainWindow window;
        if (!prepare(window)) return 1;
        ok &= save(&window, out + QStringLiteral("/model_opened.png"));
        auto* s = window.session();
        const lowbit::ir::NodeId layer_node =
            s->layers().at(1).node;  // a copy: layers() is rebuilt by quantizing
        s->set_selection({layer_node});
        window.graph_view()->centre_on_node(layer_node);
        s->set_weight_bits({QString::fromStdString(s->layers().at(2).name)}, 4);
        s->set_precision({QString::fromStdString(s->layers().at(3).name)}, lowbit::quant::Precision::kFp16);
        window.graph_view()->set_edge_labels_visible(true);
        ok &= save(&window, out + QStringLiteral("/inspector.png"));
        ok &= save(window.panel(QStringLiteral("InspectorPanel")),
                   out + QStringLiteral("/inspector_panel.png"));

        // the calibration data dialog with its preview
        {
            lowbit::widgets::CalibrationDialog dialog(s->shared_model(), s->recipe(), window.log(), &window);
            QSignalSpy previewed(&dialog, &lowbit::widgets::CalibrationDialog::preview_finished);
            dialog.set_path(kSamples);
            dialog.show();
            previewed.wait(10000);
            ok &= save(&dialog, out + QStringLiteral("/calibration_dialog.png"));
        }
        if (!quantize(window)) {
            std::printf("FAILED to quantize\n");
            return 1;
        }
        window.graph_view()->set_edge_labels_visible(false);
        window.graph_view()->centre_on_node(s->layers().at(4).node);
        ok &= save(&window, out + QStringLiteral("/heatmap.png"));
        s->set_selection({layer_node});
        show_panel(window, "HistogramsPanel");
        ok &= save(window.panel(QStringLiteral("HistogramsPanel")),
                   out + QStringLiteral("/histograms_panel.png"));
        ok &= save(&window, out + QStringLiteral("/histograms.png"));
        show_panel(window, "SummaryPanel");
        ok &= save(window.panel(QStringLiteral("SummaryPanel")), out + QStringLiteral("/summary_panel.png"));
        // the export dialog: folder, the format list (export/exporter.h), table and report
        {
            lowbit::widgets::ExportDialog dialog(out + QStringLiteral("/export"), &window);
            dialog.show();
            ok &= save(&dialog, out + QStringLiteral("/export_dialog.png"));
        }
    }
    {
        lowbit::studio::settings::install_translators(app, QStringLiteral("zh_CN"));
        lowbit::studio::MainWindow window;
        if (!prepare(window)) return 1;
        auto* s = window.session();
        s->set_selection({s->layers().at(1).node});
        window.graph_view()->centre_on_node(s->layers().at(1).node);
        ok &= save(&window, out + QStringLiteral("/chinese_ui.png"));
        if (!quantize(window)) return 1;
        show_panel(window, "HistogramsPanel");
        show_panel(window, "SummaryPanel");
        ok &= save(&window, out + QStringLiteral("/chinese_heatmap.png"));
    }
    return ok ? 0 : 1;
}
