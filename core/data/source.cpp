#include "data/source.h"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>
#include <random>

#include "data/idx.h"
#include "data/image.h"
#include "data/npy.h"
#include "data/selection.h"
#include "util/file_util.h"

namespace lowbit::data {

DataSource::~DataSource() = default;

namespace {

using runtime::DataType;
using runtime::Shape;
using runtime::Tensor;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string size_string(int64_t h, int64_t w) {
    return std::to_string(w) + "x" + std::to_string(h);
}

// ---- what the model wants ----

struct Target {
    Preprocess pre;  // effective: gray when the model takes one channel
    Shape sample;    // the model's per-sample shape; empty = unchecked, dims <= 0 are free
    Shape model;     // the whole input shape, for messages
    std::string input_name;
    bool channels_last = false;
    int64_t channels = 0;  // the model's channel count for image-like inputs; 0 = unknown
    int64_t height = 0, width = 0;
};

Result<Target> make_target(const SourceSpec& spec) {
    Target t;
    t.pre = spec.preprocess;
    LOWBIT_RETURN_IF_ERROR(t.pre.validate());
    t.model = spec.model_input_shape;
    t.input_name = spec.model_input_name;
    t.channels_last = t.pre.layout == "NHWC";
    if (!t.model.empty()) t.sample.assign(t.model.begin() + 1, t.model.end());
    if (t.model.size() == 4) {
        t.channels = std::max<int64_t>(0, t.channels_last ? t.model[3] : t.model[1]);
        t.height = std::max<int64_t>(0, t.channels_last ? t.model[1] : t.model[2]);
        t.width = std::max<int64_t>(0, t.channels_last ? t.model[2] : t.model[3]);
    }
    return t;
}

// Channel rules for uint8 (image) data: RGB data for a one-channel model becomes luminance.
Status fit_channels(Target* t, const std::string& what) {
    if (t->channels == 1 && t->pre.channel_order != "gray") t->pre.channel_order = "gray";
    if (t->channels != 0 && t->channels != 1 && t->channels != 3)
        return invalid_input(what + ": the model input '" + t->input_name + "' " +
                             runtime::shape_string(t->model) + " has " + std::to_string(t->channels) +
                             " channels (layout " + t->pre.layout + "); images give 1 (gray) or 3 (RGB)");
    if (t->channels == 3 && t->pre.channel_order == "gray")
        return invalid_input(what + ": preprocess.channel_order is gray (1 channel) but the model input '" +
                             t->input_name + "' " + runtime::shape_string(t->model) +
                             " needs 3 channels; use rgb or bgr");
    return Status::ok();
}

Status check_sample_shape(const Shape& got, const Target& t, const std::string& what) {
    if (t.sample.empty()) return Status::ok();
    bool ok = got.size() == t.sample.size();
    for (size_t k = 0; ok && k < got.size(); ++k)
        ok = t.sample[k] <= 0 || t.sample[k] == got[k];
    if (ok) return Status::ok();
    return invalid_input(what + ": samples are " + runtime::shape_string(got) +
                         " after preprocessing but the model input '" + t.input_name + "' " +
                         runtime::shape_string(t.model) + " needs " + runtime::shape_string(t.sample) +
                         " per sample");
}

// uint8 [k,H,W] or [k,H,W,C] -> float through the preprocess (gray replicated for rgb/bgr); float passes.
Result<Tensor> to_model_float(const Tensor& raw, const Target& t, const std::string& what) {
    if (raw.type() == DataType::kFloat) return raw;
    if (raw.type() == DataType::kDouble) {
        Tensor out(DataType::kFloat, raw.shape());
        const double* src = raw.data<double>();
        float* dst = out.data<float>();
        for (int64_t i = 0; i < raw.numel(); ++i)
            dst[i] = static_cast<float>(src[i]);
        return out;
    }
    if (raw.type() != DataType::kUint8)
        return invalid_input(
            what + ": " + std::string(ir::name_of(raw.type())) +
            " data; calibration data must be uint8 (raw images) or float32/float64 (preprocessed)");
    Tensor in = raw;
    bool gray = raw.rank() == 3 || (raw.rank() == 4 && raw.dim(3) == 1);
    if (gray && t.pre.channel_order != "gray") {  // replicate gray to RGB
        int64_t n = raw.dim(0) * raw.dim(1) * raw.dim(2);
        in = Tensor(DataType::kUint8, {raw.dim(0), raw.dim(1), raw.dim(2), 3});
        const uint8_t* src = raw.data<uint8_t>();
        uint8_t* dst = in.data<uint8_t>();
        for (int64_t i = 0; i < n; ++i)
            dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = src[i];
    }
    auto out = t.pre.apply(in);
    if (!out) return out.status().with_context(what);
    return out;
}

// ---- byte streams: plain files, gzip, zip members ----

class ByteStream {
  public:
    virtual ~ByteStream() = default;
    // Exactly `bytes` bytes at `offset` of the (decompressed) stream, or an error.
    virtual Status read(uint64_t offset, uint64_t bytes, char* dst) = 0;
    // Up to `max` bytes from the start (the header).
    virtual Result<std::string> prefix(size_t max) = 0;
};

class FileStream : public ByteStream {
  public:
    explicit FileStream(std::filesystem::path path) : path_(std::move(path)), in_(path_, std::ios::binary) {}
    bool is_open() const { return in_.is_open(); }
    Status read(uint64_t offset, uint64_t bytes, char* dst) override {
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(dst, static_cast<std::streamsize>(bytes));
        if (static_cast<uint64_t>(in_.gcount()) != bytes)
            return invalid_input(path_.string() + ": data ends early (wanted bytes " +
                                 std::to_string(offset) + ".." + std::to_string(offset + bytes) + ")");
        return Status::ok();
    }
    Result<std::string> prefix(size_t max) override {
        std::string out(max, '\0');
        in_.clear();
        in_.seekg(0);
        in_.read(out.data(), static_cast<std::streamsize>(max));
        out.resize(static_cast<size_t>(in_.gcount()));
        return out;
    }

  private:
    std::filesystem::path path_;
    std::ifstream in_;
};

// gzip or plain (zlib reads plain files transparently; seeking backwards rewinds and decompresses again).
class GzStream : public ByteStream {
  public:
    explicit GzStream(std::filesystem::path path) : path_(std::move(path)) {
        file_ = gzopen(path_.c_str(), "rb");
        if (file_) gzbuffer(file_, 1 << 16);
    }
    ~GzStream() override {
        if (file_) gzclose(file_);
    }
    GzStream(const GzStream&) = delete;
    GzStream& operator=(const GzStream&) = delete;
    bool is_open() const { return file_ != nullptr; }
    Status read(uint64_t offset, uint64_t bytes, char* dst) override {
        if (static_cast<uint64_t>(gztell(file_)) != offset &&
            gzseek(file_, static_cast<z_off_t>(offset), SEEK_SET) < 0)
            return error("cannot seek to byte " + std::to_string(offset));
        while (bytes > 0) {
            unsigned chunk = static_cast<unsigned>(std::min<uint64_t>(bytes, 1u << 30));
            int got = gzread(file_, dst, chunk);
            if (got < 0) return error("corrupt gzip data");
            if (got == 0)
                return invalid_input(path_.string() + ": data ends early (before byte " +
                                     std::to_string(offset + bytes) + ")");
            dst += got, bytes -= static_cast<uint64_t>(got);
        }
        return Status::ok();
    }
    Result<std::string> prefix(size_t max) override {
        if (gzseek(file_, 0, SEEK_SET) < 0) return error("cannot rewind");
        std::string out(max, '\0');
        int got = gzread(file_, out.data(), static_cast<unsigned>(max));
        if (got < 0) return error("corrupt gzip data");
        out.resize(static_cast<size_t>(got));
        return out;
    }

  private:
    Status error(const std::string& what) {
        int errnum = 0;
        const char* msg = gzerror(file_, &errnum);
        return invalid_input(path_.string() + ": " + what +
                             (msg && *msg ? " (" + std::string(msg) + ")" : ""));
    }
    std::filesystem::path path_;
    gzFile file_ = nullptr;
};

// One member of a zip archive (.npz): stored members seek, deflated ones skip forward (reopen to go back).
class ZipStream : public ByteStream {
  public:
    ZipStream(zip_t* archive, zip_uint64_t index, bool stored, std::string what)
        : archive_(archive), index_(index), stored_(stored), what_(std::move(what)) {}
    ~ZipStream() override {
        if (file_) zip_fclose(file_);
        zip_discard(archive_);
    }
    ZipStream(const ZipStream&) = delete;
    ZipStream& operator=(const ZipStream&) = delete;
    Status read(uint64_t offset, uint64_t bytes, char* dst) override {
        LOWBIT_RETURN_IF_ERROR(seek(offset));
        while (bytes > 0) {
            zip_int64_t got = zip_fread(file_, dst, bytes);
            if (got < 0) return invalid_input(what_ + ": corrupt archive member");
            if (got == 0) return invalid_input(what_ + ": data ends early");
            dst += got, bytes -= static_cast<uint64_t>(got), pos_ += static_cast<uint64_t>(got);
        }
        return Status::ok();
    }
    Result<std::string> prefix(size_t max) override {
        LOWBIT_RETURN_IF_ERROR(seek(0));
        std::string out(max, '\0');
        zip_int64_t got = zip_fread(file_, out.data(), max);
        if (got < 0) return invalid_input(what_ + ": corrupt archive member");
        out.resize(static_cast<size_t>(got));
        pos_ = static_cast<uint64_t>(got);
        return out;
    }

  private:
    Status seek(uint64_t offset) {
        if (file_ && offset == pos_) return Status::ok();
        if (file_ && stored_ && zip_fseek(file_, static_cast<zip_int64_t>(offset), SEEK_SET) == 0) {
            pos_ = offset;
            return Status::ok();
        }
        if (!file_ || offset < pos_) {
            if (file_) zip_fclose(file_);
            file_ = zip_fopen_index(archive_, index_, 0);
            pos_ = 0;
            if (!file_) return invalid_input(what_ + ": cannot open the archive member");
        }
        char scratch[1 << 16];
        while (pos_ < offset) {
            zip_int64_t got = zip_fread(file_, scratch, std::min<uint64_t>(sizeof scratch, offset - pos_));
            if (got <= 0) return invalid_input(what_ + ": data ends early");
            pos_ += static_cast<uint64_t>(got);
        }
        return Status::ok();
    }
    zip_t* archive_;
    zip_uint64_t index_;
    bool stored_;
    std::string what_;
    zip_file_t* file_ = nullptr;
    uint64_t pos_ = 0;
};

// ---- readers: samples of one file or folder, by index, as model-ready float ----

class Reader {
  public:
    virtual ~Reader() = default;
    virtual int64_t count() const = 0;
    // The samples at `indices`, stacked: [k, ...] float32, preprocessed.
    virtual Result<Tensor> read(const std::vector<int64_t>& indices) = 0;
    virtual std::string describe() const = 0;
    virtual std::string name() const = 0;  // for messages: the file, folder or npz member
    int64_t bytes_read() const { return bytes_read_; }

  protected:
    std::atomic<int64_t> bytes_read_{0};
};

// Row-addressable arrays (.npy, .npz member, .bin, IDX): rows [N, ...] of a fixed size at a byte offset.
class ArrayReader : public Reader {
  public:
    ArrayReader(std::unique_ptr<ByteStream> stream, std::string what, std::string format, DataType type,
                Shape shape, size_t data_offset, bool big_endian, Target target)
        : stream_(std::move(stream)),
          what_(std::move(what)),
          format_(std::move(format)),
          type_(type),
          shape_(std::move(shape)),
          data_offset_(data_offset),
          big_endian_(big_endian),
          target_(std::move(target)) {
        row_bytes_ = static_cast<size_t>(runtime::shape_numel(Shape(shape_.begin() + 1, shape_.end()))) *
                     (ir::bits_of(type_) / 8);
    }
    int64_t count() const override { return shape_[0]; }
    std::string name() const override { return what_; }
    std::string describe() const override {
        return what_ + " (" + format_ + ", " + std::to_string(shape_[0]) + " samples of " +
               runtime::shape_string(Shape(shape_.begin() + 1, shape_.end())) + " " +
               std::string(ir::name_of(type_)) + ")";
    }
    Result<Tensor> read(const std::vector<int64_t>& indices) override {
        Shape shape = shape_;
        shape[0] = static_cast<int64_t>(indices.size());
        Tensor raw(type_, shape);
        char* dst = static_cast<char*>(raw.raw());
        // consecutive indices are read in one go
        for (size_t i = 0; i < indices.size();) {
            size_t j = i + 1;
            while (j < indices.size() && indices[j] == indices[j - 1] + 1)
                ++j;
            uint64_t bytes = (j - i) * row_bytes_;
            LOWBIT_RETURN_IF_ERROR(
                stream_->read(data_offset_ + static_cast<uint64_t>(indices[i]) * row_bytes_, bytes, dst));
            bytes_read_ += static_cast<int64_t>(bytes);
            dst += bytes, i = j;
        }
        size_t size = ir::bits_of(type_) / 8;
        if (big_endian_ && size > 1) {
            auto* p = static_cast<unsigned char*>(raw.raw());
            for (size_t i = 0; i < raw.bytes(); i += size)
                std::reverse(p + i, p + i + size);
        }
        return to_model_float(raw, target_, what_);
    }

  private:
    std::unique_ptr<ByteStream> stream_;
    std::string what_, format_;
    DataType type_;
    Shape shape_;
    size_t data_offset_;
    bool big_endian_;
    Target target_;
    size_t row_bytes_ = 0;
};

// uint8 arrays follow the image channel rules (fit_channels); float arrays are taken as they are.
Result<Target> array_target(const Target& target, DataType type, const std::string& what) {
    Target t = target;
    if (type == DataType::kUint8) LOWBIT_RETURN_IF_ERROR(fit_channels(&t, what));
    return t;
}

Status check_array(const Shape& shape, DataType type, const std::string& what) {
    if (shape.size() < 2)
        return invalid_input(what + ": needs a batch of samples (at least 2 dimensions), got shape " +
                             runtime::shape_string(shape));
    if (shape[0] == 0) return invalid_input(what + ": holds no samples");
    if (type != DataType::kUint8 && type != DataType::kFloat && type != DataType::kDouble)
        return invalid_input(
            what + ": " + std::string(ir::name_of(type)) +
            " data; calibration data must be uint8 (raw images) or float32/float64 (preprocessed)");
    return Status::ok();
}

Result<std::unique_ptr<Reader>> open_npy(const SourceSpec& spec, const Target& target) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(spec.path));
    auto stream = std::make_unique<FileStream>(spec.path);
    if (!stream->is_open()) return io_error(spec.path.string() + ": cannot open");
    LOWBIT_ASSIGN_OR_RETURN(auto prefix, stream->prefix(1 << 16));
    auto h = parse_npy_header(prefix, spec.path.string());
    if (!h) return h.status();
    LOWBIT_RETURN_IF_ERROR(check_array(h->shape, h->type, spec.path.string()));
    uint64_t need =
        h->data_offset + static_cast<uint64_t>(runtime::shape_numel(h->shape)) * (ir::bits_of(h->type) / 8);
    uint64_t have = std::filesystem::file_size(spec.path);
    if (have < need)
        return invalid_input(spec.path.string() + ": holds " + std::to_string(have) + " bytes, shape " +
                             runtime::shape_string(h->shape) + " needs " + std::to_string(need));
    auto t = array_target(target, h->type, spec.path.string());
    if (!t) return t.status();
    std::unique_ptr<Reader> r = std::make_unique<ArrayReader>(std::move(stream), spec.path.string(), "npy",
                                                              h->type, h->shape, h->data_offset, false, *t);
    return r;
}

Result<std::unique_ptr<Reader>> open_npz(const SourceSpec& spec, const Target& target) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(spec.path));
    int err = 0;
    zip_t* archive = zip_open(spec.path.c_str(), ZIP_RDONLY, &err);
    if (!archive) return invalid_input(spec.path.string() + ": not an .npz (zip) archive");
    // the named member (with or without .npy), or the first
    zip_int64_t n = zip_get_num_entries(archive, 0);
    std::string names;
    zip_int64_t found = -1;
    zip_stat_t info;
    for (zip_int64_t i = 0; i < n && found < 0; ++i) {
        if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &info) != 0) continue;
        std::string name = info.name;
        if (name.size() > 4 && name.substr(name.size() - 4) == ".npy") name.resize(name.size() - 4);
        names += (names.empty() ? "" : ", ") + name;
        if (spec.npz_array.empty() || spec.npz_array == name || spec.npz_array == info.name) found = i;
    }
    if (found < 0) {
        zip_discard(archive);
        if (n == 0) return invalid_input(spec.path.string() + ": the archive is empty");
        return invalid_input(spec.path.string() + ": no array '" + spec.npz_array + "' (it holds " + names +
                             ")");
    }
    std::string name = info.name;
    std::string what = spec.path.string() + ":" + (name.size() > 4 ? name.substr(0, name.size() - 4) : name);
    bool stored = (info.valid & ZIP_STAT_COMP_METHOD) && info.comp_method == ZIP_CM_STORE;
    uint64_t member_size = info.size;
    auto stream = std::make_unique<ZipStream>(archive, static_cast<zip_uint64_t>(found), stored, what);
    LOWBIT_ASSIGN_OR_RETURN(auto prefix, stream->prefix(std::min<uint64_t>(member_size, 1 << 16)));
    auto h = parse_npy_header(prefix, what);
    if (!h) return h.status();
    LOWBIT_RETURN_IF_ERROR(check_array(h->shape, h->type, what));
    uint64_t need =
        h->data_offset + static_cast<uint64_t>(runtime::shape_numel(h->shape)) * (ir::bits_of(h->type) / 8);
    if (member_size < need)
        return invalid_input(what + ": holds " + std::to_string(member_size) + " bytes, shape " +
                             runtime::shape_string(h->shape) + " needs " + std::to_string(need));
    auto t = array_target(target, h->type, what);
    if (!t) return t.status();
    std::unique_ptr<Reader> r = std::make_unique<ArrayReader>(std::move(stream), what, "npz", h->type,
                                                              h->shape, h->data_offset, false, *t);
    return r;
}

Result<std::unique_ptr<Reader>> open_bin(const SourceSpec& spec, const Target& target) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(spec.path));
    Shape sample = spec.bin_shape;
    if (sample.empty()) {
        bool fixed = !target.sample.empty() &&
                     std::all_of(target.sample.begin(), target.sample.end(), [](int64_t d) { return d > 0; });
        if (!fixed)
            return invalid_input(
                spec.path.string() +
                ": a raw .bin needs its per-sample shape (data.bin_shape); the model input '" +
                target.input_name + "' does not fix it");
        sample = target.sample;
    }
    for (int64_t d : sample)
        if (d <= 0)
            return invalid_input(spec.path.string() + ": bin_shape " + runtime::shape_string(sample) +
                                 " has a dimension <= 0");
    uint64_t sample_bytes = static_cast<uint64_t>(runtime::shape_numel(sample)) * 4;
    uint64_t size = std::filesystem::file_size(spec.path);
    if (size % sample_bytes != 0)
        return invalid_input(spec.path.string() + ": " + std::to_string(size) +
                             " bytes is not a multiple of the sample size " + std::to_string(sample_bytes) +
                             " bytes (float32 " + runtime::shape_string(sample) + ")");
    auto stream = std::make_unique<FileStream>(spec.path);
    if (!stream->is_open()) return io_error(spec.path.string() + ": cannot open");
    Shape shape = {static_cast<int64_t>(size / sample_bytes)};
    shape.insert(shape.end(), sample.begin(), sample.end());
    std::unique_ptr<Reader> r = std::make_unique<ArrayReader>(
        std::move(stream), spec.path.string(), "raw float32", DataType::kFloat, shape, 0, false, target);
    return r;
}

Result<std::unique_ptr<Reader>> open_idx(const SourceSpec& spec, const Target& target) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(spec.path));
    auto stream = std::make_unique<GzStream>(spec.path);
    if (!stream->is_open()) return io_error(spec.path.string() + ": cannot open");
    LOWBIT_ASSIGN_OR_RETURN(auto prefix, stream->prefix(4 + 4 * 255));
    auto h = parse_idx_header(prefix, spec.path.string());
    if (!h) return h.status();
    LOWBIT_RETURN_IF_ERROR(check_array(h->shape, h->type, spec.path.string()));
    auto t = array_target(target, h->type, spec.path.string());
    if (!t) return t.status();
    std::unique_ptr<Reader> r = std::make_unique<ArrayReader>(std::move(stream), spec.path.string(), "IDX",
                                                              h->type, h->shape, h->data_offset, true, *t);
    return r;
}

// Image files, decoded one by one: resize, crop, channels, preprocess.
class ImageReader : public Reader {
  public:
    ImageReader(std::filesystem::path root, std::vector<std::filesystem::path> files, ImageOptions options,
                Target target)
        : root_(std::move(root)), files_(std::move(files)), options_(options), target_(std::move(target)) {}
    int64_t count() const override { return static_cast<int64_t>(files_.size()); }
    std::string name() const override { return root_.string(); }
    std::string describe() const override {
        if (files_.size() == 1 && files_[0] == root_) return "image " + root_.string();
        return "images in " + root_.string() + " (" + std::to_string(files_.size()) + " files)";
    }
    // Sets the size every image must have after resize/crop: the model's, the crop's, or the first image's.
    Status init() {
        expect_h_ = target_.height, expect_w_ = target_.width;
        if (options_.crop_height > 0 && expect_h_ == 0) expect_h_ = options_.crop_height;
        if (options_.crop_width > 0 && expect_w_ == 0) expect_w_ = options_.crop_width;
        if (expect_h_ > 0 && expect_w_ > 0) return Status::ok();
        LOWBIT_ASSIGN_OR_RETURN(auto img, load(files_[0]));
        if (expect_h_ == 0) expect_h_ = img.height;
        if (expect_w_ == 0) expect_w_ = img.width;
        size_from_first_ = true;
        return Status::ok();
    }
    Result<Tensor> read(const std::vector<int64_t>& indices) override {
        const int64_t k = static_cast<int64_t>(indices.size());
        std::vector<Tensor> rows(static_cast<size_t>(k));
        std::vector<Status> errors(static_cast<size_t>(k));
#pragma omp parallel for schedule(dynamic)
        for (int64_t i = 0; i < k; ++i) {
            auto row = prepare(files_[static_cast<size_t>(indices[static_cast<size_t>(i)])]);
            if (row)
                rows[static_cast<size_t>(i)] = std::move(*row);
            else
                errors[static_cast<size_t>(i)] = row.status();
        }
        for (const auto& e : errors)
            LOWBIT_RETURN_IF_ERROR(e);
        Shape shape = rows.empty() ? Shape{0} : rows[0].shape();
        shape[0] = k;
        Tensor out(DataType::kFloat, shape);
        size_t row_bytes = rows.empty() ? 0 : rows[0].bytes();
        for (int64_t i = 0; i < k; ++i)
            std::memcpy(static_cast<char*>(out.raw()) + static_cast<size_t>(i) * row_bytes,
                        rows[static_cast<size_t>(i)].raw(), row_bytes);
        return out;
    }

  private:
    // decode, resize, crop
    Result<Image> load(const std::filesystem::path& file) {
        LOWBIT_ASSIGN_OR_RETURN(auto bytes, read_file(file));
        bytes_read_ += static_cast<int64_t>(bytes.size());
        auto img = decode_image(bytes, file.string());
        if (!img) return img.status();
        Image im = options_.resize > 0 ? resize_shorter_side(*img, options_.resize) : std::move(*img);
        int64_t ch = options_.crop_height > 0 ? options_.crop_height : im.height;
        int64_t cw = options_.crop_width > 0 ? options_.crop_width : im.width;
        if (ch > im.height || cw > im.width)
            return invalid_input(file.string() + " is " + size_string(im.height, im.width) +
                                 (options_.resize > 0 ? " after resize" : "") + ", smaller than the crop " +
                                 size_string(ch, cw) + "; set image.resize to at least the crop size");
        if (ch != im.height || cw != im.width) im = center_crop(im, ch, cw);
        return im;
    }
    // one image -> [1, ...] float
    Result<Tensor> prepare(const std::filesystem::path& file) {
        LOWBIT_ASSIGN_OR_RETURN(auto img, load(file));
        if (img.height != expect_h_ || img.width != expect_w_) {
            std::string have =
                file.string() + " is " + size_string(img.height, img.width) + " after preprocessing but ";
            if (!size_from_first_)
                return invalid_input(have +
                                     (target_.height > 0
                                          ? "the model input '" + target_.input_name + "' needs "
                                          : "the crop is ") +
                                     size_string(expect_h_, expect_w_) + "; set image.resize/crop");
            return invalid_input(have + files_[0].string() + " is " + size_string(expect_h_, expect_w_) +
                                 " (a batch needs one size); set image.resize/crop");
        }
        Tensor raw(DataType::kUint8, {1, img.height, img.width, img.channels});
        std::memcpy(raw.raw(), img.pixels.data(), img.pixels.size());
        return to_model_float(raw, target_, file.string());
    }

    std::filesystem::path root_;
    std::vector<std::filesystem::path> files_;
    ImageOptions options_;
    Target target_;
    int64_t expect_h_ = 0, expect_w_ = 0;
    bool size_from_first_ = false;
};

Result<std::unique_ptr<Reader>> open_images(const SourceSpec& spec, const Target& target) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (std::filesystem::is_directory(spec.path, ec)) {
        // recursive (ImageNet-style class folders), sorted by path; hidden entries and other files ignored
        auto it = std::filesystem::recursive_directory_iterator(
            spec.path, std::filesystem::directory_options::skip_permission_denied, ec);
        if (ec) return io_error(spec.path.string() + ": cannot list the folder (" + ec.message() + ")");
        for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) return io_error(spec.path.string() + ": cannot list the folder (" + ec.message() + ")");
            std::string name = it->path().filename().string();
            if (!name.empty() && name[0] == '.') {
                if (it->is_directory(ec)) it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file(ec) && is_image_file_name(it->path())) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty())
            return invalid_input(
                spec.path.string() +
                ": no images found (looked for .png, .jpg and .jpeg files, sub-folders included)");
    } else {
        LOWBIT_RETURN_IF_ERROR(check_regular_file(spec.path));
        files.push_back(spec.path);
    }
    if (spec.image.resize < 0 || spec.image.crop_height < 0 || spec.image.crop_width < 0)
        return invalid_input(spec.path.string() + ": image.resize and image.crop must not be negative");
    if (!target.model.empty() && target.model.size() != 4)
        return invalid_input(spec.path.string() + ": images give " +
                             (target.channels_last ? "[N,H,W,C]" : "[N,C,H,W]") +
                             " input but the model input '" + target.input_name + "' is " +
                             runtime::shape_string(target.model));
    Target t = target;
    LOWBIT_RETURN_IF_ERROR(fit_channels(&t, spec.path.string()));
    auto reader = std::make_unique<ImageReader>(spec.path, std::move(files), spec.image, t);
    LOWBIT_RETURN_IF_ERROR(reader->init());
    std::unique_ptr<Reader> r = std::move(reader);
    return r;
}

// Deterministic normal(0, 1) values; sample i depends only on the seed and i.
class SyntheticReader : public Reader {
  public:
    SyntheticReader(Shape sample, int64_t count, uint64_t seed)
        : sample_(std::move(sample)), count_(count), seed_(seed) {}
    int64_t count() const override { return count_; }
    std::string name() const override { return "synthetic data"; }
    std::string describe() const override {
        return "synthetic random input (" + std::to_string(count_) + " samples of " +
               runtime::shape_string(sample_) + ", normal(0,1), seed " + std::to_string(seed_) + ")";
    }
    Result<Tensor> read(const std::vector<int64_t>& indices) override {
        Shape shape = sample_;
        shape.insert(shape.begin(), static_cast<int64_t>(indices.size()));
        Tensor out(DataType::kFloat, shape);
        int64_t row = runtime::shape_numel(sample_);
        float* dst = out.data<float>();
        for (size_t i = 0; i < indices.size(); ++i) {
            std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(indices[i]));
            auto unit = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
            for (int64_t j = 0; j < row; j += 2) {  // Box-Muller, two values per draw
                double r = std::sqrt(-2.0 * std::log(unit())), a = 2.0 * std::numbers::pi * unit();
                dst[j] = static_cast<float>(r * std::cos(a));
                if (j + 1 < row) dst[j + 1] = static_cast<float>(r * std::sin(a));
            }
            dst += row;
        }
        return out;
    }

  private:
    Shape sample_;
    int64_t count_;
    uint64_t seed_;
};

// ---- the public view: a reader plus the selected indices ----

class SelectedSource : public DataSource {
  public:
    SelectedSource(std::unique_ptr<Reader> reader, std::vector<int64_t> indices, Shape sample,
                   std::string selection)
        : reader_(std::move(reader)),
          indices_(std::move(indices)),
          sample_(std::move(sample)),
          selection_(std::move(selection)) {}
    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
    Shape sample_shape() const override { return sample_; }
    std::string describe() const override {
        return reader_->describe() + (selection_.empty() ? "" : "; " + selection_);
    }
    int64_t bytes_read() const override { return reader_->bytes_read(); }
    Result<Tensor> batch(int64_t begin, int64_t end) override {
        if (begin < 0 || end < begin || end > size())
            return invalid_input("batch [" + std::to_string(begin) + ", " + std::to_string(end) +
                                 ") is outside the " + std::to_string(size()) + " samples of " +
                                 reader_->describe());
        return reader_->read(std::vector<int64_t>(indices_.begin() + begin, indices_.begin() + end));
    }

  private:
    std::unique_ptr<Reader> reader_;
    std::vector<int64_t> indices_;
    Shape sample_;
    std::string selection_;
};

Result<std::string> detect_kind(const SourceSpec& spec) {
    if (spec.kind != "auto") {
        for (const char* k : {"images", "npy", "npz", "bin", "idx", "synthetic"})
            if (spec.kind == k) return spec.kind;
        return invalid_input("data.kind must be auto, images, npy, npz, bin, idx or synthetic, not '" +
                             spec.kind + "'");
    }
    if (spec.path.empty())
        return invalid_input(
            "no calibration data given: set data.path (an image folder, .npy, .npz, .bin or IDX file), "
            "or data.kind: synthetic to calibrate on random input");
    std::error_code ec;
    auto status = std::filesystem::status(spec.path, ec);
    if (!std::filesystem::exists(status))
        return invalid_input(spec.path.string() + ": no such file or folder");
    if (std::filesystem::is_directory(status)) return std::string("images");
    std::string ext = lower(spec.path.extension().string());
    if (ext == ".npy") return std::string("npy");
    if (ext == ".npz") return std::string("npz");
    if (ext == ".bin" || ext == ".raw" || ext == ".f32") return std::string("bin");
    if (is_image_file_name(spec.path)) return std::string("images");
    std::string name = lower(spec.path.filename().string());
    if (ext == ".gz" || ext == ".idx" || name.find("ubyte") != std::string::npos) return std::string("idx");
    // IDX files often have no extension: sniff the magic (0, 0, type code, rank)
    std::ifstream in(spec.path, std::ios::binary);
    char magic[4] = {1, 1, 0, 0};
    in.read(magic, 4);
    if (in.gcount() == 4 && magic[0] == 0 && magic[1] == 0 && magic[3] > 0) return std::string("idx");
    return invalid_input(spec.path.string() +
                         ": cannot tell the data format from the name; set data.kind "
                         "(images, npy, npz, bin or idx)");
}

}  // namespace

Status for_each_batch(DataSource& source, int64_t batch_size, int64_t limit, const std::string& what,
                      const ProgressFn& progress, const CancelToken* cancel,
                      const std::function<Status(const runtime::Tensor&)>& fn) {
    const int64_t total = std::min(limit, source.size()), batch = std::max<int64_t>(1, batch_size);
    for (int64_t begin = 0; begin < total; begin += batch) {
        if (cancel && cancel->cancelled()) return Status(StatusCode::kCancelled, "cancelled");
        const int64_t end = std::min(total, begin + batch);
        LOWBIT_ASSIGN_OR_RETURN(auto x, source.batch(begin, end));
        LOWBIT_RETURN_IF_ERROR(
            fn(x).with_context(what + ", batch " + std::to_string(begin) + ".." + std::to_string(end)));
        if (progress)
            progress(static_cast<double>(end) / static_cast<double>(total),
                     what + ": " + std::to_string(end) + " / " + std::to_string(total) + " samples");
    }
    return Status::ok();
}

Result<std::unique_ptr<DataSource>> open_source(const SourceSpec& spec) {
    LOWBIT_ASSIGN_OR_RETURN(auto kind, detect_kind(spec));
    auto target = make_target(spec);
    if (!target) return target.status();
    if (spec.num_samples < 0) return invalid_input("data.num_samples must not be negative");
    if (spec.selection != "first" && spec.selection != "random" && spec.selection != "representative")
        return invalid_input("data.selection must be first, random or representative, not '" +
                             spec.selection + "'");
    std::vector<std::string> warnings;

    // open the file or folder
    Result<std::unique_ptr<Reader>> reader = invalid_input("unreachable");
    if (kind == "synthetic") {
        const Shape& sample = target->sample;
        if (target->model.empty() ||
            !std::all_of(sample.begin(), sample.end(), [](int64_t d) { return d > 0; }))
            return invalid_input("synthetic data needs a fixed input shape, but the model input '" +
                                 target->input_name + "' is " +
                                 (target->model.empty() ? "unknown" : runtime::shape_string(target->model)));
        int64_t n = spec.num_samples > 0 ? spec.num_samples : 100;
        reader = std::unique_ptr<Reader>(std::make_unique<SyntheticReader>(sample, n, spec.seed));
        warnings.push_back(
            "calibrating on synthetic random input (normal(0,1)): quantization ranges will not match real "
            "data; "
            "give real samples in data.path for a usable model");
    } else {
        if (spec.path.empty()) return invalid_input("data.kind " + kind + " needs data.path");
        if (!std::filesystem::exists(spec.path))
            return invalid_input(spec.path.string() + ": no such file or folder");
        if (kind == "images")
            reader = open_images(spec, *target);
        else if (kind == "npy")
            reader = open_npy(spec, *target);
        else if (kind == "npz")
            reader = open_npz(spec, *target);
        else if (kind == "bin")
            reader = open_bin(spec, *target);
        else
            reader = open_idx(spec, *target);
    }
    if (!reader) return reader.status();
    std::unique_ptr<Reader> r = std::move(*reader);

    // the first sample: checks the whole pipeline against the model before calibration starts
    auto probe = r->read({0});
    if (!probe) return probe.status();
    Shape sample(probe->shape().begin() + 1, probe->shape().end());
    std::string what = r->name();
    LOWBIT_RETURN_IF_ERROR(check_sample_shape(sample, *target, what));

    // selection
    const int64_t count = r->count();
    const int64_t n =
        (spec.num_samples > 0 && kind != "synthetic") ? std::min(spec.num_samples, count) : count;
    if (spec.num_samples > count && kind != "synthetic")
        warnings.push_back(what + " holds " + std::to_string(count) + " samples, fewer than the " +
                           std::to_string(spec.num_samples) + " asked for; using all of them");
    std::vector<int64_t> indices;
    std::string selection;
    if (spec.selection == "representative" && n < count) {
        int64_t k = spec.kmeans_clusters > 0 ? spec.kmeans_clusters : n;
        if (k > n)
            return invalid_input("data.kmeans_clusters (" + std::to_string(k) +
                                 ") must not exceed num_samples (" + std::to_string(n) + ")");
        // one streaming pass: small summaries of every sample, never the samples themselves
        std::vector<float> features;
        int64_t dim = 0;
        constexpr int64_t kChunk = 32;
        for (int64_t b = 0; b < count; b += kChunk) {
            std::vector<int64_t> idx;
            for (int64_t i = b; i < std::min(count, b + kChunk); ++i)
                idx.push_back(i);
            auto rows = r->read(idx);
            if (!rows) return rows.status();
            int64_t row = runtime::shape_numel(sample);
            for (size_t i = 0; i < idx.size(); ++i) {
                auto f = downsample_features(rows->data<float>() + static_cast<int64_t>(i) * row, sample,
                                             target->channels_last);
                dim = static_cast<int64_t>(f.size());
                features.insert(features.end(), f.begin(), f.end());
            }
        }
        indices = select_representative(features, dim, n, k, spec.seed);
        selection = std::to_string(n) + " of " + std::to_string(count) + " representative (k-means, " +
                    std::to_string(k) + " clusters, seed " + std::to_string(spec.seed) + ")";
    } else if (spec.selection == "random" && n < count) {
        indices = select_random(count, n, spec.seed);
        selection = std::to_string(n) + " of " + std::to_string(count) + " at random (seed " +
                    std::to_string(spec.seed) + ")";
    } else {
        indices = select_first(count, n);
        if (n < count) selection = "first " + std::to_string(n) + " of " + std::to_string(count);
    }
    auto source = std::make_unique<SelectedSource>(std::move(r), std::move(indices), sample, selection);
    source->warnings = std::move(warnings);
    std::unique_ptr<DataSource> out = std::move(source);
    return out;
}

}  // namespace lowbit::data
