#include "panels/problems_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "models/message_log.h"

namespace lowbit::widgets {

ProblemsPanel::ProblemsPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Problems"), parent), ctx_(context) {
    setObjectName(QStringLiteral("ProblemsPanel"));
    auto* body = new QWidget(this);
    table_ = new QTableView(body);
    table_->setModel(ctx_.log);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setWordWrap(false);
    table_->setColumnWidth(MessageLog::kTime,
                           table_->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00")) + 16);
    table_->setColumnWidth(MessageLog::kSeverity,
                           table_->fontMetrics().horizontalAdvance(tr("Warning")) + 40);
    auto* clear = new QPushButton(tr("Clear"), body);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(clear);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
    setWidget(body);
    connect(clear, &QPushButton::clicked, ctx_.log, &MessageLog::clear);
    connect(ctx_.log, &QAbstractItemModel::rowsInserted, this, [this] {
        table_->scrollToBottom();
        update_title();
    });
    connect(ctx_.log, &QAbstractItemModel::modelReset, this, &ProblemsPanel::update_title);
    update_title();
}

void ProblemsPanel::update_title() {
    const int errors = ctx_.log->count(MessageLog::Severity::kError);
    const int warnings = ctx_.log->count(MessageLog::Severity::kWarning);
    setWindowTitle(errors + warnings == 0
                       ? tr("Problems")
                       : tr("Problems (%1 errors, %2 warnings)").arg(errors).arg(warnings));
}

}  // namespace lowbit::widgets
