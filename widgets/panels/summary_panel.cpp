#include "panels/summary_panel.h"

#include <QHeaderView>
#include <QLocale>
#include <QTreeWidget>
#include <algorithm>

#include "session/session.h"

namespace lowbit::widgets {

namespace {

QString bytes_text(uint64_t bytes) {
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 2, QLocale::DataSizeTraditionalFormat);
}

QString macs_text(uint64_t macs) {
    const double m = static_cast<double>(macs);
    if (m >= 1e9) return QStringLiteral("%1 G").arg(m / 1e9, 0, 'f', 2);
    if (m >= 1e6) return QStringLiteral("%1 M").arg(m / 1e6, 0, 'f', 2);
    if (m >= 1e3) return QStringLiteral("%1 K").arg(m / 1e3, 0, 'f', 1);
    return QString::number(macs);
}

}  // namespace

SummaryPanel::SummaryPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Summary"), parent), ctx_(context) {
    setObjectName(QStringLiteral("SummaryPanel"));
    tree_ = new QTreeWidget(this);
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Item"), tr("Value")});
    tree_->setRootIsDecorated(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(true);
    setWidget(tree_);
    for (auto signal : {&Session::model_changed, &Session::calibration_changed, &Session::results_changed,
                        &Session::data_changed, &Session::error_view_changed})
        connect(ctx_.session, signal, this, &SummaryPanel::refresh);
    refresh();
}

QString SummaryPanel::value(const QString& label) const {
    const auto items = tree_->findItems(label, Qt::MatchExactly | Qt::MatchRecursive, 0);
    return items.isEmpty() ? QString() : items.first()->text(1);
}

void SummaryPanel::refresh() {
    tree_->clear();
    const Session* s = ctx_.session;
    if (!s->model()) {
        new QTreeWidgetItem(tree_, {tr("No model open")});
        return;
    }
    QLocale locale;
    auto section = [this](const QString& title) {
        auto* item = new QTreeWidgetItem(tree_, {title});
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
        item->setExpanded(true);
        return item;
    };
    const workflow::Recipe recipe = s->recipe();
    auto* data = section(tr("Calibration"));
    new QTreeWidgetItem(
        data, {tr("Data"), recipe.data.path.empty() ? tr("not set (Run ▸ Calibration Data)")
                                                    : QString::fromStdString(recipe.data.path.string())});
    if (const workflow::Calibrated* c = s->calibration()) {
        new QTreeWidgetItem(data, {tr("Samples"), locale.toString(static_cast<qlonglong>(c->table.samples))});
        new QTreeWidgetItem(data, {tr("Tensors observed"),
                                   locale.toString(static_cast<qulonglong>(c->table.tensors.size()))});
    } else {
        new QTreeWidgetItem(data, {tr("Status"), tr("not calibrated yet")});
    }

    const workflow::QuantizeResult* r = s->result();
    if (!r) {
        auto* q = section(tr("Quantization"));
        new QTreeWidgetItem(q, {tr("Status"), tr("not quantized yet (Run ▸ Quantize)")});
        return;
    }
    auto* size = section(tr("Model size"));
    new QTreeWidgetItem(size, {tr("Before"), bytes_text(r->size_before)});
    new QTreeWidgetItem(size, {tr("After"), bytes_text(r->size_after)});
    if (r->size_before > 0)
        new QTreeWidgetItem(
            size, {tr("Ratio"),
                   QStringLiteral("%1 ×").arg(static_cast<double>(r->size_before) /
                                                  static_cast<double>(std::max<uint64_t>(1, r->size_after)),
                                              0, 'f', 2)});

    auto* macs = section(tr("MACs by precision"));
    uint64_t total = 0;
    const auto by = workflow::macs_by_precision(s->summary(), r->plan);
    for (const auto& [label, m] : by)
        total += m;
    for (const auto& [label, m] : by)
        new QTreeWidgetItem(
            macs,
            {QString::fromStdString(label),
             QStringLiteral("%1 (%2 %)")
                 .arg(macs_text(m))
                 .arg(total ? 100.0 * static_cast<double>(m) / static_cast<double>(total) : 0.0, 0, 'f', 1)});

    auto* acc = section(tr("Accuracy"));
    if (const auto& a = s->accuracy()) {
        new QTreeWidgetItem(acc,
                            {tr("Top-1 before"), QStringLiteral("%1 %").arg(a->before.top1(), 0, 'f', 2)});
        new QTreeWidgetItem(acc, {tr("Top-1 after"), QStringLiteral("%1 %").arg(a->after.top1(), 0, 'f', 2)});
        new QTreeWidgetItem(acc,
                            {tr("Top-5 before"), QStringLiteral("%1 %").arg(a->before.top5(), 0, 'f', 2)});
        new QTreeWidgetItem(acc, {tr("Top-5 after"), QStringLiteral("%1 %").arg(a->after.top5(), 0, 'f', 2)});
        new QTreeWidgetItem(acc, {tr("Samples"), locale.toString(static_cast<qlonglong>(a->before.samples))});
    } else {
        new QTreeWidgetItem(acc, {tr("Status"), tr("not evaluated (Run ▸ Evaluate, needs labelled data)")});
    }

    auto* err = section(tr("Layer error"));
    const QHash<QString, double> values = s->error_values();
    if (values.isEmpty()) {
        new QTreeWidgetItem(err, {tr("Status"), tr("not measured")});
    } else {
        const bool higher = Session::higher_is_better(s->error_metric());
        auto worst = values.cbegin();
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            if (higher ? it.value() < worst.value() : it.value() > worst.value()) worst = it;
        new QTreeWidgetItem(err,
                            {tr("Metric"), Session::metric_label(s->error_metric(), s->error_isolated())});
        new QTreeWidgetItem(err, {tr("Worst layer"),
                                  QStringLiteral("%1 (%2)").arg(worst.key()).arg(worst.value(), 0, 'g', 4)});
    }
    if (!r->warnings.empty())
        new QTreeWidgetItem(section(tr("Notes")),
                            {tr("Warnings"), tr("%1, see Problems").arg(r->warnings.size())});
}

}  // namespace lowbit::widgets
