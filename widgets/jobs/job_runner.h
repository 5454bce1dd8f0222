// JobRunner: the studio's one way to run core work off the GUI thread (QtConcurrent::run + QFutureWatcher).
// Each request gets a job id and a CancelToken; starting a newer job cancels the tokens of the jobs before
// it, so a superseded layout or load stops at its next check instead of running to the end, and only the
// newest job's result is delivered: a stale result (a model opened before the one now shown) is dropped
// instead of overwriting newer state.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <map>
#include <memory>

#include "util/progress.h"

namespace lowbit::widgets {

class JobRunner : public QObject {
    Q_OBJECT
  public:
    explicit JobRunner(QObject* parent = nullptr) : QObject(parent) {}
    ~JobRunner() override { cancel_all(); }

    // Runs `work` on the thread pool with its job's token (cancelled once a newer job starts; pass it to
    // core functions or check it between steps); `done` runs on the GUI thread unless a newer job was started
    // since. Returns the job's id.
    template <typename T>
    quint64 run(std::function<T(const CancelToken&)> work, std::function<void(T)> done) {
        cancel_all();  // older jobs are superseded
        const quint64 id = ++last_id_;
        auto token = std::make_shared<CancelToken>();
        tokens_[id] = token;
        auto* watcher = new QFutureWatcher<T>(this);
        connect(watcher, &QFutureWatcher<T>::finished, this, [this, watcher, id, done] {
            watcher->deleteLater();
            tokens_.erase(id);
            --running_;
            emit busy_changed(running_ > 0);
            if (id != last_id_) {
                emit stale_result_dropped(id);
                return;
            }
            done(watcher->result());
        });
        ++running_;
        emit busy_changed(true);
        watcher->setFuture(QtConcurrent::run([work = std::move(work), token] { return work(*token); }));
        return id;
    }

    // Cancels every running job's token (their results are dropped when they end).
    void cancel_all() {
        for (auto& [id, token] : tokens_)
            token->cancel();
    }

    quint64 last_job_id() const { return last_id_; }
    bool busy() const { return running_ > 0; }

  signals:
    void busy_changed(bool busy);
    void stale_result_dropped(quint64 job_id);

  private:
    quint64 last_id_ = 0;
    int running_ = 0;
    std::map<quint64, std::shared_ptr<CancelToken>> tokens_;
};

}  // namespace lowbit::widgets
