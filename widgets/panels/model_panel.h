// Model panel: the ModelOverview (file, producer, opsets, inputs and outputs, parameters, MACs) in a dock,
// following the Session's model.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

namespace lowbit::widgets {

class ModelOverview;

class ModelPanel : public QDockWidget {
    Q_OBJECT
  public:
    ModelPanel(const PanelContext& context, QWidget* parent = nullptr);
    ModelOverview* overview() const { return overview_; }

  private:
    PanelContext ctx_;
    ModelOverview* overview_;
};

}  // namespace lowbit::widgets
