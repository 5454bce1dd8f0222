// lowbit-studio [MODEL.onnx | PROJECT.yaml]: the desktop studio.
#include <QApplication>
#include <QCommandLineParser>

#include "main_window.h"
#include "studio_settings.h"
#include "util/cpu_check.h"

int main(int argc, char** argv) {
    if (!lowbit::cpu_supports_build_baseline()) return 1;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Lowbit Studio"));
    QApplication::setOrganizationName(QStringLiteral("Lowbit"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    // the language setting (View ▸ Language), or the system locale: our strings, then Qt's own dialogs
    lowbit::studio::settings::install_translators(app, lowbit::studio::settings::language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Lowbit Studio: compress ONNX models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QApplication::translate("main", "ONNX model or Lowbit project to open"),
                                 QStringLiteral("[MODEL.onnx | PROJECT.yaml]"));
    parser.process(app);

    lowbit::studio::MainWindow window;
    window.show();
    const QString file =
        parser.positionalArguments().isEmpty() ? QString() : parser.positionalArguments().first();
    // unsaved changes from a session that did not close cleanly come first, when they are newer
    if (!window.offer_recovery(file) && !file.isEmpty()) window.open_model(file);
    return QApplication::exec();
}
