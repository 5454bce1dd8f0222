#include "panels/layers_panel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "models/layer_table_model.h"
#include "panels/layer_actions.h"
#include "session/session.h"

namespace lowbit::widgets {

LayersPanel::LayersPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Layers"), parent), ctx_(context) {
    setObjectName(QStringLiteral("LayersPanel"));
    auto* body = new QWidget(this);
    search_ = new QLineEdit(body);
    search_->setPlaceholderText(tr("Filter layers by name or op…"));
    search_->setClearButtonEnabled(true);
    model_ = new LayerTableModel(ctx_.session, this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(LayerTableModel::SortRole);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1);
    table_ = new QTableView(body);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder);  // graph order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->setWordWrap(false);
    table_->setAlternatingRowColors(true);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(search_);
    layout->addWidget(table_, 1);
    setWidget(body);

    connect(search_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LayersPanel::publish_selection);
    connect(ctx_.session, &Session::selection_changed, this,
            [this](const QVector<int>& nodes, QObject* origin) {
                if (origin != this) show_selection(nodes);
            });
    table_->setTextElideMode(Qt::ElideMiddle);
    // the precision is what the user edits here: show it next to the name (the model's order is unchanged)
    table_->horizontalHeader()->moveSection(LayerTableModel::kPrecision, 1);
    // and the error after it, so the result of a run is in view without scrolling
    table_->horizontalHeader()->moveSection(LayerTableModel::kError, 2);
    connect(model_, &QAbstractItemModel::headerDataChanged, this,
            [this] { table_->resizeColumnToContents(LayerTableModel::kError); });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        table_->resizeColumnsToContents();
        // long layer names are elided in the middle; the full name is in the tooltip
        table_->setColumnWidth(LayerTableModel::kName,
                               std::min(table_->columnWidth(LayerTableModel::kName), 200));
    });
    connect(table_, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        if (add_layer_actions(&menu, ctx_.session, ctx_.session->selected_layer_names()))
            menu.exec(table_->viewport()->mapToGlobal(pos));
    });
}

void LayersPanel::publish_selection() {
    if (syncing_) return;
    QVector<int> ids;
    for (const QModelIndex& row : table_->selectionModel()->selectedRows())
        ids << row.data(LayerTableModel::NodeIdRole).toInt();
    std::sort(ids.begin(), ids.end());
    ctx_.session->set_selection(ids, this);
}

void LayersPanel::show_selection(const QVector<int>& nodes) {
    syncing_ = true;
    QItemSelection selection;
    for (int id : nodes) {
        const int row = model_->row_of_node(id);
        if (row < 0) continue;
        const QModelIndex left = proxy_->mapFromSource(model_->index(row, 0));
        if (!left.isValid()) continue;  // filtered out
        selection.select(left, left.siblingAtColumn(LayerTableModel::kColumnCount - 1));
    }
    table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty()) table_->scrollTo(selection.indexes().first());
    syncing_ = false;
}

}  // namespace lowbit::widgets
