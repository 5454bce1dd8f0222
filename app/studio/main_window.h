// The studio's main window, IDE-style: the graph canvas in the centre, the docks of the panel registry
// around it, menus and a toolbar with shortcuts. A model opens (File ▸ Open, Open Recent, the command
// line, drag and drop) on a background job; the Session then holds it and every view follows the
// Session. Geometry, dock layout and recent files persist in QSettings.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <memory>

#include "analysis/model_summary.h"
#include "ir/model.h"
#include "jobs/job_runner.h"

class QLabel;

namespace lowbit::widgets {
class GraphCanvas;
class GraphView;
class MessageLog;
class ProgressTracker;
class Session;
}  // namespace lowbit::widgets

namespace lowbit::studio {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Starts loading `file`; the window stays responsive, and an error is shown in a message box and
    // the Problems panel.
    void open_model(const QString& file);

    QString model_title() const;
    bool loading() const { return jobs_->busy(); }

    widgets::Session* session() const { return session_; }
    widgets::GraphCanvas* canvas() const { return canvas_; }
    widgets::GraphView* graph_view() const;
    widgets::MessageLog* log() const { return log_; }
    widgets::ProgressTracker* progress() const { return progress_; }
    QDockWidget* panel(const QString& id) const { return panels_.value(id); }
    QAction* action(const QString& id) const { return actions_.value(id); }

  signals:
    void model_opened(const QString& file);
    void model_failed(const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void create_panels();
    void create_actions();
    void choose_model();
    void update_badges();
    void rebuild_recent_menu();
    void choose_language(const QString& language);
    QAction* add_action(const QString& id, const QString& text, const QKeySequence& shortcut = {});

    widgets::JobRunner* jobs_;
    widgets::Session* session_;
    widgets::MessageLog* log_;
    widgets::ProgressTracker* progress_;
    widgets::GraphCanvas* canvas_;
    QHash<QString, QDockWidget*> panels_;
    QHash<QString, QAction*> actions_;
    QMenu* recent_menu_ = nullptr;
    QMenu* panels_menu_ = nullptr;
    QLabel* zoom_label_;
};

}  // namespace lowbit::studio
