// Export dialog: which outputs to write (QDQ ONNX model, calibration table, report) and into which
// folder. The RunController writes the chosen ones together and atomically (quant::write_outputs).
#pragma once

#include <QDialog>

#include "quant/pipeline.h"

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;

namespace lowbit::widgets {

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ExportDialog(const QString& folder, QWidget* parent = nullptr);

    QString folder() const;
    quant::OutputSelection selection() const;

  private:
    void update_ok();
    QLineEdit* folder_;
    QCheckBox* model_;
    QCheckBox* table_;
    QCheckBox* report_;
    QDialogButtonBox* buttons_;
};

}  // namespace lowbit::widgets
