// The studio opens a model in the background and shows its name; a bad file is reported, not fatal.
#include <QSignalSpy>
#include <QTest>

#include "main_window.h"

class StudioTest : public QObject {
    Q_OBJECT
private slots:
    void opens_example_model() {
        lowbit::studio::MainWindow window;
        window.show();
        QSignalSpy opened(&window, &lowbit::studio::MainWindow::model_opened);
        window.open_model(QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/cnn.onnx"));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.model_title(), QStringLiteral("cnn"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("cnn")));
    }

    void reports_bad_file_without_blocking() {
        lowbit::studio::MainWindow window;
        window.show();
        QSignalSpy failed(&window, &lowbit::studio::MainWindow::model_failed);
        window.open_model(QStringLiteral("/nonexistent/model.onnx"));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no such file")));
        QCOMPARE(window.model_title(), QStringLiteral("No model open"));
    }

    void stale_load_is_dropped() {
        lowbit::studio::MainWindow window;
        QSignalSpy opened(&window, &lowbit::studio::MainWindow::model_opened);
        QSignalSpy failed(&window, &lowbit::studio::MainWindow::model_failed);
        window.open_model(QStringLiteral("/nonexistent/first.onnx"));
        window.open_model(QStringLiteral(LOWBIT_SOURCE_DIR "/examples/models/cnn.onnx"));
        QVERIFY(opened.wait(10000));
        QTest::qWait(200);
        QCOMPARE(failed.count(), 0);  // the first, older job's error never surfaces
    }
};

QTEST_MAIN(StudioTest)
#include "studio_test.moc"
