#include "jobs/run_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "jobs/job_runner.h"
#include "jobs/progress_tracker.h"
#include "models/message_log.h"
#include "session/session.h"

namespace lowbit::widgets {

namespace {

struct CalibrateOutcome {
    Status status;
    std::shared_ptr<const workflow::Calibrated> calibration;
};

struct QuantizeOutcome {
    Status status;
    std::shared_ptr<const workflow::Calibrated> calibration;  // set when this run calibrated too
    std::shared_ptr<const workflow::QuantizeResult> result;
};

struct EvaluateOutcome {
    Status status;
    std::optional<workflow::AccuracyPair> accuracy;
};

struct ExportOutcome {
    Status status;
    QStringList paths;
};

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

RunController::RunController(Session* session, ProgressTracker* progress, MessageLog* log, QObject* parent)
    : QObject(parent), session_(session), progress_(progress), log_(log), jobs_(new JobRunner(this)) {
    requantize_timer_ = new QTimer(this);
    requantize_timer_->setSingleShot(true);
    requantize_timer_->setInterval(300);
    connect(requantize_timer_, &QTimer::timeout, this, [this] {
        if (!session_->result() || !session_->calibration()) return;
        if (running_) {
            requantize_pending_ = true;
            return;
        }
        quantize();
    });
    connect(session_, &Session::overrides_changed, this, [this] {
        if (session_->result() && session_->calibration()) requantize_timer_->start();
    });
}

QString RunController::kind_name(Kind kind) {
    switch (kind) {
        case Kind::kCalibrate:
            return tr("Calibrate");
        case Kind::kQuantize:
            return tr("Quantize");
        case Kind::kEvaluate:
            return tr("Evaluate");
        case Kind::kExport:
            break;
    }
    return tr("Export");
}

bool RunController::can_start(Kind kind) {
    QString why;
    if (running_)
        why = tr("%1 cannot start: %2 is still running. Wait for it or cancel it.")
                  .arg(kind_name(kind), progress_->title());
    else if (!session_->model())
        why = tr("%1 needs an open model.").arg(kind_name(kind));
    else if ((kind == Kind::kEvaluate || kind == Kind::kExport) && !session_->result())
        why = tr("%1 needs a quantized model: run Quantize first.").arg(kind_name(kind));
    else if (kind == Kind::kEvaluate &&
             (session_->recipe().eval.data.empty() || session_->recipe().eval.labels.empty()))
        why = tr("Evaluate needs labelled evaluation data: set it in Run ▸ Calibration Data.");
    else if ((kind == Kind::kCalibrate || (kind == Kind::kQuantize && !session_->calibration())) &&
             session_->recipe().data.path.empty() && session_->recipe().data.kind != "synthetic")
        why = tr("No calibration data: choose it in Run ▸ Calibration Data.");
    if (why.isEmpty()) return true;
    log_->warning(why);
    emit refused(why);
    return false;
}

template <typename T>
void RunController::launch(Kind kind, std::function<T()> work, std::function<void(T)> done) {
    running_ = true;
    emit busy_changed(true);
    emit started(kind);
    const quint64 generation = session_->generation();
    // the run's own token (the Progress panel's Cancel) stops it; nothing supersedes a run
    jobs_->run<T>([work = std::move(work)](const CancelToken&) { return work(); },
                  [this, kind, generation, done = std::move(done)](T outcome) {
                      running_ = false;
                      emit busy_changed(false);
                      if (generation != session_->generation()) {  // another model was opened meanwhile
                          progress_->finish(tr("Result dropped: the model changed"));
                          emit finished(kind, false, tr("stale result dropped"));
                      } else {
                          done(std::move(outcome));
                      }
                      if (requantize_pending_) {
                          requantize_pending_ = false;
                          requantize_timer_->start();
                      }
                  });
}

void RunController::end(Kind kind, const Status& status, const QString& success) {
    if (status.is_ok()) {
        progress_->finish(success);
        log_->info(success);
        emit finished(kind, true, success);
        return;
    }
    if (status.code() == StatusCode::kCancelled) {
        const QString text = tr("%1 cancelled; nothing was changed").arg(kind_name(kind));
        progress_->finish(text);
        log_->info(text);
        emit finished(kind, false, text);
        return;
    }
    const QString text = tr("%1 failed: %2").arg(kind_name(kind), qs(status.message()));
    progress_->finish(text);
    log_->error(text);
    emit finished(kind, false, text);
    emit failed(text);
}

bool RunController::calibrate() {
    if (!can_start(Kind::kCalibrate)) return false;
    progress_->begin(tr("Calibrating"));
    auto model = session_->shared_model();
    const workflow::Recipe recipe = session_->recipe();
    const std::string name = QFileInfo(session_->file()).fileName().toStdString();
    auto token = progress_->cancel_token();
    ProgressFn report = progress_->progress_fn();
    launch<CalibrateOutcome>(
        Kind::kCalibrate,
        [model, recipe, name, token, report] {
            CalibrateOutcome o;
            auto c = workflow::calibrate_model(*model, name, recipe, report, token.get());
            if (!c)
                o.status = c.status();
            else
                o.calibration = std::make_shared<const workflow::Calibrated>(std::move(c).value());
            return o;
        },
        [this](CalibrateOutcome o) {
            if (o.calibration) {
                session_->set_calibration(o.calibration);
                for (const auto& w : o.calibration->warnings)
                    log_->warning(qs(w));
            }
            end(Kind::kCalibrate, o.status,
                o.calibration ? tr("Calibrated on %1 samples (%2)")
                                    .arg(o.calibration->table.samples)
                                    .arg(qs(o.calibration->data_description))
                              : QString());
        });
    return true;
}

bool RunController::quantize() {
    if (!can_start(Kind::kQuantize)) return false;
    const bool requantize = session_->calibration() != nullptr;
    progress_->begin(requantize ? tr("Quantizing from the stored calibration")
                                : tr("Calibrating and quantizing"));
    auto model = session_->shared_model();
    auto calibration = session_->shared_calibration();
    const workflow::Recipe recipe = session_->recipe();
    const std::string name = QFileInfo(session_->file()).fileName().toStdString();
    auto token = progress_->cancel_token();
    ProgressFn report = progress_->progress_fn();
    launch<QuantizeOutcome>(
        Kind::kQuantize,
        [model, calibration, recipe, name, token, report] {
            // the core's one workflow: from the stored calibration, or calibrating first
            QuantizeOutcome o;
            workflow::QuantizeJob job;
            job.model = model;
            job.model_name = name;
            job.recipe = recipe;
            job.calibration = calibration;
            job.evaluate = false;  // Evaluate is its own action
            job.progress = report;
            job.cancel = token.get();
            auto r = workflow::run_quantize(job);
            if (!r) {
                o.status = r.status();  // a cancelled or failed run changes nothing
                return o;
            }
            if (!calibration) o.calibration = r->calibration;
            o.result = std::make_shared<const workflow::QuantizeResult>(std::move(r).value());
            return o;
        },
        [this](QuantizeOutcome o) {
            if (o.calibration) session_->set_calibration(o.calibration);
            QString message;
            if (o.result) {
                session_->set_result(o.result);
                for (const auto& w : o.result->warnings)
                    log_->warning(qs(w.text));
                message = tr("Quantized %1 layers; error measured on %2 samples")
                              .arg(o.result->plan.layers.size())
                              .arg(o.result->errors.empty() ? 0 : session_->recipe().error_samples);
            }
            end(Kind::kQuantize, o.status, message);
        });
    return true;
}

bool RunController::evaluate() {
    if (!can_start(Kind::kEvaluate)) return false;
    progress_->begin(tr("Evaluating accuracy"));
    auto model = session_->shared_model();
    auto result = session_->shared_result();
    const workflow::Recipe recipe = session_->recipe();
    auto token = progress_->cancel_token();
    ProgressFn report = progress_->progress_fn();
    launch<EvaluateOutcome>(
        Kind::kEvaluate,
        [model, result, recipe, token, report] {
            EvaluateOutcome o;
            auto a = workflow::evaluate_accuracy(*model, result->simulated(), recipe, report, token.get());
            if (!a)
                o.status = a.status();
            else
                o.accuracy = *a;
            return o;
        },
        [this](EvaluateOutcome o) {
            QString message;
            if (o.accuracy) {
                session_->set_accuracy(o.accuracy);
                message = tr("Top-1 accuracy %1 % before, %2 % after (%3 samples)")
                              .arg(o.accuracy->before.top1(), 0, 'f', 2)
                              .arg(o.accuracy->after.top1(), 0, 'f', 2)
                              .arg(o.accuracy->before.samples);
            }
            end(Kind::kEvaluate, o.status, message);
        });
    return true;
}

bool RunController::export_outputs(const QString& folder, const workflow::OutputSelection& selection) {
    if (!can_start(Kind::kExport)) return false;
    progress_->begin(tr("Exporting"), false);
    auto result = session_->shared_result();
    workflow::Recipe recipe = session_->recipe();
    const std::optional<workflow::AccuracyPair> accuracy = session_->accuracy();
    const std::filesystem::path dir = QDir(folder).absolutePath().toStdString();
    launch<ExportOutcome>(
        Kind::kExport,
        [result, accuracy, recipe, dir, selection] {
            ExportOutcome o;
            // the report states the accuracy measured in the studio (a copy of the result that shares its
            // models, off the GUI thread)
            std::optional<workflow::QuantizeResult> with_accuracy;
            if (accuracy) {
                with_accuracy = *result;
                with_accuracy->accuracy = accuracy;
            }
            auto paths =
                workflow::write_outputs(with_accuracy ? *with_accuracy : *result, recipe, dir, selection);
            if (!paths)
                o.status = paths.status();
            else
                for (const auto& p : *paths)
                    o.paths << QString::fromStdString(p.string());
            return o;
        },
        [this](ExportOutcome o) {
            end(Kind::kExport, o.status, tr("Exported %1 file(s)").arg(o.paths.size()));
            if (o.status.is_ok()) {
                for (const QString& p : o.paths)
                    log_->info(tr("Wrote %1").arg(p));
                emit exported(o.paths);
            }
        });
    return true;
}

}  // namespace lowbit::widgets
