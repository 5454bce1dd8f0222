// The studio's persistent settings (QSettings): keys declared once with typed accessors. Window geometry
// and dock layout, recent files, and the interface language ("" follows the system locale, "en", "zh_CN";
// it takes effect at the next start).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QApplication;

namespace lowbit::studio::settings {

QByteArray window_geometry();
void set_window_geometry(const QByteArray& geometry);
QByteArray window_state();
void set_window_state(const QByteArray& state);

constexpr int kMaxRecentFiles = 10;
QStringList recent_files();
void add_recent_file(const QString& file);  // moves it to the front
void clear_recent_files();

// The project the autosaved recovery copy belongs to ("" for a project not saved yet).
QString recovery_project();
void set_recovery_project(const QString& file);

QString language();  // "", "en" or "zh_CN"
void set_language(const QString& language);

// Installs our translations (and Qt's) for `language` ("" = system locale) on the application.
void install_translators(QApplication& app, const QString& language);

}  // namespace lowbit::studio::settings
