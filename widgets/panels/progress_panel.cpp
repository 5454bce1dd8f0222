#include "panels/progress_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include "jobs/progress_tracker.h"

namespace lowbit::widgets {

namespace {

QString duration(qint64 ms) {
    const qint64 s = (ms + 500) / 1000;
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

ProgressPanel::ProgressPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Progress"), parent), ctx_(context) {
    setObjectName(QStringLiteral("ProgressPanel"));
    auto* body = new QWidget(this);
    title_ = new QLabel(body);
    message_ = new QLabel(body);
    message_->setWordWrap(true);
    times_ = new QLabel(body);
    bar_ = new QProgressBar(body);
    bar_->setRange(0, 1000);
    bar_->setTextVisible(true);
    cancel_ = new QPushButton(tr("Cancel"), body);
    auto* grid = new QGridLayout(body);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->addWidget(title_, 0, 0, 1, 2);
    grid->addWidget(bar_, 1, 0);
    grid->addWidget(cancel_, 1, 1);
    grid->addWidget(message_, 2, 0, 1, 2);
    grid->addWidget(times_, 3, 0, 1, 2);
    grid->setRowStretch(4, 1);
    setWidget(body);
    clock_ = new QTimer(this);
    clock_->setInterval(500);
    connect(clock_, &QTimer::timeout, this, &ProgressPanel::refresh);
    connect(cancel_, &QPushButton::clicked, ctx_.progress, &ProgressTracker::cancel);
    connect(ctx_.progress, &ProgressTracker::changed, this, &ProgressPanel::refresh);
    refresh();
}

QString ProgressPanel::times_text() const {
    return times_->text();
}

void ProgressPanel::refresh() {
    const ProgressTracker* p = ctx_.progress;
    if (p->active() != clock_->isActive()) p->active() ? clock_->start() : clock_->stop();
    title_->setText(p->title().isEmpty() ? tr("No job running") : p->title());
    message_->setText(p->message());
    bar_->setValue(static_cast<int>(p->fraction() * 1000));
    bar_->setFormat(QStringLiteral("%1 %").arg(p->fraction() * 100, 0, 'f', 1));
    bar_->setEnabled(p->active());
    cancel_->setEnabled(p->active() && p->cancellable());
    if (p->title().isEmpty()) {
        times_->clear();
        return;
    }
    const qint64 remaining = p->remaining_ms();
    times_->setText(
        p->active() ? tr("Elapsed %1, remaining %2")
                          .arg(duration(p->elapsed_ms()), remaining < 0 ? tr("unknown") : duration(remaining))
                    : tr("Finished in %1").arg(duration(p->elapsed_ms())));
}

}  // namespace lowbit::widgets
