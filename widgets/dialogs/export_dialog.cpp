#include "dialogs/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
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
    model_ = new QCheckBox(tr("Quantized model, as:"), this);
    format_ = new QComboBox(this);
    format_->setObjectName(QStringLiteral("ExportFormat"));
    for (const exporter::Exporter* e : exporter::exporters()) {
        QStringList names;
        for (const auto& f : e->file_names())
            names << QString::fromStdString(f);
        format_->addItem(QStringLiteral("%1: %2").arg(QString::fromStdString(std::string(e->description())),
                                                      names.join(QStringLiteral(", "))),
                         QString::fromStdString(std::string(e->name())));
    }
    connect(model_, &QCheckBox::toggled, format_, &QComboBox::setEnabled);
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
    auto* model_row = new QHBoxLayout;
    model_row->addWidget(model_);
    model_row->addWidget(format_, 1);
    layout->addLayout(model_row);
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

workflow::OutputSelection ExportDialog::selection() const {
    workflow::OutputSelection s;
    s.format = model_->isChecked() ? format_->currentData().toString().toStdString() : std::string();
    s.table = table_->isChecked();
    s.report = report_->isChecked();
    return s;
}

void ExportDialog::update_ok() {
    buttons_->button(QDialogButtonBox::Ok)
        ->setEnabled(!folder().isEmpty() &&
                     (model_->isChecked() || table_->isChecked() || report_->isChecked()));
}

}  // namespace lowbit::widgets
