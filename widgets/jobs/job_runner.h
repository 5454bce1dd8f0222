// JobRunner: runs core work off the GUI thread (QtConcurrent::run + QFutureWatcher). Each request gets a
// job id; only the newest job's result is delivered, so a stale result (a model opened before the one
// now shown) is dropped instead of overwriting newer state.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

namespace lowbit::widgets {

class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject* parent = nullptr) : QObject(parent) {}

    // Runs `work` on the thread pool; `done` runs on the GUI thread unless a newer job was started since.
    // Returns the job's id.
    template <typename T>
    quint64 run(std::function<T()> work, std::function<void(T)> done) {
        const quint64 id = ++last_id_;
        auto* watcher = new QFutureWatcher<T>(this);
        connect(watcher, &QFutureWatcher<T>::finished, this, [this, watcher, id, done] {
            watcher->deleteLater();
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
        watcher->setFuture(QtConcurrent::run(std::move(work)));
        return id;
    }

    quint64 last_job_id() const { return last_id_; }
    bool busy() const { return running_ > 0; }

signals:
    void busy_changed(bool busy);
    void stale_result_dropped(quint64 job_id);

private:
    quint64 last_id_ = 0;
    int running_ = 0;
};

}  // namespace lowbit::widgets
