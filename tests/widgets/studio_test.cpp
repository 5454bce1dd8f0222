// The studio: opening models in the background, the graph view (layout of a real model and of a
// generated 1,000-node one without blocking the event loop), selection shared by graph, Layers table
// and Inspector, undoable per-layer precision edits through the Session, and every item model checked
// by QAbstractItemModelTester.
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>
#include <thread>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "dialogs/calibration_dialog.h"
#include "graph/color_legend.h"
#include "graph/error_heatmap.h"
#include "graph/graph_canvas.h"
#include "graph/graph_layout.h"
#include "graph/graph_view.h"
#include "jobs/progress_tracker.h"
#include "jobs/run_controller.h"
#include "main_window.h"
#include "models/layer_table_model.h"
#include "models/message_log.h"
#include "onnx/onnx_io.h"
#include "panels/histograms_panel.h"
#include "panels/inspector_panel.h"
#include "panels/layers_panel.h"
#include "panels/summary_panel.h"
#include "runtime/executor.h"
#include "session/session.h"
#include "studio_settings.h"
#include "synthetic_model.h"

using lowbit::ir::NodeId;
namespace w = lowbit::widgets;

namespace {

const QString kResnet = QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/resnet.onnx");

std::shared_ptr<const lowbit::ir::Model> load(const QString& file) {
    auto m = lowbit::onnx_io::load_model(file.toStdString());
    if (!m) return nullptr;
    return std::make_shared<const lowbit::ir::Model>(std::move(m).value());
}

const QString kCnn = QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/cnn.onnx");
const QString kSamples = QStringLiteral(LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy");
// 60,000 Fashion-MNIST training images (Debian's dataset-fashion-mnist): a calibration that takes a while
const QString kTrainImages = QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

// The example's float samples as calibration data (already preprocessed), and with their labels as
// evaluation data.
void use_example_samples(w::Session* s) {
    lowbit::data::SourceSpec spec;
    spec.path = kSamples.toStdString();
    lowbit::workflow::EvalSpec eval;
    eval.data = kSamples.toStdString();
    eval.labels =
        QString(kSamples).replace(QStringLiteral(".npy"), QStringLiteral("_labels.npy")).toStdString();
    s->set_data(spec, 64, eval);
}

// A long calibration: many IDX images with the Fashion-MNIST preprocessing.
bool use_long_calibration(w::Session* s, int64_t samples = 30000) {
    if (!QFile::exists(kTrainImages)) return false;
    lowbit::data::SourceSpec spec;
    spec.path = kTrainImages.toStdString();
    spec.preprocess.scale = 1.0f / 255.0f;
    spec.preprocess.mean = {0.2860f};
    spec.preprocess.std = {0.3530f};
    spec.preprocess.channel_order = "gray";
    s->set_data(spec, samples, {});
    return true;
}

using Kind = w::RunController::Kind;

// Waits for the runner's next `finished`; returns its ok flag.
bool wait_run(lowbit::studio::MainWindow& window, int timeout_ms = 180000) {
    QSignalSpy done(window.runner(), &w::RunController::finished);
    if (!done.wait(timeout_ms)) return false;
    return done.first().at(1).toBool();
}

// Opens `file` in `window` and waits for the model and its graph layout.
bool open_and_lay_out(lowbit::studio::MainWindow& window, const QString& file) {
    QSignalSpy laid_out(window.graph_view(), &w::GraphView::layout_finished);
    window.open_model(file);
    return laid_out.wait(30000);
}

}  // namespace

class StudioTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("LowbitTests"));
        QCoreApplication::setApplicationName(QStringLiteral("studio_tests"));
        QSettings().clear();
    }

    void opens_example_model() {
        lowbit::studio::MainWindow window;
        window.show();
        QSignalSpy opened(&window, &lowbit::studio::MainWindow::model_opened);
        window.open_model(QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/cnn.onnx"));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.model_title(), QStringLiteral("cnn"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("cnn")));
        QVERIFY(lowbit::studio::settings::recent_files().first().endsWith(QStringLiteral("cnn.onnx")));
    }

    void reports_bad_file_without_blocking() {
        lowbit::studio::MainWindow window;
        window.show();
        QSignalSpy failed(&window, &lowbit::studio::MainWindow::model_failed);
        window.open_model(QStringLiteral("/nonexistent/model.onnx"));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no such file")));
        QCOMPARE(window.model_title(), QStringLiteral("No model open"));
        QCOMPARE(window.log()->count(w::MessageLog::Severity::kError), 1);  // the Problems panel has it
    }

    void stale_load_is_dropped() {
        lowbit::studio::MainWindow window;
        QSignalSpy opened(&window, &lowbit::studio::MainWindow::model_opened);
        QSignalSpy failed(&window, &lowbit::studio::MainWindow::model_failed);
        window.open_model(QStringLiteral("/nonexistent/first.onnx"));
        window.open_model(QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/cnn.onnx"));
        QVERIFY(opened.wait(10000));
        QTest::qWait(200);
        QCOMPARE(failed.count(), 0);  // the first, older job's error never surfaces
    }

    void panels_come_from_the_registry() {
        lowbit::studio::MainWindow window;
        for (const char* id :
             {"LayersPanel", "ModelPanel", "InspectorPanel", "ProblemsPanel", "ProgressPanel"})
            QVERIFY2(window.panel(QString::fromLatin1(id)), id);
        QCOMPARE(window.action(QStringLiteral("open"))->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(window.action(QStringLiteral("find"))->shortcut(), QKeySequence(QKeySequence::Find));
        QCOMPARE(window.action(QStringLiteral("undo"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+Z")));
        QCOMPARE(window.action(QStringLiteral("redo"))->shortcut(),
                 QKeySequence(QStringLiteral("Ctrl+Shift+Z")));
    }

    // Graphviz output converted to Qt's orientation: y down, sizes in points, 3k+1 control points.
    void layout_converts_graphviz_geometry() {
        w::LayoutRequest r;
        r.nodes = {{0, 100, 40}, {1, 80, 30}, {2, 80, 30}};
        r.edges = {{0, 1}, {0, 2}, {1, 2}};
        const w::LayoutResult l = w::layout_with_dot(r);
        QVERIFY2(l.ok, l.error.c_str());
        QCOMPARE(l.nodes.size(), size_t(3));
        QCOMPARE(l.nodes[0].width, 100.0);
        QCOMPARE(l.nodes[1].height, 30.0);
        QVERIFY(l.nodes[0].centre.y < l.nodes[1].centre.y);  // the source is above its consumer
        QVERIFY(l.nodes[1].centre.y < l.nodes[2].centre.y);
        for (const auto& n : l.nodes) {
            QVERIFY(n.centre.x - n.width / 2 >= -0.5 && n.centre.x + n.width / 2 <= l.width + 0.5);
            QVERIFY(n.centre.y - n.height / 2 >= -0.5 && n.centre.y + n.height / 2 <= l.height + 0.5);
        }
        QCOMPARE(l.edges.size(), size_t(3));
        for (const auto& e : l.edges) {
            QVERIFY(!e.beziers.empty());
            QCOMPARE(e.beziers[0].size() % 3, size_t(1));
            QVERIFY(e.has_arrow);
        }
    }

    void graph_shows_resnet() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kResnet));
        const auto* model = window.session()->model();
        QVERIFY(model);
        QCOMPARE(window.graph_view()->node_item_count(), static_cast<int>(model->graph.node_count()));
        QVERIFY(window.graph_view()->edge_item_count() >= static_cast<int>(model->graph.node_count()) - 1);
        // every compute layer carries its precision badge
        for (const auto& l : window.session()->layers())
            QCOMPARE(window.graph_view()->node_item(l.node)->badge(), QStringLiteral("INT8"));
        // zoom, fit, 1:1 and the edge labels work on the real scene
        window.graph_view()->zoom_reset();
        QCOMPARE(window.graph_view()->zoom(), 1.0);
        window.graph_view()->zoom_in();
        QVERIFY(window.graph_view()->zoom() > 1.0);
        window.graph_view()->set_edge_labels_visible(true);
        window.graph_view()->set_node_fill(window.session()->layers().front().node, Qt::red);
        QCOMPARE(window.graph_view()->node_item(window.session()->layers().front().node)->fill(),
                 QColor(Qt::red));
        window.graph_view()->clear_node_fills();
        QVERIFY(!window.graph_view()->node_item(window.session()->layers().front().node)->fill());
    }

    void find_selects_and_centres() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kResnet));
        auto first = window.graph_view()->find_next(QStringLiteral("gemm"));
        QVERIFY(first);
        QCOMPARE(QString::fromStdString(window.session()->model()->graph.node(*first).op_type),
                 QStringLiteral("Gemm"));
        QCOMPARE(window.session()->selection(), QVector<NodeId>{*first});
        QVERIFY(!window.graph_view()->find_next(QStringLiteral("no-such-node-anywhere")));
    }

    void selection_is_shared_by_graph_table_and_inspector() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kResnet));
        auto* layers = qobject_cast<w::LayersPanel*>(window.panel(QStringLiteral("LayersPanel")));
        auto* inspector = qobject_cast<w::InspectorPanel*>(window.panel(QStringLiteral("InspectorPanel")));
        QVERIFY(layers && inspector);
        const auto plan = window.session()->layers();  // a copy: edits rebuild the list
        QVERIFY(plan.size() >= 3);

        // graph -> table, inspector
        const auto& second = plan[1];
        window.graph_view()->node_item(second.node)->setSelected(true);
        QCOMPARE(window.session()->selection(), QVector<NodeId>{second.node});
        const QModelIndexList rows = layers->table()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().data(w::LayerTableModel::NodeIdRole).toInt(), second.node);
        QVERIFY(inspector->heading().contains(QString::fromStdString(second.name)));

        // table -> graph
        const auto& third = plan[2];
        const QModelIndex src = layers->model()->index(layers->model()->row_of_node(third.node), 0);
        layers->table()->selectionModel()->select(
            layers->proxy()->mapFromSource(src),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(window.graph_view()->selected_nodes(), QVector<NodeId>{third.node});
        QVERIFY(!window.graph_view()->node_item(second.node)->isSelected());

        // the search box filters the table
        layers->search()->setText(QString::fromStdString(third.name));
        QVERIFY(layers->proxy()->rowCount() >= 1);
        QVERIFY(layers->proxy()->rowCount() < static_cast<int>(plan.size()));
    }

    void precision_edits_undo_and_redo() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kResnet));
        w::Session* s = window.session();
        const std::string a = s->layers()[0].name, b = s->layers()[1].name;
        const NodeId a_id = s->layers()[0].node;
        const QString qa = QString::fromStdString(a), qb = QString::fromStdString(b);
        QSignalSpy changed(s, &w::Session::overrides_changed);

        s->set_precision({qa}, lowbit::quant::Precision::kFp16);
        QCOMPARE(s->layer_named(qa)->precision, lowbit::quant::Precision::kFp16);
        QCOMPARE(window.graph_view()->node_item(a_id)->badge(), QStringLiteral("FP16"));
        auto settings = s->settings();
        QCOMPARE(settings.rules.size(), size_t(1));
        QCOMPARE(settings.rules[0].pattern, a);
        QCOMPARE(settings.rules[0].origin, "studio: " + a);

        s->set_weight_bits({qa, qb}, 4);  // multi-selection: one step for both
        QCOMPARE(s->layer_named(qa)->precision, lowbit::quant::Precision::kInt);
        QCOMPARE(s->layer_named(qa)->weight_bits, 4);
        QCOMPARE(s->layer_named(qb)->weight_bits, 4);
        QCOMPARE(window.graph_view()->node_item(a_id)->badge(), QStringLiteral("INT4"));
        QCOMPARE(s->undo_stack()->count(), 2);

        window.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(s->layer_named(qb)->weight_bits, 8);
        QCOMPARE(s->layer_named(qa)->precision, lowbit::quant::Precision::kFp16);
        s->undo_stack()->undo();
        QCOMPARE(s->layer_named(qa)->precision, lowbit::quant::Precision::kInt);
        QCOMPARE(window.graph_view()->node_item(a_id)->badge(), QStringLiteral("INT8"));
        QVERIFY(s->settings().rules.empty());
        window.action(QStringLiteral("redo"))->trigger();
        window.action(QStringLiteral("redo"))->trigger();
        QCOMPARE(s->layer_named(qa)->weight_bits, 4);
        QCOMPARE(s->layer_named(qa)->precision, lowbit::quant::Precision::kInt);
        QVERIFY(changed.count() >= 6);

        // the same edit again is no new undo step; a reset is one
        s->set_weight_bits({qa, qb}, 4);
        QCOMPARE(s->undo_stack()->count(), 2);
        s->reset_overrides({qa, qb});
        QVERIFY(s->overrides().empty());
        QCOMPARE(s->undo_stack()->count(), 3);
    }

    void inspector_controls_edit_all_selected_layers() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kResnet));
        w::Session* s = window.session();
        auto* inspector = qobject_cast<w::InspectorPanel*>(window.panel(QStringLiteral("InspectorPanel")));
        const NodeId a = s->layers()[0].node, b = s->layers()[1].node;
        s->set_selection({a, b});
        QVERIFY(window.graph_view()->node_item(a)->isSelected());
        QVERIFY(window.graph_view()->node_item(b)->isSelected());
        inspector->float_type()->setCurrentIndex(1);  // FP32, not yet applied: "keep in float" is off
        QCOMPARE(s->undo_stack()->count(), 0);
        inspector->keep_float()->setChecked(true);
        QCOMPARE(s->layer_for_node(a)->precision, lowbit::quant::Precision::kFp32);
        QCOMPARE(s->layer_for_node(b)->precision, lowbit::quant::Precision::kFp32);
        QVERIFY(!inspector->weight_bits()->isEnabled());
        inspector->keep_float()->setChecked(false);
        inspector->act_bits()->setCurrentIndex(inspector->act_bits()->findData(16));
        QCOMPARE(s->layer_for_node(b)->act_bits, 16);
        inspector->algorithm()->setCurrentIndex(inspector->algorithm()->findText(QStringLiteral("kl")));
        QCOMPARE(s->layer_for_node(a)->algorithm, lowbit::quant::Algorithm::kKl);
        QCOMPARE(s->undo_stack()->count(), 4);
        // weight statistics are shown for a layer
        QVERIFY(!inspector->details()
                     ->findItems(QStringLiteral("Weight statistics"), Qt::MatchExactly)
                     .isEmpty());
    }

    void item_models_pass_the_tester() {
        w::Session session;
        w::LayerTableModel layers(&session);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&layers);
        proxy.setSortRole(w::LayerTableModel::SortRole);
        QAbstractItemModelTester t1(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto model = load(kResnet);
        QVERIFY(model);
        session.set_model(model, kResnet, lowbit::analysis::summarize(*model));
        QCOMPARE(layers.rowCount(), static_cast<int>(session.layers().size()));
        proxy.sort(w::LayerTableModel::kMacs, Qt::DescendingOrder);
        session.set_precision({QString::fromStdString(session.layers()[0].name)},
                              lowbit::quant::Precision::kFp16);
        layers.set_errors({{QString::fromStdString(session.layers()[0].name), 0.25}}, QStringLiteral("MSE"));
        QCOMPARE(layers.headerData(w::LayerTableModel::kError, Qt::Horizontal).toString(),
                 QStringLiteral("MSE"));
        QCOMPARE(layers.index(0, w::LayerTableModel::kError).data().toString(), QStringLiteral("0.25"));
        QCOMPARE(layers.index(0, w::LayerTableModel::kPrecision).data().toString(), QStringLiteral("FP16"));
        QVERIFY(layers.index(0, w::LayerTableModel::kShape).data().toString().startsWith(QLatin1Char('[')));
        layers.clear_errors();
        session.set_model(nullptr);
        QCOMPARE(layers.rowCount(), 0);

        w::MessageLog log;
        QAbstractItemModelTester t3(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.info(QStringLiteral("one"));
        log.warning(QStringLiteral("two"));
        log.error(QStringLiteral("three"));
        QCOMPARE(log.rowCount(), 3);
        QCOMPARE(log.count(w::MessageLog::Severity::kWarning), 1);
        QCOMPARE(log.index(2, w::MessageLog::kMessage).data().toString(), QStringLiteral("three"));
        log.clear();
        QCOMPARE(log.rowCount(), 0);
    }

    // A generated 1,000-node model lays out on the worker while the GUI thread keeps serving timers.
    void thousand_nodes_lay_out_without_blocking() {
        auto model = std::make_shared<const lowbit::ir::Model>(lowbit::test::make_synthetic_model(1000));
        QCOMPARE(model->graph.node_count(), size_t(1000));
        w::GraphView view;
        view.resize(1000, 700);
        view.show();
        int ticks_while_running = 0;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (view.layout_running()) ++ticks_while_running;
        });
        timer.start();
        QSignalSpy done(&view, &w::GraphView::layout_finished);
        view.set_model(model);
        QVERIFY(view.layout_running());
        QVERIFY(done.wait(120000));
        timer.stop();
        QCOMPARE(view.node_item_count(), 1000);
        QVERIFY(view.edge_item_count() >= 999);
        // a blocked GUI thread could tick at most once between the job's end and its delivery
        QVERIFY2(ticks_while_running >= 3, qPrintable(QStringLiteral("ticks: %1").arg(ticks_while_running)));
        qInfo("1,000-node layout: %.2f s in Graphviz, %d timer ticks meanwhile", view.last_layout_seconds(),
              ticks_while_running);
        // zooming far out and painting stays cheap (level of detail): render once at the fitted zoom
        view.zoom_fit();
        QVERIFY(!view.grab().isNull());
    }

    void progress_tracker_reports_and_cancels() {
        w::ProgressTracker p;
        QSignalSpy cancelled(&p, &w::ProgressTracker::cancel_requested);
        p.begin(QStringLiteral("Calibrating"));
        auto token = p.cancel_token();
        auto report = p.progress_fn();
        std::thread worker([report] { report(0.5, "half way"); });
        worker.join();
        QTRY_COMPARE(p.fraction(), 0.5);
        QCOMPARE(p.message(), QStringLiteral("half way"));
        QVERIFY(p.remaining_ms() >= 0);
        p.cancel();
        QVERIFY(token->cancelled());
        QCOMPARE(cancelled.count(), 1);
        p.finish(QStringLiteral("stopped"));
        QVERIFY(!p.active());
    }

    void legend_maps_values_to_colours() {
        w::ColorLegend legend;
        legend.set_range(0, 10);
        QCOMPARE(legend.color_at(-5), QColor(0x3c, 0xb0, 0x5a));
        QCOMPARE(legend.color_at(100), QColor(0xd9, 0x3b, 0x30));
        QVERIFY(legend.color_at(5) != legend.color_at(0));
    }

    // The whole flow of issue #5, as a user would: edits with undo/redo, calibration data, Calibrate and
    // Quantize in the background, the heatmap and the error column, histograms, summary, export, and
    // the exported QDQ model loaded back and run.
    void end_to_end_quantize_and_export() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kCnn));
        w::Session* s = window.session();
        QVERIFY(s->layers().size() >= 3);
        auto* layers = qobject_cast<w::LayersPanel*>(window.panel(QStringLiteral("LayersPanel")));
        QVERIFY(layers);
        QAbstractItemModelTester tester(layers->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxy_tester(layers->proxy(),
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);

        const QString first = QString::fromStdString(s->layers()[0].name);
        const QString second = QString::fromStdString(s->layers()[1].name);
        s->set_selection({s->layers()[0].node});
        s->set_precision({first}, lowbit::quant::Precision::kFp16);  // the sensitive layer
        s->set_weight_bits({second}, 4);
        QCOMPARE(s->layer_named(first)->precision, lowbit::quant::Precision::kFp16);
        QCOMPARE(s->layer_named(second)->weight_bits, 4);
        QVERIFY(s->dirty());
        s->undo_stack()->undo();
        QCOMPARE(s->layer_named(second)->weight_bits, 8);
        s->undo_stack()->redo();
        QCOMPARE(s->layer_named(second)->weight_bits, 4);

        use_example_samples(s);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window.runner()->calibrate());
        QVERIFY(wait_run(window));
        QVERIFY(s->calibration());
        QCOMPARE(s->calibration()->table.samples, int64_t{64});
        QVERIFY(window.runner()->quantize());
        QVERIFY(wait_run(window));
        QVERIFY(s->result());
        QVERIFY(!s->result()->errors.empty());
        qInfo("calibrate + quantize took %lld ms", static_cast<long long>(clock.elapsed()));

        // heatmap: colours on the layer nodes, legend visible
        QVERIFY(window.heatmap()->filled_nodes() > 0);
        QVERIFY(window.graph_view()->node_fill(s->layers()[1].node).has_value());
        QVERIFY(window.canvas()->legend()->isVisible());
        const QColor sqnr_colour = *window.graph_view()->node_fill(s->layers()[1].node);
        s->set_error_view(w::Session::ErrorMetric::kMse, true);
        QVERIFY(window.graph_view()->node_fill(s->layers()[1].node).has_value());
        QVERIFY(window.canvas()->legend()->isVisible());
        s->set_error_view(w::Session::ErrorMetric::kSqnr, false);
        QCOMPARE(*window.graph_view()->node_fill(s->layers()[1].node), sqnr_colour);

        // the error column has values and sorts worst first
        auto* model = layers->model();
        int with_error = 0;
        for (int r = 0; r < model->rowCount(); ++r)
            with_error += model->index(r, w::LayerTableModel::kError).data().toString().isEmpty() ? 0 : 1;
        QCOMPARE(with_error, model->rowCount());
        layers->table()->sortByColumn(w::LayerTableModel::kError, Qt::AscendingOrder);
        const double top = layers->proxy()->index(0, w::LayerTableModel::kError).data().toString().toDouble();
        for (int r = 1; r < layers->proxy()->rowCount(); ++r)
            QVERIFY(layers->proxy()->index(r, w::LayerTableModel::kError).data().toString().toDouble() >=
                    top);

        // the INT4 layer's histograms: activations with clip lines and grid, weight ranges
        auto* hist = qobject_cast<w::HistogramsPanel*>(window.panel(QStringLiteral("HistogramsPanel")));
        QVERIFY(hist);
        s->set_selection({s->layers()[1].node});
        QVERIFY(hist->activation_series() >= 4);  // histogram, grid band, grid ticks, two clip lines
        QVERIFY(hist->weight_series() == 1);
        auto* summary = qobject_cast<w::SummaryPanel*>(window.panel(QStringLiteral("SummaryPanel")));
        QVERIFY(summary);
        QVERIFY(!summary->value(w::SummaryPanel::tr("After")).isEmpty());
        QVERIFY(!summary->value(QStringLiteral("FP16")).isEmpty());
        QVERIFY(!summary->value(QStringLiteral("INT4")).isEmpty());

        // accuracy before and after on the labelled samples
        QVERIFY(window.runner()->evaluate());
        QVERIFY(wait_run(window));
        QVERIFY(s->accuracy().has_value());
        QCOMPARE(s->accuracy()->before.samples, int64_t{64});
        QVERIFY(s->accuracy()->after.top1() > 50.0);
        QVERIFY(summary->value(w::SummaryPanel::tr("Top-1 after")).endsWith(QStringLiteral("%")));

        // a per-layer edit re-quantizes from the stored table: the calibration object stays the same
        const auto* calibration = s->calibration();
        QSignalSpy requantized(s, &w::Session::results_changed);
        s->set_precision({QString::fromStdString(s->layers()[2].name)}, lowbit::quant::Precision::kFp32);
        QTRY_VERIFY_WITH_TIMEOUT(requantized.count() > 0 && !window.runner()->busy(), 120000);
        QCOMPARE(s->calibration(), calibration);
        QCOMPARE(s->result()->plan.layer(s->layers()[2].name)->precision, lowbit::quant::Precision::kFp32);
        // the session, the stored calibration and the result share their weights: at most two float copies
        // (the original, and the prepared model where BatchNorm folding and balancing changed a weight)
        {
            const auto* r = s->result();
            const uint64_t one = lowbit::ir::distinct_tensor_bytes({s->model()}, true);
            const uint64_t held = lowbit::ir::distinct_tensor_bytes(
                {s->model(), &s->calibration()->prepared->model, r->original.get(), r->prepared.get()}, true);
            QVERIFY(one > 0);
            QVERIFY2(held <= 2 * one,
                     qPrintable(QStringLiteral("%1 float weight bytes held for %2").arg(held).arg(one)));
            QCOMPARE(r->original.get(), s->model());
        }

        // export, load back, run
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QSignalSpy exported(window.runner(), &w::RunController::exported);
        QVERIFY(window.runner()->export_outputs(dir.path() + QStringLiteral("/out"), {}));
        QVERIFY(exported.wait(60000));
        QCOMPARE(exported.first().first().toStringList().size(), 3);
        const QString qdq = dir.path() + QStringLiteral("/out/model_qdq.onnx");
        QVERIFY(QFile::exists(dir.path() + QStringLiteral("/out/report.json")));
        QVERIFY(QFile::exists(dir.path() + QStringLiteral("/out/calibration.json")));
        auto loaded = lowbit::onnx_io::load_model(qdq.toStdString());
        QVERIFY2(loaded.is_ok(), loaded.status().message().c_str());
        auto exec = lowbit::runtime::Executor::create(*loaded);
        QVERIFY2(exec.is_ok(), exec.status().message().c_str());
        const auto& in = (*exec)->inputs().front();
        auto input = lowbit::runtime::Tensor::from_floats({1, 1, 28, 28}, std::vector<float>(28 * 28, 0.5f));
        auto out = (*exec)->run({{in.name, input}});
        QVERIFY2(out.is_ok(), out.status().message().c_str());
        QCOMPARE(out->front().second.numel(), int64_t{10});
    }

    void event_loop_turns_during_calibration() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kCnn));
        if (!use_long_calibration(window.session(), 3000))
            QSKIP("Fashion-MNIST training images not installed");
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(10);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window.runner()->calibrate());
        QVERIFY(wait_run(window, 300000));
        const qint64 ms = clock.elapsed();
        qInfo("calibrated 3000 samples in %lld ms with %d timer ticks", static_cast<long long>(ms), ticks);
        QVERIFY(ms > 200);
        QVERIFY(ticks >= ms / 10 / 4);  // the GUI thread kept turning (a quarter of the ideal, under load)
        QVERIFY(window.session()->calibration());
    }

    void cancel_stops_the_run_and_changes_nothing() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kCnn));
        w::Session* s = window.session();
        if (!use_long_calibration(s)) QSKIP("Fashion-MNIST training images not installed");
        QSignalSpy done(window.runner(), &w::RunController::finished);
        QSignalSpy refused(window.runner(), &w::RunController::refused);
        QVERIFY(window.runner()->quantize());
        // a second run while one is in flight is refused, with a message
        QVERIFY(!window.runner()->calibrate());
        QCOMPARE(refused.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(window.progress()->fraction() > 0.01, 60000);
        QElapsedTimer clock;
        clock.start();
        window.action(QStringLiteral("cancel_run"))->trigger();
        QVERIFY(done.wait(5000));
        qInfo("cancel took effect after %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY(clock.elapsed() < 1500);
        QCOMPARE(done.first().at(1).toBool(), false);
        QVERIFY(!s->calibration());
        QVERIFY(!s->result());
        QVERIFY(!window.runner()->busy());
    }

    void run_errors_are_reported_not_fatal() {
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, kCnn));
        QSignalSpy failed(window.runner(), &w::RunController::failed);
        lowbit::data::SourceSpec spec;
        spec.path = "/nonexistent/calibration.npy";
        window.session()->set_data(spec, 10, {});
        QVERIFY(window.runner()->calibrate());
        QVERIFY(!wait_run(window));
        QCOMPARE(failed.count(), 1);
        QVERIFY(window.log()->count(w::MessageLog::Severity::kError) >= 1);
        // without data, Quantize is refused
        QVERIFY(!window.runner()->evaluate());
    }

    void calibration_dialog_previews_and_reports_errors() {
        auto model = load(kCnn);
        QVERIFY(model);
        w::MessageLog log;
        lowbit::workflow::Recipe recipe;
        w::CalibrationDialog dialog(model, recipe, &log);
        QSignalSpy previewed(&dialog, &w::CalibrationDialog::preview_finished);
        dialog.set_path(kSamples);
        QVERIFY(previewed.wait(10000));
        QCOMPARE(previewed.last().first().toBool(), true);
        QCOMPARE(dialog.preview_count(), 4);
        QVERIFY(dialog.error_text().isEmpty());
        dialog.set_path(QStringLiteral("/nonexistent/folder"));
        QVERIFY(previewed.wait(10000));
        QCOMPARE(previewed.last().first().toBool(), false);
        QVERIFY(!dialog.error_text().isEmpty());
        QCOMPARE(dialog.preview_count(), 0);
        QVERIFY(log.count(w::MessageLog::Severity::kError) >= 1);
        // a sample drawn as an image: the values stretched to 0..255
        std::vector<float> px = {0.f, 1.f, 2.f, 3.f};
        QImage img = w::sample_to_image(px.data(), {1, 2, 2}, false);
        QCOMPARE(img.size(), QSize(2, 2));
        QCOMPARE(qGray(img.pixel(0, 0)), 0);
        QCOMPARE(qGray(img.pixel(1, 1)), 255);
    }

    void project_saves_and_opens_with_edits() {
        QTemporaryDir dir;
        const QString project = dir.path() + QStringLiteral("/cnn_project.yaml");
        QString second;
        {
            lowbit::studio::MainWindow window;
            window.show();
            QVERIFY(open_and_lay_out(window, kCnn));
            w::Session* s = window.session();
            second = QString::fromStdString(s->layers()[1].name);
            s->set_weight_bits({second}, 4);
            use_example_samples(s);
            QVERIFY(s->dirty());
            QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")) || window.isWindowModified());
            // the unsaved-changes question: Cancel stops, Discard goes on
            window.set_save_prompt([] { return int(QMessageBox::Cancel); });
            QVERIFY(!window.maybe_save());
            QVERIFY(window.save_project_as(project));
            QVERIFY(!s->dirty());
            QVERIFY(window.maybe_save());
            QCOMPARE(s->project_file(), QFileInfo(project).absoluteFilePath());
        }
        lowbit::studio::MainWindow window;
        window.show();
        QVERIFY(open_and_lay_out(window, project));
        w::Session* s = window.session();
        QCOMPARE(s->layer_named(second)->weight_bits, 4);
        QCOMPARE(s->overrides().size(), size_t{1});
        QCOMPARE(QString::fromStdString(s->recipe().data.path.string()), kSamples);
        QVERIFY(!s->dirty());
        QCOMPARE(s->project_file(), QFileInfo(project).absoluteFilePath());
        // the edit is still undoable as a studio rule
        s->reset_overrides({second});
        QCOMPARE(s->layer_named(second)->weight_bits, 8);
    }

    void autosave_is_offered_for_recovery() {
        QFile::remove(lowbit::studio::MainWindow::recovery_file());
        QString second;
        {
            lowbit::studio::MainWindow window;
            window.show();
            QVERIFY(open_and_lay_out(window, kCnn));
            second = QString::fromStdString(window.session()->layers()[1].name);
            window.session()->set_precision({second}, lowbit::quant::Precision::kFp16);
            window.set_autosave_interval(50);
            QTRY_VERIFY(QFile::exists(lowbit::studio::MainWindow::recovery_file()));
            // the window "crashes": destroyed without closing, so the copy stays
        }
        lowbit::studio::MainWindow window;
        window.show();
        QSignalSpy laid_out(window.graph_view(), &w::GraphView::layout_finished);
        QVERIFY(window.offer_recovery(QString(), false));
        QVERIFY(laid_out.wait(30000));
        QCOMPARE(window.session()->layer_named(second)->precision, lowbit::quant::Precision::kFp16);
        QVERIFY(window.session()->dirty());
        window.set_save_prompt([] { return int(QMessageBox::Discard); });
        QVERIFY(window.close());
        QVERIFY(!QFile::exists(lowbit::studio::MainWindow::recovery_file()));
    }
};

QTEST_MAIN(StudioTest)
#include "studio_test.moc"
