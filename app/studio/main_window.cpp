#include "main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

#include "graph/graph_canvas.h"
#include "graph/graph_view.h"
#include "jobs/progress_tracker.h"
#include "models/message_log.h"
#include "onnx/onnx_io.h"
#include "panel_registry.h"
#include "panels/layer_actions.h"
#include "session/session.h"
#include "studio_settings.h"

namespace lowbit::studio {

namespace {

struct LoadResult {
    QString file;
    std::shared_ptr<const ir::Model> model;
    analysis::ModelSummary summary;
    QString error;
};

LoadResult load(const QString& file) {
    LoadResult r;
    r.file = file;
    auto model = onnx_io::load_model(file.toStdString());
    if (!model) {
        r.error = QString::fromStdString(model.status().message());
        return r;
    }
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

    QAction* open = add_action(QStringLiteral("open"), tr("&Open Model…"), QKeySequence::Open);
    open->setIcon(st->standardIcon(QStyle::SP_DialogOpenButton));
    connect(open, &QAction::triggered, this, &MainWindow::choose_model);
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
    view->addSeparator();
    panels_menu_ = view->addMenu(tr("&Panels"));
    for (const PanelInfo& info : studio_panels())
        panels_menu_->addAction(panels_.value(info.id)->toggleViewAction());
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
}

void MainWindow::rebuild_recent_menu() {
    recent_menu_->clear();
    const QStringList files = settings::recent_files();
    for (const QString& f : files)
        recent_menu_->addAction(QFileInfo(f).fileName(), this, [this, f] { open_model(f); })->setToolTip(f);
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
    const QStringList recent = settings::recent_files();
    const QString dir = recent.isEmpty() ? QString() : QFileInfo(recent.first()).absolutePath();
    QString file = QFileDialog::getOpenFileName(this, tr("Open ONNX Model"), dir,
                                                tr("ONNX models (*.onnx);;All files (*)"));
    if (!file.isEmpty()) open_model(file);
}

void MainWindow::open_model(const QString& file) {
    jobs_->run<LoadResult>([file] { return load(file); },
                           [this](LoadResult r) {
                               if (!r.error.isEmpty()) {
                                   statusBar()->showMessage(tr("Could not open %1").arg(r.file));
                                   log_->error(r.error);
                                   emit model_failed(r.error);
                                   // window-modal but not blocking: the event loop keeps turning
                                   auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open model"),
                                                               r.error, QMessageBox::Ok, this);
                                   box->setAttribute(Qt::WA_DeleteOnClose);
                                   box->open();
                                   return;
                               }
                               session_->set_model(r.model, r.file, r.summary);
                               canvas_->view()->set_model(r.model);
                               update_badges();
                               settings::add_recent_file(r.file);
                               for (const auto& op : r.summary.unknown_operators)
                                   log_->warning(tr("Unknown operator %1: shapes after it may be missing")
                                                     .arg(QString::fromStdString(op)));
                               log_->info(tr("Opened %1: %2 nodes, %3 compute layers")
                                              .arg(r.file)
                                              .arg(r.summary.node_count)
                                              .arg(session_->layers().size()));
                               setWindowTitle(tr("%1 — Lowbit Studio").arg(session_->title()));
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

void MainWindow::closeEvent(QCloseEvent* event) {
    settings::set_window_geometry(saveGeometry());
    settings::set_window_state(saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) open_model(urls.first().toLocalFile());
}

}  // namespace lowbit::studio
