// Layers panel: the compute layers in a sortable table with a search box (name or op), selection shared
// with the graph through the Session, and the precision actions on a row's context menu.
#pragma once

#include <QDockWidget>

#include "panels/panel_context.h"

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace lowbit::widgets {

class LayerTableModel;

class LayersPanel : public QDockWidget {
    Q_OBJECT
  public:
    LayersPanel(const PanelContext& context, QWidget* parent = nullptr);

    LayerTableModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QLineEdit* search() const { return search_; }

  private:
    void show_selection(const QVector<int>& nodes);
    void publish_selection();

    PanelContext ctx_;
    LayerTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QLineEdit* search_;
    bool syncing_ = false;
};

}  // namespace lowbit::widgets
