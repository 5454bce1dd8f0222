#include "dialogs/calibration_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

#include "jobs/job_runner.h"
#include "models/message_log.h"
#include "workflow/pipeline.h"

namespace lowbit::widgets {

namespace {

constexpr int kPreviewSamples = 4;
constexpr int kPreviewSize = 96;

QString floats_text(const std::vector<float>& v) {
    QStringList parts;
    for (float x : v)
        parts << QString::number(static_cast<double>(x), 'g', 6);
    return parts.join(QStringLiteral(", "));
}

std::vector<float> parse_floats(const QString& text) {
    std::vector<float> out;
    for (const QString& part :
         text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const float v = part.toFloat(&ok);
        if (ok) out.push_back(v);
    }
    return out;
}

QComboBox* combo(QWidget* parent, const QStringList& items, const QString& current) {
    auto* c = new QComboBox(parent);
    c->addItems(items);
    c->setCurrentText(current);
    return c;
}

QSpinBox* spin(QWidget* parent, int lo, int hi, int64_t value) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(static_cast<int>(std::clamp<int64_t>(value, lo, hi)));
    return s;
}

}  // namespace

QImage sample_to_image(const float* data, const std::vector<int64_t>& shape, bool channels_last) {
    int64_t c = 1, h = 0, w = 0;
    if (shape.size() == 2) {
        h = shape[0], w = shape[1];
    } else if (shape.size() == 3) {
        if (channels_last)
            h = shape[0], w = shape[1], c = shape[2];
        else
            c = shape[0], h = shape[1], w = shape[2];
    } else {
        return {};
    }
    if (h <= 0 || w <= 0 || (c != 1 && c != 3) || h > 4096 || w > 4096) return {};
    const int64_t n = c * h * w;
    float lo = data[0], hi = data[0];
    for (int64_t i = 1; i < n; ++i)
        lo = std::min(lo, data[i]), hi = std::max(hi, data[i]);
    const float span = hi > lo ? hi - lo : 1.0f;
    QImage img(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGB32);
    auto at = [&](int64_t ch, int64_t y, int64_t x) {
        const float v = channels_last ? data[(y * w + x) * c + ch] : data[(ch * h + y) * w + x];
        return static_cast<int>(std::clamp((v - lo) / span * 255.0f, 0.0f, 255.0f));
    };
    for (int64_t y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(static_cast<int>(y)));
        for (int64_t x = 0; x < w; ++x) {
            const int r = at(0, y, x);
            line[x] = c == 3 ? qRgb(r, at(1, y, x), at(2, y, x)) : qRgb(r, r, r);
        }
    }
    return img;
}

CalibrationDialog::CalibrationDialog(std::shared_ptr<const ir::Model> model, const workflow::Recipe& recipe,
                                     MessageLog* log, QWidget* parent)
    : QDialog(parent), model_(std::move(model)), recipe_(recipe), log_(log), jobs_(new JobRunner(this)) {
    setObjectName(QStringLiteral("CalibrationDialog"));
    setWindowTitle(tr("Calibration Data"));
    const data::SourceSpec& d = recipe.data;
    const data::Preprocess& p = d.preprocess;

    // source
    auto* source = new QGroupBox(tr("Source"), this);
    path_ = new QLineEdit(QString::fromStdString(d.path.string()), source);
    path_->setPlaceholderText(tr("Image folder, .npy, .npz, .bin or IDX file"));
    path_->setMinimumWidth(300);
    auto* file_button = new QPushButton(tr("File…"), source);
    auto* folder_button = new QPushButton(tr("Folder…"), source);
    auto* path_row = new QHBoxLayout;
    path_row->addWidget(path_, 1);
    path_row->addWidget(file_button);
    path_row->addWidget(folder_button);
    kind_ = combo(source,
                  {QStringLiteral("auto"), QStringLiteral("images"), QStringLiteral("npy"),
                   QStringLiteral("npz"), QStringLiteral("bin"), QStringLiteral("idx")},
                  QString::fromStdString(d.kind));
    npz_array_ = new QLineEdit(QString::fromStdString(d.npz_array), source);
    npz_array_->setPlaceholderText(tr("first array"));
    QStringList dims;
    for (int64_t x : d.bin_shape)
        dims << QString::number(x);
    bin_shape_ = new QLineEdit(dims.join(QStringLiteral(", ")), source);
    bin_shape_->setPlaceholderText(tr("the model's input shape"));
    auto* sf = new QFormLayout(source);
    sf->addRow(tr("Path:"), path_row);
    sf->addRow(tr("Kind:"), kind_);
    sf->addRow(tr(".npz array:"), npz_array_);
    sf->addRow(tr(".bin sample shape:"), bin_shape_);

    // preprocessing
    auto* prep = new QGroupBox(tr("Preprocessing (8-bit images and arrays; float data is used as is)"), this);
    scale_ = new QDoubleSpinBox(prep);
    scale_->setDecimals(8);
    scale_->setRange(1e-8, 1e6);
    scale_->setValue(static_cast<double>(p.scale));
    mean_ = new QLineEdit(floats_text(p.mean), prep);
    std_ = new QLineEdit(floats_text(p.std), prep);
    mean_->setToolTip(tr("One value, or one per channel, separated by commas"));
    std_->setToolTip(mean_->toolTip());
    channel_order_ = combo(prep, {QStringLiteral("rgb"), QStringLiteral("bgr"), QStringLiteral("gray")},
                           QString::fromStdString(p.channel_order));
    layout_ = combo(prep, {QStringLiteral("NCHW"), QStringLiteral("NHWC")}, QString::fromStdString(p.layout));
    resize_ = spin(prep, 0, 65536, d.image.resize);
    resize_->setSpecialValueText(tr("keep"));
    crop_h_ = spin(prep, 0, 65536, d.image.crop_height);
    crop_w_ = spin(prep, 0, 65536, d.image.crop_width);
    crop_h_->setSpecialValueText(tr("whole"));
    crop_w_->setSpecialValueText(tr("whole"));
    auto* crop_row = new QHBoxLayout;
    crop_row->addWidget(crop_h_);
    crop_row->addWidget(new QLabel(QStringLiteral("×"), prep));
    crop_row->addWidget(crop_w_);
    auto* pf = new QFormLayout(prep);
    pf->addRow(tr("Scale:"), scale_);
    pf->addRow(tr("Mean:"), mean_);
    pf->addRow(tr("Std:"), std_);
    pf->addRow(tr("Channel order:"), channel_order_);
    pf->addRow(tr("Layout:"), layout_);
    pf->addRow(tr("Resize (shorter side):"), resize_);
    pf->addRow(tr("Centre crop (h × w):"), crop_row);

    // samples
    auto* samples = new QGroupBox(tr("Samples"), this);
    samples_ = spin(samples, 1, 1 << 30, recipe.num_samples);
    selection_ =
        combo(samples, {QStringLiteral("first"), QStringLiteral("random"), QStringLiteral("representative")},
              QString::fromStdString(d.selection));
    selection_->setItemData(0, tr("The first N samples of the file"), Qt::ToolTipRole);
    selection_->setItemData(1, tr("N samples at random (seeded)"), Qt::ToolTipRole);
    selection_->setItemData(2, tr("N samples that cover the data (k-means; reads every sample once)"),
                            Qt::ToolTipRole);
    seed_ = spin(samples, 0, 1 << 30, static_cast<int64_t>(d.seed));
    auto* mf = new QFormLayout(samples);
    mf->addRow(tr("Number of samples:"), samples_);
    mf->addRow(tr("Selection:"), selection_);
    mf->addRow(tr("Seed:"), seed_);

    // evaluation
    auto* eval = new QGroupBox(tr("Evaluation data (optional, for accuracy before/after)"), this);
    eval_data_ = new QLineEdit(QString::fromStdString(recipe.eval.data.string()), eval);
    eval_labels_ = new QLineEdit(QString::fromStdString(recipe.eval.labels.string()), eval);
    eval_data_->setPlaceholderText(tr("images: IDX or .npy"));
    eval_labels_->setPlaceholderText(tr("labels: IDX or .npy"));
    eval_samples_ = spin(eval, 0, 1 << 30, recipe.eval.num_samples);
    eval_samples_->setSpecialValueText(tr("all"));
    auto* ef = new QFormLayout(eval);
    ef->addRow(tr("Images:"), eval_data_);
    ef->addRow(tr("Labels:"), eval_labels_);
    ef->addRow(tr("Samples:"), eval_samples_);

    // preview
    auto* preview_box = new QGroupBox(tr("Preview (first inputs, as the model sees them)"), this);
    auto* images = new QHBoxLayout;
    for (int i = 0; i < kPreviewSamples; ++i) {
        auto* l = new QLabel(preview_box);
        l->setFixedSize(kPreviewSize, kPreviewSize);
        l->setFrameShape(QFrame::StyledPanel);
        l->setAlignment(Qt::AlignCenter);
        images_ << l;
        images->addWidget(l);
    }
    images->addStretch(1);
    description_ = new QLabel(preview_box);
    description_->setWordWrap(true);
    error_ = new QLabel(preview_box);
    error_->setWordWrap(true);
    error_->setObjectName(QStringLiteral("CalibrationError"));
    error_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* pv = new QVBoxLayout(preview_box);
    pv->addLayout(images);
    pv->addWidget(description_);
    pv->addWidget(error_);
    pv->addStretch(1);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* columns = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(source);
    left->addWidget(prep);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(samples);
    right->addWidget(eval);
    right->addWidget(preview_box, 1);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto* outer = new QVBoxLayout(this);
    outer->addLayout(columns, 1);
    outer->addWidget(buttons_);

    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(400);
    connect(debounce_, &QTimer::timeout, this, &CalibrationDialog::preview);
    connect(file_button, &QPushButton::clicked, this, &CalibrationDialog::choose_file);
    connect(folder_button, &QPushButton::clicked, this, &CalibrationDialog::choose_folder);
    for (QLineEdit* e : {path_, npz_array_, bin_shape_, mean_, std_})
        connect(e, &QLineEdit::textChanged, this, &CalibrationDialog::schedule_preview);
    for (QComboBox* c : {kind_, channel_order_, layout_})
        connect(c, &QComboBox::currentTextChanged, this, &CalibrationDialog::schedule_preview);
    for (QSpinBox* s : {resize_, crop_h_, crop_w_})
        connect(s, &QSpinBox::valueChanged, this, &CalibrationDialog::schedule_preview);
    connect(scale_, &QDoubleSpinBox::valueChanged, this, &CalibrationDialog::schedule_preview);
    resize(std::max(1040, sizeHint().width()), std::max(600, sizeHint().height()));
    if (!d.path.empty())
        preview();
    else
        description_->setText(tr("Choose a file or folder to see a preview."));
}

data::SourceSpec CalibrationDialog::spec() const {
    data::SourceSpec d = recipe_.data;
    d.path = path_->text().trimmed().toStdString();
    d.kind = kind_->currentText().toStdString();
    d.npz_array = npz_array_->text().trimmed().toStdString();
    d.bin_shape.clear();
    for (float x : parse_floats(bin_shape_->text()))
        if (x >= 1) d.bin_shape.push_back(static_cast<int64_t>(x));
    d.preprocess.scale = static_cast<float>(scale_->value());
    d.preprocess.mean = parse_floats(mean_->text());
    d.preprocess.std = parse_floats(std_->text());
    if (d.preprocess.mean.empty()) d.preprocess.mean = {0.0f};
    if (d.preprocess.std.empty()) d.preprocess.std = {1.0f};
    d.preprocess.channel_order = channel_order_->currentText().toStdString();
    d.preprocess.layout = layout_->currentText().toStdString();
    d.image.resize = resize_->value();
    d.image.crop_height = crop_h_->value();
    d.image.crop_width = crop_w_->value();
    d.selection = selection_->currentText().toStdString();
    d.seed = static_cast<uint64_t>(seed_->value());
    return d;
}

int64_t CalibrationDialog::num_samples() const {
    return samples_->value();
}

workflow::EvalSpec CalibrationDialog::eval() const {
    workflow::EvalSpec e;
    e.data = eval_data_->text().trimmed().toStdString();
    e.labels = eval_labels_->text().trimmed().toStdString();
    e.num_samples = eval_samples_->value();
    return e;
}

void CalibrationDialog::set_path(const QString& path) {
    path_->setText(path);
}

int CalibrationDialog::preview_count() const {
    int n = 0;
    for (QLabel* l : images_)
        n += l->pixmap().isNull() ? 0 : 1;
    return n;
}

QString CalibrationDialog::error_text() const {
    return error_->text();
}

void CalibrationDialog::choose_file() {
    const QString dir = QFileInfo(path_->text()).absolutePath();
    const QString f = QFileDialog::getOpenFileName(
        this, tr("Calibration Data File"), dir,
        tr("Sample arrays (*.npy *.npz *.bin *.gz *-ubyte *idx*);;All files (*)"));
    if (!f.isEmpty()) path_->setText(f);
}

void CalibrationDialog::choose_folder() {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Calibration Image Folder"), path_->text());
    if (!d.isEmpty()) path_->setText(d);
}

void CalibrationDialog::schedule_preview() {
    debounce_->start();
}

void CalibrationDialog::preview() {
    workflow::Recipe r = recipe_;
    r.data = spec();
    // the preview reads only the first few samples, whatever the selection
    r.data.selection = "first";
    r.num_samples = kPreviewSamples;
    r.data.num_samples = kPreviewSamples;
    description_->setText(tr("Reading…"));
    // a newer preview supersedes this one: its token stops it and its result is dropped
    jobs_->run<Preview>([model = model_, r = std::move(r)](
                            const CancelToken& cancel) { return load_preview(model, r, cancel); },
                        [this](Preview p) { show_preview(p); });
}

CalibrationDialog::Preview CalibrationDialog::load_preview(std::shared_ptr<const ir::Model> model,
                                                           const workflow::Recipe& recipe,
                                                           const CancelToken& cancel) {
    Preview p;
    if (!model) {
        p.error = tr("No model is open.");
        return p;
    }
    if (recipe.data.path.empty()) {
        p.error = tr("No calibration data chosen.");
        return p;
    }
    auto source = workflow::open_calibration_data(*model, recipe);
    if (!source) {
        p.error = QString::fromStdString(source.status().message());
        return p;
    }
    if (cancel.cancelled()) return p;
    p.description = QString::fromStdString((*source)->describe());
    const int64_t n = std::min<int64_t>(kPreviewSamples, (*source)->size());
    auto batch = (*source)->batch(0, n);
    if (!batch) {
        p.error = QString::fromStdString(batch.status().message());
        return p;
    }
    const runtime::Shape sample = (*source)->sample_shape();
    const int64_t per = runtime::shape_numel(sample);
    const bool nhwc = recipe.data.preprocess.layout == "NHWC";
    for (int64_t i = 0; i < n; ++i)
        p.images << sample_to_image(batch->data<float>() + i * per, sample, nhwc);
    return p;
}

void CalibrationDialog::show_preview(const Preview& p) {
    for (int i = 0; i < images_.size(); ++i) {
        const QImage img = i < p.images.size() ? p.images[i] : QImage();
        images_[i]->setPixmap(
            img.isNull() ? QPixmap()
                         : QPixmap::fromImage(img.scaled(
                               kPreviewSize, kPreviewSize, Qt::KeepAspectRatio,
                               img.width() < 64 ? Qt::FastTransformation : Qt::SmoothTransformation)));
    }
    description_->setText(p.description);
    error_->setText(p.error);
    if (!p.error.isEmpty() && log_) log_->error(tr("Calibration data: %1").arg(p.error));
    emit preview_finished(p.error.isEmpty());
}

}  // namespace lowbit::widgets
