// Problems panel: the MessageLog (errors, warnings, info with their time), newest at the bottom, with a
// Clear button. The dock's title counts the errors and warnings.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QTableView;

namespace lowbit::widgets {

class ProblemsPanel : public QDockWidget {
    Q_OBJECT
  public:
    ProblemsPanel(const PanelContext& context, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }

  private:
    void update_title();
    PanelContext ctx_;
    QTableView* table_;
};

}  // namespace lowbit::widgets
