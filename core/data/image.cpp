#include "data/image.h"

#include <cstdio>  // before jpeglib.h, which uses FILE

#include <jpeglib.h>

#include <jerror.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstring>

#include "util/file_util.h"

namespace lowbit::data {

namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;  // refuse absurd headers before allocating

std::string size_string(int64_t h, int64_t w) {
    return std::to_string(w) + "x" + std::to_string(h);
}

Result<Image> decode_png(const std::string& bytes, const std::string& what) {
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
        return invalid_input(what + ": corrupt PNG (" + std::string(png.message) + ")");
    if (int64_t{png.height} * png.width > kMaxPixels) {
        png_image_free(&png);
        return invalid_input(what + ": PNG is too large (" + size_string(png.height, png.width) + ")");
    }
    // 8-bit gray or RGB; alpha is read and dropped (8-bit output is not premultiplied); 16-bit data is sRGB
    bool color = png.format & PNG_FORMAT_FLAG_COLOR, alpha = png.format & PNG_FORMAT_FLAG_ALPHA;
    png.format = (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0u);
    png.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    std::vector<uint8_t> buffer(PNG_IMAGE_SIZE(png));
    if (!png_image_finish_read(&png, nullptr, buffer.data(), 0, nullptr)) {
        std::string message = png.message;
        png_image_free(&png);
        return invalid_input(what + ": corrupt PNG (" + message + ")");
    }
    Image img;
    img.height = png.height, img.width = png.width, img.channels = color ? 3 : 1;
    if (!alpha) {
        img.pixels = std::move(buffer);
        return img;
    }
    int64_t in_c = img.channels + 1, n = img.height * img.width;
    img.pixels.resize(static_cast<size_t>(n * img.channels));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < img.channels; ++c)
            img.pixels[static_cast<size_t>(i * img.channels + c)] = buffer[static_cast<size_t>(i * in_c + c)];
    return img;
}

// libjpeg reports errors through a callback that must not return: jump back to decode_jpeg_into.
struct JpegErrors {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool truncated;
};

void jpeg_fail(j_common_ptr cinfo) {
    auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, errors->message);
    std::longjmp(errors->jump, 1);
}

void jpeg_note(j_common_ptr cinfo, int level) {  // warnings: never printed; a truncated file is an error
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF)
        reinterpret_cast<JpegErrors*>(cinfo->err)->truncated = true;
}

// Only trivially destructible locals here: longjmp skips destructors.
bool decode_jpeg_into(const std::string& bytes, Image* out, JpegErrors* errors) {
    jpeg_decompress_struct cinfo;
    std::memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&errors->mgr);
    errors->mgr.error_exit = jpeg_fail;
    errors->mgr.emit_message = jpeg_note;
    errors->message[0] = '\0';
    errors->truncated = false;
    if (setjmp(errors->jump)) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        std::snprintf(errors->message, sizeof errors->message,
                      "CMYK JPEGs are not supported; convert it to RGB");
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    if (int64_t{cinfo.image_height} * cinfo.image_width > kMaxPixels) {
        std::snprintf(errors->message, sizeof errors->message, "JPEG is too large (%ux%u)", cinfo.image_width,
                      cinfo.image_height);
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    out->height = cinfo.output_height, out->width = cinfo.output_width,
    out->channels = cinfo.output_components;
    out->pixels.resize(static_cast<size_t>(out->height * out->width * out->channels));
    size_t stride = static_cast<size_t>(out->width * out->channels);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out->pixels.data() + cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    if (errors->truncated) std::snprintf(errors->message, sizeof errors->message, "the file is truncated");
    return !errors->truncated;
}

Result<Image> decode_jpeg(const std::string& bytes, const std::string& what) {
    Image img;
    JpegErrors errors;
    if (!decode_jpeg_into(bytes, &img, &errors))
        return invalid_input(what + ": corrupt JPEG (" + std::string(errors.message) + ")");
    if (img.channels != 1 && img.channels != 3)
        return invalid_input(what + ": JPEG decodes to " + std::to_string(img.channels) +
                             " channels; expected gray or RGB");
    return img;
}

}  // namespace

bool is_image_file_name(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

Result<Image> decode_image(const std::string& bytes, const std::string& what) {
    static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPng, 8) == 0) return decode_png(bytes, what);
    if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
        static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF)
        return decode_jpeg(bytes, what);
    return invalid_input(what + ": not a PNG or JPEG image (unrecognised content)");
}

Result<Image> read_image(const std::filesystem::path& path) {
    LOWBIT_ASSIGN_OR_RETURN(auto bytes, read_file(path));
    return decode_image(bytes, path.string());
}

Image resize_shorter_side(const Image& in, int64_t size) {
    int64_t oh, ow;
    if (in.height <= in.width) {
        oh = size, ow = std::max<int64_t>(1, size * in.width / in.height);
    } else {
        ow = size, oh = std::max<int64_t>(1, size * in.height / in.width);
    }
    if (oh == in.height && ow == in.width) return in;
    Image out;
    out.height = oh, out.width = ow, out.channels = in.channels;
    out.pixels.resize(static_cast<size_t>(oh * ow * in.channels));
    // source coordinate of each output row/column: (o + 0.5) * in/out - 0.5, clamped to the image
    auto taps = [](int64_t o, int64_t in_size, int64_t out_size, int64_t* i0, int64_t* i1, double* f) {
        double s =
            (static_cast<double>(o) + 0.5) * static_cast<double>(in_size) / static_cast<double>(out_size) -
            0.5;
        s = std::clamp(s, 0.0, static_cast<double>(in_size - 1));
        *i0 = static_cast<int64_t>(s);
        *i1 = std::min(*i0 + 1, in_size - 1);
        *f = s - static_cast<double>(*i0);
    };
    std::vector<int64_t> x0(static_cast<size_t>(ow)), x1(static_cast<size_t>(ow));
    std::vector<double> fx(static_cast<size_t>(ow));
    for (int64_t x = 0; x < ow; ++x)
        taps(x, in.width, ow, &x0[static_cast<size_t>(x)], &x1[static_cast<size_t>(x)],
             &fx[static_cast<size_t>(x)]);
    const int64_t c = in.channels;
    for (int64_t y = 0; y < oh; ++y) {
        int64_t y0, y1;
        double fy;
        taps(y, in.height, oh, &y0, &y1, &fy);
        const uint8_t* r0 = in.pixels.data() + y0 * in.width * c;
        const uint8_t* r1 = in.pixels.data() + y1 * in.width * c;
        uint8_t* dst = out.pixels.data() + y * ow * c;
        for (int64_t x = 0; x < ow; ++x) {
            size_t xi = static_cast<size_t>(x);
            for (int64_t ch = 0; ch < c; ++ch) {
                double top = r0[x0[xi] * c + ch] * (1.0 - fx[xi]) + r0[x1[xi] * c + ch] * fx[xi];
                double bottom = r1[x0[xi] * c + ch] * (1.0 - fx[xi]) + r1[x1[xi] * c + ch] * fx[xi];
                dst[x * c + ch] =
                    static_cast<uint8_t>(std::lround(std::clamp(top * (1.0 - fy) + bottom * fy, 0.0, 255.0)));
            }
        }
    }
    return out;
}

Image center_crop(const Image& in, int64_t height, int64_t width) {
    Image out;
    out.height = height, out.width = width, out.channels = in.channels;
    int64_t top = (in.height - height) / 2, left = (in.width - width) / 2;
    size_t row = static_cast<size_t>(width * in.channels);
    out.pixels.resize(static_cast<size_t>(height) * row);
    for (int64_t y = 0; y < height; ++y)
        std::memcpy(out.pixels.data() + static_cast<size_t>(y) * row,
                    in.pixels.data() + ((top + y) * in.width + left) * in.channels, row);
    return out;
}

}  // namespace lowbit::data
