#include "main_window.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "onnx/onnx_io.h"
#include "panels/model_overview.h"

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
    jobs_ = new widgets::JobRunner(this);
    overview_ = new widgets::ModelOverview(this);
    setCentralWidget(overview_);
    setWindowTitle(tr("Lowbit Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lowbit.svg")));
    resize(1100, 720);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::choose_model);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    connect(jobs_, &widgets::JobRunner::busy_changed, this, [this](bool busy) {
        if (busy) statusBar()->showMessage(tr("Loading…"));
    });
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::choose_model() {
    QString file = QFileDialog::getOpenFileName(this, tr("Open ONNX Model"), QString(),
                                                tr("ONNX models (*.onnx);;All files (*)"));
    if (!file.isEmpty()) open_model(file);
}

void MainWindow::open_model(const QString& file) {
    jobs_->run<LoadResult>([file] { return load(file); },
                           [this](LoadResult r) {
                               if (!r.error.isEmpty()) {
                                   statusBar()->showMessage(tr("Could not open %1").arg(r.file));
                                   emit model_failed(r.error);
                                   // window-modal but not blocking: the event loop keeps turning
                                   auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open model"),
                                                               r.error, QMessageBox::Ok, this);
                                   box->setAttribute(Qt::WA_DeleteOnClose);
                                   box->open();
                                   return;
                               }
                               model_ = r.model;
                               overview_->show_summary(r.file, r.summary);
                               setWindowTitle(tr("%1 — Lowbit Studio").arg(overview_->title()));
                               statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(r.file).fileName()));
                               emit model_opened(r.file);
                           });
}

QString MainWindow::model_title() const { return overview_->title(); }

}  // namespace lowbit::studio
