#include "dialogs/export_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lowbit::widgets {

ExportDialog::ExportDialog(const QString& folder, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("ExportDialog"));
    setWindowTitle(tr("Export"));
    folder_ = new QLineEdit(folder, this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(folder_, 1);
    row->addWidget(browse);
    model_ = new QCheckBox(tr("Quantized model (QDQ ONNX): model_qdq.onnx"), this);
    table_ = new QCheckBox(tr("Calibration table: calibration.json"), this);
    report_ = new QCheckBox(tr("Report: report.json"), this);
    for (QCheckBox* c : {model_, table_, report_}) {
        c->setChecked(true);
        connect(c, &QCheckBox::toggled, this, &ExportDialog::update_ok);
    }
    auto* note = new QLabel(tr("The chosen files are written together: either all appear, or none."), this);
    note->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto* form = new QFormLayout;
    form->addRow(tr("Folder:"), row);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(model_);
    layout->addWidget(table_);
    layout->addWidget(report_);
    layout->addWidget(note);
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(folder_, &QLineEdit::textChanged, this, &ExportDialog::update_ok);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Export Folder"), folder_->text());
        if (!d.isEmpty()) folder_->setText(d);
    });
    resize(520, sizeHint().height());
    update_ok();
}

QString ExportDialog::folder() const {
    return folder_->text().trimmed();
}

quant::OutputSelection ExportDialog::selection() const {
    return {model_->isChecked(), table_->isChecked(), report_->isChecked()};
}

void ExportDialog::update_ok() {
    buttons_->button(QDialogButtonBox::Ok)
        ->setEnabled(!folder().isEmpty() && (model_->isChecked() || table_->isChecked() || report_->isChecked()));
}

}  // namespace lowbit::widgets
