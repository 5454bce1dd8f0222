#include "models/layer_table_model.h"

#include <QColor>
#include <QLocale>

#include "session/session.h"

namespace lowbit::widgets {

LayerTableModel::LayerTableModel(Session* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {
    connect(session_, &Session::model_changed, this, &LayerTableModel::reset_rows);
    connect(session_, &Session::overrides_changed, this, [this] {
        if (static_cast<int>(session_->layers().size()) != rows_) return reset_rows();
        if (rows_ > 0) emit dataChanged(index(0, kPrecision), index(rows_ - 1, kPrecision));
    });
    // the error column follows the Session's results and the metric the views show
    auto follow_errors = [this] {
        if (session_->result())
            set_errors(session_->error_values(),
                       Session::metric_label(session_->error_metric(), session_->error_isolated()));
        else
            clear_errors();
    };
    connect(session_, &Session::results_changed, this, follow_errors);
    connect(session_, &Session::error_view_changed, this, follow_errors);
    reset_rows();
}

void LayerTableModel::reset_rows() {
    beginResetModel();
    rows_ = static_cast<int>(session_->layers().size());
    errors_ = session_->error_values();
    endResetModel();
}

int LayerTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}
int LayerTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

int LayerTableModel::row_of_node(ir::NodeId id) const {
    const auto& layers = session_->layers();
    for (int r = 0; r < rows_ && r < static_cast<int>(layers.size()); ++r)
        if (layers[static_cast<size_t>(r)].node == id) return r;
    return -1;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const auto& layers = session_->layers();
    if (index.row() >= static_cast<int>(layers.size())) return {};
    const quant::LayerPlan& l = layers[static_cast<size_t>(index.row())];
    const analysis::LayerCost* cost = session_->cost_for_node(l.node);
    const QString name = QString::fromStdString(l.name);
    if (role == NodeIdRole) return l.node;
    if (role == LayerNameRole) return name;

    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && !sort && role != Qt::ToolTipRole && role != Qt::DecorationRole &&
        role != Qt::TextAlignmentRole)
        return {};
    const bool numeric = index.column() == kParams || index.column() == kMacs || index.column() == kError;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter
                                           : Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::DecorationRole)
        return index.column() == kPrecision ? QVariant(precision_color(l)) : QVariant();
    if (role == Qt::ToolTipRole) {
        if (index.column() == kPrecision)
            return tr("%1, activations %2 bits; decided by: %3")
                .arg(precision_label(l))
                .arg(l.act_bits)
                .arg(QString::fromStdString(l.rule));
        return index.column() == kName ? QVariant(name) : QVariant();
    }
    QLocale locale;
    switch (index.column()) {
        case kName:
            return name;
        case kOp:
            return QString::fromStdString(l.op_type);
        case kShape:
            return cost ? QString::fromStdString(ir::format_dims(cost->output_dims)) : QString();
        case kParams:
            if (!cost) return {};
            return sort ? QVariant(static_cast<qulonglong>(cost->params))
                        : QVariant(locale.toString(static_cast<qulonglong>(cost->params)));
        case kMacs:
            if (!cost || !cost->macs_known) return sort ? QVariant(-1.0) : QVariant(QStringLiteral("?"));
            return sort ? QVariant(static_cast<double>(cost->macs))
                        : QVariant(locale.toString(static_cast<qulonglong>(cost->macs)));
        case kPrecision: {
            QString p = precision_label(l);
            if (l.precision == quant::Precision::kInt && l.act_bits != 8)
                p += QStringLiteral(" / A%1").arg(l.act_bits);
            return p;
        }
        case kError: {
            auto it = errors_.find(name);
            if (it == errors_.end()) return sort ? QVariant(1e300) : QVariant();
            // sorted ascending, the worst layer comes first whatever the metric
            const double v = it.value();
            if (sort) return Session::higher_is_better(session_->error_metric()) ? v : -v;
            return QString::number(v, 'g', 4);
        }
        default:
            return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case kName:
            return tr("Layer");
        case kOp:
            return tr("Op");
        case kShape:
            return tr("Output shape");
        case kParams:
            return tr("Params");
        case kMacs:
            return tr("MACs");
        case kPrecision:
            return tr("Precision");
        case kError:
            return error_label_.isEmpty() ? tr("Error") : error_label_;
        default:
            return {};
    }
}

void LayerTableModel::set_errors(const QHash<QString, double>& errors, const QString& label) {
    errors_ = errors;
    error_label_ = label;
    emit headerDataChanged(Qt::Horizontal, kError, kError);
    if (rows_ > 0) emit dataChanged(index(0, kError), index(rows_ - 1, kError));
}

void LayerTableModel::clear_errors() {
    set_errors({}, {});
}

}  // namespace lowbit::widgets
