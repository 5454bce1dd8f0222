// MessageLog: the studio's Problems/Log list. Messages with a severity and a time; errors from core
// calls (load failures, plan notes) land here as well as in the status bar. A table model (time,
// severity, message) for the Problems panel.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QVector>

namespace lowbit::widgets {

class MessageLog : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum class Severity { kInfo, kWarning, kError };
    enum Column { kTime, kSeverity, kMessage, kColumnCount };
    enum Role { SeverityRole = Qt::UserRole };
    struct Message {
        QDateTime time;
        Severity severity = Severity::kInfo;
        QString text;
    };

    explicit MessageLog(QObject* parent = nullptr);

    void add(Severity severity, const QString& text);
    void info(const QString& text) { add(Severity::kInfo, text); }
    void warning(const QString& text) { add(Severity::kWarning, text); }
    void error(const QString& text) { add(Severity::kError, text); }
    void clear();
    int count(Severity severity) const;
    static QString severity_name(Severity severity);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  signals:
    void message_added(const lowbit::widgets::MessageLog::Message& message);

  private:
    QVector<Message> messages_;
};

}  // namespace lowbit::widgets
