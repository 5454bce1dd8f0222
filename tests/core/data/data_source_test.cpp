// Calibration data sources: image folders (PNG/JPEG written here with libpng/libjpeg), .npy, .npz, .bin, IDX,
// synthetic input; resize/crop against hand-computed numbers; channel rules; selection; errors; streaming.
#include <gtest/gtest.h>
#include <jpeglib.h>
#include <png.h>
#include <zip.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "core/test_util.h"
#include "data/image.h"
#include "data/npy.h"
#include "data/selection.h"
#include "data/source.h"

namespace lowbit {
namespace {

namespace fs = std::filesystem;
using runtime::Shape;
using runtime::Tensor;

// A PNG through libpng's full API: color_type PNG_COLOR_TYPE_*, 8 or 16 bits, samples row-major.
void write_png(const fs::path& path, int width, int height, int color_type, int bit_depth,
               const std::vector<uint16_t>& samples, const std::vector<png_color>& palette = {}) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), bit_depth,
                 color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!palette.empty()) png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
    png_write_info(png, info);
    int channels = png_get_channels(png, info);
    size_t per_row = static_cast<size_t>(width * channels);
    std::vector<uint8_t> row(per_row * (bit_depth == 16 ? 2 : 1));
    for (int y = 0; y < height; ++y) {
        for (size_t i = 0; i < per_row; ++i) {
            uint16_t v = samples[static_cast<size_t>(y) * per_row + i];
            if (bit_depth == 16)
                row[2 * i] = static_cast<uint8_t>(v >> 8), row[2 * i + 1] = static_cast<uint8_t>(v & 0xff);
            else
                row[i] = static_cast<uint8_t>(v);
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
}

void write_gray_png(const fs::path& path, int width, int height, const std::vector<uint16_t>& px) {
    write_png(path, width, height, PNG_COLOR_TYPE_GRAY, 8, px);
}

void write_jpeg(const fs::path& path, int width, int height, int channels, const std::vector<uint8_t>& px) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    jpeg_compress_struct cinfo;
    jpeg_error_mgr err;
    cinfo.err = jpeg_std_error(&err);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, 100, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row =
            const_cast<uint8_t*>(px.data()) + cinfo.next_scanline * static_cast<size_t>(width * channels);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    std::fclose(f);
}

// An IDX file of uint8 samples [n, h, w], gzip-compressed or plain.
void write_idx(const fs::path& path, int n, int h, int w, bool gzip, uint8_t (*value)(int, int)) {
    std::string bytes = {0, 0, 0x08, 3};
    for (int d : {n, h, w})
        for (int s = 24; s >= 0; s -= 8)
            bytes += static_cast<char>((d >> s) & 0xff);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < h * w; ++j)
            bytes += static_cast<char>(value(i, j));
    if (gzip) {
        gzFile f = gzopen(path.c_str(), "wb");
        gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
        gzclose(f);
    } else {
        std::ofstream(path, std::ios::binary) << bytes;
    }
}

// Sample i of [n, rest...] filled with `i` (so a batch shows which samples it holds).
Tensor indexed_floats(int64_t n, Shape rest) {
    Shape shape = rest;
    shape.insert(shape.begin(), n);
    Tensor t(ir::DataType::kFloat, shape);
    int64_t row = runtime::shape_numel(rest);
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = static_cast<float>(i / row);
    return t;
}

data::SourceSpec spec_for(const fs::path& path, Shape model) {
    data::SourceSpec s;
    s.path = path;
    s.model_input_shape = std::move(model);
    s.preprocess.scale = 1.0f;  // raw pixel values come out as they are
    return s;
}

std::unique_ptr<data::DataSource> open_ok(const data::SourceSpec& spec) {
    auto src = data::open_source(spec);
    EXPECT_TRUE(src) << src.status().message();
    return src ? std::move(*src) : nullptr;
}

std::string open_error(const data::SourceSpec& spec) {
    auto src = data::open_source(spec);
    EXPECT_FALSE(src) << "expected an error opening " << spec.path;
    return src ? "" : src.status().message();
}

std::vector<float> values(const Tensor& t) {
    return {t.data<float>(), t.data<float>() + t.numel()};
}

// ---- images ----

TEST(DataSourceImages, PngVariantsDecodeToEightBit) {
    test::TempDir dir;
    write_png(dir / "rgb.png", 2, 1, PNG_COLOR_TYPE_RGB, 8, {10, 20, 30, 40, 50, 60});
    write_png(dir / "gray16.png", 2, 1, PNG_COLOR_TYPE_GRAY, 16, {0, 65535});
    write_png(dir / "ga.png", 2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8, {100, 0, 200, 255});
    write_png(dir / "rgba.png", 1, 1, PNG_COLOR_TYPE_RGBA, 8, {1, 2, 3, 0});
    write_png(dir / "rgb16.png", 1, 1, PNG_COLOR_TYPE_RGB, 16, {257 * 10, 257 * 128, 257 * 250});
    write_png(dir / "palette.png", 2, 1, PNG_COLOR_TYPE_PALETTE, 8, {1, 0}, {{255, 0, 0}, {0, 0, 255}});

    auto rgb = data::read_image(dir / "rgb.png");
    ASSERT_TRUE(rgb) << rgb.status().message();
    EXPECT_EQ(rgb->channels, 3);
    EXPECT_EQ(rgb->pixels, (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
    auto g16 = data::read_image(dir / "gray16.png");
    ASSERT_TRUE(g16) << g16.status().message();
    EXPECT_EQ(g16->channels, 1);
    EXPECT_EQ(g16->pixels, (std::vector<uint8_t>{0, 255}));
    auto ga = data::read_image(dir / "ga.png");  // alpha dropped, colour kept
    ASSERT_TRUE(ga);
    EXPECT_EQ(ga->channels, 1);
    EXPECT_EQ(ga->pixels, (std::vector<uint8_t>{100, 200}));
    auto rgba = data::read_image(dir / "rgba.png");
    ASSERT_TRUE(rgba);
    EXPECT_EQ(rgba->pixels, (std::vector<uint8_t>{1, 2, 3}));
    auto rgb16 = data::read_image(dir / "rgb16.png");  // 16-bit sRGB scaled, not gamma-converted
    ASSERT_TRUE(rgb16);
    EXPECT_EQ(rgb16->pixels, (std::vector<uint8_t>{10, 128, 250}));
    auto pal = data::read_image(dir / "palette.png");
    ASSERT_TRUE(pal);
    EXPECT_EQ(pal->channels, 3);
    EXPECT_EQ(pal->pixels, (std::vector<uint8_t>{0, 0, 255, 255, 0, 0}));
}

TEST(DataSourceImages, JpegDecodes) {
    test::TempDir dir;
    std::vector<uint8_t> rgb;
    for (int i = 0; i < 16 * 16; ++i)
        rgb.insert(rgb.end(), {200, 100, 50});
    write_jpeg(dir / "a.jpg", 16, 16, 3, rgb);
    write_jpeg(dir / "g.JPEG", 16, 16, 1, std::vector<uint8_t>(256, 77));
    auto a = data::read_image(dir / "a.jpg");
    ASSERT_TRUE(a) << a.status().message();
    EXPECT_EQ(a->channels, 3);
    EXPECT_EQ(a->height, 16);
    for (int c = 0; c < 3; ++c)
        EXPECT_NEAR(a->pixels[static_cast<size_t>(c)], rgb[static_cast<size_t>(c)], 3);
    auto g = data::read_image(dir / "g.JPEG");
    ASSERT_TRUE(g) << g.status().message();
    EXPECT_EQ(g->channels, 1);
    EXPECT_NEAR(g->pixels[0], 77, 1);
    // a folder mixing both, sorted by name, other files ignored
    std::ofstream(dir / "notes.txt") << "not an image";
    auto spec = spec_for(dir.path(), {-1, 3, 16, 16});
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 2);
    EXPECT_NE(src->describe().find("(2 files)"), std::string::npos) << src->describe();
    auto b = src->batch(0, 2);
    ASSERT_TRUE(b) << b.status().message();
    EXPECT_EQ(b->shape(), (Shape{2, 3, 16, 16}));
    EXPECT_NEAR(b->data<float>()[0], 200, 3);           // a.jpg red
    EXPECT_NEAR(b->data<float>()[3 * 256], 77, 1);      // g.JPEG, gray replicated: red plane
    EXPECT_NEAR(b->data<float>()[5 * 256 - 1], 77, 1);  // green plane
}

TEST(DataSourceImages, ResizeAndCropMatchHandComputation) {
    // 2x2 -> shorter side 4 (bilinear, half-pixel centres) -> centre 2x2:
    // rows of the 4x4: [0,25,75,100], [50,72.19,116.56,138.75], [150,166.56,199.69,216.25],
    // [200,213.75,241.25,255]
    test::TempDir dir;
    write_gray_png(dir / "t.png", 2, 2, {0, 100, 200, 255});
    auto img = data::read_image(dir / "t.png");
    ASSERT_TRUE(img);
    data::Image big = data::resize_shorter_side(*img, 4);
    EXPECT_EQ(big.height, 4);
    EXPECT_EQ(big.width, 4);
    EXPECT_EQ(big.pixels, (std::vector<uint8_t>{0, 25, 75, 100, 50, 72, 117, 139, 150, 167, 200, 216, 200,
                                                214, 241, 255}));
    auto spec = spec_for(dir.path(), {-1, 1, 2, 2});
    spec.image.resize = 4;
    spec.image.crop_height = spec.image.crop_width = 2;
    spec.preprocess.channel_order = "gray";
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    auto b = src->batch(0, 1);
    ASSERT_TRUE(b) << b.status().message();
    EXPECT_EQ(values(*b), (std::vector<float>{72, 117, 167, 200}));
    // then scale/mean/std
    spec.preprocess.scale = 0.5f;
    spec.preprocess.mean = {10.0f};
    spec.preprocess.std = {2.0f};
    src = open_ok(spec);
    b = src->batch(0, 1);
    EXPECT_FLOAT_EQ(b->data<float>()[0], (72 * 0.5f - 10.0f) / 2.0f);
    // aspect kept, longer side truncated as torchvision does: 3x5 (h x w) -> 2x3
    data::Image wide{3, 5, 1, std::vector<uint8_t>(15, 9)};
    data::Image small = data::resize_shorter_side(wide, 2);
    EXPECT_EQ(small.height, 2);
    EXPECT_EQ(small.width, 3);
    data::Image crop = data::center_crop(data::Image{3, 3, 1, {1, 2, 3, 4, 5, 6, 7, 8, 9}}, 1, 2);
    EXPECT_EQ(crop.pixels, (std::vector<uint8_t>{4, 5}));
}

TEST(DataSourceImages, ChannelRulesAndLayouts) {
    test::TempDir dir;
    fs::create_directories(dir / "rgb");
    write_png(dir / "rgb" / "a.png", 1, 1, PNG_COLOR_TYPE_RGB, 8, {100, 50, 10});
    // RGB image, one-channel model: luminance
    auto spec = spec_for(dir / "rgb", {-1, 1, 1, 1});
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_NEAR(src->batch(0, 1)->data<float>()[0], 0.299f * 100 + 0.587f * 50 + 0.114f * 10, 1e-3);
    // BGR order
    spec.model_input_shape = {-1, 3, 1, 1};
    spec.preprocess.channel_order = "bgr";
    src = open_ok(spec);
    EXPECT_EQ(values(*src->batch(0, 1)), (std::vector<float>{10, 50, 100}));
    // NHWC with per-channel mean/std
    fs::create_directories(dir / "wide");
    write_png(dir / "wide" / "a.png", 2, 1, PNG_COLOR_TYPE_RGB, 8, {1, 2, 3, 4, 5, 6});
    spec = spec_for(dir / "wide", {-1, 1, 2, 3});
    spec.preprocess.layout = "NHWC";
    spec.preprocess.mean = {1, 2, 3};
    src = open_ok(spec);
    ASSERT_TRUE(src);
    auto b = src->batch(0, 1);
    EXPECT_EQ(b->shape(), (Shape{1, 1, 2, 3}));
    EXPECT_EQ(values(*b), (std::vector<float>{0, 0, 0, 3, 3, 3}));
    // the same in NCHW
    spec.model_input_shape = {-1, 3, 1, 2};
    spec.preprocess.layout = "NCHW";
    src = open_ok(spec);
    EXPECT_EQ(values(*src->batch(0, 1)), (std::vector<float>{0, 3, 0, 3, 0, 3}));
}

TEST(DataSourceImages, Errors) {
    test::TempDir dir;
    fs::create_directories(dir / "empty");
    std::ofstream(dir / "empty" / "readme.md") << "no images";
    EXPECT_NE(open_error(spec_for(dir / "empty", {-1, 1, 8, 8})).find("no images found"), std::string::npos);

    fs::create_directories(dir / "corrupt");
    write_gray_png(dir / "corrupt" / "a.png", 2, 2, {1, 2, 3, 4});
    std::ofstream(dir / "corrupt" / "b.png") << "garbage that is no PNG";
    auto src = open_ok(spec_for(dir / "corrupt", {-1, 1, 2, 2}));
    ASSERT_TRUE(src);
    auto b = src->batch(0, 2);
    ASSERT_FALSE(b);
    EXPECT_NE(b.status().message().find("b.png"), std::string::npos) << b.status().message();
    // a truncated JPEG is an error, not a gray-filled image
    fs::create_directories(dir / "cut");
    std::vector<uint8_t> noise;
    for (int i = 0; i < 32 * 32 * 3; ++i)
        noise.push_back(static_cast<uint8_t>(i * 37 % 251));
    write_jpeg(dir / "full.jpg", 32, 32, 3, noise);
    std::ifstream in(dir / "full.jpg", std::ios::binary);
    std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir / "cut" / "c.jpg", std::ios::binary) << jpeg.substr(0, jpeg.size() / 2);
    std::string message = open_error(spec_for(dir / "cut", {-1, 3, 32, 32}));
    EXPECT_NE(message.find("c.jpg"), std::string::npos) << message;
    EXPECT_NE(message.find("corrupt JPEG"), std::string::npos) << message;

    // size after preprocessing versus the model
    fs::create_directories(dir / "big");
    write_gray_png(dir / "big" / "img_003.png", 32, 32, std::vector<uint16_t>(32 * 32, 5));
    auto spec = spec_for(dir / "big", {-1, 1, 28, 28});
    message = open_error(spec);
    EXPECT_NE(message.find("img_003.png is 32x32 after preprocessing but the model input 'input' needs "
                           "28x28; set image.resize/crop"),
              std::string::npos)
        << message;
    spec.image.crop_height = spec.image.crop_width = 28;  // the fix works
    EXPECT_TRUE(data::open_source(spec));
    spec.image.crop_height = spec.image.crop_width = 40;
    EXPECT_NE(open_error(spec).find("smaller than the crop"), std::string::npos);
    // images of different sizes for a model of any size
    write_gray_png(dir / "big" / "img_004.png", 30, 30, std::vector<uint16_t>(30 * 30, 5));
    src = open_ok(spec_for(dir / "big", {-1, 1, -1, -1}));
    ASSERT_TRUE(src);
    b = src->batch(0, 2);
    ASSERT_FALSE(b);
    EXPECT_NE(b.status().message().find("img_004.png is 30x30"), std::string::npos) << b.status().message();

    // channel count versus the model
    message = open_error(spec_for(dir / "big", {-1, 4, 32, 32}));
    EXPECT_NE(message.find("has 4 channels"), std::string::npos) << message;
    spec = spec_for(dir / "big", {-1, 3, 32, 32});
    spec.preprocess.channel_order = "gray";
    message = open_error(spec);
    EXPECT_NE(message.find("needs 3 channels"), std::string::npos) << message;
    EXPECT_NE(open_error(spec_for(dir / "big", {-1, 1024})).find("images give"), std::string::npos);
}

// ---- arrays ----

TEST(DataSourceArrays, NpyFloatAndUint8) {
    test::TempDir dir;
    ASSERT_TRUE(data::write_npy(dir / "f.npy", indexed_floats(10, {1, 2, 2})).is_ok());
    auto src = open_ok(spec_for(dir / "f.npy", {-1, 1, 2, 2}));
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 10);
    EXPECT_EQ(src->sample_shape(), (Shape{1, 2, 2}));
    auto b = src->batch(3, 5);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->shape(), (Shape{2, 1, 2, 2}));
    EXPECT_EQ(values(*b), (std::vector<float>{3, 3, 3, 3, 4, 4, 4, 4}));
    EXPECT_FALSE(src->batch(9, 11));

    Tensor u8(ir::DataType::kUint8, {4, 2, 2});
    for (int i = 0; i < 16; ++i)
        u8.data<uint8_t>()[i] = static_cast<uint8_t>(i * 10);
    ASSERT_TRUE(data::write_npy(dir / "u.npy", u8).is_ok());
    auto spec = spec_for(dir / "u.npy", {-1, 1, 2, 2});
    spec.preprocess.scale = 1.0f / 255.0f;
    src = open_ok(spec);
    ASSERT_TRUE(src);
    b = src->batch(1, 2);
    ASSERT_TRUE(b);
    EXPECT_FLOAT_EQ(b->data<float>()[0], 40.0f / 255.0f);
    // gray uint8 into an RGB model: replicated
    spec.model_input_shape = {-1, 3, 2, 2};
    src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->batch(0, 1)->shape(), (Shape{1, 3, 2, 2}));

    // wrong trailing shape
    std::string message = open_error(spec_for(dir / "f.npy", {-1, 3, 2, 2}));
    EXPECT_NE(message.find("f.npy: samples are [1,2,2]"), std::string::npos) << message;
    EXPECT_NE(message.find("needs [3,2,2]"), std::string::npos) << message;
}

TEST(DataSourceArrays, NpzBinIdx) {
    test::TempDir dir;
    ASSERT_TRUE(data::write_npz(dir / "d.npz", {{"labels", Tensor::from_int64s({3, 1}, {1, 2, 3})},
                                                {"x", indexed_floats(6, {4})}})
                    .is_ok());
    auto spec = spec_for(dir / "d.npz", {-1, 4});
    spec.npz_array = "x";
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 6);
    EXPECT_EQ(values(*src->batch(5, 6)), (std::vector<float>{5, 5, 5, 5}));
    EXPECT_EQ(values(*src->batch(1, 2)), (std::vector<float>{1, 1, 1, 1}));  // backwards
    spec.npz_array = "nope";
    EXPECT_NE(open_error(spec).find("no array 'nope' (it holds labels, x)"), std::string::npos);
    spec.npz_array = "";  // the first array: int64 labels are not calibration data
    EXPECT_NE(open_error(spec).find("int64"), std::string::npos);
    // a deflated member (np.savez_compressed) streams forwards and reopens to go back
    std::string npy = data::encode_npy(indexed_floats(300, {4}));
    zip_t* zip = zip_open((dir / "z.npz").c_str(), ZIP_CREATE | ZIP_TRUNCATE, nullptr);
    ASSERT_NE(zip, nullptr);
    zip_int64_t member = zip_file_add(zip, "arr_0.npy", zip_source_buffer(zip, npy.data(), npy.size(), 0), 0);
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(member), ZIP_CM_DEFLATE, 9);
    ASSERT_EQ(zip_close(zip), 0);
    spec = spec_for(dir / "z.npz", {-1, 4});
    src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_NE(src->describe().find("z.npz:arr_0"), std::string::npos) << src->describe();
    EXPECT_EQ(values(*src->batch(299, 300)), (std::vector<float>{299, 299, 299, 299}));
    EXPECT_EQ(values(*src->batch(7, 8)), (std::vector<float>{7, 7, 7, 7}));
    spec.model_input_shape = {-1, 5};
    EXPECT_NE(open_error(spec).find("z.npz:arr_0: samples are [4]"), std::string::npos);

    Tensor bin = indexed_floats(5, {2, 3});
    std::ofstream(dir / "d.bin", std::ios::binary)
        .write(static_cast<const char*>(bin.raw()), static_cast<std::streamsize>(bin.bytes()));
    spec = spec_for(dir / "d.bin", {-1, 2, 3});
    src = open_ok(spec);  // shape from the model
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 5);
    EXPECT_EQ(src->batch(4, 5)->data<float>()[5], 4.0f);
    spec.bin_shape = {4};
    std::string message = open_error(spec);
    EXPECT_NE(message.find("120 bytes is not a multiple of the sample size 16 bytes"), std::string::npos)
        << message;

    for (bool gzip : {false, true}) {
        fs::path p = dir / (gzip ? "i-ubyte.gz" : "i-ubyte");
        write_idx(p, 7, 3, 3, gzip, [](int i, int j) { return static_cast<uint8_t>(i * 10 + j); });
        spec = spec_for(p, {-1, 1, 3, 3});
        src = open_ok(spec);
        ASSERT_TRUE(src);
        EXPECT_EQ(src->size(), 7);
        auto b = src->batch(2, 4);
        ASSERT_TRUE(b);
        EXPECT_EQ(b->data<float>()[0], 20.0f);
        EXPECT_EQ(b->data<float>()[9 + 8], 38.0f);
        EXPECT_EQ(src->batch(0, 1)->data<float>()[1], 1.0f);  // backwards in a gzip stream
    }
}

TEST(DataSourceArrays, FashionMnistIdx) {
    auto spec = spec_for("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", {-1, 1, 28, 28});
    spec.num_samples = 16;
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 16);
    auto b = src->batch(0, 16);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->shape(), (Shape{16, 1, 28, 28}));
}

// ---- synthetic, missing data ----

TEST(DataSourceSynthetic, OnlyWhenAsked) {
    data::SourceSpec spec;
    spec.model_input_shape = {-1, 1, 4, 4};
    std::string message = open_error(spec);
    EXPECT_NE(message.find("kind: synthetic"), std::string::npos) << message;
    spec.kind = "synthetic";
    spec.num_samples = 8;
    auto a = open_ok(spec);
    ASSERT_TRUE(a);
    ASSERT_EQ(a->warnings.size(), 1u);
    EXPECT_NE(a->warnings[0].find("synthetic"), std::string::npos);
    EXPECT_EQ(a->size(), 8);
    auto b = open_ok(spec);
    EXPECT_EQ(values(*a->batch(2, 5)), values(*b->batch(2, 5)));
    EXPECT_EQ(a->batch(0, 8)->shape(), (Shape{8, 1, 4, 4}));
    spec.model_input_shape = {-1, 1, -1, 4};
    EXPECT_NE(open_error(spec).find("fixed input shape"), std::string::npos);

    EXPECT_NE(open_error(spec_for("/nonexistent/calib", {-1, 1, 4, 4}))
                  .find("/nonexistent/calib: no such file or folder"),
              std::string::npos);
}

// ---- selection ----

TEST(DataSourceSelection, RandomIsSeededAndDistinct) {
    auto a = data::select_random(1000, 50, 7), b = data::select_random(1000, 50, 7),
         c = data::select_random(1000, 50, 8);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(std::set<int64_t>(a.begin(), a.end()).size(), 50u);
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
    EXPECT_EQ(data::select_random(5, 10, 1).size(), 5u);

    test::TempDir dir;
    ASSERT_TRUE(data::write_npy(dir / "f.npy", indexed_floats(100, {3})).is_ok());
    auto spec = spec_for(dir / "f.npy", {-1, 3});
    spec.selection = "random";
    spec.num_samples = 10;
    spec.seed = 7;
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 10);
    auto picked = data::select_random(100, 10, 7);
    auto batch = src->batch(0, 10);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(batch->data<float>()[i * 3], static_cast<float>(picked[static_cast<size_t>(i)]));
    EXPECT_NE(src->describe().find("10 of 100 at random (seed 7)"), std::string::npos) << src->describe();
    spec.num_samples = 500;  // more than there are
    src = open_ok(spec);
    EXPECT_EQ(src->size(), 100);
    EXPECT_EQ(src->warnings.size(), 1u);
}

TEST(DataSourceSelection, RepresentativePicksOnePerCluster) {
    // 60 samples of 2x8x8 in three far-apart clusters (values near 0, 10, 20), interleaved
    test::TempDir dir;
    Tensor t(ir::DataType::kFloat, {60, 2, 8, 8});
    for (int64_t i = 0; i < 60; ++i)
        for (int64_t j = 0; j < 128; ++j)
            t.data<float>()[i * 128 + j] =
                static_cast<float>(10 * (i % 3)) + 0.01f * static_cast<float>((i * 7 + j) % 13);
    ASSERT_TRUE(data::write_npy(dir / "c.npy", t).is_ok());
    auto spec = spec_for(dir / "c.npy", {-1, 2, 8, 8});
    spec.selection = "representative";
    spec.num_samples = 3;
    for (uint64_t seed : {0u, 1u, 2u}) {
        spec.seed = seed;
        auto src = open_ok(spec);
        ASSERT_TRUE(src);
        ASSERT_EQ(src->size(), 3);
        auto b = src->batch(0, 3);
        std::set<int> clusters;
        for (int i = 0; i < 3; ++i)
            clusters.insert(static_cast<int>(std::lround(b->data<float>()[i * 128] / 10.0f)));
        EXPECT_EQ(clusters, (std::set<int>{0, 1, 2})) << "seed " << seed;
    }
    // more samples than clusters: distinct picks spread over the clusters
    spec.num_samples = 9;
    spec.kmeans_clusters = 3;
    auto src = open_ok(spec);
    ASSERT_TRUE(src);
    auto b = src->batch(0, 9);
    std::map<int, int> per_cluster;
    std::set<float> distinct;
    for (int i = 0; i < 9; ++i) {
        ++per_cluster[static_cast<int>(std::lround(b->data<float>()[i * 128] / 10.0f))];
        distinct.insert(b->data<float>()[i * 128 + 1] + 100.0f * b->data<float>()[i * 128]);
    }
    EXPECT_EQ(per_cluster, (std::map<int, int>{{0, 3}, {1, 3}, {2, 3}}));
    // features: 2 channels of 8x8 stay 8x8; a 16x16 plane is pooled to 8x8
    std::vector<float> plane(256);
    for (int i = 0; i < 256; ++i)
        plane[static_cast<size_t>(i)] = static_cast<float>((i / 16) / 2);
    auto f = data::downsample_features(plane.data(), {1, 16, 16}, false);
    ASSERT_EQ(f.size(), 64u);
    EXPECT_EQ(f[8 * 3], 3.0f);
}

// ---- streaming ----

TEST(DataSourceStreaming, ReadsOnlyTheRequestedRows) {
    test::TempDir dir;
    ASSERT_TRUE(data::write_npy(dir / "big.npy", indexed_floats(2000, {1, 28, 28})).is_ok());
    const int64_t row = 28 * 28 * 4;
    auto src = open_ok(spec_for(dir / "big.npy", {-1, 1, 28, 28}));
    ASSERT_TRUE(src);
    EXPECT_EQ(src->size(), 2000);
    int64_t before = src->bytes_read();
    EXPECT_LE(before, row);  // opening read the header and one probe row
    auto b = src->batch(1500, 1510);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->data<float>()[0], 1500.0f);
    EXPECT_EQ(src->bytes_read() - before, 10 * row);

    write_idx(dir / "big-ubyte.gz", 2000, 28, 28, true,
              [](int i, int) { return static_cast<uint8_t>(i % 251); });
    src = open_ok(spec_for(dir / "big-ubyte.gz", {-1, 1, 28, 28}));
    ASSERT_TRUE(src);
    before = src->bytes_read();
    b = src->batch(1000, 1004);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->data<float>()[0], 1000 % 251);
    EXPECT_EQ(src->bytes_read() - before, 4 * 28 * 28);

    // an image folder decodes only the batch's files
    fs::create_directories(dir / "imgs");
    for (int i = 0; i < 40; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "img_%03d.png", i);
        write_gray_png(dir / "imgs" / name, 8, 8, std::vector<uint16_t>(64, static_cast<uint16_t>(i)));
    }
    src = open_ok(spec_for(dir / "imgs", {-1, 1, 8, 8}));
    ASSERT_TRUE(src);
    before = src->bytes_read();
    b = src->batch(30, 32);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->data<float>()[64], 31.0f);
    EXPECT_EQ(src->bytes_read() - before, static_cast<int64_t>(fs::file_size(dir / "imgs" / "img_030.png") +
                                                               fs::file_size(dir / "imgs" / "img_031.png")));
}

}  // namespace
}  // namespace lowbit
