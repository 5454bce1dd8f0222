#include "studio_settings.h"

#include <QApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace lowbit::studio::settings {

namespace {

const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kRecent = QStringLiteral("files/recent");
const QString kLanguage = QStringLiteral("ui/language");

}  // namespace

QByteArray window_geometry() {
    return QSettings().value(kGeometry).toByteArray();
}
void set_window_geometry(const QByteArray& geometry) {
    QSettings().setValue(kGeometry, geometry);
}
QByteArray window_state() {
    return QSettings().value(kState).toByteArray();
}
void set_window_state(const QByteArray& state) {
    QSettings().setValue(kState, state);
}

QStringList recent_files() {
    return QSettings().value(kRecent).toStringList();
}

void add_recent_file(const QString& file) {
    const QString path = QFileInfo(file).absoluteFilePath();
    QStringList files = recent_files();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(kRecent, files);
}

QString recovery_project() {
    return QSettings().value(QStringLiteral("recovery/project")).toString();
}

void set_recovery_project(const QString& file) {
    QSettings().setValue(QStringLiteral("recovery/project"), file);
}

void clear_recent_files() {
    QSettings().remove(kRecent);
}

QString language() {
    return QSettings().value(kLanguage).toString();
}
void set_language(const QString& language) {
    QSettings().setValue(kLanguage, language);
}

void install_translators(QApplication& app, const QString& language) {
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    if (language == QLatin1String("en")) return;  // the source strings are English
    auto* ours = new QTranslator(&app);
    if (ours->load(locale, QStringLiteral("lowbit"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(ours);
    auto* qt_base = new QTranslator(&app);
    if (qt_base->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt_base);
}

}  // namespace lowbit::studio::settings
