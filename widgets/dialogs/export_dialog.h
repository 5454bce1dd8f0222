// Export dialog: which outputs to write (the quantized model in one of the registered formats,
// export/exporter.h; the calibration table; the report) and into which folder. The RunController writes the
// chosen ones together and atomically (workflow::write_outputs).
#pragma once

#include <QDialog>

#include "export/exporter.h"
#include "workflow/pipeline.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;

namespace lowbit::widgets {

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ExportDialog(const QString& folder, QWidget* parent = nullptr);

    QString folder() const;
    workflow::OutputSelection selection() const;

  private:
    void update_ok();
    QLineEdit* folder_;
    QCheckBox* model_;
    QComboBox* format_;
    QCheckBox* table_;
    QCheckBox* report_;
    QDialogButtonBox* buttons_;
};

}  // namespace lowbit::widgets
