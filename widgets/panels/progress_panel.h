// Progress panel: shows the ProgressTracker (title, bar, what it is doing, elapsed and remaining time)
// with a Cancel button; idle when no job runs.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace lowbit::widgets {

class ProgressPanel : public QDockWidget {
    Q_OBJECT
  public:
    ProgressPanel(const PanelContext& context, QWidget* parent = nullptr);
    QProgressBar* bar() const { return bar_; }
    QString times_text() const;

  private:
    void refresh();
    PanelContext ctx_;
    QLabel* title_;
    QLabel* message_;
    QLabel* times_;
    QProgressBar* bar_;
    QPushButton* cancel_;
    QTimer* clock_;
};

}  // namespace lowbit::widgets
