// ModelOverview: the model at a glance (name, producer, opsets, inputs, outputs, parameters, MACs), from
// the core's ModelSummary. Shown in the studio's centre until the graph view arrives.
#pragma once

#include <QWidget>

#include "analysis/model_summary.h"

class QLabel;
class QTreeWidget;

namespace lowbit::widgets {

class ModelOverview : public QWidget {
    Q_OBJECT
  public:
    explicit ModelOverview(QWidget* parent = nullptr);

    void show_summary(const QString& file, const analysis::ModelSummary& summary);
    void clear();

    // The model name as shown in the heading (for tests).
    QString title() const;

  private:
    QLabel* title_;
    QLabel* facts_;
    QTreeWidget* values_;
};

}  // namespace lowbit::widgets
