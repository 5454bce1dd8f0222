// The studio's main window, IDE-style: the graph canvas in the centre, the docks of the panel registry
// around it, menus and a toolbar with shortcuts. A model opens (File ▸ Open, Open Recent, the command
// line, drag and drop) on a background job; the Session then holds it and every view follows the
// Session. Geometry, dock layout and recent files persist in QSettings.
// A project (YAML, the CLI's config schema plus `model`) saves the recipe with the per-layer edits;
// Save/Save As write it atomically (QSaveFile), unsaved changes are asked about before close/open, and
// a recovery copy is autosaved every 30 s while dirty and offered at the next start. The Run menu
// (Calibration Data, Calibrate, Quantize, Evaluate, Export) drives the RunController; results show as
// the error heatmap on the graph, in the Layers table, the Histograms and the Summary docks.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QMessageBox>
#include <functional>
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
class ErrorHeatmap;
class RunController;
class Session;
}  // namespace lowbit::widgets

class QComboBox;
class QTimer;

namespace lowbit::studio {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Starts loading `file` (an .onnx model, or a .yaml project naming one); the window stays
    // responsive, and an error is shown in a message box and the Problems panel. No unsaved-changes
    // question here (File ▸ Open, Open Recent and drops ask first).
    void open_model(const QString& file);

    // ---- project ----
    bool save_project();                        // Save: Save As when the project has no file yet
    bool save_project_as(const QString& file);  // writes atomically; false (and a message) on failure
    // Asks about unsaved changes; true when it is fine to go on (saved or discarded).
    bool maybe_save();
    // The answer maybe_save() gets, replaceable for tests (Save, Discard or Cancel).
    void set_save_prompt(std::function<int()> prompt) { save_prompt_ = std::move(prompt); }
    static QString recovery_file();
    bool write_recovery();  // the autosave, now
    void set_autosave_interval(int ms);
    // At start-up: when a recovery file newer than `project` (or than nothing) exists, offers to
    // restore it (or restores it directly with ask = false). True when it restored.
    bool offer_recovery(const QString& project, bool ask = true);

    // ---- run ----
    widgets::RunController* runner() const { return runner_; }
    widgets::ErrorHeatmap* heatmap() const { return heatmap_; }
    void choose_calibration_data();
    void choose_export();

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
    void project_saved(const QString& file);
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
    void update_title();
    void show_message(QMessageBox::Icon icon, const QString& title, const QString& text);
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
    QLabel* zoom_label_;
    widgets::RunController* runner_;
    widgets::ErrorHeatmap* heatmap_;
    QComboBox* metric_box_ = nullptr;
    QComboBox* view_box_ = nullptr;
    QTimer* autosave_;
    std::function<int()> save_prompt_;
    QString pending_project_file_;  // the project a recovery file restores
};

}  // namespace lowbit::studio
