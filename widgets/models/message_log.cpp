#include "models/message_log.h"

#include <QApplication>
#include <QStyle>
#include <algorithm>

namespace lowbit::widgets {

MessageLog::MessageLog(QObject* parent) : QAbstractTableModel(parent) {}

void MessageLog::add(Severity severity, const QString& text) {
    const int row = messages_.size();
    beginInsertRows({}, row, row);
    messages_.push_back({QDateTime::currentDateTime(), severity, text});
    endInsertRows();
    emit message_added(messages_.back());
}

void MessageLog::clear() {
    beginResetModel();
    messages_.clear();
    endResetModel();
}

int MessageLog::count(Severity severity) const {
    return static_cast<int>(std::count_if(messages_.begin(), messages_.end(),
                                          [severity](const Message& m) { return m.severity == severity; }));
}

QString MessageLog::severity_name(Severity severity) {
    switch (severity) {
        case Severity::kInfo:
            return tr("Info");
        case Severity::kWarning:
            return tr("Warning");
        case Severity::kError:
            break;
    }
    return tr("Error");
}

int MessageLog::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : messages_.size();
}
int MessageLog::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant MessageLog::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Message& m = messages_[index.row()];
    if (role == SeverityRole) return static_cast<int>(m.severity);
    if (role == Qt::ToolTipRole && index.column() == kMessage) return m.text;
    if (role == Qt::DecorationRole && index.column() == kSeverity && qApp) {
        const auto icon = m.severity == Severity::kError     ? QStyle::SP_MessageBoxCritical
                          : m.severity == Severity::kWarning ? QStyle::SP_MessageBoxWarning
                                                             : QStyle::SP_MessageBoxInformation;
        return qApp->style()->standardIcon(icon);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case kTime:
            return m.time.toString(QStringLiteral("HH:mm:ss"));
        case kSeverity:
            return severity_name(m.severity);
        case kMessage:
            return m.text;
        default:
            return {};
    }
}

QVariant MessageLog::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case kTime:
            return tr("Time");
        case kSeverity:
            return tr("Severity");
        case kMessage:
            return tr("Message");
        default:
            return {};
    }
}

}  // namespace lowbit::widgets
