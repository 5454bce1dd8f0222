// The studio's main window: opens a model (File ▸ Open, the command line, drag and drop) on a background
// job and shows it. Later issues add the graph canvas and the docks.
#pragma once

#include <QMainWindow>
#include <memory>

#include "analysis/model_summary.h"
#include "ir/model.h"
#include "jobs/job_runner.h"

namespace lowbit::widgets {
class ModelOverview;
}

namespace lowbit::studio {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Starts loading `file`; the window stays responsive, and an error is shown in a message box.
    void open_model(const QString& file);

    QString model_title() const;
    bool loading() const { return jobs_->busy(); }

signals:
    void model_opened(const QString& file);
    void model_failed(const QString& message);

private:
    void choose_model();

    widgets::JobRunner* jobs_;
    widgets::ModelOverview* overview_;
    std::shared_ptr<const ir::Model> model_;
};

}  // namespace lowbit::studio
