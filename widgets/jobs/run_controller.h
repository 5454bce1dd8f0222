// RunController: the studio's Run actions. Calibrate, Quantize, Evaluate and Export run the core's
// pipeline stages (workflow::calibrate_model, quantize_from_table, evaluate_accuracy, write_outputs) on a
// background thread through a JobRunner, reporting through the ProgressTracker's ProgressFn and stopping
// at its CancelToken. One run at a time: a second request while one is in flight is refused (refused()
// with a message), except the automatic re-quantize after a per-layer edit, which waits for the running
// job. A result that arrives after another model was opened is dropped. Results go into the Session;
// errors into the MessageLog and failed().
#pragma once

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

#include "workflow/pipeline.h"

class QTimer;

namespace lowbit::widgets {

class JobRunner;
class MessageLog;
class ProgressTracker;
class Session;

class RunController : public QObject {
    Q_OBJECT
  public:
    enum class Kind { kCalibrate, kQuantize, kEvaluate, kExport };
    Q_ENUM(Kind)

    RunController(Session* session, ProgressTracker* progress, MessageLog* log, QObject* parent = nullptr);

    bool busy() const { return running_; }
    // Each returns false (and emits refused()) when it cannot start.
    bool calibrate();
    bool quantize();  // calibrates first when no calibration is stored
    bool evaluate();
    bool export_outputs(const QString& folder, const workflow::OutputSelection& selection);

    // After a per-layer edit with a quantization result present, re-quantize from the stored table
    // (debounced). On by default.
    static QString kind_name(Kind kind);

  signals:
    void busy_changed(bool busy);
    void started(lowbit::widgets::RunController::Kind kind);
    // ok is false on an error or a cancel; `message` says what happened.
    void finished(lowbit::widgets::RunController::Kind kind, bool ok, const QString& message);
    void failed(const QString& message);  // an error the user should see (not a cancel)
    void refused(const QString& message);
    void exported(const QStringList& paths);

  private:
    bool can_start(Kind kind);
    template <typename T>
    void launch(Kind kind, std::function<T()> work, std::function<void(T)> done);
    void end(Kind kind, const Status& status, const QString& success);

    Session* session_;
    ProgressTracker* progress_;
    MessageLog* log_;
    JobRunner* jobs_;
    QTimer* requantize_timer_;
    bool running_ = false;
    bool requantize_pending_ = false;
};

}  // namespace lowbit::widgets
