#include "jobs/progress_tracker.h"

#include <QMetaObject>
#include <QPointer>
#include <algorithm>

namespace lowbit::widgets {

ProgressTracker::ProgressTracker(QObject* parent)
    : QObject(parent), token_(std::make_shared<CancelToken>()) {}

void ProgressTracker::begin(const QString& title, bool cancellable) {
    active_ = true;
    cancellable_ = cancellable;
    title_ = title;
    message_.clear();
    fraction_ = 0;
    final_elapsed_ = 0;
    token_ = std::make_shared<CancelToken>();
    clock_.start();
    emit started(title_);
    emit changed();
}

void ProgressTracker::set_progress(double fraction, const QString& message) {
    if (!active_) return;
    fraction_ = std::clamp(fraction, 0.0, 1.0);
    if (!message.isEmpty()) message_ = message;
    emit changed();
}

void ProgressTracker::finish(const QString& message) {
    if (!active_) return;
    final_elapsed_ = clock_.elapsed();
    active_ = false;
    fraction_ = 1.0;
    message_ = message;
    emit changed();
    emit finished(message);
}

void ProgressTracker::cancel() {
    if (!active_ || !cancellable_) return;
    token_->cancel();
    message_ = tr("Cancelling…");
    emit cancel_requested();
    emit changed();
}

qint64 ProgressTracker::elapsed_ms() const {
    if (!active_) return final_elapsed_;
    return clock_.isValid() ? clock_.elapsed() : 0;
}

qint64 ProgressTracker::remaining_ms() const {
    if (!active_ || fraction_ <= 0.01) return -1;
    return static_cast<qint64>(static_cast<double>(elapsed_ms()) * (1.0 - fraction_) / fraction_);
}

ProgressFn ProgressTracker::progress_fn() {
    QPointer<ProgressTracker> self(this);
    return [self](double fraction, const std::string& message) {
        if (!self) return;
        const QString text = QString::fromStdString(message);
        QMetaObject::invokeMethod(
            self.data(),
            [self, fraction, text] {
                if (self) self->set_progress(fraction, text);
            },
            Qt::QueuedConnection);
    };
}

}  // namespace lowbit::widgets
