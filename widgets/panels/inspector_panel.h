// Inspector panel: the selected node (or layers) in detail. Attributes, inputs and outputs with shapes,
// weight statistics (min/max/mean/std and each output channel's range, computed by the core), and the
// precision controls (keep in float FP16/FP32, weight bits, activation bits, calibration algorithm). The
// controls edit the Session through undoable commands and apply to every selected layer.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace lowbit::widgets {

class InspectorPanel : public QDockWidget {
    Q_OBJECT
  public:
    InspectorPanel(const PanelContext& context, QWidget* parent = nullptr);

    QCheckBox* keep_float() const { return keep_float_; }
    QComboBox* float_type() const { return float_type_; }
    QComboBox* weight_bits() const { return weight_bits_; }
    QComboBox* act_bits() const { return act_bits_; }
    QComboBox* algorithm() const { return algorithm_; }
    QTreeWidget* details() const { return details_; }
    QString heading() const;

  private:
    void refresh();
    void refresh_controls();
    void fill_details(int node);

    PanelContext ctx_;
    QLabel* title_;
    QGroupBox* precision_;
    QCheckBox* keep_float_;
    QComboBox* float_type_;
    QComboBox* weight_bits_;
    QComboBox* act_bits_;
    QComboBox* algorithm_;
    QLabel* rule_;
    QPushButton* reset_;
    QTreeWidget* details_;
    bool updating_ = false;
};

}  // namespace lowbit::widgets
