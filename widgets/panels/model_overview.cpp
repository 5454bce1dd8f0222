#include "panels/model_overview.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lowbit::widgets {

ModelOverview::ModelOverview(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel(this);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title_->setFont(big);
    facts_ = new QLabel(this);
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    values_ = new QTreeWidget(this);
    values_->setColumnCount(3);
    values_->setHeaderLabels({tr("Name"), tr("Type"), tr("Shape")});
    values_->setRootIsDecorated(true);
    values_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(facts_);
    layout->addWidget(values_, 1);
    clear();
}

void ModelOverview::clear() {
    title_->setText(tr("No model open"));
    facts_->setText(tr("Open an ONNX model with File ▸ Open (Ctrl+O)."));
    values_->clear();
    values_->hide();
}

QString ModelOverview::title() const {
    return title_->text();
}

void ModelOverview::show_summary(const QString& file, const analysis::ModelSummary& s) {
    QLocale locale;
    // the file's name says more than exporters' generic graph names ("torch_jit", "main_graph")
    title_->setText(QFileInfo(file).completeBaseName());
    QStringList opsets;
    for (const auto& o : s.opsets)
        opsets << QStringLiteral("%1 %2")
                      .arg(o.domain.empty() ? QStringLiteral("ai.onnx") : QString::fromStdString(o.domain))
                      .arg(o.version);
    facts_->setText(
        tr("<b>File:</b> %1<br><b>Graph:</b> %7<br><b>Producer:</b> %2<br><b>Opsets:</b> %3<br>"
           "<b>Nodes:</b> %4 &nbsp; <b>Parameters:</b> %5 &nbsp; <b>MACs:</b> %6")
            .arg(
                file.toHtmlEscaped(),
                s.producer.empty() ? tr("not recorded") : QString::fromStdString(s.producer).toHtmlEscaped(),
                opsets.join(QStringLiteral(", ")), locale.toString(static_cast<qulonglong>(s.node_count)),
                locale.toString(static_cast<qulonglong>(s.total_params)),
                locale.toString(static_cast<qulonglong>(s.total_macs)),
                s.graph_name.empty() ? tr("unnamed") : QString::fromStdString(s.graph_name).toHtmlEscaped()));
    values_->clear();
    auto add_group = [this](const QString& label, const std::vector<ir::ValueInfo>& list) {
        auto* group = new QTreeWidgetItem(values_, {label});
        for (const auto& v : list) {
            QString type =
                v.has_type ? QString::fromUtf8(ir::name_of(v.elem_type).data()) : QStringLiteral("?");
            QString shape = v.has_shape ? QString::fromStdString(ir::format_dims(v.dims)) : tr("unknown");
            new QTreeWidgetItem(group, {QString::fromStdString(v.name), type, shape});
        }
        group->setExpanded(true);
    };
    add_group(tr("Inputs"), s.inputs);
    add_group(tr("Outputs"), s.outputs);
    values_->show();
}

}  // namespace lowbit::widgets
