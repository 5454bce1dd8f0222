// Image files for calibration and evaluation: PNG (libpng) and JPEG (libjpeg-turbo) decoded to 8-bit gray or
// RGB, plus the geometric steps of the usual preprocessing (bilinear resize of the shorter side, center
// crop). Colour and value steps (channel order, scale, mean/std, layout) are Preprocess's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "util/status.h"

namespace lowbit::data {

// 8-bit pixels, row-major HWC; channels is 1 (gray) or 3 (RGB).
struct Image {
    int64_t height = 0, width = 0, channels = 0;
    std::vector<uint8_t> pixels;
};

// True for the file names the image folder reader picks up: .png, .jpg, .jpeg (any case).
bool is_image_file_name(const std::filesystem::path& path);

// Decodes by content (PNG or JPEG signature), whatever the extension says. Gray, gray+alpha, palette and
// 16-bit PNGs become 8-bit gray or RGB (alpha is dropped, as PIL's convert does); CMYK JPEGs are refused.
// Errors name the file; a truncated JPEG is an error, not a gray-filled image.
Result<Image> read_image(const std::filesystem::path& path);
Result<Image> decode_image(const std::string& bytes, const std::string& what);

// Bilinear resize (half-pixel centres, as OpenCV INTER_LINEAR and torchvision without antialiasing) so the
// shorter side becomes `size`; the longer side is scaled by the same factor and truncated (torchvision).
Image resize_shorter_side(const Image& image, int64_t size);
// The centre `height` x `width` window; the top/left margin is (image - crop) / 2 rounded down.
// Needs the image to be at least that large.
Image center_crop(const Image& image, int64_t height, int64_t width);

}  // namespace lowbit::data
