// Summary panel: the run at a glance. Model size before and after quantization, MACs by precision
// (workflow::macs_by_precision), accuracy before and after when Evaluate ran, the calibration it used, and
// the layer with the largest error. Follows the Session's calibration and results.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QTreeWidget;

namespace lowbit::widgets {

class SummaryPanel : public QDockWidget {
    Q_OBJECT
  public:
    SummaryPanel(const PanelContext& context, QWidget* parent = nullptr);
    QTreeWidget* tree() const { return tree_; }
    // The value shown for a row label (for tests), or empty.
    QString value(const QString& label) const;

  private:
    void refresh();
    PanelContext ctx_;
    QTreeWidget* tree_;
};

}  // namespace lowbit::widgets
