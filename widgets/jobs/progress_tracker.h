// ProgressTracker: the state behind the Progress panel, driven by background jobs. A job calls begin(),
// then reports through progress_fn() (a core ProgressFn, callable from any thread: it posts to the GUI
// thread) and checks cancel_token() between steps; finish() ends it. The panel's Cancel button calls
// cancel(), which sets the token and emits cancel_requested(). Elapsed and remaining time derive from
// the reports (remaining = elapsed * (1 - f) / f).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <memory>

#include "util/progress.h"

namespace lowbit::widgets {

class ProgressTracker : public QObject {
    Q_OBJECT
  public:
    explicit ProgressTracker(QObject* parent = nullptr);

    void begin(const QString& title, bool cancellable = true);
    void set_progress(double fraction, const QString& message = {});  // fraction in [0, 1]
    void finish(const QString& message = {});
    void cancel();

    bool active() const { return active_; }
    bool cancellable() const { return cancellable_; }
    QString title() const { return title_; }
    QString message() const { return message_; }
    double fraction() const { return fraction_; }
    qint64 elapsed_ms() const;
    qint64 remaining_ms() const;  // -1 while unknown
    // The token for the running job (a fresh one per begin()); keep the shared_ptr while the job runs.
    std::shared_ptr<CancelToken> cancel_token() const { return token_; }
    // A ProgressFn for core calls; safe to call from worker threads, ignored after this object dies.
    ProgressFn progress_fn();

  signals:
    void changed();
    void started(const QString& title);
    void finished(const QString& message);
    void cancel_requested();

  private:
    bool active_ = false, cancellable_ = true;
    QString title_, message_;
    double fraction_ = 0;
    QElapsedTimer clock_;
    qint64 final_elapsed_ = 0;
    std::shared_ptr<CancelToken> token_;
};

}  // namespace lowbit::widgets
