// Calibration data dialog: where the calibration samples come from and how they are prepared. An image
// folder or an .npy/.npz/IDX/.bin file, the preprocessing (scale, mean, std, channel order, layout,
// resize, crop), how many samples and which (first / random / representative), optional labelled
// evaluation data, and a preview of the first inputs drawn as images: the core opens the source
// (workflow::open_calibration_data, checked against the model input) on a background thread and the dialog
// shows batch(0, 4). Errors from opening appear in the dialog and in the Problems log.
#pragma once

#include <QDialog>
#include <QImage>
#include <QVector>
#include <memory>

#include "ir/model.h"
#include "util/progress.h"
#include "workflow/recipe.h"

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace lowbit::widgets {

class JobRunner;

class MessageLog;

// One preprocessed sample (a [C,H,W], [H,W,C] or [H,W] float tensor) as a displayable image, its values
// stretched to 0..255. Null if the sample does not look like an image.
QImage sample_to_image(const float* data, const std::vector<int64_t>& shape, bool channels_last);

class CalibrationDialog : public QDialog {
    Q_OBJECT
  public:
    CalibrationDialog(std::shared_ptr<const ir::Model> model, const workflow::Recipe& recipe, MessageLog* log,
                      QWidget* parent = nullptr);

    data::SourceSpec spec() const;
    int64_t num_samples() const;
    workflow::EvalSpec eval() const;

    void set_path(const QString& path);  // as if chosen in the file dialog (tests)
    void preview();                      // (re)starts the preview
    int preview_count() const;           // images in the preview
    QString error_text() const;

  signals:
    void preview_finished(bool ok);

  private:
    struct Preview {
        QString error;
        QString description;
        QVector<QImage> images;
    };
    void choose_file();
    void choose_folder();
    void schedule_preview();
    void show_preview(const Preview& p);
    static Preview load_preview(std::shared_ptr<const ir::Model> model, const workflow::Recipe& recipe,
                                const CancelToken& cancel);

    std::shared_ptr<const ir::Model> model_;
    workflow::Recipe recipe_;
    MessageLog* log_;
    QLineEdit* path_;
    QComboBox* kind_;
    QLineEdit* npz_array_;
    QLineEdit* bin_shape_;
    QDoubleSpinBox* scale_;
    QLineEdit* mean_;
    QLineEdit* std_;
    QComboBox* channel_order_;
    QComboBox* layout_;
    QSpinBox* resize_;
    QSpinBox* crop_h_;
    QSpinBox* crop_w_;
    QSpinBox* samples_;
    QComboBox* selection_;
    QSpinBox* seed_;
    QLineEdit* eval_data_;
    QLineEdit* eval_labels_;
    QSpinBox* eval_samples_;
    QLabel* description_;
    QLabel* error_;
    QVector<QLabel*> images_;
    QDialogButtonBox* buttons_;
    QTimer* debounce_;
    JobRunner* jobs_;
};

}  // namespace lowbit::widgets
