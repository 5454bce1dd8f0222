// LayerTableModel: one row per compute layer of the Session (name, op, output shape, parameters, MACs,
// precision, error). Rows follow the Session; the precision column follows its overrides. The error
// column shows the Session's per-layer error in the metric it selects (set_errors() for other values);
// sorted ascending the worst layer comes first whatever the metric. Sort through a
// QSortFilterProxyModel on SortRole (numbers sort as numbers).
#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include "ir/graph.h"

namespace lowbit::widgets {

class Session;

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { kName, kOp, kShape, kParams, kMacs, kPrecision, kError, kColumnCount };
    enum Role { NodeIdRole = Qt::UserRole, SortRole, LayerNameRole };

    explicit LayerTableModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Per-layer error values by layer name; `label` names the metric in the header.
    void set_errors(const QHash<QString, double>& errors, const QString& label = {});
    void clear_errors();
    int row_of_node(ir::NodeId id) const;  // -1 if it is no layer

  private:
    void reset_rows();

    Session* session_;
    int rows_ = 0;
    QHash<QString, double> errors_;
    QString error_label_;
};

}  // namespace lowbit::widgets
