#include "main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

#include "dialogs/calibration_dialog.h"
#include "dialogs/export_dialog.h"
#include "graph/error_heatmap.h"
#include "graph/graph_canvas.h"
#include "graph/graph_view.h"
#include "jobs/progress_tracker.h"
#include "jobs/run_controller.h"
#include "models/message_log.h"
#include "onnx/onnx_io.h"
#include "panel_registry.h"
#include "panels/layer_actions.h"
#include "session/session.h"
#include "studio_settings.h"
#include "workflow/recipe.h"

namespace lowbit::studio {

namespace {

struct LoadResult {
    QString file;     // the model
    QString project;  // the project file, when one was opened
    std::optional<workflow::Recipe> recipe;
    std::shared_ptr<const ir::Model> model;
    analysis::ModelSummary summary;
    QString error;
};

bool is_project(const QString& file) {
    const QString suffix = QFileInfo(file).suffix().toLower();
    return suffix == QLatin1String("yaml") || suffix == QLatin1String("yml");
}

// Stops between steps once a newer load supersedes it (its result would be dropped anyway).
LoadResult load(const QString& file, const CancelToken& cancel) {
    LoadResult r;
    r.file = file;
    if (is_project(file)) {
        r.project = QFileInfo(file).absoluteFilePath();
        auto recipe = workflow::load_recipe(file.toStdString());
        if (!recipe) {
            r.error = QString::fromStdString(recipe.status().message());
            return r;
        }
        if (recipe->model.empty()) {
            r.error = QObject::tr("%1: the project names no model (add `model: FILE.onnx`)").arg(file);
            return r;
        }
        r.file = QString::fromStdString(recipe->model.lexically_normal().string());
        r.recipe = std::move(*recipe);
    }
    if (cancel.cancelled()) return r;
    auto model = onnx_io::load_model(r.file.toStdString());
    if (!model) {
        r.error = QString::fromStdString(model.status().message());
        return r;
    }
    if (cancel.cancelled()) return r;
    r.summary = analysis::summarize(*model);
    r.model = std::make_shared<const ir::Model>(std::move(model).value());
    return r;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("MainWindow"));
    jobs_ = new widgets::JobRunner(this);
    session_ = new widgets::Session(this);
    log_ = new widgets::MessageLog(this);
    progress_ = new widgets::ProgressTracker(this);
    canvas_ = new widgets::GraphCanvas(this);
    runner_ = new widgets::RunController(session_, progress_, log_, this);
    heatmap_ = new widgets::ErrorHeatmap(session_, canvas_, this);
    autosave_ = new QTimer(this);
    autosave_->setInterval(30000);
    setCentralWidget(canvas_);
    setWindowTitle(tr("Lowbit Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lowbit.svg")));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setAcceptDrops(true);
    resize(1280, 800);

    create_panels();
    create_actions();
    zoom_label_ = new QLabel(this);
    statusBar()->addPermanentWidget(zoom_label_);

    // graph <-> session: selection both ways, badges follow the overrides, node context menu
    widgets::GraphView* graph = graph_view();
    connect(graph, &widgets::GraphView::selection_changed, this,
            [this, graph](const QVector<ir::NodeId>& ids) { session_->set_selection(ids, graph); });
    connect(session_, &widgets::Session::selection_changed, this,
            [graph](const QVector<ir::NodeId>& ids, QObject* origin) {
                if (origin != graph) graph->set_selected_nodes(ids);
            });
    connect(session_, &widgets::Session::overrides_changed, this, &MainWindow::update_badges);
    connect(graph, &widgets::GraphView::node_context_menu, this,
            [this](const QVector<ir::NodeId>&, const QPoint& pos) {
                QMenu menu(this);
                if (add_layer_actions(&menu, session_, session_->selected_layer_names())) menu.exec(pos);
            });
    connect(graph, &widgets::GraphView::zoom_changed, this,
            [this](double z) { zoom_label_->setText(tr("Zoom %1 %").arg(qRound(z * 100))); });
    connect(graph, &widgets::GraphView::layout_started, this,
            [this](int n) { statusBar()->showMessage(tr("Laying out %1 nodes…").arg(n)); });
    connect(graph, &widgets::GraphView::layout_finished, this, [this](int n, double seconds) {
        statusBar()->showMessage(tr("Graph laid out: %1 nodes in %2 s").arg(n).arg(seconds, 0, 'f', 2), 8000);
    });
    connect(graph, &widgets::GraphView::layout_failed, this,
            [this](const QString& message) { log_->error(message); });
    connect(log_, &widgets::MessageLog::message_added, this, [this](const widgets::MessageLog::Message& m) {
        if (m.severity == widgets::MessageLog::Severity::kError) statusBar()->showMessage(m.text, 8000);
    });
    connect(jobs_, &widgets::JobRunner::busy_changed, this, [this](bool busy) {
        if (busy) statusBar()->showMessage(tr("Loading…"));
    });

    // project state: the title's [*] follows unsaved changes; a recovery copy every 30 s while dirty
    connect(session_, &widgets::Session::dirty_changed, this, &MainWindow::update_title);
    connect(autosave_, &QTimer::timeout, this, [this] {
        if (session_->model() && session_->dirty()) write_recovery();
    });
    autosave_->start();
    save_prompt_ = [this] {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("The project %1 has unsaved changes. Save them?").arg(model_title()),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                     QMessageBox::Save);
    };

    // runs: errors and refusals in a message (the log has them too), exports with their paths
    connect(runner_, &widgets::RunController::failed, this,
            [this](const QString& m) { show_message(QMessageBox::Warning, tr("Run failed"), m); });
    connect(runner_, &widgets::RunController::refused, this, [this](const QString& m) {
        statusBar()->showMessage(m, 8000);
        show_message(QMessageBox::Information, tr("Cannot start"), m);
    });
    connect(
        runner_, &widgets::RunController::finished, this,
        [this](widgets::RunController::Kind, bool, const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(runner_, &widgets::RunController::exported, this, [this](const QStringList& paths) {
        show_message(QMessageBox::Information, tr("Export finished"),
                     tr("Wrote:\n%1").arg(paths.join(QLatin1Char('\n'))));
    });

    // restore the user's layout (the registry's defaults otherwise)
    restoreGeometry(settings::window_geometry());
    restoreState(settings::window_state());
    statusBar()->showMessage(tr("Ready"));
}

widgets::GraphView* MainWindow::graph_view() const {
    return canvas_->view();
}

void MainWindow::create_panels() {
    widgets::PanelContext ctx{session_, log_, progress_, canvas_->view()};
    for (const PanelInfo& info : studio_panels()) {
        QDockWidget* dock = info.create(ctx, this);
        dock->setObjectName(info.id);
        addDockWidget(info.area, dock);
        if (QDockWidget* other = panels_.value(info.tab_with)) tabifyDockWidget(other, dock);
        dock->setVisible(info.visible);
        panels_.insert(info.id, dock);
    }
    // the first panel of each tab group in front
    for (const PanelInfo& info : studio_panels())
        if (info.tab_with.isEmpty()) panels_.value(info.id)->raise();
    resizeDocks(
        {panels_.value(QStringLiteral("LayersPanel")), panels_.value(QStringLiteral("InspectorPanel"))},
        {480, 380}, Qt::Horizontal);
    resizeDocks({panels_.value(QStringLiteral("ProblemsPanel"))}, {150}, Qt::Vertical);
}

QAction* MainWindow::add_action(const QString& id, const QString& text, const QKeySequence& shortcut) {
    auto* a = new QAction(text, this);
    a->setObjectName(id);
    if (!shortcut.isEmpty()) {
        a->setShortcut(shortcut);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                    shortcut.toString(QKeySequence::NativeText)));
    }
    actions_.insert(id, a);
    return a;
}

void MainWindow::create_actions() {
    widgets::GraphView* graph = canvas_->view();
    QStyle* st = style();

    QAction* open = add_action(QStringLiteral("open"), tr("&Open Model or Project…"), QKeySequence::Open);
    open->setIcon(st->standardIcon(QStyle::SP_DialogOpenButton));
    connect(open, &QAction::triggered, this, &MainWindow::choose_model);
    QAction* save =
        add_action(QStringLiteral("save"), tr("&Save Project"), QKeySequence(QStringLiteral("Ctrl+S")));
    save->setIcon(st->standardIcon(QStyle::SP_DialogSaveButton));
    connect(save, &QAction::triggered, this, &MainWindow::save_project);
    QAction* save_as = add_action(QStringLiteral("save_as"), tr("Save Project &As…"),
                                  QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    connect(save_as, &QAction::triggered, this, [this] { save_project_as({}); });

    // run
    QAction* data = add_action(QStringLiteral("calibration_data"), tr("Calibration &Data…"),
                               QKeySequence(QStringLiteral("Ctrl+D")));
    connect(data, &QAction::triggered, this, &MainWindow::choose_calibration_data);
    QAction* calibrate =
        add_action(QStringLiteral("calibrate"), tr("&Calibrate"), QKeySequence(QStringLiteral("F6")));
    connect(calibrate, &QAction::triggered, runner_, &widgets::RunController::calibrate);
    QAction* quantize =
        add_action(QStringLiteral("quantize"), tr("&Quantize"), QKeySequence(QStringLiteral("F7")));
    quantize->setIcon(st->standardIcon(QStyle::SP_MediaPlay));
    connect(quantize, &QAction::triggered, runner_, &widgets::RunController::quantize);
    QAction* evaluate =
        add_action(QStringLiteral("evaluate"), tr("&Evaluate"), QKeySequence(QStringLiteral("F8")));
    connect(evaluate, &QAction::triggered, runner_, &widgets::RunController::evaluate);
    QAction* cancel =
        add_action(QStringLiteral("cancel_run"), tr("Ca&ncel Run"), QKeySequence(QStringLiteral("Shift+F7")));
    cancel->setIcon(st->standardIcon(QStyle::SP_BrowserStop));
    connect(cancel, &QAction::triggered, progress_, &widgets::ProgressTracker::cancel);
    QAction* export_ =
        add_action(QStringLiteral("export"), tr("E&xport…"), QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    connect(export_, &QAction::triggered, this, &MainWindow::choose_export);
    QAction* heat =
        add_action(QStringLiteral("heatmap"), tr("Error &Heatmap"), QKeySequence(QStringLiteral("Ctrl+H")));
    heat->setCheckable(true);
    heat->setChecked(true);
    connect(heat, &QAction::toggled, heatmap_, &widgets::ErrorHeatmap::set_enabled);
    auto update_run_actions = [=, this] {
        const bool model = session_->model() != nullptr, busy = runner_->busy();
        for (QAction* a : {data, calibrate, quantize})
            a->setEnabled(model);
        evaluate->setEnabled(model && session_->result());
        export_->setEnabled(model && session_->result());
        cancel->setEnabled(busy);
        save->setEnabled(model);
        save_as->setEnabled(model);
    };
    connect(session_, &widgets::Session::model_changed, this, update_run_actions);
    connect(session_, &widgets::Session::results_changed, this, update_run_actions);
    connect(runner_, &widgets::RunController::busy_changed, this, update_run_actions);
    update_run_actions();
    QAction* quit = add_action(QStringLiteral("quit"), tr("&Quit"), QKeySequence(QStringLiteral("Ctrl+Q")));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QAction* undo = session_->undo_stack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence(QStringLiteral("Ctrl+Z")));
    undo->setIcon(st->standardIcon(QStyle::SP_ArrowBack));
    actions_.insert(QStringLiteral("undo"), undo);
    QAction* redo = session_->undo_stack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(
        {QKeySequence(QStringLiteral("Ctrl+Shift+Z")), QKeySequence(QStringLiteral("Ctrl+Y"))});
    redo->setIcon(st->standardIcon(QStyle::SP_ArrowForward));
    actions_.insert(QStringLiteral("redo"), redo);
    QAction* find = add_action(QStringLiteral("find"), tr("&Find Node…"), QKeySequence::Find);
    connect(find, &QAction::triggered, canvas_, &widgets::GraphCanvas::show_find);

    QAction* zin = add_action(QStringLiteral("zoom_in"), tr("Zoom &In"), QKeySequence::ZoomIn);
    connect(zin, &QAction::triggered, graph, &widgets::GraphView::zoom_in);
    QAction* zout = add_action(QStringLiteral("zoom_out"), tr("Zoom &Out"), QKeySequence::ZoomOut);
    connect(zout, &QAction::triggered, graph, &widgets::GraphView::zoom_out);
    QAction* fit =
        add_action(QStringLiteral("zoom_fit"), tr("&Fit to Window"), QKeySequence(QStringLiteral("Ctrl+0")));
    connect(fit, &QAction::triggered, graph, &widgets::GraphView::zoom_fit);
    QAction* one = add_action(QStringLiteral("zoom_reset"), tr("&Actual Size (1:1)"),
                              QKeySequence(QStringLiteral("Ctrl+1")));
    connect(one, &QAction::triggered, graph, &widgets::GraphView::zoom_reset);
    QAction* labels = add_action(QStringLiteral("edge_labels"), tr("Tensor &Shapes on Edges"),
                                 QKeySequence(QStringLiteral("Ctrl+E")));
    labels->setCheckable(true);
    connect(labels, &QAction::toggled, graph, &widgets::GraphView::set_edge_labels_visible);
    QAction* overview = add_action(QStringLiteral("overview"), tr("&Overview Map"));
    overview->setCheckable(true);
    overview->setChecked(true);
    connect(overview, &QAction::toggled, canvas_, &widgets::GraphCanvas::set_overview_visible);

    // menus
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(open);
    recent_menu_ = file->addMenu(tr("Open &Recent"));
    connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::rebuild_recent_menu);
    rebuild_recent_menu();
    file->addSeparator();
    file->addAction(save);
    file->addAction(save_as);
    file->addSeparator();
    file->addAction(export_);
    file->addSeparator();
    file->addAction(quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(find);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(zin);
    view->addAction(zout);
    view->addAction(fit);
    view->addAction(one);
    view->addSeparator();
    view->addAction(labels);
    view->addAction(overview);
    view->addAction(heat);
    view->addSeparator();
    QMenu* panels_menu = view->addMenu(tr("&Panels"));
    for (const PanelInfo& info : studio_panels())
        panels_menu->addAction(panels_.value(info.id)->toggleViewAction());
    QMenu* language = view->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const QString current = settings::language();
    for (const auto& [code, name] : {std::pair{QString(), tr("System Default")},
                                     std::pair{QStringLiteral("en"), QStringLiteral("English")},
                                     std::pair{QStringLiteral("zh_CN"), QStringLiteral("简体中文")}}) {
        QAction* a = language->addAction(name);
        a->setCheckable(true);
        a->setChecked(code == current);
        a->setData(code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] { choose_language(code); });
    }

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(data);
    run->addSeparator();
    run->addAction(calibrate);
    run->addAction(quantize);
    run->addAction(evaluate);
    run->addAction(cancel);
    run->addSeparator();
    run->addAction(export_);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Lowbit Studio"), this, [this] {
        QMessageBox::about(
            this, tr("About Lowbit Studio"),
            tr("<b>Lowbit Studio %1</b><br>Compress ONNX models: inspect the graph, choose per-layer "
               "precision, quantize.")
                .arg(QApplication::applicationVersion()));
    });

    // toolbar
    QToolBar* tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("MainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonIconOnly);  // actions without an icon show their text
    tools->addAction(open);
    tools->addSeparator();
    tools->addAction(undo);
    tools->addAction(redo);
    tools->addSeparator();
    for (QAction* a : {zin, zout, fit, one})
        tools->addAction(a);
    tools->addSeparator();
    tools->addAction(find);
    tools->addAction(labels);

    // the run toolbar: actions, then the heatmap's metric and view
    addToolBarBreak();
    QToolBar* runs = addToolBar(tr("Run"));
    runs->setObjectName(QStringLiteral("RunToolBar"));
    runs->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (QAction* a : {data, calibrate, quantize, evaluate, cancel, export_})
        runs->addAction(a);
    runs->addSeparator();
    runs->addAction(heat);
    metric_box_ = new QComboBox(runs);
    metric_box_->setObjectName(QStringLiteral("HeatmapMetric"));
    metric_box_->addItem(tr("SQNR (dB)"), static_cast<int>(widgets::Session::ErrorMetric::kSqnr));
    metric_box_->addItem(tr("Cosine"), static_cast<int>(widgets::Session::ErrorMetric::kCosine));
    metric_box_->addItem(tr("MSE"), static_cast<int>(widgets::Session::ErrorMetric::kMse));
    metric_box_->setToolTip(tr("Error metric of the heatmap and the Layers table"));
    view_box_ = new QComboBox(runs);
    view_box_->setObjectName(QStringLiteral("HeatmapView"));
    view_box_->addItem(tr("Accumulated"), false);
    view_box_->addItem(tr("Isolated"), true);
    view_box_->setToolTip(
        tr("Accumulated: the whole model quantized (what deployment sees). "
           "Isolated: only this layer quantized."));
    runs->addWidget(metric_box_);
    runs->addWidget(view_box_);
    auto apply_view = [this] {
        session_->set_error_view(
            static_cast<widgets::Session::ErrorMetric>(metric_box_->currentData().toInt()),
            view_box_->currentData().toBool());
    };
    connect(metric_box_, &QComboBox::currentIndexChanged, this, apply_view);
    connect(view_box_, &QComboBox::currentIndexChanged, this, apply_view);
}

void MainWindow::rebuild_recent_menu() {
    recent_menu_->clear();
    const QStringList files = settings::recent_files();
    for (const QString& f : files)
        recent_menu_
            ->addAction(QFileInfo(f).fileName(), this,
                        [this, f] {
                            if (maybe_save()) open_model(f);
                        })
            ->setToolTip(f);
    if (!files.isEmpty()) {
        recent_menu_->addSeparator();
        recent_menu_->addAction(tr("Clear List"), this, [] { settings::clear_recent_files(); });
    }
    recent_menu_->setEnabled(!files.isEmpty());
}

void MainWindow::choose_language(const QString& language) {
    settings::set_language(language);
    const QString text = tr("The language changes when Lowbit Studio is started again.");
    log_->info(text);
    statusBar()->showMessage(text, 8000);
}

void MainWindow::choose_model() {
    if (!maybe_save()) return;
    const QStringList recent = settings::recent_files();
    const QString dir = recent.isEmpty() ? QString() : QFileInfo(recent.first()).absolutePath();
    QString file = QFileDialog::getOpenFileName(this, tr("Open Model or Project"), dir,
                                                tr("Models and projects (*.onnx *.yaml *.yml);;ONNX models "
                                                   "(*.onnx);;Projects (*.yaml *.yml);;All files (*)"));
    if (!file.isEmpty()) open_model(file);
}

void MainWindow::open_model(const QString& file) {
    jobs_->run<LoadResult>(
        [file](const CancelToken& cancel) { return load(file, cancel); },
        [this](LoadResult r) {
            if (!r.error.isEmpty()) {
                statusBar()->showMessage(tr("Could not open %1").arg(r.file));
                log_->error(r.error);
                emit model_failed(r.error);
                show_message(QMessageBox::Warning, tr("Cannot open model"), r.error);
                return;
            }
            const bool restoring = !pending_project_file_.isNull();
            session_->set_model(r.model, r.file, r.summary);
            if (r.recipe) {
                session_->set_recipe(*r.recipe);
                session_->set_project_file(r.project);
                for (const auto& w : r.recipe->warnings)
                    log_->warning(QString::fromStdString(w));
            }
            if (!pending_project_file_.isNull()) {  // a restored recovery copy
                session_->set_project_file(pending_project_file_);
                session_->mark_dirty();
                pending_project_file_ = QString();
            }
            canvas_->view()->set_model(r.model);
            update_badges();
            settings::add_recent_file(r.project.isEmpty() || restoring ? r.file : r.project);
            for (const auto& op : r.summary.unknown_operators)
                log_->warning(tr("Unknown operator %1: shapes after it may be missing")
                                  .arg(QString::fromStdString(op)));
            log_->info(tr("Opened %1: %2 nodes, %3 compute layers")
                           .arg(r.file)
                           .arg(r.summary.node_count)
                           .arg(session_->layers().size()));
            update_title();
            statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(r.file).fileName()));
            emit model_opened(r.file);
        });
}

QString MainWindow::model_title() const {
    return session_->model() ? session_->title() : tr("No model open");
}

void MainWindow::update_badges() {
    widgets::GraphView* graph = canvas_->view();
    graph->clear_node_badges();
    for (const auto& l : session_->layers())
        graph->set_node_badge(l.node, widgets::precision_label(l), widgets::precision_color(l));
}

void MainWindow::update_title() {
    if (!session_->model()) {
        setWindowTitle(tr("Lowbit Studio"));
        return;
    }
    const QString project = session_->project_file();
    const QString name = project.isEmpty() ? session_->title() : QFileInfo(project).completeBaseName();
    setWindowTitle(tr("%1[*] — Lowbit Studio").arg(name));
    setWindowModified(session_->dirty());
}

void MainWindow::show_message(QMessageBox::Icon icon, const QString& title, const QString& text) {
    // window-modal but not blocking: the event loop keeps turning
    auto* box = new QMessageBox(icon, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::save_project() {
    if (!session_->model()) return false;
    if (session_->project_file().isEmpty()) return save_project_as({});
    return save_project_as(session_->project_file());
}

bool MainWindow::save_project_as(const QString& chosen) {
    if (!session_->model()) return false;
    QString file = chosen;
    if (file.isEmpty()) {
        const QString suggestion = session_->project_file().isEmpty()
                                       ? QFileInfo(session_->file()).absolutePath() + QLatin1Char('/') +
                                             session_->title() + QStringLiteral(".yaml")
                                       : session_->project_file();
        file =
            QFileDialog::getSaveFileName(this, tr("Save Project"), suggestion, tr("Projects (*.yaml *.yml)"));
        if (file.isEmpty()) return false;
        if (QFileInfo(file).suffix().isEmpty()) file += QStringLiteral(".yaml");
    }
    const QString dir = QFileInfo(file).absolutePath();
    const std::string text = workflow::recipe_to_yaml(session_->recipe(), dir.toStdString());
    QSaveFile out(file);
    const QByteArray header = QStringLiteral(
                                  "# Lowbit Studio project: open with lowbit-studio, or run with\n"
                                  "#   lowbit quantize MODEL --config %1 -o OUT\n")
                                  .arg(QFileInfo(file).fileName())
                                  .toUtf8();
    if (!out.open(QIODevice::WriteOnly) || out.write(header) < 0 ||
        out.write(text.data(), static_cast<qint64>(text.size())) < 0 || !out.commit()) {
        const QString m = tr("Could not save %1: %2").arg(file, out.errorString());
        log_->error(m);
        show_message(QMessageBox::Warning, tr("Save failed"), m);
        return false;
    }
    session_->set_project_file(QFileInfo(file).absoluteFilePath());
    session_->set_clean();
    QFile::remove(recovery_file());
    settings::add_recent_file(session_->project_file());
    update_title();
    statusBar()->showMessage(tr("Saved %1").arg(file), 8000);
    emit project_saved(session_->project_file());
    return true;
}

bool MainWindow::maybe_save() {
    if (!session_->model() || !session_->dirty()) return true;
    switch (save_prompt_ ? save_prompt_() : QMessageBox::Discard) {
        case QMessageBox::Save:
            return save_project();
        case QMessageBox::Discard:
            QFile::remove(recovery_file());
            return true;
        default:
            return false;
    }
}

QString MainWindow::recovery_file() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery.yaml");
}

bool MainWindow::write_recovery() {
    if (!session_->model()) return false;
    const QString file = recovery_file();
    QDir().mkpath(QFileInfo(file).absolutePath());
    const std::string text = workflow::recipe_to_yaml(session_->recipe());
    QSaveFile out(file);
    const QByteArray header =
        QStringLiteral("# Lowbit Studio recovery copy of: %1\n")
            .arg(session_->project_file().isEmpty() ? session_->file() : session_->project_file())
            .toUtf8();
    if (!out.open(QIODevice::WriteOnly) || out.write(header) < 0 ||
        out.write(text.data(), static_cast<qint64>(text.size())) < 0 || !out.commit())
        return false;
    settings::set_recovery_project(session_->project_file());
    return true;
}

void MainWindow::set_autosave_interval(int ms) {
    autosave_->start(ms);
}

bool MainWindow::offer_recovery(const QString& project, bool ask) {
    const QFileInfo rec(recovery_file());
    if (!rec.exists()) return false;
    const QString owner = settings::recovery_project();
    const QString wanted = project.isEmpty() ? QString() : QFileInfo(project).absoluteFilePath();
    // a recovery copy of another project is left for that project's next opening
    if (!wanted.isEmpty() && is_project(wanted) && owner != wanted) return false;
    if (!owner.isEmpty() && QFileInfo(owner).exists() &&
        QFileInfo(owner).lastModified() >= rec.lastModified()) {
        QFile::remove(rec.absoluteFilePath());  // the project was saved after the copy
        return false;
    }
    if (ask) {
        const auto answer = QMessageBox::question(
            this, tr("Restore unsaved changes?"),
            tr("Lowbit Studio did not close cleanly. Restore the unsaved changes of %1 from %2?")
                .arg(owner.isEmpty() ? tr("an unsaved project") : owner,
                     QLocale().toString(rec.lastModified(), QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) {
            QFile::remove(rec.absoluteFilePath());
            return false;
        }
    }
    pending_project_file_ = owner.isNull() ? QStringLiteral("") : owner;
    open_model(rec.absoluteFilePath());
    return true;
}

void MainWindow::choose_calibration_data() {
    if (!session_->model()) return;
    auto* dialog = new widgets::CalibrationDialog(session_->shared_model(), session_->recipe(), log_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        session_->set_data(dialog->spec(), dialog->num_samples(), dialog->eval());
        log_->info(tr("Calibration data: %1").arg(QString::fromStdString(dialog->spec().path.string())));
    });
    dialog->open();
}

void MainWindow::choose_export() {
    if (!session_->result()) return;
    const QString base = session_->project_file().isEmpty() ? session_->file() : session_->project_file();
    auto* dialog =
        new widgets::ExportDialog(QFileInfo(base).absolutePath() + QLatin1Char('/') +
                                      QFileInfo(base).completeBaseName() + QStringLiteral("_quantized"),
                                  this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { runner_->export_outputs(dialog->folder(), dialog->selection()); });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybe_save()) {
        event->ignore();
        return;
    }
    if (runner_->busy()) progress_->cancel();
    QFile::remove(recovery_file());
    settings::set_window_geometry(saveGeometry());
    settings::set_window_state(saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile() && maybe_save()) open_model(urls.first().toLocalFile());
}

}  // namespace lowbit::studio
